"""Report download buttons: one per format, for the selection in the page's filters store.

Put :func:`report_download` on any page that holds the selection store (``ids.FILTERS``, from
``filter_bar.selection_components``): the Reports page, a region page, a cluster page. A click
builds the report in memory with the library's writers, shows a spinner meanwhile, then the
browser downloads it; the export is written to the audit log.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate
from flask import abort

from dashboard import ids, strings
from dashboard.auth import require
from dashboard.components.filter_bar import read_filters
from dashboard.context import app_context
from dashboard.data import analysis_settings, current_frames
from skills_roadmap.exceptions import SkillsRoadmapError
from skills_roadmap.reports import (
    ReportFormat,
    build_report,
    download_name,
    record_export,
    report_bytes,
)
from skills_roadmap.users import Permission

BUTTON = "report-download-button"  # pattern type: {"type": BUTTON, "format": <format>}
DOWNLOAD = "report-download"
MESSAGE = "report-download-message"


def _aria_label(label: str) -> dict[str, Any]:
    return {"aria-label": label}


def report_download() -> html.Section:
    """A heading, one button per format, and where the download and its messages appear."""
    buttons = [
        dbc.Button(
            strings.REPORT_FORMAT_LABELS[report_format.value],
            id={"type": BUTTON, "format": report_format.value},
            color="primary",
            outline=True,
            className="me-2 mb-2",
            title=strings.REPORT_FORMAT_HELP[report_format.value],
        )
        for report_format in ReportFormat
    ]
    return html.Section(
        [
            html.H2(strings.REPORT_DOWNLOAD_HEADING, className="h5"),
            html.Div(
                [
                    html.Div(buttons, role="group", **_aria_label(strings.REPORT_DOWNLOAD_GROUP)),
                    html.Div(  # a small box beside the buttons, where the spinner turns
                        dbc.Spinner(
                            dcc.Download(id=DOWNLOAD), size="sm", color="primary", delay_show=150
                        ),
                        className="position-relative mb-2 ms-2",
                        style={"width": "2rem", "height": "2rem"},
                    ),
                ],
                className="d-flex flex-wrap align-items-center",
            ),
            html.Div(id=MESSAGE, role="status"),
        ],
        className="report-download my-3",
        **_aria_label(strings.REPORT_DOWNLOAD_HEADING),
    )


@callback(
    Output(DOWNLOAD, "data"),
    Output(MESSAGE, "children"),
    Input({"type": BUTTON, "format": ALL}, "n_clicks"),
    State(ids.FILTERS, "data"),
    prevent_initial_call=True,
)
def download_report(clicks: list[int | None], data: dict[str, Any] | None) -> tuple[Any, Any]:
    """Build the clicked format's report of the selection and hand it to the browser."""
    triggered = dash.ctx.triggered_id
    if not isinstance(triggered, dict) or not any(clicks):
        raise PreventUpdate
    return prepare_download(str(triggered.get("format")), data)


def prepare_download(report_format_value: str, data: dict[str, Any] | None) -> tuple[Any, Any]:
    """The download (``dcc.send_bytes``) of the report in ``report_format_value`` of the
    selection held in ``data``, and the message to show beside the buttons.

    A problem the user can act on (no Chromium for the PDF, a filter naming something that
    no longer exists) is shown as one line and nothing is downloaded; a request the page's
    own controls cannot make is refused with 400. Every export is written to the audit log.
    """
    user = require(Permission.EXPORT)
    try:
        report_format = ReportFormat(report_format_value)
        filters = read_filters(data)
    except ValueError:
        abort(400)
    engine = app_context().engine
    try:
        frames = current_frames()
        content = build_report(
            engine,
            filters,
            analysis_settings(),
            frames=frames,
            reader=(user.name, user.permissions),
        )
        payload = report_bytes(content, report_format)
    except SkillsRoadmapError as error:
        return dash.no_update, dbc.Alert(str(error), color="warning", className="mt-2 py-2")
    record_export(engine, user.name, report_format, content, "dashboard")
    return dcc.send_bytes(payload, download_name(content, report_format)), None
