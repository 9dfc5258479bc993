"""A sheet's declared size, checked before any reader allocates it.

python-calamine turns a sheet into a dense grid from its first to its last cell, so a 1.5 KB
.xlsx whose only cells are ``A1`` and ``XFD1048576`` asks for 549 GB, and an 836-byte .ods
whose content row repeats 200,000 times 100 columns wide asks for 20 million cells. The
declared extent is read here, from the raw file, with a few fast passes over the bytes:

- .xlsx / .xlsm: the cell references of the worksheet that will be read (its ``<dimension>``
  is ignored: calamine does not trust it either), and the shared-string count calamine
  reserves room for when the workbook opens;
- .ods: the ``number-rows-repeated`` and ``number-columns-repeated`` attributes of rows and
  cells holding content, or lying before content (the empty rows and columns LibreOffice
  repeats to the end of every sheet are not content and are accepted);
- .xls: the DIMENSIONS record of every sheet (calamine reserves rows × columns for each sheet
  when the workbook opens), found through the BOUNDSHEET offsets, not by walking cells.

Whatever these passes cannot see (a sheet that is wide and long without repeats, say) costs
bytes in the upload and is bounded by the parse's memory limit (``ingest.isolation``).
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass

import olefile

from skills_roadmap.exceptions import UnreadableFileError
from skills_roadmap.fields import SHEETS
from skills_roadmap.i18n.words import _
from skills_roadmap.ingest.contract import HEADER_SEARCH_ROWS
from skills_roadmap.ingest.formulas import PREFIXED_ROOT, PROLOG_BYTES, column_letter
from skills_roadmap.ingest.shown import shown

# A sheet wider than this is refused before its cells are loaded: nobody reports progress in
# column CZ, but a stray value there would make every row 100 cells wide in memory.
MAX_COLUMNS = 100
# The widest sheet contract (the progress sheet with its optional ESF+ bands), and a few more
# columns for the manager's own notes. A sheet may span at most (row cap) × this many cells:
# about 160 bytes a cell once read, some 930 MB at the 200,000-row cap.
OWN_COLUMNS = 7
CELLS_PER_ROW = max(len(fields) for fields in SHEETS) + OWN_COLUMNS
# The formats' own limits (.xlsx and .ods: 1,048,576 × 16,384; .xls BIFF8: 65,536 × 256).
XLS_MAX_ROWS = 65_536
XLS_MAX_COLUMNS = 256
# A shared string needs at least "<si/>" in the XML.
SHARED_STRING_MIN_BYTES = 5


@dataclass(frozen=True)
class Extent:
    """How far a sheet may reach: rows (header search rows included), columns, and cells."""

    rows: int
    columns: int = MAX_COLUMNS

    @classmethod
    def for_rows(cls, row_cap: int) -> Extent:
        """The extent of a sheet with at most ``row_cap`` data rows (``upload_max_rows``)."""
        return cls(rows=row_cap + HEADER_SEARCH_ROWS)

    @property
    def cells(self) -> int:
        return self.rows * CELLS_PER_ROW


def too_wide(sheet: str, columns: int) -> UnreadableFileError:
    """The error for a sheet holding values right of column ``MAX_COLUMNS``."""
    return UnreadableFileError(
        _(
            "sheet '{sheet}' has values as far right as column {letter} (column {column:,}); at "
            "most {most} columns are read: delete the unused columns on the right",
            sheet=shown(sheet),
            letter=column_letter(columns - 1),
            column=columns,
            most=MAX_COLUMNS,
        )
    )


def too_long(sheet: str, rows: int, extent: Extent) -> UnreadableFileError:
    """The error for a sheet holding a value below the last row one upload may hold."""
    return UnreadableFileError(
        _(
            "sheet '{sheet}' has more than {most:,} data rows, the most one upload may hold (it "
            "has values down to row {row:,}): delete the rows below your data, or split it into "
            "several files",
            sheet=shown(sheet),
            most=extent.rows - HEADER_SEARCH_ROWS,
            row=rows,
        )
    )


def too_many_cells(sheet: str, rows: int, columns: int, extent: Extent) -> UnreadableFileError:
    """The error for a sheet whose rows × columns exceed ``Extent.cells``."""
    return UnreadableFileError(
        _(
            "sheet '{sheet}' spans {rows:,} rows × {columns:,} columns ({cells:,} cells), more "
            "than the {most:,} cells one upload may hold: delete the columns you do not need and "
            "the rows below your data, or split the file",
            sheet=shown(sheet),
            rows=rows,
            columns=columns,
            cells=rows * columns,
            most=extent.cells,
        )
    )


def check_span(sheet: str, rows: int, columns: int, extent: Extent) -> None:
    """Refuse a sheet reaching row ``rows`` and column ``columns`` (1-based) beyond ``extent``.

    Raises:
        UnreadableFileError: too wide, too long, or too many cells; the message says what to
            delete.
    """
    if columns > extent.columns:
        raise too_wide(sheet, columns)
    if rows > extent.rows:
        raise too_long(sheet, rows, extent)
    if rows * columns > extent.cells:
        raise too_many_cells(sheet, rows, columns, extent)


# ---------------------------------------------------------------------------------------------
# .xlsx and .xlsm


def _greater_number(limit: int) -> bytes:
    """A regex matching a decimal number (no leading zero) greater than ``limit``, ended by a
    quote when it has as many digits as ``limit``.

    >>> re.fullmatch(_greater_number(2000), b'2001"') is not None
    True
    >>> re.fullmatch(_greater_number(2000), b'1999"') is None
    True
    """
    digits = str(limit)
    size = len(digits)
    alternatives = [rb"[1-9]\d{%d}" % size]
    for index, digit in enumerate(digits):
        if digit != "9":
            rest = size - index - 1
            alternatives.append(
                digits[:index].encode()
                + b"[%d-9]" % (int(digit) + 1)
                + (rb"\d{%d}" % rest if rest else b"")
                + b"[\"']"
            )
    return b"(?:" + b"|".join(alternatives) + b")"


def _greater_column(limit: int) -> bytes:
    """A regex matching the upper-case letters of a column after column ``limit`` (1-based).

    >>> re.match(_greater_column(100), b"CW") is not None, re.match(_greater_column(100), b"CV")
    (True, None)
    """
    letters = column_letter(limit - 1)
    alternatives = [rb"[A-Z]{%d}" % (len(letters) + 1)]
    for index, letter in enumerate(letters):
        if letter != "Z":
            rest = len(letters) - index - 1
            alternatives.append(
                letters[:index].encode()
                + b"[%c-Z]" % (ord(letter) + 1)
                + (rb"[A-Z]{%d}" % rest if rest else b"")
            )
    return b"(?:" + b"|".join(alternatives) + b")"


REFERENCE = re.compile(rb"([A-Za-z]{1,3})(\d{1,10})")
# The last value cells searched for from the end of a sheet, before the slow exact path.
LAST_CELL_TRIES = 1_000


@dataclass(frozen=True)
class _CellTags:
    """The spellings of a worksheet's cell and row elements (``<c``, or ``<x:c`` when the
    writer gave the spreadsheet namespace a prefix)."""

    prefix: bytes

    @classmethod
    def of(cls, xml: bytes) -> _CellTags:
        prefixed = PREFIXED_ROOT.search(xml[:PROLOG_BYTES])
        return cls(prefixed.group(1) + b":" if prefixed else b"")

    @property
    def cell(self) -> bytes:
        """How a cell written the usual way starts: ``<c r="``, its reference first."""
        return b"<" + self.prefix + b'c r="'

    def suspicious(self, rows: int, columns: int) -> re.Pattern[bytes]:
        """Cells worth a look: referenced beyond row ``rows`` or column ``columns``, or not
        written the usual way (no reference first, lower case, leading zeros, odd spacing)."""
        tag = b"<" + re.escape(self.prefix) + b"c"
        # The usual cell first, and its letters taken once (possessive): the pass tries this
        # pattern at every cell of the sheet.
        return re.compile(
            tag
            + rb" (?:r=\"(?:[A-Z]{1,3}+(?:0|"
            + _greater_number(rows)
            + b")|"
            + _greater_column(columns)
            + rb"|[a-z])|(?!r=\"))|"
            + tag
            + rb"[>\t\n\r]"
        )

    def tokens(self) -> re.Pattern[bytes]:
        """Every row and cell element: closing slash, name, attributes, self-closing slash."""
        return re.compile(rb"<(/?)" + re.escape(self.prefix) + rb"(row|c)(?=[\s/>])([^>]*?)(/?)>")


