"""Fast bulk writes of DataFrames: executemany on SQLite, COPY on PostgreSQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any, cast

import pandas as pd
from sqlalchemy import Connection, Date, Integer, Table

from skills_roadmap.storage.tables import Base


def insert_frame(connection: Connection, table_name: str, frame: pd.DataFrame) -> int:
    """Append every row of ``frame`` to ``table_name`` inside the connection's transaction.

    Why not ``DataFrame.to_sql`` or ORM objects: a million progress rows must load in
    seconds. SQLite gets the driver's ``executemany`` on plain tuples (no per-row SQLAlchemy
    work); PostgreSQL gets ``COPY … FROM STDIN``, its fastest load path. Other databases fall
    back to SQLAlchemy's executemany. Nothing is committed here: the caller's transaction
    decides, so a failed load leaves the database untouched.

    Missing values (``None``, ``NaN``, ``pd.NA``) are written as NULL; whole floats in
    ``Integer`` columns (a count column with NaN in it) are written as integers; ``Date`` columns
    accept ``datetime.date`` (or ``Timestamp``) values and are sent as ISO ``YYYY-MM-DD`` text.

    Args:
        connection: An open connection inside a transaction (``session.connection()`` or
            ``engine.begin()``).
        table_name: A table of the product's schema (``storage.tables``).
        frame: Columns named like the table's columns; columns left out get their defaults.

    Returns:
        The number of rows written.
    """
    table = _table(table_name, frame)
    if frame.empty:
        return 0
    columns = list(frame.columns)
    rows = _python_rows(table, frame)
    dialect = connection.dialect.name
    if dialect == "sqlite":
        quote = connection.dialect.identifier_preparer.quote
        statement = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        driver_connection = cast(sqlite3.Connection, connection.connection.driver_connection)
        driver_connection.executemany(statement, rows)
    elif dialect == "postgresql":
        _copy_rows(connection, table, columns, rows)
    else:
        connection.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in rows])
    return len(frame)


def _table(table_name: str, frame: pd.DataFrame) -> Table:
    try:
        table = Base.metadata.tables[table_name]
    except KeyError:
        raise ValueError(f"no table '{table_name}' in the schema") from None
    unknown = sorted(set(frame.columns) - set(table.columns.keys()))
    if unknown:
        raise ValueError(f"table '{table_name}' has no column(s) {', '.join(unknown)}")
    return table


def _python_rows(table: Table, frame: pd.DataFrame) -> Iterator[tuple[Any, ...]]:
    """Rows as tuples of plain Python values, the only values every driver accepts."""
    columns: list[Iterable[Any]] = []
    for name in frame.columns:
        series = frame[name]
        if isinstance(table.c[name].type, Integer) and series.dtype.kind == "f":
            series = series.astype("Int64")  # NaN made a count column float; fails if not whole
        values = series.to_numpy(dtype=object, copy=True)  # numpy scalars become Python ones
        values[series.isna().to_numpy()] = None
        if isinstance(table.c[name].type, Date):
            columns.append([None if v is None else v.strftime("%Y-%m-%d") for v in values])
        else:
            columns.append(values)
    return zip(*columns, strict=True)


def _copy_rows(
    connection: Connection, table: Table, columns: list[str], rows: Iterator[tuple[Any, ...]]
) -> None:
    quote = connection.dialect.identifier_preparer.quote
    statement = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    driver_connection: Any = connection.connection.driver_connection
    with driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
