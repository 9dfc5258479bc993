"""Read .xlsx, .xlsm, .xlsb, .xls, .ods and .csv uploads into one shape: raw cells per contract
column.

Workbooks are read with python-calamine, which returns the values the spreadsheet program
saved: formulas are never evaluated and macros never run. CSV files are decoded as UTF-8
(with or without BOM) or Windows-1252 and split on ``,`` or ``;``. A sheet's declared size is
checked before calamine allocates it (``ingest.extent``), and ``read_sheet`` and ``sheet_rows``
run in a child process with memory and time limits (``ingest.isolation``).
"""

from __future__ import annotations

import csv
import functools
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ParamSpec, Protocol, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd
from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from skills_roadmap.exceptions import SkillsRoadmapError, UnreadableFileError
from skills_roadmap.fields import Field
from skills_roadmap.i18n import current_language, ngettext
from skills_roadmap.i18n.formats import Message
from skills_roadmap.i18n.words import _
from skills_roadmap.ingest.cells import NUMERIC_INFERRED
from skills_roadmap.ingest.contract import (
    CONTRACTS,
    HEADER_SEARCH_ROWS,
    NETWORK_CONTRACTS,
    PROGRESS,
    HeaderCell,
    SheetContract,
    SheetKind,
    find_header,
    normalise_header,
)
from skills_roadmap.ingest.extent import (
    MAX_COLUMNS,
    Extent,
    check_ods_content,
    check_shared_strings,
    check_worksheet,
    check_xls,
    too_wide,
)
from skills_roadmap.ingest.formulas import BrokenCell, broken_formula_cells
from skills_roadmap.ingest.guards import scan_zip
from skills_roadmap.ingest.isolation import RETRY, run_isolated
from skills_roadmap.ingest.package import SHARED_STRINGS, Package, normalised
from skills_roadmap.ingest.shown import one_line, shown
from skills_roadmap.ingest.sniff import (
    PASSWORD_HINT,
    FileFormat,
    check_size,
    decode_text,
    sniff_format,
)
from skills_roadmap.settings import get_settings

P = ParamSpec("P")
R = TypeVar("R")

OOXML = (FileFormat.XLSX, FileFormat.XLSM, FileFormat.XLSB)
SHEETS_NAMED = 10  # a message names this many sheets of a workbook at most
Rows = list[list[Any]]
ObjectArray = npt.NDArray[np.object_]


@dataclass(frozen=True)
class SheetInfo:
    """A sheet's name and whether a user can see it (hidden sheets are never imported)."""

    name: str
    visible: bool


class Workbook(Protocol):
    """Any readable upload: its sheets, and the cell values of one sheet."""

    file_format: FileFormat
    sheets: list[SheetInfo]

    def rows(self, name: str, row_cap: int) -> Rows:
        """The sheet's cells, refusing sheets with more than ``row_cap`` data rows."""
        ...

    def cells(self, name: str, row_cap: int) -> tuple[Rows, list[BrokenCell]]:
        """``rows``, and the cells whose saved value is missing or an error (formulas)."""
        ...