def _holds_value(xml: bytes, start: int, tags: _CellTags) -> bool:
    """Whether the cell element starting at ``start`` holds a value (calamine skips the rest):
    it is not self-closing and has a ``<v>`` or ``<is>`` child."""
    end = xml.find(b">", start)
    if end < 0 or xml[end - 1 : end] == b"/":
        return False
    close = xml.find(b"</" + tags.prefix + b"c>", end)
    body = xml[end + 1 : close if close >= 0 else len(xml)]
    return b"<" + tags.prefix + b"v" in body or b"<" + tags.prefix + b"is" in body


def _position(reference: bytes) -> tuple[int, int] | None:
    """1-based (row, column) of a reference such as ``XFD1048576``; None when malformed."""
    match = REFERENCE.fullmatch(reference)
    if not match:
        return None
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + letter - 64
    return int(match.group(2)), column


def _last_value_row(xml: bytes, tags: _CellTags) -> int | None:
    """The row of the last cell holding a value, searched from the end; None when the search
    gives up (thousands of formatted empty cells at the end) or finds no cell at all."""
    end = len(xml)
    for _try in range(LAST_CELL_TRIES):
        start = xml.rfind(tags.cell, 0, end)
        if start < 0:
            return None
        quote = xml.find(b'"', start + len(tags.cell))
        position = _position(xml[start + len(tags.cell) : quote])
        if position is not None and _holds_value(xml, start, tags):
            return position[0]
        end = start
    return None


