"""Bulk writes of checked rows: inserts straight to the driver, updates by key, revision text."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from typing import Any

import pandas as pd
from sqlalchemy import Table, bindparam, update
from sqlalchemy.orm import Session

from skills_roadmap.ingest.cells import python_values

# Positional placeholder of each DB-API paramstyle the supported dialects use.
PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def rows_of(frame: pd.DataFrame, columns: Sequence[str], *constants: Any) -> list[tuple[Any, ...]]:
    """``frame``'s ``columns`` as plain-Python tuples (``None`` where missing), plus constants."""
    arrays = [python_values(frame[name]) for name in columns]
    repeated = [repeat(constant, len(frame)) for constant in constants]
    return list(zip(*arrays, *repeated, strict=True))  # zip builds the tuples in C


def bulk_insert(
    session: Session, table: Table, frame: pd.DataFrame, columns: Sequence[str], **constants: int
) -> None:
    """Insert ``frame``'s rows with the driver's executemany, in the session's transaction.

    Plain tuples go straight to the driver: SQLAlchemy's per-row parameter processing costs
    more than the insert itself for a 100,000-row sheet. Integer ``constants`` (the upload
    id) are written into the statement rather than bound again for every row.
    """
    if frame.empty:
        return
    connection = session.connection()
    mark = PLACEHOLDERS[connection.dialect.paramstyle]
    values = [mark] * len(columns) + [str(int(value)) for value in constants.values()]
    statement = (
        f"INSERT INTO {table.name} ({', '.join([*columns, *constants])}) "
        f"VALUES ({', '.join(values)})"
    )
    connection.exec_driver_sql(statement, rows_of(frame, columns))


def update_by_key(
    session: Session,
    table: Table,
    frame: pd.DataFrame,
    *,
    key: Sequence[str],
    fields: Sequence[str],
    **constants: Any,
) -> None:
    """Set ``fields`` (and ``constants``) of the stored rows with ``frame``'s keys."""
    if frame.empty:
        return
    statement = (
        update(table)
        .where(*(table.c[name] == bindparam(f"key_{name}") for name in key))
        .values({name: bindparam(f"new_{name}") for name in [*fields, *constants]})
    )
    names = [*(f"key_{name}" for name in key), *(f"new_{name}" for name in [*fields, *constants])]
    session.execute(
        statement,
        [
            dict(zip(names, row, strict=True))
            for row in rows_of(frame, [*key, *fields], *constants.values())
        ],
    )


def revision_text(value: object) -> str | None:
    """A value as revision text: ``None`` stays ``None`` ("not reported")."""
    return None if value is None else str(value)
