"""Who takes part: the regions and clusters of the demo, and how many programmes they run."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from skills_roadmap.demo.catalogue import (
    CLUSTER_HELIX_COMBINATIONS,
    CLUSTER_THEMES,
    EU_CLUSTER_REGION_EVERY,
    NETWORK_ADULTS,
    NETWORK_CLUSTER_REGIONS,
    NETWORK_CLUSTERS,
    NETWORK_REGIONS,
)
from skills_roadmap.domain import TrainingLevel
from skills_roadmap.reference import load_regions

LEVELS = list(TrainingLevel)
CLUSTER_REGION_COLUMNS = ["cluster_id", "region_code"]


@dataclass(frozen=True)
class Layout:
    """The participants of one demo scale and the sizes that drive the rest of the generator.

    ``regions`` has the columns of the ``regions`` table plus ``city`` (names providers and
    facilities); ``clusters`` and ``cluster_regions`` (the other regions a cluster also works
    in) have the columns of their tables.
    """

    scale: str
    regions: pd.DataFrame
    clusters: pd.DataFrame
    cluster_regions: pd.DataFrame
    programmes_per_cluster: dict[TrainingLevel, float]
    min_programmes_per_level: int
    facilities_per_region: tuple[int, int]
    cluster_targets: int


@dataclass(frozen=True)
class EuSize:
    """How big the EU-scale network is; tests shrink it, benchmarks use the default.

    With the defaults: 242 regions, about 2,000 clusters, 69,000 programmes and 1.6 million
    progress rows.
    """

    regions: int | None = None
    clusters_per_region: tuple[int, int] = (7, 10)
    programmes_per_cluster: dict[TrainingLevel, float] = field(
        default_factory=lambda: {
            TrainingLevel.BASIC: 17.0,
            TrainingLevel.INTERMEDIATE: 11.0,
            TrainingLevel.EXPERT: 6.0,
        }
    )


def _reference_frame() -> pd.DataFrame:
    return pd.DataFrame([region.model_dump() for region in load_regions()])


def network_layout() -> Layout:
    """The demo network users see first: 14 regions and 33 clusters from the catalogue."""
    reference = _reference_frame().set_index("code")
    codes = list(NETWORK_REGIONS)
    regions = reference.loc[codes].reset_index()
    regions["city"] = [NETWORK_REGIONS[code] for code in codes]
    regions["adults"] = [NETWORK_ADULTS[code] for code in codes]
    clusters = pd.DataFrame(
        {
            "id": [cluster_id for cluster_id, _, _, _ in NETWORK_CLUSTERS],
            "name": [name for _, name, _, _ in NETWORK_CLUSTERS],
            "region_code": [region for _, _, region, _ in NETWORK_CLUSTERS],
            "helix_roles": [",".join(roles) for _, _, _, roles in NETWORK_CLUSTERS],
        }
    )
    clusters["website"] = "https://" + clusters["id"] + ".example.org"
    return Layout(
        scale="network",
        regions=regions,
        clusters=clusters,
        cluster_regions=pd.DataFrame(
            [
                (cluster_id, code)
                for cluster_id, codes in NETWORK_CLUSTER_REGIONS.items()
                for code in codes
            ],
            columns=CLUSTER_REGION_COLUMNS,
        ),
        programmes_per_cluster={
            TrainingLevel.BASIC: 2.8,
            TrainingLevel.INTERMEDIATE: 2.0,
            TrainingLevel.EXPERT: 1.2,
        },
        min_programmes_per_level=2,
        facilities_per_region=(2, 4),
        cluster_targets=4,
    )


def eu_layout(seed: int, size: EuSize) -> Layout:
    """Every reference region (or the first ``size.regions``) with generated themed clusters."""
    rng = np.random.default_rng([seed, 1])
    regions = _reference_frame()
    if size.regions is not None:
        regions = regions.head(size.regions)
    regions = regions.reset_index(drop=True)
    regions["city"] = [_short_name(name) for name in regions["name"]]
    low, high = size.clusters_per_region
    counts = rng.integers(low, high + 1, size=len(regions))
    themes = np.concatenate([rng.permutation(len(CLUSTER_THEMES))[:count] for count in counts])
    region_index = np.repeat(np.arange(len(regions)), counts)
    codes = regions["code"].to_numpy()[region_index]
    cities = regions["city"].to_numpy()[region_index]
    ids = [f"{code.lower()}-{CLUSTER_THEMES[t][1]}" for code, t in zip(codes, themes, strict=True)]
    clusters = pd.DataFrame(
        {
            "id": ids,
            "name": [
                f"{city} {CLUSTER_THEMES[t][0]} Cluster"
                for city, t in zip(cities, themes, strict=True)
            ],
            "region_code": codes,
            "helix_roles": rng.choice(CLUSTER_HELIX_COMBINATIONS, size=len(ids)),
            "website": [f"https://{cluster_id}.example.org" for cluster_id in ids],
        }
    )
    regions["adults"] = None  # not known at this scale
    return Layout(
        scale="eu",
        regions=regions,
        clusters=clusters,
        cluster_regions=_neighbours(regions, clusters),
        programmes_per_cluster=dict(size.programmes_per_cluster),
        min_programmes_per_level=1,
        facilities_per_region=(1, 3),
        cluster_targets=max(1, len(clusters) // 30),
    )


def _neighbours(regions: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    """The first cluster of every ``EU_CLUSTER_REGION_EVERY``-th region also works in the
    region after it by code: often in the same country, sometimes across a border."""
    codes = regions["code"].tolist()
    first = clusters.drop_duplicates("region_code").set_index("region_code")["id"]
    pairs = [
        (first[code], codes[index + 1])
        for index, code in enumerate(codes[:-1])
        if index % EU_CLUSTER_REGION_EVERY == 0 and code in first.index
    ]
    return pd.DataFrame(pairs, columns=CLUSTER_REGION_COLUMNS)


def _short_name(name: str) -> str:
    """The first of a region's bilingual or compound names, e.g. 'Région de Bruxelles-Capitale'."""
    return re.split(r" / |/|, ", name)[0]