def _exact_span(xml: bytes, tags: _CellTags) -> tuple[int, int]:
    """The last row and column (1-based) of the cells holding values, as calamine places them:
    a cell without a reference follows the previous cell of its row, a row without a number
    follows the previous row. One step per element: only for sheets written unusually."""
    row = column = 0  # 0-based, as calamine counts
    last_row = last_column = 0
    for match in tags.tokens().finditer(xml):
        closing, name, attributes, self_closing = match.groups()
        if name == b"row":
            if closing:
                row, column = row + 1, 0
            elif not self_closing:
                number = re.search(rb"\br\s*=\s*[\"'][A-Za-z]*(\d+)", attributes)
                if number:
                    row = int(number.group(1)) - 1
            continue
        if closing or self_closing:
            continue
        reference = re.search(rb"\br\s*=\s*[\"']([A-Za-z]*\d+)", attributes)
        position = _position(reference.group(1)) if reference else None
        cell_row, cell_column = (position[0] - 1, position[1] - 1) if position else (row, column)
        column = cell_column + 1
        if _holds_value(xml, match.start(), tags):
            last_row = max(last_row, cell_row + 1)
            last_column = max(last_column, cell_column + 1)
    return last_row, last_column


def check_worksheet(xml: bytes, sheet: str, extent: Extent) -> None:
    """Refuse worksheet XML whose cells reach beyond ``extent`` (see ``check_span``).

    The usual sheet (every cell written ``<c r="A1" ...>``, rows in order) costs one regex pass:
    the row of its last value cell is read from the end, then one search looks for any cell
    further down, or further right than that many rows leave room for. Anything unusual falls
    back to placing every cell as calamine would.

    Raises:
        UnreadableFileError: the sheet reaches too far.
    """
    tags = _CellTags.of(xml)
    last_row = _last_value_row(xml, tags)
    if last_row is not None:
        if last_row > extent.rows:
            raise too_long(sheet, last_row, extent)
        columns = min(extent.columns, extent.cells // max(last_row, 1))
        if not _suspicious_cells(xml, tags, sheet, extent, last_row, columns):
            return
    rows, columns = _exact_span(xml, tags)
    check_span(sheet, rows, columns, extent)


def _suspicious_cells(
    xml: bytes, tags: _CellTags, sheet: str, extent: Extent, rows: int, columns: int
) -> bool:
    """Look for value cells below row ``rows`` (the last value cell's) or right of column
    ``columns`` (as far as ``rows`` rows leave room for); refuse one that proves the sheet too
    big, and say (True) when the sheet needs the exact pass instead."""
    for match in tags.suspicious(rows, columns).finditer(xml):
        start = match.start()
        if not xml.startswith(tags.cell, start):
            return True  # not written the usual way
        quote = xml.find(b'"', start + len(tags.cell))
        position = _position(xml[start + len(tags.cell) : quote])
        if position is None:
            return True
        if not _holds_value(xml, start, tags):
            continue
        row, column = position
        if column > extent.columns:
            raise too_wide(sheet, column)
        if row > extent.rows:
            raise too_long(sheet, row, extent)
        if row > rows:
            return True  # rows out of order: count exactly
        raise too_many_cells(sheet, rows, column, extent)
    return False


SST_ROOT = re.compile(rb"<(?:[\w.-]+:)?sst\b[^>]*?\buniqueCount\s*=\s*[\"'](\d+)")


def check_shared_strings(xml_head: bytes, part_size: int) -> None:
    """Refuse a shared-string table declaring more strings than its XML can hold.

    calamine reserves room for ``uniqueCount`` strings when the workbook opens; a count of
    four billion in a 200-byte part aborts the process.

    Raises:
        UnreadableFileError: the declared count is impossible for the part's size.
    """
    declared = SST_ROOT.search(xml_head)
    if declared and int(declared.group(1)) > part_size // SHARED_STRING_MIN_BYTES + 1:
        raise UnreadableFileError(
            _(
                "the workbook declares {strings:,} shared strings in a {size:,}-byte part, which "
                "cannot be true (a damaged or forged file): open it in Excel or LibreOffice, save "
                "it again and upload the new file",
                strings=int(declared.group(1)),
                size=part_size,
            )
        )


# ---------------------------------------------------------------------------------------------
# .ods

# A repeat attribute of a row or cell, but not the empty cell LibreOffice repeats to the end of
# every row (``<table:table-cell table:number-columns-repeated="16374"/></table:table-row>``):
# the look-behind inside the look-ahead keeps the literal prefix, so the scan stays fast.
REPEAT = re.compile(
    rb'table:number-(rows|columns)-repeated="'
    rb'(?!(?<=<table:table-cell table:number-columns-repeated=")\d+"/></table:table-row>)'
    rb'(\d+)"(/></table:table-row>)?'
)
TABLE_START = b"<table:table "
TABLE_TAG = re.compile(rb"<table:table\s")
TABLE_NAME = re.compile(rb'[^>]*?table:name="([^"]*)"')
TABLE_END = b"</table:table>"
ROW_START = b"<table:table-row"
ROW_END = b"</table:table-row>"
CELL_STARTS = (b"<table:table-cell", b"<table:covered-table-cell")
CONTENT_MARKERS = (b"office:value-type=", b"table:formula=", b"<text:p")
# Where a sheet's content ends: typed cells, and text cells of writers that give no type.
LAST_CONTENT_MARKERS = (b"office:value-type=", b"<text:p")
CELL_TAG = re.compile(rb"<table:(?:covered-)?table-cell(?=[\s/>])([^>]*?)(/?)>")
CELL_REPEAT = re.compile(rb'table:number-columns-repeated="(\d+)"')
# A row gaining fewer columns than this from repeats is not placed cell by cell: a gap of a few
# blank cells is what LibreOffice writes for blank optional columns.
COLUMN_REPEATS_CHECKED = 20
# Fewer repeated rows than this do not make a sheet meaningfully longer than its XML.
ROW_REPEATS_COUNTED = 1_000


@dataclass
class _Table:
    """One ODS table: its name, where it starts, and where its last content is."""

    name: str
    start: int
    content_end: int


def _tables(xml: bytes) -> Iterator[_Table]:
    if any(TABLE_START[:-1] + space in xml for space in (b"\n", b"\t", b"\r")):
        starts = [match.start() for match in TABLE_TAG.finditer(xml)]  # written unusually
    else:
        starts, start = [], xml.find(TABLE_START)
        while start >= 0:
            starts.append(start)
            start = xml.find(TABLE_START, start + 1)
    for start in starts:
        named = TABLE_NAME.match(xml, start + len(TABLE_START))
        end = xml.find(TABLE_END, start)
        end = len(xml) if end < 0 else end
        content_end = max(xml.rfind(marker, start, end) for marker in LAST_CONTENT_MARKERS)
        if named and content_end >= 0:
            yield _Table(named.group(1).decode("utf-8", "replace"), named.end(), content_end)


def _row_width(xml: bytes, row_start: int) -> int:
    """Columns up to the last cell holding content in one row element, repeats counted."""
    row_end = xml.find(ROW_END, row_start)
    width = last = 0
    for match in CELL_TAG.finditer(xml, row_start, len(xml) if row_end < 0 else row_end):
        attributes, self_closing = match.groups()
        repeat = CELL_REPEAT.search(attributes)
        width += int(repeat.group(1)) if repeat else 1
        content = any(marker in attributes for marker in CONTENT_MARKERS[:2])
        if not content and not self_closing:
            content = CONTENT_MARKERS[2] in xml[match.end() : xml.find(b"</table:", match.end())]
        if content:
            last = width
    return last


def check_ods_content(xml: bytes, extent: Extent) -> None:
    """Refuse an .ods whose repeated rows or columns, holding content or lying before content,
    reach beyond ``extent`` in any sheet (calamine expands every sheet when the workbook opens).

    One pass over the repeat attributes up to each sheet's last content; the empty cells
    LibreOffice repeats to the end of every row and the empty rows it repeats to the end of
    every sheet are skipped. Rows that repeats make long or wide are then placed cell by cell.

    Raises:
        UnreadableFileError: a sheet reaches too far.
    """
    for table in _tables(xml):
        _check_table(xml, table, extent)


def _check_table(xml: bytes, table: _Table, extent: Extent) -> None:
    extra_rows = 0
    widened: dict[int, int] = {}  # row start -> columns added by repeats in that row
    for match in REPEAT.finditer(xml, table.start, table.content_end):
        position = match.start()
        count = int(match.group(2))
        tag_start = xml.rfind(b"<", table.start, position)
        if match.group(1) == b"rows":
            if count > 1 and xml.startswith(ROW_START, tag_start):
                extra_rows += count - 1
                widened[tag_start] = widened.get(tag_start, 0) + COLUMN_REPEATS_CHECKED
            continue
        if not xml.startswith(CELL_STARTS, tag_start):
            continue  # a <table:table-column> definition, not a cell
        if match.group(3) and not any(m in xml[tag_start:position] for m in CONTENT_MARKERS):
            continue  # a formatted empty cell repeated to the end of its row
        row_start = xml.rfind(ROW_START, table.start, position)
        widened[row_start] = widened.get(row_start, 0) + count - 1
    columns = 0
    for row_start, extra in sorted(widened.items()):
        if extra >= COLUMN_REPEATS_CHECKED:
            columns = max(columns, _row_width(xml, row_start))
            if columns > extent.columns:
                raise too_wide(table.name, columns)
    if extra_rows < ROW_REPEATS_COUNTED and columns <= CELLS_PER_ROW:
        return  # not made longer or wider than its XML: checked once read
    rows = extra_rows + sum(
        xml.count(ROW_START + end, table.start, table.content_end) for end in (b" ", b">")
    )
    check_span(table.name, rows, max(columns, 1), extent)


# ---------------------------------------------------------------------------------------------
# .xls

BOF = 0x0809
EOF_RECORD = 0x000A
BOUNDSHEET = 0x0085
DIMENSIONS = 0x0200
# DIMENSIONS comes within the first records of a sheet; a sheet without one is read as is.
SHEET_HEAD_RECORDS = 200


def _records(stream: bytes, offset: int) -> Iterator[tuple[int, int, bytes]]:
    """(offset, type, data) of the BIFF records from ``offset`` to the end of the stream."""
    while offset + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, offset)
        yield offset, kind, stream[offset + 4 : offset + 4 + size]
        offset += 4 + size


