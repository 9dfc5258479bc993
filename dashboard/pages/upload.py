"""Upload (programme managers' progress sheets, administrators' network workbooks): the template,
a drag-and-drop upload, the dry-run report, Confirm or Cancel, the sheet with its problems
marked, and the user's own uploads.

The page opens for whoever may upload some kind of sheet (``ingest.UPLOAD_PERMISSIONS``); what
they may upload is judged per sheet kind on the server, in the dry run and again at Confirm.

Nothing is stored until Confirm, and Confirm stores exactly the bytes that were checked: they
wait on the server under a random token (never the uploaded file's name), readable only by the
user who uploaded them, until they are confirmed, cancelled or a day old. Each user has at most
``upload_pending_per_user`` of them waiting: checking one more forgets the oldest, so nobody can
fill the disk with checks they never confirm.

They wait as files under ``data_dir``, so every server process of a deployment that shares the
data folder (``serve --workers``, or several servers on one machine) can confirm a check that
another process made; a rename claims the file, so exactly one Confirm stores it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import secrets
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path, PurePath
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboard import strings
from dashboard.api import check_upload, store_upload, template_choice, template_file_name
from dashboard.auth import AuthUser, current_user_or_none, deny, require, require_any
from dashboard.components.formats import month_words
from dashboard.components.grid import grid_columns, grid_rows, table_grid
from dashboard.components.late import still_due_section
from dashboard.components.month_states import month_states_section
from dashboard.components.upload_report import commit_message, report_view
from dashboard.context import app_context
from dashboard.data import current_frames, stored_uploads
from skills_roadmap import ingest
from skills_roadmap.exceptions import (
    PermissionDeniedError,
    SkillsRoadmapError,
    UnreadableFileError,
)
from skills_roadmap.i18n import current_language
from skills_roadmap.ingest import UPLOAD_PERMISSIONS, DryRunReport, SheetKind, may_upload
from skills_roadmap.ingest.isolation import ParseState, parse_listener
from skills_roadmap.users import Permission

dash.register_page(
    __name__,
    path="/upload",
    name=strings.UPLOAD_NAME,
    title=f"{strings.UPLOAD_NAME} · {strings.APP_TITLE}",
    order=80,
    in_navbar=True,
    permission=sorted(permission.value for permission in UPLOAD_PERMISSIONS),
)

TEMPLATE_CLUSTER = "upload-template-cluster"
TEMPLATE_BUTTON = "upload-template-button"
TEMPLATE_DOWNLOAD = "upload-template-download"
TEMPLATE_MESSAGE = "upload-template-message"
TEMPLATE_MONTH = "upload-template-month"
TEMPLATE_INSTEAD = "upload-template-instead"
NETWORK_TEMPLATE_BUTTON = "upload-network-template-button"
NETWORK_TEMPLATE_DOWNLOAD = "upload-network-template-download"
DROP = "upload-drop"
CHECKING = "upload-checking"
CHECKING_TEXT = "upload-checking-text"
COMMITTING_TEXT = "upload-committing-text"
TICKET = "upload-ticket"
POLL = "upload-poll"
REPORT = "upload-report"
REPORT_HEADING = "upload-report-heading"
ACTIONS = "upload-actions"
CONFIRM = "upload-confirm"
CANCEL = "upload-cancel"
COMMITTING = "upload-committing"
ANNOTATED = "upload-annotated"
ANNOTATED_DOWNLOAD = "upload-annotated-download"
RESULT = "upload-result"
PENDING = "upload-pending"
COMMITTED = "upload-committed"
HISTORY = "upload-history"
HISTORY_EMPTY = "upload-history-empty"

ACCEPTED = ".xlsx,.xlsm,.xlsb,.xls,.ods,.csv"
POLL_MS = 500  # how often the page asks whether its file still waits to be read
PENDING_LIFETIME = timedelta(days=1)
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32}")
PENDING_PARTS = (".json", ".upload", ".claimed", ".xlsx")
ALL_CLUSTERS = "*"  # the picker's "All clusters" (an empty value would show as no choice)


# ---------------------------------------------------------------------------------------------
# Checked uploads waiting for Confirm: files named by a random token under data_dir.


def pending_folder() -> Path:
    """Where checked uploads wait for Confirm or Cancel: ``data_dir/uploads/pending``."""
    return app_context().settings.data_dir / "uploads" / "pending"


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temporary, path)


def _sweep(folder: Path) -> None:
    """Forget checked uploads nobody confirmed or cancelled within ``PENDING_LIFETIME``."""
    oldest = time.time() - PENDING_LIFETIME.total_seconds()
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < oldest:
                path.unlink()
        except FileNotFoundError:  # another request swept it first
            continue


def _forget(token: str) -> None:
    folder = pending_folder()
    for suffix in PENDING_PARTS:
        (folder / f"{token}{suffix}").unlink(missing_ok=True)


def _waiting_of(folder: Path, user_name: str) -> list[str]:
    """The tokens of ``user_name``'s checked uploads waiting for Confirm, oldest first."""
    waiting: list[tuple[float, str]] = []
    for path in folder.glob("*.json"):
        try:
            described = json.loads(path.read_text("utf-8"))
            if isinstance(described, dict) and described.get("user") == user_name:
                waiting.append((path.stat().st_mtime, path.stem))
        except (FileNotFoundError, ValueError):  # confirmed or swept meanwhile; half-written
            continue
    return [token for _, token in sorted(waiting)]


