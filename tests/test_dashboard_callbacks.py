"""The dashboard's callbacks called as functions on a tiny, hand-computed network.

Two regions: Alpha (AA11) runs two basic programmes in two clusters, Beta (BB22) one expert
programme and one basic programme that has never reported. Everything is as of 2025-01.

Trajectories run straight from 0 in January 2024 to the target in December 2027: 47 months,
so in January 2025 (12 months in) a target T expects T × 12/47.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pandas as pd
import pytest
from dash import html
from plotly.utils import PlotlyJSONEncoder

from dashboard import ids, strings, url_state
from dashboard.app import create_app
from dashboard.components import chart_card, filter_bar, grid, kpi
from dashboard.figures.base import empty_chart
from dashboard.url_state import parse_query, parse_search, to_search
from skills_roadmap.analysis import Filters, Frames, build_frames
from skills_roadmap.analysis.tables import programme_table
from skills_roadmap.i18n import PSEUDO_LANGUAGE, use_language
from skills_roadmap.settings import get_settings
from skills_roadmap.status_words import NO_STATUS_LEGEND

REGIONS = pd.DataFrame(
    {
        "region_code": ["AA11", "BB22"],
        "name": ["Alpha", "Beta"],
        "country": ["ES", "RO"],
        "lat": [40.0, 46.0],
        "lon": [-1.0, 24.0],
    }
)
CLUSTERS = pd.DataFrame(
    {
        "cluster_id": ["c1", "c2", "c3"],
        "region_code": ["AA11", "AA11", "BB22"],
        "name": ["One", "Two", "=Three"],  # a name a spreadsheet would run as a formula
    }
)
PROGRAMMES = pd.DataFrame(
    {
        "programme_id": ["p1", "p2", "p3", "p4"],
        "name": ["Literacy", "GenAI for SMEs", "Fellowship", "Late starter"],
        "cluster_id": ["c1", "c2", "c3", "c3"],
        "region_code": ["AA11", "AA11", "BB22", "BB22"],
        "level": ["basic", "basic", "expert", "basic"],
        "start": ["2024-01-01", "2024-01-01", "2024-01-01", "2024-11-01"],
        "end": ["2027-12-31"] * 4,
        "delivery_mode": ["online", "blended", "in-person", "online"],
        "capacity": [100.0, 80.0, 20.0, 10.0],
        "budget_eur": [10_000.0, 5_000.0, 8_000.0, 2_000.0],
        "funding_source": ["ESF+", "ERDF", "ESF+", "ESF+"],
    }
)
PROGRESS = pd.DataFrame(
    [
        # programme, period, enrolled, completed, certified, dropped out, women, spend
        ("p1", "2025-01", 40, 30, 10.0, 2.0, 20.0, 2_000.0),
        ("p2", "2025-01", 20, 10, None, None, 5.0, 1_000.0),
        ("p3", "2025-01", 5, 4, None, None, 1.0, 3_000.0),
    ],
    columns=[
        "programme_id",
        "period",
        "enrolled",
        "completed",
        "certified",
        "dropped_out",
        "women",
        "spend_eur",
    ],
)
TARGETS = pd.DataFrame(
    {
        "target_id": ["net-basic", "aa-basic", "bb-expert", "c1-basic"],
        "scope": ["network", "region", "region", "cluster"],
        "scope_id": [None, "AA11", "BB22", "c1"],
        "level": ["basic", "basic", "expert", "basic"],
        "deadline_year": [2027] * 4,
        "value": [200.0, 150.0, 20.0, 80.0],
        "baseline_year": [2024] * 4,
    }
)
FACILITIES = pd.DataFrame(
    {
        "facility_id": ["f1", "f2"],
        "name": ["Alpha Lab", "Beta Test Bed"],
        "kind": ["demonstration", "testing"],
        "region_code": ["AA11", "BB22"],
        "cluster_id": ["c1", None],
        "status": ["operational", "planned"],
        "planned_open": ["2024-06-01", "2024-10-01"],
        "actual_open": ["2024-09-15", None],
    }
)


@pytest.fixture(scope="module")
def frames() -> Frames:
    return build_frames(
        regions=REGIONS,
        clusters=CLUSTERS,
        programmes=PROGRAMMES,
        targets=TARGETS,
        progress=PROGRESS,
        facilities=FACILITIES,
    )


@pytest.fixture
def app(frames: Frames) -> Iterator[dash.Dash]:
    """The dashboard (local mode) built around the tiny network instead of a database."""
    application = create_app(frames=frames)
    with application.server.test_request_context("/_dash-update-component", method="POST"):
        yield application


def store(**selection: Any) -> dict[str, Any]:
    """The selection store's data for ``Filters(**selection)``."""
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


def kpis(selection: dict[str, Any]) -> dict[str, list[Any]]:
    """The headline cards' outputs per level: number, words after it, details, class."""
    values = kpi.update_kpis(selection)
    levels = list(strings.LEVEL_LABELS)
    return {
        level: [values[part * 3 + index] for part in range(4)] for index, level in enumerate(levels)
    }


@pytest.mark.usefixtures("app")
def test_headline_cards_show_the_network_target_when_nothing_is_selected() -> None:
    cards = kpis(store())

    number, words, details, card_class = cards["basic"]
    assert (number, words) == ("20%", "of the 2027 target")  # 40 of 200
    assert text(details) == (
        "40 of 200 people (completed) Trajectory expects 51 by now ✖ Off track"  # 200×12/47
    )
    assert card_class == "kpi-card status-off_track"  # 40 / 51.1 = 0.78 < 0.80
    assert cards["intermediate"][0] == strings.NOT_AVAILABLE
    assert text(cards["intermediate"][2]) == strings.NO_TARGET


