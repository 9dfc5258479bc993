"""History and undo on the pages: a programme's value history, the targets' revisions of a
region or cluster page, and the administrators' revert of an upload."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from dashboard import strings
from dashboard.auth import require
from dashboard.components.attributes import attributes
from dashboard.components.grid import grid_columns, grid_rows, table_grid
from dashboard.data import (
    current_frames,
    programme_values,
    revert,
    stored_uploads,
    target_revisions,
)
from skills_roadmap.domain import UploadOutcome
from skills_roadmap.exceptions import SkillsRoadmapError
from skills_roadmap.storage.revert import REVERTIBLE_KINDS
from skills_roadmap.users import Permission

VALUE_HISTORY = "programme-value-history"
TARGET_REVISIONS = "target-revisions"
REVERT_GRID = "revert-grid"
REVERT_REASON = "revert-reason"
REVERT_BUTTON = "revert-button"
REVERT_CONFIRM = "revert-confirm"
REVERT_RESULT = "revert-result"
REVERT_DONE = "revert-done"
TIME_FORMAT = "%Y-%m-%d %H:%M"


def _when(times: pd.Series) -> pd.Series:
    return pd.to_datetime(times, utc=True).dt.strftime(TIME_FORMAT).fillna("")


def _field_labels(fields: pd.Series) -> pd.Series:
    known = strings.COLUMNS  # the fields' labels, in the page's language
    return fields.map(lambda field: known.get(field, field))


def value_history_table(programme_id: str) -> pd.DataFrame:
    """A programme's stored values, newest first, labelled for the page: a blank value says
    so, a value stored before uploads were recorded has no upload."""
    history = programme_values(programme_id)
    table = history.assign(
        field=_field_labels(history["field"]),
        value=history["value"].fillna(strings.BLANK_VALUE),
        changed_at=_when(history["changed_at"]),
    )
    return table.rename(columns=strings.VALUE_HISTORY_COLUMNS)


def value_history_section(programme_id: str) -> html.Section:
    """The history of a programme's values (month, field, value, upload, who, when)."""
    table = value_history_table(programme_id)
    return html.Section(
        [
            html.H3(strings.VALUE_HISTORY_TITLE, className="h4"),
            html.P(strings.VALUE_HISTORY_INTRO, className="text-body-secondary"),
            html.P(strings.VALUE_HISTORY_EMPTY)
            if table.empty
            else table_grid(VALUE_HISTORY, table, height=360),
        ],
        className="mb-4",
        **attributes(aria_label=strings.VALUE_HISTORY_TITLE),
    )


def target_revisions_table(scope: str, scope_id: str) -> pd.DataFrame:
    """The revisions of the targets set for ``scope`` ``scope_id`` (a region or a cluster),
    newest first, with each target's level."""
    targets = current_frames().targets
    mine = targets[(targets["scope"] == scope) & (targets["scope_id"] == scope_id)]
    levels = dict(zip(mine["target_id"], mine["level"].astype(str), strict=True))
    revisions = target_revisions(list(levels))
    table = revisions.assign(
        level=revisions["target_id"].map(levels).map(strings.LEVEL_LABELS),
        field=_field_labels(revisions["field"]),
        old_value=revisions["old_value"].fillna(strings.BLANK_VALUE),
        new_value=revisions["new_value"].fillna(strings.BLANK_VALUE),
        changed_at=_when(revisions["changed_at"]),
    )
    return table[list(strings.TARGET_REVISIONS_COLUMNS)].rename(
        columns=strings.TARGET_REVISIONS_COLUMNS
    )


def target_revisions_section(scope: str, scope_id: str) -> html.Section:
    """The "Target revisions" section of a region or cluster page."""
    table = target_revisions_table(scope, scope_id)
    return html.Section(
        [
            html.H2(strings.TARGET_REVISIONS_TITLE, className="h4 mt-4"),
            html.P(strings.TARGET_REVISIONS_INTRO, className="text-body-secondary"),
            html.P(strings.TARGET_REVISIONS_EMPTY, id=f"{TARGET_REVISIONS}-empty")
            if table.empty
            else table_grid(TARGET_REVISIONS, table, height=300),
        ],
        **attributes(aria_label=strings.TARGET_REVISIONS_TITLE),
    )


