"""The database reads ingestion needs: programmes to check against, and what is stored already."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Integer, Select, cast, extract, select
from sqlalchemy.orm import Session

from skills_roadmap.storage.tables import ProgrammeRow, ProgressRow

# Rows fetched per `IN (...)` query: well under every database's limit on bound parameters.
IN_CHUNK = 900

PROGRESS_FIELDS = (
    "enrolled",
    "completed",
    "certified",
    "dropped_out",
    "women",
    "spend_eur",
    "notes",
)
PROGRESS_DTYPES: dict[str, str] = {
    "programme_id": "object",
    "period": "object",
    "enrolled": "Int64",
    "completed": "Int64",
    "certified": "Int64",
    "dropped_out": "Int64",
    "women": "Int64",
    "spend_eur": "Float64",
    "notes": "object",
}


def typed_frame(records: Sequence[Sequence[Any]], dtypes: dict[str, str]) -> pd.DataFrame:
    """A frame with exactly ``dtypes``' columns and types (nullable numbers, object text)."""
    columns = list(dtypes)
    raw = pd.DataFrame.from_records(list(records), columns=columns)
    return pd.DataFrame(
        {name: pd.Series(raw[name].to_numpy(dtype=object), dtype=dtype) for name, dtype in dtypes.items()}
    )


def programme_facts(session: Session, programme_ids: Iterable[str]) -> pd.DataFrame:
    """The given programmes' cluster, first and last month (``YYYYMM``), capacity and budget.

    Indexed by programme id; unknown ids are simply absent. What progress rows are checked
    against. Months are computed by the database, so no date is parsed in Python.
    """
    month = {
        name: cast(extract("year", column) * 100 + extract("month", column), Integer)
        for name, column in (("start_month", ProgrammeRow.start), ("end_month", ProgrammeRow.end))
    }
    records: list[Sequence[Any]] = []
    for chunk in _chunks(sorted(set(programme_ids)), IN_CHUNK):
        query: Select[Any] = select(
            ProgrammeRow.id,
            ProgrammeRow.cluster_id,
            month["start_month"],
            month["end_month"],
            ProgrammeRow.capacity,
            ProgrammeRow.budget_eur,
        ).where(ProgrammeRow.id.in_(chunk))
        records.extend(session.execute(query).all())
    facts = pd.DataFrame.from_records(
        records,
        columns=["id", "cluster_id", "start_month", "end_month", "capacity", "budget_eur"],
    )
    facts["id"] = facts["id"].astype(object)
    return facts.set_index("id")


def stored_progress(session: Session, programme_ids: Iterable[str]) -> pd.DataFrame:
    """The stored progress rows of the given programmes (all their periods)."""
    columns = [getattr(ProgressRow, name) for name in PROGRESS_DTYPES]
    records: list[Sequence[Any]] = []
    for chunk in _chunks(sorted(set(programme_ids)), IN_CHUNK):
        query: Select[Any] = select(*columns).where(ProgressRow.programme_id.in_(chunk))
        records.extend(session.execute(query).all())
    return typed_frame(records, PROGRESS_DTYPES)


def _chunks(values: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