@pytest.mark.parametrize(
    ("selection", "level", "expected"),
    [
        ({"regions": ("AA11",)}, "basic", ["27%", "40 of 150 people (completed)", "on_track"]),
        ({"regions": ("BB22",)}, "expert", ["20%", "4 of 20 people (completed)", "off_track"]),
        # Two regions: the sum of achieved over the sum of targets, never an average.
        (
            {"regions": ("AA11", "BB22")},
            "basic",
            ["27%", "40 of 150 people (completed)", "on_track"],
        ),
    ],
)
@pytest.mark.usefixtures("app")
def test_headline_cards_follow_the_selected_regions(
    selection: dict[str, Any], level: str, expected: list[str]
) -> None:
    number, _words, details, card_class = kpis(store(**selection))[level]

    assert [number, text(details[0]), card_class.removeprefix("kpi-card status-")] == expected


@pytest.mark.usefixtures("app")
def test_headline_cards_say_when_a_level_is_not_selected() -> None:
    cards = kpis(store(levels=("expert",)))

    assert cards["basic"][0] == strings.NOT_AVAILABLE
    assert text(cards["basic"][2]) == strings.KPI_NOT_SELECTED


@pytest.mark.usefixtures("app")
def test_a_cluster_shows_its_own_target_else_its_part_of_its_home_regions() -> None:
    one = kpis(store(clusters=("c1",)))
    two = kpis(store(clusters=("c2",)))
    three = kpis(store(clusters=("c3",)))

    assert one["basic"][:2] == ["38%", "of the 2027 target"]  # 30 of its own 80
    # c2 has no target: its 10 people are its part of AA11's 150, with no status of its own.
    assert two["basic"][:2] == ["7%", "of the 2027 target, from this part"]
    assert text(two["basic"][2]) == f"10 of 150 people (completed) {strings.KPI_PART}"
    assert two["basic"][3] == "kpi-card status-none"
    # c3 runs all of BB22's expert programmes: the region's whole target, with its status.
    assert three["expert"][:2] == ["20%", "of the 2027 target"]
    assert three["expert"][3] == "kpi-card status-off_track"


@pytest.mark.usefixtures("app")
def test_forecasts_name_the_run_rate_needed() -> None:
    basic, intermediate, _expert = kpi.update_forecasts(store())

    # 40 people in the six months to January 2025: 160 to go at 40/6 a month takes 24 months.
    assert basic == strings.KPI_FORECAST_ON_TIME.format(period="January 2027")
    assert intermediate == ""


@pytest.mark.parametrize(
    ("chart", "title"),
    [
        (ids.FUNNEL, "Basic: 67% of enrolled people completed, 5% dropped out"),
        (ids.MONEY, "24% of the €25,000 budget spent; lowest absorption: ERDF (20%)"),
        (
            ids.INCLUSION,
            "Women are 40% of participants, 10 points below the goal (goal 50%)",
        ),
        (
            ids.COMPLETENESS,
            "1 of 4 programmes have not reported January 2025; the latest is 3 months behind",
        ),
        (
            ids.FACILITIES,
            "1 of 2 facilities operational; 1 overdue, the latest by 3 months",
        ),
    ],
)
@pytest.mark.usefixtures("app")
def test_section_charts_state_their_finding(chart: str, title: str) -> None:
    shown_title, payload, figure = chart_card.REDRAWS[chart](store(), {})

    assert shown_title == title
    assert payload["title"] == title
    assert figure.data  # something is drawn


@pytest.mark.usefixtures("app")
def test_the_funnel_keeps_exactly_the_numbers_it_draws() -> None:
    _title, payload, figure = chart_card.REDRAWS[ids.FUNNEL](store(), {})

    assert payload["columns"][:5] == [
        strings.COLUMNS[key]
        for key in ("level", "enrolled", "completed", "certified", "dropped_out")
    ]
    assert [row[:5] for row in payload["rows"]] == [
        ["Basic", 60, 40, 10.0, 2.0],
        ["Expert", 5, 4, None, None],
    ]
    drawn = [[None if pd.isna(value) else value for value in trace.y] for trace in figure.data]
    assert drawn == [[60, 5], [40, 4], [10.0, None], [2.0, None]]


@pytest.mark.parametrize(
    ("chart", "selection", "title"),
    [
        # Beta runs basic and expert programmes: the level is what matches nothing.
        (
            ids.FUNNEL,
            {"regions": ("BB22",), "levels": ("intermediate",)},
            "No progress reported at intermediate level in Beta matches these filters: "
            "clear the level intermediate",
        ),
        # Alpha's ERDF programme is blended and its online one ESF+: either filter alone shows
        # a programme.
        (
            ids.MONEY,
            {"regions": ("AA11",), "funding_sources": ("ERDF",), "delivery_modes": ("online",)},
            "No programme budgets in Alpha match these filters: "
            "clear the funding source ERDF or the delivery mode online",
        ),
        # Alpha first reported in 2025-01.
        (
            ids.CONTRIBUTION,
            {"regions": ("AA11",), "as_of": "2024-12"},
            "No clusters have trained anyone in Alpha with these filters: "
            "clear the month December 2024",
        ),
    ],
)
@pytest.mark.usefixtures("app")
def test_an_empty_chart_names_the_filter_to_clear(
    chart: str, selection: dict[str, Any], title: str
) -> None:
    shown_title, payload, _figure = chart_card.REDRAWS[chart](store(**selection), {})

    assert shown_title == title
    assert payload["rows"] == [[title]]