def revertible_uploads() -> pd.DataFrame:
    """The stored uploads a revert can undo (committed progress uploads and reverts), newest
    first, labelled for the table; ``upload_id`` stays a number."""
    uploads = stored_uploads()
    kept = uploads[
        (uploads["outcome"] == UploadOutcome.COMMITTED.value)
        & uploads["kind"].isin(REVERTIBLE_KINDS)
    ]
    table = kept.assign(
        uploaded_at=_when(kept["uploaded_at"]),
        kind=kept["kind"].map(lambda kind: strings.UPLOAD_KINDS.get(kind, kind)),
    )
    return table[list(strings.REVERT_COLUMNS)].rename(columns=strings.REVERT_COLUMNS)


def revert_section() -> html.Section:
    """For administrators: the uploads a revert can undo, a reason and a confirmed button."""
    grid = table_grid(REVERT_GRID, height=300)
    grid.dashGridOptions = {**grid.dashGridOptions, "rowSelection": "single"}
    return html.Section(
        [
            html.H2(strings.REVERT_TITLE, className="h4 mt-4"),
            html.P(strings.REVERT_INTRO, className="text-body-secondary"),
            grid,
            dbc.Label(strings.REVERT_REASON, html_for=REVERT_REASON, className="mt-2"),
            dbc.Input(id=REVERT_REASON, type="text", maxLength=500),
            dbc.Button(strings.REVERT_BUTTON, id=REVERT_BUTTON, color="danger", className="mt-2"),
            dcc.ConfirmDialog(id=REVERT_CONFIRM),
            dcc.Store(id=REVERT_DONE),
            html.Div(id=REVERT_RESULT, className="mt-2", role="status"),
        ],
        **attributes(aria_label=strings.REVERT_TITLE),
    )


def _chosen(rows: list[dict[str, Any]] | None) -> dict[str, Any] | None:
    return rows[0] if rows else None


@dash.callback(
    Output(REVERT_GRID, "rowData"),
    Output(REVERT_GRID, "columnDefs"),
    Input(REVERT_DONE, "data"),
)
def show_revertible(_done: int | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The uploads a revert can undo; listed again after each revert."""
    require(Permission.ADMIN)
    table = revertible_uploads()
    return grid_rows(table), grid_columns(table)


@dash.callback(
    Output(REVERT_CONFIRM, "displayed"),
    Output(REVERT_CONFIRM, "message"),
    Output(REVERT_RESULT, "children"),
    Input(REVERT_BUTTON, "n_clicks"),
    State(REVERT_GRID, "selectedRows"),
    State(REVERT_REASON, "value"),
    prevent_initial_call=True,
)
def ask_to_revert(
    n_clicks: int | None, rows: list[dict[str, Any]] | None, reason: str | None
) -> tuple[bool, str, Any]:
    """Ask to confirm the revert of the chosen upload, once one is chosen and a reason given."""
    require(Permission.ADMIN)
    chosen = _chosen(rows)
    if not n_clicks:
        return False, "", dash.no_update
    if chosen is None:
        return False, "", dbc.Alert(strings.REVERT_CHOOSE, color="warning")
    if not (reason or "").strip():
        return False, "", dbc.Alert(strings.REVERT_NEED_REASON, color="warning")
    upload = strings.REVERT_COLUMNS["upload_id"]
    message = strings.REVERT_CONFIRM.format(
        upload_id=chosen[upload], file_name=chosen[strings.REVERT_COLUMNS["file_name"]]
    )
    return True, message, None


@dash.callback(
    Output(REVERT_RESULT, "children", allow_duplicate=True),
    Output(REVERT_DONE, "data"),
    Input(REVERT_CONFIRM, "submit_n_clicks"),
    State(REVERT_GRID, "selectedRows"),
    State(REVERT_REASON, "value"),
    prevent_initial_call=True,
)
def revert_chosen(
    submitted: int | None, rows: list[dict[str, Any]] | None, reason: str | None
) -> tuple[Any, Any]:
    """Revert the confirmed upload; a refusal (a closed month, a later upload) is one line."""
    user = require(Permission.ADMIN)
    chosen = _chosen(rows)
    if not submitted or chosen is None:
        return dash.no_update, dash.no_update
    try:
        result = revert(int(chosen[strings.REVERT_COLUMNS["upload_id"]]), user.name, reason or "")
    except SkillsRoadmapError as error:
        return dbc.Alert(str(error), color="danger"), dash.no_update
    done = strings.REVERT_DONE.format(
        reverted=result.reverted,
        upload_id=result.upload_id,
        restored=result.restored,
        removed=result.removed,
        recreated=result.recreated,
    )
    return dbc.Alert(done, color="success"), result.upload_id
