"""Shared fixtures: migrated databases and the demo network, built once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from database_helpers import fresh_postgres_database
from sqlalchemy import Engine

from skills_roadmap.i18n import DEFAULT_LANGUAGE, use_language
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import make_engine, upgrade

FIXTURES = Path(__file__).parent / "fixtures"
DEMO_SEED = 7


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test reads the developer's `.env` (or their `LANG`: commands would answer in it) or
    writes into the repository's data folder, and each starts in English, whatever language
    an earlier test left its thread in."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SKILLS_ROADMAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LANG", raising=False)
    get_settings.cache_clear()
    with use_language(DEFAULT_LANGUAGE):
        yield
    get_settings.cache_clear()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """An empty, migrated SQLite database for one test."""
    db = make_engine(f"sqlite:///{tmp_path / 'test.sqlite'}")
    upgrade(db)
    yield db
    db.dispose()


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
