"""PostgreSQL for tests: the server named by the environment, and fresh databases on it.

A plain module (not ``conftest``) so that test modules can import it by name: with several
``conftest.py`` files in the tree, ``import conftest`` finds whichever comes first.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

POSTGRES_URL_VARIABLE = "SKILLS_ROADMAP_TEST_POSTGRES_URL"


def postgres_admin_url() -> str:
    """The PostgreSQL server for tests; in CI it must exist, elsewhere its tests are skipped."""
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if url:
        return url
    if os.environ.get("CI") == "true":
        pytest.fail(f"{POSTGRES_URL_VARIABLE} is not set: .ci/run must start PostgreSQL")
    pytest.skip(f"no PostgreSQL for tests ({POSTGRES_URL_VARIABLE} is not set)")


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards; yields its URL."""
    admin_url = make_url(postgres_admin_url())
    name = f"skills_roadmap_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        _drop(admin, name)
        admin.dispose()


def _drop(admin: Engine, name: str, attempts: int = 5) -> None:
    """Drop a test database, retrying while the server refuses to end a connection to it.

    ``WITH (FORCE)`` ends the test's own leftover connections, but not a background process
    the server itself runs there at that moment (an autovacuum worker): a test role may not
    signal those, so the drop is tried again once it has gone.
    """
    for attempt in range(attempts):
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except ProgrammingError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5 * (attempt + 1))
