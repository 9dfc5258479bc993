"""The bulk writer: DataFrames land unchanged, NULLs stay NULL, nothing is kept on failure;
updates by key change only the rows and fields named."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, text

from skills_roadmap.storage import session_scope
from skills_roadmap.storage.bulk import insert_frame, update_frame

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


UPLOAD = {
    "id": 7,
    "file_name": "march.xlsx",
    "sha256": "0" * 64,
    "kind": "progress",
    "uploaded_by": "mia",
    "uploaded_at": "2026-03-31 12:00:00",
    "rows_new": 2,
    "rows_changed": 0,
    "rows_unchanged": 0,
    "errors": 0,
    "warnings": 0,
    "outcome": "committed",
}
TWO_MONTHS = pd.DataFrame(
    {
        "programme_id": ["ES24-B001", "ES24-B001"],
        "period": ["2024-01", "2024-02"],
        "enrolled": pd.array([12, 3], dtype="Int64"),
        "completed": pd.array([0, 10], dtype="Int64"),
        "certified": pd.array([None, 4], dtype="Int64"),
    }
)


def stored_months(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT period, enrolled, completed, certified, upload_id FROM progress "
                "ORDER BY period"
            )
        ).all()
    return [tuple(row) for row in rows]


def write_upload(session: object) -> None:
    insert_frame(session, "uploads", pd.DataFrame([UPLOAD]))  # type: ignore[arg-type]


def test_insert_frame_writes_constants_into_every_row_within_a_session(any_engine: Engine) -> None:
    with session_scope(any_engine, write=True) as session:
        write_network(session)
        write_upload(session)
        assert insert_frame(session, "progress", TWO_MONTHS, upload_id=7) == 2
    assert stored_months(any_engine) == [("2024-01", 12, 0, None, 7), ("2024-02", 3, 10, 4, 7)]


def test_insert_frame_rejects_an_unknown_constant_column(any_engine: Engine) -> None:
    with (
        session_scope(any_engine) as session,
        pytest.raises(ValueError, match=re.escape("table 'progress' has no column(s) upload")),
    ):
        insert_frame(session, "progress", TWO_MONTHS, upload=7)


def test_update_frame_sets_the_named_fields_of_the_rows_with_the_frames_keys(
    any_engine: Engine,
) -> None:
    with session_scope(any_engine, write=True) as session:
        write_network(session)
        write_upload(session)
        insert_frame(session, "progress", TWO_MONTHS)
    changed = pd.DataFrame(
        {
            "programme_id": ["ES24-B001"],
            "period": ["2024-02"],
            "enrolled": pd.array([99], dtype="Int64"),  # not among the fields: left as stored
            "certified": pd.array([None], dtype="Int64"),  # blank: stored as NULL
        }
    )
    with session_scope(any_engine, write=True) as session:
        update_frame(
            session,
            "progress",
            changed,
            key=["programme_id", "period"],
            fields=["certified"],
            upload_id=7,
        )
    assert stored_months(any_engine) == [
        ("2024-01", 12, 0, None, None),
        ("2024-02", 3, 10, None, 7),
    ]
