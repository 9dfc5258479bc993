"""Codes in the reports' tables (levels, scopes, metrics, delivery modes, helix roles, forecasts,
ESF+ bands, uploads) read as words in the report's language in Excel and HTML; CSV keeps them.

The pseudo-language ("⟦…⟧") shows which cells went through translation.
"""

from __future__ import annotations

import csv
import io
import zipfile
from html.parser import HTMLParser

import openpyxl
import pandas as pd
import pytest
from reports_helpers import tiny_frames, tiny_records

from skills_roadmap.analysis import Filters
from skills_roadmap.i18n import use_language
from skills_roadmap.reports import ReportContent, render_html, report_content, write_xlsx
from skills_roadmap.reports.columns import (
    LEVEL,
    TARGET_REVISIONS_COLUMNS,
    Column,
    Kind,
    ReportTable,
    forecast_cell,
    readable,
)
from skills_roadmap.reports.csv import write_csv_zip

# Every coded column of the tiny network's report, by its table's key and its column's key:
# the words each of its cells reads in the pseudo-language, in the table's order of rows.
PSEUDO_WORDS: dict[str, dict[str, list[str | None]]] = {
    "summary": {
        "level": ["⟦Båsîc⟧", "⟦Întérmédîåté⟧", "⟦Éxpért⟧"],
        "metric": ["⟦Cömplétéd⟧", None, None],
        "forecast": ["⟦nöt béföré thé déådlîné⟧", None, None],
    },
    "clusters": {"helix_roles": ["⟦Îndüstry⟧, ⟦Åcådémîå⟧", "⟦Îndüstry⟧"]},
    "programmes": {
        "level": ["⟦Båsîc⟧", "⟦Båsîc⟧"],
        "provider_helix": ["⟦Îndüstry⟧", "⟦Åcådémîå⟧"],
        "delivery_mode": ["⟦Önlîné⟧", "⟦Bléndéd⟧"],
    },
    "targets": {
        "scope": ["⟦Nétwörk⟧", "⟦Régîön⟧", "⟦Régîön⟧"],
        "scope_name": ["⟦Nétwörk⟧", "Aragón", "Nord-Vest"],  # a region's name is data
        "level": ["⟦Båsîc⟧"] * 3,
        "metric": ["⟦Cömplétéd⟧"] * 3,
    },
    "attainment": {
        "scope": ["⟦Nétwörk⟧", "⟦Régîön⟧", "⟦Régîön⟧"],
        "scope_name": ["⟦Nétwörk⟧", "Aragón", "Nord-Vest"],
        "level": ["⟦Båsîc⟧"] * 3,
        "metric": ["⟦Cömplétéd⟧"] * 3,
        "forecast": ["⟦nöt béföré thé déådlîné⟧", "2025-12", "⟦nöt béföré thé déådlîné⟧"],
    },
    "uploads": {"kind": ["⟦Prögréss⟧"], "outcome": ["⟦✔ Störéd⟧"]},
}


@pytest.fixture(scope="module")
def pseudo_report() -> ReportContent:
    with use_language("en-XA"):
        return report_content(tiny_frames(), records=tiny_records())


def _coded(table: ReportTable) -> list[Column]:
    return [column for column in table.columns if column.words is not None]


def _tables(content: ReportContent) -> dict[str, ReportTable]:
    return {"summary": content.levels, **{table.key: table for table in content.tables}}


def _sheet_columns(sheet: object, header_row: int = 1) -> dict[str, list[object]]:
    rows = list(sheet.iter_rows(min_row=header_row, values_only=True))  # type: ignore[attr-defined]
    return {
        str(header): [row[col] for row in rows[1:]]
        for col, header in enumerate(rows[0])
        if header is not None
    }


