"""The annotated workbook: the user's rows back with problem cells coloured and commented, an
Excel workbook in its own layout."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from ingest_helpers import HEADERS, TODAY
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine

from skills_roadmap.exceptions import UnreadableFileError
from skills_roadmap.ingest import annotate, annotated_workbook, dry_run, progress_template
from skills_roadmap.palette import ERROR_FILL, WARNING_FILL

FIXTURES = Path(__file__).parent / "fixtures"


def fill(sheet: Worksheet, cell: str) -> str | None:
    pattern = sheet[cell].fill
    return None if pattern.fill_type is None else str(pattern.fgColor.rgb)[-6:]


def annotated(engine: Engine, data: bytes, name: str) -> openpyxl.Workbook:
    report = dry_run(engine, data, name, manager_clusters=frozenset({"aragon-ai"}), today=TODAY)
    return openpyxl.load_workbook(io.BytesIO(annotated_workbook(data, report)))


def test_error_cells_are_red_with_the_message_as_comment(network_engine: Engine) -> None:
    workbook = annotated(network_engine, (FIXTURES / "progress_errors.xlsx").read_bytes(), "e.xlsx")
    sheet = workbook["Progress"]
    assert fill(sheet, "C6") == ERROR_FILL[1:]
    comment = sheet["C6"].comment
    assert comment is not None
    assert comment.text == "error: not a whole number; expected a whole number of 0 or more"
    assert fill(sheet, "C20") == WARNING_FILL[1:]
    assert fill(sheet, "A4") is None and sheet["A4"].comment is None
    assert [cell.value for cell in sheet[6]][:4] == ["ARA-1", "2025-01", 12.5, 1]


def test_problems_sheet_lists_every_problem(network_engine: Engine) -> None:
    workbook = annotated(network_engine, (FIXTURES / "progress_errors.xlsx").read_bytes(), "e.xlsx")
    rows = list(workbook["Problems"].iter_rows(values_only=True))
    assert rows[0] == ("Severity", "Sheet", "Row", "Column", "Cell", "Value", "Expected", "Message")
    assert len(rows) == 1 + 19 + 3
    assert rows[2] == (
        "error",
        "Progress",
        2,
        "Programme ID",
        "A2",
        "NOPE-1",
        "the ID of an existing programme (the template lists yours)",
        "no programme has this ID",
    )


def test_title_rows_and_dates_are_written_back(network_engine: Engine) -> None:
    workbook = annotated(network_engine, (FIXTURES / "progress_valid.ods").read_bytes(), "v.ods")
    sheet = workbook["Monthly report"]
    assert sheet["A1"].value == "Aragón AI cluster — progress 2025"
    assert sheet["A3"].value == "programme_id"
    assert sheet["B4"].value.date().isoformat() == "2025-03-01"
    # The manager of aragon-ai may not report CLJ-1.
    assert fill(sheet, "A7") == ERROR_FILL[1:]


def test_text_that_looks_like_a_formula_stays_text(network_engine: Engine) -> None:
    data = (",".join(HEADERS) + "\nARA-1,2025-01,1,1,,,,,=cmd|' /C calc'!A0\n").encode()
    workbook = annotated(network_engine, data, "x.csv")
    cell = workbook["Progress"]["I2"]
    assert (cell.value, cell.data_type) == ("=cmd|' /C calc'!A0", "s")


def test_a_marked_template_keeps_its_layout_and_instructions_and_lists_errors_first(
    network_engine: Engine,
) -> None:
    """The manager's own workbook comes back as they keep it: widths, the Instructions sheet;
    the Problems sheet lists the error of row 3 before the warning of row 2."""
    template = openpyxl.load_workbook(io.BytesIO(progress_template(network_engine, None, TODAY)))
    progress = template["Progress"]
    assert [progress.cell(row, 1).value for row in (2, 3)] == ["ARA-1", "ARA-2"]
    for row, (enrolled, completed) in ((2, (600, 0)), (3, ("lots", 0))):  # 600 > 500 places
        progress.cell(row, 3).value = enrolled
        progress.cell(row, 4).value = completed
    progress["I3"] = "=cmd|' /C calc'!A0"
    progress["I3"].data_type = "s"  # text that looks like a formula, as a CSV could hold
    progress.delete_rows(4, progress.max_row)  # the template's other programmes
    buffer = io.BytesIO()
    template.save(buffer)

    workbook = annotated(network_engine, buffer.getvalue(), "june.xlsx")

    assert workbook.sheetnames == ["Progress", "Instructions", "Problems"]
    widths = {
        name: {
            key: dimension.width for key, dimension in book["Progress"].column_dimensions.items()
        }
        for name, book in (("template", template), ("marked", workbook))
    }
    assert widths["marked"] == widths["template"]
    assert [row for row in workbook["Instructions"].iter_rows(values_only=True)] == [
        row for row in template["Instructions"].iter_rows(values_only=True)
    ]
    sheet = workbook["Progress"]
    assert (fill(sheet, "C3"), fill(sheet, "C2"), fill(sheet, "A2")) == (
        ERROR_FILL[1:],
        WARNING_FILL[1:],
        None,
    )
    assert (sheet["I3"].value, sheet["I3"].data_type) == ("=cmd|' /C calc'!A0", "s")
    assert [row[:5] for row in workbook["Problems"].iter_rows(values_only=True)] == [
        ("Severity", "Sheet", "Row", "Column", "Cell"),
        ("error", "Progress", 3, "Enrolled", "C3"),
        ("warning", "Progress", 2, "Enrolled", "C2"),
    ]


def test_what_openpyxl_cannot_copy_is_a_refusal_of_the_copy_not_an_error() -> None:
    data = (FIXTURES / "progress_errors.xlsx").read_bytes()
    no_problems = annotate.ProblemsSheet([], frozenset(), 0, freeze=True)
    with pytest.raises(UnreadableFileError, match="KeyError"):
        annotate._marked_copy(data, {"No such sheet": {}}, no_problems)


def test_a_workbook_that_cannot_be_copied_is_written_anew(
    network_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The marked sheet never fails for want of the layout: the values are written anew."""
    data = (FIXTURES / "progress_errors.xlsx").read_bytes()
    report = dry_run(network_engine, data, "e.xlsx", today=TODAY)

    def refused(*_args: object) -> bytes:
        raise UnreadableFileError("the file could not be read (KeyError)")

    monkeypatch.setattr(annotate, "run_isolated", refused)
    workbook = openpyxl.load_workbook(io.BytesIO(annotated_workbook(data, report)))
    assert workbook.sheetnames == ["Progress", "Problems"]
    assert fill(workbook["Progress"], "C6") == ERROR_FILL[1:]
