"""Audit log (administrators): browse and filter who did what, when, to which object."""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html
from flask import abort
from pydantic import ValidationError

from dashboard import strings
from dashboard.auth import require
from dashboard.components.grid import CELL_EXTRA_PX, CHARACTER_PX, WRAPPED, grid_text
from dashboard.components.history import REVERT_DONE, revert_section
from dashboard.data import audit_log
from skills_roadmap.audit import AuditAction, AuditEntry, AuditQuery
from skills_roadmap.users import Permission

dash.register_page(
    __name__,
    path="/audit",
    name=strings.AUDIT_NAME,
    title=f"{strings.AUDIT_TITLE} · {strings.APP_TITLE}",
    order=90,
    in_navbar=True,
    permission=Permission.ADMIN.value,
)

FILTER_USER = "audit-filter-user"
FILTER_ACTION = "audit-filter-action"
FILTER_SINCE = "audit-filter-since"
FILTER_UNTIL = "audit-filter-until"
FILTER_TEXT = "audit-filter-text"
GRID = "audit-grid"
SHOWN = "audit-shown"
ROW_LIMIT = 2_000
TIME_WIDTH_PX = len("2026-01-31 23:59:59") * CHARACTER_PX + CELL_EXTRA_PX


def _labelled(label: str, control_id: str, control: Any, width: int) -> dbc.Col:
    return dbc.Col([dbc.Label(label, html_for=control_id), control], md=width, className="mb-2")


def _date(control_id: str) -> dbc.Input:
    return dbc.Input(id=control_id, type="date", debounce=True)


def filters() -> dbc.Row:
    """User, action, day range and free-text filters; each one narrows the table."""
    actions = [
        {"label": strings.AUDIT_ACTION_LABELS[a.value], "value": a.value} for a in AuditAction
    ]
    return dbc.Row(
        [
            _labelled(
                strings.AUDIT_FILTER_USER,
                FILTER_USER,
                dcc.Dropdown(id=FILTER_USER, options=[], placeholder=strings.AUDIT_ANY),
                3,
            ),
            _labelled(
                strings.AUDIT_FILTER_ACTION,
                FILTER_ACTION,
                dcc.Dropdown(id=FILTER_ACTION, options=actions, placeholder=strings.AUDIT_ANY),
                3,
            ),
            # The browser's own date fields: labelled, usable by keyboard and on a phone (the
            # date-range picker put aria-expanded on an element that may not carry it).
            _labelled(strings.AUDIT_FILTER_SINCE, FILTER_SINCE, _date(FILTER_SINCE), 2),
            _labelled(strings.AUDIT_FILTER_UNTIL, FILTER_UNTIL, _date(FILTER_UNTIL), 2),
            _labelled(
                strings.AUDIT_FILTER_TEXT,
                FILTER_TEXT,
                dbc.Input(id=FILTER_TEXT, type="search", debounce=True, maxLength=200),
                3,
            ),
        ]
    )


def layout(**_query: str) -> html.Div:
    return html.Div(
        [
            html.H1(strings.AUDIT_TITLE),
            html.P(strings.AUDIT_INTRO, className="text-body-secondary"),
            filters(),
            html.P(id=SHOWN, className="small text-body-secondary", role="status"),
            dag.AgGrid(
                id=GRID,
                # What was affected and the details are as long as they are: they wrap; the
                # time is as wide as its 19 characters.
                columnDefs=[
                    {"field": field, "headerName": header}
                    | (WRAPPED if field in ("object", "detail") else {})
                    | ({"minWidth": TIME_WIDTH_PX} if field == "at" else {})
                    for field, header in strings.AUDIT_COLUMNS.items()
                ],
                rowData=[],
                # At least a header's width per column: on a phone the grid scrolls sideways
                # rather than cutting its headers.
                defaultColDef={
                    "sortable": True,
                    "resizable": True,
                    "filter": True,
                    "minWidth": 120,
                    "wrapHeaderText": True,
                    "autoHeaderHeight": True,
                },
                columnSize="responsiveSizeToFit",
                dashGridOptions={
                    "pagination": True,
                    "paginationPageSize": 50,
                    "localeText": grid_text(),
                },
                style={"height": "70vh"},
            ),
            revert_section(),
        ]
    )


def grid_row(entry: AuditEntry) -> dict[str, str | int | None]:
    """One audit entry as a table row; the time as ``YYYY-MM-DD HH:MM:SS`` in UTC."""
    return {
        "id": entry.id,
        "at": entry.at.strftime("%Y-%m-%d %H:%M:%S"),
        "user_name": entry.user_name,
        "action": strings.AUDIT_ACTION_LABELS.get(entry.action, entry.action),
        "object": entry.object,
        "detail": entry.detail,
    }


@dash.callback(
    Output(GRID, "rowData"),
    Output(FILTER_USER, "options"),
    Output(SHOWN, "children"),
    Input(FILTER_USER, "value"),
    Input(FILTER_ACTION, "value"),
    Input(FILTER_SINCE, "value"),
    Input(FILTER_UNTIL, "value"),
    Input(FILTER_TEXT, "value"),
    Input(REVERT_DONE, "data"),
)
def show_entries(
    user: str | None,
    action: str | None,
    since: str | None,
    until: str | None,
    text: str | None,
    _reverted: int | None = None,
) -> tuple[list[dict[str, str | int | None]], list[str], str]:
    """The entries matching the filters (administrators only), and the users to filter by;
    read again after a revert, whose entry then shows."""
    require(Permission.ADMIN)
    try:
        query = AuditQuery(
            user=user or None,
            action=action or None,
            since=since or None,
            until=until or None,
            text=(text or "").strip() or None,
            limit=ROW_LIMIT,
        )
    except ValidationError:
        abort(400)
    entries, actors = audit_log(query)
    rows = [grid_row(entry) for entry in entries]
    shown = strings.AUDIT_SHOWN.format(count=len(rows), limit=ROW_LIMIT)
    return rows, actors, shown
