"""Attainment: how much of each target is achieved, and whether that is on track."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from skills_roadmap.analysis.flows import Flows, target_flows
from skills_roadmap.analysis.frames import Frames
from skills_roadmap.analysis.pace import NOT_BEFORE_DEADLINE, PACE_COLUMNS, pace
from skills_roadmap.analysis.periods import january
from skills_roadmap.analysis.status import status_of
from skills_roadmap.analysis.thresholds import AnalysisSettings
from skills_roadmap.analysis.trajectory import expected_values

TARGET_COLUMNS = [
    "target_id",
    "scope",
    "scope_id",
    "level",
    "metric",
    "baseline_year",
    "deadline_year",
    "baseline_value",
]
MEASURES = ["target", "achieved", "expected", "attainment", "ratio", "gap", "status"]
ATTAINMENT_COLUMNS = [*TARGET_COLUMNS, *MEASURES, "forecast"]


def achieved_values(targets: pd.DataFrame, flows: Flows, month: np.ndarray) -> np.ndarray:
    """Achieved per target (in the order of ``targets``): the baseline plus the target's
    metric summed over its programmes from January of the baseline year through its as-of
    ``month``."""
    counted = flows.total_since(targets["target_id"], january(targets["baseline_year"]), month)
    return targets["baseline_value"].to_numpy("float64") + counted


def _with_measures(
    table: pd.DataFrame, settings: AnalysisSettings, late: pd.Series | None = None
) -> pd.DataFrame:
    """Add attainment, ratio, gap and status to a table of target, achieved and expected;
    ``late`` marks rows whose recent pace misses the deadline."""
    late_rows = None if late is None else late.fillna(False).astype(bool).to_numpy()
    return table.assign(
        **measures(
            table["target"].to_numpy("float64"),
            table["achieved"].to_numpy("float64"),
            table["expected"].to_numpy("float64"),
            settings,
            late_rows,
        )
    )


def measures(
    target: np.ndarray,
    achieved: np.ndarray,
    expected: np.ndarray,
    settings: AnalysisSettings,
    late: np.ndarray | None = None,
) -> dict[str, Any]:
    """Attainment (achieved / target), ratio (achieved / expected; missing where nothing is
    expected), gap (expected - achieved) and status of plain arrays."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "attainment": achieved / target,
            "ratio": np.where(expected > 0, achieved / expected, np.nan),
            "gap": expected - achieved,
            "status": status_of(achieved, expected, settings, late),
        }


def attainment(frames: Frames, settings: AnalysisSettings | None = None) -> pd.DataFrame:
    """Attainment of every target in ``frames`` at the as-of month, one row per target.

    Definitions:
        achieved: the target's baseline value plus the sum of the target's metric (completed,
            enrolled or certified) over the progress of the programmes in the target's scope
            and level, from January of the baseline year through the as-of month. Blank
            (not reported) values add nothing.
        expected: the value on the target's trajectory at the as-of month (see
            :func:`~skills_roadmap.analysis.trajectory.expected_values`).
        attainment: achieved / target. ratio: achieved / expected. gap: expected - achieved.
        status: on track when ratio >= ``settings.on_track``, at risk when >=
            ``settings.at_risk``, else off track; on track while nothing is expected yet; but
            never on track when the forecast is "not before the deadline" (then at risk).
        forecast: as in :func:`~skills_roadmap.analysis.forecast.forecast`.

    Returns:
        Columns ``target_id, scope, scope_id, level, metric, baseline_year, deadline_year,
        baseline_value, target, achieved, expected, attainment, ratio, gap, status,
        forecast``, ordered by scope, scope id, level and deadline.
    """
    flows = target_flows(frames, frames.targets)
    return assessed_targets(frames, flows, settings)[ATTAINMENT_COLUMNS]


def assessed_targets(
    frames: Frames, flows: Flows, settings: AnalysisSettings | None = None
) -> pd.DataFrame:
    """:func:`attainment` with the pace columns of
    :func:`~skills_roadmap.analysis.pace.pace`, from ``flows`` computed already: one pass over
    the progress serves the achieved values, the run rates and so the status."""
    month = np.full(len(frames.targets), np.nan if frames.as_of is None else frames.as_of)
    table = _assessed(frames, frames.targets, month, flows, settings or AnalysisSettings())
    return table.sort_values(_ORDER, na_position="first", kind="stable").reset_index(drop=True)


def assessed_by_month(
    frames: Frames, flows: Flows, months: Sequence[int], settings: AnalysisSettings | None = None
) -> pd.DataFrame:
    """:func:`assessed_targets` at each of ``months`` (a column ``month``), in one pass: what
    it would give with ``frames`` read through each month in turn, ordered by month."""
    targets = frames.targets
    month = np.repeat(np.asarray(months, dtype="float64"), len(targets))
    rows = targets.iloc[np.tile(np.arange(len(targets)), len(months))].reset_index(drop=True)
    table = _assessed(frames, rows, month, flows, settings or AnalysisSettings())
    table.insert(0, "month", month.astype(np.int64))
    order = ["month", *_ORDER]
    return table.sort_values(order, na_position="first", kind="stable").reset_index(drop=True)