def _make_room(folder: Path, user_name: str) -> None:
    """Forget ``user_name``'s oldest checked uploads so that one more fits the limit."""
    waiting = _waiting_of(folder, user_name)
    for token in waiting[
        : max(len(waiting) - app_context().settings.upload_pending_per_user + 1, 0)
    ]:
        _forget(token)


def has_problems(report: DryRunReport) -> bool:
    """Whether the report has errors or warnings to mark in the sheet."""
    return report.error_count + report.warning_count > 0


def keep_pending(user: AuthUser, data: bytes, report: DryRunReport) -> str:
    """Keep the checked bytes (and, when it has problems, the marked-up sheet) for Confirm,
    forgetting the user's oldest checks beyond ``upload_pending_per_user``.

    Returns:
        the random token the page keeps; the description file is written last, so a token
        whose description exists is complete.
    """
    folder = pending_folder()
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    _make_room(folder, user.name)
    token = secrets.token_urlsafe(24)
    marked = has_problems(report)
    if marked:
        _write_atomically(folder / f"{token}.xlsx", ingest.annotated_workbook(data, report))
    _write_atomically(folder / f"{token}.upload", data)
    description = {
        "user": user.name,
        "file_name": report.file_name,
        "sha256": report.sha256,
        "marked": marked,
    }
    _write_atomically(folder / f"{token}.json", json.dumps(description).encode())
    return token


def _description(user: AuthUser, token: object) -> dict[str, Any] | None:
    """What was kept under ``token``; None when it is gone. A malformed token, or one of
    another user's uploads, can only be forged: 403, audited."""
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        deny(user, "malformed upload token")
    try:
        description: dict[str, Any] = json.loads(
            (pending_folder() / f"{token}.json").read_text("utf-8")
        )
    except FileNotFoundError:
        return None
    if description.get("user") != user.name:
        deny(user, "upload token of another user")
    return description


def take_pending(user: AuthUser, token: object) -> tuple[bytes, str] | None:
    """The checked bytes and file name under ``token``, forgotten at once; None when gone.

    Of two requests confirming the same token (a double click) exactly one gets the bytes:
    the file is renamed before it is read, and a rename happens once.
    """
    description = _description(user, token)
    if description is None:
        return None
    folder = pending_folder()
    claimed = folder / f"{token}.claimed"
    try:
        os.rename(folder / f"{token}.upload", claimed)
    except FileNotFoundError:
        return None
    data = claimed.read_bytes()
    _forget(str(token))
    if hashlib.sha256(data).hexdigest() != description["sha256"]:
        return None
    return data, str(description["file_name"])


