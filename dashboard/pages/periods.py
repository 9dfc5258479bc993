"""Months (officials and administrators): each month's completeness and state; per cluster
of the recent months, its submission with Approve and Return (with a comment); Close and
Reopen (with a reason) for administrators.

Every button's callback checks the permission on the server (approve: officials and
administrators; close and reopen: administrators) and acts through the library, which
refuses a step out of order and writes the audit log.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import MATCH, Input, Output, State, callback, dcc, html

from dashboard import data, strings
from dashboard.auth import AuthUser, current_user_or_none, deny, require
from dashboard.components.formats import month_words, percent
from dashboard.components.month_states import (
    parse_key,
    recent_periods,
    records,
    row_key,
    row_words,
    submission_words,
)
from dashboard.context import app_context
from dashboard.data import current_frames, refresh_soon
from skills_roadmap.analysis.loader import with_closed_periods
from skills_roadmap.analysis.month_states import cluster_months, clusters_due, month_table
from skills_roadmap.domain import parse_period
from skills_roadmap.exceptions import SkillsRoadmapError
from skills_roadmap.text import capitalised
from skills_roadmap.users import Permission

dash.register_page(
    __name__,
    path="/periods",
    name=strings.PERIODS_NAME,
    title=f"{strings.PERIODS_TITLE} · {strings.APP_TITLE}",
    order=85,
    in_navbar=True,
    permission=Permission.APPROVE.value,
)

MONTH_STATE = "periods-month-state"  # {"type": ..., "period": "YYYY-MM"}
CLOSE = "periods-close"
REOPEN = "periods-reopen"
REASON = "periods-reason"
APPROVAL_STATE = "periods-approval-state"  # {"type": ..., "key": "YYYY-MM cluster"}
APPROVE = "periods-approve"
RETURN = "periods-return"
COMMENT = "periods-comment"
MONTHS_SHOWN = 12
ACTIONS_CLASS = "d-flex gap-1 align-items-center"


def labelled_input(label: str, component_id: dict[str, str], placeholder: str) -> html.Label:
    """A short text input named ``label`` for screen readers (the placeholder shows, whole:
    "Begründung für die Wiedereröffnung" is twice the English)."""
    return html.Label(
        [
            html.Span(label, className="visually-hidden"),
            dbc.Input(
                id=component_id,
                placeholder=placeholder,
                maxLength=500,
                size="sm",
                style={"minWidth": f"{len(placeholder) + 3}ch"},
            ),
        ],
        className="mb-0",
    )


def state_words(state: str, closed: data.ClosedPeriod | None) -> list[Any]:
    """A month's state, and who closed it."""
    words: list[Any] = [html.Strong(strings.PERIODS_MONTH_STATES.get(state, state))]
    if closed is not None:
        by = strings.PERIODS_CLOSED_BY.format(who=closed.closed_by)
        words.append(html.Span(f" {by}", className="text-body-secondary"))
    return words


def _error(error: Exception | str) -> html.Div:
    return html.Div(str(error), className="text-danger small", role="alert")


def months_table(user: AuthUser) -> dbc.Table:
    """The latest months with their reports and state; Close and Reopen for administrators."""
    table = month_table(current_frames()).head(MONTHS_SHOWN)
    closed = {item.period: item for item in data.closed_months()}
    admin = user.may(Permission.ADMIN)
    columns = strings.PERIODS_MONTH_COLUMNS
    header = html.Thead(
        html.Tr([html.Th(text) for key, text in columns.items() if admin or key != "action"])
    )
    body = []
    for row in table.to_dict("records"):
        period = row["period"]
        cells = [
            html.Td(
                dcc.Link(
                    capitalised(month_words(period, short=True)), href=f"/periods?month={period}"
                )
            ),
            html.Td(strings.MONTHS_REPORTED.format(reported=row["reported"], due=row["due"])),
            html.Td(percent(row["completeness"])),
            html.Td(
                state_words(row["state"], closed.get(period)),
                id={"type": MONTH_STATE, "period": period},
            ),
        ]
        if admin:
            shut = period in closed
            cells.append(
                html.Td(
                    html.Div(
                        [
                            dbc.Button(
                                strings.PERIODS_CLOSE,
                                id={"type": CLOSE, "period": period},
                                size="sm",
                                color="primary",
                                outline=True,
                                disabled=shut,
                            ),
                            labelled_input(
                                strings.PERIODS_REASON_OF.format(month=month_words(period)),
                                {"type": REASON, "period": period},
                                strings.PERIODS_REASON,
                            ),
                            dbc.Button(
                                strings.PERIODS_REOPEN,
                                id={"type": REOPEN, "period": period},
                                size="sm",
                                color="secondary",
                                outline=True,
                                disabled=not shut,
                            ),
                        ],
                        className=ACTIONS_CLASS,
                    )
                )
            )
        body.append(html.Tr(cells))
    return dbc.Table([header, html.Tbody(body)], size="sm", hover=True, responsive=True)