@pytest.mark.usefixtures("app")
def test_the_trend_reaches_the_headline_attainment() -> None:
    title, payload, _figure = chart_card.REDRAWS[ids.TREND](store(regions=("AA11",)), {})

    assert title == "Basic: 27% of the 2027 target, 1 point ahead of the trajectory"  # 40 vs 38.3
    last = [row for row in payload["rows"] if row[1] == "Jan 2025"][0]
    # The trajectory's 150 * 12 / 47 = 38.3 people, whole in the table.
    assert last == ["Basic", "Jan 2025", 150.0, 40.0, 38.0, 26.7, 25.5]


@pytest.mark.usefixtures("app")
def test_the_contribution_marks_who_carries_the_region() -> None:
    title, payload, _figure = chart_card.REDRAWS[ids.CONTRIBUTION](store(regions=("AA11",)), {})

    # One has 75% of the completions, so both are needed to reach 80%. Who lags is judged on
    # basic, the level with targets: One against its own target (80 × 12/47 = 20.4 expected,
    # 30 done); Two, without one, against its share of Alpha's 150 × 12/47 = 38.3 expected,
    # by its 80 of the 180 places: 17.0 expected, 10 done.
    assert title == (
        "2 of 2 clusters carry 80% of the people completed; "
        "Two lags most (59% of its expected share of the target)"
    )
    assert [row[:4] for row in payload["rows"]] == [
        ["One", "c1", 30.0, 75.0],
        ["Two", "c2", 10.0, 25.0],
    ]


@pytest.mark.usefixtures("app")
def test_the_map_counts_regions_by_status_and_keeps_their_codes_for_a_click() -> None:

    title, payload, figure = chart_card.REDRAWS[ids.MAP](store(), {})

    assert title == "Basic: 1 of 1 regions on track (1 without a target)"
    assert {trace.name: list(trace.customdata) for trace in figure.data} == {
        "✔ On track": ["AA11"],
        NO_STATUS_LEGEND: ["BB22"],
    }
    assert [row[:2] for row in payload["rows"]] == [["Alpha", "AA11"], ["Beta", "BB22"]]


@pytest.mark.parametrize(
    ("content", "drawn"),
    [
        # Eurostat's NUTS_ID names the region; a region the file lacks is left out.
        (
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"NUTS_ID": code}, "geometry": None}
                    for code in ("AA11", "ZZ99")
                ],
            },
            {"choropleth": ["AA11"], "scattergeo": ["BB22"]},  # Beta has no shape: a marker
        ),
        # A file that is not GeoJSON: the map falls back to markers, it does not fail.
        ("not json", {"scattergeo": ["AA11", "BB22"]}),
    ],
)
def test_a_configured_nuts_geojson_draws_regions_as_shapes(
    content: object, drawn: dict[str, list[str]], tmp_path: Path, frames: Frames
) -> None:
    path = tmp_path / "nuts2.geojson"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    settings = get_settings().model_copy(update={"nuts_geojson": path})

    application = create_app(settings, frames=frames)
    with application.server.test_request_context("/_dash-update-component", method="POST"):
        _title, _payload, figure = chart_card.REDRAWS[ids.MAP](store(), {})

    shown: dict[str, list[str]] = {}
    for trace in figure.data:
        places = trace.locations if trace.type == "choropleth" else trace.customdata
        shown.setdefault(trace.type, []).extend(places)
    assert shown == drawn
    if "choropleth" in drawn:
        assert [feature["id"] for feature in figure.data[0].geojson["features"]] == ["AA11"]


@pytest.mark.usefixtures("app")
def test_selecting_a_region_on_the_map_opens_it_with_the_rest_of_the_selection() -> None:
    from dashboard.pages import overview

    click = {"points": [{"customdata": "BB22"}]}

    assert overview.open_region(click, store(regions=("AA11",), levels=("basic",))) == (
        "/region/BB22?level=basic"
    )
    assert overview.open_region(None, store()) is dash.no_update


@pytest.mark.parametrize(
    ("selection", "title"),
    [
        # Network basic 200 against Alpha's 150 (Beta has no basic target).
        ({}, "Basic: the regions' targets fall 50 people short of the network's 2027 target"),
        # A network-wide comparison: a region filter does not narrow it.
        (
            {"regions": ("BB22",), "levels": ("basic",)},
            "Basic: the regions' targets fall 50 people short of the network's 2027 target",
        ),
        ({"levels": ("expert",)}, strings.AMBITION_NO_NETWORK),
    ],
)
@pytest.mark.usefixtures("app")
def test_the_ambition_gap_compares_the_regions_with_the_network(
    selection: dict[str, Any], title: str
) -> None:

    assert chart_card.REDRAWS[ids.AMBITION](store(**selection), {})[0] == title


def by_id(component: Any, component_id: str) -> Any:
    """The component of ``component``'s tree with the id ``component_id``."""
    return next(item for item in component._traverse() if getattr(item, "id", None) == component_id)


@pytest.mark.parametrize(
    ("as_of", "month"),
    [
        (None, "January 2025"),  # the latest month
        ("2024-06", "June 2024"),  # a month picked in the filter bar
    ],
)
@pytest.mark.usefixtures("app")
def test_the_region_and_cluster_subtitles_name_the_month_shown(
    as_of: str | None, month: str
) -> None:
    from dashboard.pages import cluster, region

    region_subtitle = region.update_subtitle(
        store(regions=("AA11",), as_of=as_of), {"regions": ["AA11"]}
    )
    cluster_subtitle = cluster.update_subtitle(
        store(clusters=("c1",), as_of=as_of), {"clusters": ["c1"]}
    )

    assert (region_subtitle, cluster_subtitle) == (
        f"ES · as of {month}. Is the region on track, and who carries it?",
        f"Cluster based in Alpha, working in Alpha · as of {month}.",
    )