@dataclass(frozen=True)
class ParsedSheet:
    """One sheet of an upload, located and split into the contract's columns, not yet validated.

    Attributes:
        cells: the raw cell values (as the reader returned them) per contract column present,
            for the non-empty rows below the header.
        rows: the row number of each of those rows as the user sees it in the spreadsheet.
        broken: cells whose value cannot be used (formulas without a saved result).
    """

    file_format: FileFormat
    sheet: str
    contract: SheetContract
    header_row: int
    headers: dict[str, HeaderCell]
    cells: dict[str, ObjectArray]
    rows: npt.NDArray[np.int64]
    ignored: tuple[HeaderCell, ...]
    repeated: tuple[tuple[Field, HeaderCell], ...]
    broken: tuple[BrokenCell, ...]

    @property
    def kind(self) -> SheetKind:
        return self.contract.kind

    def __len__(self) -> int:
        return len(self.rows)

    def __getstate__(self) -> dict[str, Any]:
        # The sheet crosses a pipe from the child process that read it: date cells, pickled
        # one by one, would cost more than all the others, so they travel as datetime64.
        return self.__dict__ | {"cells": {key: _packed(v) for key, v in self.cells.items()}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        cells = {key: _unpacked(value) for key, value in state["cells"].items()}
        self.__dict__.update(state | {"cells": cells})


# Cell types sent as numpy datetime64 arrays, and how one becomes a number in that unit (numpy's
# own conversion from objects is slower than pickling them). Exact types: a datetime is a date.
EPOCH = datetime(1970, 1, 1)
MICROSECOND = timedelta(microseconds=1)
PACKED_TYPES: tuple[tuple[type, str, Callable[[Any], int]], ...] = (
    (date, "datetime64[D]", lambda day: day.toordinal() - EPOCH.toordinal()),
    (datetime, "datetime64[us]", lambda moment: (moment - EPOCH) // MICROSECOND),
)
TYPE_OF = np.frompyfunc(type, 1, 1)
DATED_INFERRED = frozenset({"date", "datetime", "mixed"})


def _packed(values: ObjectArray) -> ObjectArray | tuple[Any, ...]:
    """A column with its date and datetime cells as datetime64 arrays (see ``_unpacked``)."""
    if pd.api.types.infer_dtype(values, skipna=False) not in DATED_INFERRED:
        return values
    kinds = TYPE_OF(values)
    parts = []
    rest = values
    for kind, unit, number in PACKED_TYPES:
        where = np.flatnonzero(kinds == kind)
        if len(where) and all(v.tzinfo is None for v in values[where] if kind is datetime):
            if rest is values:
                rest = values.copy()
            numbers = np.fromiter(map(number, values[where]), dtype=np.int64, count=len(where))
            parts.append((where, numbers.astype(unit)))
            rest[where] = None
    return values if rest is values else ("packed", rest, parts)


def _unpacked(value: ObjectArray | tuple[Any, ...]) -> ObjectArray:
    if not isinstance(value, tuple):
        return value
    _kind, values, parts = value
    for where, stamps in parts:
        values[where] = stamps.astype(object)
    return values


class CalamineBook:
    """An .xlsx, .xlsm, .xlsb, .xls or .ods workbook opened with python-calamine.

    calamine expands every sheet of an .xls or .ods when it opens the workbook, and an .xlsx
    sheet when it is asked for, so the declared sizes are checked just before each.
    """

    def __init__(self, data: bytes, file_format: FileFormat, row_cap: int) -> None:
        self.file_format = file_format
        self._data = data
        self._extent = Extent.for_rows(row_cap)
        self._package = Package.of(data) if file_format in OOXML else None
        self._check_workbook()
        self._book = self._open()
        self.sheets = [
            SheetInfo(meta.name, meta.visible == SheetVisibleEnum.Visible)
            for meta in self._book.sheets_metadata
            if meta.typ == SheetTypeEnum.WorkSheet
        ]

    def _check_workbook(self) -> None:
        """The declared sizes calamine acts on when it opens the workbook."""
        if self.file_format is FileFormat.XLS:
            check_xls(self._data, self._extent)
        elif self.file_format is FileFormat.ODS:
            archive = zipfile.ZipFile(io.BytesIO(self._data))
            if "content.xml" in archive.namelist():
                check_ods_content(archive.read("content.xml"), self._extent)
        elif self._package is not None and self.file_format is not FileFormat.XLSB:
            workbook = self._package.workbook_part()
            strings = workbook and self._package.related(workbook, SHARED_STRINGS)
            info = self._package.info(strings) if strings else None
            if strings and info is not None:
                check_shared_strings(self._package.head(strings), info.file_size)

    def _open(self) -> CalamineWorkbook:
        try:
            return CalamineWorkbook.from_filelike(io.BytesIO(self._data))
        except PasswordError:
            raise UnreadableFileError(_(PASSWORD_HINT)) from None
        except (CalamineError, ValueError, OSError) as error:
            if self._package is None or self._package.usual:
                raise _damaged(self.file_format, error) from None
        # Part names calamine does not find (backslashes, other case): the usual names.
        try:
            return CalamineWorkbook.from_filelike(io.BytesIO(normalised(self._data)))
        except PasswordError:
            raise UnreadableFileError(_(PASSWORD_HINT)) from None
        except (CalamineError, ValueError, OSError) as error:
            raise _damaged(self.file_format, error) from None

    def _worksheet_xml(self, name: str) -> bytes | None:
        """The XML of .xlsx / .xlsm worksheet ``name``, checked against the extent."""
        if self._package is None or self.file_format is FileFormat.XLSB:
            return None
        part = self._package.worksheet_part(name)
        if part is None:
            return None
        xml = self._package.read(part)
        check_worksheet(xml, name, self._extent)
        return xml

    def cells(self, name: str, row_cap: int) -> tuple[Rows, list[BrokenCell]]:
        # .xls and .ods always hold formula results; .xlsx written by a library may not, so
        # its worksheet XML (inflated for the extent check anyway) is searched too.
        xml = self._worksheet_xml(name)
        rows = self._rows(name, row_cap)
        return rows, broken_formula_cells(xml) if xml is not None else []

    def rows(self, name: str, row_cap: int) -> Rows:
        self._worksheet_xml(name)
        return self._rows(name, row_cap)

    def _rows(self, name: str, row_cap: int) -> Rows:
        try:
            sheet = self._book.get_sheet_by_name(name)
            end = sheet.end
            if end is None:
                return []
            if end[1] + 1 > MAX_COLUMNS:
                raise too_wide(name, end[1] + 1)
            if end[0] + 1 > row_cap + HEADER_SEARCH_ROWS:
                raise too_many_rows(name, row_cap)
            return sheet.to_python(skip_empty_area=False)
        except (CalamineError, ValueError, OSError) as error:
            raise _damaged(self.file_format, error) from None


class CsvBook:
    """A CSV file: one sheet, no name."""

    file_format = FileFormat.CSV

    def __init__(self, data: bytes) -> None:
        text = decode_text(data)
        if text is None:
            raise UnreadableFileError(
                _(
                    "the CSV file is neither UTF-8 nor Windows-1252 text: save it as "
                    "'CSV UTF-8 (comma delimited)'"
                )
            )
        self._text = text
        self.delimiter = _delimiter(text)
        self.sheets = [SheetInfo("", True)]

    def cells(self, name: str, row_cap: int) -> tuple[Rows, list[BrokenCell]]:
        return self.rows(name, row_cap), []

    def rows(self, name: str, row_cap: int) -> Rows:
        rows: Rows = []
        reader = csv.reader(io.StringIO(self._text, newline=""), delimiter=self.delimiter)
        try:
            for row in reader:
                rows.append(row)
                if len(rows) > row_cap + HEADER_SEARCH_ROWS:
                    raise too_many_rows("CSV", row_cap)
        except csv.Error as error:
            raise UnreadableFileError(
                _(
                    "the CSV file cannot be split into cells at line {line} ({reason}): check "
                    "the quotes on that line",
                    line=reader.line_num,
                    reason=one_line(str(error)),
                )
            ) from None
        width = max((len(row) for row in rows), default=0)
        if width > MAX_COLUMNS:
            raise UnreadableFileError(
                _(
                    "the CSV file has {width:,} columns; at most {most} are read",
                    width=width,
                    most=MAX_COLUMNS,
                )
            )
        for row in rows:
            row.extend([""] * (width - len(row)))
        return rows


def _delimiter(text: str) -> str:
    """``;`` when the top lines hold more semicolons than commas (European Excel), else ``,``."""
    head = "\n".join(text.splitlines()[: HEADER_SEARCH_ROWS + 5])
    return ";" if head.count(";") > head.count(",") else ","


def too_many_rows(sheet: str, row_cap: int) -> UnreadableFileError:
    """The error for a sheet over the row cap (``Settings.upload_max_rows``)."""
    return UnreadableFileError(
        _(
            "sheet '{sheet}' has more than {rows:,} data rows, the most one upload may hold: "
            "split it into several files",
            sheet=shown(sheet),
            rows=row_cap,
        )
    )


def _damaged(file_format: FileFormat, error: Exception) -> UnreadableFileError:
    return UnreadableFileError(
        _(
            "the .{format} workbook cannot be read ({reason}): open it in Excel or LibreOffice, "
            "save it again and upload the new file",
            format=file_format.value,
            reason=one_line(str(error)),
        )
    )


def open_workbook(data: bytes, *, max_bytes: int, max_rows: int) -> Workbook:
    """Check size, format and hostile content, then open the upload for reading.

    Raises:
        UnreadableFileError: empty, too big, not a spreadsheet, encrypted, or hostile.
    """
    check_size(data, max_bytes)
    file_format = sniff_format(data)
    if file_format is FileFormat.CSV:
        return CsvBook(data)
    if file_format.is_zip:
        scan_zip(data, max_bytes=max_bytes)
    return CalamineBook(data, file_format, max_rows)


def _visible_named(book: Workbook, contract: SheetContract) -> str | None:
    """The visible sheet named after ``contract`` (in any case and any language of the
    sheets), if there is one."""
    return next(
        (s.name for s in book.sheets if s.visible and normalise_header(s.name) in contract.names),
        None,
    )


def choose_sheet(
    book: Workbook, contracts: Sequence[SheetContract]
) -> tuple[str, list[SheetContract]]:
    """The sheet to import and the contracts it may follow.

    A visible sheet named after a contract (``Progress``, ``Programmes``, ``Targets``, in any
    case) is that contract's sheet; otherwise the only visible sheet is taken and its headers
    decide. Hidden sheets are never imported.
    """
    visible = [sheet for sheet in book.sheets if sheet.visible]
    for contract in contracts:
        name = _visible_named(book, contract)
        if name is not None:
            return name, [contract]
    if len(visible) == 1:
        return visible[0].name, list(contracts)
    wanted = _alternatives(contracts)
    if not visible:
        raise UnreadableFileError(
            _(
                "the workbook has no visible sheet: unhide the sheet to import and call it "
                "{wanted}",
                wanted=wanted,
            )
        )
    names = ", ".join(f"'{shown(sheet.name)}'" for sheet in visible[:SHEETS_NAMED])
    if len(visible) > SHEETS_NAMED:
        message = ngettext(
            "the workbook has {count:,} visible sheet ({names} and {more:,} more) and none is "
            "called {wanted}: rename the sheet to import, or hide or delete the others",
            "the workbook has {count:,} visible sheets ({names} and {more:,} more) and none is "
            "called {wanted}: rename the sheet to import, or hide or delete the others",
            len(visible),
        )
    else:
        message = ngettext(
            "the workbook has {count:,} visible sheet ({names}) and none is called {wanted}: "
            "rename the sheet to import, or hide or delete the others",
            "the workbook has {count:,} visible sheets ({names}) and none is called {wanted}: "
            "rename the sheet to import, or hide or delete the others",
            len(visible),
        )
    raise UnreadableFileError(
        Message(message).format(
            count=len(visible), names=names, more=len(visible) - SHEETS_NAMED, wanted=wanted
        )
    )


def _alternatives(contracts: Sequence[SheetContract]) -> str:
    """The contracts' sheet names as a template in the reader's language writes them (any
    language's are read): ``'A'``, ``'A' or 'B'``, ``'A', 'B' or 'C'``."""
    language = current_language()
    quoted = [f"'{contract.title(language)}'" for contract in contracts]
    if len(quoted) == 1:
        return quoted[0]
    return _("{names} or {last}", names=", ".join(quoted[:-1]), last=quoted[-1])


def network_sheet_names(book: Workbook) -> list[tuple[str, SheetContract]]:
    """The visible sheets named after a sheet of the network workbook, in the order they are
    checked and stored (regions, clusters, programmes, targets, facilities)."""
    named = ((_visible_named(book, contract), contract) for contract in NETWORK_CONTRACTS)
    return [(name, contract) for name, contract in named if name is not None]


def read_sheet(
    data: bytes,
    *,
    kind_hint: SheetKind | str | None = None,
    max_bytes: int | None = None,
    max_rows: int | None = None,
) -> ParsedSheet:
    """Locate the sheet and its header, and split the rows below into the contract's columns.

    The file is read in a child process with memory and time limits (``ingest.isolation``):
    whatever it holds, this process is not harmed.

    Args:
        data: the uploaded bytes; the format is judged from them, never from a file name.
        kind_hint: read as this kind of sheet; ``None`` detects it from sheet names and headers.
        max_bytes: upload size limit (default ``Settings.upload_max_bytes``).
        max_rows: data row limit (default ``Settings.upload_max_rows``).

    Raises:
        UnreadableFileError: the file cannot be read at all (the message says why and what to do).
    """
    settings = get_settings()
    return run_isolated(
        parse_sheet,
        data,
        kind_hint,
        max_bytes if max_bytes is not None else settings.upload_max_bytes,
        max_rows if max_rows is not None else settings.upload_max_rows,
    )


def sheet_rows(data: bytes, sheet: str) -> Rows:
    """Every row of one sheet as read, title rows included (for the annotated workbook); read
    in a child process like ``read_sheet``."""
    return workbook_rows(data, [sheet])[0]


def workbook_rows(data: bytes, sheets: Sequence[str]) -> list[Rows]:
    """``sheet_rows`` of several sheets, read in one child process."""
    settings = get_settings()
    return run_isolated(
        parse_rows, data, list(sheets), settings.upload_max_bytes, settings.upload_max_rows
    )


def parse_upload(data: bytes, kind_hint: SheetKind | str | None = None) -> tuple[ParsedSheet, ...]:
    """``parse_workbook`` with the settings' limits: for code that already runs in a child
    process (the dry run and the commit)."""
    settings = get_settings()
    return parse_workbook(data, kind_hint, settings.upload_max_bytes, settings.upload_max_rows)


def refused_when_a_reader_fails(function: Callable[P, R]) -> Callable[P, R]:
    """Anything unexpected a spreadsheet library raises while reading (a fuzzed file can make
    a reader fail in ways nobody listed) becomes one clear refusal, not an error of the
    product."""

    @functools.wraps(function)
    def reading(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except (SkillsRoadmapError, MemoryError):
            raise
        except Exception as error:
            raise UnreadableFileError(
                _(
                    "the file could not be read ({reason}): {retry}",
                    reason=f"{type(error).__name__}: {one_line(str(error))}",
                    retry=_(RETRY),
                )
            ) from None

    return reading


@refused_when_a_reader_fails
def parse_sheet(
    data: bytes, kind_hint: SheetKind | str | None, max_bytes: int, max_rows: int
) -> ParsedSheet:
    """``read_sheet`` in this process: what the child process runs."""
    book = open_workbook(data, max_bytes=max_bytes, max_rows=max_rows)
    return _one_sheet(book, SheetKind(kind_hint) if kind_hint else None, max_rows)


@refused_when_a_reader_fails
def parse_workbook(
    data: bytes, kind_hint: SheetKind | str | None, max_bytes: int, max_rows: int
) -> tuple[ParsedSheet, ...]:
    """Every sheet of an upload to import, in the order they are checked and stored.

    A workbook with visible sheets named after network sheets (Regions, Clusters,
    Programmes, Targets, Facilities) is a network workbook: each of them is read, and those
    with a header but no rows are left out (at least one must have rows). A sheet named
    Progress is a progress upload (one sheet) unless ``kind_hint`` says ``network``; any
    other upload is one sheet, as ``read_sheet`` finds it.

    Raises:
        UnreadableFileError: the file cannot be read, a sheet has no header row, or nothing
            has rows.
    """
    book = open_workbook(data, max_bytes=max_bytes, max_rows=max_rows)
    kind = SheetKind(kind_hint) if kind_hint else None
    if kind in (None, SheetKind.NETWORK):
        named = network_sheet_names(book)
        progress = kind is None and _visible_named(book, PROGRESS) is not None
        if named and not progress:
            return _network_sheets(book, named, max_rows)
        if kind is SheetKind.NETWORK:
            wanted = _alternatives(NETWORK_CONTRACTS)
            raise UnreadableFileError(
                _(
                    "the workbook has no sheet called {wanted}: name each sheet after what it "
                    "holds, as the network template does",
                    wanted=wanted,
                )
            )
    return (_one_sheet(book, kind, max_rows),)


def _network_sheets(
    book: Workbook, named: list[tuple[str, SheetContract]], cap: int
) -> tuple[ParsedSheet, ...]:
    sheets = [_located(book, name, [contract], cap) for name, contract in named]
    if len(sheets) == 1:
        return (_with_rows(sheets[0]),)
    with_rows = tuple(sheet for sheet in sheets if len(sheet))
    if not with_rows:
        names = ", ".join(f"'{shown(sheet.sheet)}'" for sheet in sheets)
        raise UnreadableFileError(
            _(
                "the sheets {names} have headers but no rows below them: fill in at least one row",
                names=names,
            )
        )
    return with_rows


def _one_sheet(book: Workbook, kind: SheetKind | None, cap: int) -> ParsedSheet:
    contracts = [CONTRACTS[kind]] if kind else list(CONTRACTS.values())
    name, candidates = choose_sheet(book, contracts)
    return _with_rows(_located(book, name, candidates, cap))


def _with_rows(sheet: ParsedSheet) -> ParsedSheet:
    """``sheet``, refused when it has no rows below its header."""
    if not len(sheet):
        raise UnreadableFileError(
            _(
                "sheet '{sheet}' has a header on row {row} but no rows below it: fill in at "
                "least one row",
                sheet=shown(sheet.sheet),
                row=sheet.header_row,
            )
        )
    return sheet


def _located(book: Workbook, name: str, candidates: list[SheetContract], cap: int) -> ParsedSheet:
    """Sheet ``name`` with its header found and its rows below split into the contract's
    columns (possibly none)."""
    shown_name = name or candidates[0].sheet_name
    rows, broken_cells = book.cells(name, cap)
    match = find_header(rows, candidates, shown_name)
    shown_name = name or match.contract.sheet_name
    body = _grid(rows[match.row + 1 :], width=len(rows[match.row]))
    cells = {key: body[:, header.index] for key, header in match.columns.items()}
    row_numbers = np.arange(match.row + 2, match.row + 2 + len(body), dtype=np.int64)
    keep = _non_empty(cells, len(body))
    if int(keep.sum()) > cap:
        raise too_many_rows(shown_name, cap)
    if not keep.all():
        cells = {key: values[keep] for key, values in cells.items()}
        row_numbers = row_numbers[keep]
    wanted = {header.index for header in match.columns.values()}
    broken = [cell for cell in broken_cells if cell.column in wanted and cell.row > match.row]
    return ParsedSheet(
        file_format=book.file_format,
        sheet=shown_name,
        contract=match.contract,
        header_row=match.row + 1,
        headers=match.columns,
        cells=cells,
        rows=row_numbers,
        ignored=match.ignored,
        repeated=match.repeated,
        broken=tuple(broken),
    )


@refused_when_a_reader_fails
def parse_rows(data: bytes, sheets: list[str], max_bytes: int, max_rows: int) -> list[Rows]:
    """``workbook_rows`` in this process: what the child process runs."""
    book = open_workbook(data, max_bytes=max_bytes, max_rows=max_rows)
    csv_file = book.file_format is FileFormat.CSV
    return [book.rows("" if csv_file else sheet, max_rows) for sheet in sheets]


def _grid(rows: Rows, *, width: int) -> npt.NDArray[np.object_]:
    """The rows as a 2-D object array (one bulk copy; columns are then views).

    Every reader returns rectangular rows (calamine does; CSV rows are padded).
    """
    grid = np.empty((len(rows), width), dtype=object)
    if rows:
        grid[:] = rows
    return grid


def _non_empty(cells: dict[str, ObjectArray], count: int) -> npt.NDArray[np.bool_]:
    """Rows with at least one non-empty cell in a contract column.

    A column holding only numbers has no empty cell, so one such column settles it.
    """
    keep = np.zeros(count, dtype=bool)
    for values in cells.values():
        if pd.api.types.infer_dtype(values, skipna=False) in NUMERIC_INFERRED:
            return np.ones(count, dtype=bool)
        keep |= values != ""
        if keep.all():
            break
    return keep
