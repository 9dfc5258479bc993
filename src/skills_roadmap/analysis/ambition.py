"""Ambition gap: do the regions' targets of a level add up to the network's target?"""

from __future__ import annotations

import numpy as np
import pandas as pd

from skills_roadmap.analysis.frames import Frames
from skills_roadmap.domain import ScopeKind

_KEYS = ["level", "metric", "deadline_year"]


def ambition_gap(frames: Frames) -> pd.DataFrame:
    """Per level, metric and deadline year: the regional targets' sum against the network's.

    Definitions:
        regional_total: the sum of the region targets' values; regions: how many there are.
        difference: regional_total - network_target. verdict: "surplus" when the regions
            aim higher than the network, "shortfall" when lower, "balanced" when equal,
            "no network target" when the network has none for that level and deadline.

    Returns:
        ``level, metric, deadline_year, network_target, regional_total, regions, difference,
        verdict``, ordered by level and deadline.
    """
    targets = frames.targets.astype({"metric": str})
    regional = (
        targets[targets["scope"] == ScopeKind.REGION.value]
        .groupby(_KEYS, observed=True)
        .agg(regional_total=("value", "sum"), regions=("scope_id", "nunique"))
        .reset_index()
    )
    network = (
        targets[targets["scope"] == ScopeKind.NETWORK.value]
        .groupby(_KEYS, observed=True)["value"]
        .sum()
        .rename("network_target")
        .reset_index()
    )
    table = network.merge(regional, on=_KEYS, how="outer")
    table = table.fillna({"regional_total": 0.0, "regions": 0}).astype({"regions": np.int64})
    difference = table["regional_total"] - table["network_target"]
    verdict = np.select(
        [table["network_target"].isna(), difference > 0, difference < 0],
        ["no network target", "surplus", "shortfall"],
        default="balanced",
    )
    table = table.assign(difference=difference, verdict=verdict)
    return table.sort_values(_KEYS, kind="stable").reset_index(drop=True)[
        [*_KEYS, "network_target", "regional_total", "regions", "difference", "verdict"]
    ]