def drop_pending(user: AuthUser, token: object) -> None:
    """Forget the checked upload under ``token`` (Cancel)."""
    if _description(user, token) is not None:
        _forget(str(token))


def marked_pending(user: AuthUser, token: object) -> tuple[bytes, str] | None:
    """The marked-up sheet of the checked upload under ``token`` and its download name."""
    description = _description(user, token)
    if description is None or not description.get("marked"):
        return None
    try:
        data = (pending_folder() / f"{token}.xlsx").read_bytes()
    except FileNotFoundError:
        return None
    stem = PurePath(str(description["file_name"])).stem or "upload"
    return data, f"{stem}-problems.xlsx"


# ---------------------------------------------------------------------------------------------
# Whether a page's file waits for other uploads to be read (``Settings.parse_concurrency``).
# Kept in this process: the page polls the process that reads its file.

_parse_states: dict[tuple[str, str], ParseState] = {}
_parse_states_lock = threading.Lock()


@contextmanager
def parse_status(user: AuthUser, ticket: object) -> Iterator[None]:
    """Record, for the page holding ``ticket``, whether its file waits or is being read."""
    if not isinstance(ticket, str) or not TOKEN_PATTERN.fullmatch(ticket):
        yield
        return
    key = (user.name, ticket)

    def record(state: ParseState) -> None:
        with _parse_states_lock:
            _parse_states[key] = state

    try:
        with parse_listener(record):
            yield
    finally:
        with _parse_states_lock:
            _parse_states.pop(key, None)


def parse_state(user: AuthUser, ticket: object) -> ParseState | None:
    """Where the file of the page holding ``ticket`` is; None when no file of it is read."""
    with _parse_states_lock:
        return _parse_states.get((user.name, str(ticket)))


def decode_contents(contents: str) -> bytes:
    """The bytes of a ``dcc.Upload`` data URL (``data:<type>;base64,<data>``).

    Raises:
        UnreadableFileError: the browser sent something that is not such a URL.
    """
    _, _, payload = contents.partition(",")
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise UnreadableFileError(strings.UPLOAD_NOT_BASE64) from None


# ---------------------------------------------------------------------------------------------
# Layout.


def cluster_options(user: AuthUser | None) -> list[dict[str, str]]:
    """The clusters whose template ``user`` may download, by name; without a limit (local
    mode) "All clusters" first."""
    if user is None:
        return []
    clusters = current_frames().clusters
    allowed = user.manager_clusters
    if allowed is not None:
        clusters = clusters[clusters["cluster_id"].astype(str).isin(allowed)]
    options = [
        {"label": str(name), "value": str(cluster_id)}
        for cluster_id, name in clusters.sort_values("name")[["cluster_id", "name"]].itertuples(
            index=False
        )
    ]
    if allowed is None:
        options.insert(0, {"label": strings.UPLOAD_TEMPLATE_ALL, "value": ALL_CLUSTERS})
    return options


def may_upload_progress(user: AuthUser | None) -> bool:
    """Whether ``user`` may upload Progress sheets (programme managers, the local user)."""
    return user is not None and may_upload(user.permissions, SheetKind.PROGRESS)


def may_upload_network(user: AuthUser | None) -> bool:
    """Whether ``user`` may upload network workbooks (administrators, the local user)."""
    return user is not None and may_upload(user.permissions, SheetKind.NETWORK)