@pytest.mark.usefixtures("app")
def test_the_region_and_cluster_pages_first_show_the_subtitle_their_callbacks_update() -> None:
    from dashboard.pages import cluster, region

    shown = (
        by_id(region.layout(code="AA11"), ids.REGION_SUBTITLE).children,
        by_id(cluster.layout(cluster="c1"), ids.CLUSTER_SUBTITLE).children,
    )

    assert shown == (
        region.update_subtitle(store(regions=("AA11",)), {"regions": ["AA11"]}),
        cluster.update_subtitle(store(clusters=("c1",)), {"clusters": ["c1"]}),
    )
    assert shown[0] == "ES · as of January 2025. Is the region on track, and who carries it?"


def links_of(component: Any) -> list[tuple[str, str]]:
    """Every link in a component tree, as (text, address)."""
    links = [item for item in component._traverse() if isinstance(item, dash.dcc.Link)]
    return [(str(link.children), str(link.to_plotly_json()["props"]["href"])) for link in links]


@pytest.mark.usefixtures("app")
def test_the_league_table_links_each_region_to_its_page_problems_first() -> None:
    from dashboard.pages import overview

    title, _payload, table, sort, *_show_all = overview.update_league(store(as_of="2025-01"))

    assert title == "Alpha: 27% of its basic target"  # Beta has no basic target
    assert sort == {"column": None, "descending": False}  # the chart's order: problems first
    assert links_of(table)[0] == ("Alpha", "/region/AA11?as_of=2025-01")


@pytest.mark.usefixtures("app")
def test_a_region_page_links_every_cluster_its_contribution_chart_shows() -> None:
    from dashboard.components import sections
    from dashboard.pages import region

    nav = by_id(region.layout(code="AA11", as_of="2025-01"), ids.CLUSTER_LINKS)
    _title, payload, _figure = chart_card.REDRAWS[ids.CONTRIBUTION](
        store(regions=("AA11",), as_of="2025-01"), {"regions": ["AA11"]}
    )

    shown = [(row[0], f"/cluster/{row[1]}?as_of=2025-01") for row in payload["rows"]]
    assert len(shown) == 2  # both of its clusters
    assert (payload["columns"][:2], links_of(nav)) == (["Name", "ID"], shown)
    assert sections.update_cluster_links(store(clusters=("c1",)), {"clusters": ["c1"]}) == []


@pytest.mark.usefixtures("app")
def test_the_league_shows_its_first_regions_and_all_of_them_on_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dashboard.pages import overview

    monkeypatch.setattr(overview, "LEAGUE_ROWS_SHOWN", 1)
    card = overview.league_card(Filters())
    button = next(item for item in card._traverse() if getattr(item, "id", None) == ids.LEAGUE_ALL)
    shown = next(item for item in card._traverse() if getattr(item, "id", None) == ids.LEAGUE_TABLE)

    assert [name for name, _href in links_of(shown)] == ["Alpha"]
    assert (button.children, button.hidden) == ("Show all 2 regions", False)
    assert button.to_plotly_json()["props"]["aria-expanded"] == "false"

    table, sort, label, expanded, hidden = overview.rearranged(
        Filters(), overview.league_sort(Filters()), False, ids.LEAGUE_ALL
    )
    assert [name for name, _href in links_of(table)] == ["Alpha", "Beta"]
    assert (sort, label, expanded, hidden) == (
        {"column": None, "descending": False},
        "Show the first 1",
        "true",
        False,
    )

    ascending = {"type": ids.SORT, "table": ids.LEAGUE_TABLE, "column": "Name"}
    table, sort, *_button = overview.rearranged(Filters(), sort, True, ascending)
    assert sort == {"column": "Name", "descending": True}
    assert [name for name, _href in links_of(table)] == ["Beta", "Alpha"]  # all still shown


@pytest.mark.usefixtures("app")
def test_a_league_that_fits_has_no_show_all_button() -> None:
    from dashboard.pages import overview

    card = overview.league_card(Filters())
    button = next(item for item in card._traverse() if getattr(item, "id", None) == ids.LEAGUE_ALL)

    shown = next(item for item in card._traverse() if getattr(item, "id", None) == ids.LEAGUE_TABLE)

    assert button.hidden is True
    assert len(links_of(shown)) == 2


@pytest.mark.usefixtures("app")
def test_a_card_title_links_the_regions_and_clusters_it_names() -> None:
    from dashboard.pages import overview

    card = overview.league_card(Filters())
    title = next(
        item
        for item in card._traverse()
        if getattr(item, "id", None) == ids.chart(ids.CHART_TITLE, ids.LEAGUE)
    )
    _title, payload, _figure = chart_card.REDRAWS[ids.CONTRIBUTION](store(regions=("AA11",)), {})

    assert links_of(title) == [("Alpha", "/region/AA11")]
    assert [getattr(part, "children", part) for part in title.children] == [
        "Alpha",
        ": 27% of its basic target",
    ]
    # A redraw sends the title's parts with the numbers; the browser makes the links.
    assert payload["title_parts"] == [
        ["2 of 2 clusters carry 80% of the people completed; ", None],
        ["Two", "/cluster/c2"],
        [" lags most (59% of its expected share of the target)", None],
    ]
    assert chart_card.title_parts("Nobody named", ["Name"], [["Alpha"]]) == [("Nobody named", None)]


def first_view(app: dash.Dash, referrer: str | None) -> dict[str, Any]:
    """The page container of the app's first layout, asked for from the page ``referrer``."""
    from dashboard.first_view import page_container

    headers = {"Referer": referrer} if referrer else {}
    with app.server.test_request_context("/_dash-layout", headers=headers):
        return json.loads(json.dumps(page_container(), cls=PlotlyJSONEncoder))


