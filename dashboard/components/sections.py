"""Chart cards shared by pages, each a function of the selection: trend, contribution,
programmes, funnel, money, inclusion, reporting completeness and facilities.

Every chart asks one analysis function of the selection (through the per-selection cache, so
the charts of one page share the filtered frames) and hands the result to a figure function.
A page's layout draws them first; the callbacks registered with ``redrawn`` redraw them for a
new selection. On a cluster page (the path fixes a cluster) the trend follows the cluster's own
targets and the contribution is per programme instead of per cluster.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, dcc, html

from dashboard import ids, strings
from dashboard.components.attributes import attributes
from dashboard.components.chart_card import chart_card, chart_outputs, chart_values, redrawn
from dashboard.components.filter_bar import (
    SELECTION,
    SELECTION_STATE,
    Scope,
    is_cluster_page,
    read_filters,
)
from dashboard.components.formats import month_words
from dashboard.components.grid import grid_columns, grid_rows, table_grid
from dashboard.components.kpi import funnel_by_level
from dashboard.components.links import code_path
from dashboard.components.report_download import report_download
from dashboard.data import (
    analysis_settings,
    cached,
    network_cached,
    selected_frames,
    selection_headline,
)
from dashboard.figures.base import Chart
from dashboard.figures.breakdowns import esf_chart
from dashboard.figures.completeness import completeness_chart
from dashboard.figures.contribution import contribution_chart, programmes_chart
from dashboard.figures.facilities import facilities_chart
from dashboard.figures.funnel import funnel_chart
from dashboard.figures.inclusion import inclusion_chart
from dashboard.figures.money import money_chart
from dashboard.figures.trend import trend_chart
from dashboard.url_state import to_search
from skills_roadmap.analysis import (
    Filters,
    Frames,
    cluster_drag,
    contribution,
    esf_breakdowns,
    facility_slippage,
    inclusion,
    money,
    reporting_completeness,
)
from skills_roadmap.analysis.emptiness import Emptiness, Kind, why_empty
from skills_roadmap.analysis.headline import Provisional, headline_trend
from skills_roadmap.text import capitalised

T = TypeVar("T")


def on_selection(name: str, filters: Filters, function: Callable[[Frames], T]) -> T:
    """``function`` of the frames narrowed to ``filters``, cached per selection as ``name``."""
    return cached(name, filters, lambda _frames, chosen: function(selected_frames(chosen)))


def on_network(name: str, filters: Filters, function: Callable[[Frames], T]) -> T:
    """:func:`on_selection` for a ``function`` that reads only the network's tables and the
    month shown, never progress: kept across the refreshes that merge uploads in."""
    return network_cached(name, filters, lambda _frames, chosen: function(selected_frames(chosen)))


def chart_of(
    name: str, filters: Filters, build: Callable[[], Chart], *, network: bool = False
) -> Chart:
    """The chart ``name`` of a selection, built once per data version: the same selection
    again (the back button, a colleague's link) is answered from memory. A ``network`` chart
    reads only the network's tables and the month shown (see
    :func:`~dashboard.data.network_cached`): built once per network and month instead."""
    keep = network_cached if network else cached
    return keep(f"chart-{name}", filters, lambda _frames, _chosen: build())


def explained_chart_of(
    name: str, filters: Filters, kind: Kind, build: Callable[[str], Chart]
) -> Chart:
    """:func:`chart_of` for a chart that is empty when the selection has no ``kind``:
    ``build(clear)`` draws it, and an empty one is drawn again naming the filters to clear
    when they, not the places selected, are why (asked only then: it costs a few filterings).
    """

    def explained() -> Chart:
        chart = build("")
        if not chart.empty:
            return chart
        clear = clear_words(emptiness_of(filters, kind))
        return build(clear) if clear else chart

    return chart_of(name, filters, explained)


def emptiness_of(filters: Filters, kind: Kind) -> Emptiness | None:
    """Why the selection has no ``kind`` (see ``why_empty``), once per selection."""
    return cached(f"empty-{kind}", filters, lambda frames, chosen: why_empty(frames, chosen, kind))


def _values_words(field: str, values: tuple[str, ...]) -> str:
    if field == "levels":
        values = tuple(strings.LEVEL_LABELS.get(value, value).lower() for value in values)
    elif field == "delivery_modes":
        values = tuple(strings.DELIVERY_LABELS.get(value, value).lower() for value in values)
    elif field == "provider_helices":
        values = tuple(strings.HELIX_LABELS.get(value, value).lower() for value in values)
    elif field == "as_of":
        values = tuple(month_words(value) for value in values)
    return strings.CLEAR_FILTER[field].format(values=strings.CLEAR_OR.join(values))


def clear_words(emptiness: Emptiness | None) -> str:
    """The filters to clear for the selection to show something, in words ("the funding
    source ERDF or the delivery mode online"); "" when nothing is to blame on the filters."""
    if emptiness is None:
        return ""
    return strings.CLEAR_OR.join(
        strings.CLEAR_AND.join(_values_words(n.field, n.values) for n in narrowings)
        for narrowings in emptiness.clear
    )


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
    return network_cached("names", Filters(), _names)


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


def provisional_words(filters: Filters) -> str:
    """A sentence after a subtitle when the latest reported month is provisional: which month,
    and how many of the programmes due then have reported it; empty otherwise."""
    later = selection_headline(filters).provisional
    if later is None:
        return ""
    shown = strings.PROVISIONAL_SHOWN if filters.as_of == later.period else strings.PROVISIONAL
    return " " + capitalised(
        shown.format(period=month_words(later.period), reported=later.reported, due=later.due)
    )


def section(title: str, *rows: Any) -> html.Section:
    """A titled group of chart rows."""
    return html.Section([html.H2(title, className="h4 mt-4 mb-3"), *rows])


def cards_row(*cards: tuple[Any, int]) -> dbc.Row:
    """Cards side by side on a laptop (``lg`` columns of 12 each), stacked on a phone."""
    return dbc.Row([dbc.Col(card, xs=12, lg=width, className="mb-3") for card, width in cards])


@redrawn(ids.TREND)
def trend_for(filters: Filters, scope: Scope) -> Chart:
    """People trained against the trajectory of the selection's headline targets."""

    def build(clear: str) -> Chart:
        headline = selection_headline(filters)
        targets = headline.targets
        traced, after = _traced_through(filters, headline.provisional)
        # Nothing to trace (and the analysis layer wants at least one target).
        trend = (
            pd.DataFrame()
            if targets.empty
            else on_selection(ids.TREND, traced, lambda frames: headline_trend(frames, targets))
        )
        return trend_chart(trend, targets, selection_words(filters), clear, after)

    return explained_chart_of(ids.TREND, filters, "targets", build)


def _traced_through(filters: Filters, later: Provisional | None) -> tuple[Filters, str | None]:
    """The selection the trend traces, and the month after which it is provisional: shown
    by default (or at the provisional month itself), the trend runs on through the provisional
    months, drawn apart; a month picked before them is traced as it stands."""
    if later is None or (filters.as_of is not None and filters.as_of < later.period):
        return filters, None
    return filters.model_copy(update={"as_of": later.period}), later.complete_through


ContributionKey = Literal["programme_id", "cluster_id"]


def _contribution_by(scope: Scope | None) -> ContributionKey:
    return "programme_id" if is_cluster_page(scope) else "cluster_id"


def contribution_of(filters: Filters, by: ContributionKey) -> Any:
    """``contribution`` of the selection per cluster or programme (cached per selection)."""
    return on_selection(f"contribution-{by}", filters, lambda frames: contribution(frames, by))


@redrawn(ids.CONTRIBUTION)
def contribution_for(filters: Filters, scope: Scope) -> Chart:
    """Who carries the selection: clusters on a region page, programmes on a cluster page."""
    by = _contribution_by(scope)
    return explained_chart_of(
        f"{ids.CONTRIBUTION}-{by}",
        filters,
        "progress",
        lambda clear: contribution_chart(
            contribution_of(filters, by),
            by,
            selection=selection_words(filters),
            clear=clear,
            drag=None if by == "programme_id" else drag_of(filters),
        ),
    )


def drag_of(filters: Filters) -> pd.DataFrame:
    """``cluster_drag`` of the selection: each cluster against its own target or its share
    of the region's, at the levels shown (cached per selection)."""
    return on_selection(
        "cluster-drag", filters, lambda frames: cluster_drag(frames, analysis_settings())
    )


def cluster_path(cluster: str, filters: Filters) -> str:
    """The page of ``cluster`` with the levels, month, funding and delivery of the selection."""
    kept = filters.model_copy(update={"regions": (), "clusters": ()})
    return dash.get_relative_path(f"/cluster/{cluster}") + to_search(kept)


def _clicked_cluster(click: dict[str, Any] | None, data: dict[str, Any] | None) -> Any:
    points = (click or {}).get("points") or []
    cluster = points[0].get("customdata") if points else None
    if not isinstance(cluster, str) or cluster not in names()["clusters"]:
        return dash.no_update
    return cluster_path(cluster, read_filters(data))


@callback(
    Output(ids.APP_LOCATION, "href", allow_duplicate=True),
    Input(ids.chart(ids.CHART_GRAPH, ids.CONTRIBUTION), "clickData"),
    SELECTION_STATE,
    prevent_initial_call=True,
)
def open_contributing_cluster(click: dict[str, Any] | None, data: dict[str, Any] | None) -> Any:
    """Selecting a cluster's bar opens the cluster's page (programmes' bars lead nowhere)."""
    return _clicked_cluster(click, data)


@callback(
    Output(ids.APP_LOCATION, "href", allow_duplicate=True),
    Input(ids.chart(ids.CHART_GRAPH, ids.CLUSTER_PEERS), "clickData"),
    SELECTION_STATE,
    prevent_initial_call=True,
)
def open_peer_cluster(click: dict[str, Any] | None, data: dict[str, Any] | None) -> Any:
    """Selecting another cluster's bar opens that cluster's page."""
    return _clicked_cluster(click, data)


def cluster_links(filters: Filters, scope: Scope | None) -> list[Any]:
    """Links to the pages of the clusters the contribution chart shows, largest first, so a
    keyboard or screen-reader user reaches them as a pointer does by clicking a bar; nothing
    on a cluster page (its chart shows programmes)."""
    if is_cluster_page(scope):
        return []
    table = contribution_of(filters, "cluster_id")
    if table.empty:
        return []
    links = [
        html.Li(dcc.Link(str(name), href=cluster_path(str(cluster), filters)))
        for cluster, name in zip(table["cluster_id"], table["name"], strict=True)
    ]
    return [
        html.H3(strings.CLUSTER_LINKS_LABEL, className="h6 mb-1"),
        html.Ul(links, className="list-inline cluster-link-list mb-0"),
    ]


@callback(
    Output(ids.CLUSTER_LINKS, "children"),
    SELECTION,
    Input(ids.PAGE_SCOPE, "data"),
    prevent_initial_call=True,
)
def update_cluster_links(data: dict[str, Any] | None, scope: dict[str, Any] | None) -> list[Any]:
    """The cluster links of a new selection."""
    return cluster_links(read_filters(data), scope)


def programmes_for(filters: Filters) -> Chart:
    """The selection's programmes with people completed and enrolment against capacity."""
    return explained_chart_of(
        ids.PROGRAMMES,
        filters,
        "programmes",
        lambda clear: programmes_chart(
            contribution_of(filters, "programme_id"), selection_words(filters), clear
        ),
    )


def programmes_card(filters: Filters) -> Any:
    """The programmes of the selection as a sortable grid."""
    chart = programmes_for(filters)
    grid = table_grid(ids.REGION_PROGRAMMES_GRID, chart.table, **programme_links(chart.table))
    return chart_card(ids.PROGRAMMES, chart, body=grid)


def programme_links(table: pd.DataFrame) -> dict[str, Any]:
    """The grid's arguments that make each programme's name a link to its page (none for an
    empty table)."""
    name, code = strings.COLUMNS["name"], strings.COLUMNS["id"]
    if name not in table or code not in table:
        return {}
    return {"link_column": name, "href": lambda row: code_path(str(row[code])) or ""}


@callback(
    *chart_outputs(ids.PROGRAMMES, figure=False),
    Output(ids.REGION_PROGRAMMES_GRID, "rowData"),
    Output(ids.REGION_PROGRAMMES_GRID, "columnDefs"),
    SELECTION,
    prevent_initial_call=True,
)
def update_programmes(data: dict[str, Any] | None) -> tuple[Any, ...]:
    """Fill the programmes grid for a new selection."""
    chart = programmes_for(read_filters(data))
    return (
        *chart_values(ids.PROGRAMMES, chart, figure=False),
        grid_rows(chart.table, **programme_links(chart.table)),
        grid_columns(chart.table, programme_links(chart.table).get("link_column")),
    )


@redrawn(ids.FUNNEL)
def funnel_for(filters: Filters, _scope: Scope) -> Chart:
    """Enrolled, completed, certified and dropped out per level."""
    return explained_chart_of(
        ids.FUNNEL,
        filters,
        "progress",
        lambda clear: funnel_chart(funnel_by_level(filters), selection_words(filters), clear),
    )


@redrawn(ids.MONEY)
def money_for(filters: Filters, _scope: Scope) -> Chart:
    """Spend against budget per funding source."""
    return explained_chart_of(
        ids.MONEY,
        filters,
        "programmes",
        lambda clear: money_chart(
            money(selected_frames(filters), ("funding_source",)), selection_words(filters), clear
        ),
    )


@redrawn(ids.INCLUSION)
def inclusion_for(filters: Filters, _scope: Scope) -> Chart:
    """The share of women among participants per level, against the goal."""
    return explained_chart_of(
        ids.INCLUSION,
        filters,
        "progress",
        lambda clear: inclusion_chart(
            inclusion(selected_frames(filters), ("level",), analysis_settings()),
            selection_words(filters),
            clear,
        ),
    )


@redrawn(ids.ESF)
def esf_for(filters: Filters, _scope: Scope) -> Chart:
    """The ESF+ participant breakdowns of the selection, with the share reported."""
    return explained_chart_of(
        ids.ESF,
        filters,
        "progress",
        lambda clear: esf_chart(
            esf_breakdowns(selected_frames(filters)), selection_words(filters), clear
        ),
    )


@redrawn(ids.COMPLETENESS)
def completeness_for(filters: Filters, _scope: Scope) -> Chart:
    """Programmes that have not reported the latest month."""

    def build(clear: str) -> Chart:
        selected = selected_frames(filters)
        table = reporting_completeness(selected)
        return completeness_chart(table, selected.as_of_period, selection_words(filters), clear)

    return explained_chart_of(ids.COMPLETENESS, filters, "programmes", build)


@redrawn(ids.FACILITIES)
def facilities_for(filters: Filters, _scope: Scope) -> Chart:
    """The selection's facilities: planned against actual opening."""

    def build() -> Chart:
        selected = selected_frames(filters)
        table = facility_slippage(selected)
        return facilities_chart(table, selected.as_of_period, selection_words(filters))

    return chart_of(ids.FACILITIES, filters, build, network=True)


def programmes_path(filters: Filters) -> str:
    """The programmes page of the selection (the query string holds it)."""
    return dash.get_relative_path("/programmes") + to_search(filters)


def report_path(filters: Filters) -> str:
    """The Reports page of the selection."""
    return dash.get_relative_path("/reports") + to_search(filters)


def view_links(filters: Filters, *, downloads: bool = False, programmes: bool = True) -> html.Div:
    """The same selection elsewhere: its programmes (unless on the programmes page), and its
    report — as download buttons (``downloads``, on region and cluster pages) or as a link to
    the Reports page."""
    links = []
    if programmes:
        links.append(
            dcc.Link(
                strings.ALL_PROGRAMMES_LINK, href=programmes_path(filters), id=ids.PROGRAMMES_LINK
            )
        )
    if not downloads:
        links.append(dcc.Link(strings.REPORT_LINK, href=report_path(filters), id=ids.REPORT_LINK))
    nav = html.Nav(
        links,
        className="d-flex flex-wrap gap-3 my-3 view-links",
        **attributes(aria_label=strings.VIEW_LINKS_LABEL),
    )
    return html.Div([nav, report_download()] if downloads else [nav])


@callback(Output(ids.PROGRAMMES_LINK, "href"), SELECTION, prevent_initial_call=True)
def update_programmes_link(data: dict[str, Any] | None) -> str:
    """Point the programmes link at a new selection."""
    return programmes_path(read_filters(data))


@callback(Output(ids.REPORT_LINK, "href"), SELECTION, prevent_initial_call=True)
def update_report_link(data: dict[str, Any] | None) -> str:
    """Point the report link at a new selection."""
    return report_path(read_filters(data))


def scope_sections(
    filters: Filters, scope: Scope, peers_card: Any, contribution_note: str | None = None
) -> list[Any]:
    """The sections of a region or cluster page, below its headline cards."""
    return [
        section(
            strings.SECTION_TARGETS,
            cards_row((chart_card(ids.TREND, trend_for(filters, scope)), 7), (peers_card, 5)),
        ),
        section(
            strings.SECTION_WHO,
            cards_row(
                (
                    chart_card(
                        ids.CONTRIBUTION,
                        contribution_for(filters, scope),
                        height=420,
                        note=contribution_note,
                    ),
                    12,
                )
            ),
            html.Nav(
                cluster_links(filters, scope),
                id=ids.CLUSTER_LINKS,
                className="mb-3 cluster-links",
                **attributes(aria_label=strings.CLUSTER_LINKS_LABEL),
            ),
            cards_row((programmes_card(filters), 12)),
        ),
        section(
            strings.SECTION_MONEY,
            cards_row(
                (chart_card(ids.FUNNEL, funnel_for(filters, scope)), 4),
                (chart_card(ids.MONEY, money_for(filters, scope)), 4),
                (chart_card(ids.INCLUSION, inclusion_for(filters, scope)), 4),
            ),
            cards_row((chart_card(ids.ESF, esf_for(filters, scope), height=460), 12)),
        ),
        section(
            strings.SECTION_DELIVERY,
            cards_row(
                (chart_card(ids.COMPLETENESS, completeness_for(filters, scope)), 6),
                (chart_card(ids.FACILITIES, facilities_for(filters, scope)), 6),
            ),
        ),
    ]