def test_every_coded_column_of_a_pseudo_language_workbook_reads_in_words(
    pseudo_report: ReportContent,
) -> None:
    buffer = io.BytesIO()
    with use_language("en-XA"):
        write_xlsx(pseudo_report, buffer)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    summary = book.worksheets[0]
    levels_header = 1 + next(
        row
        for row, (value,) in enumerate(summary.iter_rows(max_col=1, values_only=True))
        if value == "⟦Lévél⟧"
    )
    read = {}
    for key, table in _tables(pseudo_report).items():
        sheet_header = levels_header if key == "summary" else 1
        sheet = summary if key == "summary" else book[table.title]
        cells = _sheet_columns(sheet, sheet_header)
        count = len(table.frame)
        worded = {c.key: cells[c.header][:count] for c in _coded(table) if count}
        if worded:
            read[key] = worded

    # ESF+ bands and indicators are the catalogue's words: each one marked.
    esf = read.pop("esf")
    assert all(str(word).startswith("⟦") for words in esf.values() for word in words)
    assert len(esf["breakdown"]) == 14 and esf["header"][:3] == ["⟦Wömén⟧", "⟦Mén⟧", "⟦Nön-bînåry⟧"]
    assert {key: read[key] for key in read if key != "matrix"} == PSEUDO_WORDS
    assert set(read["matrix"]["level"]) == {"⟦Båsîc⟧", "⟦Întérmédîåté⟧", "⟦Éxpért⟧"}


