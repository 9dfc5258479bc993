"""The tables the analysis reads, in one consistent read: all of them, or what changed since.

Two ways in, both one transaction that also reads the data version, so what is read and the
version it is labelled with always agree:

* :func:`read_tables`: every table (seconds at EU scale: the progress table is millions of
  rows);
* :func:`read_changes`: the change feed, the progress rows written since a version (an upload
  writes its id into every row it inserts or changes; nothing deletes progress), or every table
  again when something else changed (a Programmes or Targets sheet, the demo load, a
  different database behind the same address).

Every write of these tables records an upload (``ingest``) or ``schema_info`` rows (the demo);
:func:`data_version` fingerprints both, and the closed months (closing one changes which month
is shown by default), which costs three tiny queries.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, text

from skills_roadmap.domain import UploadOutcome
from skills_roadmap.fields import BREAKDOWN_MEASURES, PROGRESS_MEASURES, measure_dtype

# The progress numbers the analysis reads; those a report may leave blank ("not reported")
# are floats, blank = NaN (see ``fields.measure_dtype``).
MEASURES = tuple(field.key for field in PROGRESS_MEASURES)
# The ESF+ bands read apart, only from the rows that report any (see ``Frames.breakdowns``).
BANDS = tuple(field.key for field in BREAKDOWN_MEASURES)
# The only kind of upload whose rows the change feed reads; any other reads every table again.
PROGRESS_KIND = "progress"

# Small tables: one plain SELECT each, keys renamed to the frames' spelling.
_TABLE_QUERIES = {
    "regions": "SELECT code AS region_code, name, country, lat, lon, adults FROM regions",
    "clusters": ("SELECT id AS cluster_id, name, region_code, helix_roles, website FROM clusters"),
    "cluster_regions": "SELECT cluster_id, region_code FROM cluster_regions",
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
        "actual_open, notes FROM facilities"
    ),
}

# A period 'YYYY-MM' as a month index (year × 12 + month - 1), in SQL both backends speak.
_MONTH = (
    "CAST(SUBSTR(p.period, 1, 4) AS INTEGER) * 12 + CAST(SUBSTR(p.period, 6, 2) AS INTEGER) - 1"
)
_MEASURE_COLUMNS = ", ".join(f"p.{name}" for name in MEASURES)

# Progress is the one big table. Every column comes back as a number (the programme as its
# position in `ORDER BY id`, the period as a month index; numpy turns a blank into NaN) so
# numpy fills typed arrays straight from the cursor: no Python tuple per row is kept, which
# is what makes pandas.read_sql slow and memory-hungry on millions of rows. (A reader with its
# own copy of SQLite, such as ADBC, would be faster but must not share a process with the
# writers' sqlite3: two SQLite libraries in one process break each other's WAL locking.)
_PROGRESS_QUERY = f"""
WITH programme_codes AS (
    SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS code FROM programmes
)
SELECT programme_codes.code, {_MONTH}, {_MEASURE_COLUMNS}
FROM progress AS p
JOIN programme_codes ON programme_codes.id = p.programme_id
"""
PROGRESS_DTYPE = np.dtype(
    [
        ("code", np.int32),
        ("month", np.int32),
        *((field.key, np.dtype(measure_dtype(field))) for field in PROGRESS_MEASURES),
    ]
)
# The rows that report any ESF+ band: a second pass over progress that keeps only those, so a
# network that reports none (or few) pays no memory for the bands (float32: see
# ``analysis.frames.BAND_DTYPE``).
_BAND_COLUMNS = ", ".join(f"p.{name}" for name in BANDS)
_BREAKDOWN_QUERY = f"""
WITH programme_codes AS (
    SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS code FROM programmes
)
SELECT programme_codes.code, {_MONTH}, p.enrolled, {_BAND_COLUMNS}
FROM progress AS p
JOIN programme_codes ON programme_codes.id = p.programme_id
WHERE COALESCE({_BAND_COLUMNS}) IS NOT NULL
"""
BREAKDOWN_DTYPE = np.dtype(
    [
        ("code", np.int32),
        ("month", np.int32),
        ("enrolled", np.int32),
        *((name, np.float32) for name in BANDS),
    ]
)
# The change feed: few rows, so plain tuples with the programme's id. Rows with a NULL upload
# (the demo's) are never in it; the partial index ix_progress_upload_id serves it.
_CHANGED_PROGRESS_QUERY = text(
    f"SELECT p.programme_id, {_MONTH}, {_MEASURE_COLUMNS}, {_BAND_COLUMNS} FROM progress AS p "
    "WHERE p.upload_id > :since"
)
_LAST_UPLOAD_QUERY = text("SELECT id, sha256, uploaded_at FROM uploads ORDER BY id DESC LIMIT 1")
_UPLOAD_QUERY = text("SELECT id, sha256, uploaded_at FROM uploads WHERE id = :id")
_SCHEMA_INFO_QUERY = text("SELECT key, value FROM schema_info ORDER BY key")
_CLOSED_PERIODS_QUERY = text("SELECT period FROM closed_periods ORDER BY period")
_KINDS_SINCE_QUERY = text(
    "SELECT DISTINCT kind FROM uploads WHERE id > :since AND outcome = :committed"
)


@dataclass(frozen=True)
class DataVersion:
    """A fingerprint of the stored data that changes whenever any table the analysis reads
    changes.

    Attributes:
        last_upload_id: the newest upload record (committed, rejected or duplicate), ``None``
            before the first. Uploads are numbered while they hold the write lock, so a
            reader that sees upload ``n`` sees every upload before it.
        last_upload_mark: that upload's hash and time: a different database behind the same
            address (a restored backup) has other uploads under the same numbers.
        schema_info: the ``schema_info`` rows (the demo load writes them).
        closed_periods: the closed months, ``YYYY-MM``, earliest first: closing or reopening
            one writes no other table, yet may change the month shown by default.
    """

    last_upload_id: int | None
    last_upload_mark: str | None
    schema_info: tuple[tuple[str, str], ...]
    closed_periods: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class StoredTables:
    """Every table the analysis reads, as of ``version``.

    ``tables`` holds regions, clusters, the other regions clusters work in, programmes
    (ordered by id), targets, milestones and facilities; ``progress`` is a
    :data:`PROGRESS_DTYPE` array whose ``code`` is the row of the programme in
    ``tables["programmes"]`` and whose blanks are NaN; ``breakdowns`` a
    :data:`BREAKDOWN_DTYPE` array of the progress rows that report any ESF+ band, coded alike.
    """

    version: DataVersion
    tables: dict[str, pd.DataFrame]
    progress: np.ndarray
    breakdowns: np.ndarray


@dataclass(frozen=True, eq=False)
class ProgressChanges:
    """The progress rows inserted or changed after one version, as they are at ``version``.

    ``programme_ids`` holds each row's programme; ``rows`` the rest, a :data:`PROGRESS_DTYPE`
    array converted exactly as :func:`read_tables` converts (its ``code`` is unused, 0);
    ``breakdowns`` the same rows as a :data:`BREAKDOWN_DTYPE` array, bands or not (a changed
    row may have had its bands blanked). At most one row per programme and month: the table's
    key.
    """

    version: DataVersion
    programme_ids: list[str]
    rows: np.ndarray
    breakdowns: np.ndarray


@contextmanager
def _read_transaction(engine: Engine) -> Iterator[Connection]:
    """One read transaction that sees one state of the database for all its queries.

    SQLite (WAL) keeps the state of the first read for the whole transaction; PostgreSQL does
    under REPEATABLE READ (its default, READ COMMITTED, would let a commit in between show).
    """
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        yield connection


def _mark(row: Any) -> str | None:
    return None if row is None else f"{row.sha256} {row.uploaded_at}"


def _version(connection: Connection) -> DataVersion:
    last = connection.execute(_LAST_UPLOAD_QUERY).first()
    return DataVersion(
        last_upload_id=None if last is None else int(last.id),
        last_upload_mark=_mark(last),
        schema_info=tuple((str(k), str(v)) for k, v in connection.execute(_SCHEMA_INFO_QUERY)),
        closed_periods=tuple(
            str(period) for (period,) in connection.execute(_CLOSED_PERIODS_QUERY)
        ),
    )


def data_version(engine: Engine) -> DataVersion:
    """The current :class:`DataVersion`: two small indexed queries, cheap enough per request.

    Not one transaction: a commit between the two queries gives a version that matches no
    state, which only makes the next refresh look for changes that are already in.
    """
    with engine.connect() as connection:
        return _version(connection)


def _tables(connection: Connection, version: DataVersion) -> StoredTables:
    cursor: Any = connection.connection.cursor()  # the driver's: numpy reads it directly
    try:
        tables = {}
        for name, query in _TABLE_QUERIES.items():
            cursor.execute(query)
            columns = [str(description[0]) for description in cursor.description]
            tables[name] = pd.DataFrame.from_records(cursor.fetchall(), columns=columns)
        cursor.execute(_PROGRESS_QUERY)
        progress = np.fromiter(cursor, dtype=PROGRESS_DTYPE)
        breakdowns = _breakdowns(cursor)
    finally:
        cursor.close()
    return StoredTables(version=version, tables=tables, progress=progress, breakdowns=breakdowns)


def _breakdowns(cursor: Any) -> np.ndarray:
    cursor.execute(_BREAKDOWN_QUERY)
    return np.fromiter(cursor, dtype=BREAKDOWN_DTYPE)


def read_breakdowns(engine: Engine) -> np.ndarray:
    """The progress rows that report any ESF+ band, as :func:`read_tables` reads them (the
    benchmark times this read on its own)."""
    with _read_transaction(engine) as connection:
        cursor: Any = connection.connection.cursor()
        try:
            return _breakdowns(cursor)
        finally:
            cursor.close()


def read_tables(engine: Engine) -> StoredTables:
    """Every table the analysis reads, with their version, in one transaction (so an upload
    committed meanwhile cannot leave progress pointing at a programme not read)."""
    with _read_transaction(engine) as connection:
        return _tables(connection, _version(connection))


def _only_progress_since(connection: Connection, since: DataVersion, now: DataVersion) -> bool:
    """Whether everything that changed between ``since`` and ``now`` is progress rows of
    committed progress uploads (and closed months), in the same database."""
    if since.schema_info != now.schema_info:
        return False  # the demo was loaded
    if since.last_upload_id is not None:
        then = connection.execute(_UPLOAD_QUERY, {"id": since.last_upload_id}).first()
        if _mark(then) != since.last_upload_mark:
            return False  # not the database the snapshot was read from
    kinds = connection.execute(
        _KINDS_SINCE_QUERY,
        {"since": since.last_upload_id or 0, "committed": UploadOutcome.COMMITTED.value},
    )
    return {str(kind) for (kind,) in kinds} <= {PROGRESS_KIND}


def read_changes(engine: Engine, since: DataVersion) -> ProgressChanges | StoredTables:
    """What changed after ``since``, in one transaction with the version it leads to.

    The progress rows whose upload is newer than ``since`` when only progress uploads were
    committed since (none at all when the version is unchanged); every table, as
    :func:`read_tables`, when anything else changed.
    """
    with _read_transaction(engine) as connection:
        now = _version(connection)
        if now != since and not _only_progress_since(connection, since, now):
            return _tables(connection, now)
        rows = (
            []
            if now == since
            else connection.execute(
                _CHANGED_PROGRESS_QUERY, {"since": since.last_upload_id or 0}
            ).all()
        )
    bands = 2 + len(MEASURES)  # after the programme, the month and the measures
    enrolled = 2 + MEASURES.index("enrolled")
    return ProgressChanges(
        version=now,
        programme_ids=[str(row[0]) for row in rows],
        rows=np.fromiter(
            ((0, *row[1:bands]) for row in rows), dtype=PROGRESS_DTYPE, count=len(rows)
        ),
        breakdowns=np.fromiter(
            ((0, row[1], row[enrolled], *row[bands:]) for row in rows),
            dtype=BREAKDOWN_DTYPE,
            count=len(rows),
        ),
    )
