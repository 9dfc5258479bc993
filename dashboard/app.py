"""The app factory: navbar, page container and the Flask server the pages run in."""

from __future__ import annotations

import importlib
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import strings

ASSETS = Path(__file__).with_name("assets")
PAGE_MODULES = ("overview", "not_found_404")


def navbar() -> dbc.Navbar:
    """The top bar, with one link per registered page that asks to be in it."""
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], active="exact"))
        for page in dash.page_registry.values()
        if page.get("in_navbar", False)
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(strings.APP_TITLE, href="/"),
                dbc.Nav(links, navbar=True, className="me-auto"),
                html.Span(strings.LOCAL_MODE_NOTICE, className="navbar-text small text-light"),
            ],
            fluid=True,
        ),
        color="primary",
        dark=True,
        className="mb-3",
    )


def create_app() -> dash.Dash:
    """Build the Dash app; its Flask server is ``app.server``.

    Bootstrap's stylesheet and the map shapes are served from ``assets/``, and Dash serves its
    own JavaScript locally, so the dashboard works without internet access.

    Pages are imported here, after the app exists, as ordinary modules of this package, so the
    dashboard works the same from a source checkout and from ``pip install .``.
    """
    app = dash.Dash(
        "dashboard",
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        title=strings.APP_TITLE,
        suppress_callback_exceptions=True,
        serve_locally=True,
    )
    for name in PAGE_MODULES:
        importlib.import_module(f"dashboard.pages.{name}")
    app.layout = html.Div(
        [
            dcc.Location(id="url", refresh="callback-nav"),
            navbar(),
            html.Main(dbc.Container(dash.page_container, fluid=True), id="main"),
        ]
    )
    return app
