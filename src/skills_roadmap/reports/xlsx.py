"""Excel export: a formatted workbook with a Summary sheet, one sheet per table and Notes.

Summary: the executive summary, the data's as-of month and last upload, the filters, the
attainment per level with status words and forecast, and a native chart of people trained
against expected and target. Data sheets: real number, percent and date formats, frozen
header row and first column, an autofilter, fitting column widths and status colours.
Progress longer than Excel's 1,048,576 rows continues on "Progress (2)" and so on.

Every text cell is a typed text cell carrying Excel's quote prefix (what a leading
apostrophe does when typing), so user text is never a formula, even after editing.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from typing import IO, Any

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from skills_roadmap import palette
from skills_roadmap.analysis.status import Status
from skills_roadmap.i18n import gettext
from skills_roadmap.reports.cells import excel_serial, is_missing, period_serial
from skills_roadmap.reports.columns import Column, Kind, ReportTable, documentation, readable
from skills_roadmap.reports.data import ReportContent
from skills_roadmap.reports.sheetdata import MAX_ROWS, SheetRows, splice_rows
from skills_roadmap.reports.tracking import Tracker, part

WORKBOOK_OPTIONS = {
    "in_memory": True,
    # Belt and braces: cells are written with typed calls, but no text is ever re-typed.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
NUMBER_FORMATS = {
    Kind.COUNT: "#,##0",
    Kind.NUMBER: "#,##0.0",
    # Positive: behind the trajectory; negative: ahead (shown without its sign).
    Kind.POINTS: '0.0" behind";0.0" ahead";"on the trajectory"',
    Kind.EUR: '"€"#,##0',
    Kind.SHARE: "0.0%",
    Kind.YEAR: "0",
    Kind.PERIOD: "yyyy-mm",
    Kind.DATE: "yyyy-mm-dd",
    Kind.DATETIME: "yyyy-mm-dd hh:mm",
}
WIDTHS = {
    Kind.COUNT: 11,
    Kind.NUMBER: 11,
    Kind.POINTS: 13,
    Kind.EUR: 14,
    Kind.SHARE: 10,
    Kind.YEAR: 8,
    Kind.PERIOD: 9,
    Kind.DATE: 11,
    Kind.DATETIME: 17,
    Kind.STATUS: 11,
    Kind.FLAG: 8,
}
MAX_WIDTH = 60
SUMMARY_SPAN = 13  # columns the executive summary's sentences are merged across
CHARS_PER_LINE = 150  # of a merged summary row, for its height
LABEL_WIDTH = 16  # the Data and Filters blocks' labels and values share the first two columns
REGION_CHART_LIMIT = 60  # more regions than this make an unreadable chart
A4 = 9  # Excel's paper size code
SHEET_NAME_LENGTH = 31  # Excel's limit
SHEET_NAME_REFUSED = re.compile(r"[\[\]:*?/\\]")
PORTRAIT_WIDTH = 100  # characters of column width an A4 page holds upright; wider: landscape


class Styles:
    """The workbook's cell formats, created once."""

    def __init__(self, workbook: Workbook) -> None:
        add = workbook.add_format
        self.title = add({"bold": True, "font_size": 16})
        self.heading = add({"bold": True, "font_size": 12})
        self.label = add({"bold": True})
        self.header = add(
            {"bold": True, "bg_color": palette.HEADER_FILL, "bottom": 1, "valign": "top"}
        )
        self.text = add({"quote_prefix": True})
        self.sentence = add({"quote_prefix": True, "text_wrap": True, "valign": "top"})
        self.kinds: dict[Kind, Format] = {
            kind: add({"num_format": NUMBER_FORMATS[kind]}) for kind in NUMBER_FORMATS
        }
        self.kinds[Kind.TEXT] = self.kinds[Kind.STATUS] = self.text
        self.kinds[Kind.FLAG] = add({})
        self.status = {
            status: add({"bg_color": tint, "font_color": palette.STATUS_TEXT_COLOURS[status]})
            for status, tint in palette.STATUS_TINTS.items()
        }


