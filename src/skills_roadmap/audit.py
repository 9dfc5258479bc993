"""The audit log: who did what to which object, and when; written in the same transaction."""

from __future__ import annotations

import getpass
import json
import logging
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from skills_roadmap.storage import session_scope
from skills_roadmap.storage.audit import (
    AuditEntry,
    audit_actors,
    find_audit_entries,
    insert_audit_entry,
    replace_audit_detail,
)
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
    USER_EMAIL = "user_email"
    PROGRAMMES_CHANGE = "programmes_change"
    TARGETS_CHANGE = "targets_change"
    PERIOD_CLOSE = "period_close"
    PERIOD_REOPEN = "period_reopen"
    REMINDERS_SENT = "reminders_sent"
    UPLOAD_REVERT = "upload_revert"
    PERIOD_SUBMIT = "period_submit"
    PERIOD_APPROVE = "period_approve"
    PERIOD_RETURN = "period_return"


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
    if not isinstance(target, Session):
        with session_scope(target, write=True) as session:
            return record(session, user, action, object, detail)
    user_name = without_controls(user)[:USER_MAX_LENGTH] if user else None
    action_text = AuditAction(action).value
    object_text = without_controls(object)[:OBJECT_MAX_LENGTH] if object else None
    logger.info(
        "audit %s", action_text, extra={"audit_user": user_name, "audit_object": object_text}
    )
    return insert_audit_entry(
        target,
        at=datetime.now(UTC),
        user_name=user_name,
        action=action_text,
        object=object_text,
        detail=_detail_text(detail),
    )


def revise_detail(session: Session, entry_id: int, detail: Mapping[str, object]) -> None:
    """Replace the detail of entry ``entry_id``, within ``session``'s transaction.

    Only for an entry that summarises repeated events while its window lasts (refused
    log-in attempts, with their count): one entry that counts instead of one per event.
    """
    replace_audit_detail(session, entry_id, _detail_text(detail))


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def query(engine: Engine, filters: AuditQuery | None = None) -> list[AuditEntry]:
    """Audit entries matching ``filters``, newest first, at most ``filters.limit`` of them."""
    filters = filters or AuditQuery()
    return find_audit_entries(
        engine,
        user_name=filters.user,
        action=filters.action.value if filters.action else None,
        at_or_after=_day_start(filters.since) if filters.since else None,
        before=_day_start(filters.until + timedelta(days=1)) if filters.until else None,
        text=filters.text,
        limit=filters.limit,
    )


def actors(engine: Engine) -> list[str]:
    """Every user name that appears in the audit log, sorted: the choices of a user filter."""
    return audit_actors(engine)
