"""What a report needs from the database beyond the analysis frames: uploads and notes."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine, select

from skills_roadmap.domain import UploadOutcome
from skills_roadmap.storage import require_initialised, session_scope
from skills_roadmap.storage.tables import ProgressRow, UploadRow

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


def _empty_uploads() -> pd.DataFrame:
    return pd.DataFrame(columns=["upload_id", *UPLOAD_FIELDS])


def _empty_notes() -> pd.DataFrame:
    return pd.DataFrame(columns=["programme_id", "period", "notes"])


@dataclass(frozen=True)
class StoredRecords:
    """Uploads (newest first) and the progress notes, which the analysis frames leave out.

    ``uploads`` has ``upload_id`` and the upload fields (``uploaded_at`` in UTC); ``notes``
    has ``programme_id``, ``period`` ('YYYY-MM') and ``notes``, one row per non-empty note.
    """

    uploads: pd.DataFrame = field(default_factory=_empty_uploads)
    notes: pd.DataFrame = field(default_factory=_empty_notes)

    @property
    def last_upload(self) -> pd.Timestamp | None:
        """When the latest committed upload was made, or ``None`` if there was none."""
        committed = self.uploads[self.uploads["outcome"] == UploadOutcome.COMMITTED.value]
        if committed.empty:
            return None
        return pd.Timestamp(committed["uploaded_at"].max())


def load_records(engine: Engine) -> StoredRecords:
    """Every upload and every progress note, in two queries (cheap even at EU scale).

    Raises:
        DatabaseError: the database cannot be reached or has no tables yet.
    """
    require_initialised(engine)
    upload_columns = [UploadRow.id.label("upload_id")]
    upload_columns += [getattr(UploadRow, name) for name in UPLOAD_FIELDS]
    with session_scope(engine) as session:
        uploads = session.execute(
            select(*upload_columns).order_by(UploadRow.uploaded_at.desc(), UploadRow.id.desc())
        ).all()
        notes = session.execute(
            select(ProgressRow.programme_id, ProgressRow.period, ProgressRow.notes).where(
                ProgressRow.notes.is_not(None), ProgressRow.notes != ""
            )
        ).all()
    upload_frame = pd.DataFrame(uploads, columns=["upload_id", *UPLOAD_FIELDS])
    upload_frame["uploaded_at"] = pd.to_datetime(upload_frame["uploaded_at"], utc=True)
    return StoredRecords(
        uploads=upload_frame,
        notes=pd.DataFrame(notes, columns=["programme_id", "period", "notes"]),
    )
