"""The read API: answers that validate against its own OpenAPI document, behind the same
log-in and roles as the pages, with refusals a script can act on."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import dash
import pandas as pd
import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from sqlalchemy import Engine
from upload_helpers import PASSWORD, add_accounts, configure
from upload_helpers import signed_in as sign_in

from dashboard import read_api
from dashboard.app import create_app
from dashboard.context import app_context
from dashboard.read_api import blueprint
from skills_roadmap import users
from skills_roadmap.analysis import AnalysisSettings, Filters
from skills_roadmap.reports.data import report_content
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


@pytest.fixture
def demo_app(demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[dash.Dash]:
    """The dashboard on the demo network (progress and targets), log-in off: this computer."""
    configure(monkeypatch, demo_engine, auth=False)
    yield create_app()
    get_engine.cache_clear()


def all_pages(client: FlaskClient, route: str, query: str, size: int) -> list[dict[str, Any]]:
    """Every row of a paged route, page after page until one comes back empty."""
    rows: list[dict[str, Any]] = []
    for page in range(1, 10_000):
        answer = client.get(f"/api/v1/{route}?{query}&page={page}&size={size}").get_json()
        if not answer["rows"]:
            return rows
        rows += answer["rows"]
    raise AssertionError("no empty page")


@pytest.mark.parametrize("route", TABLES)
def test_tables_of_a_reported_network_validate_against_the_document(
    demo_app: dash.Dash, route: str
) -> None:
    client = demo_app.server.test_client()
    answer = client.get(f"/api/v1/{route}?size=1000")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert body["rows"] and body["as_of"] == app_context(demo_app.server).data.frames().as_of_period
    validate(document(client), TABLES[route], body)


def test_pages_cover_the_selection_once_and_a_page_past_the_end_is_empty(
    demo_app: dash.Dash,
) -> None:
    client = demo_app.server.test_client()
    total = len(app_context(demo_app.server).data.frames().programmes)
    first = client.get("/api/v1/programmes?size=7").get_json()
    last_page = -(-total // 7)
    last = client.get(f"/api/v1/programmes?size=7&page={last_page}").get_json()
    beyond = client.get(f"/api/v1/programmes?size=7&page={last_page + 1}").get_json()
    assert (first["page"], first["size"], first["total"], len(first["rows"])) == (1, 7, total, 7)
    assert (last["total"], len(last["rows"])) == (total, total - 7 * (last_page - 1))
    assert (beyond["page"], beyond["total"], beyond["rows"]) == (last_page + 1, total, [])
    ids = [row["programme_id"] for row in all_pages(client, "programmes", "", 500)]
    assert sorted(ids) == sorted(
        app_context(demo_app.server).data.frames().programmes["programme_id"].astype(str)
    )
    assert client.get("/api/v1/programmes").get_json()["size"] == 100


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("size=1001", "size: at most 1,000 rows a page, not 1,001; ask for the next pages"),
        ("page=0", "page: a whole number from 1, not '0'"),
        ("size=ten", "size: a whole number from 1, not 'ten'"),
    ],
)
@pytest.mark.parametrize("route", ["programmes", "progress"])
def test_a_page_too_large_or_malformed_is_refused_with_what_to_ask_instead(
    demo_app: dash.Dash, route: str, query: str, message: str
) -> None:
    answer = demo_app.server.test_client().get(f"/api/v1/{route}?{query}")
    assert answer.status_code == 400
    assert answer.get_json()["error"].startswith(message)


def test_the_progress_csv_holds_the_same_rows_as_the_pages(
    demo_app: dash.Dash, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read_api, "CSV_ROWS", 10)  # several slices, each with no header
    client = demo_app.server.test_client()
    cluster = str(app_context(demo_app.server).data.frames().programmes["cluster_id"].iloc[0])
    query = f"cluster={cluster}&level=basic"
    answer = client.get(f"/api/v1/progress?{query}&format=csv")
    as_of = app_context(demo_app.server).data.frames().as_of_period
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/csv")
    assert answer.headers["Content-Disposition"] == (
        f"attachment; filename=progress-{cluster}-basic-{as_of}.csv"
    )
    streamed = pd.read_csv(io.BytesIO(answer.data), dtype={"programme_id": str})
    paged = pd.DataFrame(all_pages(client, "progress", query, 7))
    # A column blank in every row (ESF+ bands nobody reported) is JSON nulls: no type to compare.
    paged = paged.astype({name: "float64" for name in paged if paged[name].isna().all()})
    assert len(paged) > 50 and list(streamed.columns) == list(paged.columns)
    pd.testing.assert_frame_equal(streamed, paged, check_dtype=False)
    assert streamed["certified"].isna().any()  # blank: not reported, never 0


def test_the_tables_are_the_reports_tables(demo_app: dash.Dash) -> None:
    client = demo_app.server.test_client()
    frames = app_context(demo_app.server).data.frames()
    region = str(frames.regions["region_code"].iloc[0])
    report = report_content(
        frames,
        Filters(regions=(region,)),
        AnalysisSettings.from_settings(app_context(demo_app.server).settings),
    )
    for route, table, key in [
        ("attainment", "attainment", "target_id"),
        ("clusters", "clusters", "cluster_id"),
        ("programmes", "programmes", "programme_id"),
    ]:
        answer = client.get(f"/api/v1/{route}?region={region}&size=1000").get_json()
        expected = report.table(table).frame
        got = pd.DataFrame(answer["rows"])
        assert got[key].tolist() == expected[key].astype(str).tolist(), route
        for column in ("achieved", "status", "completed", "capacity_use", "enrolled"):
            if column in expected:
                assert (
                    got[column].tolist()
                    == expected[column]
                    .astype(object)
                    .where(expected[column].notna(), None)
                    .tolist()
                ), (route, column)
