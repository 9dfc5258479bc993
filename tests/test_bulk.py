"""Bulk insert: DataFrames land unchanged, NULLs stay NULL, and nothing is kept on failure."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, text

from skills_roadmap.storage.bulk import insert_frame

REGIONS = pd.DataFrame(
    {
        "code": ["ES24", "RO11"],
        "name": ["Aragón", "Nord-Vest"],
        "country": ["ES", "RO"],
        "lat": [41.53, 47.23],
        "lon": [-0.66, 23.35],
    }
)
CLUSTERS = pd.DataFrame(
    {
        "id": ["aragon-ai"],
        "name": ["Aragón AI Cluster"],
        "region_code": ["ES24"],
        "helix_roles": ["industry,academia"],
        "website": [None],
    }
)
PROGRAMMES = pd.DataFrame(
    {
        "id": ["ES24-B001"],
        "name": ["AI Literacy for SMEs"],
        "cluster_id": ["aragon-ai"],
        "region_code": ["ES24"],
        "level": ["basic"],
        "provider": ["Zaragoza University"],
        "provider_helix": ["academia"],
        "delivery_mode": ["online"],
        "start": [date(2024, 1, 1)],
        "end": [date(2026, 12, 31)],  # "end" is an SQL keyword: the column must be quoted
        "capacity": [np.int64(500)],
        "budget_eur": [90_000.0],
        "funding_source": ["ESF+"],
    }
)


def write_network(connection: object) -> None:
    for table, frame in [("regions", REGIONS), ("clusters", CLUSTERS), ("programmes", PROGRAMMES)]:
        insert_frame(connection, table, frame)  # type: ignore[arg-type]


def test_insert_frame_round_trips_values_dates_and_nulls(any_engine: Engine) -> None:
    progress = pd.DataFrame(
        {
            "programme_id": ["ES24-B001", "ES24-B001", "ES24-B001"],
            "period": ["2024-01", "2024-02", "2024-03"],
            "enrolled": [12, 0, 7],
            "completed": [0, 10, 2],
            "certified": pd.array([None, 4, 1], dtype="Int64"),
            "women": [6.0, np.nan, 3.0],  # NaN means not reported, as NULL
            "spend_eur": pd.array([1234.5, None, 99.99], dtype="Float64"),
            "notes": ["Kick-off", None, "Ünïcode ✓"],
        }
    )
    with any_engine.begin() as connection:
        write_network(connection)
        assert insert_frame(connection, "progress", progress) == 3
    with any_engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT period, enrolled, completed, certified, women, spend_eur, notes "
                "FROM progress ORDER BY period"
            )
        ).all()
        stored_end = connection.execute(text('SELECT "end" FROM programmes')).scalar()
    assert [tuple(row) for row in rows] == [
        ("2024-01", 12, 0, None, 6, 1234.5, "Kick-off"),
        ("2024-02", 0, 10, 4, None, None, None),
        ("2024-03", 7, 2, 1, 3, 99.99, "Ünïcode ✓"),
    ]
    assert str(stored_end) == "2026-12-31"


def test_insert_frame_keeps_nothing_when_the_transaction_fails(any_engine: Engine) -> None:
    with pytest.raises(RuntimeError, match="stop"), any_engine.begin() as connection:
        write_network(connection)
        raise RuntimeError("stop")
    with any_engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM regions")).scalar() == 0


def test_insert_frame_of_no_rows_writes_nothing(any_engine: Engine) -> None:
    with any_engine.begin() as connection:
        assert insert_frame(connection, "regions", REGIONS.iloc[0:0]) == 0


@pytest.mark.parametrize(
    ("table", "frame", "message"),
    [
        ("region", REGIONS, "no table 'region' in the schema"),  # singular: a typo
        ("regions", REGIONS.assign(population=1), "table 'regions' has no column(s) population"),
    ],
)
def test_insert_frame_rejects_unknown_tables_and_columns(
    any_engine: Engine, table: str, frame: pd.DataFrame, message: str
) -> None:
    with any_engine.begin() as connection, pytest.raises(ValueError, match=re.escape(message)):
        insert_frame(connection, table, frame)