def print_setup(sheet: Worksheet, title: str, width: float, *, one_page: bool = False) -> None:
    """Print ``sheet`` on A4, one page wide (landscape when its columns are wider than an
    upright page), its header row on every page and the report's title and page numbers in
    the margins; ``one_page`` fits it on a single page (the Summary)."""
    sheet.set_paper(A4)
    if width > PORTRAIT_WIDTH:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 1 if one_page else 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_header(f"&L{title.replace('&', '&&')}&R&A")
    pages = gettext("Page {page} of {pages}").replace("&", "&&")
    sheet.set_footer("&R" + pages.format(page="&P", pages="&N"))
    if not one_page:
        sheet.repeat_rows(0)


def sheet_name(title: str, suffix: str = "") -> str:
    """``title`` as an Excel sheet name: without the characters Excel refuses in one, and cut
    to its 31 characters (``suffix`` kept), as a translated title may be longer.

    >>> sheet_name("Progress", " (2)"), sheet_name("Objetivos: revisiones [a/b]")
    ('Progress (2)', 'Objetivos revisiones ab')
    """
    cleaned = SHEET_NAME_REFUSED.sub("", title).strip("'")
    return cleaned[: SHEET_NAME_LENGTH - len(suffix)].rstrip() + suffix


def column_width(column: Column, values: pd.Series) -> float:
    """Wide enough for the header and (for text) the longest value, at most ``MAX_WIDTH``."""
    width = WIDTHS.get(column.kind, 8)
    if column.kind is Kind.TEXT and len(values):
        distinct = pd.Series(pd.unique(values.dropna()), dtype=object).astype(str)
        width = max(width, int(distinct.str.len().max()) if len(distinct) else 0)
    return min(max(width, len(column.header)) + 2, MAX_WIDTH)


def _status_colours(sheet: Worksheet, styles: Styles, rows: tuple[int, int], col: int) -> None:
    """Colour status cells by their words; the words stay, colour only reinforces them."""
    first, last = rows
    if last < first:
        return
    for status, style in styles.status.items():
        sheet.conditional_format(
            first,
            col,
            last,
            col,
            {
                "type": "cell",
                "criteria": "==",
                "value": f'"{Status(status).label}"',
                "format": style,
            },
        )


def write_cell(
    sheet: Worksheet, row: int, col: int, value: Any, kind: Kind, styles: Styles
) -> None:
    """One cell written with its typed call; a blank stays blank."""
    if is_missing(value):
        return
    style = styles.kinds[kind]
    if kind is Kind.TEXT:
        sheet.write_string(row, col, str(value), style)
    elif kind is Kind.STATUS:
        sheet.write_string(row, col, Status(value).label, style)
    elif kind is Kind.FLAG:
        sheet.write_boolean(row, col, bool(value), style)
    elif kind is Kind.PERIOD:
        sheet.write_number(row, col, period_serial(value), style)
    elif kind in (Kind.DATE, Kind.DATETIME):
        sheet.write_number(row, col, excel_serial(value), style)
    else:
        sheet.write_number(row, col, float(value), style)


def write_table(sheet: Worksheet, styles: Styles, first_row: int, table: ReportTable) -> int:
    """A small table with its header at ``first_row``, written cell by cell (codes in words,
    :func:`~skills_roadmap.reports.columns.readable`); the next free row."""
    table = readable(table)
    for col, column in enumerate(table.columns):
        sheet.write_string(first_row, col, column.header, styles.header)
    for offset, values in enumerate(table.frame.itertuples(index=False), start=1):
        for col, (column, value) in enumerate(zip(table.columns, values, strict=True)):
            write_cell(sheet, first_row + offset, col, value, column.kind, styles)
    for col, column in enumerate(table.columns):
        if column.kind is Kind.STATUS:
            _status_colours(sheet, styles, (first_row + 1, first_row + len(table.frame)), col)
    return first_row + len(table.frame) + 1