_ORDER = ["scope", "scope_id", "level", "deadline_year", "target_id"]
_HEADLINE_KEYS = ["scope", "scope_id", "level"]


def _assessed(
    frames: Frames,
    rows: pd.DataFrame,
    month: np.ndarray,
    flows: Flows,
    settings: AnalysisSettings,
) -> pd.DataFrame:
    """Targets (``rows`` of ``frames.targets``, each at its as-of ``month``; NaN: none)
    assessed: achieved, expected, the measures and the pace."""
    table = rows[TARGET_COLUMNS].assign(
        target=rows["value"].to_numpy(), achieved=achieved_values(rows, flows, month)
    )
    expected = np.full(len(rows), np.nan)
    known = ~np.isnan(month)
    if known.any():
        points = pd.DataFrame(
            {"target_id": rows["target_id"].to_numpy()[known], "month": month[known]}
        ).astype({"month": np.int64})
        expected[known] = expected_values(frames.targets, frames.milestones, points).to_numpy()
    table["expected"] = expected
    paced = pace(table, flows, pd.Series(month, index=table.index), settings)
    table = _with_measures(table, settings, paced["forecast"] == NOT_BEFORE_DEADLINE)
    return pd.concat([table, paced[PACE_COLUMNS]], axis=1)


def headline_targets(
    table: pd.DataFrame, as_of_year: int | pd.Series | None, by: Sequence[str] = ()
) -> pd.DataFrame:
    """One row of :func:`attainment` per scope and level (and per ``by``, e.g. a ``month``
    column with ``as_of_year`` one year per row): the earliest deadline not yet past, else
    the latest deadline (ties go to the first target id).

    A region may set several targets for a level (another metric, a later deadline); the
    overview shows the one that matters now.
    """
    past = table["deadline_year"] < (0 if as_of_year is None else as_of_year)
    ranked = table.assign(
        _past=past, _order=np.where(past, -table["deadline_year"], table["deadline_year"])
    ).sort_values([*by, "_past", "_order", "target_id"], kind="stable")
    return ranked.drop_duplicates([*by, *_HEADLINE_KEYS]).drop(columns=["_past", "_order"])


def group_sum(values: pd.Series, codes: np.ndarray, size: int) -> np.ndarray:
    """``values`` summed per group code (``pd.factorize`` codes; -1 is left out), NaN for a
    group whose values are all missing, as ``sum(min_count=1)`` gives."""
    numbers = values.to_numpy("float64")
    counted = (codes >= 0) & ~np.isnan(numbers)
    totals = np.bincount(codes[counted], weights=numbers[counted], minlength=size)
    reported = np.bincount(codes[counted], minlength=size)
    return np.where(reported > 0, totals, np.nan)


def summarise_attainment(
    table: pd.DataFrame, by: Sequence[str] = (), settings: AnalysisSettings | None = None
) -> pd.DataFrame:
    """Attainment of groups of targets: e.g. per level, per deadline year, or all together.

    The attainment of a union of targets is the sum of their achieved over the sum of their
    targets (likewise the ratio and the status use the summed expected values), so a group
    is never the average of percentages. Sum like with like: targets of one metric. A group
    with a member forecast to miss its deadline is not on track.

    Args:
        table: rows of :func:`attainment` (any subset).
        by: columns of ``table`` to group by; empty for one total row.
        settings: thresholds for the status.
    """
    settings = settings or AnalysisSettings()
    if len(by) == 1:  # the common case (per level), without a groupby's overhead
        codes, keys = pd.factorize(table[by[0]], sort=True)
        return pd.DataFrame({by[0]: keys, **grouped_attainment(table, codes, len(keys), settings)})
    marked = table.assign(_late=table["forecast"] == NOT_BEFORE_DEADLINE)
    if by:
        grouped = marked.groupby(list(by), observed=True)
        summed = grouped[_SUMMED].sum(min_count=1).reset_index()
        late = grouped["_late"].any().reset_index(drop=True)
    else:
        summed = marked[_SUMMED].sum(min_count=1).to_frame().T.astype("float64")
        late = pd.Series([bool(marked["_late"].any())])
    return _with_measures(summed, settings, late)


_SUMMED = ["baseline_value", "target", "achieved", "expected"]


def grouped_attainment(
    table: pd.DataFrame, codes: np.ndarray, size: int, settings: AnalysisSettings
) -> dict[str, Any]:
    """:func:`summarise_attainment` of the groups ``0 … size - 1`` that ``codes`` (one per row
    of ``table``; -1: in none) assign: one value per group, in that order (a group without
    rows sums to nothing), as plain arrays: this runs on every request for the cards."""
    counted = codes >= 0
    late_rows = (table["forecast"] == NOT_BEFORE_DEADLINE).to_numpy(bool)
    late = np.bincount(codes[counted], weights=late_rows[counted], minlength=size) > 0
    sums = {name: group_sum(table[name], codes, size) for name in _SUMMED}
    return {**sums, **measures(sums["target"], sums["achieved"], sums["expected"], settings, late)}