def shown_month(month: object) -> str | None:
    """The month whose clusters the page lists: ``month`` of the address when it is a reported
    month, else the latest reported month (one month at a time: a network may have thousands
    of clusters)."""
    periods = recent_periods(current_frames(), MONTHS_SHOWN)
    if isinstance(month, str) and month in periods:
        return month
    return periods[0] if periods else None


def approval_row(period: str, row: dict[str, Any]) -> html.Tr:
    """One cluster's month: its reports, its submission, Approve, a comment and Return."""
    key = row_key(period, row["cluster_id"])
    return html.Tr(
        [
            html.Td(row["cluster"]),
            html.Td(strings.MONTHS_REPORTED.format(reported=row["reported"], due=row["due"])),
            html.Td(row_words(row), id={"type": APPROVAL_STATE, "key": key}),
            html.Td(
                html.Div(
                    [
                        dbc.Button(
                            strings.PERIODS_APPROVE,
                            id={"type": APPROVE, "key": key},
                            size="sm",
                            color="success",
                            outline=True,
                        ),
                        labelled_input(
                            strings.PERIODS_COMMENT_OF.format(
                                cluster=row["cluster"], month=month_words(period)
                            ),
                            {"type": COMMENT, "key": key},
                            strings.PERIODS_COMMENT,
                        ),
                        dbc.Button(
                            strings.PERIODS_RETURN,
                            id={"type": RETURN, "key": key},
                            size="sm",
                            color="secondary",
                            outline=True,
                        ),
                    ],
                    className=ACTIONS_CLASS,
                )
            ),
        ]
    )


def clusters_tables(period: str | None) -> list[Any]:
    """Each cluster due in ``period`` with its submission, Approve and Return."""
    if period is None:
        return []
    table = cluster_months(current_frames(), [period], data.month_submissions(period))
    body = [approval_row(period, row) for row in records(table)]
    if not body:
        return []
    return [
        html.H3(
            capitalised(strings.PERIODS_CLUSTERS_HEADING.format(period=month_words(period))),
            className="h6",
        ),
        dbc.Table(html.Tbody(body), size="sm", hover=True, responsive=True),
    ]


def layout(month: str | None = None, **_query: str) -> html.Div:
    """The months of the network, and the clusters of ``month`` (the gate has checked the
    approve permission)."""
    user = current_user_or_none()
    if user is None:  # the gate lets nobody in without an account; the page draws nothing
        return html.Div()
    approval = app_context().settings.month_approval
    return html.Div(
        [
            html.H1(strings.PERIODS_TITLE, className="h2"),
            html.P(strings.PERIODS_INTRO, className="lead"),
            months_table(user),
            html.H2(strings.MONTHS_HEADING, className="h5 mt-4"),
            *(
                [html.P(strings.PERIODS_PICK), *clusters_tables(shown_month(month))]
                if approval
                else [html.P(strings.PERIODS_APPROVAL_OFF)]
            ),
        ]
    )


def _approval_key(user: AuthUser, component: dict[str, Any] | None) -> tuple[str, str]:
    key = parse_key((component or {}).get("key"))
    if key is None or not app_context().settings.month_approval:
        deny(user, "not a month to approve or return")
    return key


@callback(
    Output({"type": APPROVAL_STATE, "key": MATCH}, "children"),
    Input({"type": APPROVE, "key": MATCH}, "n_clicks"),
    State({"type": APPROVE, "key": MATCH}, "id"),
    prevent_initial_call=True,
)
def approve_month(n_clicks: int | None, button: dict[str, Any] | None) -> Any:
    """Approve the row's submitted month of its cluster."""
    user = require(Permission.APPROVE)
    if not n_clicks:
        return dash.no_update
    period, cluster_id = _approval_key(user, button)
    try:
        return submission_words(data.approve_month(period, cluster_id, user.name))
    except SkillsRoadmapError as error:
        return _error(error)


