"""Chart cards shared by pages, each with its callback: trend, contribution, programmes, funnel,
money, inclusion, reporting completeness and facilities.

Every callback reads the selection, asks one analysis function (through the per-selection
cache, so the charts of one page share the filtered frames) and hands the result to a figure
function. On a cluster page (the path fixes a cluster) the trend follows the cluster's own
targets and the contribution is per programme instead of per cluster.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from dashboard import figures, ids, strings
from dashboard.components.chart_card import chart_card, chart_outputs, chart_values
from dashboard.components.filter_bar import read_filters
from dashboard.components.grid import grid_columns, grid_rows, table_grid
from dashboard.components.kpi import headline_rows
from dashboard.data import analysis_settings, cached, selected_frames
from dashboard.url_state import to_search
from skills_roadmap.analysis import (
    Filters,
    Frames,
    attainment_trend,
    contribution,
    facility_slippage,
    funnel,
    inclusion,
    money,
    reporting_completeness,
)

T = TypeVar("T")
SELECTION = Input(ids.FILTERS, "data")
SCOPE = State(ids.PAGE_SCOPE, "data")


def on_selection(name: str, filters: Filters, function: Callable[[Frames], T]) -> T:
    """``function`` of the frames narrowed to ``filters``, cached per selection as ``name``."""
    return cached(name, filters, lambda _frames, chosen: function(selected_frames(chosen)))


def _names(frames: Frames, _filters: Filters) -> dict[str, dict[str, str]]:
    regions, clusters = frames.regions, frames.clusters
    codes, cluster_ids = regions["region_code"].astype(str), clusters["cluster_id"].astype(str)
    return {
        "regions": dict(zip(codes, regions["name"], strict=True)),
        "countries": dict(zip(codes, regions["country"].fillna(""), strict=True)),
        "clusters": dict(zip(cluster_ids, clusters["name"], strict=True)),
        "cluster_regions": dict(zip(cluster_ids, clusters["region_code"].astype(str), strict=True)),
    }


def names() -> dict[str, dict[str, str]]:
    """Region names and countries, cluster names and home regions, by code."""
    return cached("names", Filters(), _names)


def selection_words(filters: Filters) -> str:
    """The selection in words for an empty state: "at expert level in Aragón"."""
    known = names()
    parts = []
    if filters.levels:
        levels = strings.SELECTION_AND.join(
            strings.LEVEL_LABELS[str(level)].lower() for level in filters.levels
        )
        parts.append(strings.SELECTION_LEVELS.format(levels=levels))
    places = [known["regions"].get(str(code), str(code)) for code in filters.regions]
    places += [known["clusters"].get(cluster, cluster) for cluster in filters.clusters]
    parts.append(
        strings.SELECTION_PLACE.format(place=strings.SELECTION_AND.join(places))
        if places
        else strings.SELECTION_NETWORK
    )
    return " ".join(parts)


def is_cluster_page(scope: dict[str, Any] | None) -> bool:
    """Whether the page's path fixes a cluster."""
    return bool(scope and scope.get("clusters"))


def section(title: str, *rows: Any) -> html.Section:
    """A titled group of chart rows."""
    return html.Section([html.H2(title, className="h4 mt-4 mb-3"), *rows])


def cards_row(*cards: tuple[Any, int]) -> dbc.Row:
    """Cards side by side on a laptop (``lg`` columns of 12 each), stacked on a phone."""
    return dbc.Row([dbc.Col(card, xs=12, lg=width, className="mb-3") for card, width in cards])


def programmes_card() -> Any:
    """The programmes of the selection as a sortable grid."""
    return chart_card(ids.PROGRAMMES, body=table_grid(ids.REGION_PROGRAMMES_GRID))


@callback(*chart_outputs(ids.TREND), SELECTION, SCOPE)
def update_trend(data: dict[str, Any] | None, scope: dict[str, Any] | None) -> tuple[Any, ...]:
    """People trained against the trajectory of the selection's headline targets."""
    filters = read_filters(data)
    cluster_page = is_cluster_page(scope)
    headline = headline_rows(filters, cluster_page=cluster_page)
    trend = on_selection(
        "trend-cluster" if cluster_page else "trend",
        filters,
        lambda frames: attainment_trend(frames, headline["target_id"]),
    )
    return chart_values(ids.TREND, figures.trend_chart(trend, headline, selection_words(filters)))


def _contribution_by(scope: dict[str, Any] | None) -> str:
    return "programme_id" if is_cluster_page(scope) else "cluster_id"


def contribution_of(filters: Filters, by: str) -> Any:
    """``contribution`` of the selection per cluster or programme (cached per selection)."""
    return on_selection(f"contribution-{by}", filters, lambda frames: contribution(frames, by))  # type: ignore[arg-type]


@callback(*chart_outputs(ids.CONTRIBUTION), SELECTION, SCOPE)
def update_contribution(data: dict[str, Any] | None, scope: dict[str, Any] | None) -> tuple[Any, ...]:
    """Who carries the selection: clusters on a region page, programmes on a cluster page."""
    filters = read_filters(data)
    by = _contribution_by(scope)
    chart = figures.contribution_chart(
        contribution_of(filters, by), by, selection=selection_words(filters)
    )
    return chart_values(ids.CONTRIBUTION, chart)


