"""The roadmap's facilities: a few per region, some open, some being built, some slipping."""

from __future__ import annotations

import numpy as np
import pandas as pd

from skills_roadmap.demo.calendar import LAST_MONTH, month_start
from skills_roadmap.demo.catalogue import FACILITY_LABELS
from skills_roadmap.demo.layout import Layout
from skills_roadmap.domain import FacilityKind, FacilityStatus

KINDS = list(FacilityKind)
PLANNED_OPENING_MONTHS = (2, 42)  # March 2024 .. July 2027
OPERATIONAL_SHARE = 0.65  # of facilities due by DEMO_LAST_PERIOD; the rest are still being built
BUILDING_SHARE = 0.35  # of facilities due later; the rest are still only planned
SLIP_MONTHS = np.array([0, 0, 0, 0, 1, 2, 3, 5, 8])  # how late an opening tends to be
WITHOUT_CLUSTER_SHARE = 0.25  # facilities run by the region itself


def generate_facilities(layout: Layout, seed: int) -> pd.DataFrame:
    """Facilities with the columns of the ``facilities`` table.

    A facility due by ``DEMO_LAST_PERIOD`` is operational (it opened on time or a few months
    late, never after that period) or still being built, i.e. slipping; one due later is
    planned or already being built. Dates never depend on today's date.
    """
    rng = np.random.default_rng([seed, 5])
    regions, clusters = layout.regions, layout.clusters
    low, high = layout.facilities_per_region
    counts = rng.integers(low, high + 1, size=len(regions))
    region_index = np.repeat(np.arange(len(regions)), counts)
    number = np.arange(region_index.size) - np.repeat(np.cumsum(counts) - counts, counts)
    size = region_index.size

    kind = rng.integers(0, len(KINDS), size=size)
    planned = rng.integers(PLANNED_OPENING_MONTHS[0], PLANNED_OPENING_MONTHS[1] + 1, size=size)
    actual = planned + rng.choice(SLIP_MONTHS, size=size)
    due = planned <= LAST_MONTH
    opened = due & (rng.random(size) < OPERATIONAL_SHARE) & (actual <= LAST_MONTH)
    building = ~opened & (due | (rng.random(size) < BUILDING_SHARE))
    status = np.where(
        opened,
        FacilityStatus.OPERATIONAL.value,
        np.where(building, FacilityStatus.BUILDING.value, FacilityStatus.PLANNED.value),
    )
    opening_day = rng.integers(1, 29, size=size)

    codes = regions["code"].to_numpy()[region_index]
    cities = regions["city"].to_numpy()[region_index]
    region_kind = pd.Series(region_index * len(KINDS) + kind)
    same_kind_before = region_kind.groupby(region_kind).cumcount().to_numpy()
    return pd.DataFrame(
        {
            "id": [f"{code}-F{n + 1:02d}" for code, n in zip(codes, number, strict=True)],
            "name": [
                f"{city} {_label(KINDS[k], int(r))}"
                for city, k, r in zip(cities, kind, same_kind_before, strict=True)
            ],
            "kind": [KINDS[k].value for k in kind],
            "region_code": codes,
            "cluster_id": _cluster_or_none(rng, clusters, codes),
            "status": status,
            "planned_open": [month_start(int(m)) for m in planned],
            "actual_open": [
                month_start(int(m)).replace(day=int(d)) if o else None
                for m, d, o in zip(actual, opening_day, opened, strict=True)
            ],
        }
    )


def _label(kind: FacilityKind, same_kind_before: int) -> str:
    labels = FACILITY_LABELS[kind]
    label = labels[same_kind_before % len(labels)]
    return label if same_kind_before < len(labels) else f"{label} {same_kind_before + 1}"


def _cluster_or_none(
    rng: np.random.Generator, clusters: pd.DataFrame, codes: np.ndarray
) -> list[str | None]:
    """A random cluster of the facility's region, or none when the region runs it itself."""
    by_region = clusters.groupby("region_code", sort=False)["id"].agg(list).to_dict()
    without = rng.random(codes.size) < WITHOUT_CLUSTER_SHARE
    picks = rng.random(codes.size)
    return [
        None if alone or not by_region.get(code) else by_region[code][int(p * len(by_region[code]))]
        for code, alone, p in zip(codes, without, picks, strict=True)
    ]
