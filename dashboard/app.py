"""The app factory: navbar, page container and the Flask server the pages run in."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import dash
import dash_bootstrap_components as dbc
import flask
from dash import Input, Output, State, dcc, html
from sqlalchemy import Engine

from dashboard import api, auth, context, language, malformed, read_api, strings
from dashboard.components.attributes import attributes
from dashboard.context import AppContext
from dashboard.data import FixedData, LiveData
from dashboard.first_view import page_container
from skills_roadmap.analysis import Frames
from skills_roadmap.i18n import DEFAULT_LANGUAGE, LANGUAGES, current_language, gettext
from skills_roadmap.settings import Settings, get_settings
from skills_roadmap.storage import get_engine

ASSETS = Path(__file__).with_name("assets")
NAVBAR_TOGGLER = "navbar-toggler"
NAVBAR_LINKS = "navbar-links"
LANGUAGE_MENU = "language-menu"
PAGE_MODULES = (
    "overview",
    "region",
    "cluster",
    "programmes",
    "eu_frames",
    "plan",
    "matrix",
    "upload",
    "reports",
    "periods",
    "audit",
    "not_found_404",
)


def session_control(user: auth.AuthUser | None) -> html.Div | html.Span:
    """The navbar's right end: the local-mode notice, or who is signed in and a log-out."""
    if user == auth.LOCAL_ACCOUNT:
        return html.Span(strings.LOCAL_MODE_NOTICE, className="navbar-text small text-light")
    if user is None:
        return html.Span()
    return html.Div(
        [
            html.Span(
                strings.SIGNED_IN_AS.format(name=user.name, role=user.role),
                className="navbar-text small text-light me-2",
            ),
            html.Form(
                html.Button(
                    strings.LOG_OUT, type="submit", className="btn btn-outline-light btn-sm"
                ),
                action=dash.get_relative_path(auth.LOGOUT_PATH),
                method="post",
                className="d-inline",
            ),
        ],
        className="d-flex align-items-center",
    )


def language_switch() -> dbc.DropdownMenu:
    """The navbar's language menu: each language named in itself, the current one marked."""
    shown = current_language() if current_language() in LANGUAGES else DEFAULT_LANGUAGE
    return dbc.DropdownMenu(
        [
            dbc.DropdownMenuItem(
                html.Span(name, lang=code),
                href=language.switch_path(code),
                external_link=True,
                active=current,
            )
            for code, name, current in language.choices()
        ],
        label=[
            html.Span(strings.LANGUAGE_MENU, className="visually-hidden"),
            html.Span(LANGUAGES[shown], lang=shown),
        ],
        nav=True,
        in_navbar=True,
        align_end=True,
        id=LANGUAGE_MENU,
        toggle_class_name="text-light",
        className="me-2",
    )


def navbar(user: auth.AuthUser | None) -> dbc.Navbar:
    """The top bar: a link per registered page that asks to be in it and ``user`` may open."""
    links = [
        dbc.NavItem(dbc.NavLink(gettext(page["name"]), href=page["relative_path"], active="exact"))
        for page in dash.page_registry.values()
        if page.get("in_navbar", False)
        and user is not None
        and user.may_any(auth.page_permissions(page))
    ]
    # Below Bootstrap's xl breakpoint (1200 px) the links and the session fold behind a
    # toggler, so a phone or a narrow laptop shows the page, not a block of wrapped links;
    # above it the links have a row of their own (style.css).
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(strings.APP_TITLE, href="/"),
                html.Button(
                    html.Span(className="navbar-toggler-icon"),
                    id=NAVBAR_TOGGLER,
                    n_clicks=0,
                    type="button",
                    className="navbar-toggler",
                    **attributes(
                        aria_label=strings.NAVBAR_TOGGLE,
                        aria_controls=NAVBAR_LINKS,
                        aria_expanded="false",
                    ),
                ),
                dbc.Collapse(
                    [
                        dbc.Nav(links, navbar=True, className="me-auto"),
                        html.Div(
                            [language_switch(), session_control(user)],
                            className="navbar-tools d-flex align-items-center",
                        ),
                    ],
                    id=NAVBAR_LINKS,
                    is_open=False,
                    navbar=True,
                ),
            ],
            fluid=True,
        ),
        color="primary",
        dark=True,
        expand="xl",
        className="mb-3",
    )