def props_of(tree: Any, component_id: Any) -> dict[str, Any]:
    """The props of the component ``component_id`` in a layout as JSON."""
    if isinstance(tree, dict):
        props = tree.get("props", {})
        if props.get("id") == component_id:
            return dict(props)
        for value in props.values():
            found = props_of(value, component_id)
            if found:
                return found
    if isinstance(tree, list):
        for item in tree:
            found = props_of(item, component_id)
            if found:
                return found
    return {}


def test_the_first_layout_holds_the_opened_page_with_its_charts_drawn(app: dash.Dash) -> None:
    container = first_view(app, "http://localhost/?level=basic")

    location = props_of(container, "_pages_location")
    assert (location["pathname"], location["search"]) == ("/", "?level=basic")
    title, payload, figure = chart_card.REDRAWS[ids.MAP](store(levels=("basic",)), {})
    assert props_of(container, ids.chart(ids.CHART_TITLE, ids.MAP))["children"] == title
    assert props_of(container, ids.chart(ids.CHART_DATA, ids.MAP))["data"] == payload
    graph = props_of(container, ids.chart(ids.CHART_GRAPH, ids.MAP))
    assert len(graph["figure"]["data"]) == len(figure.data)
    assert props_of(container, ids.FILTERS)["data"] == store(levels=("basic",))
    assert props_of(container, "_pages_store")["data"] == {"title": strings.APP_TITLE}


@pytest.mark.parametrize(
    "referrer",
    [None, "https://elsewhere.example/?level=basic", "http://localhost/no/such/page"],
)
def test_without_a_page_of_this_site_the_router_renders_the_page(
    app: dash.Dash, referrer: str | None
) -> None:
    container = first_view(app, referrer)

    assert "pathname" not in props_of(container, "_pages_location")
    assert props_of(container, "_pages_content").get("children") is None


def test_the_page_loads_no_legacy_browser_polyfill(app: dash.Dash) -> None:
    index = app.server.test_client().get("/").get_data(as_text=True)

    assert "dash_renderer" in index
    assert "polyfill" not in index


def test_a_sorted_table_puts_blanks_last_and_a_second_click_turns_the_order() -> None:
    from dashboard.components import sorted_table

    table = pd.DataFrame({"Name": ["a", "b", "c"], "Share (%)": [5.0, None, 9.0]})
    first = sorted_table.next_sort(None, "Share (%)")
    second = sorted_table.next_sort(first, "Share (%)")

    assert sorted_table.sort_rows(table, first)["Name"].tolist() == ["c", "a", "b"]
    assert sorted_table.sort_rows(table, second)["Name"].tolist() == ["a", "c", "b"]
    rendered = sorted_table.sorted_table("t", "Title", table, second)
    headers = [item for item in rendered._traverse() if isinstance(item, html.Th)]
    assert [header.to_plotly_json()["props"]["aria-sort"] for header in headers] == [
        "none",
        "ascending",
    ]


@pytest.mark.usefixtures("app")
def test_the_programmes_grid_serves_one_sorted_filtered_block() -> None:
    from dashboard.pages import programmes

    request = {
        "startRow": 0,
        "endRow": 2,
        "sortModel": [{"colId": "completed", "sort": "desc"}],
        "filterModel": {"level": {"filterType": "text", "type": "equals", "filter": "basic"}},
    }

    block, count = programmes.serve_rows(request, store())

    assert [row["programme_id"] for row in block["rowData"]] == ["p1", "p2"]
    assert block["rowCount"] == 3
    assert count == strings.PROGRAMMES_COUNT.format(count=3)
    assert block["rowData"][0]["region_code"] == "[AA11](/region/AA11)"
    assert block["rowData"][0]["late"] == strings.PROGRAMME_UP_TO_DATE


@pytest.mark.usefixtures("app")
def test_the_programmes_grid_shows_the_exports_numbers_and_blank_for_never_reported(
    frames: Frames,
) -> None:
    """p4 never reported: blank, not 0, as in the Programmes table of the exports."""
    from dashboard.pages import programmes

    request = {"startRow": 0, "endRow": 10, "sortModel": [], "filterModel": {}}
    block, _count = programmes.serve_rows(request, store())
    exported = programme_table(frames).set_index("programme_id")

    shown = {row["programme_id"]: (row["completed"], row["enrolled"]) for row in block["rowData"]}
    assert shown == {
        "p1": (30.0, 40.0),
        "p2": (10.0, 20.0),
        "p3": (4.0, 5.0),
        "p4": (None, None),
    }
    for programme, numbers in shown.items():
        row = exported.loc[programme, ["completed", "enrolled"]].to_numpy("float64")
        assert list(numbers) == [None if math.isnan(value) else value for value in row]


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ({"capacity": {"filterType": "number", "type": "greaterThan", "filter": 40}}, ["p1", "p2"]),
        (
            {"capacity": {"filterType": "number", "type": "inRange", "filter": 10, "filterTo": 20}},
            ["p3", "p4"],
        ),
        ({"name": {"filterType": "text", "type": "contains", "filter": "LATE"}}, ["p4"]),
        ({"name": {"filterType": "text", "type": "startsWith", "filter": "f"}}, ["p3"]),
        # Two conditions joined with OR.
        (
            {
                "name": {
                    "filterType": "text",
                    "operator": "OR",
                    "conditions": [
                        {"filterType": "text", "type": "equals", "filter": "literacy"},
                        {"filterType": "text", "type": "endsWith", "filter": "smes"},
                    ],
                }
            },
            ["p1", "p2"],
        ),
        ({"budget_eur": {"filterType": "number", "type": "blank"}}, []),
    ],
)
def test_grid_filters_run_on_the_server(model: dict[str, Any], expected: list[str]) -> None:
    assert grid.filter_rows(PROGRAMMES, model)["programme_id"].tolist() == expected