class _Tables(HTMLParser):
    """Each ``<table>``'s header and cell texts, by its id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, tuple[list[str], list[list[str]]]] = {}
        self._table = ""
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table = dict(attrs).get("id") or ""
            self.tables[self._table] = ([], [])
        elif tag == "tr" and self._table:
            self.tables[self._table][1].append([])
        elif tag in ("th", "td") and self._table:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            header, rows = self.tables[self._table]
            (header if tag == "th" else rows[-1]).append("".join(self._cell))
            self._cell = None
        elif tag == "table":
            self._table = ""

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_the_coded_columns_of_a_pseudo_language_html_report_read_in_words(
    pseudo_report: ReportContent,
) -> None:
    with use_language("en-XA"):
        parser = _Tables()
        parser.feed(render_html(pseudo_report))
    read = {}
    for key, table in _tables(pseudo_report).items():
        element = f"table-{table.key}"
        if element not in parser.tables:
            continue  # not in the document: Excel and CSV only
        header, rows = parser.tables[element]
        rows = [row for row in rows if row]
        columns = {c.key: header.index(c.header) for c in _coded(table) if c.header in header}
        if columns:
            read[key] = {name: [row[col] for row in rows] for name, col in columns.items()}

    assert read == {
        "summary": {
            "level": ["⟦Båsîc⟧", "⟦Întérmédîåté⟧", "⟦Éxpért⟧"],
            "forecast": ["⟦nöt béföré thé déådlîné⟧", "", ""],
        },
        "programmes": {"level": ["⟦Båsîc⟧", "⟦Båsîc⟧"]},
        # The attainment table shows those needing attention first (lowest ratio).
        "attainment": {
            key: [words[2], words[0], words[1]]
            for key, words in PSEUDO_WORDS["attainment"].items()
            if key != "metric"
        },
    }


def test_a_spanish_workbook_names_levels_scopes_and_modes_as_the_dashboard_does() -> None:
    buffer = io.BytesIO()
    with use_language("es"):
        write_xlsx(report_content(tiny_frames(), records=tiny_records()), buffer)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    programmes = _sheet_columns(book["Programas"])
    targets = _sheet_columns(book["Objetivos"])

    assert programmes["Nivel"] == ["Básico", "Básico"]
    assert programmes["Modalidad"] == ["En línea", "Mixto"]
    assert targets["Ámbito"] == ["Red", "Región", "Región"]
    assert targets["Nivel"] == ["Básico"] * 3


def test_the_csv_set_keeps_the_codes_in_every_language(pseudo_report: ReportContent) -> None:
    buffer = io.BytesIO()
    with use_language("en-XA"):
        write_csv_zip(pseudo_report, buffer)
    with zipfile.ZipFile(buffer) as archive:

        def rows(name: str) -> list[dict[str, str]]:
            member = next(item for item in archive.namelist() if item.endswith(f"/{name}"))
            return list(csv.DictReader(io.StringIO(archive.read(member).decode("utf-8-sig"))))

        programmes, targets, clusters = (
            rows(name) for name in ("programmes.csv", "targets.csv", "clusters.csv")
        )

    assert [(row["level"], row["provider_helix"], row["delivery_mode"]) for row in programmes] == [
        ("basic", "industry", "online"),
        ("basic", "academia", "blended"),
    ]
    assert [(row["scope"], row["scope_name"], row["metric"]) for row in targets] == [
        ("network", "Network", "completed"),
        ("region", "Aragón", "completed"),
        ("region", "Nord-Vest", "completed"),
    ]
    assert [row["helix_roles"] for row in clusters] == ["industry,academia", "industry"]


@pytest.mark.parametrize(
    ("forecast", "english", "pseudo"),
    [
        ("2026-03", "2026-03", "2026-03"),  # a month is a value, as it is
        ("already reached", "already reached", "⟦ålréådy réåchéd⟧"),
        ("not before the deadline", "not before the deadline", "⟦nöt béföré thé déådlîné⟧"),
        # The headline's forecast for several targets: how many are reached in time.
        ("2 of 3", "2 of 3", "⟦2 öf 3⟧"),
        ("1234 of 5000", "1,234 of 5,000", "⟦1,234 öf 5,000⟧"),
    ],
)
def test_a_forecast_reads_in_the_reports_language(forecast: str, english: str, pseudo: str) -> None:
    with use_language("en"):
        assert forecast_cell(forecast) == english
    with use_language("en-XA"):
        assert forecast_cell(forecast) == pseudo


def test_readable_names_each_code_and_leaves_blanks_and_other_columns_alone() -> None:
    other = Column("note", "Note", Kind.TEXT, "Free text.")
    frame = pd.DataFrame(
        {
            "level": pd.Categorical(["expert", None, "basic", "expert"]),
            "note": ["basic", None, "x", "y"],
        }
    )
    table = ReportTable("t", "T", "T.", (LEVEL, other), frame)

    with use_language("es"):
        shown = readable(table)

    assert _values(shown.frame["level"]) == ["Experto", None, "Básico", "Experto"]
    assert _values(shown.frame["note"]) == ["basic", None, "x", "y"]  # no words: as it is
    assert _values(table.frame["level"]) == ["expert", None, "basic", "expert"]  # unchanged


def _values(values: pd.Series) -> list[object]:
    return [None if pd.isna(value) else value for value in values.tolist()]


def test_the_filters_block_names_the_chosen_delivery_modes_and_helices_in_words() -> None:
    filters = Filters.model_validate(
        {"delivery_modes": ["online", "blended"], "provider_helices": ["industry"]}
    )
    with use_language("en-XA"):
        content = report_content(tiny_frames(), filters, records=tiny_records())
    lines = dict(content.filter_lines)

    assert (lines["Delivery modes"], lines["Provider helices"]) == (
        "⟦Önlîné⟧, ⟦Bléndéd⟧",
        "⟦Îndüstry⟧",
    )


def test_a_target_revision_names_the_changed_field_as_the_targets_sheet_heads_it() -> None:
    frame = pd.DataFrame({"field": ["value", "deadline_year", "unknown"]})
    table = ReportTable("t", "T", "T.", (TARGET_REVISIONS_COLUMNS[4],), frame)

    with use_language("en"):
        english = readable(table).frame["field"].tolist()
    with use_language("en-XA"):
        pseudo = readable(table).frame["field"].tolist()

    assert english == ["Value", "Deadline year", "unknown"]
    assert pseudo == ["⟦Vålüé⟧", "⟦Déådlîné yéår⟧", "unknown"]
