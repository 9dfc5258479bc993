"""Vectorised validation: the contract's cell rules for any sheet, and the progress-sheet rules.

Every rule is a boolean mask over the sheet's rows; the problem log turns marked rows into
records. Nothing loops over rows in Python except over the (few) problems found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from skills_roadmap.fields import AGE, BREAKDOWNS, EDU, GENDER, LABOUR, Field, FieldKind
from skills_roadmap.i18n.words import N_, _
from skills_roadmap.ingest.cells import (
    Converted,
    NumberCells,
    choices,
    dates,
    is_whole,
    period_text,
    periods,
    python_values,
    read_numbers,
    texts,
)
from skills_roadmap.ingest.contract import expected
from skills_roadmap.ingest.numbers import ambiguity, column_convention
from skills_roadmap.ingest.problems import IntArray, ProblemLog
from skills_roadmap.ingest.readers import ParsedSheet
from skills_roadmap.ingest.running_totals import MONTH_SPAN
from skills_roadmap.storage.progress import PROGRESS_DTYPES

BoolArray = npt.NDArray[np.bool_]
MIN_YEAR, MAX_YEAR = 2000, 2100
NUMBER_KINDS = (FieldKind.COUNT, FieldKind.AMOUNT, FieldKind.YEAR, FieldKind.COORDINATE)
AMBIGUOUS_RULE = N_("a thousands separator or a decimal sign?")
NOT_A = {
    FieldKind.COUNT: N_("not a number"),
    FieldKind.AMOUNT: N_("not a number"),
    FieldKind.YEAR: N_("not a year"),
    FieldKind.COORDINATE: N_("not a number"),
    FieldKind.PERIOD: N_("not a month"),
    FieldKind.DATE: N_("not a date"),
    FieldKind.CHOICE: N_("not one of the allowed values"),
}
# Each ESF+ breakdown's bands adding up to more than Enrolled: the cell's message and the
# rule's name, written whole per breakdown (a breakdown's name is not always lower case
# mid-sentence: German capitalises nouns).
BANDS_OVER: dict[str, tuple[str, str]] = {
    GENDER: (
        N_("the gender bands add up to {total:.0f}, more than the {enrolled:.0f} enrolled"),
        N_("the gender bands add up to more than {enrolled}"),
    ),
    AGE: (
        N_("the age bands add up to {total:.0f}, more than the {enrolled:.0f} enrolled"),
        N_("the age bands add up to more than {enrolled}"),
    ),
    LABOUR: (
        N_(
            "the labour-market status bands add up to {total:.0f}, more than the "
            "{enrolled:.0f} enrolled"
        ),
        N_("the labour-market status bands add up to more than {enrolled}"),
    ),
    EDU: (
        N_("the education bands add up to {total:.0f}, more than the {enrolled:.0f} enrolled"),
        N_("the education bands add up to more than {enrolled}"),
    ),
}


def convert_sheet(sheet: ParsedSheet, log: ProblemLog) -> dict[str, Converted]:
    """Convert every column the sheet has and log the contract's cell rules.

    The rules: formula cells without a saved result, repeated headers, required cells left
    blank, numbers typed as text whose meaning is unclear (``1.234``: see ``numbers``), cells
    of the wrong type, and the ranges of numbers (counts are whole and >= 0, amounts >= 0,
    years between 2000 and 2100). Rows with nothing but spaces are not data.
    """
    _broken_cells(sheet, log)
    for column, header in sheet.repeated:
        first = sheet.headers[column.key]
        log.header(
            header.text,
            header.index,
            _(
                "a second '{header}' column; only the first one (column {number}) would be read",
                header=header.text,
                number=first.index + 1,
            ),
            _("each column once"),
        )
    columns = [sheet.contract.column(key) for key in sheet.cells]
    converted = _convert_numbers(columns, sheet)
    converted |= {c.key: _convert(c, sheet) for c in columns if c.key not in converted}
    log.blank_rows = np.logical_and.reduce([result.blank for result in converted.values()])
    for column in columns:
        result = converted[column.key]
        if column.required:
            log.cell(column.key, result.blank, _("a value is required here"))
        if result.ambiguous is not None and result.ambiguous.any():
            _ambiguous_numbers(column, result.ambiguous, sheet, log)
        if column.kind in NOT_A:
            log.cell(column.key, result.invalid, _(NOT_A[column.kind]))
        _number_rules(column, result, log)
    return converted


def _convert_numbers(columns: list[Field], sheet: ParsedSheet) -> dict[str, Converted]:
    """The number columns, each text read by the number convention its column shows, or else
    the one the file's number columns show together (``numbers.column_convention``)."""
    read: dict[str, NumberCells] = {
        column.key: read_numbers(sheet.cells[column.key], currency=column.kind is FieldKind.AMOUNT)
        for column in columns
        if column.kind in NUMBER_KINDS
    }
    shown = frozenset().union(*(cells.evidence for cells in read.values()))
    return {
        key: cells.converted(column_convention(cells.evidence, shown))
        for key, cells in read.items()
    }


