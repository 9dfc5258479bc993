"""Reports: choose any selection and download its report as Excel, CSV, HTML or PDF."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import strings
from dashboard.components.filter_bar import filter_bar, read_page_query, selection_components
from dashboard.components.report_download import report_download
from dashboard.data import current_frames, no_data_words
from skills_roadmap.users import Permission

dash.register_page(
    __name__,
    path="/reports",
    name=strings.REPORTS_NAME,
    title=f"{strings.REPORTS_TITLE} · {strings.APP_TITLE}",
    order=80,
    in_navbar=True,
    permission=Permission.EXPORT.value,
)


def formats_help() -> html.Dl:
    """What each format holds."""
    items: list[Any] = []
    for report_format, label in strings.REPORT_FORMAT_LABELS.items():
        items += [html.Dt(label), html.Dd(strings.REPORT_FORMAT_HELP[report_format])]
    return html.Dl(items, className="small text-body-secondary")


def layout(**query: Any) -> html.Div:
    """The filters (from the address bar, so a page's "report of this view" link lands here
    with its selection), the download buttons and what each format holds."""
    if current_frames().as_of is None:
        return html.Div([html.H1(strings.REPORTS_TITLE), dbc.Alert(no_data_words(), color="info")])
    filters, choices, parsed = read_page_query(query, {})
    return html.Div(
        [
            *selection_components(filters, {}),
            html.H1(strings.REPORTS_TITLE, className="h2"),
            html.P(strings.REPORTS_INTRO, className="lead"),
            filter_bar(choices, filters, parsed.problems),
            report_download(),
            formats_help(),
        ]
    )
