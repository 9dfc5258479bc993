"""The database reads ingestion needs: programmes to check against, and what is stored already."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Table,
    bindparam,
    cast,
    extract,
    select,
)
from sqlalchemy.orm import Session

from skills_roadmap.fields import PROGRESS_FIELDS, dtypes
from skills_roadmap.storage.tables import Base, ProgrammeRow, ProgressRow

# Rows fetched per `IN (...)` query: well under every database's limit on bound parameters.
IN_CHUNK = 900

# The progress table's columns, typed as a checked sheet's rows are (see ``fields``).
PROGRESS_DTYPES = dtypes(PROGRESS_FIELDS)


def table_of(row_class: type[Base]) -> Table:
    """The Core table behind an ORM row class (for bulk statements without ORM overhead)."""
    return Base.metadata.tables[row_class.__tablename__]


def typed_frame(records: Sequence[Any], dtypes: dict[str, str]) -> pd.DataFrame:
    """A frame with exactly ``dtypes``' columns and types (nullable numbers, object text)."""
    columns = list(dtypes)
    # Plain tuples: pandas probes Row objects for attributes, one failed lookup per row.
    raw = pd.DataFrame.from_records([tuple(record) for record in records], columns=columns)
    return pd.DataFrame(
        {
            name: pd.Series(raw[name].to_numpy(dtype=object), dtype=dtype)
            for name, dtype in dtypes.items()
        }
    )


def programme_facts(session: Session, programme_ids: Iterable[str]) -> pd.DataFrame:
    """The given programmes' cluster, first and last month (``YYYYMM``), capacity and budget.

    Indexed by programme id; unknown ids are simply absent. What progress rows are checked
    against. Months are computed by the database, so no date is parsed in Python.
    """
    table = table_of(ProgrammeRow)
    query = select(
        table.c.id,
        table.c.cluster_id,
        _month(table.c.start),
        _month(table.c.end),
        table.c.capacity,
        table.c.budget_eur,
    ).where(table.c.id.in_(bindparam("ids", expanding=True)))
    facts = pd.DataFrame.from_records(
        _fetch_in_chunks(session, query, programme_ids),
        columns=["id", "cluster_id", "start_month", "end_month", "capacity", "budget_eur"],
    )
    facts["id"] = facts["id"].astype(object)
    return facts.set_index("id")


def _month(column: ColumnElement[date]) -> ColumnElement[int]:
    """A date column as a ``YYYYMM`` integer, computed in SQL (SQLite and PostgreSQL alike)."""
    return cast(extract("year", column) * 100 + extract("month", column), Integer)


def stored_progress(session: Session, programme_ids: Iterable[str]) -> pd.DataFrame:
    """The stored progress rows of the given programmes (all their periods)."""
    table = table_of(ProgressRow)
    query = select(*(table.c[name] for name in PROGRESS_DTYPES)).where(
        table.c.programme_id.in_(bindparam("ids", expanding=True))
    )
    return typed_frame(_fetch_in_chunks(session, query, programme_ids), PROGRESS_DTYPES)


def _fetch_in_chunks(session: Session, query: Select[Any], ids: Iterable[str]) -> list[Any]:
    """The rows of ``query`` for ``ids``, asked ``IN_CHUNK`` ids at a time, as plain tuples
    (pandas probes Row objects for attributes: one failed lookup per row)."""
    records: list[Any] = []
    for chunk in _chunks(sorted(set(ids)), IN_CHUNK):
        records.extend(map(tuple, session.execute(query, {"ids": chunk})))
    return records


def _chunks(values: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
