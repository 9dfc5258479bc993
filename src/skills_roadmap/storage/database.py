"""Engines and sessions: one place that knows how to open the configured database.

SQLite gets WAL journaling (readers never block the writer), a busy timeout (a second writer
waits instead of failing at once) and enforced foreign keys; writers open with
``BEGIN IMMEDIATE`` so two uploads cannot interleave.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session

from skills_roadmap.exceptions import ConfigurationError, DatabaseError
from skills_roadmap.storage.migrate import is_up_to_date

IMMEDIATE_OPTION = "skills_roadmap_write"
# Key of the PostgreSQL advisory lock every write transaction takes (any constant will do,
# as long as every writer uses the same one).
WRITE_LOCK_KEY = 0x5EC7_2026


def _prepare_sqlite_file(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str, *, busy_timeout_ms: int = 10_000) -> Engine:
    """An engine for ``url`` with the SQLite pragmas this product relies on."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise ConfigurationError(
            f"database URL '{url}' is not valid: expected e.g. sqlite:///data/local/db.sqlite "
            "or postgresql+psycopg://user:password@host/dbname"
        ) from error
    if parsed.get_backend_name() != "sqlite":
        try:
            return create_engine(url, pool_pre_ping=True, future=True)
        except ImportError as error:
            raise ConfigurationError(_missing_driver(parsed, error)) from error

    _prepare_sqlite_file(url)
    engine = create_engine(
        url, connect_args={"timeout": busy_timeout_ms / 1000, "isolation_level": None}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # pysqlite's own transaction handling is off (isolation_level=None). Writers take the
        # write lock up front so concurrent commits queue on the busy timeout instead of
        # failing half-way with "database is locked"; readers start deferred and never block.
        immediate = connection.get_execution_options().get(IMMEDIATE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _missing_driver(url: URL, error: ImportError) -> str:
    """What to install when the database URL names a driver that is not installed."""
    backend, driver = url.get_backend_name(), url.get_driver_name()
    if backend == "postgresql" and driver == "psycopg":
        return (
            "the database URL is a PostgreSQL one but its driver is not installed: "
            "pip install 'skills-roadmap[postgresql]'"
        )
    if backend == "postgresql":
        return (
            f"the PostgreSQL driver '{driver}' is not installed: write the URL as "
            "postgresql+psycopg://… and pip install 'skills-roadmap[postgresql]'"
        )
    return (
        f"the database URL needs the driver '{error.name or driver}', which is not installed: "
        "install it, or use SQLite or PostgreSQL (pip install 'skills-roadmap[postgresql]')"
    )


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """The shared engine for ``url`` (default: the configured database)."""
    from skills_roadmap.settings import get_settings

    settings = get_settings()
    return make_engine(
        url or settings.effective_database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms
    )


def database_url(engine: Engine) -> str:
    """The URL ``engine`` connects to, password included: what a child process needs to open
    its own engine on the same database."""
    return engine.url.render_as_string(hide_password=False)


@contextmanager
def private_engine(url: str) -> Iterator[Engine]:
    """An engine of this process alone for ``url``, disposed afterwards.

    A child process that checks or stores an upload opens one: the engines it may have
    inherited from its parent hold the parent's connections, which it must never use.
    """
    from skills_roadmap.settings import get_settings

    engine = make_engine(url, busy_timeout_ms=get_settings().sqlite_busy_timeout_ms)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def session_scope(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """A session whose work is committed on success and rolled back on any error.

    ``write=True`` takes the database's write lock at the start of the transaction, so the
    whole unit of work (an upload's commit, the demo load) is serialised against other
    writers and cannot interleave with them: ``BEGIN IMMEDIATE`` on SQLite, a transaction-level
    advisory lock on PostgreSQL (released by the commit or rollback).
    """
    bind = engine.execution_options(**{IMMEDIATE_OPTION: True}) if write else engine
    # A Session, not a sessionmaker: each sessionmaker builds a Session subclass with its
    # own event set-up, which cost more than a small query on every call.
    session = Session(bind, expire_on_commit=False)
    try:
        if write and engine.dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


def as_utc(moment: datetime) -> datetime:
    """``moment`` read from a ``DateTime(timezone=True)`` column, as an aware UTC time.

    SQLite hands back naive datetimes; every stored time is UTC.
    """
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def check_connection(engine: Engine) -> None:
    """Fail with one clear line when the database cannot be reached."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise DatabaseError(
            f"cannot reach the database at {engine.url.render_as_string(hide_password=True)}: "
            f"{reason}"
        ) from error


def is_initialised(engine: Engine) -> bool:
    """Whether migrations have created the schema."""
    check_connection(engine)
    return inspect(engine).has_table("alembic_version")


def require_initialised(engine: Engine) -> None:
    """Raise a helpful error when ``skills-roadmap init`` has not been run yet, or not since
    this version brought a migration."""
    where = engine.url.render_as_string(hide_password=True)
    if not is_initialised(engine):
        raise DatabaseError(
            f"the database has no tables yet: run `skills-roadmap init` first ({where})"
        )
    if not is_up_to_date(engine):
        raise DatabaseError(
            "the database was made by an older version of Skills Roadmap: run "
            f"`skills-roadmap init` to bring it up to date; its data is kept ({where})"
        )
