"""Reverting an upload: the values it replaced stored again, as a new upload of its own.

What "restore" means, row by row (a row is one programme's month):

* a row the upload changed gets back the values it held before the upload;
* a row the upload created goes: the month was not reported before, so it is not reported
  again (the row is removed, not blanked);
* a row the upload removed (it was itself a revert) is stored again as it was.

The revert is a new upload (kind ``revert``, by the administrator) that keeps every value it
changes as a revision, a removed row as revisions to blank and a row stored again as
revisions from blank, so a revert can itself be reverted. It is refused, storing nothing,
when a later upload changed any of the same rows (reverting would silently undo that one
too: revert the later upload first) or when it touches a closed month.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, bindparam, delete, select
from sqlalchemy.orm import Session

from skills_roadmap import audit
from skills_roadmap.audit import AuditAction
from skills_roadmap.domain import UploadOutcome
from skills_roadmap.exceptions import NotFoundError, SkillsRoadmapError
from skills_roadmap.i18n import ngettext
from skills_roadmap.i18n.formats import Message
from skills_roadmap.i18n.words import _
from skills_roadmap.storage.bulk import table_of, typed_frame
from skills_roadmap.storage.database import session_scope
from skills_roadmap.storage.periods import closed_periods
from skills_roadmap.storage.progress import (
    IN_CHUNK,
    PROGRESS_DTYPES,
    PROGRESS_FIELDS,
    PROGRESS_KEY,
    revision_text,
    store_progress_changes,
    stored_progress,
)
from skills_roadmap.storage.tables import ProgressRow, RevisionRow, UploadRow
from skills_roadmap.storage.uploads import UploadRecord, insert_upload

__all__ = ["REVERT_KIND", "REVERTIBLE_KINDS", "RevertRefusedError", "RevertResult", "revert_upload"]

REVERT_KIND = "revert"
# Uploads whose changes are progress values kept as revisions; a network sheet's upserts
# are corrected by importing the workbook again.
REVERTIBLE_KINDS = frozenset({"progress", REVERT_KIND})
FILE_NAME_LENGTH = 255  # the width of uploads.file_name
Key = tuple[str, str]  # a progress row: programme and month
Revisions = dict[Key, dict[str, tuple[str | None, str | None]]]  # field -> (old, new) per row


class RevertRefusedError(SkillsRoadmapError):
    """An upload cannot be reverted (nothing stored, a closed month, a later upload)."""


@dataclass(frozen=True)
class RevertResult:
    """What a revert did.

    Attributes:
        upload_id: the new upload (kind ``revert``) that holds the revert's revisions.
        reverted: the upload reverted.
        restored: rows given back their earlier values.
        removed: rows the upload had created, removed.
        recreated: rows the upload had removed, stored again.
        values: values changed (one revision each).
    """

    upload_id: int
    reverted: int
    restored: int
    removed: int
    recreated: int
    values: int

    @property
    def message(self) -> str:
        """One line saying what happened, in the current language."""
        return _(
            "reverted upload #{reverted} as upload #{upload}; rows restored: {restored:,}, "
            "removed: {removed:,}, stored again: {recreated:,}",
            reverted=self.reverted,
            upload=self.upload_id,
            restored=self.restored,
            removed=self.removed,
            recreated=self.recreated,
        )


def revert_upload(engine: Engine, upload_id: int, *, user: str, reason: str) -> RevertResult:
    """Store again the values upload ``upload_id`` replaced, as a new upload by ``user``.

    One write transaction: the revert, its revisions, its upload record and its audit entry
    (with ``reason``) are stored together or not at all.

    Raises:
        NotFoundError: there is no such upload.
        RevertRefusedError: no reason, the upload stored nothing or is not a progress upload,
            it touches a closed month, or a later upload changed the same rows.
    """
    if not reason.strip():
        raise RevertRefusedError(
            _("a reason is needed to revert an upload: say why in a few words")
        )
    with session_scope(engine, write=True) as session:
        upload = session.get(UploadRow, upload_id)
        if upload is None:
            raise NotFoundError(
                _(
                    "there is no upload {upload}: `skills-roadmap uploads list` shows them",
                    upload=upload_id,
                )
            )
        _check_revertible(upload)
        revisions = _revisions(session, upload_id)
        created = _created_rows(session, upload_id, set(revisions))
        keys = set(revisions) | created
        if not keys:
            raise RevertRefusedError(
                _(
                    "upload {upload} changed no stored value: there is nothing to revert",
                    upload=upload_id,
                )
            )
        _check_open(session, upload_id, keys)
        _check_latest(session, upload_id, keys)
        current = _current_rows(session, keys)
        now = datetime.now(UTC)
        plan = _plan(revisions, created, current)
        revert_id = insert_upload(session, _revert_record(upload, plan, user, now))
        _remove(session, plan.removed)
        store_progress_changes(
            session,
            new=plan.recreated,
            changed=plan.restored,
            fields=PROGRESS_FIELDS,
            changes=plan.changes,
            upload_id=revert_id,
            user=user,
            now=now,
        )
        result = RevertResult(
            upload_id=revert_id,
            reverted=upload_id,
            restored=len(plan.restored),
            removed=len(plan.removed),
            recreated=len(plan.recreated),
            values=len(plan.changes),
        )
        audit.record(
            session,
            user,
            AuditAction.UPLOAD_REVERT,
            f"upload {upload_id}: {upload.file_name}",
            {
                "reason": reason.strip(),
                "revert_upload": revert_id,
                "restored": result.restored,
                "removed": result.removed,
                "recreated": result.recreated,
            },
        )
        return result


def _revert_record(upload: UploadRow, plan: _Plan, user: str, now: datetime) -> UploadRecord:
    """The revert's own upload record: its rows recreated are new, those restored or removed
    changed. Its hash is of the revert itself, so no file is ever taken for a repeat of it."""
    return UploadRecord(
        file_name=f"revert of upload {upload.id}: {upload.file_name}"[:FILE_NAME_LENGTH],
        sha256=hashlib.sha256(f"revert {upload.id} {now.isoformat()} {user}".encode()).hexdigest(),
        kind=REVERT_KIND,
        uploaded_by=user,
        uploaded_at=now,
        rows_new=len(plan.recreated),
        rows_changed=len(plan.restored) + len(plan.removed),
        rows_unchanged=0,
        errors=0,
        warnings=0,
        outcome=UploadOutcome.COMMITTED.value,
    )


def _check_revertible(upload: UploadRow) -> None:
    if upload.outcome != UploadOutcome.COMMITTED.value:
        raise RevertRefusedError(
            _(
                "upload {upload} stored nothing ({outcome}): there is nothing to revert",
                upload=upload.id,
                outcome=upload.outcome,
            )
        )
    if upload.kind not in REVERTIBLE_KINDS:
        raise RevertRefusedError(
            _(
                "upload {upload} is a {kind} upload: only progress uploads and reverts can be "
                "reverted; import a corrected workbook instead",
                upload=upload.id,
                kind=upload.kind,
            )
        )


def _revisions(session: Session, upload_id: int) -> Revisions:
    """The upload's revisions per row: field -> (old, new)."""
    rows = session.execute(
        select(
            RevisionRow.programme_id,
            RevisionRow.period,
            RevisionRow.field,
            RevisionRow.old_value,
            RevisionRow.new_value,
        )
        .where(RevisionRow.upload_id == upload_id)
        .order_by(RevisionRow.id)
    )
    revisions: Revisions = {}
    for programme_id, period, field, old, new in rows:
        revisions.setdefault((programme_id, period), {})[field] = (old, new)
    return revisions