@callback(
    *chart_outputs(ids.PROGRAMMES, figure=False),
    Output(ids.REGION_PROGRAMMES_GRID, "rowData"),
    Output(ids.REGION_PROGRAMMES_GRID, "columnDefs"),
    SELECTION,
)
def update_programmes(data: dict[str, Any] | None) -> tuple[Any, ...]:
    """The selection's programmes with people completed and enrolment against capacity."""
    filters = read_filters(data)
    chart = figures.programmes_chart(
        contribution_of(filters, "programme_id"), selection_words(filters)
    )
    return (
        *chart_values(ids.PROGRAMMES, chart, figure=False),
        grid_rows(chart.table),
        grid_columns(chart.table),
    )


@callback(*chart_outputs(ids.FUNNEL), SELECTION)
def update_funnel(data: dict[str, Any] | None) -> tuple[Any, ...]:
    """Enrolled, completed, certified and dropped out per level."""
    filters = read_filters(data)
    table = on_selection("funnel", filters, lambda frames: funnel(frames, ("level",)))
    return chart_values(ids.FUNNEL, figures.funnel_chart(table, selection_words(filters)))


@callback(*chart_outputs(ids.MONEY), SELECTION)
def update_money(data: dict[str, Any] | None) -> tuple[Any, ...]:
    """Spend against budget per funding source."""
    filters = read_filters(data)
    table = on_selection("money", filters, lambda frames: money(frames, ("funding_source",)))
    return chart_values(ids.MONEY, figures.money_chart(table, selection_words(filters)))


@callback(*chart_outputs(ids.INCLUSION), SELECTION)
def update_inclusion(data: dict[str, Any] | None) -> tuple[Any, ...]:
    """The share of women among participants per level, against the goal."""
    filters = read_filters(data)
    table = on_selection(
        "inclusion", filters, lambda frames: inclusion(frames, ("level",), analysis_settings())
    )
    return chart_values(ids.INCLUSION, figures.inclusion_chart(table, selection_words(filters)))


@callback(*chart_outputs(ids.COMPLETENESS), SELECTION)
def update_completeness(data: dict[str, Any] | None) -> tuple[Any, ...]:
    """Programmes that have not reported the latest month."""
    filters = read_filters(data)
    table = on_selection("completeness", filters, reporting_completeness)
    expected = selected_frames(filters).as_of_period
    chart = figures.completeness_chart(table, expected, selection_words(filters))
    return chart_values(ids.COMPLETENESS, chart)


@callback(*chart_outputs(ids.FACILITIES), SELECTION)
def update_facilities(data: dict[str, Any] | None) -> tuple[Any, ...]:
    """The selection's facilities: planned against actual opening."""
    filters = read_filters(data)
    table = on_selection("facilities", filters, facility_slippage)
    as_of = selected_frames(filters).as_of_period
    chart = figures.facilities_chart(table, as_of, selection_words(filters))
    return chart_values(ids.FACILITIES, chart)


def view_links() -> html.Nav:
    """Links to the same selection elsewhere: its report and its programmes."""
    return html.Nav(
        [
            dcc.Link(strings.ALL_PROGRAMMES_LINK, href="/programmes", id=ids.PROGRAMMES_LINK),
            dcc.Link(strings.REPORT_LINK, href="/reports", id=ids.REPORT_LINK),
        ],
        className="d-flex flex-wrap gap-3 my-3 view-links",
        **{"aria-label": strings.VIEW_LINKS_LABEL},
    )


@callback(Output(ids.PROGRAMMES_LINK, "href"), Output(ids.REPORT_LINK, "href"), SELECTION)
def update_links(data: dict[str, Any] | None) -> tuple[str, str]:
    """Point the links at the current selection (the query string carries the filters)."""
    search = to_search(read_filters(data))
    return (
        dash.get_relative_path("/programmes") + search,
        dash.get_relative_path("/reports") + search,
    )


def scope_sections(peers_card: Any) -> list[Any]:
    """The sections of a region or cluster page, below its headline cards."""
    return [
        section(
            strings.SECTION_TARGETS,
            cards_row((chart_card(ids.TREND), 7), (peers_card, 5)),
        ),
        section(
            strings.SECTION_WHO,
            cards_row((chart_card(ids.CONTRIBUTION, height=420), 12)),
            cards_row((programmes_card(), 12)),
        ),
        section(
            strings.SECTION_MONEY,
            cards_row(
                (chart_card(ids.FUNNEL), 4), (chart_card(ids.MONEY), 4),
                (chart_card(ids.INCLUSION), 4),
            ),
        ),
        section(
            strings.SECTION_DELIVERY,
            cards_row((chart_card(ids.COMPLETENESS), 6), (chart_card(ids.FACILITIES), 6)),
        ),
    ]
