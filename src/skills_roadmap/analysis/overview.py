"""The league table: attainment and status per region and level, and per level for the network."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from skills_roadmap.analysis.attainment import attainment
from skills_roadmap.analysis.filters import Filters, apply_filters
from skills_roadmap.analysis.frames import LEVEL_DTYPE, Frames
from skills_roadmap.analysis.parts import as_parts, covered_in_part
from skills_roadmap.analysis.thresholds import AnalysisSettings
from skills_roadmap.domain import ScopeKind

NETWORK_NAME = "Network"
_KEYS = ["scope", "scope_id", "level"]


def headline_targets(
    table: pd.DataFrame, as_of_year: int | pd.Series | None, by: Sequence[str] = ()
) -> pd.DataFrame:
    """One row of :func:`attainment` per scope and level (and per ``by``, e.g. a ``month``
    column with ``as_of_year`` one year per row): the earliest deadline not yet past, else
    the latest deadline (ties go to the first target id).

    A region may set several targets for a level (another metric, a later deadline); the
    overview shows the one that matters now.
    """
    past = table["deadline_year"] < (0 if as_of_year is None else as_of_year)
    ranked = table.assign(
        _past=past, _order=np.where(past, -table["deadline_year"], table["deadline_year"])
    ).sort_values([*by, "_past", "_order", "target_id"], kind="stable")
    return ranked.drop_duplicates([*by, *_KEYS]).drop(columns=["_past", "_order"])


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
    (``part``; see :func:`~skills_roadmap.analysis.parts.as_parts`), with no status.
    """
    selected = apply_filters(frames, filters)
    scoped = selected.targets["scope"].isin([ScopeKind.REGION.value, ScopeKind.NETWORK.value])
    table = attainment(replace(selected, targets=selected.targets[scoped]), settings)
    headline = headline_targets(table, None if selected.as_of is None else selected.as_of // 12)
    headline = as_parts(headline, covered_in_part(frames, selected, headline))
    headline = headline.astype({"scope": str}).assign(scope_id=headline["scope_id"].fillna(""))
    merged = _grid(selected, filters).merge(headline, on=_KEYS, how="left")
    scope_id = merged["scope_id"].astype(object)
    merged["scope_id"] = scope_id.where(scope_id != "", None)
    return merged[[*_KEYS, "name", *headline.columns.drop(_KEYS)]]