def _created_rows(session: Session, upload_id: int, revised: set[Key]) -> set[Key]:
    """The rows the upload created: marked so, or (stored before that mark was kept) still
    carrying its id without a revision of it."""
    key = (ProgressRow.programme_id, ProgressRow.period)
    marked = session.execute(select(*key).where(ProgressRow.created_upload_id == upload_id))
    written = session.execute(select(*key).where(ProgressRow.upload_id == upload_id))
    return {(str(p), str(d)) for p, d in marked} | (
        {(str(p), str(d)) for p, d in written} - revised
    )


def _check_open(session: Session, upload_id: int, keys: set[Key]) -> None:
    closed = {period.period for period in closed_periods(session)}
    touched = sorted({period for _programme, period in keys} & closed)
    if touched:
        raise RevertRefusedError(
            _(
                "upload {upload} changed {period}, which is closed: an administrator can reopen it "
                "(skills-roadmap periods reopen {period} --reason ...)",
                upload=upload_id,
                period=touched[0],
            )
        )


def _check_latest(session: Session, upload_id: int, keys: set[Key]) -> None:
    """Refuse when a later upload wrote any of the same rows, naming those uploads."""
    later: set[int] = set()
    programmes = sorted({programme for programme, _period in keys})
    for table in (RevisionRow.__table__, ProgressRow.__table__):
        query = select(table.c.programme_id, table.c.period, table.c.upload_id).where(
            table.c.upload_id > upload_id,
            table.c.programme_id.in_(bindparam("ids", expanding=True)),
        )
        for chunk in _chunks(programmes):
            for programme, period, other in session.execute(query, {"ids": chunk}):
                if (programme, period) in keys:
                    later.add(int(other))
    if later:
        message = ngettext(
            "upload {upload} cannot be reverted: later upload {names} changed the same "
            "programmes and months; revert upload {last} first",
            "upload {upload} cannot be reverted: later uploads {names} changed the same "
            "programmes and months; revert upload {last} first",
            len(later),
        )
        raise RevertRefusedError(
            Message(message).format(
                upload=upload_id,
                names=", ".join(str(number) for number in sorted(later)),
                last=max(later),
            )
        )


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