def progress_template_part(user: AuthUser | None) -> html.Div:
    """The progress template of a cluster (the user's own; any in local mode) for a month:
    by default the month after the cluster's last report (set when the cluster is chosen)."""
    options = cluster_options(user)
    return html.Div(
        [
            html.P(strings.UPLOAD_TEMPLATE_TEXT),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label(strings.UPLOAD_TEMPLATE_CLUSTER, html_for=TEMPLATE_CLUSTER),
                            dbc.Select(
                                id=TEMPLATE_CLUSTER,
                                options=options,
                                value=options[0]["value"] if options else None,
                            ),
                        ],
                        md=5,
                    ),
                    dbc.Col(
                        [
                            dbc.Label(strings.UPLOAD_TEMPLATE_MONTH, html_for=TEMPLATE_MONTH),
                            # A browser without a month picker shows a text box: YYYY-MM.
                            dbc.Input(
                                id=TEMPLATE_MONTH,
                                type="month",
                                max=f"{date.today():%Y-%m}",
                                placeholder="YYYY-MM",
                            ),
                        ],
                        xs=7,
                        md=3,
                    ),
                    dbc.Col(
                        dbc.Button(
                            strings.UPLOAD_TEMPLATE_BUTTON,
                            id=TEMPLATE_BUTTON,
                            color="primary",
                            outline=True,
                        ),
                        md="auto",
                        className="align-self-end mt-2",
                    ),
                ]
            ),
            html.Div(id=TEMPLATE_MESSAGE, className="mt-2"),
            html.Button(
                id=TEMPLATE_INSTEAD,
                type="button",
                className="btn btn-primary",
                hidden=True,
            ),
            dcc.Download(id=TEMPLATE_DOWNLOAD),
        ]
    )


def network_template_part(*, with_heading: bool) -> html.Div:
    """What an administrator may upload (the network workbook's sheets) and its empty template."""
    sheets = ", ".join(contract.sheet_name for contract in ingest.NETWORK_CONTRACTS)
    return html.Div(
        [
            html.H3(strings.UPLOAD_NETWORK_HEADING, className="h6 mt-3") if with_heading else None,
            html.P(strings.UPLOAD_NETWORK_TEXT.format(sheets=sheets)),
            dbc.Button(
                strings.UPLOAD_NETWORK_BUTTON,
                id=NETWORK_TEMPLATE_BUTTON,
                color="primary",
                outline=True,
            ),
            dcc.Download(id=NETWORK_TEMPLATE_DOWNLOAD),
        ]
    )


def template_section(user: AuthUser | None) -> html.Section:
    """Step 1: what the user may upload and its template: a cluster's progress template for
    managers, the empty network workbook for administrators (both in local mode)."""
    progress, network = may_upload_progress(user), may_upload_network(user)
    heading = strings.UPLOAD_STEP_TEMPLATE if progress else strings.UPLOAD_STEP_NETWORK_TEMPLATE
    return html.Section(
        [
            html.H2(heading, className="h5"),
            progress_template_part(user) if progress else None,
            network_template_part(with_heading=progress) if network else None,
        ],
        className="mb-4",
    )


def drop_text(user: AuthUser | None) -> str:
    """What the drop zone asks for: the user's progress sheet, network workbook, or either."""
    progress, network = may_upload_progress(user), may_upload_network(user)
    if progress and network:
        return strings.UPLOAD_DROP_ANY
    return strings.UPLOAD_DROP_NETWORK if network else strings.UPLOAD_DROP


