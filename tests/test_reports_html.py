"""The HTML report, read back by the standard library's HTML parser."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
import pytest
from reports_helpers import FORMULA_NAME, tiny_frames, tiny_records

from skills_roadmap.analysis import Filters
from skills_roadmap.reports import render_html, report_content
from skills_roadmap.reports.columns import Column, Kind, ReportTable
from skills_roadmap.reports.html import ROW_LIMIT, cell, table_html

HOSTILE = '<img src=x onerror="alert(1)">'


class Document(HTMLParser):
    """Every start tag with its attributes, and the text of list items and table cells."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.items: list[str] = []
        self.cells: list[str] = []
        self._open: str | None = None
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("li", "td"):
            self._open = tag
            (self.items if tag == "li" else self.cells).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open == "li":
            self.items[-1] += data
        elif self._open == "td":
            self.cells[-1] += data


@pytest.fixture(scope="module")
def document() -> Document:
    frames = tiny_frames(programme_name=HOSTILE, cluster_name=FORMULA_NAME)
    return Document(render_html(report_content(frames, records=tiny_records(note=HOSTILE))))


def test_executive_summary_is_the_contents_summary() -> None:
    content = report_content(tiny_frames(), records=tiny_records())

    assert Document(render_html(content)).items == list(content.summary)


def test_levels_table_shows_the_figures_as_people_read_them(document: Document) -> None:
    # level, deadline, target, achieved, expected, attainment, points behind, status, forecast
    assert document.cells[:9] == [
        "Basic",
        "2025",
        "480",
        "168",
        "230",
        "35.0%",
        "12.8 behind",
        "✖ Off track",
        "not before the deadline",
    ]


def test_user_text_is_escaped_never_markup(document: Document) -> None:
    assert not [attrs for tag, attrs in document.tags if tag == "img"]
    assert HOSTILE in document.cells  # shown as the text it is
    assert FORMULA_NAME in document.cells


def test_nothing_is_fetched_from_anywhere(document: Document) -> None:
    links = [
        value
        for _, attrs in document.tags
        for name, value in attrs.items()
        if name in ("src", "href", "action", "srcset") and value
    ]
    policies = [
        attrs["content"]
        for tag, attrs in document.tags
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"
    ]

    assert links == []
    assert policies and str(policies[0]).startswith("default-src 'none'")


def test_plotly_is_embedded_once_and_every_chart_uses_it() -> None:
    markup = render_html(report_content(tiny_frames()))

    assert markup.count("plotly.js v") == 1
    assert markup.count('class="plotly-graph-div"') == 3  # levels, trajectory, regions


def test_region_report_charts_its_programmes_instead_of_regions() -> None:
    markup = render_html(report_content(tiny_frames(), Filters(regions=("ES24",))))

    assert "furthest behind their expected enrolment" in markup
    assert "Attainment per region and level" not in markup


def test_print_stylesheet_sets_a4_page_numbers_and_unbroken_charts() -> None:
    markup = render_html(report_content(tiny_frames()))

    assert "size: A4" in markup
    assert 'content: "Page " counter(page) " of " counter(pages)' in markup
    assert ".chart { break-inside: avoid;" in markup


def test_long_tables_show_the_first_rows_and_say_so() -> None:
    table = ReportTable(
        "numbers",
        "Numbers",
        "",
        (Column("n", "N", Kind.COUNT, "a number", brief=True),),
        pd.DataFrame({"n": range(ROW_LIMIT + 5, 0, -1)}),
    )
    parsed = Document(table_html(table, table.brief_columns, order="n"))

    assert parsed.cells[:2] == ["1", "2"] and len(parsed.cells) == ROW_LIMIT
    assert f"Showing {ROW_LIMIT} of {ROW_LIMIT + 5:,} rows" in table_html(
        table, table.brief_columns
    )


@pytest.mark.parametrize(
    ("value", "kind", "markup"),
    [
        (
            1234.5,
            Kind.COUNT,
            '<td class="num" data-sort="1234.5">1,234</td>',
        ),  # 1,234.5 rounds to even
        (0.625, Kind.SHARE, '<td class="num" data-sort="0.625">62.5%</td>'),
        (float("nan"), Kind.EUR, '<td data-sort=""></td>'),
        (
            "on_track",
            Kind.STATUS,
            '<td data-sort="on_track"><span class="status status-on_track">✔ On track</span></td>',
        ),
        ("a < b & c", Kind.TEXT, '<td data-sort="a &lt; b &amp; c">a &lt; b &amp; c</td>'),
        (24299, Kind.PERIOD, '<td data-sort="2024-12">2024-12</td>'),
        (True, Kind.FLAG, '<td data-sort="yes">yes</td>'),
    ],
)
def test_cells_show_values_escaped_with_a_raw_value_to_sort_by(
    value: object, kind: Kind, markup: str
) -> None:
    assert cell(value, kind) == markup
