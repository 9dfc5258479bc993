"""The history of stored values: a programme's progress values and a target's revisions."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from skills_roadmap.storage.database import session_scope
from skills_roadmap.storage.progress import PROGRESS_FIELDS, revision_text
from skills_roadmap.storage.tables import ProgressRow, RevisionRow, TargetRevisionRow, UploadRow

__all__ = [
    "PROGRAMME_HISTORY_COLUMNS",
    "TARGET_HISTORY_COLUMNS",
    "programme_history",
    "target_history",
]

PROGRAMME_HISTORY_COLUMNS = [
    "period",
    "field",
    "value",
    "upload_id",
    "file_name",
    "changed_by",
    "changed_at",
]
TARGET_HISTORY_COLUMNS = [
    "target_id",
    "field",
    "old_value",
    "new_value",
    "reason",
    "upload_id",
    "file_name",
    "changed_by",
    "changed_at",
]


def programme_history(target: Engine | Session, programme_id: str) -> pd.DataFrame:
    """Every value stored for a programme, field by field and month by month, newest first.

    Columns :data:`PROGRAMME_HISTORY_COLUMNS`; ``value`` is text as the revisions keep it
    (``None``: blank, not reported, or the row removed by a revert), ``changed_at`` a UTC
    timestamp. Each revision is the value its upload set. The value a field held before its
    first revision (or now, without any) is listed too, with the upload that created the row;
    that is blank for the demo's rows, and for rows stored before the creating upload was kept
    (migration 0009) and changed since. Blank first values are left out: a month reports only
    the fields it has.
    """
    if not isinstance(target, Session):
        with session_scope(target) as session:
            return programme_history(session, programme_id)
    revisions = target.execute(
        select(
            RevisionRow.period,
            RevisionRow.field,
            RevisionRow.old_value,
            RevisionRow.new_value,
            RevisionRow.upload_id,
            UploadRow.file_name,
            RevisionRow.changed_by,
            RevisionRow.changed_at,
        )
        .join(UploadRow, UploadRow.id == RevisionRow.upload_id, isouter=True)
        .where(RevisionRow.programme_id == programme_id)
        .order_by(RevisionRow.id)
    ).all()
    rows = target.scalars(select(ProgressRow).where(ProgressRow.programme_id == programme_id)).all()
    entries: list[tuple[object, ...]] = []
    first: dict[tuple[str, str], str | None] = {}
    revised_periods = set()
    for period, field, old, new, upload_id, file_name, who, when in revisions:
        first.setdefault((period, field), old)
        revised_periods.add(period)
        entries.append((period, field, new, upload_id, file_name, who, when))
    current = {row.period: row for row in rows}
    creators = {
        period: row.created_upload_id
        if row.created_upload_id is not None
        else (row.upload_id if period not in revised_periods else None)
        for period, row in current.items()
    }
    uploads = {
        row.id: (row.id, row.file_name, row.uploaded_by, row.uploaded_at)
        for row in target.scalars(
            select(UploadRow).where(UploadRow.id.in_({i for i in creators.values() if i}))
        )
    }
    for period in sorted(set(current) | revised_periods):
        row = current.get(period)
        creator = uploads.get(creators.get(period) or 0, (None, None, None, None))
        for field in PROGRESS_FIELDS:
            if (period, field) in first:
                value = first[(period, field)]
            elif row is not None:
                value = revision_text(getattr(row, field))
            else:
                value = None
            if value is not None:
                entries.append((period, field, value, *creator))
    frame = _typed(pd.DataFrame(entries, columns=PROGRAMME_HISTORY_COLUMNS))
    rank = {field: number for number, field in enumerate(PROGRESS_FIELDS)}
    order = frame.assign(rank=frame["field"].map(rank)).sort_values(
        ["changed_at", "period", "rank"], ascending=[False, False, True], kind="stable"
    )
    return frame.loc[order.index].reset_index(drop=True)


def target_history(
    target: Engine | Session, target_ids: Iterable[str] | None = None
) -> pd.DataFrame:
    """The revisions of the given targets (every target's without ``target_ids``), newest
    first: which field changed from what to what, why, by which upload, who and when.

    Columns :data:`TARGET_HISTORY_COLUMNS`; values are text as stored, ``changed_at`` a UTC
    timestamp.
    """
    if not isinstance(target, Session):
        with session_scope(target) as session:
            return target_history(session, target_ids)
    query = (
        select(
            TargetRevisionRow.target_id,
            TargetRevisionRow.field,
            TargetRevisionRow.old_value,
            TargetRevisionRow.new_value,
            TargetRevisionRow.reason,
            TargetRevisionRow.upload_id,
            UploadRow.file_name,
            TargetRevisionRow.changed_by,
            TargetRevisionRow.changed_at,
        )
        .join(UploadRow, UploadRow.id == TargetRevisionRow.upload_id, isouter=True)
        .order_by(TargetRevisionRow.changed_at.desc(), TargetRevisionRow.id.desc())
    )
    if target_ids is not None:
        query = query.where(TargetRevisionRow.target_id.in_(sorted(set(target_ids))))
    frame = pd.DataFrame(
        [tuple(row) for row in target.execute(query)], columns=TARGET_HISTORY_COLUMNS
    )
    return _typed(frame)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """``changed_at`` as UTC timestamps (unknown: NaT), ``upload_id`` as nullable integers."""
    frame["changed_at"] = pd.to_datetime(frame["changed_at"], utc=True)
    frame["upload_id"] = frame["upload_id"].astype("Int64")
    return frame
