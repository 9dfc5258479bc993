"""The page shown for an address that matches no page."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import strings

dash.register_page(
    __name__, path="/404", name=strings.NOT_FOUND_TITLE, title=strings.NOT_FOUND_TITLE
)


def layout(**_query: str) -> html.Div:
    return html.Div(
        [
            html.H1(strings.NOT_FOUND_TITLE),
            html.P(strings.NOT_FOUND_TEXT),
            dbc.Button(strings.BACK_HOME, href="/", color="primary"),
        ]
    )
