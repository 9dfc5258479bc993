"""Vectorised validation: the contract's cell rules for any sheet, and the progress-sheet rules.

Every rule is a boolean mask over the sheet's rows; the problem log turns marked rows into
records. Nothing loops over rows in Python except over the (few) problems found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from skills_roadmap.ingest.cells import (
    Converted,
    choices,
    dates,
    is_whole,
    numbers,
    period_text,
    periods,
    texts,
)
from skills_roadmap.ingest.contract import CellKind, Column
from skills_roadmap.ingest.problems import IntArray, ProblemLog, Severity
from skills_roadmap.ingest.queries import PROGRESS_DTYPES
from skills_roadmap.ingest.readers import ParsedSheet

BoolArray = npt.NDArray[np.bool_]
MIN_YEAR, MAX_YEAR = 2000, 2100
NOT_A = {
    CellKind.COUNT: "not a number",
    CellKind.AMOUNT: "not a number",
    CellKind.YEAR: "not a year",
    CellKind.PERIOD: "not a month",
    CellKind.DATE: "not a date",
    CellKind.CHOICE: "not one of the allowed values",
}


def convert_sheet(sheet: ParsedSheet, log: ProblemLog) -> dict[str, Converted]:
    """Convert every column the sheet has and log the contract's cell rules.

    The rules: formula cells without a saved result, repeated headers, required cells left
    blank, cells of the wrong type, and the ranges of numbers (counts are whole and >= 0,
    amounts >= 0, years between 2000 and 2100).
    """
    _broken_cells(sheet, log)
    for column, header in sheet.repeated:
        first = sheet.headers[column.key]
        log.header(
            header.text,
            header.index,
            f"a second '{column.header}' column; only the first one (column "
            f"{first.index + 1}) would be read",
            "each column once",
        )
    converted = {}
    for key in sheet.cells:
        column = sheet.contract.column(key)
        result = _convert(column, sheet)
        converted[key] = result
        if column.required:
            log.cell(key, result.blank, "a value is required here")
        if column.kind in NOT_A:
            log.cell(key, result.invalid, NOT_A[column.kind])
        _number_rules(column, result, log)
    return converted


def _convert(column: Column, sheet: ParsedSheet) -> Converted:
    cells = sheet.cells[column.key]
    if column.kind in (CellKind.COUNT, CellKind.AMOUNT, CellKind.YEAR):
        return numbers(cells, decimal_comma=sheet.decimal_comma)
    if column.kind is CellKind.PERIOD:
        return periods(cells)
    if column.kind is CellKind.DATE:
        return dates(cells)
    if column.kind is CellKind.CHOICE:
        return choices(cells, column.choices)
    return texts(cells)


def _number_rules(column: Column, result: Converted, log: ProblemLog) -> None:
    present = result.present
    values = result.values
    if column.kind in (CellKind.COUNT, CellKind.YEAR):
        log.cell(column.key, present & ~is_whole(values), "not a whole number")
    if column.kind in (CellKind.COUNT, CellKind.AMOUNT):
        log.cell(column.key, present & (values < 0), "a negative number")
    if column.kind is CellKind.YEAR:
        log.cell(
            column.key,
            present & ((values < MIN_YEAR) | (values > MAX_YEAR)),
            f"not a year from {MIN_YEAR} to {MAX_YEAR}",
        )


def _broken_cells(sheet: ParsedSheet, log: ProblemLog) -> None:
    if not sheet.broken:
        return
    key_of = {header.index: key for key, header in sheet.headers.items()}
    position_of = {int(row): i for i, row in enumerate(sheet.rows)}
    for cell in sheet.broken:
        position = position_of.get(cell.row + 1)
        if position is None:
            continue
        mask = np.zeros(len(sheet), dtype=bool)
        mask[position] = True
        log.cell(
            key_of[cell.column],
            mask,
            cell.reason,
            expected="a value: open the file in Excel or LibreOffice and save it, or type it",
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
        elif dtype in ("Int64", "Float64"):
            result = converted[key]
            usable = result.present
            if dtype == "Int64":  # 12.5 in a count is an error, logged already
                usable = usable & is_whole(result.values)
            values = np.where(usable, result.values.astype(np.float64), np.nan)
            columns[key] = pd.Series(values).astype(dtype)
        else:
            result = converted[key]
            columns[key] = pd.Series(np.where(result.present, result.values, None), dtype=object)
    frame = pd.DataFrame(columns)
    frame["row"] = sheet.rows
    return frame


@dataclass(frozen=True)
class ProgressContext:
    """What progress rows are checked against besides the sheet itself.

    Attributes:
        programmes: ``programme_facts`` (indexed by programme id).
        today: the reporting date; later months are "in the future".
        manager_clusters: the clusters the uploader may report for; ``None`` for no limit
            (administrators, the local command line).
    """

    programmes: pd.DataFrame
    today: date
    manager_clusters: frozenset[str] | None


def validate_progress(
    sheet: ParsedSheet, log: ProblemLog, context: ProgressContext
) -> pd.DataFrame:
    """Check a progress sheet; return its rows typed (one per sheet row, errors included).

    Rules beyond the cell rules: the programme exists and belongs to one of the manager's
    clusters; the period lies within the programme's start..end months and not after the
    current month; certified <= completed; women <= enrolled; a programme and period appear
    once in the file.
    """
    converted = convert_sheet(sheet, log)
    ids = converted["programme_id"].values
    months = converted["period"].values
    programmes = context.programmes
    position = programmes.index.get_indexer(pd.Index(ids, dtype=object))
    known = position >= 0
    has_id = converted["programme_id"].present
    log.cell(
        "programme_id",
        has_id & ~known,
        "no programme has this ID",
        expected="the ID of an existing programme (the template lists yours)",
    )
    if context.manager_clusters is not None:
        clusters = _take(programmes["cluster_id"], position, known, fill="")
        allowed = np.isin(clusters, list(context.manager_clusters))
        log.cell(
            "programme_id",
            known & ~allowed,
            "this programme belongs to a cluster you do not report for",
            expected="a programme of your clusters: " + ", ".join(sorted(context.manager_clusters)),
        )
    _period_rules(log, months, converted["period"].present, known, position, context)
    frame = typed_frame(converted, PROGRESS_DTYPES, sheet)
    frame["period"] = pd.Series(period_text(months), dtype=object)
    _not_above(log, frame, "certified", "completed")
    _not_above(log, frame, "women", "enrolled")
    _duplicates(log, frame, has_id & converted["period"].present)
    return frame


def _period_rules(
    log: ProblemLog,
    months: npt.NDArray[np.int64],
    present: BoolArray,
    known: BoolArray,
    position: IntArray,
    context: ProgressContext,
) -> None:
    this_month = context.today.year * 100 + context.today.month
    log.cell(
        "period",
        present & (months > this_month),
        "a month in the future",
        expected=f"this month ({this_month // 100}-{this_month % 100:02d}) or earlier",
    )
    start = _take(context.programmes["start_month"], position, known, fill=0)
    end = _take(context.programmes["end_month"], position, known, fill=0)
    outside = present & known & ((months < start) | (months > end))

    def message(positions: IntArray) -> list[str]:
        return [
            f"outside the programme's months ({_month(start[p])} to {_month(end[p])})"
            for p in positions
        ]

    log.cell("period", outside, message, expected="a month within the programme's start and end")


def _take(
    column: pd.Series, position: IntArray, known: BoolArray, *, fill: object
) -> npt.NDArray[Any]:
    """``column``'s value at each looked-up position; ``fill`` where the lookup failed."""
    values = column.to_numpy()
    if not len(values):
        return np.full(len(position), fill, dtype=values.dtype)
    return np.where(known, values[np.where(known, position, 0)], fill)


