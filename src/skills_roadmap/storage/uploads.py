"""Upload records: every upload (committed, rejected or duplicate), found by content, listed."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from skills_roadmap.domain import UploadOutcome
from skills_roadmap.storage.tables import UploadRow

__all__ = [
    "UPLOAD_FIELDS",
    "StoredUpload",
    "UploadRecord",
    "first_committed_upload",
    "insert_upload",
    "upload_history",
]

UPLOAD_FIELDS = (
    "file_name",
    "kind",
    "uploaded_by",
    "uploaded_at",
    "outcome",
    "rows_new",
    "rows_changed",
    "rows_unchanged",
    "errors",
    "warnings",
)


@dataclass(frozen=True)
class UploadRecord:
    """What is recorded of one upload: the file, who and when, its row counts and outcome."""

    file_name: str
    sha256: str
    kind: str
    uploaded_by: str
    uploaded_at: datetime
    rows_new: int
    rows_changed: int
    rows_unchanged: int
    errors: int
    warnings: int
    outcome: str


@dataclass(frozen=True)
class StoredUpload:
    """An upload record with its id: uploads are numbered in the order they were recorded."""

    id: int
    record: UploadRecord


def _record(row: UploadRow) -> UploadRecord:
    return UploadRecord(
        file_name=row.file_name,
        sha256=row.sha256,
        kind=row.kind,
        uploaded_by=row.uploaded_by,
        uploaded_at=row.uploaded_at,
        rows_new=row.rows_new,
        rows_changed=row.rows_changed,
        rows_unchanged=row.rows_unchanged,
        errors=row.errors,
        warnings=row.warnings,
        outcome=row.outcome,
    )


def first_committed_upload(session: Session, sha256: str) -> StoredUpload | None:
    """The first committed upload of the content with this SHA-256, if any."""
    row = session.scalars(
        select(UploadRow)
        .where(UploadRow.sha256 == sha256, UploadRow.outcome == UploadOutcome.COMMITTED.value)
        .order_by(UploadRow.id)
        .limit(1)
    ).first()
    return None if row is None else StoredUpload(row.id, _record(row))


def insert_upload(session: Session, record: UploadRecord) -> int:
    """Record an upload within ``session``'s transaction; its id (known at once)."""
    row = UploadRow(**asdict(record))
    session.add(row)
    session.flush()
    return row.id


def upload_history(session: Session) -> pd.DataFrame:
    """Every upload, newest first: ``upload_id`` and :data:`UPLOAD_FIELDS` (``uploaded_at``
    as UTC timestamps)."""
    columns = [UploadRow.id.label("upload_id"), *(getattr(UploadRow, f) for f in UPLOAD_FIELDS)]
    uploads = session.execute(
        select(*columns).order_by(UploadRow.uploaded_at.desc(), UploadRow.id.desc())
    ).all()
    frame = pd.DataFrame(uploads, columns=["upload_id", *UPLOAD_FIELDS])
    frame["uploaded_at"] = pd.to_datetime(frame["uploaded_at"], utc=True)
    return frame
