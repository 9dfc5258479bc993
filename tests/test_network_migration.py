"""Migration 0005: a database of the previous version keeps its network and takes region codes
of up to 8 characters, adults per region, the regions clusters also work in and facility notes."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from skills_roadmap.storage import upgrade
from skills_roadmap.storage.migrate import alembic_config

PREVIOUS = "0004_data_changes"
ROWS = (
    "INSERT INTO regions (code, name, country, lat, lon) "
    "VALUES ('ES24', 'Aragón', 'ES', 41.5, -0.7)",
    "INSERT INTO clusters (id, name, region_code, helix_roles) VALUES ('aragon-ai', 'Aragón AI', "
    "'ES24', 'industry')",
    "INSERT INTO facilities (id, name, kind, region_code, status, planned_open) VALUES "
    "('F-1', 'Lab', 'testing', 'ES24', 'planned', '2026-03-01')",
)


def test_an_older_database_keeps_its_network_and_takes_the_new_columns(
    any_engine: Engine,
) -> None:
    from alembic import command

    command.downgrade(alembic_config(any_engine), PREVIOUS)
    with any_engine.begin() as connection:
        for statement in ROWS:
            connection.execute(text(statement))
    upgrade(any_engine)
    with any_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO regions (code, name, country, lat, lon, adults) "
                "VALUES ('PYRENEES', 'Pyrenees', 'ES', 42.6, 0.5, 250000)"
            )
        )
        connection.execute(text("INSERT INTO cluster_regions VALUES ('aragon-ai', 'PYRENEES')"))
        connection.execute(text("UPDATE facilities SET notes = 'late' WHERE id = 'F-1'"))
    with any_engine.connect() as connection:
        assert connection.execute(
            text("SELECT code, name, adults FROM regions ORDER BY code")
        ).all() == [("ES24", "Aragón", None), ("PYRENEES", "Pyrenees", 250000)]
        assert connection.execute(text("SELECT id, notes FROM facilities")).all() == [
            ("F-1", "late")
        ]
    widths = {
        column["name"]: getattr(column["type"], "length", None)
        for column in inspect(any_engine).get_columns("programmes")
    }
    assert widths["region_code"] == 8


def test_the_regions_a_cluster_works_in_must_exist(any_engine: Engine) -> None:
    with any_engine.begin() as connection:
        for statement in ROWS:
            connection.execute(text(statement))
    with pytest.raises(IntegrityError), any_engine.begin() as connection:
        connection.execute(text("INSERT INTO cluster_regions VALUES ('aragon-ai', 'NOWHERE')"))


def test_the_migration_goes_back_to_the_previous_version(any_engine: Engine) -> None:
    from alembic import command

    command.downgrade(alembic_config(any_engine), PREVIOUS)
    assert "cluster_regions" not in inspect(any_engine).get_table_names()
    assert "adults" not in {column["name"] for column in inspect(any_engine).get_columns("regions")}
    upgrade(any_engine)
    assert "cluster_regions" in inspect(any_engine).get_table_names()
