"""Overview: is the roadmap on track? Headline per level, the network's map, the trend against
the trajectory, the league table of regions, the ambition gap, people trained by provider
helix, the clusters' partners by helix role and the network's facilities."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, dcc, html

from dashboard import ids, strings
from dashboard.components.attributes import attributes
from dashboard.components.chart_card import chart_card, chart_outputs, chart_values, redrawn
from dashboard.components.filter_bar import (
    SELECTION,
    SELECTION_STATE,
    Scope,
    filter_bar,
    read_filters,
    read_page_query,
    selection_components,
)
from dashboard.components.formats import month_words
from dashboard.components.geo import region_shapes
from dashboard.components.kpi import kpi_cards, overview_table
from dashboard.components.sections import (
    cards_row,
    chart_of,
    explained_chart_of,
    facilities_for,
    on_network,
    on_selection,
    provisional_words,
    section,
    selection_words,
    trend_for,
    view_links,
)
from dashboard.components.sorted_table import next_sort, sort_button_id, sorted_table
from dashboard.context import app_context
from dashboard.data import current_frames, network_cached, no_data_words, selected_frames
from dashboard.figures.ambition import ambition_chart
from dashboard.figures.base import LEVELS, Chart, focus_level
from dashboard.figures.helix import helix_partners_chart, helix_trained_chart
from dashboard.figures.league import league_chart
from dashboard.figures.map import map_chart
from dashboard.url_state import to_search
from skills_roadmap.analysis import Filters, ambition_gap, cluster_helix_roles, trained_by_helix

dash.register_page(
    __name__, path="/", name=strings.OVERVIEW_NAME, title=strings.APP_TITLE, order=0, in_navbar=True
)


def region_path(code: str, filters: Filters) -> str:
    """The region page of ``code`` with the rest of the selection (levels, month, …) kept."""
    return dash.get_relative_path(f"/region/{code}") + to_search(filters, omit=("regions",))


def layout(**query: Any) -> html.Div:
    """The overview as of the selected month (the latest by default)."""
    if current_frames().as_of is None:
        return html.Div([html.H1(strings.OVERVIEW_TITLE), dbc.Alert(no_data_words(), color="info")])
    filters, choices, parsed = read_page_query(query, {})
    return html.Div(
        [
            *selection_components(filters, {}),
            html.H1(strings.OVERVIEW_TITLE, className="h2"),
            html.P(subtitle(filters), id=ids.SCOPE_SUBTITLE, className="lead"),
            filter_bar(choices, filters, parsed.problems),
            kpi_cards(filters),
            section(
                strings.SECTION_NETWORK,
                cards_row(
                    (
                        chart_card(
                            ids.MAP, map_for(filters, {}), height=460, note=strings.MAP_NOTE
                        ),
                        6,
                    ),
                    (chart_card(ids.TREND, trend_for(filters, {}), height=460), 6),
                ),
                cards_row(
                    (league_card(filters), 8),
                    (chart_card(ids.AMBITION, ambition_for(filters, {}), height=440), 4),
                ),
            ),
            section(
                strings.SECTION_HELIX,
                cards_row(
                    (chart_card(ids.HELIX_TRAINED, helix_trained_for(filters, {})), 7),
                    (chart_card(ids.HELIX_PARTNERS, helix_partners_for(filters, {})), 5),
                ),
                cards_row(
                    (chart_card(ids.FACILITIES, facilities_for(filters, {}), height=460), 12)
                ),
            ),
            view_links(filters),
        ]
    )


def subtitle(filters: Filters) -> str:
    """The sentence under the title: whose numbers, as of which month."""
    as_of = month_words(selected_frames(filters).as_of_period)
    return strings.OVERVIEW_SUBTITLE_SELECTION.format(
        selection=selection_words(filters), as_of=as_of
    ) + provisional_words(filters)


@callback(Output(ids.SCOPE_SUBTITLE, "children"), SELECTION, prevent_initial_call=True)
def update_subtitle(data: dict[str, Any] | None) -> str:
    """The subtitle of a new selection."""
    return subtitle(read_filters(data))


@redrawn(ids.MAP)
def map_for(filters: Filters, _scope: Scope) -> Chart:
    """The regions on the map at the widest selected level, by status."""

    def build() -> Chart:
        table = overview_table(filters)
        level = focus_level(filters.levels) or LEVELS[0]
        codes = table["scope_id"].dropna().astype(str)
        shapes = region_shapes(app_context().settings.nuts_geojson, codes)
        return map_chart(table, current_frames().regions, level, shapes)

    return chart_of(ids.MAP, filters, build)


@callback(
    Output(ids.APP_LOCATION, "href"),
    Input(ids.chart(ids.CHART_GRAPH, ids.MAP), "clickData"),
    SELECTION_STATE,
    prevent_initial_call=True,
)
def open_region(click: dict[str, Any] | None, data: dict[str, Any] | None) -> Any:
    """Selecting a region on the map opens its page, keeping the rest of the selection."""
    points = (click or {}).get("points") or []
    code = points[0].get("customdata") or points[0].get("location") if points else None
    if not code:
        return dash.no_update
    return region_path(str(code), read_filters(data))


LEAGUE_ROWS_SHOWN = 10
"""The league shows this many regions until asked for all: a few hundred rows are most of the
overview's first-render time in the browser, the regions that need attention come first, and
the rest are one click away (no scroll box hides them)."""


def _league(filters: Filters) -> Chart:
    return chart_of(ids.LEAGUE, filters, lambda: league_chart(overview_table(filters)))


PROBLEMS_FIRST: dict[str, Any] = {"column": None, "descending": False}
"""The league's first order: the chart's own, problems first (status, then gap; see
:func:`~dashboard.figures.league.problems_first`); a click on a header sorts by that column."""


def league_sort(_filters: Filters) -> dict[str, Any]:
    """The league's first order, whatever the selection: the regions that need attention
    first."""
    return dict(PROBLEMS_FIRST)


def _league_table(chart: Chart, filters: Filters, sort: dict[str, Any], everything: bool) -> Any:
    """The league of ``filters`` in the order ``sort`` (its first rows unless ``everything``),
    each name a link to the region's page."""
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
        limit=None if everything else LEAGUE_ROWS_SHOWN,
    )