def _month(code: int) -> str:
    return f"{code // 100}-{code % 100:02d}"


def _not_above(log: ProblemLog, frame: pd.DataFrame, key: str, limit: str) -> None:
    if key not in log.flagged:
        return
    mask = (frame[key] > frame[limit]).fillna(False).to_numpy(dtype=bool)
    limit_header = log.sheet.contract.column(limit).header
    values = frame[limit].to_numpy(dtype=object, na_value=None)

    def message(positions: IntArray) -> list[str]:
        return [f"more than {limit_header} ({values[p]}) in the same row" for p in positions]

    log.cell(key, mask, message, expected=f"a whole number from 0 to {limit_header}")


def _duplicates(log: ProblemLog, frame: pd.DataFrame, keyed: BoolArray) -> None:
    keys = frame.loc[keyed, ["programme_id", "period", "row"]]
    repeated = keys.duplicated(["programme_id", "period"], keep="first")
    if not repeated.any():
        return
    first_row = keys.groupby(["programme_id", "period"], sort=False)["row"].transform("min")
    mask = np.zeros(len(frame), dtype=bool)
    mask[keys.index[repeated.to_numpy()]] = True
    first = pd.Series(0, index=frame.index, dtype=np.int64)
    first[keys.index] = first_row.to_numpy()
    first_rows = first.to_numpy()

    def message(positions: IntArray) -> list[str]:
        return [
            f"this programme and period already appear in row {first_rows[p]}" for p in positions
        ]

    log.cell(
        "programme_id",
        mask,
        message,
        expected="each programme and period once per file",
    )


