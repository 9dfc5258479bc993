"""Which cluster drags a region: each against its own target, or its share of the region's."""

from __future__ import annotations

import numpy as np
import pandas as pd

from skills_roadmap.analysis.attainment import achieved_values, headline_targets
from skills_roadmap.analysis.contribution import elapsed_share
from skills_roadmap.analysis.flows import programme_totals, target_flows
from skills_roadmap.analysis.frames import Frames
from skills_roadmap.analysis.status import status_of
from skills_roadmap.analysis.thresholds import AnalysisSettings
from skills_roadmap.analysis.trajectory import expected_values
from skills_roadmap.domain import Metric, ScopeKind

__all__ = ["DRAG_COLUMNS", "cluster_drag", "drag_table"]

DRAG_COLUMNS = [
    "cluster_id",
    "name",
    "achieved",
    "expected",
    "own_target",
    "ratio",
    "gap",
    "status",
]


def drag_table(
    shares: pd.DataFrame,
    region_expected: pd.DataFrame,
    own_targets: pd.DataFrame,
    settings: AnalysisSettings,
) -> pd.DataFrame:
    """Each cluster of a region judged at the levels shown, worst first.

    A cluster is judged per level against its own target where it has one (its own achieved
    and expected), else against its expected share of the region's target: the people the
    region's trajectory expects from its programmes by now at that level, times the
    cluster's part of the region's expected enrolment there (``weight``: capacity × the
    elapsed share of each programme's run). A level with neither is not judged. The levels
    judged are summed per cluster; ratio = achieved / expected, gap = expected - achieved,
    and the status follows the targets' rule (``status_of``), so "lagging" means what it
    means on a target.

    Args:
        shares: ``cluster_id, name, level, achieved, weight``, one row per cluster and level
            in the region.
        region_expected: ``level, expected``: the region's expected gain per level.
        own_targets: ``cluster_id, level, achieved, expected`` of the clusters' own targets.
        settings: the status thresholds.

    Returns:
        ``cluster_id, name, achieved, expected, own_target, ratio, gap, status``; a cluster
        with no level judged has blank expected, ratio, gap and status. Ordered by ratio
        (blanks last), then cluster id.

    >>> shares = pd.DataFrame({"cluster_id": ["a", "b"], "name": ["A", "B"],
    ...     "level": ["basic", "basic"], "achieved": [30.0, 5.0], "weight": [60.0, 20.0]})
    >>> drag_table(shares, pd.DataFrame({"level": ["basic"], "expected": [40.0]}),
    ...     pd.DataFrame(columns=["cluster_id", "level", "achieved", "expected"]),
    ...     AnalysisSettings())[["cluster_id", "ratio", "status"]].to_dict("list")
    {'cluster_id': ['b', 'a'], 'ratio': [0.5, 1.0], 'status': ['off_track', 'on_track']}
    """
    rows = shares.astype({"level": str}).reset_index(drop=True)
    total = rows.groupby("level")["weight"].transform("sum")
    region = rows["level"].map(
        region_expected.astype({"level": str}).set_index("level")["expected"]
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        share_expected = np.where(total > 0, region * rows["weight"] / total, np.nan)
    own = own_targets.astype({"cluster_id": str, "level": str})
    own = own.groupby(["cluster_id", "level"], as_index=False)[["achieved", "expected"]].sum()
    rows = rows.astype({"cluster_id": str}).merge(
        own.rename(columns={"achieved": "own_achieved", "expected": "own_expected"}),
        on=["cluster_id", "level"],
        how="left",
    )
    has_own = rows["own_expected"].notna().to_numpy()
    expected = np.where(has_own, rows["own_expected"], share_expected)
    judged = ~np.isnan(expected.astype("float64"))
    rows = rows.assign(
        achieved=np.where(has_own, rows["own_achieved"], rows["achieved"]),
        expected=expected,
        own_target=has_own,
    )[judged]
    sums = rows.groupby("cluster_id", as_index=False).agg(
        achieved=("achieved", "sum"), expected=("expected", "sum"), own_target=("own_target", "any")
    )
    names = shares[["cluster_id", "name"]].astype({"cluster_id": str}).drop_duplicates("cluster_id")
    table = names.merge(sums, on="cluster_id", how="left")
    table["own_target"] = table["own_target"].fillna(False).astype(bool)
    achieved = table["achieved"].to_numpy("float64")
    expected = table["expected"].to_numpy("float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(expected > 0, achieved / expected, np.nan)
    table = table.assign(
        ratio=ratio, gap=expected - achieved, status=status_of(achieved, expected, settings)
    )
    table = table.sort_values(["ratio", "cluster_id"], na_position="last", kind="stable")
    return table[DRAG_COLUMNS].reset_index(drop=True)


def _year(month: int | None) -> int | None:
    return None if month is None else month // 12


def _achieved_and_expected(frames: Frames) -> pd.DataFrame:
    """Each target of ``frames`` with its achieved and expected values at the as-of month, as
    :func:`~skills_roadmap.analysis.attainment.attainment` has them, without the pace it
    also computes (most of its cost; the status here needs only the two values)."""
    targets = frames.targets
    if frames.as_of is None:
        return targets.assign(achieved=np.nan, expected=np.nan)
    month = np.full(len(targets), frames.as_of)
    points = pd.DataFrame({"target_id": targets["target_id"].to_numpy(), "month": month})
    return targets.assign(
        achieved=achieved_values(targets, target_flows(frames, targets), month),
        expected=expected_values(targets, frames.milestones, points).to_numpy(),
    )


def cluster_drag(frames: Frames, settings: AnalysisSettings | None = None) -> pd.DataFrame:
    """:func:`drag_table` of the clusters in ``frames`` (narrowed to a region and its levels
    with :func:`~skills_roadmap.analysis.filters.apply_filters`).

    Definitions: per level, the region's headline target (see
    :func:`~skills_roadmap.analysis.attainment.headline_targets`) sets the metric and the
    expected gain (its trajectory's value at the as-of month less its baseline); a cluster's
    achieved at a level is that metric summed over its programmes there through the as-of
    month; a cluster's own headline target at the level replaces both.
    """
    settings = settings or AnalysisSettings()
    heads = headline_targets(_achieved_and_expected(frames), _year(frames.as_of))
    heads = heads.astype({"scope": str, "scope_id": str, "level": str, "metric": str})
    region = heads[heads["scope"] == ScopeKind.REGION.value]
    region_expected = (
        region.assign(expected=(region["expected"] - region["baseline_value"]).clip(lower=0.0))
        .groupby("level", as_index=False)
        .agg(expected=("expected", "sum"))
    )
    metric_of = region.drop_duplicates("level").set_index("level")["metric"]
    own = heads[heads["scope"] == ScopeKind.CLUSTER.value].rename(
        columns={"scope_id": "cluster_id"}
    )
    metrics = [metric.value for metric in Metric]
    totals = programme_totals(frames, metrics).fillna({metric: 0.0 for metric in metrics})
    level = totals["level"].astype(str)
    metric = level.map(metric_of).astype(object).fillna(Metric.COMPLETED.value)
    picked = np.choose(
        metric.map({name: i for i, name in enumerate(metrics)}).to_numpy(),
        [totals[name].to_numpy("float64") for name in metrics],
    )
    weight = totals["capacity"] * elapsed_share(totals, frames.as_of)
    per_programme = pd.DataFrame(
        {
            "cluster_id": totals["cluster_id"].astype(str),
            "level": level,
            "achieved": picked,
            "weight": weight.to_numpy("float64"),
        }
    )
    shares = per_programme.groupby(["cluster_id", "level"], as_index=False).sum()
    names = frames.clusters[["cluster_id", "name"]].astype({"cluster_id": str})
    shares = shares.merge(names, on="cluster_id", how="left")
    return drag_table(
        shares, region_expected, own[["cluster_id", "level", "achieved", "expected"]], settings
    )
