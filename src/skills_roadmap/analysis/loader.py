"""Load the roadmap's tables from the database into :class:`Frames`, once, in a few queries."""

from __future__ import annotations

from typing import Any

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
# is what makes pandas.read_sql slow and memory-hungry on millions of rows. (A reader with its
# own copy of SQLite, such as ADBC, would be faster but must not share a process with the
# writers' sqlite3: two SQLite libraries in one process break each other's WAL locking.)
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
    columns = [str(description[0]) for description in cursor.description]
    return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)


def _progress(cursor: Any, programme_ids: pd.Series) -> pd.DataFrame:
    cursor.execute(_PROGRESS_QUERY)
    rows = np.fromiter(cursor, dtype=_PROGRESS_DTYPE)
    return pd.DataFrame(
        {
            "programme_id": pd.Categorical.from_codes(
                rows["code"], categories=pd.Index(programme_ids)
            ),
            **{name: rows[name] for name in ("month", *PROGRESS_MEASURES)},
        }
    )


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
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        cursor = connection.connection.cursor()
        try:
            tables = {name: _table(cursor, query) for name, query in _TABLE_QUERIES.items()}
            progress = _progress(cursor, tables["programmes"]["programme_id"])
        finally:
            cursor.close()
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
