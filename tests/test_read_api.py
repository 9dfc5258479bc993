"""The read API: answers that validate against its own OpenAPI document, behind the same
log-in and roles as the pages, with refusals a script can act on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from sqlalchemy import Engine
from upload_helpers import PASSWORD, add_accounts, configure
from upload_helpers import signed_in as sign_in

from dashboard.app import create_app
from dashboard.read_api import blueprint
from skills_roadmap import users
from skills_roadmap.storage import get_engine

ROLES = {"maria": "manager", "olga": "official", "ana": "analyst", "adam": "admin"}


@pytest.fixture
def app(network_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[dash.Dash]:
    """The dashboard with log-in on, with an account of every role."""
    configure(monkeypatch, network_engine, auth=True)
    add_accounts(network_engine)
    users.create_user(network_engine, "ana", "analyst", PASSWORD, by="test")
    users.create_user(network_engine, "adam", "admin", PASSWORD, by="test")
    yield create_app()
    get_engine.cache_clear()


def document(client: FlaskClient) -> dict[str, Any]:
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    return answer.get_json()


def validate(openapi: dict[str, Any], schema: str, instance: Any) -> None:
    """``instance`` against ``#/components/schemas/<schema>`` of ``openapi``."""
    root = {"$ref": f"#/components/schemas/{schema}", "components": openapi["components"]}
    Draft202012Validator(root).validate(instance)


def test_every_role_reads_every_route_and_nobody_signed_out_does(app: dash.Dash) -> None:
    routes = sorted(
        rule.rule
        for rule in app.server.url_map.iter_rules()
        if rule.endpoint.startswith("read_api.")
    )
    assert routes == [
        "/api/v1/attainment",
        "/api/v1/clusters",
        "/api/v1/openapi.json",
        "/api/v1/programmes",
        "/api/v1/progress",
        "/api/v1/regions",
        "/api/v1/summary",
    ]
    for name in ROLES:
        client = sign_in(app.server.test_client(), name)
        assert [client.get(route).status_code for route in routes] == [200] * 7, name
        assert client.get("/api/v1/progress?format=csv").status_code == 200, name
    anonymous = app.server.test_client()
    for route in routes:
        answer = anonymous.get(route)
        assert (answer.status_code, sorted(answer.get_json())) == (401, ["error"])


def test_a_disabled_account_is_refused_on_its_next_request(
    app: dash.Dash, network_engine: Engine
) -> None:
    client = sign_in(app.server.test_client(), "olga")
    assert client.get("/api/v1/summary").status_code == 200
    users.disable_user(network_engine, "olga", by="test")
    assert client.get("/api/v1/summary").status_code == 401


def test_the_document_names_exactly_the_routes_there_are(app: dash.Dash) -> None:
    openapi = document(sign_in(app.server.test_client(), "olga"))
    for schema in openapi["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    routes = {
        rule.rule
        for rule in app.server.url_map.iter_rules()
        if rule.endpoint.startswith(f"{blueprint.name}.") and not rule.rule.endswith(".json")
    }
    assert set(openapi["paths"]) == routes
    assert openapi["openapi"].startswith("3.1")


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?region=ES24",
        "?cluster=aragon-ai&level=basic",
        "?region=RO11&cluster=aragon-ai",
        "?region=ES24&funding=ESF%2B&as_of=2026-01",
        "?level=expert&delivery=online",
    ],
)
def test_summaries_validate_against_the_document(app: dash.Dash, query: str) -> None:
    client = sign_in(app.server.test_client(), "ana")
    answer = client.get("/api/v1/summary" + query)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    validate(document(client), "Summary", answer.get_json())


TABLES = {
    "attainment": "Attainment",
    "regions": "Regions",
    "clusters": "Clusters",
    "programmes": "Programmes",
    "progress": "Progress",
}


@pytest.mark.parametrize("route", TABLES)
@pytest.mark.parametrize(
    "query",
    [
        "",
        "?region=ES24",
        "?region=RO11&cluster=aragon-ai&level=basic",
        "?delivery=online&as_of=2026-01",
    ],
)
def test_every_table_validates_against_the_document(app: dash.Dash, route: str, query: str) -> None:
    client = sign_in(app.server.test_client(), "olga")
    answer = client.get(f"/api/v1/{route}{query}")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    validate(document(client), TABLES[route], answer.get_json())


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("?region=XX99", 404, "unknown region XX99: pick from those in the database"),
        ("?cluster=nowhere", 404, "unknown cluster nowhere: pick from those in the database"),
        ("?level=master", 400, "level: Input should be 'basic', 'intermediate' or 'expert'"),
        ("?as_of=2026-13", 400, "as_of: Value error, '2026-13' is not a month"),
        ("?regions=ES24", 400, "unknown parameter regions: use region, cluster, level"),
    ],
)
def test_refusals_say_which_parameter_and_validate_against_the_document(
    app: dash.Dash, query: str, status: int, message: str
) -> None:
    client = sign_in(app.server.test_client(), "olga")
    answer = client.get("/api/v1/summary" + query)
    assert answer.status_code == status
    assert answer.get_json()["error"].startswith(message)
    validate(document(client), "Error", answer.get_json())