@callback(
    Output({"type": APPROVAL_STATE, "key": MATCH}, "children", allow_duplicate=True),
    Output({"type": COMMENT, "key": MATCH}, "value"),
    Input({"type": RETURN, "key": MATCH}, "n_clicks"),
    State({"type": COMMENT, "key": MATCH}, "value"),
    State({"type": RETURN, "key": MATCH}, "id"),
    prevent_initial_call=True,
)
def return_month(
    n_clicks: int | None, comment: str | None, button: dict[str, Any] | None
) -> tuple[Any, Any]:
    """Return the row's month to its cluster's manager with the comment typed beside it."""
    user = require(Permission.APPROVE)
    if not n_clicks:
        return dash.no_update, dash.no_update
    period, cluster_id = _approval_key(user, button)
    try:
        returned = data.return_month(period, cluster_id, user.name, comment or "")
    except SkillsRoadmapError as error:
        return _error(error), dash.no_update
    return submission_words(returned), ""


def _period(user: AuthUser, component: dict[str, Any] | None) -> str:
    period = (component or {}).get("period")
    try:
        parse_period(period if isinstance(period, str) else "")
    except ValueError:
        deny(user, "not a month")
    assert isinstance(period, str)
    return period


def _state_now(period: str) -> str:
    """``period``'s state with the months closed now (the request's frames may predate a
    reopening)."""
    closed = [item.period for item in data.closed_months()]
    table = month_table(with_closed_periods(current_frames(), closed))
    states = table.loc[table["period"] == period, "state"]
    return str(states.iloc[0]) if len(states) else "incomplete"


@callback(
    Output({"type": MONTH_STATE, "period": MATCH}, "children"),
    Output({"type": CLOSE, "period": MATCH}, "disabled"),
    Output({"type": REOPEN, "period": MATCH}, "disabled"),
    Input({"type": CLOSE, "period": MATCH}, "n_clicks"),
    State({"type": CLOSE, "period": MATCH}, "id"),
    prevent_initial_call=True,
)
def close_month(n_clicks: int | None, button: dict[str, Any] | None) -> tuple[Any, Any, Any]:
    """Close the row's month; with month approval on, only once every cluster due has it
    approved (the refusal names those that have not)."""
    user = require(Permission.ADMIN)
    if not n_clicks:
        return dash.no_update, dash.no_update, dash.no_update
    period = _period(user, button)
    needed = clusters_due(current_frames(), period) if app_context().settings.month_approval else []
    try:
        data.close_month(period, user.name, approvals_of=needed)
    except SkillsRoadmapError as error:
        return _error(error), False, True
    refresh_soon()
    closed = next(item for item in data.closed_months() if item.period == period)
    return state_words("closed", closed), True, False


@callback(
    Output({"type": MONTH_STATE, "period": MATCH}, "children", allow_duplicate=True),
    Output({"type": CLOSE, "period": MATCH}, "disabled", allow_duplicate=True),
    Output({"type": REOPEN, "period": MATCH}, "disabled", allow_duplicate=True),
    Output({"type": REASON, "period": MATCH}, "value"),
    Input({"type": REOPEN, "period": MATCH}, "n_clicks"),
    State({"type": REASON, "period": MATCH}, "value"),
    State({"type": REOPEN, "period": MATCH}, "id"),
    prevent_initial_call=True,
)
def reopen_month(
    n_clicks: int | None, reason: str | None, button: dict[str, Any] | None
) -> tuple[Any, Any, Any, Any]:
    """Reopen the row's month for uploads, with the reason typed beside it (audited)."""
    user = require(Permission.ADMIN)
    if not n_clicks:
        return dash.no_update, dash.no_update, dash.no_update, dash.no_update
    period = _period(user, button)
    why = (reason or "").strip()
    if not why:
        return _error(strings.PERIODS_REASON_NEEDED), True, False, dash.no_update
    if not data.reopen_month(period, user.name, why):
        not_closed = capitalised(strings.PERIODS_NOT_CLOSED.format(period=month_words(period)))
        return _error(not_closed), False, True, ""
    refresh_soon()
    return state_words(_state_now(period), None), False, True, ""
