"""Vectorised generation of training programmes and the hidden plan that drives their progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from skills_roadmap.demo.calendar import HORIZON_MONTHS, LAST_MONTH, month_end, month_start
from skills_roadmap.demo.catalogue import (
    DELIVERY_MODE_WEIGHTS,
    DELIVERY_MODES,
    FUNDING_SOURCE_WEIGHTS,
    FUNDING_SOURCES,
    PROGRAMME_TITLES,
    PROVIDER_HELIX,
    PROVIDER_HELIX_WEIGHTS,
    PROVIDER_PATTERNS,
)
from skills_roadmap.demo.layout import LEVELS, Layout
from skills_roadmap.demo.profiles import PROFILES, LevelProfile
from skills_roadmap.domain import TrainingLevel

# The columns of the `programmes` table; the generator adds plan columns after them.
PROGRAMME_COLUMNS = [
    "id",
    "name",
    "cluster_id",
    "region_code",
    "level",
    "provider",
    "provider_helix",
    "delivery_mode",
    "start",
    "end",
    "capacity",
    "budget_eur",
    "funding_source",
]

LAGGARD_SHARE = 0.06  # programmes that recruit far below capacity and lose many participants
LATE_REPORTER_SHARE = 0.12  # running programmes whose last 1-3 months are not reported yet
CERTIFIED_UNREPORTED_SHARE = 0.15  # programmes that never fill in the optional certified count
WOMEN_UNREPORTED_SHARE = 0.1

_MONTH_STARTS = np.array([month_start(m) for m in range(HORIZON_MONTHS)], dtype=object)
_MONTH_ENDS = np.array([month_end(m) for m in range(HORIZON_MONTHS)], dtype=object)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Bounds = Callable[[LevelProfile], tuple[float, ...]]


def generate_programmes(layout: Layout, seed: int) -> pd.DataFrame:
    """Programmes for every region and level of ``layout``, one row each.

    Each region runs ``programmes_per_cluster`` programmes per cluster at each level, give
    or take 20 %, never fewer than ``min_programmes_per_level``, so every region has a
    trajectory at every level. Besides ``PROGRAMME_COLUMNS`` the frame carries the plan the
    progress simulation follows: ``level_index``, ``start_month``, ``span_months``,
    ``course_months``, ``uptake`` (enrolled / capacity over the programme's life),
    ``drop_rate``, ``certified_share``, ``women_share``, ``reports_certified``,
    ``reports_women``, ``late_months`` (unreported final months) and ``laggard``.
    """
    rng = np.random.default_rng([seed, 2])
    regions, clusters = layout.regions, layout.clusters
    region_position = {code: i for i, code in enumerate(regions["code"])}
    cluster_region = clusters["region_code"].map(region_position).to_numpy(dtype=np.int64)
    clusters_in_region = np.bincount(cluster_region, minlength=len(regions))
    cluster_position = {cluster_id: i for i, cluster_id in enumerate(clusters["id"])}
    # Who runs a region's programmes: its own clusters, then those that also work there.
    members = Members(
        cluster=np.concatenate(
            [
                np.arange(len(clusters)),
                layout.cluster_regions["cluster_id"].map(cluster_position).to_numpy(np.int64),
            ]
        ),
        region=np.concatenate(
            [
                cluster_region,
                layout.cluster_regions["region_code"].map(region_position).to_numpy(np.int64),
            ]
        ),
    )

    rates = np.array([layout.programmes_per_cluster[level] for level in LEVELS])
    planned = np.outer(clusters_in_region, rates) * rng.uniform(0.8, 1.2, (len(regions), 3))
    counts = np.maximum(layout.min_programmes_per_level, np.rint(planned).astype(np.int64))
    counts[clusters_in_region == 0] = 0
    group_counts = counts.ravel()  # one group per (region, level), region-major
    group = np.repeat(np.arange(group_counts.size), group_counts)
    rank = np.arange(group.size) - np.repeat(np.cumsum(group_counts) - group_counts, group_counts)
    region_index, level_index = np.divmod(group, len(LEVELS))
    cluster_index = _pick_cluster(rng, region_index, members, len(regions))

    codes = regions["code"].to_numpy()[region_index]
    cities = regions["city"].to_numpy()[region_index]
    cluster_names = clusters["name"].to_numpy()[cluster_index]
    levels = np.array([level.value for level in LEVELS], dtype=object)[level_index]

    schedule = _schedule(rng, level_index)
    plan = _outcome_plan(rng, level_index, schedule["start_month"] + schedule["span_months"] - 1)
    capacity = _per_level_integers(rng, level_index, lambda p: p.capacity)
    cost = _per_level_uniform(rng, level_index, lambda p: p.cost_per_head_eur)
    helix = _choose(rng, level_index, PROVIDER_HELIX_WEIGHTS)
    patterns = rng.integers(0, 3, size=group.size)

    return pd.DataFrame(
        {
            "id": [
                f"{code}-{'BIE'[level]}{number + 1:03d}"
                for code, level, number in zip(codes, level_index, rank, strict=True)
            ],
            "name": _names(rng, group, rank, level_index, cities),
            "cluster_id": clusters["id"].to_numpy()[cluster_index],
            "region_code": codes,
            "level": levels,
            "provider": [
                PROVIDER_PATTERNS[PROVIDER_HELIX[h]][p].format(city=city, cluster=cluster)
                for h, p, city, cluster in zip(helix, patterns, cities, cluster_names, strict=True)
            ],
            "provider_helix": np.array([h.value for h in PROVIDER_HELIX], dtype=object)[helix],
            "delivery_mode": np.array([m.value for m in DELIVERY_MODES], dtype=object)[
                _choose(rng, level_index, DELIVERY_MODE_WEIGHTS)
            ],
            "start": _MONTH_STARTS[schedule["start_month"]],
            "end": _MONTH_ENDS[schedule["start_month"] + schedule["span_months"] - 1],
            "capacity": capacity,
            "budget_eur": np.maximum(1_000.0, np.round(capacity * cost, -3)),
            "funding_source": np.array(FUNDING_SOURCES, dtype=object)[
                _choose(rng, level_index, FUNDING_SOURCE_WEIGHTS)
            ],
            "level_index": level_index,
            **schedule,
            **plan,
        }
    )


@dataclass(frozen=True)
class Members:
    """Which cluster works in which region: one entry per (cluster, region), home regions
    first, then the other regions clusters also work in."""

    cluster: IntArray
    region: IntArray


def _pick_cluster(
    rng: np.random.Generator, region_index: IntArray, members: Members, regions: int
) -> IntArray:
    """A uniformly chosen cluster of those working in each programme's region.

    A region's own clusters come first, in their order, so a region no other cluster works in
    gets the same picks as when only home clusters counted.
    """
    in_region = np.bincount(members.region, minlength=regions)
    by_region = np.argsort(members.region, kind="stable")
    first = np.cumsum(in_region) - in_region
    offset = (rng.random(region_index.size) * in_region[region_index]).astype(np.int64)
    return members.cluster[by_region[first[region_index] + offset]]


def _names(
    rng: np.random.Generator,
    group: IntArray,
    rank: IntArray,
    level_index: IntArray,
    cities: npt.NDArray[np.object_],
) -> list[str]:
    """Titles cycle within a region and level; a repeated title gets an edition number."""
    title_counts = np.array([len(PROGRAMME_TITLES[level]) for level in LEVELS])
    first_title = rng.integers(0, title_counts.max(), size=group.max(initial=0) + 1)
    position = first_title[group] + rank
    title = position % title_counts[level_index]
    edition = rank // title_counts[level_index]
    return [
        f"{PROGRAMME_TITLES[LEVELS[level]][t]} – {city}" + (f" #{e + 1}" if e else "")
        for level, t, e, city in zip(level_index, title, edition, cities, strict=True)
    ]


def _schedule(rng: np.random.Generator, level_index: IntArray) -> dict[str, IntArray]:
    """When each programme starts, how long it runs and how long one course takes (months).

    Every programme starts and ends inside the demo horizon and enrols for at least three
    months before its last cohort must start.
    """
    course = _per_level_integers(rng, level_index, lambda p: (*p.course_months, 1))
    span = _per_level_integers(rng, level_index, lambda p: (*p.span_months, 1))
    span = np.minimum(np.maximum(span, course + 3), HORIZON_MONTHS)
    start = (rng.random(level_index.size) * (HORIZON_MONTHS - span + 1)).astype(np.int64)
    return {"start_month": start, "span_months": span, "course_months": course}


def _outcome_plan(
    rng: np.random.Generator, level_index: IntArray, end_month: IntArray
) -> dict[str, FloatArray | IntArray | npt.NDArray[np.bool_]]:
    """How each programme will perform: uptake, drop-out, certification, women, reporting."""
    size = level_index.size
    laggard = rng.random(size) < LAGGARD_SHARE
    uptake = np.where(laggard, rng.uniform(0.25, 0.45, size), rng.uniform(0.75, 1.1, size))
    drop_rate = np.where(
        laggard,
        rng.uniform(0.25, 0.4, size),
        _per_level_uniform(rng, level_index, lambda p: p.drop_rate),
    )
    running_at_last = end_month >= LAST_MONTH
    late = running_at_last & (rng.random(size) < LATE_REPORTER_SHARE)
    return {
        "uptake": uptake,
        "drop_rate": drop_rate,
        "certified_share": _per_level_uniform(rng, level_index, lambda p: p.certified_share),
        "women_share": _per_level_uniform(rng, level_index, lambda p: p.women_share),
        "reports_certified": rng.random(size) >= CERTIFIED_UNREPORTED_SHARE,
        "reports_women": rng.random(size) >= WOMEN_UNREPORTED_SHARE,
        "late_months": np.where(late, rng.integers(1, 4, size), 0),
        "laggard": laggard,
    }


def _per_level_integers(
    rng: np.random.Generator, level_index: IntArray, bounds: Bounds
) -> IntArray:
    """Integers from low to high (inclusive) in steps, with each level's own bounds."""
    table = np.array([bounds(PROFILES[level]) for level in LEVELS], dtype=np.int64)
    low, high, step = (table[level_index, column] for column in range(3))
    steps = (high - low) // step + 1
    return low + step * (rng.random(level_index.size) * steps).astype(np.int64)


def _per_level_uniform(
    rng: np.random.Generator, level_index: IntArray, bounds: Bounds
) -> FloatArray:
    table = np.array([bounds(PROFILES[level]) for level in LEVELS])
    low, high = table[level_index, 0], table[level_index, 1]
    return low + (high - low) * rng.random(level_index.size)


def _choose(
    rng: np.random.Generator,
    level_index: IntArray,
    weights: dict[TrainingLevel, list[float]],
) -> IntArray:
    """For each programme, the index of an option drawn with its level's probabilities."""
    cumulative = np.cumsum([weights[level] for level in LEVELS], axis=1)
    cumulative /= cumulative[:, -1:]
    draws = rng.random(level_index.size)
    return (draws[:, None] >= cumulative[level_index]).sum(axis=1)
