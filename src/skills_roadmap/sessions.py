"""Signed-in sessions, kept in the database so that logging out ends them.

The session cookie is signed, not stored: on its own, a copy taken before a log-out would stay
valid until it expired. So each log-in stores its random id's SHA-256 with the user and an
expiry (a stolen database copy holds no usable id), every request of the web app asks
:func:`session_user`, and a log-out, a new password or a disabled account deletes the rows.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from skills_roadmap.storage import session_scope
from skills_roadmap.storage.accounts import (
    delete_expired_sessions,
    delete_session,
    delete_sessions_of,
    insert_session,
    session_owner,
)


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(engine: Engine, user_name: str, lifetime: timedelta) -> str:
    """A new session of ``user_name`` for ``lifetime``: its id, for the cookie.

    Sessions that have expired, anyone's, are removed on the way.
    """
    session_id = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        delete_expired_sessions(session, now)
        insert_session(
            session,
            id_hash=_hash(session_id),
            user_name=user_name,
            created_at=now,
            expires_at=now + lifetime,
        )
    return session_id


def session_user(engine: Engine, session_id: str | None) -> str | None:
    """Whose session ``session_id`` is, if it is open and has not expired."""
    if not session_id:
        return None
    with session_scope(engine) as session:
        owner = session_owner(session, _hash(session_id))
    if owner is None or owner[1] <= datetime.now(UTC):
        return None
    return owner[0]


def close_session(engine: Engine, session_id: str | None) -> None:
    """End the session ``session_id`` (nothing if there is none)."""
    if session_id:
        with session_scope(engine) as session:
            delete_session(session, _hash(session_id))


def close_sessions_of(session: Session, user_name: str) -> None:
    """End every session of ``user_name``, within ``session``'s transaction."""
    delete_sessions_of(session, user_name)
