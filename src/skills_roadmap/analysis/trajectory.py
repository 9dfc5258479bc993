"""The trajectory a target should follow, and the achieved path against it month by month."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from skills_roadmap.analysis.flows import target_flows
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
    following = knots.groupby("target_id", sort=False)[["month", "value"]].shift(-1)
    knots = knots.assign(
        knot_month=knots["month"], next_month=following["month"], next_value=following["value"]
    )
    ordered = (
        points[["target_id", "month"]]
        .astype({"target_id": str, "month": np.int64})
        .assign(point=np.arange(len(points)))
        .sort_values("month", kind="stable")
    )
    # The knot at or before each point, with the knot after it: the segment the point lies on.
    located = pd.merge_asof(
        ordered, knots.sort_values("month", kind="stable"), on="month", by="target_id"
    ).sort_values("point")
    start = located["value"].to_numpy()
    along = (located["month"] - located["knot_month"]) / (
        located["next_month"] - located["knot_month"]
    )
    value = np.where(
        located["next_month"].notna(), start + (located["next_value"] - start) * along, start
    )
    baseline = knots.drop_duplicates("target_id").set_index("target_id")["value"]
    value = np.where(np.isnan(start), located["target_id"].map(baseline), value)
    return pd.Series(value, index=points.index, dtype="float64")


def _month_grid(targets: pd.DataFrame, as_of: int | None) -> pd.DataFrame:
    """Every month of every target from January of its baseline year to the later of
    December of its deadline year and the as-of month."""
    start = january(targets["baseline_year"]).to_numpy(np.int64)
    end = december(targets["deadline_year"]).to_numpy(np.int64)
    if as_of is not None:
        end = np.maximum(end, as_of)
    lengths = end - start + 1
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return pd.DataFrame(
        {
            "target_id": np.repeat(targets["target_id"].to_numpy(str), lengths),
            "month": np.repeat(start, lengths) + offsets,
        }
    )


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
    grid = _month_grid(targets, frames.as_of)
    flows = target_flows(frames, targets, "month").astype({"month": np.int64})
    grid = grid.merge(flows, on=["target_id", "month"], how="left")
    by_target = targets.set_index("target_id")
    cumulative = grid["flow"].fillna(0.0).groupby(grid["target_id"], sort=False).cumsum()
    achieved = grid["target_id"].map(by_target["baseline_value"]) + cumulative
    reported = grid["month"] <= (frames.as_of if frames.as_of is not None else -1)
    trend = grid.assign(
        period=periods_of_months(grid["month"]),
        target=grid["target_id"].map(by_target["value"]),
        achieved=achieved.where(reported),
        expected=expected_values(targets, frames.milestones, grid),
    ).drop(columns="flow")
    if yearly:
        trend = trend[(trend["month"] % 12 == 11) | (trend["month"] == frames.as_of)]
    return trend.reset_index(drop=True)
