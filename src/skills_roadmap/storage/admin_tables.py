"""The tables administrators maintain: regions, clusters with the regions they work in,
programmes, targets with their milestones and revisions, and facilities."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from skills_roadmap.storage.bulk import (
    frame_rows,
    insert_frame,
    table_of,
    typed_frame,
    update_frame,
)
from skills_roadmap.storage.progress import revision_text
from skills_roadmap.storage.tables import (
    ClusterRegionRow,
    ClusterRow,
    MilestoneRow,
    ProgrammeRow,
    ProgressRow,
    RegionRow,
)

__all__ = [
    "ProgrammeListing",
    "cluster_exists",
    "cluster_ids",
    "cluster_name",
    "insert_target_revisions",
    "last_reported_period",
    "nearest_running_day",
    "programmes_running_between",
    "region_codes",
    "replace_cluster_regions",
    "replace_milestones",
    "stored_cluster_regions",
    "stored_milestones",
    "stored_rows",
    "upsert_by_id",
]


def region_codes(session: Session) -> set[str]:
    """The code of every stored region."""
    return set(session.scalars(select(RegionRow.code)).all())


def cluster_ids(session: Session) -> set[str]:
    """The id of every stored cluster."""
    return set(session.scalars(select(ClusterRow.id)).all())


def stored_cluster_regions(session: Session) -> dict[str, tuple[str, ...]]:
    """Every region each stored cluster works in: its home region first, then the others it
    also works in, by code."""
    regions = {
        cluster_id: [home]
        for cluster_id, home in session.execute(select(ClusterRow.id, ClusterRow.region_code))
    }
    for cluster_id, code in session.execute(
        select(ClusterRegionRow.cluster_id, ClusterRegionRow.region_code).order_by(
            ClusterRegionRow.cluster_id, ClusterRegionRow.region_code
        )
    ):
        regions[cluster_id].append(code)
    return {cluster_id: tuple(codes) for cluster_id, codes in regions.items()}


def replace_cluster_regions(
    session: Session, cluster_ids: Sequence[str], pairs: Iterable[tuple[str, str]]
) -> None:
    """Replace the other regions ``cluster_ids`` work in by ``pairs`` (cluster id, region)."""
    session.execute(delete(ClusterRegionRow).where(ClusterRegionRow.cluster_id.in_(cluster_ids)))
    rows = [{"cluster_id": cluster_id, "region_code": code} for cluster_id, code in pairs]
    if rows:
        session.execute(insert(table_of("cluster_regions")), rows)


def cluster_exists(session: Session, cluster_id: str) -> bool:
    """Whether a cluster with this id is stored."""
    return session.get(ClusterRow, cluster_id) is not None


def stored_rows(session: Session, table_name: str, dtypes: Mapping[str, str]) -> pd.DataFrame:
    """Every stored row of ``table_name``, as ``dtypes`` types them (only the columns of
    ``dtypes`` the table has)."""
    table = table_of(table_name)
    known = {key: dtype for key, dtype in dtypes.items() if key in table.c}
    records = session.execute(select(*(table.c[key] for key in known))).all()
    return typed_frame(records, known)


def upsert_by_id(
    session: Session,
    table_name: str,
    *,
    new: pd.DataFrame,
    changed: pd.DataFrame,
    columns: Sequence[str],
    fields: Sequence[str],
    key: str = "id",
) -> None:
    """Insert the ``columns`` of the ``new`` rows and update the ``fields`` of the
    ``changed`` ones, by ``key``."""
    if len(new):
        insert_frame(session, table_name, new[list(columns)])
    update_frame(session, table_name, changed, key=[key], fields=fields)


def stored_milestones(session: Session) -> dict[str, list[tuple[int, int]]]:
    """Each target's milestones, (year, value) by year."""
    milestones: dict[str, list[tuple[int, int]]] = {}
    for target_id, year, value in session.execute(
        select(MilestoneRow.target_id, MilestoneRow.year, MilestoneRow.value).order_by(
            MilestoneRow.target_id, MilestoneRow.year
        )
    ):
        milestones.setdefault(target_id, []).append((year, value))
    return milestones