def shell() -> html.Div:
    """The frame around every page, built per request so the navbar fits who is signed in."""
    return html.Div(
        [
            html.A(strings.SKIP_TO_CONTENT, href="#main", className="visually-hidden-focusable"),
            dcc.Location(id="url", refresh="callback-nav"),
            navbar(auth.current_user_or_none()),
            html.Main(dbc.Container(page_container(), fluid=True), id="main", tabIndex="-1"),
        ]
    )


# Dash loads @babel/polyfill first for browsers older than 2017. Every browser this dashboard
# supports has those features natively, and the polyfill's stand-ins for native functions
# (String.prototype.trim among them) cost about 0.15 s of every page load. The one global
# Dash's lazy components still read from it, ``regeneratorRuntime``, is defined by
# dash-bootstrap-components' bundle.
POLYFILL_SCRIPT = re.compile(r'<script src="[^"]*/deps/polyfill@[^"]*"></script>\s*')


class Dashboard(dash.Dash):
    """Dash without the legacy-browser polyfill in its page, in the request's language."""

    def interpolate_index(
        self,
        metas: Any = "",
        title: Any = "",
        css: Any = "",
        config: Any = "",
        scripts: Any = "",
        app_entry: Any = "",
        favicon: Any = "",
        renderer: Any = "",
    ) -> Any:
        page = super().interpolate_index(
            metas=metas,
            title=title,
            css=css,
            config=config,
            scripts=POLYFILL_SCRIPT.sub("", scripts),
            app_entry=app_entry,
            favicon=favicon,
            renderer=renderer,
        )
        # Screen readers pick the voice from the page's language (WCAG 3.1.1).
        return page.replace("<html>", f'<html lang="{current_language()}">', 1)


def create_app(
    settings: Settings | None = None, engine: Engine | None = None, *, frames: Frames | None = None
) -> dash.Dash:
    """Build the Dash app; its Flask server is ``app.server``.

    The app serves from ``settings`` (default: the configured ones) and the database of
    ``engine`` (default: the configured one), its pages reading a snapshot of that database
    kept up to date (:class:`~dashboard.data.LiveData`), or, given ``frames``, these frames
    alone (the database then keeps only accounts, sessions and the audit log).

    Bootstrap's stylesheet and the map shapes are served from ``assets/``, and Dash serves its
    own JavaScript locally, so the dashboard works without internet access.

    Pages are imported here, after the app exists, as ordinary modules of this package, so the
    dashboard works the same from a source checkout and from ``pip install .``.
    """
    settings = settings or get_settings()
    engine = engine or get_engine(settings.effective_database_url)
    source = LiveData(engine, settings) if frames is None else FixedData(frames)
    app = Dashboard(
        "dashboard",
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        title=strings.APP_TITLE,
        suppress_callback_exceptions=True,
        serve_locally=True,
        health_endpoint="healthz",  # public: for the reverse proxy and the service manager
    )
    for name in PAGE_MODULES:
        module = importlib.import_module(f"dashboard.pages.{name}")
        # What Dash does for a pages folder: the module's `layout` becomes the page's layout.
        dash.page_registry[module.__name__]["layout"] = module.layout
    context.install(app.server, AppContext(settings, engine, source))
    # Before the gate: its refusals are translated too.
    language.install(app.server, settings, keep=auth.keep_language)
    auth.install(app, settings, engine)
    malformed.install(app)  # after the gate: the anonymous get 401 first
    app.server.register_blueprint(api.blueprint)  # uploads and templates for scripts
    app.server.register_blueprint(read_api.blueprint)  # the numbers, for portals and scripts
    app.layout = shell
    # The toggler opens and closes the folded navbar in the browser, without a round trip.
    app.clientside_callback(
        """function (clicks, open) {
            const now = clicks ? !open : open;
            return [now, now ? "true" : "false"];
        }""",
        Output(NAVBAR_LINKS, "is_open"),
        Output(NAVBAR_TOGGLER, "aria-expanded"),
        Input(NAVBAR_TOGGLER, "n_clicks"),
        State(NAVBAR_LINKS, "is_open"),
        prevent_initial_call=True,
    )
    return app


def create_wsgi_app() -> flask.Flask:
    """The dashboard's WSGI application (the Flask server of :func:`create_app`).

    What ``skills-roadmap serve --production`` hands to the process that serves: each worker
    process builds its own app (and with it its own database connections and data cache),
    and starts its own fork server for reading uploads.
    """
    from skills_roadmap.ingest.isolation import warm_up

    app = create_app()
    warm_up()
    return app.server