def test_grid_columns_are_sized_on_the_server_to_their_header_and_longest_text() -> None:
    table = pd.DataFrame(
        {
            "Name": ["Åland", "A region with a very long name indeed, longer than any column"],
            "Basic: attainment (%)": [90.91234, 5.0],
        }
    )

    name, share = grid.grid_columns(table, link_column="Name")

    assert (name["width"], name["wrapText"], name["autoHeight"]) == (
        grid.WIDEST_COLUMN_PX,
        True,  # the long name wraps instead of ending in an ellipsis
        True,
    )
    assert share["width"] == len("attainment") * grid.CHARACTER_PX + grid.HEADER_EXTRA_PX
    assert "wrapText" not in share
    assert "columnSize" not in grid.table_grid("g").to_plotly_json()["props"]


def test_a_grid_block_holds_only_the_rows_asked_for() -> None:
    block = grid.rows_block(
        PROGRAMMES,
        {"startRow": 1, "endRow": 3, "sortModel": [{"colId": "capacity", "sort": "asc"}]},
    )

    assert [row["programme_id"] for row in block["rowData"]] == ["p3", "p2"]  # 20, 80
    assert block["rowCount"] == 4


@pytest.mark.usefixtures("app")
def test_the_table_view_opens_with_the_numbers_and_closes_again() -> None:
    payload = chart_card.table_payload(
        "funnel", "A finding", pd.DataFrame({"Level": ["Basic"], "Enrolled": [1234]})
    )

    opened, expanded, table = chart_card.toggle_table(1, payload, False)
    closed = chart_card.toggle_table(2, payload, True)

    assert (opened, expanded) == (True, "true")
    assert text(table) == "The numbers of the chart “A finding” Level Enrolled Basic 1,234"
    assert closed == (False, "false", None)


@pytest.mark.parametrize(
    ("table", "links"),
    [
        (  # the matrix: each name links to its place's page
            {
                "Region name": ["Alpha"],
                "Region": ["AA11"],
                "Cluster name": ["Cluster one"],
                "Cluster": ["c1"],
                "Level": ["Basic"],
            },
            [("Alpha", "/region/AA11"), ("Cluster one", "/cluster/c1")],
        ),
        (  # programmes by ID; a cluster without a name column links its ID
            {"Name": ["Course", "Other"], "ID": ["p1", "p2"], "Cluster": ["c1", "c1"]},
            [
                ("Course", "/programmes?programme=p1"),
                ("c1", "/cluster/c1"),
                ("Other", "/programmes?programme=p2"),
                ("c1", "/cluster/c1"),
            ],
        ),
        ({"Name": ["Alpha"], "Code": ["ZZ99"]}, []),  # not a code of the network: no link
        ({"Level": ["Basic"], "Enrolled": [3]}, []),
    ],
)
@pytest.mark.usefixtures("app")
def test_the_table_view_links_the_places_and_programmes_it_names(
    table: dict[str, list[Any]], links: list[tuple[str, str]]
) -> None:
    payload = chart_card.table_payload("x", "A finding", pd.DataFrame(table))

    assert links_of(chart_card.render_table(payload)) == links


@pytest.mark.usefixtures("app")
def test_the_csv_download_neutralises_formulas() -> None:
    _title, payload, _figure = chart_card.REDRAWS[ids.CONTRIBUTION](store(regions=("BB22",)), {})

    download = chart_card.download_csv(1, payload)

    assert download["filename"] == "contribution.csv"
    content = (
        download["content"]
        if not download.get("base64")
        else base64.b64decode(download["content"]).decode()
    )
    assert content.splitlines()[1].startswith("'=Three,c3,4")


@pytest.mark.parametrize(
    ("query", "filters", "problems"),
    [
        (
            {"region": "AA11", "level": ["basic", "expert"]},
            Filters(regions=("AA11",), levels=("basic", "expert")),
            (),
        ),
        (
            {"as_of": "2025-01", "delivery": "online"},
            Filters(as_of="2025-01", delivery_modes=("online",)),
            (),
        ),
        (
            {"region": ["AA11", "ZZ99"], "level": "master"},
            Filters(regions=("AA11",)),
            (
                strings.FILTER_UNKNOWN.format(value="ZZ99", label="region"),
                strings.FILTER_MALFORMED.format(value="master", label="level"),
            ),
        ),
        (
            {"as_of": "2025-13"},
            Filters(),
            (strings.FILTER_MALFORMED.format(value="2025-13", label="as of month"),),
        ),
        ({"unrelated": "x", "region": ""}, Filters(), ()),  # other keys and blanks are ignored
    ],
)
def test_a_query_string_gives_the_filters_or_says_what_was_left_out(
    query: dict[str, Any], filters: Filters, problems: tuple[str, ...]
) -> None:
    parsed = parse_query(query, {"regions": {"AA11", "BB22"}})

    assert (parsed.filters, parsed.problems) == (filters, problems)


def test_an_address_with_too_many_filter_values_keeps_the_first_and_says_so() -> None:
    codes = [f"AA{number:03d}" for number in range(url_state.MAX_VALUES + 7)]  # well-formed
    parsed = parse_query({"region": codes, "level": ["basic"] * 1_000})  # repeats count once

    assert (parsed.filters, parsed.problems) == (
        Filters(regions=tuple(codes[: url_state.MAX_VALUES]), levels=("basic",)),
        (strings.FILTER_TOO_MANY.format(count=7, label="region", limit=url_state.MAX_VALUES),),
    )


