"""Targets calibrated on the generated progress, so every trajectory status appears in the demo."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from skills_roadmap.demo.calendar import (
    BASELINE_YEAR,
    DEADLINE_YEAR,
    FIRST_YEAR,
    LAST_MONTH,
    MILESTONE_YEARS,
    trajectory_share,
)
from skills_roadmap.demo.layout import LEVELS, Layout
from skills_roadmap.domain import Metric, ScopeKind

FloatArray = npt.NDArray[np.float64]

# Statuses by achieved / expected at DEMO_LAST_PERIOD: on track, at risk, off track.
STATUS_SHARES = (0.45, 0.3, 0.25)
# Planned ratios sit well inside the product's bands (≥ 0.95, ≥ 0.80, < 0.80) ...
PLANNED_RATIOS = np.array([(1.03, 1.2), (0.85, 0.9), (0.5, 0.72)])
# ... and a target is only rounded to a "nice" number while its ratio stays in these.
SAFE_RATIOS = np.array([(0.97, np.inf), (0.82, 0.93), (0.0, 0.78)])

TARGET_COLUMNS = [
    "id",
    "scope",
    "scope_id",
    "level",
    "metric",
    "deadline_year",
    "value",
    "baseline_year",
    "baseline_value",
]


def calibrate_targets(
    layout: Layout, programmes: pd.DataFrame, progress: pd.DataFrame, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Region, network and cluster targets (metric ``completed``) and their milestones.

    Why calibrate: the dashboard must show regions on track, at risk and off track. Each
    region × level is given a planned status (45 % / 30 % / 25 %, at least one of each) and a
    ratio inside that status; its target is then the value for which

        achieved / expected = ratio, with
        achieved = baseline + completed through DEMO_LAST_PERIOD,
        expected = baseline + (target - baseline) × 34/48,

    34/48 being the share of the straight line from January 2024 to December 2027 that has
    passed by the end of October 2026. Milestones for 2025 and 2026 lie on that same line, so
    a milestone trajectory gives the same status. Network targets per level add up the
    regions'; a few clusters get a target at their strongest level (no milestones).

    Returns:
        ``(targets, milestones)`` with the columns of ``targets`` and ``target_milestones``.
    """
    rng = np.random.default_rng([seed, 4])
    completed = (
        progress.groupby("programme_id", sort=False)["completed"]
        .sum()
        .reindex(programmes["id"], fill_value=0)
        .to_numpy(dtype=np.float64)
    )
    codes = layout.regions["code"].to_numpy()
    region_index = programmes["region_code"].map({c: i for i, c in enumerate(codes)}).to_numpy()
    level_index = programmes["level_index"].to_numpy()
    achieved = np.bincount(
        region_index * len(LEVELS) + level_index, weights=completed, minlength=codes.size * 3
    ).astype(np.float64)
    baseline = np.round(achieved * rng.uniform(0.0, 0.15, achieved.size), -1)
    value = _target_values(rng, achieved, baseline, _planned_statuses(rng, achieved.size))
    region_levels = np.tile(np.arange(len(LEVELS)), codes.size)
    regions = _frame(
        ids=[
            f"region-{c}-{LEVELS[lv].value}"
            for c, lv in zip(np.repeat(codes, 3), region_levels, strict=True)
        ],
        scope=ScopeKind.REGION,
        scope_ids=list(np.repeat(codes, 3)),
        level_index=region_levels,
        value=value,
        baseline=baseline,
    )
    network_value = np.bincount(region_levels, weights=value, minlength=3).astype(np.float64)
    network_baseline = np.bincount(region_levels, weights=baseline, minlength=3).astype(np.float64)
    network = _frame(
        ids=[f"network-{level.value}" for level in LEVELS],
        scope=ScopeKind.NETWORK,
        scope_ids=[None] * len(LEVELS),
        level_index=np.arange(len(LEVELS)),
        value=network_value,
        baseline=network_baseline,
    )
    milestones = pd.concat([_milestones(regions), _milestones(network)], ignore_index=True)
    clusters = _cluster_targets(rng, layout, programmes, completed)
    targets = pd.concat([regions, network, clusters], ignore_index=True)
    return targets, milestones


