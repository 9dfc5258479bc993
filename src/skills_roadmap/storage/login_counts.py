"""The counts of the log-in limits (``skills_roadmap.login_limits``), shared by every process.

A count is one row of ``login_limits`` keyed by (kind, user name, address); ``""`` means any.
Counting is one atomic upsert on SQLite and PostgreSQL alike, so two processes counting the
same failure at once both count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, case, delete, literal, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from skills_roadmap.storage.database import as_utc, session_scope
from skills_roadmap.storage.tables import LoginLimitRow

__all__ = [
    "CountKey",
    "LoginCount",
    "add_to_count",
    "delete_count",
    "delete_expired_counts",
    "link_audit_entry",
    "read_counts",
]

CountKey = tuple[str, str, str]  # (kind, user name, address) of a row; "" means any


@dataclass(frozen=True)
class LoginCount:
    """A stored count: how many, when last counted, until when it lives (UTC)."""

    attempts: int
    last_at: datetime
    expires_at: datetime


def _where_key(key: CountKey) -> ColumnElement[bool]:
    kind, user_name, address = key
    return and_(
        LoginLimitRow.kind == kind,
        LoginLimitRow.user_name == user_name,
        LoginLimitRow.address == address,
    )


def read_counts(engine: Engine, keys: Iterable[CountKey]) -> dict[CountKey, LoginCount]:
    """The stored counts of ``keys`` (expired ones too), in one query: this runs for every
    log-in attempt, so it reads plain rows, not ORM objects."""
    table = LoginLimitRow.__table__
    row_key = tuple_(table.c.kind, table.c.user_name, table.c.address)
    statement = select(
        table.c.kind,
        table.c.user_name,
        table.c.address,
        table.c.attempts,
        table.c.last_at,
        table.c.expires_at,
    ).where(row_key.in_(list(keys)))
    with session_scope(engine) as session:
        return {
            (row.kind, row.user_name, row.address): LoginCount(
                attempts=row.attempts,
                last_at=as_utc(row.last_at),
                expires_at=as_utc(row.expires_at),
            )
            for row in session.execute(statement)
        }


def add_to_count(
    session: Session,
    key: CountKey,
    count: int,
    now: datetime,
    lifetime: timedelta,
    *,
    fixed: bool,
) -> tuple[int, int | None]:
    """Count ``count`` more for ``key``, atomically: a new row counting ``count``, else
    ``count`` more, or ``count`` afresh once the stored row has expired; the count it now
    holds and the audit entry linked to it (None once it starts afresh).

    A row lives ``lifetime`` from its last count, or, when ``fixed``, from its first (a
    window of fixed length). INSERT … ON CONFLICT DO UPDATE on both databases; their
    SQLAlchemy constructs share one interface.
    """
    table = LoginLimitRow.__table__
    expired = table.c.expires_at <= now

    def afresh(value: datetime | None, column: Any) -> Any:
        return case((expired, literal(value, column.type)), else_=column)

    bind = session.get_bind()
    dialect = postgresql if bind.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(LoginLimitRow)
        .values(
            kind=key[0],
            user_name=key[1],
            address=key[2],
            attempts=count,
            first_at=now,
            last_at=now,
            expires_at=now + lifetime,
            audit_id=None,
        )
        .on_conflict_do_update(
            index_elements=list(table.primary_key),
            set_={
                "attempts": case((expired, count), else_=table.c.attempts + count),
                "first_at": afresh(now, table.c.first_at),
                "last_at": now,
                "expires_at": afresh(now + lifetime, table.c.expires_at)
                if fixed
                else now + lifetime,
                "audit_id": afresh(None, table.c.audit_id),
            },
        )
        .returning(table.c.attempts, table.c.audit_id)
    )
    attempts, audit_id = session.execute(statement).one()
    return int(attempts), audit_id


def delete_count(session: Session, key: CountKey) -> None:
    """Forget the count of ``key``."""
    session.execute(delete(LoginLimitRow).where(_where_key(key)))


def link_audit_entry(session: Session, key: CountKey, entry_id: int) -> None:
    """Link the count of ``key`` to the audit entry that summarises it."""
    session.execute(update(LoginLimitRow).where(_where_key(key)).values(audit_id=entry_id))


def delete_expired_counts(engine: Engine, now: datetime, batch: int) -> None:
    """Delete at most ``batch`` counts expired before ``now``.

    Rows another transaction holds are skipped (PostgreSQL), so this never waits for, or
    deadlocks with, a log-in counting on the same rows.
    """
    columns = (LoginLimitRow.kind, LoginLimitRow.user_name, LoginLimitRow.address)
    expired = (
        select(*columns)
        .where(LoginLimitRow.expires_at < now)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    with session_scope(engine) as session:
        session.execute(delete(LoginLimitRow).where(tuple_(*columns).in_(expired)))