def _ambiguous_numbers(
    column: Field, ambiguous: BoolArray, sheet: ParsedSheet, log: ProblemLog
) -> None:
    cells = sheet.cells[column.key]
    currency = column.kind is FieldKind.AMOUNT

    def message(positions: IntArray) -> list[str]:
        return [ambiguity(str(cells[p]), currency=currency) for p in positions]

    log.cell(
        column.key,
        ambiguous,
        message,
        expected=_(
            "{expected}, typed without thousands separators (e.g. 1234)",
            expected=expected(column),
        ),
        rule=_(AMBIGUOUS_RULE),
    )


def column_name(sheet: ParsedSheet, key: str) -> str:
    """Column ``key``'s header in the language the sheet writes it in (English if absent)."""
    written = sheet.headers.get(key)
    return sheet.contract.named(key, written.text if written is not None else None)


def _convert(column: Field, sheet: ParsedSheet) -> Converted:
    cells = sheet.cells[column.key]
    if column.kind is FieldKind.PERIOD:
        return periods(cells)
    if column.kind is FieldKind.DATE:
        return dates(cells)
    if column.kind is FieldKind.CHOICE:
        return choices(cells, column.choices)
    return texts(cells)


def _number_rules(column: Field, result: Converted, log: ProblemLog) -> None:
    present = result.present
    values = result.values
    if column.kind in (FieldKind.COUNT, FieldKind.YEAR):
        log.cell(column.key, present & ~is_whole(values), _("not a whole number"))
    if column.kind in (FieldKind.COUNT, FieldKind.AMOUNT):
        log.cell(column.key, present & (values < 0), _("a negative number"))
    if column.kind is FieldKind.YEAR:
        log.cell(
            column.key,
            present & ((values < MIN_YEAR) | (values > MAX_YEAR)),
            _("not a year from {first} to {last}", first=MIN_YEAR, last=MAX_YEAR),
        )


def _broken_cells(sheet: ParsedSheet, log: ProblemLog) -> None:
    """One mask per column and reason (a sheet may hold thousands of broken formulas)."""
    if not sheet.broken:
        return
    key_of = {header.index: key for key, header in sheet.headers.items()}
    position_of = {int(row): i for i, row in enumerate(sheet.rows)}
    masks: dict[tuple[str, str], BoolArray] = {}
    for cell in sheet.broken:
        position = position_of.get(cell.row + 1)
        if position is None:
            continue
        key = (key_of[cell.column], cell.reason)
        if key not in masks:
            masks[key] = np.zeros(len(sheet), dtype=bool)
        masks[key][position] = True
    for (column_key, reason), mask in masks.items():
        log.cell(
            column_key,
            mask,
            reason,
            expected=_("a value: open the file in Excel or LibreOffice and save it, or type it"),
        )


def typed_frame(
    converted: dict[str, Converted], dtypes: dict[str, str], sheet: ParsedSheet
) -> pd.DataFrame:
    """The sheet's rows with one typed column per ``dtypes`` entry, plus the row number.

    Blank and invalid cells, and columns the sheet does not have, are missing values.
    """
    columns: dict[str, pd.Series] = {}
    for key, dtype in dtypes.items():
        if key not in converted:
            missing = None if dtype == "object" else pd.NA
            columns[key] = pd.Series([missing] * len(sheet), dtype=dtype)
        elif dtype == "Int64":
            result = converted[key]
            usable = result.present & is_whole(result.values)  # 12.5 is an error, logged
            counts = np.where(usable, result.values, 0).astype(np.int64)
            columns[key] = pd.Series(pd.arrays.IntegerArray(counts, ~usable))
        elif dtype == "Float64":
            result = converted[key]
            amounts = np.where(result.present, result.values, 0.0).astype(np.float64)
            columns[key] = pd.Series(pd.arrays.FloatingArray(amounts, ~result.present))
        else:
            result = converted[key]
            values = result.values.astype(object)
            values[~result.present] = None
            columns[key] = pd.Series(values, dtype=object)
    frame = pd.DataFrame(columns)
    frame["row"] = sheet.rows
    return frame


