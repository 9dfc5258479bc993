"""Property: any valid sheet filled into the template comes back unchanged from the database.

template -> fill (openpyxl, or a CSV file) -> import -> export (the stored progress read back)
must equal what was filled in, for any valid values: blanks, numbers typed as text, cents,
notes in any script or looking like formulas.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import PROGRESS_COLUMNS, TODAY, stored_progress
from sqlalchemy import Engine, delete

from skills_roadmap.domain import UploadOutcome
from skills_roadmap.ingest import commit_upload, progress_template
from skills_roadmap.storage import session_scope
from skills_roadmap.storage.tables import AuditRow, ProgressRow, RevisionRow, UploadRow

NOTES = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40
).map(str.strip)


@st.composite
def progress_values(draw: st.DrawFn, programme_id: str, period: str) -> dict[str, Any]:
    """One valid row: counts consistent with each other, optional cells sometimes blank."""
    enrolled = draw(st.integers(0, 100_000))
    completed = draw(st.integers(0, 100_000))
    spend = draw(st.none() | st.decimals(0, 10_000_000, places=2))
    notes = draw(st.none() | NOTES)
    return {
        "programme_id": programme_id,
        "period": period,
        "enrolled": enrolled,
        "completed": completed,
        "certified": draw(st.none() | st.integers(0, completed)),
        "dropped_out": draw(st.none() | st.integers(0, 10_000)),
        "women": draw(st.none() | st.integers(0, enrolled)),
        "spend_eur": None if spend is None else float(Decimal(spend)),
        "notes": notes or None,
    }


def fill_workbook(template: bytes, rows: list[dict[str, Any]], as_text: list[bool]) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook["Progress"]
    for row_index, (row, text) in enumerate(zip(rows, as_text, strict=True), start=2):
        for column_index, key in enumerate(PROGRESS_COLUMNS[2:], start=3):
            value = row[key]
            if value is None:
                continue
            cell = sheet.cell(row=row_index, column=column_index)
            cell.value = str(value) if text and key != "notes" else value
            if isinstance(cell.value, str):
                cell.data_type = "s"  # typed text, never a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def fill_csv(template: bytes, rows: list[dict[str, Any]]) -> bytes:
    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(template))["Progress"][1]]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if row[key] is None else row[key] for key in PROGRESS_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def clear_uploads(engine: Engine) -> None:
    with session_scope(engine, write=True) as session:
        for table in (ProgressRow, RevisionRow, AuditRow, UploadRow):
            session.execute(delete(table))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_template_fill_import_export_round_trips(
    network_engine: Engine, data: st.DataObject
) -> None:
    clear_uploads(network_engine)
    template = progress_template(network_engine, "aragon-ai", TODAY)
    keys = [
        (row[0].value, row[1].value)
        for row in openpyxl.load_workbook(io.BytesIO(template))["Progress"].iter_rows(min_row=2)
    ]
    rows = [data.draw(progress_values(pid, period)) for pid, period in keys]
    if data.draw(st.booleans(), label="csv"):
        filled = fill_csv(template, rows)
    else:
        filled = fill_workbook(
            template,
            rows,
            data.draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows))),
        )
    result = commit_upload(network_engine, filled, "filled", today=TODAY)
    assert result.report is not None and result.report.errors == []
    assert result.outcome is UploadOutcome.COMMITTED
    assert stored_progress(network_engine) == rows