def upload_section(user: AuthUser | None) -> html.Section:
    """Step 2: the drop zone, and what shows while the sheet is read and checked."""
    max_bytes = app_context().settings.upload_max_bytes
    return html.Section(
        [
            html.H2(strings.UPLOAD_STEP_FILE, className="h5"),
            # The label names dcc.Upload's (keyboard-focusable) file input for screen readers,
            # and opens the file dialog when clicked, so the drop zone's own click is off.
            html.Label(
                dcc.Upload(
                    html.Div(
                        [
                            html.Div(drop_text(user), className="fw-semibold"),
                            html.Div(
                                strings.UPLOAD_DROP_HINT.format(
                                    size=f"{max_bytes / 2**20:,.0f} MB"
                                ),
                                className="small text-body-secondary",
                            ),
                        ]
                    ),
                    id=DROP,
                    accept=ACCEPTED,
                    max_size=max_bytes,
                    multiple=False,
                    disable_click=True,
                    className="border border-2 rounded-3 p-4 text-center bg-body-tertiary",
                    style={"borderStyle": "dashed", "cursor": "pointer"},
                ),
                className="d-block",
            ),
            html.Div(
                [dbc.Spinner(size="sm"), " ", html.Span(strings.UPLOAD_CHECKING, id=CHECKING_TEXT)],
                id=CHECKING,
                hidden=True,
                role="status",
                className="mt-2",
            ),
        ],
        className="mb-4",
    )


def actions() -> html.Div:
    """Confirm, Cancel and the marked-up sheet: shown while a checked upload waits."""
    return html.Div(
        [
            dbc.Button(strings.UPLOAD_CONFIRM, id=CONFIRM, color="success", className="me-2"),
            dbc.Button(strings.UPLOAD_CANCEL, id=CANCEL, color="secondary", className="me-2"),
            html.Div(
                [
                    dbc.Spinner(size="sm"),
                    " ",
                    html.Span(strings.UPLOAD_COMMITTING, id=COMMITTING_TEXT),
                ],
                id=COMMITTING,
                hidden=True,
                role="status",
                className="mt-2",
            ),
        ],
        id=ACTIONS,
        hidden=True,
        className="mb-3",
    )


def report_section() -> html.Section:
    """Step 3: the report, under its heading and the download of the sheet with its problems
    marked, at the top where a manager with errors looks first (not below a long table)."""
    return html.Section(
        [
            html.H2(strings.UPLOAD_STEP_REPORT, id=REPORT_HEADING, className="h5", hidden=True),
            html.Button(
                strings.UPLOAD_ANNOTATED,
                id=ANNOTATED,
                type="button",
                className="btn btn-outline-primary mb-2",
                hidden=True,
            ),
            dcc.Download(id=ANNOTATED_DOWNLOAD),
            html.Div(id=REPORT),
        ]
    )


def layout(**_query: str) -> html.Div:
    """The upload page of the signed-in user (the gate has checked that they may upload some
    kind of sheet): a manager's progress, an administrator's network workbook."""
    user = current_user_or_none()
    progress = may_upload_progress(user)
    return html.Div(
        [
            dcc.Store(id=PENDING),
            dcc.Store(id=COMMITTED),
            # Names this page to the server while its file is read, so it can ask whether the
            # file still waits for other uploads.
            dcc.Store(id=TICKET, data=secrets.token_urlsafe(24)),
            dcc.Interval(id=POLL, interval=POLL_MS, disabled=True),
            html.H1(
                strings.UPLOAD_TITLE if progress else strings.UPLOAD_NETWORK_TITLE, className="h2"
            ),
            html.P(
                strings.UPLOAD_INTRO if progress else strings.UPLOAD_NETWORK_INTRO, className="lead"
            ),
            still_due_section() if progress else None,
            template_section(user),
            upload_section(user),
            report_section(),
            actions(),
            html.Div(id=RESULT, role="status"),  # a status region is announced politely
            month_states_section(current_user_or_none()),
            html.Section(
                [
                    html.H2(strings.UPLOAD_HISTORY_HEADING, className="h5 mt-4"),
                    html.P(strings.UPLOAD_HISTORY_EMPTY, id=HISTORY_EMPTY, hidden=True),
                    table_grid(HISTORY, height=320),
                ]
            ),
        ]
    )


# ---------------------------------------------------------------------------------------------
# Callbacks.


def _alert(text: str, colour: str) -> dbc.Alert:
    return dbc.Alert(text, color=colour, className="mt-2")


def _token(pending: object) -> object:
    return pending.get("token") if isinstance(pending, dict) else pending