@dataclass(frozen=True)
class Lookup:
    """Each sheet row's programme: its position in ``programmes``, and whether it was found."""

    position: IntArray
    known: BoolArray
    programmes: pd.DataFrame

    def take(self, column: str, *, fill: Any) -> npt.NDArray[Any]:
        """The programme's ``column`` for each row; ``fill`` where it was not found."""
        values = self.programmes[column].to_numpy()
        if not len(values):
            return np.full(len(self.position), fill, dtype=values.dtype)
        return np.where(self.known, values[np.where(self.known, self.position, 0)], fill)


@dataclass(frozen=True)
class ProgressContext:
    """What progress rows are checked against besides the sheet itself.

    Attributes:
        programme_facts: looks up programmes by id (see ``queries.programme_facts``).
        today: the reporting date; later months are "in the future".
        manager_clusters: the clusters the uploader may report for; ``None`` for no limit
            (administrators, the local command line).
    """

    programme_facts: Callable[[Iterable[str]], pd.DataFrame]
    today: date
    manager_clusters: frozenset[str] | None


@dataclass(frozen=True)
class ProgressRows:
    """A checked progress sheet: its rows typed (errors included) and their programmes."""

    rows: pd.DataFrame
    programmes: pd.DataFrame


def validate_progress(
    sheet: ParsedSheet, log: ProblemLog, context: ProgressContext
) -> ProgressRows:
    """Check a progress sheet; return its rows typed (one per sheet row) and their programmes.

    Rules beyond the cell rules: the programme exists and belongs to one of the manager's
    clusters; the period lies within the programme's start..end months and not after the
    current month; certified <= completed; women <= enrolled; each ESF+ breakdown's bands
    add up to at most enrolled, and a part of a band is at most that band (see
    :func:`_breakdown_rules`); a programme and period appear once in the file.
    """
    converted = convert_sheet(sheet, log)
    ids = converted["programme_id"].values
    months = converted["period"].values
    programmes = context.programme_facts(pd.unique(ids[converted["programme_id"].present]))
    position = programmes.index.get_indexer(pd.Index(ids, dtype=object))
    known = position >= 0
    has_id = converted["programme_id"].present
    log.cell(
        "programme_id",
        has_id & ~known,
        _("no programme has this ID"),
        expected=_("the ID of an existing programme (the template lists yours)"),
    )
    lookup = Lookup(position=position, known=known, programmes=programmes)
    if context.manager_clusters is not None:
        clusters = lookup.take("cluster_id", fill="")
        allowed = np.isin(clusters, list(context.manager_clusters))
        log.cell(
            "programme_id",
            known & ~allowed,
            _("this programme belongs to a cluster you do not report for"),
            expected=_(
                "a programme of your clusters: {clusters}",
                clusters=", ".join(sorted(context.manager_clusters)),
            ),
        )
    _period_rules(log, months, converted["period"].present, lookup, context.today)
    # The period is typed here: as YYYY-MM text, from the YYYYMM months.
    frame = typed_frame(
        {key: result for key, result in converted.items() if key != "period"},
        {key: dtype for key, dtype in PROGRESS_DTYPES.items() if key != "period"},
        sheet,
    )
    frame["period"] = pd.Series(period_text(months), dtype=object)
    frame["month"] = months
    frame["programme_position"] = position
    _not_above(log, frame, "certified", "completed")
    _breakdown_rules(log, frame)
    _duplicates(log, frame, known & converted["period"].present)
    return ProgressRows(rows=frame, programmes=programmes)


def _period_rules(
    log: ProblemLog,
    months: npt.NDArray[np.int64],
    present: BoolArray,
    lookup: Lookup,
    today: date,
) -> None:
    this_month = today.year * 100 + today.month
    log.cell(
        "period",
        present & (months > this_month),
        _("a month in the future"),
        expected=_("this month ({month}) or earlier", month=_month(this_month)),
    )
    start = lookup.take("start_month", fill=0)
    end = lookup.take("end_month", fill=0)
    outside = present & lookup.known & ((months < start) | (months > end))

    def message(positions: IntArray) -> list[str]:
        return [
            _(
                "outside the programme's months ({start} to {end})",
                start=_month(start[p]),
                end=_month(end[p]),
            )
            for p in positions
        ]

    log.cell(
        "period",
        outside,
        message,
        expected=_("a month within the programme's start and end"),
        rule=_("outside the programme's months"),
    )


