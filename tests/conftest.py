"""Shared fixtures: migrated databases and the demo network, built once per test session."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from skills_roadmap.settings import get_settings
from skills_roadmap.storage import make_engine, upgrade

FIXTURES = Path(__file__).parent / "fixtures"
DEMO_SEED = 7
POSTGRES_URL_VARIABLE = "SKILLS_ROADMAP_TEST_POSTGRES_URL"


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test reads the developer's `.env` or writes into the repository's data folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SKILLS_ROADMAP_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """An empty, migrated SQLite database for one test."""
    db = make_engine(f"sqlite:///{tmp_path / 'test.sqlite'}")
    upgrade(db)
    yield db
    db.dispose()


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
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty, migrated database on each supported backend: SQLite and PostgreSQL."""
    if request.param == "sqlite":
        db = make_engine(f"sqlite:///{tmp_path / 'test.sqlite'}")
        upgrade(db)
        yield db
        db.dispose()
        return
    with fresh_postgres_database() as url:
        db = make_engine(url)
        upgrade(db)
        yield db
        db.dispose()


@pytest.fixture
def network_engine(any_engine: Engine) -> Engine:
    """The small ingestion network of ``ingest_helpers``, on SQLite and on PostgreSQL.

    Every ingestion test that stores or reads through this fixture runs on both backends.
    """
    from ingest_helpers import add_network

    add_network(any_engine)
    return any_engine


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The file of a demo-network database (seed 7), built once and shared read-only."""
    from skills_roadmap.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    db = make_engine(f"sqlite:///{path}")
    upgrade(db)
    build_demo(db, seed=DEMO_SEED)
    db.dispose()
    return path


@pytest.fixture
def demo_engine(demo_database: Path) -> Iterator[Engine]:
    """An engine on the shared demo database; tests must not write to it."""
    db = make_engine(f"sqlite:///{demo_database}")
    yield db
    db.dispose()
