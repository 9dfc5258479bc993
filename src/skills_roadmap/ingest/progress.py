"""Progress sheets: checked against the programmes and stored progress, stored with revisions."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from skills_roadmap.i18n.words import _
from skills_roadmap.ingest.context import CheckContext, Checked, SheetHandler, StoreContext
from skills_roadmap.ingest.diff import diff_rows
from skills_roadmap.ingest.problems import ProblemLog
from skills_roadmap.ingest.readers import ParsedSheet
from skills_roadmap.ingest.running_totals import progress_warnings
from skills_roadmap.ingest.validate import ProgressContext, validate_progress
from skills_roadmap.storage.periods import ClosedPeriod, closed_periods, reopen_advice
from skills_roadmap.storage.progress import (
    PROGRESS_FIELDS,
    PROGRESS_KEY,
    programme_facts,
    store_progress_changes,
    stored_progress,
)


def check_progress(
    session: Session, sheet: ParsedSheet, log: ProblemLog, context: CheckContext
) -> Checked:
    """Validate a progress sheet, diff its valid rows, and warn on running totals where the
    sheet adds or changes a month."""
    checked = validate_progress(
        sheet,
        log,
        ProgressContext(
            programme_facts=lambda ids: programme_facts(session, ids),
            today=context.today,
            manager_clusters=context.manager_clusters,
        ),
    )
    _closed_months(log, checked.rows, closed_periods(session))
    clean = checked.rows[~log.rows_left_out]
    stored = stored_progress(session, clean["programme_id"].unique())
    fields = [name for name in PROGRESS_FIELDS if name in sheet.cells]
    diff = diff_rows(clean, stored, key=PROGRESS_KEY, fields=fields)
    touched = ~clean.index.isin(diff.unchanged.index)  # warn only where the file adds or changes
    progress_warnings(log, clean, stored, checked.programmes, touched)
    return Checked(clean=clean, diff=diff)


def _closed_months(log: ProblemLog, rows: pd.DataFrame, closed: list[ClosedPeriod]) -> None:
    """Refuse each row of a closed month, naming the month and who may reopen it."""
    periods = {period.period for period in closed}
    if not periods:
        return
    log.cell(
        "period",
        rows["period"].isin(periods).to_numpy(),
        lambda positions: [reopen_advice(rows["period"].iloc[p]) for p in positions],
        expected=_("a month that is not closed"),
        rule=_("a closed month"),
    )


def store_progress(session: Session, checked: Checked, context: StoreContext) -> None:
    """Insert new rows, update changed ones, and keep every replaced value as a revision.

    Unchanged rows are not touched, so they keep pointing at the upload that last changed them.
    """
    diff = checked.diff
    store_progress_changes(
        session,
        new=diff.new,
        changed=diff.changed,
        fields=diff.fields,
        changes=diff.changes,
        upload_id=context.upload_id,
        user=context.user,
        now=context.now,
    )


PROGRESS_HANDLER = SheetHandler(check=check_progress, store=store_progress)