def _month(code: int) -> str:
    return f"{code // 100}-{code % 100:02d}"


def _not_above(log: ProblemLog, frame: pd.DataFrame, key: str, limit: str) -> None:
    if key not in log.flagged:
        return
    mask = (frame[key] > frame[limit]).fillna(False).to_numpy(dtype=bool)
    limit_header = column_name(log.sheet, limit)

    def message(positions: IntArray) -> list[str]:
        values = python_values(frame[limit].iloc[positions])
        return [
            _("more than {column} ({value}) in the same row", column=limit_header, value=value)
            for value in values
        ]

    log.cell(
        key,
        mask,
        message,
        expected=_("a whole number from 0 to {column}", column=limit_header),
        rule=_("more than {column}", column=limit_header),
    )


def _breakdown_rules(log: ProblemLog, frame: pd.DataFrame) -> None:
    """The ESF+ breakdowns (``fields.BREAKDOWNS``): blank bands are "not reported" and skipped.

    Each band is at most Enrolled and a part ("of whom") at most its band, in the band's own
    cell. Where two or more bands of a breakdown are given and none alone is above Enrolled
    but together they are, one error names the sum, in the row's first given band of it.
    """
    enrolled = frame["enrolled"].to_numpy(dtype="float64", na_value=np.nan)
    for name, bands in BREAKDOWNS.items():
        summed = [band for band in bands if not band.within and band.key in log.flagged]
        for band in bands:
            _not_above(log, frame, band.key, band.within or "enrolled")
        if len(summed) < 2:
            continue
        values = frame[[band.key for band in summed]].to_numpy(dtype="float64", na_value=np.nan)
        given = ~np.isnan(values)
        total = np.where(given, values, 0.0).sum(axis=1)
        with np.errstate(invalid="ignore"):
            alone = (np.where(given, values, 0.0) > enrolled[:, None]).any(axis=1)
            over = (given.sum(axis=1) >= 2) & (total > enrolled) & ~alone
        first = given.argmax(axis=1)
        over_message, over_rule = BANDS_OVER[name]
        headers = ", ".join(column_name(log.sheet, band.key) for band in summed)
        enrolled_header = column_name(log.sheet, "enrolled")

        def message(
            positions: IntArray, said: str = over_message, total: npt.NDArray[Any] = total
        ) -> list[str]:
            return [_(said, total=total[p], enrolled=enrolled[p]) for p in positions]

        for index, band in enumerate(summed):
            log.cell(
                band.key,
                over & (first == index),
                message,
                expected=_(
                    "{columns} adding up to at most {enrolled}",
                    columns=headers,
                    enrolled=enrolled_header,
                ),
                rule=_(over_rule, enrolled=enrolled_header),
            )


def _duplicates(log: ProblemLog, frame: pd.DataFrame, keyed: BoolArray) -> None:
    """The same programme and month twice: an error on every occurrence after the first.

    Rows are keyed by programme position and month as one integer; rows whose programme is
    unknown already have an error in the Programme ID cell.
    """
    positions = np.flatnonzero(keyed)
    keys = (
        frame["programme_position"].to_numpy()[positions] * MONTH_SPAN
        + frame["month"].to_numpy()[positions]
    )
    repeated = pd.Series(keys).duplicated(keep="first").to_numpy()
    if not repeated.any():
        return
    rows = pd.Series(frame["row"].to_numpy()[positions])
    first = rows.groupby(keys).transform("min").to_numpy()
    first_row = np.zeros(len(frame), dtype=np.int64)
    first_row[positions[repeated]] = first[repeated]
    mask = np.zeros(len(frame), dtype=bool)
    mask[positions[repeated]] = True

    def message(found: IntArray) -> list[str]:
        return [
            _("this programme and period already appear in row {row}", row=first_row[p])
            for p in found
        ]

    log.cell(
        "programme_id",
        mask,
        message,
        expected=_("each programme and period once per file"),
        rule=_("the same programme and period twice"),
    )
