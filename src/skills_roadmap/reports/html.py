"""HTML export: one self-contained file that opens offline, prints well and is safe.

plotly.js is embedded once (with the first chart) and a Content-Security-Policy forbids
every request to anywhere, so the file never reaches the network. All text from the data
is escaped; tables sort by a click on their header and filter as you type. The print
stylesheet (A4, page numbers, no chart split across pages) is what the PDF is made from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape
from string import Template

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from skills_roadmap import palette
from skills_roadmap.i18n import current_language, gettext
from skills_roadmap.i18n.formats import Message
from skills_roadmap.reports import charts
from skills_roadmap.reports.cells import is_missing, period_text, utc
from skills_roadmap.reports.columns import Column, Kind, ReportTable, readable
from skills_roadmap.reports.data import ReportContent
from skills_roadmap.status_words import status_words

ROW_LIMIT = 100
# The data tables the document shows, each ordered so that what needs attention comes first
# (ascending, blanks last); None keeps the table's own order.
DOCUMENT_TABLES: tuple[tuple[str, str | None], ...] = (
    ("regions", None),
    ("clusters", "capacity_use"),
    ("attainment", "ratio"),
    ("programmes", "capacity_use"),
    ("eu_frames", "share_of_goal"),
)
KEEP_TOGETHER_ROWS = 25  # a table this short prints on one page with its heading
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'unsafe-inline'; img-src data: blob:; font-src data:"
)
PLOT_CONFIG = {"displaylogo": False, "responsive": False}

STYLE_TEMPLATE = Template("""
:root { color-scheme: light; }
body { font-family: Helvetica, Arial, sans-serif; font-size: 11pt; color: $ink;
  max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 1.6rem;
  break-after: avoid; page-break-after: avoid; }
h2 + .note { break-after: avoid; page-break-after: avoid; }
.block { break-inside: avoid-page; }
.facts, .note { color: $ink_secondary; font-size: .9rem; }
.summary li { margin-bottom: .3rem; }
dl.filters { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; }
dl.filters dt { font-weight: bold; } dl.filters dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .4rem 0; }
th, td { border-bottom: 1px solid $rule; padding: .2rem .4rem; text-align: left;
  vertical-align: top; }
th { background: $header_fill; cursor: pointer; user-select: none; }
th[aria-sort=ascending]::after { content: " ▲"; } th[aria-sort=descending]::after { content: " ▼"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.status { font-weight: bold; white-space: nowrap; }
.status-on_track { color: $on_track; } .status-at_risk { color: $at_risk; }
.status-off_track { color: $off_track; }
.chart { break-inside: avoid; page-break-inside: avoid; margin: .8rem 0; }
input.filter { margin: .3rem 0; padding: .2rem .4rem; width: 16rem; }
thead { display: table-header-group; } tr { break-inside: avoid; page-break-inside: avoid; }
@page { size: A4; margin: 14mm 12mm 18mm 12mm;
  @bottom-right { content: $page_numbers; font-size: 9pt;
    color: $ink_secondary; } }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  input.filter, .modebar-container { display: none !important; }
  th { cursor: auto; } th::after { content: "" !important; }
}
""")


def _css_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def style() -> str:
    """The report's CSS, its printed page numbers ("Page 2 of 9") in the current language."""
    pieces = re.split(r"(\{page\}|\{pages\})", gettext("Page {page} of {pages}"))
    counters = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
    numbers = " ".join(counters.get(piece) or _css_text(piece) for piece in pieces if piece)
    return STYLE_TEMPLATE.substitute(
        ink=palette.INK,
        ink_secondary=palette.INK_SECONDARY,
        rule=palette.RULE,
        header_fill=palette.HEADER_FILL,
        page_numbers=numbers,
        **palette.STATUS_TEXT_COLOURS,
    )


SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  var headers = table.querySelectorAll("th");
  headers.forEach(function (th, index) {
    function sort() {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[index].getAttribute("data-sort");
        var y = b.cells[index].getAttribute("data-sort");
        var nx = parseFloat(x), ny = parseFloat(y);
        var order = isNaN(nx) || isNaN(ny) ? String(x).localeCompare(String(y)) : nx - ny;
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (event) { if (event.key === "Enter") { sort(); } });
  });
});
document.querySelectorAll("input.filter").forEach(function (input) {
  var table = document.getElementById(input.getAttribute("data-table"));
  input.addEventListener("input", function () {
    var needle = input.value.toLowerCase();
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      row.hidden = needle !== "" && row.textContent.toLowerCase().indexOf(needle) < 0;
    });
  });
});
"""

_SHOWN = {
    Kind.COUNT: "{:,.0f}",
    Kind.NUMBER: "{:,.1f}",
    Kind.EUR: "€{:,.0f}",
    Kind.SHARE: "{:.1%}",
    Kind.YEAR: "{:.0f}",
}


def points_words(points: float) -> str:
    """Points of the target against the trajectory in words: ``16.9 ahead``, ``3.2 behind``."""
    if round(points, 1) == 0:
        return gettext("on the trajectory")
    words = gettext("{points:,.1f} behind") if points > 0 else gettext("{points:,.1f} ahead")
    return Message(words).format(points=abs(points))


def cell(value: object, kind: Kind) -> str:
    """One ``<td>``: the value as people read it, escaped, with a raw value to sort by."""
    if is_missing(value):
        return '<td data-sort=""></td>'
    if kind in _SHOWN:
        number = float(value)  # type: ignore[arg-type]
        shown = Message(_SHOWN[kind]).format(number)
        return f'<td class="num" data-sort="{number!r}">{shown}</td>'
    if kind is Kind.POINTS:
        number = float(value)  # type: ignore[arg-type]
        return f'<td class="num" data-sort="{number!r}">{points_words(number)}</td>'
    if kind is Kind.STATUS:
        code = str(value)
        words = status_words(code)
        return f'<td data-sort="{code}"><span class="status status-{code}">{words}</span></td>'
    if kind is Kind.PERIOD:
        text = period_text(value)  # type: ignore[arg-type]
    elif kind is Kind.DATE:
        text = f"{pd.Timestamp(value):%Y-%m-%d}"  # type: ignore[arg-type]
    elif kind is Kind.DATETIME:
        text = f"{utc(value):%Y-%m-%d %H:%M}"
    elif kind is Kind.FLAG:
        text = gettext("yes") if value else gettext("no")
    else:
        text = str(value)
    shown = escape(text)
    return f'<td data-sort="{shown}">{shown}</td>'


def table_html(table: ReportTable, columns: Iterable[Column], order: str | None = None) -> str:
    """A sortable, filterable table of ``columns``, at most ``ROW_LIMIT`` rows (those
    lowest in ``order`` first), with a note when rows are left out; codes in words
    (:func:`~skills_roadmap.reports.columns.readable`)."""
    columns = tuple(columns)
    frame = readable(table).frame
    if order is not None:
        frame = frame.sort_values(order, na_position="last", kind="stable")
    shown = frame.head(ROW_LIMIT)
    element = f"table-{table.key}"
    head = "".join(f'<th scope="col" tabindex="0">{escape(c.header)}</th>' for c in columns)
    keys = [column.key for column in columns]
    body = "".join(
        "<tr>"
        + "".join(cell(value, c.kind) for value, c in zip(row, columns, strict=True))
        + "</tr>"
        for row in shown[keys].itertuples(index=False)
    )
    note = ""
    if len(frame) > len(shown):
        lowest = next((c.header for c in table.columns if c.key == order), None)
        message = (
            gettext(
                "Showing {shown:,} of {total:,} rows, those with the lowest {column} first; "
                "the Excel and CSV exports hold every row."
            )
            if lowest
            else gettext(
                "Showing {shown:,} of {total:,} rows; the Excel and CSV exports hold every row."
            )
        )
        words = Message(message).format(shown=len(shown), total=len(frame), column=lowest)
        note = f'<p class="note">{escape(words)}</p>'
    search = (
        f'<input class="filter" type="search" data-table="{element}" '
        f'placeholder="{escape(gettext("Filter rows…"))}" '
        f'aria-label="{escape(gettext("Filter the {table} table").format(table=table.title))}">'
    )
    return (
        f'{search}<table class="sortable" id="{element}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>{note}"
    )


class _Charts:
    """Figures as HTML; plotly.js goes into the first one only."""

    def __init__(self) -> None:
        self.first = True

    def __call__(self, figure: go.Figure) -> str:
        markup = pio.to_html(
            figure, include_plotlyjs=self.first, full_html=False, config=PLOT_CONFIG
        )
        self.first = False
        return f'<div class="chart">{markup}</div>'


def _pairs(lines: tuple[tuple[str, str], ...]) -> str:
    items = "".join(
        f"<dt>{escape(gettext(label))}</dt><dd>{escape(value)}</dd>" for label, value in lines
    )
    return f'<dl class="filters">{items}</dl>'


def _sections(content: ReportContent, chart: _Charts) -> list[str]:
    levels = content.levels
    sections = [
        f"<h2>{escape(gettext('Attainment per level'))}</h2>",
        table_html(levels, levels.brief_columns)
        if not levels.frame.empty
        else f'<p class="note">{escape(gettext("No targets are set for this selection."))}</p>',
    ]
    if not levels.frame.empty:
        sections.append(chart(charts.levels_figure(levels.frame)))
    if not content.trend.empty:
        sections.append(chart(charts.trajectory_figure(content.trend)))
    regions = content.table("regions")
    if len(regions.frame) > 1:
        sections.append(chart(charts.regions_figure(regions.frame)))
    else:
        lagging = content.table("clusters")
        noun = "cluster"
        if len(lagging.frame) < 2:
            lagging, noun = content.table("programmes"), "programme"
        if lagging.frame["capacity_use"].notna().any():
            sections.append(chart(charts.capacity_figure(lagging.frame, noun)))
    for key, order in DOCUMENT_TABLES:
        table = content.table(key)
        # A short table stays on one page with its heading; a long one at least keeps its
        # heading and note with its first rows (h2 and .note avoid a break after them).
        kept = ' class="block"' if len(table.frame) <= KEEP_TOGETHER_ROWS else ""
        sections.append(
            f"<div{kept}><h2>{escape(table.title)}</h2>"
            f'<p class="note">{escape(table.description)}</p>'
            f"{table_html(table, table.brief_columns, order)}</div>"
        )
    return sections


def render_html(content: ReportContent) -> str:
    """The report as one HTML document: executive summary, charts, tables, definitions."""
    chart = _Charts()
    facts = " · ".join(f"{gettext(label)}: {value}" for label, value in content.facts)
    summary = "".join(f"<li>{escape(sentence)}</li>" for sentence in content.summary)
    body = [
        f'<header><h1>{escape(content.title)}</h1><p class="facts">{escape(facts)}</p></header>',
        f'<section id="summary"><h2>{escape(gettext("Executive summary"))}</h2>'
        f'<ul class="summary">{summary}</ul></section>',
        f'<section id="filters"><h2>{escape(gettext("Filters"))}</h2>'
        f"{_pairs(content.filter_lines)}</section>",
        '<section id="figures">' + "".join(_sections(content, chart)) + "</section>",
        f'<section id="definitions"><h2>{escape(gettext("Definitions"))}</h2>'
        f"{_pairs(content.definitions)}</section>",
    ]
    return (
        f'<!DOCTYPE html>\n<html lang="{current_language()}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(content.title)}</title><style>{style()}</style></head>"
        f"<body>{''.join(body)}<script>{SCRIPT}</script></body></html>\n"
    )