@callback(
    Output(REPORT, "children"),
    Output(PENDING, "data"),
    Output(RESULT, "children"),
    Output(DROP, "contents"),
    Input(DROP, "contents"),
    State(DROP, "filename"),
    State(PENDING, "data"),
    State(TICKET, "data"),
    running=[
        (Output(CHECKING, "hidden"), False, True),
        (Output(DROP, "disabled"), True, False),
        (Output(POLL, "disabled"), False, True),
    ],
    prevent_initial_call=True,
)
def check_sheet(
    contents: str | None,
    file_name: str | None,
    pending: dict[str, Any] | None,
    ticket: str | None = None,
) -> tuple[Any, ...]:
    """Dry-run the dropped sheet and keep its bytes for Confirm; an earlier check is dropped."""
    user = require_any(UPLOAD_PERMISSIONS)
    if not contents:
        return dash.no_update, dash.no_update, dash.no_update, dash.no_update
    if pending:
        drop_pending(user, _token(pending))
    try:
        data = decode_contents(contents)
        with parse_status(user, ticket):
            report = check_upload(user, data, file_name or "upload")
    except UnreadableFileError as error:
        return [], None, _alert(strings.UPLOAD_UNREADABLE.format(reason=error), "danger"), None
    except PermissionDeniedError as error:
        return [], None, _alert(strings.UPLOAD_REFUSED.format(reason=error), "danger"), None
    with parse_status(user, ticket):  # the marked-up sheet is read again
        token = keep_pending(user, data, report)
    pending = {
        "token": token,
        "ok": report.ok,
        "marked": has_problems(report),
    }
    return [report_view(report, programme_names())], pending, None, None


@callback(
    Output(CHECKING_TEXT, "children"),
    Output(COMMITTING_TEXT, "children"),
    Input(POLL, "n_intervals"),
    State(TICKET, "data"),
    prevent_initial_call=True,
)
def show_parse_state(_n_intervals: int | None, ticket: str | None) -> tuple[str, str]:
    """While a file is checked or stored: say so, or that it waits for other uploads first."""
    user = require_any(UPLOAD_PERMISSIONS)
    if parse_state(user, ticket) is ParseState.QUEUED:
        return strings.UPLOAD_QUEUED, strings.UPLOAD_QUEUED
    return strings.UPLOAD_CHECKING, strings.UPLOAD_COMMITTING


def programme_names() -> dict[str, str]:
    """Every programme's name by its ID, for the report's problems."""
    programmes = current_frames().programmes
    return dict(zip(programmes["programme_id"].astype(str), programmes["name"], strict=True))


@callback(Output(REPORT_HEADING, "hidden"), Input(PENDING, "data"))
def show_report_heading(pending: dict[str, Any] | None) -> bool:
    """The report's step heading, while a checked upload waits."""
    return not isinstance(pending, dict)


@callback(
    Output(ACTIONS, "hidden"),
    Output(CONFIRM, "disabled"),
    Output(ANNOTATED, "hidden"),
    Input(PENDING, "data"),
)
def show_actions(pending: dict[str, Any] | None) -> tuple[bool, bool, bool]:
    """Confirm only for a check without errors; the marked-up sheet only when it has problems.

    The browser's copy of the check decides what is shown, never what is stored: Confirm
    checks the sheet again on the server.
    """
    if not isinstance(pending, dict):
        return True, True, True
    return False, not pending.get("ok"), not pending.get("marked", True)