def _show_all(chart: Chart, everything: bool) -> tuple[str, str, bool]:
    """The "show all" button's label, ``aria-expanded`` and ``hidden``."""
    count = len(chart.table)
    label = (
        strings.LEAGUE_SHOW_FIRST.format(count=LEAGUE_ROWS_SHOWN)
        if everything
        else strings.LEAGUE_SHOW_ALL.format(count=count)
    )
    return label, "true" if everything else "false", count <= LEAGUE_ROWS_SHOWN


def league_card(filters: Filters) -> Any:
    """The league table of regions in a scrollable region, its first rows and a button for
    all; :func:`update_league` refills it for a new selection and :func:`arrange_league`
    reorders it or shows all its rows."""
    chart, sort = _league(filters), league_sort(filters)
    label, expanded, hidden = _show_all(chart, False)
    body = html.Div(
        [
            dcc.Store(id=ids.LEAGUE_SORT, data=sort),
            html.Div(
                _league_table(chart, filters, sort, False),
                id=ids.LEAGUE_TABLE,
                className="league-table",
                tabIndex="0",  # a scrollable region must be reachable by keyboard
                role="region",
                **attributes(aria_label=strings.LEAGUE_REGION),
            ),
            html.Button(
                label,
                id=ids.LEAGUE_ALL,
                type="button",
                hidden=hidden,
                className="btn btn-link btn-sm px-0 mt-1",
                **attributes(aria_expanded=expanded, aria_controls=ids.LEAGUE_TABLE),
            ),
        ]
    )
    return chart_card(ids.LEAGUE, chart, body=body)


def _show_all_outputs(allow_duplicate: bool = False) -> list[Output]:
    """What :func:`_show_all` returns, as callback outputs."""
    return [
        Output(ids.LEAGUE_ALL, prop, allow_duplicate=allow_duplicate)
        for prop in ("children", "aria-expanded", "hidden")
    ]


