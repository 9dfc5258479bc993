"""The page the browser opened, rendered into the app's first layout.

Dash's page container starts empty: the browser loads the app's layout, then its address bar
component reports the path, and a router callback sends the page. That second round trip, and
the renderer's work on its answer, came before any chart could be drawn. The renderer asks for
the layout from the page itself, so the request's ``Referer`` names the page: the container is
built already holding that page, with the address bar component told the path it would
otherwise report (nothing changes on mount, so the router does not run). Later navigation goes
through the router as before.

Without a usable ``Referer`` (a browser that sends none, another site, a page the user may not
open) the container starts empty and the router renders the page as Dash always does: the
router's own gate then refuses what must be refused.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlsplit

import dash
import flask
from dash import dcc, html
from dash.exceptions import UnsupportedRelativePath

from dashboard import auth
from dashboard.dash_internals import (
    ID_CONTENT,
    ID_DUMMY,
    ID_LOCATION,
    ID_STORE,
    parse_query_string,
    path_to_page,
)
from skills_roadmap import palette


def _opened_page() -> tuple[str, str, dict[str, Any], dict[str, Any]] | None:
    """The path, query, registered page and path variables the request's ``Referer`` names,
    if it is a page of this site the current user may open."""
    referrer = flask.request.referrer
    parts = urlsplit(referrer or "")
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != flask.request.host.lower():
        return None
    try:
        page, variables = path_to_page(dash.strip_relative_path(parts.path) or "")
    except UnsupportedRelativePath:
        return None
    if not page:
        return None  # the router renders the "not found" page
    user = auth.current_user_or_none()
    if user is None or not user.may_any(auth.page_permissions(page)):
        return None
    return parts.path, f"?{parts.query}" if parts.query else "", page, variables


def page_container() -> html.Div:
    """Dash's page container (same ids, same router), holding the opened page if it can.

    While the router renders another page, the current one stays in view, dimmed, under a
    spinner: a page of a new region can take a moment to compute.
    """
    opened = _opened_page()
    location = dcc.Location(id=ID_LOCATION, refresh="callback-nav")
    content: Any = None
    store: dict[str, Any] | None = None
    if opened is not None:
        pathname, search, page, variables = opened
        layout, title = page["layout"], page["title"]
        content = layout(**variables, **parse_query_string(search)) if callable(layout) else layout
        store = {"title": title(**variables) if callable(title) else title}
        location = dcc.Location(
            id=ID_LOCATION, refresh="callback-nav", pathname=pathname, search=search
        )
    return html.Div(
        [
            location,
            dcc.Loading(
                html.Div(content, id=ID_CONTENT, disable_n_clicks=True),
                # Only the router's answer: charts show their own spinners.
                target_components=cast(Any, {ID_CONTENT: "children"}),
                delay_show=300,
                overlay_style={"visibility": "visible", "opacity": 0.5},
                type="dot",
                color=palette.ACCENT,
            ),
            dcc.Store(id=ID_STORE, data=store),
            html.Div(id=ID_DUMMY, disable_n_clicks=True),
        ]
    )
