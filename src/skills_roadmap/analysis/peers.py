"""Peers: each region's attainment and cost per completer against the spread of all regions."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from skills_roadmap.analysis.attainment import attainment, headline_targets, summarise_attainment
from skills_roadmap.analysis.frames import Frames
from skills_roadmap.analysis.money import money
from skills_roadmap.analysis.thresholds import AnalysisSettings
from skills_roadmap.domain import ScopeKind


def quartile_position(values: pd.Series) -> pd.DataFrame:
    """The first quartile, median and third quartile of ``values`` and each value's quartile
    (1 = lowest quarter, 4 = highest; missing values stay missing).

    >>> quartile_position(pd.Series([1.0, 2.0, 3.0, 4.0, 5.0]))["quartile"].tolist()
    [1, 1, 2, 3, 4]
    """
    q1, median, q3 = values.quantile([0.25, 0.5, 0.75]).to_numpy()
    quartile = 1 + (values > q1).astype(int) + (values > median) + (values > q3)
    return pd.DataFrame(
        {"q1": q1, "median": median, "q3": q3, "quartile": quartile.where(values.notna())},
        index=values.index,
    )


def peers(frames: Frames, settings: AnalysisSettings | None = None) -> pd.DataFrame:
    """Every region's attainment and cost per completer beside the median and quartiles of all
    regions in ``frames`` (so do not narrow ``frames`` to one region first).

    Definitions:
        attainment: the sum of achieved over the sum of targets of the region's headline
            targets (one per level, see
            :func:`~skills_roadmap.analysis.attainment.headline_targets`).
        cost_per_completer: as in :func:`~skills_roadmap.analysis.money.money`, over all the
            region's programmes.
        *_q1, *_median, *_q3: quartiles over the regions that have a value;
        *_quartile: 1 for the lowest quarter up to 4 for the highest (for cost, low is good).

    Returns:
        ``region_code, name, attainment, attainment_q1, attainment_median, attainment_q3,
        attainment_quartile, cost_per_completer, cost_q1, cost_median, cost_q3,
        cost_quartile``, one row per region.
    """
    # Only region targets take part: the network's and the clusters' are not computed at all.
    scoped = frames.targets["scope"] == ScopeKind.REGION.value
    regional = attainment(replace(frames, targets=frames.targets[scoped]), settings)
    as_of_year = None if frames.as_of is None else frames.as_of // 12
    by_region = summarise_attainment(
        headline_targets(regional, as_of_year).rename(columns={"scope_id": "region_code"}),
        ["region_code"],
        settings,
    )
    costs = money(frames, ["region_code"]).astype({"region_code": str})
    result = (
        frames.regions[["region_code", "name"]]
        .astype({"region_code": str})
        .merge(by_region[["region_code", "attainment"]], on="region_code", how="left")
        .merge(costs[["region_code", "cost_per_completer"]], on="region_code", how="left")
    )
    spread = [
        quartile_position(result[column]).add_prefix(f"{prefix}_")
        for column, prefix in (("attainment", "attainment"), ("cost_per_completer", "cost"))
    ]
    return pd.concat(
        [
            result[["region_code", "name", "attainment"]],
            spread[0],
            result["cost_per_completer"],
            spread[1],
        ],
        axis=1,
    ).astype({"region_code": frames.regions["region_code"].dtype})
