"""Commit an upload: all rows or none, every upload recorded, the same file twice a no-op."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from skills_roadmap import audit
from skills_roadmap.audit import AuditAction
from skills_roadmap.domain import UploadOutcome
from skills_roadmap.i18n import ngettext
from skills_roadmap.i18n.formats import Message
from skills_roadmap.i18n.words import _
from skills_roadmap.ingest.context import CheckContext, Checked, StoreContext
from skills_roadmap.ingest.contract import SheetKind
from skills_roadmap.ingest.isolation import run_isolated
from skills_roadmap.ingest.pipeline import (
    HANDLERS,
    check_sheets,
    cyclic_gc_paused,
    display_name,
    local_user,
    sha256,
)
from skills_roadmap.ingest.readers import ParsedSheet, parse_upload
from skills_roadmap.ingest.report import DryRunReport
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import database_url, private_engine, session_scope
from skills_roadmap.storage.uploads import (
    StoredUpload,
    UploadRecord,
    first_committed_upload,
    insert_upload,
)
from skills_roadmap.users import Permission

USER_NAME_LENGTH = 64
# The sheets without an action of their own (regions, clusters, facilities, a workbook of
# several sheets) are audited as uploads; the audit entry names the file.
AUDIT_ACTIONS = {
    SheetKind.PROGRAMMES: AuditAction.PROGRAMMES_CHANGE,
    SheetKind.TARGETS: AuditAction.TARGETS_CHANGE,
}


@dataclass(frozen=True)
class EarlierUpload:
    """The upload a duplicate repeats: which, when and by whom."""

    id: int
    uploaded_at: datetime
    uploaded_by: str


@dataclass(frozen=True)
class CommitResult:
    """What became of an upload.

    Attributes:
        outcome: committed, rejected (errors in the file; nothing stored) or duplicate (the
            same file was committed before; nothing changed).
        upload_id: the id of this upload's record.
        report: the checks the decision rests on (``None`` for a duplicate: not read again).
        duplicate_of: for a duplicate, the earlier upload with the same content.
    """

    outcome: UploadOutcome
    upload_id: int
    report: DryRunReport | None
    duplicate_of: EarlierUpload | None = None

    @property
    def message(self) -> str:
        """One line saying what happened."""
        if self.outcome is UploadOutcome.DUPLICATE and self.duplicate_of is not None:
            earlier = self.duplicate_of
            return _(
                "this file was already imported (upload #{upload}, {when} by {who}); "
                "nothing changed",
                upload=earlier.id,
                when=f"{earlier.uploaded_at:%Y-%m-%d %H:%M}",
                who=earlier.uploaded_by,
            )
        assert self.report is not None
        if self.outcome is UploadOutcome.REJECTED:
            errors = self.report.error_count
            return Message(
                ngettext(
                    "nothing stored: the file has {errors:,} error; fix it and upload it again",
                    "nothing stored: the file has {errors:,} errors; fix them and upload it again",
                    errors,
                )
            ).format(errors=errors)
        return _(
            "stored upload #{upload}: {new:,} new, {changed:,} changed, {unchanged:,} unchanged "
            "rows",
            upload=self.upload_id,
            new=self.report.new,
            changed=self.report.changed,
            unchanged=self.report.unchanged,
        )


def commit_upload(
    engine: Engine,
    data: bytes,
    file_name: str,
    *,
    user: str | None = None,
    manager_clusters: frozenset[str] | None = None,
    today: date | None = None,
    kind: SheetKind | str | None = None,
    permissions: frozenset[Permission] | None = None,
) -> CommitResult:
    """Store an upload's rows in one transaction, after the same checks as the dry run.

    All or nothing: a file with any error stores nothing but its upload record (outcome
    ``rejected``). Changed values are kept as revisions (who, when, which upload, old, new).
    The same bytes committed before are recognised by their sha256 and change nothing
    (outcome ``duplicate``). The file is kept under ``data_dir/uploads`` named by its hash,
    never by the name it was uploaded under. ``permissions`` are the uploader's, judged per
    sheet kind as in ``dry_run``.

    Raises:
        UnreadableFileError: the file cannot be read at all (nothing is recorded).
        PermissionDeniedError: the uploader may not upload one of the file's sheets.
    """
    digest = sha256(data)
    who = (user or local_user())[:USER_NAME_LENGTH]
    name = display_name(file_name)
    with session_scope(engine) as session:
        earlier = first_committed_upload(session, digest)
    if earlier is not None:
        with session_scope(engine, write=True) as session:
            return _record_duplicate(session, earlier, name, who)
    context = CheckContext(
        today=today or date.today(),
        manager_clusters=manager_clusters,
        user=who,
        permissions=permissions,
    )
    return run_isolated(store_file, database_url(engine), data, digest, name, context, kind)


def store_file(
    url: str,
    data: bytes,
    digest: str,
    name: str,
    context: CheckContext,
    kind: SheetKind | str | None,
) -> CommitResult:
    """``commit_upload`` past the duplicate check, in this process on its own engine: what
    the child process runs."""
    with cyclic_gc_paused(), private_engine(url) as engine:
        sheets = parse_upload(data, kind)
        return _check_and_store(engine, sheets, data, digest, name, context)


def _check_and_store(
    engine: Engine,
    sheets: tuple[ParsedSheet, ...],
    data: bytes,
    digest: str,
    name: str,
    context: CheckContext,
) -> CommitResult:
    """Check ``sheets`` and, if none has an error, store them all (in order), in one write
    transaction."""
    who = context.user
    with session_scope(engine, write=True) as session:
        earlier = first_committed_upload(session, digest)
        if earlier is not None:
            return _record_duplicate(session, earlier, name, who)
        report = check_sheets(session, sheets, file_name=name, digest=digest, context=context)
        outcome = UploadOutcome.COMMITTED if report.ok else UploadOutcome.REJECTED
        upload = _upload_record(report, who, outcome)
        upload_id = insert_upload(session, upload)
        if report.ok:
            stored = StoreContext(upload_id=upload_id, user=who, now=upload.uploaded_at)
            for part in report.sheets:
                HANDLERS[part.kind].store(
                    session, Checked(clean=part.clean, diff=part.diff), stored
                )
        _audit(session, upload_id, upload)
    if report.ok:  # only once the rows are committed: a failed commit leaves no file behind
        _keep_file(data, digest, report.file_format)
    return CommitResult(outcome=outcome, upload_id=upload_id, report=report)


def _record_duplicate(session: Session, earlier: StoredUpload, name: str, who: str) -> CommitResult:
    upload = UploadRecord(
        file_name=name,
        sha256=earlier.record.sha256,
        kind=earlier.record.kind,
        uploaded_by=who,
        uploaded_at=datetime.now(UTC),
        rows_new=0,
        rows_changed=0,
        rows_unchanged=0,
        errors=0,
        warnings=0,
        outcome=UploadOutcome.DUPLICATE.value,
    )
    upload_id = insert_upload(session, upload)
    _audit(session, upload_id, upload)
    return CommitResult(
        outcome=UploadOutcome.DUPLICATE,
        upload_id=upload_id,
        report=None,
        duplicate_of=EarlierUpload(
            earlier.id, earlier.record.uploaded_at, earlier.record.uploaded_by
        ),
    )


def _audit(session: Session, upload_id: int, upload: UploadRecord) -> None:
    """The audit entry of an upload, in the same transaction as the upload itself."""
    audit.record(
        session,
        upload.uploaded_by,
        AUDIT_ACTIONS.get(SheetKind(upload.kind), AuditAction.UPLOAD_COMMIT),
        object=f"upload {upload_id}: {upload.file_name}",
        detail={
            "outcome": upload.outcome,
            "sha256": upload.sha256,
            "new": upload.rows_new,
            "changed": upload.rows_changed,
            "unchanged": upload.rows_unchanged,
            "errors": upload.errors,
            "warnings": upload.warnings,
        },
    )


def _upload_record(report: DryRunReport, who: str, outcome: UploadOutcome) -> UploadRecord:
    return UploadRecord(
        file_name=report.file_name,
        sha256=report.sha256,
        kind=report.kind.value,
        uploaded_by=who,
        uploaded_at=datetime.now(UTC),
        rows_new=report.new,
        rows_changed=report.changed,
        rows_unchanged=report.unchanged,
        errors=report.error_count,
        warnings=report.warning_count,
        outcome=outcome.value,
    )


def _keep_file(data: bytes, digest: str, file_format: str) -> Path:
    """Keep the committed bytes as ``uploads/<sha256>.<format>``: content-addressed, so
    writing the same file again is harmless and a user-chosen name never becomes a path."""
    folder = get_settings().data_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest}.{file_format}"
    if not target.exists():
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    return target
