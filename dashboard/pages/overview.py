"""Overview: is the roadmap on track? Headline per level, the network's map, the trend against
the trajectory, the league table of regions and the ambition gap."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, dcc, html

from dashboard import figures, ids, strings
from dashboard.components.attributes import attributes
from dashboard.components.chart_card import chart_card, chart_outputs, chart_values
from dashboard.components.filter_bar import (
    filter_bar,
    read_filters,
    read_page_query,
    selection_components,
)
from dashboard.components.geo import region_shapes
from dashboard.components.kpi import kpi_cards, overview_table
from dashboard.components.sections import (
    SELECTION,
    cards_row,
    chart_of,
    section,
    selection_words,
    view_links,
)
from dashboard.components.sorted_table import next_sort, sort_button_id, sorted_table
from dashboard.data import cached, current_frames, selected_frames
from dashboard.url_state import to_search
from skills_roadmap.analysis import Filters, ambition_gap
from skills_roadmap.settings import get_settings

dash.register_page(
    __name__, path="/", name=strings.OVERVIEW_NAME, title=strings.APP_TITLE, order=0, in_navbar=True
)


def region_path(code: str, filters: Filters) -> str:
    """The region page of ``code`` with the rest of the selection (levels, month, …) kept."""
    return dash.get_relative_path(f"/region/{code}") + to_search(filters, omit=("regions",))


def layout(**query: Any) -> html.Div:
    """The overview as of the selected month (the latest by default)."""
    if current_frames().as_of is None:
        return html.Div([html.H1(strings.OVERVIEW_TITLE), dbc.Alert(strings.NO_DATA, color="info")])
    filters, choices, parsed = read_page_query(query, {})
    return html.Div(
        [
            *selection_components(filters, {}),
            html.H1(strings.OVERVIEW_TITLE, className="h2"),
            html.P(id=ids.SCOPE_SUBTITLE, className="lead"),
            filter_bar(choices, filters, parsed.problems),
            kpi_cards(),
            section(
                strings.SECTION_NETWORK,
                cards_row(
                    (chart_card(ids.MAP, height=460, note=strings.MAP_NOTE), 6),
                    (chart_card(ids.TREND, height=460), 6),
                ),
                cards_row(
                    (chart_card(ids.LEAGUE, body=league_body()), 8),
                    (chart_card(ids.AMBITION, height=440), 4),
                ),
            ),
            view_links(),
        ]
    )


@callback(Output(ids.SCOPE_SUBTITLE, "children"), SELECTION)
def update_subtitle(data: dict[str, Any] | None) -> str:
    """The sentence under the title: whose numbers, as of which month."""
    filters = read_filters(data)
    as_of = selected_frames(filters).as_of_period
    return strings.OVERVIEW_SUBTITLE_SELECTION.format(
        selection=selection_words(filters), as_of=as_of
    )


@callback(*chart_outputs(ids.MAP), SELECTION)
def update_map(data: dict[str, Any] | None) -> tuple[Any, ...]:
    """The regions on the map at the widest selected level, by status."""
    filters = read_filters(data)

    def build() -> figures.Chart:
        table = overview_table(filters)
        level = figures.focus_level(filters.levels) or figures.LEVELS[0]
        codes = table["scope_id"].dropna().astype(str)
        shapes = region_shapes(get_settings().nuts_geojson, codes)
        return figures.map_chart(table, current_frames().regions, level, shapes)

    return chart_values(ids.MAP, chart_of(ids.MAP, filters, build))


@callback(
    Output(ids.APP_LOCATION, "href"),
    Input(ids.chart(ids.CHART_GRAPH, ids.MAP), "clickData"),
    State(ids.FILTERS, "data"),
    prevent_initial_call=True,
)
def open_region(click: dict[str, Any] | None, data: dict[str, Any] | None) -> Any:
    """Selecting a region on the map opens its page, keeping the rest of the selection."""
    points = (click or {}).get("points") or []
    code = points[0].get("customdata") or points[0].get("location") if points else None
    if not code:
        return dash.no_update
    return region_path(str(code), read_filters(data))


def league_body() -> html.Div:
    """The league table's place: a scrollable region filled by :func:`update_league`."""
    return html.Div(
        [
            dcc.Store(id=ids.LEAGUE_SORT),
            html.Div(
                id=ids.LEAGUE_TABLE,
                className="league-table",
                tabIndex="0",  # a scrollable region must be reachable by keyboard
                role="region",
                **attributes(aria_label=strings.LEAGUE_REGION),
            ),
        ]
    )


def _league(filters: Filters) -> figures.Chart:
    return chart_of(ids.LEAGUE, filters, lambda: figures.league_chart(overview_table(filters)))


def _league_table(chart: figures.Chart, filters: Filters, sort: dict[str, Any]) -> Any:
    """The league of ``filters`` in the order ``sort``, each name a link to the region's page."""
    if chart.table.empty:
        return None
    code = strings.COLUMNS["scope_id"]
    return sorted_table(
        ids.LEAGUE_TABLE,
        chart.title,
        chart.table,
        sort,
        link_column=strings.COLUMNS["name"],
        href=lambda row: region_path(str(row[code]), filters),
        hidden=(code,),
    )


@callback(
    *chart_outputs(ids.LEAGUE, figure=False),
    Output(ids.LEAGUE_TABLE, "children"),
    Output(ids.LEAGUE_SORT, "data"),
    SELECTION,
)
def update_league(data: dict[str, Any] | None) -> tuple[Any, ...]:
    """The league table of regions, ranked by attainment at the widest level selected."""
    filters = read_filters(data)
    level = figures.focus_level(filters.levels) or figures.LEVELS[0]
    ranked = strings.LEAGUE_ATTAINMENT.format(level=strings.LEVEL_LABELS[level])
    sort = {"column": ranked, "descending": True}
    chart = _league(filters)
    table = _league_table(chart, filters, sort)
    return (*chart_values(ids.LEAGUE, chart, figure=False), table, sort)


@callback(
    Output(ids.LEAGUE_TABLE, "children", allow_duplicate=True),
    Output(ids.LEAGUE_SORT, "data", allow_duplicate=True),
    Input(sort_button_id(ids.LEAGUE_TABLE, ALL), "n_clicks"),
    State(ids.LEAGUE_SORT, "data"),
    State(ids.FILTERS, "data"),
    prevent_initial_call=True,
)
def sort_league(
    _clicks: list[int | None], sort: dict[str, Any] | None, data: dict[str, Any] | None
) -> tuple[Any, Any]:
    """A click on a column's header orders the regions by it (again: the other way round)."""
    triggered = dash.ctx.triggered_id
    if not triggered or not dash.ctx.triggered[0]["value"]:  # just drawn, not clicked
        return dash.no_update, dash.no_update
    chosen = next_sort(sort, str(triggered["column"]))
    filters = read_filters(data)
    return _league_table(_league(filters), filters, chosen), chosen


@callback(*chart_outputs(ids.AMBITION), SELECTION)
def update_ambition(data: dict[str, Any] | None) -> tuple[Any, ...]:
    """Do the regions' targets add up to the network's? Compared network-wide, per level."""
    filters = read_filters(data)
    levels = Filters(levels=filters.levels)  # a network-wide comparison: places do not apply

    def build() -> figures.Chart:
        table = cached("ambition", Filters(), lambda frames, _all: ambition_gap(frames))
        shown = {str(level) for level in levels.levels}
        return figures.ambition_chart(
            table[table["level"].astype(str).isin(shown)] if shown else table
        )

    return chart_values(ids.AMBITION, chart_of(ids.AMBITION, levels, build))
