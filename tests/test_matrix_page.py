"""Clusters across regions on the pages: the Regions × clusters page, a region's list of the
clusters working there, the provider-helix filter and charts, and the network's facilities on
the overview, called as functions on a tiny hand-computed network. Only one of the three
programmes has reported 2025-03, so pages show 2025-02 (the latest complete month) unless
2025-03 is picked.

Cluster ``ai`` is based in Aragón (ES24) and also works in Nord-Vest (RO11); ``it`` is based in
Nord-Vest. RO11's basic target is 100 people completed from 2025.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dash
import pandas as pd
import pytest

from dashboard import auth, ids, strings
from dashboard.app import create_app, navbar
from dashboard.components import chart_card, filter_bar
from dashboard.url_state import parse_query, to_search
from skills_roadmap.analysis import Filters, Frames, build_frames


def network() -> Frames:
    return build_frames(
        regions=pd.DataFrame(
            {
                "region_code": ["ES24", "RO11"],
                "name": ["Aragón", "Nord-Vest"],
                "country": ["ES", "RO"],
            }
        ),
        clusters=pd.DataFrame(
            {
                "cluster_id": ["ai", "it"],
                "region_code": ["ES24", "RO11"],
                "name": ["AI Cluster", "IT Cluster"],
                "helix_roles": ["industry,academia", "industry"],
            }
        ),
        cluster_regions=pd.DataFrame({"cluster_id": ["ai"], "region_code": ["RO11"]}),
        programmes=pd.DataFrame(
            {
                "programme_id": ["p1", "p2", "p3"],
                "cluster_id": ["ai", "ai", "it"],
                "region_code": ["ES24", "RO11", "RO11"],
                "level": ["basic", "basic", "basic"],
                "provider_helix": ["industry", "academia", "academia"],
                "start": "2025-01-01",
                "end": "2026-12-31",
            }
        ),
        targets=pd.DataFrame(
            {
                "target_id": ["ro-basic"],
                "scope": ["region"],
                "scope_id": ["RO11"],
                "level": ["basic"],
                "deadline_year": [2027],
                "value": [100.0],
                "baseline_year": [2025],
            }
        ),
        progress=pd.DataFrame(
            {
                "programme_id": ["p1", "p2", "p3", "p3"],
                "period": ["2025-02", "2025-02", "2025-02", "2025-03"],
                "enrolled": [10, 20, 30, 10],
                "completed": [5, 6, 10, 4],
            }
        ),
        facilities=pd.DataFrame(
            {
                "facility_id": ["lab"],
                "name": ["Aragón AI Lab"],
                "kind": ["testing"],
                "region_code": ["ES24"],
                "status": ["operational"],
                "planned_open": ["2025-01-01"],
                "actual_open": ["2025-03-10"],
            }
        ),
    )


@pytest.fixture
def app() -> Iterator[dash.Dash]:
    application = create_app(frames=network())
    with application.server.test_request_context("/_dash-update-component", method="POST"):
        yield application


def store(**selection: Any) -> dict[str, Any]:
    return filter_bar.filters_data(Filters(**selection))


def text(component: Any) -> str:
    """All the text inside a Dash component tree."""
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(part for part in (text(child) for child in component) if part)
    return text(getattr(component, "children", None))


def links(component: Any) -> list[tuple[str, str]]:
    """Every link of a component tree: (text, address)."""
    return [
        (text(item.children), item.href)
        for item in component._traverse()
        if type(item).__name__ == "Link"
    ]


def by_id(component: Any, component_id: str | dict[str, str]) -> Any:
    return next(item for item in component._traverse() if getattr(item, "id", None) == component_id)


def payload_rows(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(zip(payload["columns"], row, strict=True)) for row in payload["rows"]]


@pytest.mark.usefixtures("app")
def test_the_matrix_page_is_in_the_navbar_and_its_table_links_regions_and_clusters() -> None:
    from dashboard.pages import matrix

    assert ("Regions × clusters", "/matrix") in [
        (item.children.children, item.children.href)
        for item in navbar(auth.LOCAL_ACCOUNT).children.children[2].children[0].children
    ]
    page = matrix.layout(level="basic")
    table = by_id(page, ids.MATRIX_TABLE)
    assert links(table) == [
        ("Aragón (ES24)", "/region/ES24?level=basic"),
        ("AI Cluster", "/cluster/ai?level=basic"),
        ("Nord-Vest (RO11)", "/region/RO11?level=basic"),
        ("IT Cluster", "/cluster/it?level=basic"),
        ("Nord-Vest (RO11)", "/region/RO11?level=basic"),
        ("AI Cluster", "/cluster/ai?level=basic"),
    ]
    # completed, then the contribution to RO11's basic target (none in ES24: no target)
    assert [text(row) for row in table._traverse() if type(row).__name__ == "Tr"][1:] == [
        "Aragón (ES24) AI Cluster 5",
        "Nord-Vest (RO11) IT Cluster 10 · 10.0%",
        "Nord-Vest (RO11) AI Cluster based in Aragón 6 · 6.0%",
    ]


@pytest.mark.usefixtures("app")
def test_the_matrix_chart_follows_the_selection_and_a_tile_opens_its_cluster() -> None:
    from dashboard.pages import matrix

    title, payload, figure = chart_card.REDRAWS[ids.MATRIX](
        store(regions=("RO11",), as_of="2025-03"), {}
    )
    assert title == strings.MATRIX_CHART_TITLE.format(level="Basic", pairs=2, regions=1, away=1)
    assert [
        (
            row["Cluster name"],
            row["Based in"],
            row["Completed"],
            row[strings.COLUMNS["contribution_pct"]],
        )
        for row in payload_rows(payload)
    ] == [("IT Cluster", "Nord-Vest", 14.0, 14.0), ("AI Cluster", "Aragón", 6.0, 6.0)]
    assert {trace.type for trace in figure.data} == {"scatter"}
    click = {"points": [{"customdata": ["ai", "AI Cluster · Nord-Vest", 6.0, 6.0]}]}
    assert matrix.open_cluster(click, store(levels=("basic",))) == "/cluster/ai?level=basic"
    assert matrix.open_cluster({"points": [{"customdata": ["nope"]}]}, store()) is dash.no_update


@pytest.mark.usefixtures("app")
def test_a_region_lists_every_cluster_working_there_with_its_people_per_level() -> None:
    from dashboard.pages import region

    page = region.layout(code="RO11")
    listing = by_id(page, ids.REGION_CLUSTERS_LIST)
    assert links(listing) == [("IT Cluster", "/cluster/it"), ("AI Cluster", "/cluster/ai")]
    assert [text(item) for item in listing._traverse() if type(item).__name__ == "Li"] == [
        "IT Cluster Basic 10 · Intermediate – · Expert –".replace("–", strings.NOT_AVAILABLE),
        "AI Cluster based in Aragón Basic 6 · Intermediate – · Expert –".replace(
            "–", strings.NOT_AVAILABLE
        ),
    ]
    title, payload, children = region.update_region_clusters(
        store(regions=("RO11",), as_of="2025-03", levels=("basic",)), {"regions": ["RO11"]}
    )
    assert title == strings.REGION_CLUSTERS_TITLE.format(count=2, region="Nord-Vest", away=1)
    assert payload["rows"] == [
        ["IT Cluster", "it", "Nord-Vest", 14.0],
        ["AI Cluster", "ai", "Aragón", 6.0],
    ]
    assert links(children) == [
        ("IT Cluster", "/cluster/it?level=basic&as_of=2025-03"),
        ("AI Cluster", "/cluster/ai?level=basic&as_of=2025-03"),
    ]


def test_the_helix_filter_is_kept_in_the_address_and_offers_the_helices_programmes_have() -> None:
    parsed = parse_query({"helix": ["academia", "government"]}, {"provider_helices": {"academia"}})
    assert parsed.filters == Filters(provider_helices=("academia",))
    assert parsed.problems == (
        strings.FILTER_MALFORMED.format(value="government", label="provider helix"),
    )
    assert (
        to_search(Filters(provider_helices=("public", "society"))) == "?helix=public&helix=society"
    )
    choices = filter_bar.filter_choices(network())
    assert choices.options["provider_helices"] == [
        {"label": "Industry", "value": "industry"},
        {"label": "Academia", "value": "academia"},
    ]


@pytest.mark.usefixtures("app")
def test_the_overview_shows_people_trained_by_provider_helix_and_clusters_partners() -> None:
    title, payload, _figure = chart_card.REDRAWS[ids.HELIX_TRAINED](store(as_of="2025-03"), {})
    # basic: industry 5, academia 6 + 14 = 20 of 25 completed
    assert title == strings.HELIX_TRAINED_TITLE.format(helix="Academia", share="80%", level="basic")
    assert payload["rows"] == [
        ["Industry", "Basic", 1, 10.0, 5.0, 20.0],
        ["Academia", "Basic", 2, 60.0, 20.0, 80.0],
    ]
    narrowed = chart_card.REDRAWS[ids.HELIX_TRAINED](
        store(provider_helices=("industry",), as_of="2025-03"), {}
    )
    assert narrowed[1]["rows"] == [["Industry", "Basic", 1, 10.0, 5.0, 100.0]]
    title, payload, _figure = chart_card.REDRAWS[ids.HELIX_PARTNERS](store(), {})
    assert title == strings.HELIX_PARTNERS_TITLE.format(count=2, total=2, role="industry")
    assert payload["rows"] == [
        ["Industry", 2, 100.0],
        ["Academia", 1, 50.0],
        ["Public sector", 0, 0.0],
        ["Society", 0, 0.0],
    ]


@pytest.mark.usefixtures("app")
def test_the_overview_shows_the_networks_facilities_as_of_the_month_shown() -> None:
    """The lab opened in 2025-03: as of 2025-02 it was still planned, a month overdue."""
    from dashboard.pages import overview

    assert by_id(
        overview.layout(as_of="2025-03"), ids.chart(ids.CHART_TITLE, ids.FACILITIES)
    ).children == (
        strings.FACILITIES_TITLE.format(operational=1, count=1) + strings.FACILITIES_NONE_OVERDUE
    )
    title, payload, _figure = chart_card.REDRAWS[ids.FACILITIES](store(), {})
    assert title.startswith(strings.FACILITIES_TITLE.format(operational=0, count=1))
    assert payload_rows(payload) == [
        {
            strings.COLUMNS["name"]: "Aragón AI Lab",
            strings.COLUMNS["kind"]: strings.FACILITY_KINDS["testing"],
            strings.COLUMNS["status"]: strings.FACILITY_STATUSES["planned"],
            strings.COLUMNS["planned_period"]: "Jan 2025",
            strings.COLUMNS["actual_period"]: None,
            strings.COLUMNS["slippage_months"]: 1.0,
            strings.COLUMNS["overdue"]: strings.YES,
        }
    ]