def test_an_address_with_a_too_long_filter_value_leaves_it_out_and_quotes_its_start() -> None:
    funding = "ESF+" + "x" * url_state.MAX_VALUE_LENGTH
    parsed = parse_query({"funding": [funding, "ERDF"]})

    assert (parsed.filters, parsed.problems) == (
        Filters(funding_sources=("ERDF",)),
        (
            strings.FILTER_TOO_LONG.format(
                label="funding source",
                length=len(funding),
                start=funding[: url_state.SHOWN_START],
                limit=url_state.MAX_VALUE_LENGTH,
            ),
        ),
    )


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(regions=("AA11", "BB22"), levels=("basic",), as_of="2025-01"),
        Filters(funding_sources=("ESF+", "Regional budget"), delivery_modes=("in-person",)),
    ],
)
def test_the_address_reopens_exactly_the_selection(filters: Filters) -> None:
    assert parse_search(to_search(filters)).filters == filters


def test_the_address_leaves_out_what_the_page_path_fixes() -> None:
    search = to_search(Filters(regions=("AA11",), funding_sources=("ESF+",)), omit=("regions",))

    assert search == "?funding=ESF%2B"


def test_the_dropdowns_and_the_page_scope_make_the_selection() -> None:
    chosen = filter_bar.filters_from_controls(
        ["clusters", "levels", "as_of"], [["c1"], [], None], {"regions": ["AA11"]}
    )

    assert chosen == Filters(regions=("AA11",), clusters=("c1",))
    assert [filter_bar.control_value(chosen, name) for name in ("regions", "as_of")] == [
        ["AA11"],
        None,
    ]


@pytest.mark.usefixtures("app")
def test_filter_choices_offer_what_the_page_scope_holds() -> None:
    choices = filter_bar.page_choices({"regions": ["BB22"]})

    assert choices.options["clusters"] == [{"label": "=Three", "value": "c3"}]
    assert choices.options["as_of"] == [{"label": "January 2025", "value": "2025-01"}]
    assert choices.latest == "2025-01"


EARLY_FEBRUARY = pd.concat(
    [
        PROGRESS,
        pd.DataFrame(
            [("p1", "2025-02", 41, 31, 10.0, 2.0, 20.0, 2_100.0)], columns=PROGRESS.columns
        ),
    ],
    ignore_index=True,
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {
                "overview": "People trained against target per level in the network, as of "
                "January 2025. February 2025 is provisional: 1 of 4 programmes due have reported "
                "it; pick it in the filters to see it.",
                "region": "ES · as of February 2025. Is the region on track, and who carries it? "
                "February 2025 is provisional: only 1 of 4 programmes due have reported it yet.",
                "options": [
                    {"label": "February 2025 (provisional)", "value": "2025-02"},
                    {"label": "January 2025", "value": "2025-01"},
                ],
                "placeholder": "January 2025 (complete)",
            },
        ),
        (
            "es",
            {
                "overview": "Personas formadas respecto del objetivo por nivel en la red, a fecha "
                "de enero de 2025. Febrero de 2025 es provisional: 1 de 4 programas que debían "
                "declararlo lo han hecho; selecciónelo en los filtros para verlo.",
                "region": "ES · a fecha de febrero de 2025. ¿Va en camino la región y quién la "
                "impulsa? Febrero de 2025 es provisional: solo 1 de 4 programas que debían "
                "declararlo lo han hecho.",
                "options": [
                    {"label": "Febrero de 2025 (provisional)", "value": "2025-02"},
                    {"label": "Enero de 2025", "value": "2025-01"},
                ],
                "placeholder": "Enero de 2025 (completo)",
            },
        ),
        (
            PSEUDO_LANGUAGE,  # every word marked: the month's too
            {
                "overview": "⟦Péöplé tråînéd ågåînst tårgét pér lévél ⟦în thé nétwörk⟧, ås öf "
                "⟦Jånüåry 2025⟧.⟧ ⟦⟦Fébrüåry 2025⟧ îs prövîsîönål: 1 öf 4 prögråmmés düé håvé "
                "répörtéd ît; pîck ît în thé fîltérs tö séé ît.⟧",
                "region": "⟦ES · ås öf ⟦Fébrüåry 2025⟧. Îs thé régîön ön tråck, ånd whö "
                "cårrîés ît?⟧ ⟦⟦Fébrüåry 2025⟧ îs prövîsîönål: önly 1 öf 4 prögråmmés düé håvé "
                "répörtéd ît yét.⟧",
                "options": [
                    {"label": "⟦⟦Fébrüåry 2025⟧ (prövîsîönål)⟧", "value": "2025-02"},
                    {"label": "⟦Jånüåry 2025⟧", "value": "2025-01"},
                ],
                "placeholder": "⟦⟦Jånüåry 2025⟧ (cömplété)⟧",
            },
        ),
    ],
)
def test_subtitles_and_the_month_filter_name_months_in_the_pages_language(
    language: str, expected: dict[str, Any]
) -> None:
    """Only p1 has reported February: January (3 of 4 programmes) is complete at a share of
    0.5 and shown by default, February is provisional. Sentences name months in words, the
    filter's labels too (capitalised, as a label stands alone); its values stay codes."""
    early = build_frames(
        regions=REGIONS,
        clusters=CLUSTERS,
        programmes=PROGRAMMES,
        targets=TARGETS,
        progress=EARLY_FEBRUARY,
        complete_month_share=0.5,
    )
    application = create_app(frames=early)
    from dashboard.pages import overview, region  # pages register only once an app exists

    with (
        application.server.test_request_context("/_dash-update-component", method="POST"),
        use_language(language),
    ):
        bar = filter_bar.filter_bar(filter_bar.page_choices({}), Filters())
        months = next(
            item
            for item in bar._traverse()
            if getattr(item, "id", None) == {"type": ids.FILTER, "name": "as_of"}
        )
        shown = {
            "overview": overview.update_subtitle(store()),
            "region": region.update_subtitle(
                store(regions=("AA11",), as_of="2025-02"), {"regions": ["AA11"]}
            ),
            "options": months.options,
            "placeholder": months.placeholder,
        }

    assert shown == expected