def _label_rows(
    sheet: Worksheet, styles: Styles, row: int, title: str, lines: tuple[tuple[str, str], ...]
) -> int:
    sheet.write_string(row, 0, title, styles.heading)
    for offset, (label, value) in enumerate(lines, start=1):
        sheet.write_string(row + offset, 0, gettext(label), styles.label)
        sheet.write_string(row + offset, 1, value, styles.text)
    return row + len(lines) + 2


def _levels_chart(
    workbook: Workbook, sheet: Worksheet, header_row: int, table: ReportTable
) -> None:
    """Columns of attainment and expected attainment per level, as % of the target (in
    people, the basic level would flatten the others)."""
    if table.frame.empty:
        return
    keys = [column.key for column in table.columns]
    first, last = header_row + 1, header_row + len(table.frame)
    level = keys.index("level")
    chart = workbook.add_chart({"type": "column"})
    colours = {
        "attainment": palette.LEVEL_COLOURS["intermediate"],
        "expected_attainment": palette.TRAJECTORY,
    }
    for key, colour in colours.items():
        col = keys.index(key)
        chart.add_series(
            {
                "name": [sheet.name, header_row, col],
                "categories": [sheet.name, first, level, last, level],
                "values": [sheet.name, first, col, last, col],
                "fill": {"color": colour},
            }
        )
    chart.set_title({"name": gettext("Attainment of the target per level")})
    chart.set_y_axis({"num_format": "0%", "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    sheet.insert_chart(last + 2, 0, chart, {"x_scale": 1.6, "y_scale": 1.3})


def summary_sheet(workbook: Workbook, styles: Styles, content: ReportContent) -> None:
    """The Summary sheet: executive summary, data dates, filters, attainment per level, chart."""
    sheet = workbook.add_worksheet(sheet_name(gettext("Summary")))
    sheet.hide_gridlines(2)
    widths = [
        max(column_width(column, content.levels.frame[column.key]), LABEL_WIDTH if col < 2 else 0)
        for col, column in enumerate(content.levels.columns)
    ]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    print_setup(sheet, content.title, sum(widths), one_page=True)
    sheet.write_string(0, 0, content.title, styles.title)
    sheet.write_string(2, 0, gettext("Executive summary"), styles.heading)
    row = 3
    for sentence in content.summary:
        sheet.merge_range(row, 0, row, SUMMARY_SPAN, sentence, styles.sentence)
        sheet.set_row(row, 15 * math.ceil(len(sentence) / CHARS_PER_LINE))
        row += 1
    row = _label_rows(sheet, styles, row + 1, gettext("Data"), content.facts)
    row = _label_rows(sheet, styles, row, gettext("Filters"), content.filter_lines)
    sheet.write_string(row, 0, gettext("Attainment per level"), styles.heading)
    write_table(sheet, styles, row + 1, content.levels)
    _levels_chart(workbook, sheet, row + 1, content.levels)


def _regions_chart(workbook: Workbook, sheet: Worksheet, table: ReportTable) -> None:
    """Bars of attainment per region and level, beside the table."""
    count = len(table.frame)
    if not 0 < count <= REGION_CHART_LIMIT:
        return
    keys = [column.key for column in table.columns]
    name = keys.index("name")
    shown = {
        level: colour
        for level, colour in palette.LEVEL_COLOURS.items()
        if table.frame[f"{level}_attainment"].notna().any()
    }
    if not shown:
        return  # no target in the selection: a chart without series is not a valid workbook
    chart = workbook.add_chart({"type": "bar"})
    for level, colour in shown.items():
        col = keys.index(f"{level}_attainment")
        chart.add_series(
            {
                "name": [sheet.name, 0, col],
                "categories": [sheet.name, 1, name, count, name],
                "values": [sheet.name, 1, col, count, col],
                "fill": {"color": colour},
            }
        )
    chart.set_title({"name": gettext("Attainment of the target per region and level")})
    chart.set_x_axis({"num_format": "0%", "major_gridlines": {"visible": True}})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    sheet.insert_chart(1, len(keys) + 1, chart, {"x_scale": 1.5, "y_scale": max(1.0, count / 12)})


def data_sheets(
    workbook: Workbook, styles: Styles, table: ReportTable, title: str = ""
) -> list[SheetRows]:
    """The header-only sheets of a table (several when it exceeds Excel's rows per sheet);
    its rows, codes in words (:func:`~skills_roadmap.reports.columns.readable`), are spliced
    in later."""
    table = readable(table)
    rows_per_sheet = MAX_ROWS - 1
    count = len(table.frame)
    widths = [column_width(column, table.frame[column.key]) for column in table.columns]
    formats = [styles.kinds[column.kind] for column in table.columns]
    pieces = []
    for number, start in enumerate(range(0, max(count, 1), rows_per_sheet), start=1):
        stop = min(start + rows_per_sheet, count)
        name = sheet_name(table.title, "" if number == 1 else f" ({number})")
        sheet = workbook.add_worksheet(name)
        for col, column in enumerate(table.columns):
            sheet.write_string(0, col, column.header, styles.header)
            sheet.set_column(col, col, widths[col], formats[col])
            if column.kind is Kind.STATUS:
                _status_colours(sheet, styles, (1, stop - start), col)
        sheet.freeze_panes(1, 1)
        sheet.autofilter(0, 0, stop - start, len(table.columns) - 1)
        print_setup(sheet, title, sum(widths))
        pieces.append(SheetRows(name, table, start, stop, formats))
        if table.key == "regions" and number == 1:
            _regions_chart(workbook, sheet, table)
    return pieces


def notes_sheet(workbook: Workbook, styles: Styles, content: ReportContent) -> None:
    """Definitions and the data dictionary: what every column of every sheet means."""
    sheet = workbook.add_worksheet(sheet_name(gettext("Notes")))
    dictionary = documentation(content.documented_tables)
    widths = [
        min(column_width(column, dictionary.frame[column.key]), 90 if col == 4 else 30)
        for col, column in enumerate(dictionary.columns)
    ]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    print_setup(sheet, content.title, sum(widths))
    sheet.write_string(0, 0, gettext("Definitions"), styles.heading)
    row = 1
    for term, text in content.definitions:
        sheet.write_string(row, 0, gettext(term), styles.label)
        sheet.merge_range(row, 1, row, 4, text, styles.sentence)
        sheet.set_row(row, 15 * math.ceil(len(text) / 110))
        row += 1
    sheet.write_string(row + 1, 0, gettext("Columns"), styles.heading)
    write_table(sheet, styles, row + 2, dictionary)


@dataclass(frozen=True)
class _Skeleton:
    data: bytes
    sheets: list[SheetRows]


def _skeleton(content: ReportContent) -> _Skeleton:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    workbook.set_properties(
        {
            "title": content.title,
            "subject": gettext("Skills Roadmap report"),
            "comments": content.facts[0][1],
        }
    )
    styles = Styles(workbook)
    summary_sheet(workbook, styles, content)
    sheets = [
        piece
        for table in content.tables
        for piece in data_sheets(workbook, styles, table, content.title)
    ]
    notes_sheet(workbook, styles, content)
    workbook.close()
    return _Skeleton(buffer.getvalue(), sheets)


def write_xlsx(content: ReportContent, target: IO[bytes], tracker: Tracker | None = None) -> None:
    """The report as an Excel workbook (.xlsx) written to ``target``."""
    skeleton = _skeleton(content)
    part(tracker, 0.0, 0.05)(1.0)
    splice_rows(skeleton.data, target, skeleton.sheets, part(tracker, 0.05, 1.0))
