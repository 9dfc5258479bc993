"""Load the roadmap's tables from the database into :class:`Frames`, once, in a few queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import adbc_driver_sqlite.dbapi as adbc_sqlite
import numpy as np
import pandas as pd
from sqlalchemy import Engine

from skills_roadmap.analysis.filters import Filters, apply_filters
from skills_roadmap.analysis.frames import (
    OPTIONAL_MEASURES,
    PROGRESS_MEASURES,
    Frames,
    build_frames,
)
from skills_roadmap.storage import require_initialised

# Small tables: one plain SELECT each, keys renamed to the frames' spelling.
_TABLE_QUERIES = {
    "regions": "SELECT code AS region_code, name, country, lat, lon FROM regions",
    "clusters": ("SELECT id AS cluster_id, name, region_code, helix_roles, website FROM clusters"),
    "programmes": (
        "SELECT id AS programme_id, name, cluster_id, region_code, level, provider, "
        'provider_helix, delivery_mode, start, "end", capacity, budget_eur, funding_source '
        "FROM programmes ORDER BY id"
    ),
    "targets": (
        "SELECT id AS target_id, scope, scope_id, level, metric, deadline_year, value, "
        "baseline_year, baseline_value FROM targets"
    ),
    "milestones": "SELECT target_id, year, value FROM target_milestones",
    "facilities": (
        "SELECT id AS facility_id, name, kind, region_code, cluster_id, status, planned_open, "
        "actual_open FROM facilities"
    ),
}

# Progress is the one big table. Every column comes back as a number (the programme as its
# position in `ORDER BY id`, the period as a month index; numpy turns a blank into NaN) so
# numpy fills typed arrays straight from the cursor: no Python tuple per row is kept, which
# is what makes pandas.read_sql slow and memory-hungry on millions of rows.
_PROGRESS_QUERY = """
WITH programme_codes AS (
    SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS code FROM programmes
)
SELECT
    programme_codes.code,
    CAST(SUBSTR(p.period, 1, 4) AS INTEGER) * 12 + CAST(SUBSTR(p.period, 6, 2) AS INTEGER) - 1,
    p.enrolled,
    p.completed,
    p.certified,
    p.dropped_out,
    p.women,
    p.spend_eur
FROM progress AS p
JOIN programme_codes ON programme_codes.id = p.programme_id
"""
_PROGRESS_DTYPE = np.dtype(
    [
        ("code", np.int32),
        ("month", np.int32),
        ("enrolled", np.int32),
        ("completed", np.int32),
        *((column, np.float64) for column in OPTIONAL_MEASURES),
    ]
)


def _table(cursor: Any, query: str) -> pd.DataFrame:
    cursor.execute(query)
    if hasattr(cursor, "fetch_arrow_table"):
        table = cursor.fetch_arrow_table()
        # With no rows SQLite gives no types, and ADBC would guess text for every column.
        return table.to_pandas() if table.num_rows else pd.DataFrame(columns=table.column_names)
    columns = [str(description[0]) for description in cursor.description]
    return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)


def _progress_columns(cursor: Any) -> dict[str, np.ndarray]:
    """The progress query's columns as typed arrays (blanks as NaN)."""
    cursor.execute(_PROGRESS_QUERY)
    names = _PROGRESS_DTYPE.names or ()
    if hasattr(cursor, "fetch_arrow_table"):
        table = cursor.fetch_arrow_table()
        return {
            name: table.column(index).to_numpy(zero_copy_only=False).astype(
                _PROGRESS_DTYPE[name]
            )
            for index, name in enumerate(names)
        }
    rows = np.fromiter(cursor, dtype=_PROGRESS_DTYPE)
    return {name: rows[name] for name in names}


def _progress(cursor: Any, programme_ids: pd.Series) -> pd.DataFrame:
    columns = _progress_columns(cursor)
    return pd.DataFrame(
        {
            "programme_id": pd.Categorical.from_codes(
                columns["code"], categories=pd.Index(programme_ids)
            ),
            **{name: columns[name] for name in ("month", *PROGRESS_MEASURES)},
        }
    )


@contextmanager
def _snapshot_cursor(engine: Engine) -> Iterator[Any]:
    """A DB-API cursor inside one read transaction, so all queries see the same data.

    An SQLite file is read through ADBC, which hands over whole Arrow columns instead of a
    Python tuple per row: on 1.6 million progress rows that is the difference between
    about 2 and 5 seconds. Other databases go through SQLAlchemy's own driver.
    """
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        # ADBC connections start without autocommit: SQLite's read transaction spans every
        # query until the rollback below.
        with adbc_sqlite.connect(database) as connection, connection.cursor() as cursor:
            try:
                yield cursor
            finally:
                connection.rollback()
        return
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        cursor = connection.connection.cursor()
        try:
            yield cursor
        finally:
            cursor.close()


def load_frames(engine: Engine, *, filters: Filters | None = None) -> Frames:
    """Every table of the roadmap as typed DataFrames, read in one consistent snapshot.

    Call it once (per request or per notebook) and hand the result to the analysis functions;
    they never touch the database. ``filters`` narrows the result with
    :func:`~skills_roadmap.analysis.filters.apply_filters`.

    Raises:
        DatabaseError: the database cannot be reached or has no tables yet.
        NotFoundError: ``filters`` names a region, cluster or funding source that does not exist.
    """
    require_initialised(engine)
    # One transaction for all queries, so an upload committed meanwhile cannot leave progress
    # pointing at a programme the programmes query did not see.
    with _snapshot_cursor(engine) as cursor:
        tables = {name: _table(cursor, query) for name, query in _TABLE_QUERIES.items()}
        progress = _progress(cursor, tables["programmes"]["programme_id"])
    frames = build_frames(
        regions=tables["regions"],
        clusters=tables["clusters"],
        programmes=tables["programmes"],
        targets=tables["targets"],
        milestones=tables["milestones"],
        progress=progress,
        facilities=tables["facilities"],
    )
    return frames if filters is None else apply_filters(frames, filters)
