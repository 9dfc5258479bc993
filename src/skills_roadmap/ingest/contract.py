"""Sheet contracts: which fields each kind of sheet holds; header matching.

A Progress sheet is a programme manager's upload; the Regions, Clusters, Programmes, Targets
and Facilities sheets make up the administrators' network workbook (any of them, in one file).

The fields themselves (key, header, kind, whether required) are declared in
:mod:`skills_roadmap.fields`; a contract adds the sheet's name and the columns that key a row.

Headers and sheet names are accepted in every language of the sheets
(:mod:`skills_roadmap.reference.sheet_terms`) and match case- and accent-insensitively with
spaces, hyphens and underscores equivalent, so ``programme_id``, ``Programme-ID``,
``PROGRAMME  ID`` and ``ID del programa`` are all the Programme ID column.
The header row is the first of the top ``HEADER_SEARCH_ROWS`` rows holding every required
header; title rows above it are ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from skills_roadmap.exceptions import UnreadableFileError
from skills_roadmap.fields import (
    CLUSTER_FIELDS,
    FACILITY_FIELDS,
    PROGRAMME_FIELDS,
    PROGRESS_FIELDS,
    REGION_FIELDS,
    TARGET_FIELDS,
    Field,
)
from skills_roadmap.i18n import current_language, gettext
from skills_roadmap.i18n.words import _
from skills_roadmap.ingest.cells import normalise_header
from skills_roadmap.ingest.shown import shown
from skills_roadmap.reference.sheet_terms import (
    DEFAULT_LANGUAGE,
    TermKind,
    fold,
    spelling,
    spellings,
    term_index,
)

HEADER_SEARCH_ROWS = 10


class SheetKind(StrEnum):
    """What an uploaded sheet holds; ``network`` is a workbook of several network sheets."""

    PROGRESS = "progress"
    REGIONS = "regions"
    CLUSTERS = "clusters"
    PROGRAMMES = "programmes"
    TARGETS = "targets"
    FACILITIES = "facilities"
    NETWORK = "network"


@dataclass(frozen=True)
class SheetContract:
    """The columns of one kind of sheet (fields of the catalogue) and the sheet name that
    identifies it."""

    kind: SheetKind
    sheet_name: str
    columns: tuple[Field, ...]
    key: tuple[str, ...]
    by_header: dict[str, Field] = field(init=False, repr=False, compare=False)
    # The sheet's name in every language, folded (``sheet_terms.fold``).
    names: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Every header in every language of the sheets, folded -> its column; a header that
        # would name two columns of this sheet is refused here, when the contract is declared.
        by_header = term_index(
            TermKind.HEADER, {c.header: c for c in self.columns}, f"the {self.sheet_name} sheet"
        )
        object.__setattr__(self, "by_header", by_header)
        names = frozenset(fold(name) for name in spellings(TermKind.SHEET, self.sheet_name))
        object.__setattr__(self, "names", names)

    def title(self, language: str = DEFAULT_LANGUAGE) -> str:
        """The sheet's name in ``language``: how a template in that language names it."""
        return spelling(TermKind.SHEET, self.sheet_name, language)

    def header(self, column: Field, language: str = DEFAULT_LANGUAGE) -> str:
        """``column``'s header in ``language``: how a template in that language writes it."""
        return spelling(TermKind.HEADER, column.header, language)

    @property
    def required(self) -> tuple[Field, ...]:
        return tuple(c for c in self.columns if c.required)

    def column(self, key: str) -> Field:
        return next(c for c in self.columns if c.key == key)

    def describe(self, language: str = DEFAULT_LANGUAGE) -> str:
        """The expected headers, for messages: required ones first, as a template in
        ``language`` writes them."""
        required = ", ".join(self.header(c, language) for c in self.columns if c.required)
        optional = ", ".join(self.header(c, language) for c in self.columns if not c.required)
        if not optional:
            return _("{required} (required)", required=required)
        return _(
            "{required} (required) and {optional} (optional)", required=required, optional=optional
        )

    def named(self, key: str, written: str | None = None) -> str:
        """Column ``key``'s header in the language of ``written`` (its header as the file
        writes it), so a message names a column in the language of the upload; English when
        the file's header is in no language's spelling (or the column is not in the file)."""
        column = self.column(key)
        if written is None:
            return column.header
        folded = normalise_header(written)
        return next(
            (
                spelled
                for spelled in spellings(TermKind.HEADER, column.header)
                if normalise_header(spelled) == folded
            ),
            column.header,
        )


PROGRESS = SheetContract(
    kind=SheetKind.PROGRESS,
    sheet_name="Progress",
    key=("programme_id", "period"),
    columns=PROGRESS_FIELDS,
)
PROGRAMMES = SheetContract(
    kind=SheetKind.PROGRAMMES, sheet_name="Programmes", key=("id",), columns=PROGRAMME_FIELDS
)
TARGETS = SheetContract(
    kind=SheetKind.TARGETS, sheet_name="Targets", key=("id",), columns=TARGET_FIELDS
)
REGIONS = SheetContract(
    kind=SheetKind.REGIONS, sheet_name="Regions", key=("code",), columns=REGION_FIELDS
)
CLUSTERS = SheetContract(
    kind=SheetKind.CLUSTERS, sheet_name="Clusters", key=("id",), columns=CLUSTER_FIELDS
)
FACILITIES = SheetContract(
    kind=SheetKind.FACILITIES, sheet_name="Facilities", key=("id",), columns=FACILITY_FIELDS
)