@callback(
    Output(RESULT, "children", allow_duplicate=True),
    Output(PENDING, "data", allow_duplicate=True),
    Output(REPORT, "children", allow_duplicate=True),
    Output(COMMITTED, "data"),
    Input(CONFIRM, "n_clicks"),
    State(PENDING, "data"),
    State(TICKET, "data"),
    running=[
        (Output(COMMITTING, "hidden"), False, True),
        (Output(CONFIRM, "disabled"), True, False),
        (Output(POLL, "disabled"), False, True),
    ],
    prevent_initial_call=True,
)
def confirm(
    n_clicks: int | None, pending: dict[str, Any] | None, ticket: str | None = None
) -> tuple[Any, ...]:
    """Store exactly the checked bytes (checked once more against the data as it is now)."""
    user = require_any(UPLOAD_PERMISSIONS)
    if not n_clicks or not pending:
        return dash.no_update, dash.no_update, dash.no_update, dash.no_update
    kept = take_pending(user, _token(pending))
    if kept is None:
        return _alert(strings.UPLOAD_EXPIRED, "warning"), None, [], dash.no_update
    data, file_name = kept
    try:
        with parse_status(user, ticket):
            result = store_upload(user, data, file_name)
    except (UnreadableFileError, PermissionDeniedError) as error:
        return _alert(str(error), "danger"), None, [], dash.no_update
    return commit_message(result), None, [], result.upload_id


@callback(
    Output(RESULT, "children", allow_duplicate=True),
    Output(PENDING, "data", allow_duplicate=True),
    Output(REPORT, "children", allow_duplicate=True),
    Input(CANCEL, "n_clicks"),
    State(PENDING, "data"),
    prevent_initial_call=True,
)
def cancel(n_clicks: int | None, pending: dict[str, Any] | None) -> tuple[Any, ...]:
    """Forget the checked upload: nothing is stored."""
    user = require_any(UPLOAD_PERMISSIONS)
    if not n_clicks or not pending:
        return dash.no_update, dash.no_update, dash.no_update
    drop_pending(user, _token(pending))
    return _alert(strings.UPLOAD_CANCELLED, "secondary"), None, []


@callback(
    Output(ANNOTATED_DOWNLOAD, "data"),
    Input(ANNOTATED, "n_clicks"),
    State(PENDING, "data"),
    prevent_initial_call=True,
)
def download_marked(n_clicks: int | None, pending: dict[str, Any] | None) -> Any:
    """The uploaded sheet with error cells red, warning cells yellow and a Problems sheet."""
    user = require_any(UPLOAD_PERMISSIONS)
    marked = marked_pending(user, _token(pending)) if n_clicks and pending else None
    if marked is None:
        return dash.no_update
    data, name = marked
    return dcc.send_bytes(data, name)


def _chosen_cluster(cluster_id: str | None) -> str | None:
    return None if cluster_id == ALL_CLUSTERS else cluster_id


@callback(
    Output(TEMPLATE_MONTH, "value"),
    Input(TEMPLATE_CLUSTER, "value"),
)
def default_template_month(cluster_id: str | None) -> Any:
    """The month after the chosen cluster's last report (not the calendar month: at month's
    end a manager reports the month that has just ended)."""
    user = require(Permission.UPLOAD)
    try:
        return template_choice(user, _chosen_cluster(cluster_id), None).period
    except SkillsRoadmapError:  # no cluster to choose from: the download says why
        return dash.no_update


def template_outputs(user: AuthUser, cluster_id: str | None, month: str | None) -> tuple[Any, ...]:
    """The template download, the message, and the offer of another month: an empty template
    is not sent; the page says why and offers the month the cluster's programmes run in."""
    try:
        chosen = template_choice(user, _chosen_cluster(cluster_id), month)
    except SkillsRoadmapError as error:
        return dash.no_update, _alert(str(error), "warning"), True, None, None
    if chosen.empty:
        offer = chosen.instead
        label = strings.UPLOAD_TEMPLATE_INSTEAD.format(month=month_words(offer)) if offer else None
        return dash.no_update, _alert(chosen.empty_reason() or "", "info"), not offer, label, offer
    data = ingest.template_workbook(chosen, current_language())  # in the user's language
    name = template_file_name(chosen.cluster_id, period=chosen.period)
    return dcc.send_bytes(data, name), None, True, None, None


