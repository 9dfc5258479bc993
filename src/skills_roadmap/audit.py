"""The audit log: who did what to which object, and when; written in the same transaction."""

from __future__ import annotations

import getpass
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine, or_, select, update
from sqlalchemy.orm import Session

from skills_roadmap.storage import as_utc, session_scope
from skills_roadmap.storage.tables import AuditRow
from skills_roadmap.text import without_controls

logger = logging.getLogger(__name__)

OBJECT_MAX_LENGTH = 200  # the width of audit_log.object
USER_MAX_LENGTH = 64  # the width of audit_log.user_name


class AuditAction(StrEnum):
    """Every kind of event the audit log records."""

    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGIN_THROTTLED = "login_throttled"
    LOGOUT = "logout"
    FORBIDDEN = "forbidden"
    UPLOAD_DRY_RUN = "upload_dry_run"
    UPLOAD_COMMIT = "upload_commit"
    EXPORT = "export"
    USER_CREATE = "user_create"
    USER_ROLE = "user_role"
    USER_PASSWORD = "user_password"
    USER_DISABLE = "user_disable"
    PROGRAMMES_CHANGE = "programmes_change"
    TARGETS_CHANGE = "targets_change"


@dataclass(frozen=True)
class AuditEntry:
    """One recorded event; ``at`` is in UTC."""

    id: int
    at: datetime
    user_name: str | None
    action: str
    object: str | None
    detail: str | None


class AuditQuery(BaseModel):
    """Filters of the audit log; every one is optional and they combine with AND.

    ``since`` and ``until`` are whole UTC days, both included; ``text`` matches part of the
    object or the detail, ignoring case.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    user: str | None = Field(None, max_length=USER_MAX_LENGTH)
    action: AuditAction | None = None
    since: date | None = None
    until: date | None = None
    text: str | None = Field(None, max_length=200)
    limit: int = Field(1000, ge=1, le=10_000)


def command_line_actor() -> str:
    """Who the audit log names for a change made with the command line: ``cli:<os user>``."""
    try:
        return f"cli:{getpass.getuser()}"[:USER_MAX_LENGTH]
    except (KeyError, OSError):  # no passwd entry, e.g. in a container with a numeric uid
        return "cli"


def _detail_text(detail: str | Mapping[str, object] | None) -> str | None:
    if detail is None or isinstance(detail, str):
        return None if detail is None else without_controls(detail)
    return json.dumps(detail, sort_keys=True, ensure_ascii=False, default=str)


def record(
    target: Engine | Session,
    user: str | None,
    action: AuditAction,
    object: str | None = None,
    detail: str | Mapping[str, object] | None = None,
) -> int:
    """Write one audit entry, now; its id.

    Given a session, the entry joins that session's transaction, so a change and its audit
    entry are stored together or not at all; given an engine, it is written on its own.
    A mapping ``detail`` is stored as sorted JSON. Control characters are left out of the
    texts (a request path or a typed name may hold a NUL, which PostgreSQL refuses).
    """
    row = AuditRow(
        at=datetime.now(UTC),
        user_name=without_controls(user)[:USER_MAX_LENGTH] if user else None,
        action=AuditAction(action).value,
        object=without_controls(object)[:OBJECT_MAX_LENGTH] if object else None,
        detail=_detail_text(detail),
    )
    logger.info(
        "audit %s",
        row.action,
        extra={"audit_user": row.user_name, "audit_object": row.object},
    )
    if isinstance(target, Session):
        target.add(row)
        target.flush()
        return row.id
    with session_scope(target, write=True) as session:
        session.add(row)
        session.flush()
    return row.id


def revise_detail(session: Session, entry_id: int, detail: Mapping[str, object]) -> None:
    """Replace the detail of entry ``entry_id``, within ``session``'s transaction.

    Only for an entry that summarises repeated events while its window lasts (refused
    log-in attempts, with their count): one entry that counts instead of one per event.
    """
    session.execute(
        update(AuditRow).where(AuditRow.id == entry_id).values(detail=_detail_text(detail))
    )


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def query(engine: Engine, filters: AuditQuery | None = None) -> list[AuditEntry]:
    """Audit entries matching ``filters``, newest first, at most ``filters.limit`` of them."""
    filters = filters or AuditQuery()
    statement = select(AuditRow).order_by(AuditRow.at.desc(), AuditRow.id.desc())
    if filters.user:
        statement = statement.where(AuditRow.user_name == filters.user)
    if filters.action:
        statement = statement.where(AuditRow.action == filters.action.value)
    if filters.since:
        statement = statement.where(AuditRow.at >= _day_start(filters.since))
    if filters.until:
        statement = statement.where(AuditRow.at < _day_start(filters.until + timedelta(days=1)))
    if filters.text:
        statement = statement.where(
            or_(
                AuditRow.object.icontains(filters.text, autoescape=True),
                AuditRow.detail.icontains(filters.text, autoescape=True),
            )
        )
    with session_scope(engine) as session:
        rows = session.scalars(statement.limit(filters.limit)).all()
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


def actors(engine: Engine) -> list[str]:
    """Every user name that appears in the audit log, sorted: the choices of a user filter."""
    with session_scope(engine) as session:
        return sorted(
            session.scalars(
                select(AuditRow.user_name).where(AuditRow.user_name.is_not(None)).distinct()
            )
        )