def replace_milestones(
    session: Session, target_ids: Sequence[str], milestones: Iterable[tuple[str, int, int]]
) -> None:
    """Replace every milestone of ``target_ids`` by ``milestones`` (target id, year, value)."""
    session.execute(delete(MilestoneRow).where(MilestoneRow.target_id.in_(target_ids)))
    rows = [
        {"target_id": target_id, "year": year, "value": value}
        for target_id, year, value in milestones
    ]
    if rows:
        session.execute(insert(table_of("target_milestones")), rows)


def insert_target_revisions(
    session: Session,
    changes: pd.DataFrame,
    reasons: Mapping[str, str],
    *,
    user: str,
    now: datetime,
    upload_id: int,
) -> None:
    """Keep each changed field of a target (``changes``: ``id``, ``field``, ``old``, ``new``)
    as a target revision, with the reason given for its target."""
    if not len(changes):
        return
    session.execute(
        insert(table_of("target_revisions")),
        [
            {
                "target_id": target_id,
                "changed_by": user,
                "changed_at": now,
                "field": field,
                "old_value": revision_text(old),
                "new_value": revision_text(new),
                "reason": reasons[target_id],
                "upload_id": upload_id,
            }
            for target_id, field, old, new in frame_rows(changes[["id", "field", "old", "new"]])
        ],
    )


@dataclass(frozen=True)
class ProgrammeListing:
    """What a progress template lists of a programme."""

    id: str
    level: str
    name: str
    start: date
    end: date
    capacity: int


def programmes_running_between(
    session: Session, first: date, last: date, cluster_id: str | None
) -> list[ProgrammeListing]:
    """The programmes (of ``cluster_id``, or every cluster's) running on at least one day
    from ``first`` to ``last``, by id."""
    query = (
        select(
            ProgrammeRow.id,
            ProgrammeRow.level,
            ProgrammeRow.name,
            ProgrammeRow.start,
            ProgrammeRow.end,
            ProgrammeRow.capacity,
        )
        .where(ProgrammeRow.start <= last, ProgrammeRow.end >= first)
        .order_by(ProgrammeRow.id)
    )
    if cluster_id is not None:
        query = query.where(ProgrammeRow.cluster_id == cluster_id)
    return [ProgrammeListing(*row) for row in session.execute(query)]


def cluster_name(session: Session, cluster_id: str) -> str | None:
    """The name of cluster ``cluster_id``; None when it is not stored."""
    return session.scalar(select(ClusterRow.name).where(ClusterRow.id == cluster_id))


def last_reported_period(session: Session, cluster_id: str | None) -> str | None:
    """The latest month (``YYYY-MM``) any programme of ``cluster_id`` (or of any cluster)
    has a progress report for; None before the first report."""
    query = select(func.max(ProgressRow.period))
    if cluster_id is not None:
        query = query.join(ProgrammeRow, ProgrammeRow.id == ProgressRow.programme_id).where(
            ProgrammeRow.cluster_id == cluster_id
        )
    return session.scalar(query)


def nearest_running_day(
    session: Session, first: date, last: date, cluster_id: str | None
) -> date | None:
    """When no programme (of ``cluster_id``) runs from ``first`` to ``last``: the last day
    one ran before, else the first day one runs after; None when there is no programme.

    Before ``first`` is preferred: a manager catches up on a month that has passed.
    """
    scope = [] if cluster_id is None else [ProgrammeRow.cluster_id == cluster_id]
    before = session.scalar(
        select(func.max(ProgrammeRow.end)).where(ProgrammeRow.start <= last, *scope)
    )
    if before is not None:
        return before
    return session.scalar(
        select(func.min(ProgrammeRow.start)).where(ProgrammeRow.end >= first, *scope)
    )
