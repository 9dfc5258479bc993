"""The league table: attainment and status per region and level, and per level for the network."""

from __future__ import annotations

import pandas as pd

from skills_roadmap.analysis.attainment import ATTAINMENT_COLUMNS
from skills_roadmap.analysis.filters import Filters, apply_filters
from skills_roadmap.analysis.frames import LEVEL_DTYPE, Frames
from skills_roadmap.analysis.headline import selection_targets
from skills_roadmap.analysis.parts import as_parts
from skills_roadmap.analysis.thresholds import AnalysisSettings
from skills_roadmap.domain import ScopeKind

NETWORK_NAME = "Network"
_KEYS = ["scope", "scope_id", "level"]


def _grid(frames: Frames, filters: Filters | None) -> pd.DataFrame:
    """Every selected region × level, then the network × level when no place is selected."""
    chosen = [str(level) for level in filters.levels] if filters and filters.levels else []
    levels = pd.Series(
        [level for level in LEVEL_DTYPE.categories if not chosen or level in chosen],
        dtype=LEVEL_DTYPE,
        name="level",
    )
    regions = frames.regions[["region_code", "name"]].merge(levels, how="cross")
    parts = [
        pd.DataFrame(
            {
                "scope": ScopeKind.REGION.value,
                "scope_id": regions["region_code"].astype(str).to_numpy(),
                "level": regions["level"],
                "name": regions["name"],
            }
        )
    ]
    if not (filters and (filters.regions or filters.clusters)):
        parts.append(
            pd.DataFrame(
                {
                    "scope": ScopeKind.NETWORK.value,
                    "scope_id": "",
                    "level": levels,
                    "name": NETWORK_NAME,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def overview(
    frames: Frames, filters: Filters | None = None, settings: AnalysisSettings | None = None
) -> pd.DataFrame:
    """Attainment and status of every selected region × level, then of the network per level.

    Each row carries the headline target of its region (or the network) and level (see
    :func:`headline_targets`) with the columns of
    :func:`~skills_roadmap.analysis.attainment.attainment`, plus the ``name`` to show. A
    region without a target for a level keeps its row, with the target, measures and status
    missing. Network rows are left out when regions or clusters are selected. Where the
    filters leave out programmes a target covers, its row is that part's contribution
    (``part``; see :func:`~skills_roadmap.analysis.parts.as_parts`), with no status. The
    numbers are those of the headline (:func:`~skills_roadmap.analysis.headline.headline`):
    the same targets assessed once per snapshot and month.
    """
    selected = apply_filters(frames, filters, progress=False)
    targets = selected.targets
    scoped = targets["scope"].isin([ScopeKind.REGION.value, ScopeKind.NETWORK.value])
    own = targets.loc[scoped, "target_id"]
    chosen, in_part = selection_targets(frames, selected, own, settings or AnalysisSettings())
    headline = as_parts(chosen[ATTAINMENT_COLUMNS], in_part)
    headline = headline.astype({"scope": str}).assign(scope_id=headline["scope_id"].fillna(""))
    merged = _grid(selected, filters).merge(headline, on=_KEYS, how="left")
    scope_id = merged["scope_id"].astype(object)
    merged["scope_id"] = scope_id.where(scope_id != "", None)
    return merged[[*_KEYS, "name", *headline.columns.drop(_KEYS)]]
