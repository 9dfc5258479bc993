"""What a report needs from the database beyond the analysis frames: uploads and notes.

Who uploaded which file when is not data of the roadmap but a record of people's work, so a
report lists the uploads its reader may see (:meth:`StoredRecords.for_reader`): an
administrator every upload (they read the audit log, which holds them all), a manager the
uploads they made themselves (as on their Upload page), an official or an analyst none. The
"Last upload" line, which says how fresh the data is, counts every upload for everyone.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from enum import StrEnum

import pandas as pd
from sqlalchemy import Engine

from skills_roadmap.domain import UploadOutcome
from skills_roadmap.i18n import N_, gettext
from skills_roadmap.storage import require_initialised, session_scope
from skills_roadmap.storage.history import TARGET_HISTORY_COLUMNS, target_history
from skills_roadmap.storage.progress import progress_notes
from skills_roadmap.storage.uploads import UPLOAD_FIELDS, upload_history
from skills_roadmap.users import Permission


def _empty_uploads() -> pd.DataFrame:
    return pd.DataFrame(columns=["upload_id", *UPLOAD_FIELDS])


def _empty_notes() -> pd.DataFrame:
    return pd.DataFrame(columns=["programme_id", "period", "notes"])


def _empty_target_revisions() -> pd.DataFrame:
    return pd.DataFrame(columns=TARGET_HISTORY_COLUMNS)


class UploadsShown(StrEnum):
    """Which uploads a report's reader may see."""

    ALL = "all"
    OWN = "own"
    NONE = "none"

    @classmethod
    def to(cls, permissions: Collection[Permission]) -> UploadsShown:
        """Every upload with the admin permission, one's own with the upload permission."""
        if Permission.ADMIN in permissions:
            return cls.ALL
        return cls.OWN if Permission.UPLOAD in permissions else cls.NONE


UPLOADS_DESCRIPTIONS = {
    UploadsShown.ALL: N_("Every upload, newest first (uploads are not tied to one region)."),
    UploadsShown.OWN: N_("Your own uploads, newest first."),
    UploadsShown.NONE: N_("Uploads are listed for administrators, and to each manager their own."),
}


@dataclass(frozen=True)
class StoredRecords:
    """Uploads (newest first), the progress notes and the target revisions, which the analysis
    frames leave out.

    ``uploads`` has ``upload_id`` and the upload fields (``uploaded_at`` in UTC), every
    upload; ``notes`` has ``programme_id``, ``period`` ('YYYY-MM') and ``notes``, one row per
    non-empty note; ``target_revisions`` every target's revisions, newest first
    (:func:`~skills_roadmap.storage.history.target_history`). ``reader`` and ``shown`` say
    whose report it is and which uploads it lists (:attr:`visible_uploads`); by default every
    upload (the command line).
    """

    uploads: pd.DataFrame = field(default_factory=_empty_uploads)
    notes: pd.DataFrame = field(default_factory=_empty_notes)
    target_revisions: pd.DataFrame = field(default_factory=_empty_target_revisions)
    reader: str | None = None
    shown: UploadsShown = UploadsShown.ALL

    def for_reader(self, name: str, permissions: Collection[Permission]) -> StoredRecords:
        """These records as the report of ``name``, who holds ``permissions``, lists them."""
        return replace(self, reader=name, shown=UploadsShown.to(permissions))

    @property
    def visible_uploads(self) -> pd.DataFrame:
        """The uploads the reader may see, newest first."""
        if self.shown is UploadsShown.ALL:
            return self.uploads
        if self.shown is UploadsShown.OWN:
            return self.uploads[self.uploads["uploaded_by"] == self.reader]
        return self.uploads.iloc[:0]

    @property
    def uploads_description(self) -> str:
        """What the Uploads table lists, for its reader, in the current language."""
        return gettext(UPLOADS_DESCRIPTIONS[self.shown])

    @property
    def last_upload(self) -> pd.Timestamp | None:
        """When the latest committed upload was made, or ``None`` if there was none."""
        committed = self.uploads[self.uploads["outcome"] == UploadOutcome.COMMITTED.value]
        if committed.empty:
            return None
        return pd.Timestamp(committed["uploaded_at"].max())


def load_records(engine: Engine) -> StoredRecords:
    """Every upload, progress note and target revision, in three queries (cheap even at EU
    scale).

    Raises:
        DatabaseError: the database cannot be reached or has no tables yet.
    """
    require_initialised(engine)
    with session_scope(engine) as session:
        return StoredRecords(
            uploads=upload_history(session),
            notes=progress_notes(session),
            target_revisions=target_history(session),
        )
