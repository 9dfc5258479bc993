"""The user's sheets written back with their problems marked, so they can be fixed and uploaded
again.

An Excel workbook (.xlsx, .xlsm) of modest size is marked in a copy of itself, so it keeps the
manager's layout: column widths, formats, the Instructions sheet and any other sheet. Any other
file (or a very large workbook, which openpyxl would be slow to rewrite) is written anew from
the values read. Either way the copy is made in a child process (``isolation``), like every
parse of an uploaded file.

Error cells are filled red and warning cells yellow, each with a comment holding the message;
a "Problems" sheet lists them, errors first. Only the problems the report lists are marked (at most
``Settings.report_max_problems``, errors first); when there are more, the Problems sheet
starts by saying how many, with the count per rule. Values are written back as values of
their type: text is always written as text, so a cell reading ``=cmd|...`` can never become
a formula.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import numpy as np
import openpyxl
import xlsxwriter
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from skills_roadmap.exceptions import UnreadableFileError
from skills_roadmap.i18n import ngettext
from skills_roadmap.i18n.formats import Message
from skills_roadmap.i18n.words import N_, _
from skills_roadmap.ingest.formulas import cell_position
from skills_roadmap.ingest.isolation import run_isolated
from skills_roadmap.ingest.problems import PROBLEM_FIELDS, Severity
from skills_roadmap.ingest.readers import refused_when_a_reader_fails, workbook_rows
from skills_roadmap.ingest.report import DryRunReport
from skills_roadmap.ingest.sniff import FileFormat
from skills_roadmap.palette import ERROR_FILL, WARNING_FILL

# Comments beyond this many are left out (the cells are still coloured, the Problems sheet
# lists them): Excel slows to a crawl with hundreds of thousands of comments.
MAX_COMMENTS = 10_000
PROBLEMS_SHEET = N_("Problems")
# The Problems sheet's headers, one per field of a problem (``PROBLEM_FIELDS``).
PROBLEM_HEADERS = {
    "severity": N_("Severity"),
    "sheet": N_("Sheet"),
    "row": N_("Row"),
    "column": N_("Column"),
    "cell": N_("Cell"),
    "value": N_("Value"),
    "expected": N_("Expected"),
    "message": N_("Message"),
}
SHEET_NAME_LENGTH = 31
# Workbooks marked in a copy of themselves (openpyxl writes these formats).
ORIGINAL_FORMATS = frozenset({FileFormat.XLSX, FileFormat.XLSM})
# Above this many data rows a workbook is written anew (constant memory) rather than copied:
# openpyxl holds every cell of a copy in memory and is slow: 20,000 rows took 11 s to copy
# and mark against 3 s to write anew, while a month's sheet has tens or hundreds of rows.
ORIGINAL_LAYOUT_MAX_ROWS = 5_000


def annotated_workbook(data: bytes, report: DryRunReport) -> bytes:
    """The uploaded sheets as .xlsx with problem cells coloured and commented, plus a Problems
    sheet: a marked copy of an Excel workbook (its layout kept), else a new workbook.

    Args:
        data: the uploaded bytes the report was made from.
        report: its dry-run (or commit) report.

    Raises:
        UnreadableFileError: ``data`` cannot be read (it is not the file of ``report``).
    """
    if report.file_format in ORIGINAL_FORMATS and report.rows <= ORIGINAL_LAYOUT_MAX_ROWS:
        marks = {part.sheet: _marks(report, part.sheet) for part in report.sheets}
        try:
            return run_isolated(_marked_copy, data, marks, problems_sheet_rows(report))
        except UnreadableFileError:
            pass  # openpyxl cannot keep this workbook: the values, written anew, still can be
    return _rewritten(data, report)


def _rewritten(data: bytes, report: DryRunReport) -> bytes:
    """The sheets of ``report`` written anew from the values read, problems marked."""
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
    _problems_sheet(workbook, problems_sheet_rows(report), written, formats)
    workbook.close()
    return output.getvalue()


@refused_when_a_reader_fails  # whatever openpyxl cannot keep: the workbook is written anew
def _marked_copy(
    data: bytes,
    marks: dict[str, dict[tuple[int, int], tuple[Severity, str]]],
    problems: ProblemsSheet,
) -> bytes:
    """``data`` (an Excel workbook) with ``marks`` coloured and commented and a Problems sheet
    added; everything else as the manager left it. Run in a child process.

    Cells are given a fill and a comment only: their values and types stay as they are, so
    text reading ``=cmd|...`` stays text.
    """
    with warnings.catch_warnings():  # openpyxl warns of extensions it drops; nothing to do
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(io.BytesIO(data), keep_links=False)
    fills = {
        severity: PatternFill(fill_type="solid", fgColor=colour.lstrip("#"))
        for severity, colour in ((Severity.ERROR, ERROR_FILL), (Severity.WARNING, WARNING_FILL))
    }
    comments = 0
    for sheet_name, sheet_marks in marks.items():
        sheet = workbook[sheet_name]
        for (row, column), (severity, text) in sorted(sheet_marks.items()):
            cell = sheet.cell(row=row + 1, column=column + 1)
            cell.fill = fills[severity]
            if comments < MAX_COMMENTS:
                cell.comment = Comment(text, "Skills Roadmap", width=300, height=110)
                comments += 1
    taken = [name.lower() for name in workbook.sheetnames]
    sheet = workbook.create_sheet(_problems_sheet_name(taken))
    bold = Font(bold=True)
    for row_index, values in enumerate(problems.rows, start=1):
        sheet.append(values)
        if row_index - 1 in problems.bold_rows:
            for cell in sheet[row_index]:
                cell.font = bold
    if problems.freeze:
        sheet.freeze_panes = "A2"
    top = problems.header_row + 1
    sheet.auto_filter.ref = f"A{top}:{get_column_letter(len(PROBLEM_FIELDS))}{len(problems.rows)}"
    for index in range(len(PROBLEM_FIELDS)):
        sheet.column_dimensions[get_column_letter(index + 1)].width = 12 if index < 5 else 40
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _marks(report: DryRunReport, sheet: str) -> dict[tuple[int, int], tuple[Severity, str]]:
    """Per cell of ``sheet`` (0-based row, column): the worst severity and all its messages."""
    marks: dict[tuple[int, int], tuple[Severity, str]] = {}
    for record in report.problems.itertuples(index=False):
        if not record.cell or (len(report.sheets) > 1 and record.sheet != sheet):
            continue
        position = cell_position(str(record.cell))
        severity = Severity(str(record.severity))
        line = _(
            "{severity}: {message}; expected {expected}",
            severity=_(severity.value),
            message=record.message,
            expected=record.expected,
        )
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


@dataclass(frozen=True)
class ProblemsSheet:
    """What the Problems sheet holds, whichever library writes it.

    Attributes:
        rows: the cell values, row by row: when problems are left out, a note and the count
            per rule first; then the header and one row per problem listed, errors first.
        bold_rows: the 0-based rows written bold (the note, the headers).
        header_row: the 0-based row of the problems' header.
        freeze: whether to freeze the header (not below a note: it would fill the screen).
    """

    rows: list[list[object]]
    bold_rows: frozenset[int]
    header_row: int
    freeze: bool


def problems_sheet_rows(report: DryRunReport) -> ProblemsSheet:
    """The Problems sheet of ``report``: the problems listed, errors first, and when some are
    left out, a note saying how many and the count per rule above them."""
    rows: list[list[object]] = []
    if report.not_listed:
        listed, total = len(report.problems), report.error_count + report.warning_count
        note = ngettext(
            "{count:,} more problem is not listed or marked: these are the first {listed:,} of "
            "{total:,} (errors first). Fix them and upload the file again to see the rest.",
            "{count:,} more problems are not listed or marked: these are the first {listed:,} "
            "of {total:,} (errors first). Fix them and upload the file again to see the rest.",
            report.not_listed,
        )
        rows += [
            [Message(note).format(count=report.not_listed, listed=listed, total=total)],
            [],
            [_("Severity"), _("Column"), _("Rule"), _("Count")],
            *(
                list[object]([_(count.severity.value), count.where, count.rule, count.count])
                for count in report.problem_counts
            ),
            [],
        ]
    header_row = len(rows)
    rows.append([_(PROBLEM_HEADERS[field]) for field in PROBLEM_FIELDS])
    problems = report.problems
    errors_first = problems.iloc[
        np.argsort(problems["severity"].to_numpy() != Severity.ERROR.value, kind="stable")
    ]
    row_field = PROBLEM_FIELDS.index("row")
    severity_field = PROBLEM_FIELDS.index("severity")
    rows += [
        [
            int(value)
            if index == row_field
            else _(str(value))
            if index == severity_field
            else str(value)
            for index, value in enumerate(record)
        ]
        for record in errors_first[list(PROBLEM_FIELDS)].itertuples(index=False, name=None)
    ]
    bold = {header_row, 0, 2} if report.not_listed else {header_row}
    return ProblemsSheet(rows, frozenset(bold), header_row, freeze=not report.not_listed)


def _problems_sheet_name(taken: list[str]) -> str:
    name = _(PROBLEMS_SHEET)
    return name if name.lower() not in taken else _("Problems list")


def _problems_sheet(
    workbook: xlsxwriter.Workbook, problems: ProblemsSheet, taken: list[str], formats: _Formats
) -> None:
    sheet = workbook.add_worksheet(_problems_sheet_name(taken))
    for row_index, values in enumerate(problems.rows):
        style = formats.bold if row_index in problems.bold_rows else None
        for column_index, value in enumerate(values):
            _write(sheet, row_index, column_index, value, style)
    if problems.freeze:
        sheet.freeze_panes(1, 0)
    last = problems.header_row + max(len(problems.rows) - problems.header_row - 1, 1)
    sheet.autofilter(problems.header_row, 0, last, len(PROBLEM_FIELDS) - 1)
    sheet.set_column(0, 4, 12)
    sheet.set_column(5, 7, 40)
