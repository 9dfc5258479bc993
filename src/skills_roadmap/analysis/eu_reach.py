"""The network's people against the EU frames: the basic level as a share of each region's
adults and of the Digital Decade's 80 % goal, and the specialist levels against its 20
million ICT specialists.

People are completions through the as-of month (a person who completes two programmes counts
twice, as everywhere in the roadmap); a region's adults are the people aged 16-74 recorded on
the Regions sheet, unknown for a region without them, which then has no share.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from skills_roadmap.analysis.frames import Frames
from skills_roadmap.analysis.running import running_totals
from skills_roadmap.reference.eu_frames import (
    BASIC_SKILLS_SHARE,
    ICT_SPECIALISTS_GOAL,
    FrameKey,
    frame_levels,
)

__all__ = ["REACH_COLUMNS", "adult_reach", "country_reach", "ict_specialists"]

REACH_COLUMNS = ["adults", "reached", "share_of_adults", "share_of_goal"]


def _completed_by(frames: Frames, selected: Frames, key: FrameKey) -> pd.DataFrame:
    """Completions through the as-of month of the selected programmes at the frame's levels,
    with each programme's region."""
    programmes = selected.programmes
    levels = [level.value for level in frame_levels(key)]
    counted = programmes[programmes["level"].isin(levels)]
    if selected.as_of is None or counted.empty:
        return pd.DataFrame({"region_code": pd.Series(dtype=object), "reached": 0.0})
    totals = running_totals(frames, "completed").through(selected.as_of)
    values = totals[counted["programme_id"].cat.codes.to_numpy()]
    return pd.DataFrame(
        {"region_code": counted["region_code"].astype(str).to_numpy(), "reached": values}
    )


def _shares(table: pd.DataFrame) -> pd.DataFrame:
    adults = table["adults"].where(table["adults"] > 0)
    share = table["reached"] / adults
    return table.assign(share_of_adults=share, share_of_goal=share / BASIC_SKILLS_SHARE)


def adult_reach(frames: Frames, selected: Frames) -> pd.DataFrame:
    """People reached at the basic level in each selected region, as a share of its adults and
    of the Digital Decade's goal (80 % of them).

    Args:
        frames: the whole network's frames (their running totals are computed once).
        selected: the frames narrowed to the selection; each of its regions has a row, also
            one without a completion.

    Returns:
        ``region_code, name, country`` and :data:`REACH_COLUMNS`: ``adults`` (NaN: unknown),
        ``reached``, ``share_of_adults`` (``reached / adults``) and ``share_of_goal``
        (``reached / (0.8 * adults)``), NaN where the adults are unknown.

    >>> from skills_roadmap.analysis.frames import build_frames
    >>> regions = pd.DataFrame({"region_code": ["AA11"], "name": ["Alpha"], "country": ["AA"],
    ...     "adults": [1000]})
    >>> programmes = pd.DataFrame({"programme_id": ["p"], "cluster_id": ["c"],
    ...     "region_code": ["AA11"], "level": ["basic"], "start": ["2025-01"],
    ...     "end": ["2025-12"]})
    >>> progress = pd.DataFrame({"programme_id": ["p"], "period": ["2025-01"],
    ...     "enrolled": [300], "completed": [200]})
    >>> network = build_frames(regions=regions, clusters=pd.DataFrame({"cluster_id": ["c"],
    ...     "region_code": ["AA11"]}), programmes=programmes, progress=progress)
    >>> adult_reach(network, network)[REACH_COLUMNS].iloc[0].tolist()
    [1000.0, 200.0, 0.2, 0.25]
    """
    reached = _completed_by(frames, selected, FrameKey.BASIC_SKILLS)
    sums = reached.groupby("region_code", observed=True)["reached"].sum()
    regions = selected.regions[["region_code", "name", "country", "adults"]]
    table = regions.astype({"region_code": str}).assign(
        reached=lambda t: t["region_code"].map(sums).fillna(0.0).to_numpy("float64"),
        adults=regions["adults"].astype("float64"),
    )
    return _shares(table).reset_index(drop=True)


def country_reach(reach: pd.DataFrame) -> pd.DataFrame:
    """:func:`adult_reach` summed per country over the regions whose adults are known: the
    network's contribution toward each country's share of the 80 % goal, in the regions it
    works in (its other regions are not counted, so this is no national statistic)."""
    known = reach[reach["adults"].notna()]
    sums = known.groupby("country", dropna=False)[["adults", "reached"]].sum().reset_index()
    return _shares(sums)


def ict_specialists(frames: Frames, selected: Frames) -> pd.Series:
    """People the selection trained at the specialist levels (intermediate and expert) and
    their share of the Digital Decade's 20 million ICT specialists: a contribution, since the
    goal counts specialists employed, not trained."""
    reached = float(np.sum(_completed_by(frames, selected, FrameKey.ICT_SPECIALISTS)["reached"]))
    goal = float(ICT_SPECIALISTS_GOAL)
    return pd.Series({"reached": reached, "goal": goal, "share_of_goal": reached / goal})
