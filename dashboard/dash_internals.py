"""Every name of Dash's that is not its public API, in one place, each with why it is needed.

Dash may rename or reshape any of these in a minor release; pyproject.toml therefore bounds
Dash to the minor version the suite runs against. Before raising that bound, run the suite
on the new Dash and check each name below against its source (``dash/_pages.py``,
``dash/dash.py``, the routes ``Dash.init_app`` registers).

* :func:`path_to_page` and :func:`parse_query_string`: the router's own lookup of the page a
  path shows and its own parsing of the query string. The log-in gate must judge a path as
  the router will render it, and the first view must render the page exactly as the router
  would (``dash._pages._path_to_page``, ``dash._pages._parse_query_string``).
* :data:`ID_CONTENT`, :data:`ID_LOCATION`, :data:`ID_STORE`, :data:`ID_DUMMY`: the ids of the
  page container's components, which the router callback reads and fills. The first view
  builds the same container already holding the opened page, and the gate recognises the
  router callback by its output (``dash.dash._ID_*``).
* :data:`CALLBACK_RULE`, :data:`COMPONENT_SUITES_PREFIX`, :data:`FAVICON_RULE`: the routes Dash
  serves callbacks, component bundles and its favicon on, which the gate, the caching headers
  and the malformed-request check single out.
* :func:`declared_callback_arity`: the shape of ``Dash.callback_map``'s entries (a
  ``callback`` function, its ``inputs`` and ``state``), public as an attribute but not as a
  structure; the malformed-request check compares a request with it.

One more lives outside Python: ``assets/chart_card.js`` reads the renderer's configuration
from the ``_dash-config`` element.
"""

from __future__ import annotations

from typing import Any

import dash
from dash._pages import _parse_query_string, _path_to_page
from dash.dash import _ID_CONTENT, _ID_DUMMY, _ID_LOCATION, _ID_STORE

__all__ = [
    "CALLBACK_RULE",
    "COMPONENT_SUITES_PREFIX",
    "FAVICON_RULE",
    "ID_CONTENT",
    "ID_DUMMY",
    "ID_LOCATION",
    "ID_STORE",
    "declared_callback_arity",
    "parse_query_string",
    "path_to_page",
]

ID_CONTENT: str = _ID_CONTENT
ID_DUMMY: str = _ID_DUMMY
ID_LOCATION: str = _ID_LOCATION
ID_STORE: str = _ID_STORE

CALLBACK_RULE = "/_dash-update-component"
COMPONENT_SUITES_PREFIX = "/_dash-component-suites/"
FAVICON_RULE = "/_favicon.ico"


def path_to_page(path: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The registered page the router shows at ``path`` (relative to the app, as
    ``dash.strip_relative_path`` gives it) and its path variables; ``({}, {})`` for none."""
    page, variables = _path_to_page(path)
    return page or {}, variables or {}


def parse_query_string(search: str) -> dict[str, Any]:
    """A ``?a=1&b=2`` query string as the keyword arguments the router passes to a layout."""
    return dict(_parse_query_string(search))


def declared_callback_arity(app: dash.Dash, output: str) -> tuple[int, int] | None:
    """How many inputs and states ``app``'s server callback for ``output`` declares; None when
    it has no server callback for that output."""
    declared = app.callback_map.get(output)
    if declared is None or not callable(declared.get("callback")):
        return None
    return len(declared["inputs"]), len(declared["state"])