def _current_rows(session: Session, keys: set[Key]) -> dict[Key, dict[str, object]]:
    stored = stored_progress(session, {programme for programme, _period in keys})
    rows = stored.astype(object).where(stored.notna(), None).to_dict("records")
    found = {(str(row["programme_id"]), str(row["period"])): row for row in rows}
    return {key: {str(k): v for k, v in row.items()} for key, row in found.items() if key in keys}


@dataclass(frozen=True)
class _Plan:
    restored: pd.DataFrame
    recreated: pd.DataFrame
    removed: list[Key]
    changes: pd.DataFrame


def _plan(
    revisions: Revisions,
    created: set[Key],
    current: dict[Key, dict[str, object]],
) -> _Plan:
    """Which rows get their earlier values back, which go and which come back, and every
    value that changes (programme, period, field, old, new)."""
    restored: list[dict[str, object]] = []
    recreated: list[dict[str, object]] = []
    removed: list[Key] = []
    changes: list[tuple[str, str, str, object, object]] = []
    for key in sorted(set(revisions) | created):
        fields = revisions.get(key, {})
        row = current.get(key)
        made_it = key in created or fields.get("enrolled", ("", ""))[0] is None
        if row is not None and made_it:  # the upload created the row: it goes
            removed.append(key)
            changes.extend((*key, f, row[f], None) for f in PROGRESS_FIELDS if row[f] is not None)
        elif row is None:  # the upload removed the row: it comes back
            values = {f: _typed(f, fields[f][0]) if f in fields else None for f in PROGRESS_FIELDS}
            recreated.append({"programme_id": key[0], "period": key[1], **values})
            changes.extend((*key, f, None, v) for f, v in values.items() if v is not None)
        else:  # the upload changed values: they get their earlier ones back
            values = {f: _typed(f, old) for f, (old, _new) in fields.items()}
            changes.extend(
                (*key, f, row[f], v)
                for f, v in values.items()
                if revision_text(row[f]) != revision_text(v)
            )
            restored.append({**row, **values})
    return _Plan(
        restored=_frame(restored),
        recreated=_frame(recreated),
        removed=removed,
        changes=pd.DataFrame(changes, columns=["programme_id", "period", "field", "old", "new"]),
    )


def _typed(field: str, text: str | None) -> object:
    """A revision's text as the value the progress table stores."""
    if text is None:
        return None
    dtype = PROGRESS_DTYPES[field]
    if dtype == "Int64":
        return int(float(text))
    if dtype == "Float64":
        return float(text)
    return text


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    return typed_frame(
        [tuple(row[name] for name in PROGRESS_DTYPES) for row in rows], PROGRESS_DTYPES
    )


def _remove(session: Session, keys: list[Key]) -> None:
    if not keys:
        return
    table = table_of("progress")
    names = list(PROGRESS_KEY)
    statement = delete(table).where(*(table.c[name] == bindparam(f"key_{name}") for name in names))
    session.execute(
        statement,
        [{f"key_{name}": value for name, value in zip(names, key, strict=True)} for key in keys],
    )
