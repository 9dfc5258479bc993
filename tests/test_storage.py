"""Storage: migrations create the schema idempotently, SQLite runs with WAL and a busy timeout."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from skills_roadmap.exceptions import ConfigurationError, DatabaseError
from skills_roadmap.storage import is_initialised, make_engine, require_initialised, upgrade
from skills_roadmap.storage.tables import Base


def test_init_on_an_empty_database_creates_every_table(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new' / 'db.sqlite'}")
    assert not is_initialised(engine)
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) | {"alembic_version"} == tables


def test_init_twice_changes_nothing(any_engine: Engine) -> None:
    engine = any_engine
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO regions (code, name, country, lat, lon) "
                "VALUES ('ES24', 'Aragón', 'ES', 41.5, -0.7)"
            )
        )
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM regions")).scalars().all() == ["Aragón"]
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            "0011_user_language"
        )


def test_migrations_match_the_orm_schema(any_engine: Engine) -> None:
    """Autogenerate finds nothing to do: tables.py and the migrations agree on each backend."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with any_engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, Base.metadata) == []


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}", busy_timeout_ms=4321)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 4321
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_database_of_an_older_version_asks_for_init_and_init_brings_it_up_to_date(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    upgrade(engine, "0001_baseline")

    with pytest.raises(DatabaseError, match="older version .* run `skills-roadmap init`"):
        require_initialised(engine)

    upgrade(engine)
    require_initialised(engine)


def test_an_uninitialised_database_asks_for_init(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    with pytest.raises(DatabaseError, match="run `skills-roadmap init` first"):
        require_initialised(engine)


def test_an_unreachable_database_is_one_clear_error() -> None:
    engine = make_engine("postgresql+psycopg://nobody:secret@127.0.0.1:9/none")
    with pytest.raises(DatabaseError, match="cannot reach the database at") as error:
        is_initialised(engine)
    assert "secret" not in str(error.value)


def test_a_malformed_database_url_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="is not valid"):
        make_engine("not a url")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "postgresql+psycopg://user:pw@db.example/roadmap",
            "the database URL is a PostgreSQL one but its driver is not installed: "
            "pip install 'skills-roadmap[postgresql]'",
        ),
        # Another driver than the one the extra installs.
        (
            "postgresql+psycopg2://user:pw@db.example/roadmap",
            "the PostgreSQL driver 'psycopg2' is not installed: write the URL as "
            "postgresql+psycopg://… and pip install 'skills-roadmap[postgresql]'",
        ),
    ],
)
def test_a_postgresql_url_without_its_driver_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, url: str, message: str
) -> None:
    for driver in ("psycopg", "psycopg2"):
        monkeypatch.setitem(sys.modules, driver, None)  # as if it were not installed
    with pytest.raises(ConfigurationError) as error:
        make_engine(url)
    assert str(error.value) == message
