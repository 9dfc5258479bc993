"""The Excel report, read back by openpyxl and calamine (readers that did not write it)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import cast

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from python_calamine import CalamineWorkbook
from reports_helpers import FORMULA_NAME, SHEETS, tiny_frames, tiny_records
from sqlalchemy import Engine

from skills_roadmap.analysis import attainment, load_frames
from skills_roadmap.reports import ReportContent, load_records, report_content, write_xlsx
from skills_roadmap.reports import xlsx as xlsx_module


def workbook_bytes(content: ReportContent) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(content, buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def demo(demo_database: object) -> Iterator[tuple[ReportContent, bytes]]:
    from skills_roadmap.storage import make_engine

    engine = make_engine(f"sqlite:///{demo_database}")
    content = report_content(load_frames(engine), records=load_records(engine))
    engine.dispose()
    yield content, workbook_bytes(content)


@pytest.fixture(scope="module")
def demo_book(demo: tuple[ReportContent, bytes]) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(demo[1]))


def header_index(sheet: object, header: str) -> int:
    headers = [cell.value for cell in next(sheet.iter_rows(max_row=1))]  # type: ignore[attr-defined]
    return headers.index(header)


def test_sheets_come_in_the_reports_order(demo_book: Workbook) -> None:
    assert demo_book.sheetnames == SHEETS


def test_summary_sheet_holds_the_executive_summary_and_the_levels(
    demo: tuple[ReportContent, bytes], demo_book: Workbook
) -> None:
    content, _ = demo
    texts = [row[0] for row in demo_book["Summary"].iter_rows(values_only=True)]

    assert texts[0] == content.title
    assert texts[3 : 3 + len(content.summary)] == list(content.summary)
    assert "Data as of" in texts and "Last upload" in texts and "Regions" in texts
    start = texts.index("Level")
    rows = list(
        demo_book["Summary"].iter_rows(min_row=start + 2, max_row=start + 4, values_only=True)
    )
    levels = content.levels.frame
    assert levels["level"].tolist() == ["basic", "intermediate", "expert"]  # codes, as in CSV
    assert [row[0] for row in rows] == ["Basic", "Intermediate", "Expert"]  # words, for people
    header = next(
        demo_book["Summary"].iter_rows(min_row=start + 1, max_row=start + 1, values_only=True)
    )
    attainment, status = header.index("Attainment"), header.index("Status")
    assert [row[attainment] for row in rows] == pytest.approx(levels["attainment"].tolist())
    assert [row[status] for row in rows] == ["At risk", "Off track", "At risk"]


def test_attainment_sheet_read_by_calamine_equals_the_analysis_layer(
    demo_engine: Engine, demo: tuple[ReportContent, bytes]
) -> None:
    rows = CalamineWorkbook.from_filelike(io.BytesIO(demo[1])).get_sheet_by_name("Attainment")
    header, *data = rows.to_python()
    sheet = {str(row[header.index("Target id")]): row for row in data}
    expected = attainment(load_frames(demo_engine)).set_index("target_id")

    assert sorted(sheet) == sorted(expected.index)
    for target_id, row in sheet.items():
        assert row[header.index("Achieved")] == pytest.approx(expected.loc[target_id, "achieved"])
        assert row[header.index("Attainment")] == pytest.approx(
            expected.loc[target_id, "attainment"]
        )
        status = str(expected.loc[target_id, "status"]).replace("_", " ").capitalize()
        assert row[header.index("Status")] == status


def test_progress_sheet_read_by_calamine_holds_every_row_with_real_dates(
    demo: tuple[ReportContent, bytes],
) -> None:
    content, data = demo
    header, *rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Progress").to_python()
    )

    assert header == [
        "Programme ID",
        "Period",
        "Enrolled",
        "Completed",
        "Certified",
        "Dropped out",
        "Women",
        "Spend EUR",
        "Notes",
        # the ESF+ participant breakdowns
        "Men",
        "Non-binary",
        "Under 18",
        "Aged 18-29",
        "Aged 30-54",
        "Aged 55 and over",
        "Employed",
        "Unemployed",
        "Long-term unemployed",
        "Inactive",
        "ISCED 0-2",
        "ISCED 3-4",
        "ISCED 5-8",
    ]
    assert len(rows) == len(content.table("progress").frame)
    enrolled = [cast(float, row[2]) for row in rows]
    assert sum(enrolled) == content.table("progress").frame["enrolled"].sum()
    assert f"{rows[0][1]:%Y-%m-%d}".endswith("-01")


@pytest.mark.parametrize(
    ("sheet", "header", "number_format"),
    [
        ("Regions", "Basic attainment", "0.0%"),
        ("Regions", "Budget EUR", '"€"#,##0'),
        ("Programmes", "Start", "yyyy-mm-dd"),
        ("Progress", "Period", "yyyy-mm"),
        ("Progress", "Enrolled", "#,##0"),
        ("Attainment", "Deadline", "0"),
    ],
)
def test_numbers_carry_real_number_formats(
    demo_book: Workbook, sheet: str, header: str, number_format: str
) -> None:
    column = header_index(demo_book[sheet], header)
    cell = demo_book[sheet].cell(row=2, column=column + 1)

    assert cell.data_type in ("n", "d")
    assert cell.number_format == number_format


@pytest.mark.parametrize("sheet", SHEETS[1:8])
def test_data_sheets_freeze_the_header_and_filter_every_row(
    demo_book: Workbook, sheet: str
) -> None:
    worksheet = demo_book[sheet]

    assert worksheet.freeze_panes == "B2"
    assert (
        worksheet.auto_filter.ref
        == f"A1:{worksheet.cell(1, worksheet.max_column).column_letter}{max(worksheet.max_row, 1)}"
    )


def test_every_sheet_prints_one_page_wide_on_a4_with_its_header_on_every_page(
    demo_book: Workbook,
) -> None:
    def setup(name: str) -> tuple[object, ...]:
        sheet = demo_book[name]
        page = sheet.page_setup
        return (
            int(page.paperSize),
            sheet.sheet_properties.pageSetUpPr.fitToPage,
            page.fitToWidth or 1,  # Excel's default, left out of the file
            1 if page.fitToHeight is None else page.fitToHeight,
            sheet.print_title_rows,
        )

    # A4; one page wide; the Summary on one page, the tables as long as they need, with
    # their header row repeated on each page.
    assert {name: setup(name) for name in SHEETS} == {
        name: (9, True, 1, 1, None) if name == "Summary" else (9, True, 1, 0, "$1:$1")
        for name in SHEETS
    }
    # The widest tables turn to landscape.
    assert demo_book["Regions"].page_setup.orientation == "landscape"
    assert demo_book["Regions"].oddFooter.right.text == "Page &P of &N"


def test_columns_are_wide_enough_for_their_longest_name(demo_book: Workbook) -> None:
    sheet = demo_book["Programmes"]
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]

    assert sheet.column_dimensions["B"].width >= min(max(map(len, names)), 60)


def test_status_columns_are_coloured_by_their_words(demo_book: Workbook) -> None:
    rules = {
        str(rule.formula[0])
        for ranges in demo_book["Regions"].conditional_formatting
        for rule in ranges.rules
    }

    assert rules == {'"On track"', '"At risk"', '"Off track"'}


def test_summary_and_regions_carry_native_charts(demo: tuple[ReportContent, bytes]) -> None:
    with zipfile.ZipFile(io.BytesIO(demo[1])) as archive:
        charts = sorted(name for name in archive.namelist() if name.startswith("xl/charts/chart"))
        first = archive.read(charts[0]).decode()

    assert len(charts) == 2
    assert "Summary" in first and "c:barChart" in first


def test_notes_sheet_defines_the_terms_and_every_column(
    demo: tuple[ReportContent, bytes], demo_book: Workbook
) -> None:
    content, _ = demo
    cells = [row for row in demo_book["Notes"].iter_rows(values_only=True)]
    terms = [row[0] for row in cells]

    assert [term for term, _ in content.definitions] == terms[1 : 1 + len(content.definitions)]
    documented = {
        (row[0], row[1]) for row in cells if row[0] in {t.key for t in content.documented_tables}
    }
    assert ("progress", "spend_eur") in documented
    assert ("summary", "points_behind") in documented


@pytest.fixture(scope="module")
def hostile() -> bytes:
    frames = tiny_frames(programme_name=FORMULA_NAME, cluster_name="@SUM(1+1)")
    return workbook_bytes(report_content(frames, records=tiny_records(note="\t-2+3 <b>&\r\x01")))


def test_formula_like_names_round_trip_as_text(hostile: bytes) -> None:
    book = openpyxl.load_workbook(io.BytesIO(hostile))
    name = book["Programmes"]["B2"]
    cluster = book["Clusters"]["B2"]

    assert (name.value, name.data_type, name.quotePrefix) == (FORMULA_NAME, "s", True)
    assert (cluster.value, cluster.data_type, cluster.quotePrefix) == ("@SUM(1+1)", "s", True)


def test_control_characters_in_notes_round_trip_through_calamine(hostile: bytes) -> None:
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(hostile))
        .get_sheet_by_name("Progress")
        .to_python()
    )

    assert rows[1][8] == "\t-2+3 <b>&\r\x01"


def test_no_sheet_holds_a_formula(hostile: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(hostile)) as archive:
        sheets = [
            archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")
        ]

    assert sheets and not any(re.search(rb"<f[ >]", sheet) for sheet in sheets)


def test_summary_names_the_data_date_and_last_upload(hostile: bytes) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(hostile))["Summary"]
    facts = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}

    assert facts["Data as of"] == "2024-12"
    assert facts["Last upload"] == "2025-01-05 09:30 UTC"


def test_uploads_sheet_holds_real_times(hostile: bytes) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(hostile))["Uploads"]

    assert sheet["E2"].is_date and f"{sheet['E2'].value:%Y-%m-%d %H:%M}" == "2025-01-05 09:30"
    assert sheet["E2"].number_format == "yyyy-mm-dd hh:mm"


def test_long_progress_continues_on_numbered_sheets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel holds 1,048,576 rows a sheet; with a limit of 10 the 24 rows take three sheets."""
    monkeypatch.setattr(xlsx_module, "MAX_ROWS", 10)
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(report_content(tiny_frames()))))
    parts = ["Progress", "Progress (2)", "Progress (3)"]

    assert [name for name in book.sheetnames if name.startswith("Progress")] == parts
    assert [book[name].max_row - 1 for name in parts] == [9, 9, 6]
    assert [book[name]["A1"].value for name in parts] == ["Programme ID"] * 3
    assert book["Progress (3)"]["A7"].value == "RO11-B001"