# The order matters twice: a sheet named after no contract is matched by its headers against
# them in this order, and the network sheets are checked and stored in this order (each may
# refer to the IDs of those before it).
CONTRACTS: dict[SheetKind, SheetContract] = {
    c.kind: c for c in (PROGRESS, PROGRAMMES, TARGETS, REGIONS, CLUSTERS, FACILITIES)
}
NETWORK_CONTRACTS: tuple[SheetContract, ...] = (REGIONS, CLUSTERS, PROGRAMMES, TARGETS, FACILITIES)
"""The sheets of the network workbook, in the order they are checked and stored."""
# A sheet's name in any language names one kind of sheet only.
term_index(TermKind.SHEET, {c.sheet_name: c.kind for c in CONTRACTS.values()}, "the sheet names")


@dataclass(frozen=True)
class HeaderCell:
    """A header as written in the file and its 0-based column index."""

    text: str
    index: int


@dataclass(frozen=True)
class HeaderMatch:
    """Where the header row is and which file column holds which contract column."""

    contract: SheetContract
    row: int
    columns: dict[str, HeaderCell]
    ignored: tuple[HeaderCell, ...]
    repeated: tuple[tuple[Field, HeaderCell], ...]


def match_row(cells: Sequence[object], contract: SheetContract, row: int) -> HeaderMatch:
    """Map the cells of one row to the contract's columns (first occurrence wins)."""
    columns: dict[str, HeaderCell] = {}
    ignored = []
    repeated = []
    for index, value in enumerate(cells):
        text = str(value).strip() if value is not None else ""
        if not text:
            continue
        header = HeaderCell(text=text, index=index)
        column = contract.by_header.get(normalise_header(text))
        if column is None:
            ignored.append(header)
        elif column.key in columns:
            repeated.append((column, header))
        else:
            columns[column.key] = header
    return HeaderMatch(
        contract=contract,
        row=row,
        columns=columns,
        ignored=tuple(ignored),
        repeated=tuple(repeated),
    )


def find_header(
    rows: Sequence[Sequence[object]], contracts: Sequence[SheetContract], sheet: str
) -> HeaderMatch:
    """The header row: the first of the top rows with every required header of a contract.

    With several candidate contracts (kind not known yet), the first contract whose required
    headers are all found in a row wins; contracts are tried in the order given.

    Raises:
        UnreadableFileError: no such row; the message lists the expected headers and the
            ones found in the most promising row.
    """
    best: HeaderMatch | None = None
    for row, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        for contract in contracts:
            match = match_row(cells, contract, row)
            if all(c.key in match.columns for c in contract.required):
                return match
            if best is None or len(match.columns) > len(best.columns):
                best = match
    raise UnreadableFileError(_missing_header_message(rows, best, contracts, sheet))


def _missing_header_message(
    rows: Sequence[Sequence[object]],
    best: HeaderMatch | None,
    contracts: Sequence[SheetContract],
    sheet: str,
) -> str:
    candidates = [c for c in contracts if best is None or not best.columns or c == best.contract]
    # The headers expected as a template in the reader's language writes them (any language's
    # headers are read).
    language = current_language()
    expected = _(" or ").join(
        _("{sheet}: {headers}", sheet=c.title(language), headers=c.describe(language))
        for c in candidates
    )
    texts = [
        [shown(str(v).strip()) for v in row if v is not None and str(v).strip()]
        for row in rows[:HEADER_SEARCH_ROWS]
    ]
    if best is not None and best.columns:
        row = best.row
    else:
        row = next((i for i, t in enumerate(texts[:HEADER_SEARCH_ROWS]) if t), -1)
    if row < 0:
        return _(
            "no header row in the first {rows} rows of sheet '{sheet}'; expected the headers "
            "{expected}; the first {rows} rows are empty",
            rows=HEADER_SEARCH_ROWS,
            sheet=shown(sheet),
            expected=expected,
        )
    if best is not None and best.columns:
        contract = best.contract
        missing = [
            contract.header(c, language) for c in contract.required if c.key not in best.columns
        ]
        return _(
            "no header row in the first {rows} rows of sheet '{sheet}'; expected the headers "
            "{expected}; row {row} has {headers} (missing: {missing})",
            rows=HEADER_SEARCH_ROWS,
            sheet=shown(sheet),
            expected=expected,
            row=row + 1,
            headers=", ".join(texts[row]),
            missing=", ".join(missing),
        )
    return _(
        "no header row in the first {rows} rows of sheet '{sheet}'; expected the headers "
        "{expected}; row {row} has {headers}",
        rows=HEADER_SEARCH_ROWS,
        sheet=shown(sheet),
        expected=expected,
        row=row + 1,
        headers=", ".join(texts[row]),
    )


def expected(column: Field) -> str:
    """What a valid cell of ``column`` holds, in the current language (the field catalogue's
    words, gathered for translation by ``fields.translatable``)."""
    return gettext(column.expected)
