"""The quadruple helix: people trained by who provides the programmes, and the partners of the
clusters by helix role (industry, academia, public sector, society)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from skills_roadmap.analysis.flows import divide, programme_totals
from skills_roadmap.analysis.frames import LEVEL_DTYPE, Frames
from skills_roadmap.domain import HelixRole

__all__ = ["HELIX_ROLES", "cluster_helix_roles", "trained_by_helix"]

HELIX_ROLES = tuple(role.value for role in HelixRole)
_ROLE_SEPARATORS = r"[,;]"  # stored comma-separated; the network workbook writes ";"


def trained_by_helix(frames: Frames) -> pd.DataFrame:
    """People trained per provider helix and level.

    Definitions (sums over every reported month through the as-of month):
        programmes: the programmes the helix provides at that level.
        enrolled, completed: summed over their progress; blank when none reported.
        completed_share: the helix's completed / all completed at that level.

    Returns:
        ``provider_helix, level, programmes, enrolled, completed, completed_share``: one row
        per helix and level with programmes, helices in the helix's order, then levels.

    >>> from skills_roadmap.analysis import build_frames
    >>> frames = build_frames(
    ...     regions=pd.DataFrame({"region_code": ["ES24"]}),
    ...     clusters=pd.DataFrame({"cluster_id": ["ai"], "region_code": ["ES24"]}),
    ...     programmes=pd.DataFrame({"programme_id": ["p", "q"], "cluster_id": "ai",
    ...         "region_code": "ES24", "level": "basic", "provider_helix": ["industry",
    ...         "academia"], "start": "2025-01-01", "end": "2025-12-31"}),
    ...     progress=pd.DataFrame({"programme_id": ["p", "q"], "period": "2025-03",
    ...         "enrolled": [10, 30], "completed": [1, 3]}),
    ... )
    >>> trained_by_helix(frames)[["provider_helix", "level", "completed", "completed_share"]]
      provider_helix  level  completed  completed_share
    0       industry  basic        1.0             0.25
    1       academia  basic        3.0             0.75
    """
    keys = ["provider_helix", "level"]
    # Per programme first (one bincount over the progress), then per helix and level.
    totals = programme_totals(frames, ["enrolled", "completed"])
    grouped = totals.groupby(keys, observed=True)
    table = pd.concat(
        [grouped.size().rename("programmes"), grouped[["enrolled", "completed"]].sum(min_count=1)],
        axis=1,
    ).reset_index()
    table = table[table["provider_helix"].notna()]
    level_total = table.groupby("level", observed=True)["completed"].transform("sum")
    table = table.assign(
        provider_helix=pd.Categorical(table["provider_helix"].astype(str), categories=HELIX_ROLES),
        level=pd.Categorical(table["level"].astype(str), dtype=LEVEL_DTYPE),
        completed_share=divide(table["completed"], level_total),
    )
    return (
        table.sort_values(keys, kind="stable")
        .astype(
            {"provider_helix": str, "level": str, "enrolled": "float64", "completed": "float64"}
        )
        .reset_index(drop=True)
    )


def cluster_helix_roles(frames: Frames) -> pd.DataFrame:
    """How many of the clusters count each helix role among their partners.

    A cluster names the helix roles of its partners (``helix_roles``; several per cluster),
    so the counts add up to more than the clusters.

    Returns:
        ``helix_role, clusters, share`` (of all the frames' clusters): one row per role of
        the quadruple helix, in its order, a role no cluster names at 0.

    >>> from skills_roadmap.analysis import build_frames
    >>> frames = build_frames(
    ...     regions=pd.DataFrame({"region_code": ["ES24"]}),
    ...     clusters=pd.DataFrame({"cluster_id": ["ai", "it"], "region_code": "ES24",
    ...         "helix_roles": ["industry,academia", "industry"]}),
    ...     programmes=pd.DataFrame(columns=["programme_id", "cluster_id", "region_code",
    ...         "level", "start", "end"]),
    ... )
    >>> cluster_helix_roles(frames)
      helix_role  clusters  share
    0   industry         2    1.0
    1   academia         1    0.5
    2     public         0    0.0
    3    society         0    0.0
    """
    clusters = frames.clusters
    named = clusters["helix_roles"].fillna("").astype(str).str.lower().reset_index(drop=True)
    roles = named.str.split(_ROLE_SEPARATORS).explode().str.strip()
    once = roles[roles.isin(HELIX_ROLES)].reset_index().drop_duplicates()  # a role per cluster
    counts = once["helix_roles"].value_counts().reindex(HELIX_ROLES, fill_value=0).to_numpy()
    total = len(clusters)
    return pd.DataFrame(
        {
            "helix_role": list(HELIX_ROLES),
            "clusters": counts,
            "share": counts / total if total else np.full(len(HELIX_ROLES), np.nan),
        }
    )