@callback(
    *chart_outputs(ids.LEAGUE, figure=False),
    Output(ids.LEAGUE_TABLE, "children"),
    Output(ids.LEAGUE_SORT, "data"),
    *_show_all_outputs(),
    SELECTION,
    prevent_initial_call=True,
)
def update_league(data: dict[str, Any] | None) -> tuple[Any, ...]:
    """The league table of a new selection, in its first order, its first rows."""
    filters = read_filters(data)
    sort = league_sort(filters)
    chart = _league(filters)
    table = _league_table(chart, filters, sort, False)
    return (*chart_values(ids.LEAGUE, chart, figure=False), table, sort, *_show_all(chart, False))


@callback(
    Output(ids.LEAGUE_TABLE, "children", allow_duplicate=True),
    Output(ids.LEAGUE_SORT, "data", allow_duplicate=True),
    *_show_all_outputs(allow_duplicate=True),
    Input(sort_button_id(ids.LEAGUE_TABLE, ALL), "n_clicks"),
    Input(ids.LEAGUE_ALL, "n_clicks"),
    State(ids.LEAGUE_SORT, "data"),
    State(ids.LEAGUE_ALL, "aria-expanded"),
    SELECTION_STATE,
    prevent_initial_call=True,
)
def arrange_league(
    _sorts: list[int | None],
    _all: int | None,
    sort: dict[str, Any] | None,
    expanded: str | None,
    data: dict[str, Any] | None,
) -> tuple[Any, ...]:
    """A click on a column's header orders the regions by it (again: the other way round); a
    click on "show all" shows every region (again: the first ones)."""
    clicked = dash.ctx.triggered_id
    if not clicked or not dash.ctx.triggered[0]["value"]:  # just drawn, not clicked
        return (dash.no_update,) * 5
    return rearranged(read_filters(data), sort, expanded == "true", clicked)


def rearranged(
    filters: Filters, sort: dict[str, Any] | None, everything: bool, clicked: Any
) -> tuple[Any, ...]:
    """The league after a click on ``clicked``: a column's sort button or "show all"."""
    if clicked == ids.LEAGUE_ALL:
        everything = not everything
    else:
        sort = next_sort(sort, str(clicked["column"]))
    chosen = dict(sort or league_sort(filters))
    chart = _league(filters)
    return _league_table(chart, filters, chosen, everything), chosen, *_show_all(chart, everything)


@redrawn(ids.AMBITION)
def ambition_for(filters: Filters, _scope: Scope) -> Chart:
    """Do the regions' targets add up to the network's? Compared network-wide, per level."""
    levels = Filters(levels=filters.levels)  # a network-wide comparison: places do not apply

    def build() -> Chart:
        table = network_cached("ambition", Filters(), lambda frames, _all: ambition_gap(frames))
        shown = {str(level) for level in levels.levels}
        return ambition_chart(table[table["level"].astype(str).isin(shown)] if shown else table)

    return chart_of(ids.AMBITION, levels, build, network=True)


@redrawn(ids.HELIX_TRAINED)
def helix_trained_for(filters: Filters, _scope: Scope) -> Chart:
    """People completed per provider helix (who runs the programmes), per level."""
    return explained_chart_of(
        ids.HELIX_TRAINED,
        filters,
        "progress",
        lambda clear: helix_trained_chart(
            on_selection(ids.HELIX_TRAINED, filters, trained_by_helix),
            selection_words(filters),
            clear,
        ),
    )


@redrawn(ids.HELIX_PARTNERS)
def helix_partners_for(filters: Filters, _scope: Scope) -> Chart:
    """How many of the selection's clusters have partners of each helix role."""
    return chart_of(
        ids.HELIX_PARTNERS,
        filters,
        lambda: helix_partners_chart(
            on_network(ids.HELIX_PARTNERS, filters, cluster_helix_roles),
            selection_words(filters),
        ),
        network=True,
    )
