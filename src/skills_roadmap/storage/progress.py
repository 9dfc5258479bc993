"""Progress rows for ingestion: what a sheet is checked against, and the progress writer.

A progress sheet is checked against its programmes' facts and the rows stored for them
(:func:`programme_facts`, :func:`stored_progress`), then stored by
:func:`store_progress_changes`: new rows through the bulk writer, changed rows updated by
key, and every replaced value kept as a revision. The analysis reads progress through
``storage.snapshot`` instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Integer, Select, bindparam, cast, extract, insert, select
from sqlalchemy.orm import Session

from skills_roadmap.fields import PROGRESS_FIELDS as SHEET_FIELDS
from skills_roadmap.fields import dtypes
from skills_roadmap.storage.bulk import (
    frame_rows,
    insert_frame,
    table_of,
    typed_frame,
    update_frame,
)
from skills_roadmap.storage.tables import ProgrammeRow, ProgressRow

__all__ = [
    "PROGRESS_DTYPES",
    "PROGRESS_FIELDS",
    "PROGRESS_KEY",
    "progress_notes",
    "programme_facts",
    "revision_text",
    "store_progress_changes",
    "stored_progress",
]

# Rows fetched per `IN (...)` query: well under every database's limit on bound parameters.
IN_CHUNK = 900

# The progress table's columns, typed as a checked sheet's rows are (see ``fields``); a row is
# keyed by the table's primary key, and the other columns are the values an upload may change.
PROGRESS_DTYPES = dtypes(SHEET_FIELDS)
PROGRESS_KEY = tuple(column.name for column in ProgressRow.__table__.primary_key)
PROGRESS_FIELDS = tuple(name for name in PROGRESS_DTYPES if name not in PROGRESS_KEY)
# A replaced value, as the revisions list it.
CHANGE_COLUMNS = ["programme_id", "period", "field", "old", "new"]


def programme_facts(session: Session, programme_ids: Iterable[str]) -> pd.DataFrame:
    """The given programmes' cluster, first and last month (``YYYYMM``), capacity and budget.

    Indexed by programme id; unknown ids are simply absent. What progress rows are checked
    against. Months are computed by the database, so no date is parsed in Python.
    """
    table = ProgrammeRow.__table__
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
    """The stored progress rows of the given programmes (all their periods), typed as
    :data:`PROGRESS_DTYPES`."""
    table = ProgressRow.__table__
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


def store_progress_changes(
    session: Session,
    *,
    new: pd.DataFrame,
    changed: pd.DataFrame,
    fields: Sequence[str],
    changes: pd.DataFrame,
    upload_id: int,
    user: str,
    now: datetime,
) -> None:
    """Insert ``new`` rows, update the ``fields`` of ``changed`` ones, keep ``changes`` (one
    row per replaced value: programme, period, field, old, new) as revisions; everything
    written is marked with ``upload_id``, new rows as created by it, the revisions with
    ``user`` and ``now`` too.

    Rows neither new nor changed are not touched, so they keep pointing at the upload that
    last changed them (the change feed of ``storage.snapshot`` relies on it).
    """
    if len(new):
        insert_frame(
            session,
            "progress",
            new[list(PROGRESS_DTYPES)],
            upload_id=upload_id,
            created_upload_id=upload_id,
        )
    update_frame(session, "progress", changed, key=PROGRESS_KEY, fields=fields, upload_id=upload_id)
    if len(changes):
        session.execute(
            insert(table_of("revisions")),
            [
                {
                    "programme_id": programme_id,
                    "period": period,
                    "field": field,
                    "old_value": revision_text(old),
                    "new_value": revision_text(new_value),
                    "upload_id": upload_id,
                    "changed_by": user,
                    "changed_at": now,
                }
                for programme_id, period, field, old, new_value in frame_rows(
                    changes[CHANGE_COLUMNS]
                )
            ],
        )


def revision_text(value: object) -> str | None:
    """A value as revision text: ``None`` stays ``None`` ("not reported")."""
    return None if value is None else str(value)


def progress_notes(session: Session) -> pd.DataFrame:
    """Every non-empty progress note: ``programme_id``, ``period`` ('YYYY-MM'), ``notes``."""
    notes = session.execute(
        select(ProgressRow.programme_id, ProgressRow.period, ProgressRow.notes).where(
            ProgressRow.notes.is_not(None), ProgressRow.notes != ""
        )
    ).all()
    return pd.DataFrame(notes, columns=["programme_id", "period", "notes"])