def _boundsheets(stream: bytes) -> list[tuple[int, str]]:
    """(stream offset, name) of every sheet, from the BOUNDSHEET records of the globals."""
    sheets = []
    for _offset, kind, data in _records(stream, 0):
        if kind == EOF_RECORD:
            break
        if kind == BOUNDSHEET and len(data) >= 8:
            (position,) = struct.unpack_from("<I", data)
            sheets.append((position, _sheet_name(data[6:])))
    return sheets


def _sheet_name(data: bytes) -> str:
    """A BOUNDSHEET name: a length, then (BIFF8) a flags byte and Latin-1 or UTF-16 text."""
    length = data[0]
    if len(data) >= 2 + length and data[1] in (0, 1):
        if data[1] == 1:
            return data[2 : 2 + 2 * length].decode("utf-16-le", "replace")
        return data[2 : 2 + length].decode("latin-1")
    return data[1 : 1 + length].decode("latin-1")


def _dimensions(stream: bytes, offset: int) -> tuple[int, int, int] | None:
    """(first row, rows, columns) of the DIMENSIONS record of the sheet at ``offset``."""
    for count, (_offset, kind, data) in enumerate(_records(stream, offset)):
        if kind == DIMENSIONS:
            if len(data) >= 14:  # BIFF8: 32-bit rows
                first, last, _first_column, last_column = struct.unpack_from("<IIHH", data)
            elif len(data) >= 10:  # BIFF5
                first, last, _first_column, last_column = struct.unpack_from("<HHHH", data)
            else:
                return None
            return first, last, last_column
        if kind == EOF_RECORD or count > SHEET_HEAD_RECORDS or (count and kind == BOF):
            return None
    return None


