"""Response headers (CSP, caching) and the 4xx answers to requests no page can make."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterator
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine
from upload_helpers import configure

from dashboard import strings
from dashboard.app import create_app
from dashboard.headers import content_security_policy
from skills_roadmap.storage import get_engine

BASE = "http://127.0.0.1"
ROUTER = ".._pages_content.children..._pages_store.data.."


@pytest.fixture
def app(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[dash.Dash]:
    """The dashboard in local mode over an empty database."""
    configure(monkeypatch, engine, auth=False)
    yield create_app()
    get_engine.cache_clear()


@pytest.fixture
def client(app: dash.Dash) -> FlaskClient:
    return app.server.test_client()


def callback(client: FlaskClient, body: Any, content_type: str = "application/json") -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(
        "/_dash-update-component", data=data, content_type=content_type, base_url=BASE
    )


def route_to(path: str, **changes: Any) -> dict[str, Any]:
    """A request of the page router's callback, as the renderer sends it.

    The router, not a page's callback: Dash gives the pages' callbacks to the first app of
    the process that serves a request, and the router belongs to each app.
    """
    return {
        "output": ROUTER,
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": ""},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
        **changes,
    }


def policy(header: str) -> dict[str, list[str]]:
    directives = [part.split() for part in header.split("; ")]
    return {name: sources for name, *sources in directives}


def inline_scripts(page: str) -> list[str]:
    """The code of every inline script the browser runs: not the JSON config, nor the old
    Internet Explorer warning inside a conditional comment (a comment to every browser)."""
    page = re.sub(r"<!--.*?-->", "", page, flags=re.S)
    pattern = r'<script(?![^>]*\b(?:src|type="application/json"))[^>]*>(.*?)</script>'
    return re.findall(pattern, page, flags=re.S)


def test_the_policy_allows_this_sites_scripts_and_dash_inline_ones_only(
    app: dash.Dash, client: FlaskClient
) -> None:
    response = client.get("/", base_url=BASE)
    page = response.get_data(as_text=True)
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"
        for code in inline_scripts(page)
    ]
    assert len(hashes) >= 2  # the renderer's start-up line and the clientside callbacks
    assert policy(response.headers["Content-Security-Policy"]) == {
        "default-src": ["'self'"],
        "script-src": ["'self'", *app.csp_hashes()],
        "style-src": ["'self'", "'unsafe-inline'"],  # Plotly and the grid inject styles
        "img-src": ["'self'", "data:", "blob:"],  # icons; Plotly's PNG download
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
    assert sorted(hashes) == sorted(app.csp_hashes())


def test_content_security_policy_lists_the_hashes_after_self() -> None:
    assert policy(content_security_policy(["'sha256-a'", "'sha256-b'"]))["script-src"] == [
        "'self'",
        "'sha256-a'",
        "'sha256-b'",
    ]


@pytest.mark.parametrize(
    ("method", "path", "cache_control"),
    [
        ("GET", "/", "no-store"),  # a page
        ("GET", "/programmes", "no-store"),
        ("GET", "/_dash-layout", "no-store"),
        ("GET", "/healthz", "no-store"),
        ("POST", "/_dash-update-component", "no-store"),  # callback answers and downloads
        ("GET", "/api/template", "no-store"),
        ("GET", "/assets/style.css", "no-cache"),  # public files keep their own caching
        (
            "GET",
            "/_dash-component-suites/dash/dcc/dash_core_components.v1_0_0m1.js",  # fingerprinted
            "max-age=31536000",
        ),
    ],
)
def test_data_is_never_stored_in_a_cache_but_static_files_may_be(
    client: FlaskClient, method: str, path: str, cache_control: str
) -> None:
    if method == "POST":
        response = callback(client, route_to("/no-such-page"))
    else:
        response = client.get(path, base_url=BASE)
    assert response.status_code < 500
    assert response.headers.get("Cache-Control") == cache_control
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/nope/x.js",  # no such package
        "/_dash-component-suites/dash/nope.js",  # a package, no such file
        "/assets/nope.css",
        "/assets/topojson",  # a folder
    ],
)
def test_unknown_static_files_answer_404(client: FlaskClient, path: str) -> None:
    assert client.get(path, base_url=BASE).status_code == 404


def test_a_well_formed_callback_request_is_answered(client: FlaskClient) -> None:
    response = callback(client, route_to("/no-such-page"))
    assert response.status_code == 200
    assert response.get_json()["response"]["_pages_store"] == {
        "data": {"title": strings.NOT_FOUND_TITLE}
    }


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"not json", "application/json"),
        (b"not json", "text/plain"),
        (b"[]", "application/json"),  # JSON, not an object
        ({}, "application/json"),  # no output
        ({"output": 5}, "application/json"),
        (route_to("/", output="nope.children"), "application/json"),  # no such callback
        (route_to("/", inputs="x"), "application/json"),
        (route_to("/", inputs=[{"id": 1}]), "application/json"),  # no property
        (route_to("/", inputs=[]), "application/json"),  # fewer inputs than declared
        (route_to("/", state=[{"id": "a", "property": "b"}]), "application/json"),
        (route_to("/", changedPropIds="upload-pending.data"), "application/json"),
        (route_to("/", outputs="x"), "application/json"),
    ],
)
def test_a_malformed_callback_request_answers_400(
    client: FlaskClient, body: Any, content_type: str
) -> None:
    assert callback(client, body, content_type).status_code == 400


def test_a_clientside_callback_is_not_run_on_the_server(client: FlaskClient) -> None:
    title = {  # the pages' clientside callback that sets the document's title
        "output": "_pages_dummy.children",
        "outputs": {"id": "_pages_dummy", "property": "children"},
        "inputs": [{"id": "_pages_store", "property": "data", "value": {}}],
        "state": [],
    }
    assert callback(client, title).status_code == 400
