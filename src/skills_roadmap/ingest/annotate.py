"""The user's sheets written back with their problems marked, so they can be fixed and uploaded
again.

Error cells are filled red and warning cells yellow, each with a comment holding the message;
a "Problems" sheet lists them. Only the problems the report lists are marked (at most
``Settings.report_max_problems``, errors first); when there are more, the Problems sheet
starts by saying how many, with the count per rule. Values are written back as values of
their type: text is always written as text, so a cell reading ``=cmd|...`` can never become
a formula.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from skills_roadmap.ingest.formulas import cell_position
from skills_roadmap.ingest.problems import PROBLEM_FIELDS, Severity
from skills_roadmap.ingest.readers import workbook_rows
from skills_roadmap.ingest.report import DryRunReport
from skills_roadmap.palette import ERROR_FILL, WARNING_FILL

# Comments beyond this many are left out (the cells are still coloured, the Problems sheet
# lists them): Excel slows to a crawl with hundreds of thousands of comments.
MAX_COMMENTS = 10_000
PROBLEMS_SHEET = "Problems"
SHEET_NAME_LENGTH = 31


def annotated_workbook(data: bytes, report: DryRunReport) -> bytes:
    """The uploaded sheets as .xlsx with problem cells coloured and commented, plus a Problems
    sheet.

    Args:
        data: the uploaded bytes the report was made from.
        report: its dry-run (or commit) report.

    Raises:
        UnreadableFileError: ``data`` cannot be read (it is not the file of ``report``).
    """
    names = [part.sheet for part in report.sheets]
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        output,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    formats = _Formats(workbook)
    comments = 0
    written = []
    for part, rows in zip(report.sheets, workbook_rows(data, names), strict=True):
        marks = _marks(report, part.sheet)
        data_sheet_name = part.sheet[:SHEET_NAME_LENGTH] or "Sheet1"
        written.append(data_sheet_name.lower())
        sheet = workbook.add_worksheet(data_sheet_name)
        sheet.freeze_panes(part.header_row, 0)
        for row_index, row in enumerate(rows):
            for column_index, value in enumerate(row):
                mark = marks.get((row_index, column_index))
                if mark is None:
                    _write(sheet, row_index, column_index, value, formats.plain(value))
                    continue
                severity, text = mark
                _write(sheet, row_index, column_index, value, formats.marked(value, severity))
                if comments < MAX_COMMENTS:
                    sheet.write_comment(
                        row_index, column_index, text, {"x_scale": 2, "y_scale": 1.5}
                    )
                    comments += 1
    _problems_sheet(workbook, report, written, formats)
    workbook.close()
    return output.getvalue()


def _marks(report: DryRunReport, sheet: str) -> dict[tuple[int, int], tuple[Severity, str]]:
    """Per cell of ``sheet`` (0-based row, column): the worst severity and all its messages."""
    marks: dict[tuple[int, int], tuple[Severity, str]] = {}
    for record in report.problems.itertuples(index=False):
        if not record.cell or (len(report.sheets) > 1 and record.sheet != sheet):
            continue
        position = cell_position(str(record.cell))
        severity = Severity(str(record.severity))
        line = f"{severity.value}: {record.message}; expected {record.expected}"
        if position in marks:
            earlier, text = marks[position]
            worst = Severity.ERROR if Severity.ERROR in (earlier, severity) else severity
            marks[position] = (worst, f"{text}\n{line}")
        else:
            marks[position] = (severity, line)
    return marks


class _Formats:
    """The few cell formats, created once per workbook."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self._workbook = workbook
        self._cache: dict[tuple[str, Severity | None], Format] = {}

    def _get(self, number_format: str, severity: Severity | None) -> Format:
        key = (number_format, severity)
        if key not in self._cache:
            properties: dict[str, Any] = {"num_format": number_format} if number_format else {}
            if severity is not None:
                properties["bg_color"] = ERROR_FILL if severity is Severity.ERROR else WARNING_FILL
            self._cache[key] = self._workbook.add_format(properties)
        return self._cache[key]

    def plain(self, value: object) -> Format | None:
        number_format = _number_format(value)
        return self._get(number_format, None) if number_format else None

    def marked(self, value: object, severity: Severity) -> Format:
        return self._get(_number_format(value), severity)

    @property
    def bold(self) -> Format:
        if ("bold", None) not in self._cache:
            self._cache[("bold", None)] = self._workbook.add_format({"bold": True})
        return self._cache[("bold", None)]


def _number_format(value: object) -> str:
    if isinstance(value, datetime):
        return "yyyy-mm-dd hh:mm"
    if isinstance(value, date):
        return "yyyy-mm-dd"
    if isinstance(value, time):
        return "hh:mm:ss"
    return ""


def _write(
    sheet: Worksheet, row: int, column: int, value: object, cell_format: Format | None
) -> None:
    if value is None or value == "":
        if cell_format is not None:
            sheet.write_blank(row, column, None, cell_format)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value, cell_format)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value, cell_format)
    elif isinstance(value, datetime | date | time):
        sheet.write_datetime(row, column, value, cell_format)
    else:
        sheet.write_string(row, column, str(value), cell_format)


def _problems_sheet(
    workbook: xlsxwriter.Workbook, report: DryRunReport, taken: list[str], formats: _Formats
) -> None:
    name = PROBLEMS_SHEET if PROBLEMS_SHEET.lower() not in taken else "Problems list"
    sheet = workbook.add_worksheet(name)
    top = _not_listed(sheet, report, formats) if report.not_listed else 0
    headers = [field.capitalize() for field in PROBLEM_FIELDS]
    sheet.write_row(top, 0, headers, formats.bold)
    if not top:  # with the note and counts above, frozen rows would fill the screen
        sheet.freeze_panes(1, 0)
    for row_index, record in enumerate(
        report.problems[list(PROBLEM_FIELDS)].itertuples(index=False, name=None), start=top + 1
    ):
        for column_index, value in enumerate(record):
            if column_index == PROBLEM_FIELDS.index("row"):
                sheet.write_number(row_index, column_index, int(value))
            else:
                sheet.write_string(row_index, column_index, str(value))
    sheet.autofilter(top, 0, top + max(len(report.problems), 1), len(PROBLEM_FIELDS) - 1)
    sheet.set_column(0, 4, 12)
    sheet.set_column(5, 7, 40)


def _not_listed(sheet: Worksheet, report: DryRunReport, formats: _Formats) -> int:
    """Say how many problems are not listed, and count them per rule; the next free row."""
    listed, total = len(report.problems), report.error_count + report.warning_count
    sheet.write_string(
        0,
        0,
        f"{report.not_listed:,} more problems are not listed or marked: these are the first "
        f"{listed:,} of {total:,} (errors first). Fix them and upload the file again to see "
        "the rest.",
        formats.bold,
    )
    sheet.write_row(2, 0, ["Severity", "Column", "Rule", "Count"], formats.bold)
    for row_index, count in enumerate(report.problem_counts, start=3):
        sheet.write_row(row_index, 0, [count.severity.value, count.where, count.rule])
        sheet.write_number(row_index, 3, count.count)
    return 3 + len(report.problem_counts) + 1
