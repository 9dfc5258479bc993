"""Accounts and signed-in sessions: the queries of users, their clusters and their sessions.

Every function works within the caller's transaction (``session_scope``), so an account's
change, the end of its sessions and the audit entry saying so are stored together or not at
all. An account comes back as a plain :class:`StoredAccount`, never as a row to change: what
changes, changes through a function here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from skills_roadmap.storage.database import as_utc
from skills_roadmap.storage.tables import ClusterRow, SessionRow, UserClusterRow, UserRow

__all__ = [
    "StoredAccount",
    "account_names",
    "all_accounts",
    "delete_expired_sessions",
    "delete_session",
    "delete_sessions_of",
    "find_account",
    "insert_account",
    "insert_session",
    "first_cluster_id",
    "known_cluster_ids",
    "session_owner",
    "set_account_active",
    "set_account_email",
    "set_account_language",
    "set_account_role",
    "set_password_hash",
]


@dataclass(frozen=True)
class StoredAccount:
    """An account as stored: its role's value, its password hash and its clusters (sorted)."""

    name: str
    role: str
    password_hash: str | None
    active: bool
    cluster_ids: tuple[str, ...]
    email: str | None = None
    language: str | None = None


def known_cluster_ids(session: Session, cluster_ids: Iterable[str]) -> set[str]:
    """Those of ``cluster_ids`` that are stored clusters."""
    wanted = set(cluster_ids)
    return set(session.scalars(select(ClusterRow.id).where(ClusterRow.id.in_(wanted))))


def first_cluster_id(session: Session, region_code: str | None = None) -> str | None:
    """The first stored cluster by id (of those based in ``region_code``, when given)."""
    query = select(ClusterRow.id).order_by(ClusterRow.id).limit(1)
    if region_code is not None:
        query = query.where(ClusterRow.region_code == region_code)
    return session.scalar(query)


def _clusters_of(session: Session, name: str) -> tuple[str, ...]:
    return tuple(
        session.scalars(
            select(UserClusterRow.cluster_id)
            .where(UserClusterRow.user_name == name)
            .order_by(UserClusterRow.cluster_id)
        )
    )


def _account(session: Session, row: UserRow) -> StoredAccount:
    return StoredAccount(
        name=row.name,
        role=row.role,
        password_hash=row.password_hash,
        active=row.active,
        cluster_ids=_clusters_of(session, row.name),
        email=row.email,
        language=row.language,
    )


def find_account(session: Session, name: str) -> StoredAccount | None:
    """The account called ``name`` (active or not), or None."""
    row = session.get(UserRow, name)
    return None if row is None else _account(session, row)


def all_accounts(session: Session) -> list[StoredAccount]:
    """Every account, by name."""
    rows = session.scalars(select(UserRow).order_by(UserRow.name)).all()
    return [_account(session, row) for row in rows]


def account_names(session: Session) -> set[str]:
    """The names of every account."""
    return set(session.scalars(select(UserRow.name)))


def _bind_clusters(session: Session, name: str, cluster_ids: Iterable[str]) -> None:
    session.execute(delete(UserClusterRow).where(UserClusterRow.user_name == name))
    session.add_all(UserClusterRow(user_name=name, cluster_id=c) for c in cluster_ids)


def insert_account(
    session: Session,
    *,
    name: str,
    role: str,
    password_hash: str,
    cluster_ids: Iterable[str],
    created_at: datetime,
    email: str | None = None,
    language: str | None = None,
) -> None:
    """Add an active account bound to ``cluster_ids``."""
    session.add(
        UserRow(
            name=name,
            role=role,
            password_hash=password_hash,
            active=True,
            created_at=created_at,
            email=email,
            language=language,
        )
    )
    session.flush()  # the account before the rows that refer to it
    _bind_clusters(session, name, cluster_ids)


def _updated(session: Session, name: str, **values: object) -> bool:
    result = session.execute(update(UserRow).where(UserRow.name == name).values(**values))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def set_account_active(session: Session, name: str, active: bool) -> bool:
    """Enable or disable account ``name``; whether there is one."""
    return _updated(session, name, active=active)


def set_password_hash(session: Session, name: str, password_hash: str) -> bool:
    """Store a new password hash for ``name``; whether there is such an account."""
    return _updated(session, name, password_hash=password_hash)


def set_account_email(session: Session, name: str, email: str | None) -> bool:
    """Store ``name``'s e-mail address (None: none); whether there is such an account."""
    return _updated(session, name, email=email)


def set_account_language(session: Session, name: str, language: str | None) -> bool:
    """Store the language ``name`` reads (None: the installation's); whether there is such
    an account."""
    return _updated(session, name, language=language)


def set_account_role(session: Session, name: str, role: str, cluster_ids: Iterable[str]) -> bool:
    """Give ``name`` a new role and bind it to exactly ``cluster_ids``; whether it exists."""
    if not _updated(session, name, role=role):
        return False
    _bind_clusters(session, name, cluster_ids)
    return True


def insert_session(
    session: Session, *, id_hash: str, user_name: str, created_at: datetime, expires_at: datetime
) -> None:
    """Store a signed-in session (the hash of its id, never the id)."""
    session.add(
        SessionRow(
            id_hash=id_hash, user_name=user_name, created_at=created_at, expires_at=expires_at
        )
    )


def delete_expired_sessions(session: Session, now: datetime) -> None:
    """Remove every session, anyone's, that expired before ``now``."""
    session.execute(delete(SessionRow).where(SessionRow.expires_at < now))


def session_owner(session: Session, id_hash: str) -> tuple[str, datetime] | None:
    """Whose session the hash ``id_hash`` is and when it expires (UTC), or None."""
    row = session.get(SessionRow, id_hash)
    return None if row is None else (row.user_name, as_utc(row.expires_at))


def delete_session(session: Session, id_hash: str) -> None:
    """End the session with this id hash (nothing if there is none)."""
    session.execute(delete(SessionRow).where(SessionRow.id_hash == id_hash))


def delete_sessions_of(session: Session, user_name: str) -> None:
    """End every session of ``user_name``."""
    session.execute(delete(SessionRow).where(SessionRow.user_name == user_name))
