"""DataFrames into tables and back in bulk: the one bulk writer (executemany on SQLite, COPY on
PostgreSQL), updates by key, and typed frames of stored rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from itertools import repeat
from typing import Any, cast

import pandas as pd
from sqlalchemy import Connection, Date, Integer, Table, bindparam, update
from sqlalchemy.orm import Session

from skills_roadmap.storage.tables import Base

__all__ = ["frame_rows", "insert_frame", "typed_frame", "update_frame"]


def insert_frame(
    target: Connection | Session, table_name: str, frame: pd.DataFrame, **constants: object
) -> int:
    """Append every row of ``frame`` to ``table_name`` inside the caller's transaction.

    The product's one bulk writer: the demo's million progress rows and an upload's 100,000
    go through it. Why not ``DataFrame.to_sql`` or ORM objects: SQLAlchemy's per-row work
    costs more than the insert itself. SQLite gets the driver's ``executemany`` on plain
    tuples; PostgreSQL gets ``COPY … FROM STDIN``, its fastest load path (about twice as fast
    as executemany on an upload's rows); other databases fall back to SQLAlchemy's
    executemany. Nothing is committed here: the caller's transaction decides, so a failed
    load leaves the database untouched.

    Missing values (``None``, ``NaN``, ``pd.NA``) are written as NULL; whole floats in
    ``Integer`` columns (a count column with NaN in it) are written as integers; ``Date`` columns
    accept ``datetime.date`` (or ``Timestamp``) values and are sent as ISO ``YYYY-MM-DD`` text.

    Args:
        target: A session or a connection inside a transaction (``session.connection()``,
            ``engine.begin()``).
        table_name: A table of the product's schema (``storage.tables``).
        frame: Columns named like the table's columns; columns left out get their defaults.
        constants: Columns with one value for every row (e.g. the ``upload_id``).

    Returns:
        The number of rows written.
    """
    table = _table(table_name, [*frame.columns, *constants])
    if frame.empty:
        return 0
    connection = target.connection() if isinstance(target, Session) else target
    dialect = connection.dialect.name
    if dialect == "sqlite":
        _execute_many(connection, table, frame, constants)
        return len(frame)
    columns = [*frame.columns, *constants]
    rows = frame_rows(frame, table=table, constants=constants.values())
    if dialect == "postgresql":
        _copy_rows(connection, table, columns, rows)
    else:
        connection.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in rows])
    return len(frame)


def update_frame(
    session: Session,
    table_name: str,
    frame: pd.DataFrame,
    *,
    key: Sequence[str],
    fields: Sequence[str],
    **constants: object,
) -> None:
    """Set ``fields`` (and ``constants``) of the stored rows with ``frame``'s ``key``s."""
    if frame.empty:
        return
    table = _table(table_name, [*key, *fields, *constants])
    statement = (
        update(table)
        .where(*(table.c[name] == bindparam(f"key_{name}") for name in key))
        .values({name: bindparam(f"new_{name}") for name in [*fields, *constants]})
    )
    names = [*(f"key_{name}" for name in key), *(f"new_{name}" for name in [*fields, *constants])]
    rows = frame_rows(frame[[*key, *fields]], constants=constants.values())
    session.execute(statement, [dict(zip(names, row, strict=True)) for row in rows])


def frame_rows(
    frame: pd.DataFrame, *, table: Table | None = None, constants: Iterable[object] = ()
) -> Iterator[tuple[Any, ...]]:
    """``frame``'s rows as tuples of plain Python values (``None`` where missing), each
    followed by ``constants``: the only values every driver accepts.

    With ``table``, values are shaped for its column types: whole floats in an ``Integer``
    column become integers (a NaN made a count column float; fails if not whole), dates in a
    ``Date`` column ISO text.
    """
    columns: list[Iterable[Any]] = []
    for name in frame.columns:
        series = frame[name]
        column_type = None if table is None else table.c[name].type
        if isinstance(column_type, Integer) and series.dtype.kind == "f":
            series = series.astype("Int64")
        # pandas-stubs do not allow None as na_value, which pandas documents and supports.
        values = series.to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]
        if isinstance(column_type, Date):
            columns.append([None if v is None else v.strftime("%Y-%m-%d") for v in values])
        else:
            columns.append(values)
    columns.extend(repeat(constant, len(frame)) for constant in constants)
    return zip(*columns, strict=True)  # zip builds the tuples in C


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


def table_of(table_name: str) -> Table:
    """The Core table called ``table_name`` (for bulk statements without ORM overhead)."""
    try:
        return Base.metadata.tables[table_name]
    except KeyError:
        raise ValueError(f"no table '{table_name}' in the schema") from None


def _table(table_name: str, columns: Iterable[str]) -> Table:
    table = table_of(table_name)
    unknown = sorted(set(columns) - set(table.columns.keys()))
    if unknown:
        raise ValueError(f"table '{table_name}' has no column(s) {', '.join(unknown)}")
    return table


def _execute_many(
    connection: Connection, table: Table, frame: pd.DataFrame, constants: dict[str, object]
) -> None:
    """The driver's executemany on plain tuples. Integer constants (the upload id) are
    written into the statement rather than bound again for every row."""
    inline = {name: value for name, value in constants.items() if type(value) is int}
    bound = {name: value for name, value in constants.items() if name not in inline}
    quote = connection.dialect.identifier_preparer.quote
    columns = [*frame.columns, *bound, *inline]
    values = ["?"] * (len(frame.columns) + len(bound)) + [str(v) for v in inline.values()]
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(values)})"
    )
    driver_connection = cast(sqlite3.Connection, connection.connection.driver_connection)
    driver_connection.executemany(
        statement, frame_rows(frame, table=table, constants=bound.values())
    )


def _copy_rows(
    connection: Connection, table: Table, columns: list[str], rows: Iterator[tuple[Any, ...]]
) -> None:
    quote = connection.dialect.identifier_preparer.quote
    statement = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    driver_connection: Any = connection.connection.driver_connection
    with driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
