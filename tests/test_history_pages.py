"""History and undo on the pages, called as functions: a programme's value history, the
targets' revisions on a region page, and the administrators' revert button."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import dash
import openpyxl
import pytest
from history_helpers import add_revised_targets
from ingest_helpers import TODAY, stored_progress
from sqlalchemy import Engine
from upload_helpers import configure, progress_csv

from dashboard import ids, strings
from dashboard.app import create_app
from dashboard.components import history
from skills_roadmap import audit
from skills_roadmap.audit import AuditAction, AuditQuery
from skills_roadmap.ingest import commit_upload
from skills_roadmap.storage import get_engine
from skills_roadmap.storage.periods import close_period

FIRST = [("ARA-1", "2025-03", 12, 10, 8, 1, 6, 1500.5, "first cohort")]
SECOND = [
    ("ARA-1", "2025-03", 14, 10, 8, 1, 6, 1500.5, "first cohort"),
    ("CLJ-1", "2025-04", 7, 0, "", "", "", "", ""),
]


@pytest.fixture
def app(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[dash.Dash]:
    """The dashboard in local mode (an administrator) over the ingestion network with two
    uploads: March for ARA-1, then a correction of it and April for CLJ-1."""
    from ingest_helpers import add_network

    add_network(engine)
    add_revised_targets(engine)
    for lines, name in ((FIRST, "march.csv"), (SECOND, "correction.csv")):
        commit_upload(engine, progress_csv(lines), name, today=TODAY, user="maria")
    configure(monkeypatch, engine, auth=False)
    app = create_app()
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        yield app
    get_engine.cache_clear()


def by_id(component: Any, component_id: str) -> Any:
    return next(item for item in component._traverse() if getattr(item, "id", None) == component_id)


def cells(grid: Any, *columns: str) -> list[list[Any]]:
    return [[row[column] for column in columns] for row in grid.rowData]


@pytest.mark.usefixtures("app")
def test_a_programmes_details_show_the_history_of_its_values() -> None:
    from dashboard.pages import programmes

    page = programmes.layout(programme="ARA-1")

    detail = by_id(page, ids.PROGRAMME_DETAIL)
    assert detail.children[0].children == "Programme ARA-1 (ARA-1)"
    grid = by_id(detail, history.VALUE_HISTORY)
    month, field, value, upload, who = (
        strings.VALUE_HISTORY_COLUMNS[key]
        for key in ("period", "field", "value", "upload_id", "changed_by")
    )
    assert cells(grid, month, field, value, upload, who)[:3] == [
        ["2025-03", "Enrolled", "14", 2, "maria"],
        ["2025-03", "Enrolled", "12", 1, "maria"],
        ["2025-03", "Completed", "10", 1, "maria"],
    ]
    assert len(grid.rowData) == 8  # the correction, then the seven values first stored


@pytest.mark.usefixtures("app")
def test_an_unknown_programme_in_the_address_says_so() -> None:
    from dashboard.pages import programmes

    detail = by_id(programmes.layout(programme="NOPE"), ids.PROGRAMME_DETAIL)
    assert detail.children[0].children == "No programme has the ID NOPE."


@pytest.mark.usefixtures("app")
def test_a_region_page_lists_the_revisions_of_its_targets() -> None:
    from dashboard.pages import region

    grid = by_id(region.layout(code="ES24"), history.TARGET_REVISIONS)
    assert cells(grid, *strings.TARGET_REVISIONS_COLUMNS.values()) == [
        ["T-ES24", "Basic", "Value", "3500", "4000", "second call", "eva", "2025-02-03 00:00"],
        ["T-ES24", "Basic", "Value", "3000", "3500", "budget grew", "adam", "2025-01-02 00:00"],
    ]


def test_the_revert_button_asks_then_reverts_and_a_closed_month_is_refused(
    app: dash.Dash, engine: Engine
) -> None:
    before = stored_progress(engine)
    rows, _columns = history.show_revertible(None)
    upload = strings.REVERT_COLUMNS["upload_id"]
    assert [row[upload] for row in rows] == [2, 1]
    chosen = [rows[0]]

    no_reason = history.ask_to_revert(1, chosen, " ")
    asked = history.ask_to_revert(1, chosen, "wrong file")
    close_period(engine, "2025-04", "adam")
    refused, _ = history.revert_chosen(1, chosen, "wrong file")

    assert no_reason[:2] == (False, "")
    assert no_reason[2].children == strings.REVERT_NEED_REASON
    assert asked == (
        True,
        "Revert upload #2 (correction.csv)? The values it replaced are stored again and the "
        "months it reported first are removed.",
        None,
    )
    assert (refused.color, refused.children) == (
        "danger",
        "upload 2 changed 2025-04, which is closed: an administrator can reopen it "
        "(skills-roadmap periods reopen 2025-04 --reason ...)",
    )
    assert stored_progress(engine) == before

    from skills_roadmap.storage.periods import reopen_period

    reopen_period(engine, "2025-04", "adam", "to revert")
    done, revert_id = history.revert_chosen(1, chosen, "wrong file")

    assert (done.color, done.children) == (
        "success",
        "Reverted upload #2 as upload #3. Rows restored: 1; removed: 1; stored again: 0.",
    )
    assert revert_id == 3
    assert [(row["programme_id"], row["enrolled"]) for row in stored_progress(engine)] == [
        ("ARA-1", 12)
    ]
    rows, _columns = history.show_revertible(revert_id)
    assert [row[upload] for row in rows] == [3, 2, 1]
    [entry] = audit.query(engine, AuditQuery(action=AuditAction.UPLOAD_REVERT))
    assert (entry.user_name, entry.object) == ("local", "upload 2: correction.csv")


def test_the_excel_report_has_the_target_revisions_of_the_selection(engine: Engine) -> None:
    """Aragón's report lists the revisions of Aragón's target, not Nord-Vest's."""
    from ingest_helpers import add_network

    from skills_roadmap.analysis import Filters
    from skills_roadmap.reports.export import build_report
    from skills_roadmap.reports.xlsx import write_xlsx

    add_network(engine)
    add_revised_targets(engine)
    commit_upload(engine, progress_csv(FIRST), "march.csv", today=TODAY, user="maria")
    buffer = io.BytesIO()

    write_xlsx(build_report(engine, Filters(regions=("ES24",))), buffer)

    sheet = openpyxl.load_workbook(buffer)["Target revisions"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Target id", "Scope", "Scope id", "Level", "Field", "Was", "Now", "Reason", "By"]
        + ["At (UTC)", "Upload"],
        ["T-ES24", "Region", "ES24", "Basic", "Value", "3500", "4000", "second call", "eva"]
        + [datetime(2025, 2, 3), None],
        ["T-ES24", "Region", "ES24", "Basic", "Value", "3000", "3500", "budget grew", "adam"]
        + [datetime(2025, 1, 2), None],
    ]