def numbered_options(count: int) -> list[dict[str, str]]:
    return [{"label": f"Cluster {n:04d}", "value": f"c{n}"} for n in range(count)]


def test_a_long_list_offers_the_selected_options_first_then_the_first_hundred() -> None:
    shown = filter_bar.matching_options(numbered_options(2000), None, ["c1500"])

    assert len(shown) == filter_bar.LISTED_OPTIONS + 1
    assert [option["value"] for option in shown[:3]] == ["c1500", "c0", "c1"]


def test_typing_in_a_long_list_finds_every_word_in_the_label_or_the_value() -> None:
    options = numbered_options(2000) + [{"label": "Aragón AI Hub", "value": "es-ara"}]

    found = filter_bar.matching_options(options, "  0195 CLUSTER ", None)

    assert [option["value"] for option in found] == ["c195"]
    assert filter_bar.matching_options(options, "HUB ES-A", []) == options[-1:]
    assert filter_bar.matching_options(options, "nowhere", "c7") == [options[7]]


@pytest.mark.usefixtures("app")
def test_a_short_list_is_sent_whole_and_says_all() -> None:
    choices = filter_bar.page_choices({})
    bar = filter_bar.filter_bar(choices, Filters())
    clusters = next(
        item
        for item in bar._traverse()
        if getattr(item, "id", None) == {"type": ids.FILTER, "name": "clusters"}
    )

    assert clusters.options == choices.options["clusters"]
    assert clusters.placeholder == strings.FILTER_ALL


def test_an_empty_chart_says_why_in_its_title_and_its_table() -> None:
    chart = empty_chart("No programmes at expert level in Beta yet")

    assert chart.title == "No programmes at expert level in Beta yet"
    assert chart.table.iloc[0, 0] == chart.title
    assert isinstance(
        chart_card.render_table(chart_card.table_payload("x", chart.title, chart.table)), html.Div
    )


def test_component_ids_are_unique_per_chart() -> None:
    assert ids.chart(ids.CHART_GRAPH, ids.MAP) != ids.chart(ids.CHART_GRAPH, ids.TREND)


def test_a_cluster_page_names_every_region_the_cluster_works_in() -> None:
    """c2 is based in Alpha, runs its programmes there, and also works in Beta."""
    works_abroad = build_frames(
        regions=REGIONS,
        clusters=CLUSTERS,
        cluster_regions=pd.DataFrame({"cluster_id": ["c2"], "region_code": ["BB22"]}),
        programmes=PROGRAMMES,
        targets=TARGETS,
        progress=PROGRESS,
    )
    application = create_app(frames=works_abroad)
    from dashboard.pages import cluster  # pages register only once an app exists

    with application.server.test_request_context("/_dash-update-component", method="POST"):
        shown = cluster.subtitle("c2", Filters())
        at_home = cluster.subtitle("c1", Filters())

    assert shown.startswith("Cluster based in Alpha, working in Alpha, Beta · as of January 2025.")
    assert at_home.startswith("Cluster based in Alpha, working in Alpha · as of January 2025.")


@pytest.mark.parametrize(
    ("programmes", "words"),
    [
        (PROGRAMMES.iloc[:0], strings.NO_NETWORK),
        (PROGRAMMES, strings.NO_PROGRESS.format(programmes="4", regions="Alpha and Beta")),
    ],
)
def test_before_any_report_each_page_says_what_is_missing_and_how_to_start(
    programmes: pd.DataFrame, words: str
) -> None:
    """An empty install asks for the network; a network without progress for the uploads."""
    nothing_reported = build_frames(regions=REGIONS, clusters=CLUSTERS, programmes=programmes)
    application = create_app(frames=nothing_reported)
    from dashboard.pages import overview, region, reports
    from dashboard.pages import programmes as programmes_page

    with application.server.test_request_context("/"):
        pages = [page.layout() for page in (overview, reports, programmes_page)] + [
            region.layout(code="AA11")
        ]

    assert [words in text(page) for page in pages] == [True] * 4


def test_a_grid_keeps_the_name_of_each_row_in_view_on_a_phone() -> None:
    table = pd.DataFrame({"ID": ["p1"], "Name": ["Literacy"], "Enrolled": [40]})

    pinned = {column["field"]: column.get("pinned") for column in grid.grid_columns(table)}

    assert pinned == {"ID": None, "Name": "left", "Enrolled": None}


@pytest.mark.usefixtures("app")
def test_the_programmes_grid_of_a_region_links_each_programme_to_its_page() -> None:
    from dashboard.components import sections

    *_chart, rows, columns = sections.update_programmes(store(regions=("AA11",)))

    assert [row["Name"] for row in rows] == [
        "[Literacy](/programmes?programme=p1)",
        "[GenAI for SMEs](/programmes?programme=p2)",
    ]
    assert [(c["field"], c.get("cellRenderer"), c.get("pinned")) for c in columns[:2]] == [
        ("Name", "markdown", "left"),
        ("ID", None, None),
    ]


@pytest.mark.usefixtures("app")
def test_a_region_lists_its_lagging_clusters_with_their_status_under_the_cards() -> None:
    from dashboard.pages import region

    *_chart, listing = region.update_region_clusters(
        store(regions=("AA11",), as_of="2025-01"), {"regions": ["AA11"]}
    )

    # Two is behind its share of Alpha's basic target (10 of 17.0); One is ahead of its own.
    levels = f"Intermediate {strings.NOT_AVAILABLE} · Expert {strings.NOT_AVAILABLE}"
    assert [text(item) for item in listing._traverse() if type(item).__name__ == "Li"] == [
        f"One Basic 30 · {levels}",
        f"Two ✖ Off track Basic 10 · {levels}",
    ]
