"""Who has not reported a month, on pages: the Upload page's "Still due" for the manager's
clusters, and the region page's "Who has not reported" with its CSV download.

Both list :func:`skills_roadmap.late.late_list` (through :func:`dashboard.data.late_programmes`),
the same rows as ``skills-roadmap periods late`` and the CSV export.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate
from flask import abort

from dashboard import ids, strings
from dashboard.auth import AuthUser, require
from dashboard.components.attributes import attributes
from dashboard.components.filter_bar import SELECTION, read_filters
from dashboard.components.formats import month_words
from dashboard.context import app_context
from dashboard.data import current_frames, late_programmes, selected_frames, selection_headline
from skills_roadmap import audit
from skills_roadmap.analysis import Filters
from skills_roadmap.analysis.periods import month_to_period
from skills_roadmap.audit import AuditAction
from skills_roadmap.i18n.formats import number
from skills_roadmap.reports.late import late_csv, late_file_name
from skills_roadmap.text import capitalised
from skills_roadmap.users import Permission

STILL_DUE = "still-due"
# The Upload page's store of the last confirmed upload: the list is drawn again after each.
UPLOAD_COMMITTED = "upload-committed"
NOT_REPORTED = "not-reported"
NOT_REPORTED_BUTTON = "not-reported-download-button"
NOT_REPORTED_DOWNLOAD = "not-reported-download"
ROWS_SHOWN = 50  # a whole EU-scale region's list is for the CSV, not for a page


def late_view(
    late: pd.DataFrame, period: str, more_words: str = strings.LATE_MORE
) -> html.Div | html.P:
    """The late programmes as a small table (the first ``ROWS_SHOWN``, then ``more_words``
    with how many more), or that everyone due has reported ``period``."""
    if late.empty:
        words = strings.EVERYONE_REPORTED.format(period=month_words(period))
        return html.P(words, className="text-success")
    more = len(late) - ROWS_SHOWN
    table = late_table_view(late.head(ROWS_SHOWN), period)
    if more <= 0:
        return table
    return html.Div([table, html.P(more_words.format(count=number(more)))])


def late_table_view(late: pd.DataFrame, period: str) -> html.Div:
    """The rows of ``late`` in the page's words: "never" for no report, "no manager"."""
    shown = late.assign(
        last_period=late["last_period"].map(
            lambda p: capitalised(month_words(p, short=True)) if p else strings.LATE_NEVER
        ),
        managers=late["managers"].map(lambda names: ", ".join(names) or strings.LATE_NO_MANAGER),
    )[list(strings.LATE_TABLE_COLUMNS)].rename(columns=strings.LATE_TABLE_COLUMNS)
    return html.Div(  # scrolls sideways on a narrow screen: focusable, named for the keyboard
        dbc.Table.from_dataframe(shown, striped=True, size="sm", className="mb-2"),
        className="table-responsive",
        tabIndex="0",
        role="region",
        **attributes(aria_label=strings.LATE_TABLE_LABEL.format(period=month_words(period))),
    )


# ---------------------------------------------------------------------------------------------
# The Upload page: what the manager's clusters still owe.


def still_due_section() -> html.Section:
    """The "Still due" section; its callback fills it when the page opens and after each
    confirmed upload."""
    return html.Section(
        [
            html.H2(strings.STILL_DUE_HEADING, className="h5"),
            html.P(strings.STILL_DUE_INTRO),
            html.Div(id=STILL_DUE),
        ],
        className="mb-4",
    )


def still_due(user: AuthUser) -> list[Any]:
    """For the month shown by default and, when there is one, the later provisional month:
    the programmes of ``user``'s clusters (every cluster in local mode) not reported."""
    frames = current_frames()
    if frames.default_as_of is None:
        return []
    default = month_to_period(frames.default_as_of)
    months = [(default, strings.STILL_DUE_DEFAULT.format(period=month_words(default)))]
    provisional = selection_headline(Filters()).provisional
    if provisional is not None:
        words = strings.STILL_DUE_PROVISIONAL.format(
            period=month_words(provisional.period),
            reported=provisional.reported,
            due=provisional.due,
        )
        months.insert(0, (provisional.period, words))
    blocks: list[Any] = []
    for period, heading in months:
        late = late_programmes(frames, period, user.manager_clusters)
        blocks += [
            html.H3(capitalised(heading), className="h6 mt-3"),
            late_view(late, period, strings.LATE_MORE_UPLOAD),
        ]
    return blocks


@callback(Output(STILL_DUE, "children"), Input(UPLOAD_COMMITTED, "data"))
def show_still_due(_committed: int | None) -> list[Any]:
    """The signed-in manager's programmes still due; drawn again after each Confirm."""
    return still_due(require(Permission.UPLOAD))


# ---------------------------------------------------------------------------------------------
# The region page: who has not reported the month shown.


def shown_month(filters: Filters) -> str | None:
    """The month a selection shows: the one picked, else the default month."""
    return selected_frames(filters).as_of_period


def not_reported(filters: Filters) -> list[Any]:
    """The heading and the late programmes of the selection for the month it shows."""
    period = shown_month(filters)
    if period is None:
        return []
    late = late_programmes(selected_frames(filters), period)
    words = month_words(period)
    return [
        html.H2(strings.NOT_REPORTED_HEADING.format(period=words), className="h4 mt-4 mb-3"),
        html.P(strings.NOT_REPORTED_INTRO.format(period=words)),
        late_view(late, period),
    ]


def not_reported_section() -> html.Section:
    """Who has not reported the month shown, with a CSV download; its callback fills it when
    the page opens (the accounts are read then, not while the page is laid out) and for each
    new selection."""
    return html.Section(
        [
            html.Div(id=NOT_REPORTED),
            dbc.Button(
                strings.NOT_REPORTED_DOWNLOAD,
                id=NOT_REPORTED_BUTTON,
                color="primary",
                outline=True,
                size="sm",
            ),
            dcc.Download(id=NOT_REPORTED_DOWNLOAD),
        ],
        className="mb-4",
    )


@callback(Output(NOT_REPORTED, "children"), SELECTION)
def update_not_reported(data: dict[str, Any] | None) -> list[Any]:
    """The list of the page's selection, and again for a new one (another month, level or
    cluster)."""
    return not_reported(read_filters(data))


@callback(
    Output(NOT_REPORTED_DOWNLOAD, "data"),
    Input(NOT_REPORTED_BUTTON, "n_clicks"),
    State(ids.FILTERS, "data"),
    prevent_initial_call=True,
)
def download_not_reported(n_clicks: int | None, data: dict[str, Any] | None) -> Any:
    """The list of the selection's month as CSV (the export's columns); audited."""
    user = require(Permission.EXPORT)
    if not n_clicks:
        raise PreventUpdate
    try:
        filters = read_filters(data)
    except ValueError:
        abort(400)
    period = shown_month(filters)
    if period is None:
        raise PreventUpdate
    late = late_programmes(selected_frames(filters), period)
    name = late_file_name(period)
    audit.record(
        app_context().engine,
        user.name,
        AuditAction.EXPORT,
        name,
        {"format": "late", "via": "dashboard", "period": period, "regions": list(filters.regions)},
    )
    return dcc.send_bytes(late_csv(late, period), name)
