"""Attainment: how much of each target is achieved, and whether that is on track."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from skills_roadmap.analysis.flows import Flows, divide, target_flows
from skills_roadmap.analysis.frames import Frames
from skills_roadmap.analysis.pace import NOT_BEFORE_DEADLINE, PACE_COLUMNS, pace
from skills_roadmap.analysis.periods import january
from skills_roadmap.analysis.status import classify_status
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


def achieved_values(targets: pd.DataFrame, flows: Flows) -> np.ndarray:
    """Achieved per target (in the order of ``targets``): the baseline plus the target's
    metric summed over its programmes from January of the baseline year through the as-of
    month."""
    counted = flows.total_since(targets["target_id"], january(targets["baseline_year"]))
    return targets["baseline_value"].to_numpy("float64") + counted


def _with_measures(
    table: pd.DataFrame, settings: AnalysisSettings, late: pd.Series | None = None
) -> pd.DataFrame:
    """Add attainment, ratio, gap and status to a table of target, achieved and expected;
    ``late`` marks rows whose recent pace misses the deadline."""
    expected = table["expected"]
    return table.assign(
        attainment=table["achieved"] / table["target"],
        ratio=divide(table["achieved"], expected),
        gap=expected - table["achieved"],
        status=classify_status(table["achieved"], expected, settings, late),
    )


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
    settings = settings or AnalysisSettings()
    targets = frames.targets
    table = targets[TARGET_COLUMNS].assign(
        target=targets["value"].to_numpy(),
        achieved=achieved_values(targets, flows),
    )
    if frames.as_of is None:
        table["expected"] = np.nan
    else:
        points = pd.DataFrame({"target_id": targets["target_id"], "month": frames.as_of})
        table["expected"] = expected_values(targets, frames.milestones, points).to_numpy()
    paced = pace(table, flows, frames.as_of, settings)
    table = _with_measures(table, settings, paced["forecast"] == NOT_BEFORE_DEADLINE)
    table = pd.concat([table, paced[PACE_COLUMNS]], axis=1)
    order = ["scope", "scope_id", "level", "deadline_year", "target_id"]
    return table.sort_values(order, na_position="first", kind="stable").reset_index(drop=True)


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
    sums = ["baseline_value", "target", "achieved", "expected"]
    marked = table.assign(_late=table["forecast"] == NOT_BEFORE_DEADLINE)
    if len(by) == 1:  # the common case (per level), without a groupby's overhead
        codes, keys = pd.factorize(table[by[0]], sort=True)
        summed = pd.DataFrame(
            {by[0]: keys, **{name: group_sum(table[name], codes, len(keys)) for name in sums}}
        )
        late = pd.Series(np.bincount(codes[codes >= 0], marked["_late"][codes >= 0]) > 0)
    elif by:
        grouped = marked.groupby(list(by), observed=True)
        summed = grouped[sums].sum(min_count=1).reset_index()
        late = grouped["_late"].any().reset_index(drop=True)
    else:
        summed = marked[sums].sum(min_count=1).to_frame().T.astype("float64")
        late = pd.Series([bool(marked["_late"].any())])
    return _with_measures(summed, settings, late)
