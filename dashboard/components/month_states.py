"""The Upload page's "Months" section: each recent month of the manager's clusters, where its
submission stands (who, when, an official's comment) and a Submit button; and the state
words the Months page shows too.

Shown only with ``month_approval`` on. The Submit callback checks on the server that the
user reports for the cluster and that the month is one of the page's (a forged button id is
refused and audited), then submits through the library, which refuses a step out of order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import MATCH, Input, Output, State, callback, html

from dashboard import data, strings
from dashboard.auth import AuthUser, deny, require
from dashboard.components.formats import month_words
from dashboard.context import app_context
from dashboard.data import current_frames
from skills_roadmap.analysis import Frames
from skills_roadmap.analysis.month_states import NOT_SUBMITTED, cluster_months
from skills_roadmap.analysis.periods import month_to_period
from skills_roadmap.domain import SubmissionState, parse_period
from skills_roadmap.exceptions import SkillsRoadmapError
from skills_roadmap.text import capitalised
from skills_roadmap.users import Permission

SECTION = "upload-months"
SUBMIT = "month-submit"  # a button per (month, cluster): {"type": SUBMIT, "key": "YYYY-MM cluster"}
STATE = "month-submit-state"  # its state cell, same key
RECENT_MONTHS = 6  # the months a manager sees: the latest reported and the five before
SUBMITTABLE = frozenset({NOT_SUBMITTED, SubmissionState.RETURNED.value})


def row_key(period: str, cluster_id: str) -> str:
    """The key of a (month, cluster) row in the ids of its button and cells."""
    return f"{period} {cluster_id}"


def parse_key(key: object) -> tuple[str, str] | None:
    """``(period, cluster_id)`` of a row key; None for anything else (a forged id)."""
    if not isinstance(key, str) or key.count(" ") != 1:
        return None
    period, cluster_id = key.split(" ")
    try:
        parse_period(period)
    except ValueError:
        return None
    return period, cluster_id


def recent_periods(frames: Frames, count: int = RECENT_MONTHS) -> list[str]:
    """The latest ``count`` months reported, newest first."""
    months = frames.month_reports.months[-count:][::-1]
    return [month_to_period(int(month)) for month in months]


def _when(moment: object) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if isinstance(moment, datetime) else ""


def state_words(
    state: str, changed_by: str | None, changed_at: object, comment: str | None
) -> list[Any]:
    """A submission's state as the pages show it: the state, who set it and when, and the
    comment of a return."""
    words: list[Any] = [html.Strong(strings.MONTHS_STATES.get(state, state))]
    if changed_by:
        words.append(
            html.Span(
                " " + strings.MONTHS_CHANGED.format(who=changed_by, when=_when(changed_at)),
                className="text-body-secondary",
            )
        )
    if comment:
        words.append(html.Div(strings.MONTHS_COMMENT.format(comment=comment), className="small"))
    return words


def submission_words(submission: data.Submission) -> list[Any]:
    """:func:`state_words` of a stored submission."""
    return state_words(
        submission.state.value, submission.changed_by, submission.changed_at, submission.comment
    )


def row_words(row: dict[str, Any]) -> list[Any]:
    """:func:`state_words` of a row of
    :func:`~skills_roadmap.analysis.month_states.cluster_months`."""
    return state_words(row["state"], row["changed_by"], row["changed_at"], row["comment"])


def records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """``table``'s rows as dicts, a missing value as None."""
    return [
        {str(key): value for key, value in row.items()}
        for row in table.astype(object).where(table.notna(), None).to_dict("records")
    ]


def months_of(user: AuthUser) -> pd.DataFrame:
    """The recent months of ``user``'s clusters, with their reports and submissions; in local
    mode, the latest month of every cluster (a network may have thousands)."""
    frames = current_frames()
    periods = recent_periods(frames, RECENT_MONTHS if user.manager_clusters is not None else 1)
    stored = [item for item in data.month_submissions() if item.period in set(periods)]
    return cluster_months(frames, periods, stored, clusters=user.manager_clusters)


def _table(rows: Sequence[dict[str, Any]], closed: set[str]) -> dbc.Table:
    header = html.Thead(html.Tr([html.Th(text) for text in strings.MONTHS_COLUMNS.values()]))
    body = []
    for row in rows:
        key = row_key(row["period"], row["cluster_id"])
        shut = row["period"] in closed
        body.append(
            html.Tr(
                [
                    html.Td(capitalised(month_words(row["period"], short=True))),
                    html.Td(row["cluster"]),
                    html.Td(
                        strings.MONTHS_REPORTED.format(reported=row["reported"], due=row["due"])
                    ),
                    html.Td(
                        [
                            *row_words(row),
                            *([html.Div(strings.MONTHS_CLOSED_NOTE)] if shut else []),
                        ],
                        id={"type": STATE, "key": key},
                    ),
                    html.Td(
                        dbc.Button(
                            strings.MONTHS_SUBMIT,
                            id={"type": SUBMIT, "key": key},
                            size="sm",
                            color="primary",
                            outline=True,
                            disabled=shut or row["state"] not in SUBMITTABLE,
                        )
                    ),
                ]
            )
        )
    return dbc.Table([header, html.Tbody(body)], size="sm", hover=True, responsive=True)


def month_states_section(user: AuthUser | None) -> html.Section | None:
    """The "Months" section for ``user``; None when month approval is off or nobody is
    signed in."""
    if user is None or not app_context().settings.month_approval:
        return None
    table = months_of(user)
    closed = {month_to_period(month) for month in current_frames().closed_months}
    rows = records(table)
    return html.Section(
        [
            html.H2(strings.MONTHS_HEADING, className="h5 mt-4"),
            html.P(strings.MONTHS_INTRO),
            _table(rows, closed) if rows else html.P(strings.MONTHS_NONE),
        ],
        id=SECTION,
        className="mb-4",
    )


@callback(
    Output({"type": STATE, "key": MATCH}, "children"),
    Output({"type": SUBMIT, "key": MATCH}, "disabled"),
    Input({"type": SUBMIT, "key": MATCH}, "n_clicks"),
    State({"type": SUBMIT, "key": MATCH}, "id"),
    prevent_initial_call=True,
)
def submit_month(n_clicks: int | None, button: dict[str, Any] | None) -> tuple[Any, Any]:
    """Submit the row's month of its cluster as the signed-in manager."""
    user = require(Permission.UPLOAD)
    if not n_clicks:
        return dash.no_update, dash.no_update
    key = parse_key((button or {}).get("key"))
    if key is None or not app_context().settings.month_approval:
        deny(user, "not a month to submit")
    period, cluster_id = key
    if user.manager_clusters is not None and cluster_id not in user.manager_clusters:
        deny(user, f"does not report for cluster {cluster_id}")
    try:
        submission = data.submit_month(period, cluster_id, user.name)
    except SkillsRoadmapError as error:
        return html.Div(str(error), className="text-danger small", role="alert"), False
    return submission_words(submission), True
