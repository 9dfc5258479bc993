"""The audit log's queries: write an entry, revise a summary entry, find entries and actors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.orm import Session

from skills_roadmap.storage.database import as_utc, session_scope
from skills_roadmap.storage.tables import AuditRow

__all__ = [
    "AuditEntry",
    "audit_actors",
    "find_audit_entries",
    "insert_audit_entry",
    "replace_audit_detail",
]


@dataclass(frozen=True)
class AuditEntry:
    """One recorded event; ``at`` is in UTC."""

    id: int
    at: datetime
    user_name: str | None
    action: str
    object: str | None
    detail: str | None


def insert_audit_entry(
    session: Session,
    *,
    at: datetime,
    user_name: str | None,
    action: str,
    object: str | None,
    detail: str | None,
) -> int:
    """Add one entry within ``session``'s transaction; its id (flushed, so known at once)."""
    row = AuditRow(at=at, user_name=user_name, action=action, object=object, detail=detail)
    session.add(row)
    session.flush()
    return row.id


def replace_audit_detail(session: Session, entry_id: int, detail: str | None) -> None:
    """Set the detail of entry ``entry_id``, within ``session``'s transaction."""
    session.execute(update(AuditRow).where(AuditRow.id == entry_id).values(detail=detail))


def find_audit_entries(
    engine: Engine,
    *,
    user_name: str | None = None,
    action: str | None = None,
    at_or_after: datetime | None = None,
    before: datetime | None = None,
    text: str | None = None,
    limit: int,
) -> list[AuditEntry]:
    """Entries matching every filter given, newest first, at most ``limit``.

    ``text`` matches part of the object or the detail, ignoring case (``%`` and ``_`` in it
    are taken literally).
    """
    statement = select(AuditRow).order_by(AuditRow.at.desc(), AuditRow.id.desc())
    if user_name:
        statement = statement.where(AuditRow.user_name == user_name)
    if action:
        statement = statement.where(AuditRow.action == action)
    if at_or_after is not None:
        statement = statement.where(AuditRow.at >= at_or_after)
    if before is not None:
        statement = statement.where(AuditRow.at < before)
    if text:
        statement = statement.where(
            or_(
                AuditRow.object.icontains(text, autoescape=True),
                AuditRow.detail.icontains(text, autoescape=True),
            )
        )
    with session_scope(engine) as session:
        rows = session.scalars(statement.limit(limit)).all()
        return [
            AuditEntry(
                id=row.id,
                at=as_utc(row.at),
                user_name=row.user_name,
                action=row.action,
                object=row.object,
                detail=row.detail,
            )
            for row in rows
        ]


def audit_actors(engine: Engine) -> list[str]:
    """Every user name that appears in the audit log, sorted."""
    with session_scope(engine) as session:
        return sorted(
            session.scalars(
                select(AuditRow.user_name).where(AuditRow.user_name.is_not(None)).distinct()
            )
        )
