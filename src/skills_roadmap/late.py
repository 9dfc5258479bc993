"""Who is late for a month: the programmes due but not reported, their clusters and managers."""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pandas as pd
from sqlalchemy import Engine

from skills_roadmap.analysis.completeness import late_for
from skills_roadmap.analysis.frames import Frames
from skills_roadmap.domain import Role, User
from skills_roadmap.users import list_users

__all__ = ["LATE_COLUMNS", "cluster_managers", "late_list"]

LATE_COLUMNS = (
    "programme_id",
    "name",
    "cluster_id",
    "cluster_name",
    "region_code",
    "last_period",
    "managers",
)


def cluster_managers(engine: Engine) -> dict[str, tuple[User, ...]]:
    """The active managers of each cluster, by name: whom a cluster's late reports concern.

    Read from the accounts on every call (they change without a new snapshot of the data).
    """
    managers: dict[str, list[User]] = {}
    for user in list_users(engine):
        if user.active and user.role is Role.MANAGER:
            for cluster in user.cluster_ids:
                managers.setdefault(cluster, []).append(user)
    return {cluster: tuple(users) for cluster, users in managers.items()}


def late_list(
    frames: Frames,
    period: str,
    managers: Mapping[str, tuple[User, ...]],
    clusters: Collection[str] | None = None,
) -> pd.DataFrame:
    """The programmes running in ``period`` that have not reported it
    (:func:`~skills_roadmap.analysis.completeness.late_for`), with their cluster's name and
    managers: what the command line, the pages, the CSV export and the reminders list.

    Args:
        frames: the programmes and progress to judge (the whole network or a selection).
        period: the month, ``YYYY-MM``.
        managers: each cluster's managers (:func:`cluster_managers`).
        clusters: only these clusters' programmes (a manager's own); None: every cluster.

    Returns:
        ``LATE_COLUMNS``, by cluster and programme: ``last_period`` is the latest month the
        programme reported before (None: never), ``managers`` the sorted tuple of names.
    """
    late = late_for(frames, period)
    if clusters is not None:
        late = late[late["cluster_id"].isin(list(clusters))]
    cluster_names = dict(
        zip(
            frames.clusters["cluster_id"].astype(str),
            frames.clusters["name"].astype(str),
            strict=True,
        )
    )
    return pd.DataFrame(
        {
            "programme_id": late["programme_id"].astype(str),
            "name": late["name"].astype(str),
            "cluster_id": late["cluster_id"],
            "cluster_name": [cluster_names.get(c, c) for c in late["cluster_id"]],
            "region_code": late["region_code"],
            "last_period": pd.Series(
                [p if isinstance(p, str) else None for p in late["last_period"]],
                index=late.index,
                dtype=object,
            ),
            "managers": [
                tuple(sorted(user.name for user in managers.get(c, ()))) for c in late["cluster_id"]
            ],
        },
        columns=list(LATE_COLUMNS),
    ).reset_index(drop=True)
