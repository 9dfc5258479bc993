"""Warnings over each programme's running totals: this file's months on top of the stored ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from skills_roadmap.i18n.words import _
from skills_roadmap.ingest.problems import ProblemLog, Severity

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
MONTH_SPAN = 1_000_000  # programme position * MONTH_SPAN + YYYYMM: one integer per key
# Spend is summed in floating point: a total within half a cent of the budget is on budget.
CENT_TOLERANCE = 0.005


@dataclass(frozen=True)
class History:
    """Each programme's months, the stored ones and this file's, sorted by programme and month.

    Attributes:
        programme: the programme's position in the programme facts.
        row: the position of the file row, or -1 for a stored month the file does not repeat.
        enrolled, completed, spend: each month's flows with this file stored.
        stored: the same three as they are stored before this file (0 for a month it adds).
    """

    programme: IntArray
    row: IntArray
    enrolled: FloatArray
    completed: FloatArray
    spend: FloatArray
    stored: tuple[FloatArray, FloatArray, FloatArray]

    def running(self, values: FloatArray) -> FloatArray:
        """Cumulative sums of ``values`` restarting at each programme."""
        totals = np.cumsum(values)
        starts = np.r_[0, np.flatnonzero(np.diff(self.programme)) + 1]
        lengths = np.diff(np.r_[starts, len(values)])
        return totals - np.repeat(totals[starts] - values[starts], lengths)


def _amounts(frame: pd.DataFrame) -> list[FloatArray]:
    """Enrolled, completed and spend as floats, 0 where not reported."""
    return [
        frame[name].to_numpy(dtype=np.float64, na_value=0.0)
        for name in ("enrolled", "completed", "spend_eur")
    ]


def history(clean: pd.DataFrame, stored: pd.DataFrame, programmes: pd.DataFrame) -> History:
    """This file's valid rows plus the stored months of the same programmes it does not repeat,
    and every one of those months as stored before this file."""
    programme = clean["programme_position"].to_numpy(dtype=np.int64)
    month = clean["month"].to_numpy(dtype=np.int64)
    row = clean.index.to_numpy(dtype=np.int64)
    amounts = _amounts(clean)
    before = [np.zeros(len(clean)) for _amount in amounts]
    if not stored.empty:
        stored_programme = programmes.index.get_indexer(
            pd.Index(stored["programme_id"], dtype=object)
        ).astype(np.int64)
        stored_month = np.asarray(
            stored["period"].str.replace("-", "", regex=False), dtype=np.int64
        )
        stored_keys = stored_programme * MONTH_SPAN + stored_month
        file_keys = programme * MONTH_SPAN + month
        earlier = ~np.isin(stored_keys, file_keys)
        repeated = pd.Index(stored_keys).get_indexer(file_keys)  # -1: a month the file adds
        stored_amounts = _amounts(stored)
        before = [
            np.r_[np.where(repeated >= 0, theirs[repeated], 0.0), theirs[earlier]]
            for theirs in stored_amounts
        ]
        programme = np.r_[programme, stored_programme[earlier]]
        month = np.r_[month, stored_month[earlier]]
        row = np.r_[row, np.full(int(earlier.sum()), -1, dtype=np.int64)]
        amounts = [
            np.r_[mine, theirs[earlier]]
            for mine, theirs in zip(amounts, stored_amounts, strict=True)
        ]
    order = np.lexsort((month, programme))
    enrolled, completed, spend = (values[order] for values in amounts)
    was_enrolled, was_completed, was_spend = (values[order] for values in before)
    return History(
        programme[order],
        row[order],
        enrolled,
        completed,
        spend,
        (was_enrolled, was_completed, was_spend),
    )


def _new_or_larger(excess: FloatArray, excess_before: FloatArray) -> npt.NDArray[np.bool_]:
    """Where an overrun holds with this file (``excess`` above 0) and was not stored before,
    or is larger than stored: the overruns this file makes, not the ones it finds."""
    return (excess > 0) & ((excess_before <= 0) | (excess > excess_before))


def progress_warnings(
    log: ProblemLog,
    clean: pd.DataFrame,
    stored: pd.DataFrame,
    programmes: pd.DataFrame,
    touched: npt.NDArray[np.bool_] | None = None,
) -> None:
    """Warnings over each programme's running totals (stored months plus this file).

    Definitions: cumulative completed above cumulative enrolled; cumulative enrolled above
    the programme's capacity (its seats over its whole run); cumulative spend above its
    budget. Each is reported once per programme, at the first month this file adds or
    changes (``touched``, over ``clean``'s rows; default all) where it holds and is new or
    larger than it was as stored: an overrun stored before was warned about when it was
    stored, and repeating it at every month's upload would bury the warnings that matter.
    The spend warning needs the file's Spend EUR column.
    """
    if clean.empty:
        return
    months = history(clean, stored, programmes)
    if touched is not None:
        rows = clean.index.to_numpy(dtype=np.int64)[touched]
        months = replace(months, row=np.where(np.isin(months.row, rows), months.row, -1))
    was_enrolled, was_completed, was_spend = (months.running(v) for v in months.stored)
    enrolled = months.running(months.enrolled)
    completed = months.running(months.completed)
    capacity = programmes["capacity"].to_numpy(dtype=np.float64)[months.programme]
    _warn_once(
        log,
        months,
        "completed",
        _new_or_larger(completed - enrolled, was_completed - was_enrolled),
        lambda i: _(
            "completed so far ({completed:,.0f}) is above enrolled so far ({enrolled:,.0f})",
            completed=completed[i],
            enrolled=enrolled[i],
        ),
        _("completions not above enrolments, counted from the programme's first month"),
        rule=_("completed so far above enrolled so far"),
    )
    _warn_once(
        log,
        months,
        "enrolled",
        _new_or_larger(enrolled - capacity, was_enrolled - capacity),
        lambda i: _(
            "enrolled so far ({enrolled:,.0f}) is above the programme's capacity ({capacity:,.0f})",
            enrolled=enrolled[i],
            capacity=capacity[i],
        ),
        _("enrolments within the programme's capacity"),
        rule=_("enrolled so far above the programme's capacity"),
    )
    if "spend_eur" in log.sheet.cells:
        spend = months.running(months.spend)
        budget = programmes["budget_eur"].to_numpy(dtype=np.float64)[months.programme]
        _warn_once(
            log,
            months,
            "spend_eur",
            _new_or_larger(spend - budget - CENT_TOLERANCE, was_spend - budget - CENT_TOLERANCE),
            lambda i: _(
                "spend so far (EUR {spend:,.2f}) is above the programme's budget "
                "(EUR {budget:,.2f})",
                spend=spend[i],
                budget=budget[i],
            ),
            _("spending within the programme's budget"),
            rule=_("spend so far above the programme's budget"),
        )


def _warn_once(
    log: ProblemLog,
    months: History,
    key: str,
    exceeded: npt.NDArray[np.bool_],
    describe: Callable[[int], str],
    expected: str,
    *,
    rule: str,
) -> None:
    """One warning per programme, at the first month of the file where ``exceeded`` holds."""
    hits = np.flatnonzero(exceeded & (months.row >= 0))
    if not len(hits):
        return
    first = hits[np.unique(months.programme[hits], return_index=True)[1]]
    messages = {int(months.row[i]): describe(int(i)) for i in first}
    mask = np.zeros(len(log.sheet), dtype=bool)
    mask[list(messages)] = True
    log.cell(
        key,
        mask,
        lambda positions: [messages[int(p)] for p in positions],
        expected=expected,
        severity=Severity.WARNING,
        rule=rule,
    )