@callback(
    Output(TEMPLATE_DOWNLOAD, "data"),
    Output(TEMPLATE_MESSAGE, "children"),
    Output(TEMPLATE_INSTEAD, "hidden"),
    Output(TEMPLATE_INSTEAD, "children"),
    Output(TEMPLATE_INSTEAD, "value"),
    Input(TEMPLATE_BUTTON, "n_clicks"),
    State(TEMPLATE_CLUSTER, "value"),
    State(TEMPLATE_MONTH, "value"),
    prevent_initial_call=True,
)
def download_template(
    n_clicks: int | None, cluster_id: str | None, month: str | None = None
) -> tuple[Any, ...]:
    """The chosen month's template for the chosen cluster (only the user's own clusters)."""
    user = require(Permission.UPLOAD)
    if not n_clicks:
        return (dash.no_update,) * 5
    return template_outputs(user, cluster_id, month)


@callback(
    Output(TEMPLATE_DOWNLOAD, "data", allow_duplicate=True),
    Output(TEMPLATE_MESSAGE, "children", allow_duplicate=True),
    Output(TEMPLATE_INSTEAD, "hidden", allow_duplicate=True),
    Output(TEMPLATE_INSTEAD, "children", allow_duplicate=True),
    Output(TEMPLATE_INSTEAD, "value", allow_duplicate=True),
    Output(TEMPLATE_MONTH, "value", allow_duplicate=True),
    Input(TEMPLATE_INSTEAD, "n_clicks"),
    State(TEMPLATE_CLUSTER, "value"),
    State(TEMPLATE_INSTEAD, "value"),
    prevent_initial_call=True,
)
def download_instead(
    n_clicks: int | None, cluster_id: str | None, month: str | None
) -> tuple[Any, ...]:
    """The template of the month offered instead of an empty one; the picker shows it."""
    user = require(Permission.UPLOAD)
    if not n_clicks or not month:
        return (dash.no_update,) * 6
    return (*template_outputs(user, cluster_id, month), month)


@callback(
    Output(NETWORK_TEMPLATE_DOWNLOAD, "data"),
    Input(NETWORK_TEMPLATE_BUTTON, "n_clicks"),
    prevent_initial_call=True,
)
def download_network_template(n_clicks: int | None) -> Any:
    """The empty network workbook (as ``skills-roadmap template --kind network`` writes it)."""
    require(ingest.permission_for(SheetKind.NETWORK))
    if not n_clicks:
        return dash.no_update
    return dcc.send_bytes(ingest.network_template(), strings.UPLOAD_NETWORK_FILE_NAME)


def history_table(user_name: str) -> pd.DataFrame:
    """``user_name``'s uploads, newest first, with labelled columns and outcomes in words."""
    uploads = stored_uploads()
    mine = uploads[uploads["uploaded_by"] == user_name]
    table = mine[list(strings.UPLOAD_HISTORY_COLUMNS)].assign(
        uploaded_at=mine["uploaded_at"].dt.strftime("%Y-%m-%d %H:%M"),
        kind=mine["kind"].map(lambda kind: strings.UPLOAD_KINDS.get(kind, kind)),
        outcome=mine["outcome"].map(lambda outcome: strings.UPLOAD_OUTCOMES.get(outcome, outcome)),
    )
    return table.rename(columns=strings.UPLOAD_HISTORY_COLUMNS).reset_index(drop=True)


@callback(
    Output(HISTORY, "rowData"),
    Output(HISTORY, "columnDefs"),
    Output(HISTORY_EMPTY, "hidden"),
    Input(COMMITTED, "data"),
)
def show_history(_committed: int | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]], bool]:
    """The signed-in user's uploads; refreshed after each Confirm."""
    user = require_any(UPLOAD_PERMISSIONS)
    table = history_table(user.name)
    return grid_rows(table), grid_columns(table), not table.empty
