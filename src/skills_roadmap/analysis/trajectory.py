"""The trajectory a target should follow, and the achieved path against it month by month."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from skills_roadmap.analysis.flows import TargetFlows, target_flows
from skills_roadmap.analysis.frames import Frames
from skills_roadmap.analysis.periods import december, january, periods_of_months


def trajectory_knots(targets: pd.DataFrame, milestones: pd.DataFrame) -> pd.DataFrame:
    """The corners of each target's trajectory: ``target_id``, ``month``, ``value``.

    The baseline value at January of the baseline year, each interim milestone at December
    of its year, and the target value at December of the deadline year.
    """
    baseline = pd.DataFrame(
        {
            "target_id": targets["target_id"],
            "month": january(targets["baseline_year"]),
            "value": targets["baseline_value"],
        }
    )
    steps = milestones[milestones["target_id"].isin(targets["target_id"])]
    interim = pd.DataFrame(
        {"target_id": steps["target_id"], "month": december(steps["year"]), "value": steps["value"]}
    )
    deadline = pd.DataFrame(
        {
            "target_id": targets["target_id"],
            "month": december(targets["deadline_year"]),
            "value": targets["value"],
        }
    )
    knots = pd.concat([baseline, interim, deadline], ignore_index=True)
    knots = knots.astype({"target_id": str, "month": np.int64, "value": "float64"})
    return knots.sort_values(["target_id", "month"], kind="stable").reset_index(drop=True)


def expected_values(
    targets: pd.DataFrame, milestones: pd.DataFrame, points: pd.DataFrame
) -> pd.Series:
    """The value on each target's trajectory at each point (``target_id``, ``month``).

    Straight lines between the knots of :func:`trajectory_knots`; before the baseline month
    the baseline value, after the deadline the target value. Aligned to ``points``' index.

    >>> targets = pd.DataFrame({"target_id": ["t"], "baseline_year": [2024],
    ...     "baseline_value": [0.0], "deadline_year": [2025], "value": [2300.0]})
    >>> no_milestones = pd.DataFrame({"target_id": [], "year": [], "value": []})
    >>> december_2024 = 2024 * 12 + 11
    >>> expected_values(targets, no_milestones,
    ...     pd.DataFrame({"target_id": ["t"], "month": [december_2024]})).tolist()
    [1100.0]
    """
    knots = trajectory_knots(targets, milestones)
    if not len(knots) or not len(points):
        return pd.Series(np.nan, index=points.index, dtype="float64")
    ids = pd.Index(knots["target_id"].unique())
    knot_target = ids.get_indexer(knots["target_id"])
    knot_month = knots["month"].to_numpy(np.int64)
    knot_value = knots["value"].to_numpy("float64")
    target = ids.get_indexer(points["target_id"].astype(str))
    month = points["month"].to_numpy(np.int64)
    at = _knot_at_or_before(knot_target, knot_month, target, month)
    after = np.minimum(at + 1, len(knots) - 1)
    found = at >= 0
    has_next = found & (at + 1 < len(knots)) & (knot_target[after] == target)
    start = np.where(found, knot_value[at], np.nan)
    # 0 / 0 where a point's knot is its target's last: that quotient is never used.
    with np.errstate(invalid="ignore", divide="ignore"):
        along = (month - knot_month[at]) / (knot_month[after] - knot_month[at])
        value = np.where(has_next, start + (knot_value[after] - start) * along, start)
    # Before its first knot (the baseline) a point stands at that knot's value; a target
    # without knots (position -1, the appended NaN) has no value.
    first = np.searchsorted(knot_target, np.arange(len(ids)))
    baseline = np.append(knot_value[first], np.nan)[target]
    value = np.where(np.isnan(start), baseline, value)
    return pd.Series(value, index=points.index, dtype="float64")


def _knot_at_or_before(
    knot_target: np.ndarray, knot_month: np.ndarray, target: np.ndarray, month: np.ndarray
) -> np.ndarray:
    """For each point (``target``, ``month``), the position of the last knot of its target at
    or before its month (of several knots in one month, the last), or -1 when there is none.

    Knots are sorted by target, then month, so one binary search over combined (target,
    month) keys finds them all.
    """
    low = min(knot_month.min(), month.min())
    width = max(knot_month.max(), month.max()) - low + 1
    keys = knot_target * width + (knot_month - low)
    at = np.searchsorted(keys, target * width + (month - low), side="right") - 1
    same_target = (target >= 0) & (at >= 0) & (knot_target[np.maximum(at, 0)] == target)
    return np.where(same_target, at, -1)


def _month_grid(targets: pd.DataFrame, as_of: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Every month of every target from January of its baseline year to the later of
    December of its deadline year and the as-of month: each row's target (its position in
    ``targets``) and month."""
    start = january(targets["baseline_year"]).to_numpy(np.int64)
    end = december(targets["deadline_year"]).to_numpy(np.int64)
    if as_of is not None:
        end = np.maximum(end, as_of)
    lengths = end - start + 1
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(np.arange(len(targets)), lengths), np.repeat(start, lengths) + offsets


def _running_totals(
    targets: pd.DataFrame, flows: TargetFlows, rows: np.ndarray, months: np.ndarray
) -> np.ndarray:
    """For each (target position, month) pair, the target's metric summed from January of
    its baseline year through that month."""
    counted = flows.since(targets["target_id"], january(targets["baseline_year"]))
    # A leading column of zeros stands for the months before the first month with progress.
    running = np.hstack([np.zeros((len(targets), 1)), np.cumsum(counted, axis=1)])
    column = np.clip(months - flows.first_month + 1, 0, running.shape[1] - 1)
    return running[rows, column]


def attainment_trend(
    frames: Frames, target_ids: Iterable[str] | None = None, *, yearly: bool = False
) -> pd.DataFrame:
    """Achieved (cumulative) against the trajectory, month by month, for charts.

    One row per target and month from January of its baseline year to December of its
    deadline year (or the as-of month, if later). ``achieved`` follows the definition of
    :func:`~skills_roadmap.analysis.attainment.attainment` at each month and is missing after
    the as-of month; ``expected`` is the trajectory throughout.

    Args:
        frames: the (filtered) frames.
        target_ids: the targets to trace; all targets of ``frames`` when ``None``.
        yearly: keep only December of each year and the as-of month (attainment × year).

    Returns:
        Columns ``target_id, month, period, target, achieved, expected``.
    """
    targets = frames.targets
    if target_ids is not None:
        targets = targets[targets["target_id"].isin(list(target_ids))]
    rows, months = _month_grid(targets, frames.as_of)
    grid = pd.DataFrame({"target_id": targets["target_id"].to_numpy(str)[rows], "month": months})
    achieved = targets["baseline_value"].to_numpy("float64")[rows] + _running_totals(
        targets, target_flows(frames, targets), rows, months
    )
    reported = months <= (frames.as_of if frames.as_of is not None else -1)
    trend = grid.assign(
        period=periods_of_months(grid["month"]),
        target=targets["value"].to_numpy("float64")[rows],
        achieved=np.where(reported, achieved, np.nan),
        expected=expected_values(targets, frames.milestones, grid),
    )
    if not len(trend):  # an empty trend has always had untyped target and achieved columns
        trend = trend.astype({"target": object, "achieved": object})
    if yearly:
        trend = trend[(trend["month"] % 12 == 11) | (trend["month"] == frames.as_of)]
    return trend.reset_index(drop=True)