def check_xls(data: bytes, extent: Extent) -> None:
    """Refuse an .xls whose sheets declare (DIMENSIONS) more rows or columns than ``extent``,
    or more than the format holds (a forged file).

    Raises:
        UnreadableFileError: a sheet declares too much, or the stream cannot be found.
    """
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as container:
            name = next(n for n in ("Workbook", "Book") if container.exists(n))
            stream = container.openstream(name).read()
    except (OSError, StopIteration, ValueError, struct.error):
        return  # not readable here: the reader reports what is wrong with it
    for offset, sheet in _boundsheets(stream):
        declared = _dimensions(stream, offset)
        if declared is None:
            continue
        first, rows, columns = declared
        # calamine reserves (rows - first) × columns cells: a first row past the last wraps
        # around to four billion rows.
        if rows > XLS_MAX_ROWS or columns > XLS_MAX_COLUMNS or (rows and columns and first >= rows):
            raise UnreadableFileError(
                _(
                    "sheet '{sheet}' of the .xls workbook declares rows {first:,} to {last:,} and "
                    "{columns:,} columns, which an .xls file cannot hold (a damaged or forged "
                    "file): open it in Excel or LibreOffice, save it as .xlsx and upload that",
                    sheet=shown(sheet),
                    first=first + 1,
                    last=rows,
                    columns=columns,
                )
            )
        if columns > extent.columns or rows > extent.rows or rows * columns > extent.cells:
            raise UnreadableFileError(
                _(
                    "sheet '{sheet}' of the .xls workbook spans {rows:,} rows × {columns:,} "
                    "columns (formatting included), more than one upload may hold: delete the "
                    "unused rows and columns, or save the workbook as .xlsx and upload that",
                    sheet=shown(sheet),
                    rows=rows,
                    columns=columns,
                )
            )