def progress_warnings(
    log: ProblemLog, clean: pd.DataFrame, stored: pd.DataFrame, programmes: pd.DataFrame
) -> None:
    """Warnings over each programme's running totals (stored months plus this file).

    Definitions: cumulative completed above cumulative enrolled; cumulative enrolled above
    the programme's capacity (its seats over its whole run); cumulative spend above its
    budget. Each is reported once per programme, at the first month of this file where it
    holds. The spend warning needs the file's Spend EUR column.
    """
    if clean.empty:
        return
    earlier = stored
    if not stored.empty:
        file_keys = pd.MultiIndex.from_frame(clean[["programme_id", "period"]])
        earlier = stored[
            ~pd.MultiIndex.from_frame(stored[["programme_id", "period"]]).isin(file_keys)
        ]
    combined = pd.concat(
        [
            clean[["programme_id", "period", "enrolled", "completed", "spend_eur"]].assign(
                position=clean.index.to_numpy()
            ),
            earlier[["programme_id", "period", "enrolled", "completed", "spend_eur"]].assign(
                position=-1
            ),
        ],
        ignore_index=True,
    )
    codes, _ = pd.factorize(combined["programme_id"])
    months, _ = pd.factorize(combined["period"], sort=True)
    order = np.lexsort((months, codes))
    combined = combined.iloc[order].reset_index(drop=True)
    codes = codes[order]
    running = {
        name: _running_total(combined[name].fillna(0).to_numpy(dtype=np.float64), codes)
        for name in ("enrolled", "completed", "spend_eur")
    }
    facts = programmes.reindex(combined["programme_id"])
    from_file = combined["position"].to_numpy() >= 0
    rules = [
        (
            "completed",
            running["completed"] > running["enrolled"],
            lambda i: (
                f"completed so far ({running['completed'][i]:,.0f}) is above enrolled so far "
                f"({running['enrolled'][i]:,.0f})"
            ),
            "completions not above enrolments, counted from the programme's first month",
        ),
        (
            "enrolled",
            running["enrolled"] > facts["capacity"].to_numpy(dtype=np.float64),
            lambda i: (
                f"enrolled so far ({running['enrolled'][i]:,.0f}) is above the programme's "
                f"capacity ({facts['capacity'].iat[i]:,.0f})"
            ),
            "enrolments within the programme's capacity",
        ),
    ]
    if "spend_eur" in log.flagged:
        rules.append(
            (
                "spend_eur",
                running["spend_eur"] > facts["budget_eur"].to_numpy(dtype=np.float64),
                lambda i: (
                    f"spend so far (EUR {running['spend_eur'][i]:,.2f}) is above the "
                    f"programme's budget (EUR {facts['budget_eur'].iat[i]:,.2f})"
                ),
                "spending within the programme's budget",
            )
        )
    for key, condition, describe, expected in rules:
        hits = np.flatnonzero(condition & from_file)
        first_hits = hits[np.unique(codes[hits], return_index=True)[1]] if len(hits) else hits
        positions = combined["position"].to_numpy()[first_hits]
        mask = np.zeros(len(log.sheet), dtype=bool)
        mask[positions] = True
        by_position = {int(combined["position"].iat[i]): describe(i) for i in first_hits}
        log.cell(
            key,
            mask,
            lambda found, lookup=by_position: [lookup[int(p)] for p in found],
            expected=expected,
            severity=Severity.WARNING,
        )


def _running_total(values: npt.NDArray[np.float64], groups: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
    """Cumulative sums restarting at each new group (rows sorted by group)."""
    totals = np.cumsum(values)
    starts = np.r_[0, np.flatnonzero(np.diff(groups)) + 1]
    offsets = np.repeat(totals[starts] - values[starts], np.diff(np.r_[starts, len(values)]))
    return totals - offsets
