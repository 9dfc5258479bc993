"""Progress sheets: checked against the programmes and stored progress, stored with revisions."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.orm import Session

from skills_roadmap.ingest.cells import distinct_texts
from skills_roadmap.ingest.context import CheckContext, Checked, SheetHandler, StoreContext
from skills_roadmap.ingest.diff import diff_rows
from skills_roadmap.ingest.problems import ProblemLog
from skills_roadmap.ingest.queries import (
    PROGRESS_DTYPES,
    PROGRESS_FIELDS,
    programme_facts,
    stored_progress,
)
from skills_roadmap.ingest.readers import ParsedSheet
from skills_roadmap.ingest.validate import ProgressContext, progress_warnings, validate_progress
from skills_roadmap.storage.tables import ProgressRow, RevisionRow

KEY = ("programme_id", "period")
# Positional placeholder of each DB-API paramstyle SQLAlchemy dialects use.
PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def check_progress(
    session: Session, sheet: ParsedSheet, log: ProblemLog, context: CheckContext
) -> Checked:
    """Validate a progress sheet, warn on running totals, and diff its valid rows."""
    programmes = programme_facts(session, distinct_texts(sheet.cells["programme_id"]))
    typed = validate_progress(
        sheet,
        log,
        ProgressContext(
            programmes=programmes, today=context.today, manager_clusters=context.manager_clusters
        ),
    )
    clean = typed[~log.rows_with_errors]
    stored = stored_progress(session, clean["programme_id"].unique())
    progress_warnings(log, clean, stored, programmes)
    fields = [name for name in PROGRESS_FIELDS if name in sheet.cells]
    return Checked(clean=clean, diff=diff_rows(clean, stored, key=KEY, fields=fields))


def store_progress(session: Session, checked: Checked, context: StoreContext) -> None:
    """Insert new rows, update changed ones, and keep every replaced value as a revision.

    Unchanged rows are not touched, so they keep pointing at the upload that last changed them.
    """
    table = ProgressRow.__table__
    diff = checked.diff
    columns = list(PROGRESS_DTYPES)
    if len(diff.new):
        bulk_insert(session, table, diff.new, columns, upload_id=context.upload_id)
    if len(diff.changed):
        fields = list(diff.fields)
        statement = (
            update(table)
            .where(
                table.c.programme_id == bindparam("key_programme_id"),
                table.c.period == bindparam("key_period"),
            )
            .values(
                {
                    **{name: bindparam(f"new_{name}") for name in fields},
                    "upload_id": bindparam("new_upload_id"),
                }
            )
        )
        renamed = diff.changed.rename(
            columns={
                "programme_id": "key_programme_id",
                "period": "key_period",
                **{name: f"new_{name}" for name in fields},
            }
        )
        session.execute(
            statement,
            _records(
                renamed,
                ["key_programme_id", "key_period", *(f"new_{name}" for name in fields)],
                new_upload_id=context.upload_id,
            ),
        )
    if len(diff.changes):
        revisions = diff.changes.assign(
            old_value=[_as_text(v) for v in diff.changes["old"]],
            new_value=[_as_text(v) for v in diff.changes["new"]],
        )
        session.execute(
            insert(RevisionRow.__table__),
            _records(
                revisions,
                ["programme_id", "period", "field", "old_value", "new_value"],
                upload_id=context.upload_id,
                changed_by=context.user,
                changed_at=context.now,
            ),
        )


def bulk_insert(
    session: Session, table: Table, frame: pd.DataFrame, columns: list[str], **constants: Any
) -> None:
    """Insert ``frame``'s rows through the driver's executemany.

    Plain tuples go straight to the driver: SQLAlchemy's per-row parameter processing costs
    more than the insert itself for a 100,000-row sheet.
    """
    connection = session.connection()
    mark = PLACEHOLDERS[connection.dialect.paramstyle]
    names = [*columns, *constants]
    statement = (
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"
    )
    arrays = [frame[name].to_numpy(dtype=object, na_value=None) for name in columns]
    extra = tuple(constants.values())
    connection.exec_driver_sql(statement, [row + extra for row in zip(*arrays, strict=True)])


def _records(frame: pd.DataFrame, columns: list[str], **constants: Any) -> list[dict[str, Any]]:
    """Plain-Python row dictionaries for an executemany (missing values as ``None``)."""
    arrays = [frame[name].to_numpy(dtype=object, na_value=None) for name in columns]
    names = [*columns, *constants]
    extra = tuple(constants.values())
    return [dict(zip(names, values + extra, strict=True)) for values in zip(*arrays, strict=True)]


def _as_text(value: object) -> str | None:
    """A stored value as revision text: ``None`` stays ``None`` ("not reported")."""
    return None if value is None else str(value)


PROGRESS_HANDLER = SheetHandler(check=check_progress, store=store_progress)