def _planned_statuses(rng: np.random.Generator, size: int) -> npt.NDArray[np.int64]:
    """Status codes 0/1/2 in the planned shares, at least one of each, in random order."""
    counts = [max(1, round(size * share)) for share in STATUS_SHARES]
    counts[0] += size - sum(counts)
    return rng.permutation(np.repeat(np.arange(3), counts))


def _target_values(
    rng: np.random.Generator,
    achieved: FloatArray,
    baseline: FloatArray,
    status: npt.NDArray[np.int64],
) -> FloatArray:
    """The target per row that puts achieved / expected at a ratio inside ``status``."""
    low, high = PLANNED_RATIOS[status, 0], PLANNED_RATIOS[status, 1]
    ratio = rng.uniform(low, high)
    share = trajectory_share(LAST_MONTH)
    raw = baseline + ((baseline + achieved) / ratio - baseline) / share

    def stays_in_status(candidate: FloatArray) -> npt.NDArray[np.bool_]:
        expected = baseline + (candidate - baseline) * share
        realised = (baseline + achieved) / np.maximum(expected, 1e-9)
        return (realised >= SAFE_RATIOS[status, 0]) & (realised < SAFE_RATIOS[status, 1])

    value = np.round(raw)
    for significant in (3, 2):  # prefer the roundest number that keeps the status
        magnitude = np.floor(np.log10(np.maximum(raw, 1.0))) + 1 - significant
        step = 10.0 ** np.maximum(magnitude, 0)
        candidate = np.round(raw / step) * step
        value = np.where(stays_in_status(candidate), candidate, value)
    return np.maximum(value, baseline + 1)


def _frame(
    *,
    ids: list[str],
    scope: ScopeKind,
    scope_ids: list[str | None],
    level_index: npt.NDArray[np.int64],
    value: FloatArray,
    baseline: FloatArray,
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ids,
            "scope": scope.value,
            "scope_id": pd.Series(scope_ids, dtype=object),
            "level": [LEVELS[level].value for level in level_index],
            "metric": Metric.COMPLETED.value,
            "deadline_year": DEADLINE_YEAR,
            "value": value.astype(np.int64),
            "baseline_year": BASELINE_YEAR,
            "baseline_value": baseline.astype(np.int64),
        },
        columns=TARGET_COLUMNS,
    )


def _milestones(targets: pd.DataFrame) -> pd.DataFrame:
    """December milestones on each target's straight line from baseline to value."""
    baseline = targets["baseline_value"].to_numpy()
    rise = targets["value"].to_numpy() - baseline
    frames = [
        pd.DataFrame(
            {
                "target_id": targets["id"],
                "year": year,
                "value": np.round(
                    baseline + rise * trajectory_share((year - FIRST_YEAR) * 12 + 11)
                ).astype(np.int64),
            }
        )
        for year in MILESTONE_YEARS
    ]
    return pd.concat(frames, ignore_index=True)


def _cluster_targets(
    rng: np.random.Generator, layout: Layout, programmes: pd.DataFrame, completed: FloatArray
) -> pd.DataFrame:
    """Targets for a few clusters with completions, at the level where they train the most."""
    cluster_ids = layout.clusters["id"].to_numpy()
    cluster_index = programmes["cluster_id"].map({c: i for i, c in enumerate(cluster_ids)})
    per_level = np.bincount(
        cluster_index.to_numpy() * len(LEVELS) + programmes["level_index"].to_numpy(),
        weights=completed,
        minlength=cluster_ids.size * len(LEVELS),
    ).reshape(cluster_ids.size, len(LEVELS))
    eligible = np.flatnonzero(per_level.max(axis=1) > 0)
    chosen = np.sort(
        rng.choice(eligible, size=min(layout.cluster_targets, eligible.size), replace=False)
    )
    level_index = per_level[chosen].argmax(axis=1)
    achieved = per_level[chosen, level_index]
    baseline = np.zeros(chosen.size)
    status = rng.integers(0, 3, size=chosen.size)
    return _frame(
        ids=[
            f"cluster-{c}-{LEVELS[lv].value}"
            for c, lv in zip(cluster_ids[chosen], level_index, strict=True)
        ],
        scope=ScopeKind.CLUSTER,
        scope_ids=list(cluster_ids[chosen]),
        level_index=level_index,
        value=_target_values(rng, achieved, baseline, status),
        baseline=baseline,
    )
