"""Progress sheets: checked against the programmes and stored progress, stored with revisions."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

from skills_roadmap.ingest.context import CheckContext, Checked, SheetHandler, StoreContext
from skills_roadmap.ingest.contract import PROGRESS
from skills_roadmap.ingest.diff import diff_rows
from skills_roadmap.ingest.problems import ProblemLog
from skills_roadmap.ingest.queries import (
    PROGRESS_DTYPES,
    programme_facts,
    stored_progress,
    table_of,
)
from skills_roadmap.ingest.readers import ParsedSheet
from skills_roadmap.ingest.running_totals import progress_warnings
from skills_roadmap.ingest.validate import ProgressContext, validate_progress
from skills_roadmap.ingest.writes import bulk_insert, revision_text, rows_of, update_by_key
from skills_roadmap.storage.tables import ProgressRow, RevisionRow

KEY = PROGRESS.key


def check_progress(
    session: Session, sheet: ParsedSheet, log: ProblemLog, context: CheckContext
) -> Checked:
    """Validate a progress sheet, warn on running totals, and diff its valid rows."""
    checked = validate_progress(
        sheet,
        log,
        ProgressContext(
            programme_facts=lambda ids: programme_facts(session, ids),
            today=context.today,
            manager_clusters=context.manager_clusters,
        ),
    )
    clean = checked.rows[~log.rows_left_out]
    stored = stored_progress(session, clean["programme_id"].unique())
    progress_warnings(log, clean, stored, checked.programmes)
    fields = [name for name in PROGRESS_DTYPES if name in sheet.cells and name not in KEY]
    return Checked(clean=clean, diff=diff_rows(clean, stored, key=KEY, fields=fields))


def store_progress(session: Session, checked: Checked, context: StoreContext) -> None:
    """Insert new rows, update changed ones, and keep every replaced value as a revision.

    Unchanged rows are not touched, so they keep pointing at the upload that last changed them.
    """
    diff = checked.diff
    progress = table_of(ProgressRow)
    bulk_insert(session, progress, diff.new, list(PROGRESS_DTYPES), upload_id=context.upload_id)
    update_by_key(
        session,
        progress,
        diff.changed,
        key=KEY,
        fields=diff.fields,
        upload_id=context.upload_id,
    )
    if len(diff.changes):
        session.execute(
            insert(table_of(RevisionRow)),
            [
                {
                    "programme_id": programme_id,
                    "period": period,
                    "field": field,
                    "old_value": revision_text(old),
                    "new_value": revision_text(new),
                    "upload_id": context.upload_id,
                    "changed_by": context.user,
                    "changed_at": context.now,
                }
                for programme_id, period, field, old, new in rows_of(
                    diff.changes, ["programme_id", "period", "field", "old", "new"]
                )
            ],
        )


PROGRESS_HANDLER = SheetHandler(check=check_progress, store=store_progress)
