"""Region page: is the region on track per level, who carries it, what it costs, how it
compares with its peers, who reports late and where its facilities stand."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Output, callback, dcc, html

from dashboard import ids, strings
from dashboard.components.chart_card import chart_card, chart_outputs, chart_values, redrawn
from dashboard.components.filter_bar import (
    SCOPE,
    SELECTION,
    Scope,
    filter_bar,
    page_choices,
    read_filters,
    read_page_query,
    selection_components,
)
from dashboard.components.formats import month_words
from dashboard.components.history import target_revisions_section
from dashboard.components.kpi import kpi_cards
from dashboard.components.late import not_reported_section
from dashboard.components.matrix import cluster_cell, level_columns, matrix_of
from dashboard.components.sections import (
    chart_of,
    drag_of,
    names,
    on_selection,
    provisional_words,
    scope_sections,
    view_links,
)
from dashboard.components.status import status_badge
from dashboard.data import analysis_settings, current_frames, no_data_words
from dashboard.figures.base import Chart
from dashboard.figures.matrix import matrix_pairs, region_clusters_chart
from dashboard.figures.peers import peers_chart
from skills_roadmap.analysis import Filters, peers
from skills_roadmap.domain import ScopeKind

FIELDS = ("clusters", "levels", "as_of", "funding_sources", "delivery_modes", "provider_helices")


def title(code: str | None = None, **_: Any) -> str:
    """The browser tab's title: the region's name."""
    name = names()["regions"].get(code or "", code or "")
    return strings.REGION_PAGE_TITLE.format(name=name, code=code)


dash.register_page(
    __name__, path_template="/region/<code>", name=strings.REGION_NAME, title=title, order=1
)


def unknown(message: str) -> html.Div:
    """The page for an address naming nothing that exists: say so and lead back."""
    return html.Div(
        [
            html.H1(strings.NOT_FOUND_TITLE, className="h2"),
            dbc.Alert(message, color="warning"),
            dcc.Link(strings.BACK_HOME, href="/"),
        ]
    )


def layout(code: str | None = None, **query: Any) -> html.Div:
    """The page of region ``code`` for the selection in the query string."""
    if current_frames().as_of is None:
        return html.Div([html.H1(strings.REGION_NAME), dbc.Alert(no_data_words(), color="info")])
    known = names()
    if code not in known["regions"]:
        return unknown(strings.REGION_UNKNOWN.format(code=code))
    scope = {"regions": [code]}
    filters, choices, parsed = read_page_query(query, scope)
    return html.Div(
        [
            *selection_components(filters, scope),
            html.H1(f"{known['regions'][code]} ({code})", className="h2"),
            html.P(subtitle(code, filters), id=ids.REGION_SUBTITLE, className="lead"),
            filter_bar(choices, filters, parsed.problems, FIELDS),
            kpi_cards(filters),
            region_clusters_card(code, filters),
            *scope_sections(
                filters,
                scope,
                chart_card(ids.PEERS, peers_for(filters, scope)),
                strings.CONTRIBUTION_NOTE,
            ),
            not_reported_section(),
            target_revisions_section(ScopeKind.REGION, code),
            view_links(filters, downloads=True),
        ]
    )


def subtitle(code: str, filters: Filters) -> str:
    """The sentence under the region's name: its country and the as-of month shown."""
    as_of = month_words(filters.as_of or page_choices({"regions": [code]}).latest)
    country = names()["countries"].get(code, "")
    return strings.REGION_SUBTITLE.format(country=country, as_of=as_of) + provisional_words(filters)


@callback(Output(ids.REGION_SUBTITLE, "children"), SELECTION, SCOPE, prevent_initial_call=True)
def update_subtitle(data: dict[str, Any] | None, scope: Scope | None) -> str:
    """The subtitle of a new selection: another month in the filter bar is named."""
    code = str(((scope or {}).get("regions") or [""])[0])
    return subtitle(code, read_filters(data))


@redrawn(ids.PEERS)
def peers_for(filters: Filters, scope: Scope) -> Chart:
    """The region among all regions: attainment against cost per completer."""
    everyone = filters.model_copy(update={"regions": (), "clusters": ()})
    highlight = (scope.get("regions") or [None])[0]

    def build() -> Chart:
        table = on_selection(ids.PEERS, everyone, lambda frames: peers(frames, analysis_settings()))
        return peers_chart(table, highlight)

    return chart_of(f"{ids.PEERS}-{highlight}", filters, build)


def _region_clusters(code: str, filters: Filters) -> tuple[Chart, Any]:
    """The chart (a table) of the clusters working in region ``code`` and its list: each
    cluster a link to its page, where it is based when elsewhere, and the people it
    completed here per level."""
    pairs = matrix_pairs(matrix_of(filters.model_copy(update={"regions": (code,)})))
    pairs = pairs[pairs["region_code"] == code]
    chart = region_clusters_chart(pairs, names()["regions"].get(code, code))
    if pairs.empty:
        return chart, html.P(chart.title, className="mb-0")
    levels = level_columns(pairs)
    lagging = drag_statuses(code, filters)
    items = [
        html.Li(
            [
                *cluster_cell(row, filters),
                *lagging_badge(lagging.get(str(row["cluster_id"]))),
                html.Span(
                    " · ".join(
                        f"{strings.LEVEL_LABELS[level]} "
                        + (
                            strings.NOT_AVAILABLE
                            if pd.isna(row[f"completed_{level}"])
                            else f"{row[f'completed_{level}']:,.0f}"
                        )
                        for level in levels
                    ),
                    className="ms-2 small text-body-secondary",
                ),
            ],
            className="list-group-item",
        )
        for row in pairs.to_dict("records")
    ]
    return chart, html.Ul(items, className="list-group list-group-flush region-clusters")


def drag_statuses(code: str, filters: Filters) -> dict[str, str]:
    """Each cluster's status against its own target or its expected share of the region's
    (``cluster_drag``, the numbers the "who carries it" chart colours its bars by)."""
    drag = drag_of(filters.model_copy(update={"regions": (code,)}))
    judged = drag[drag["status"].notna()]
    return dict(zip(judged["cluster_id"].astype(str), judged["status"].astype(str), strict=True))


def lagging_badge(status: str | None) -> list[Any]:
    """A lagging cluster's status beside its name, so a phone answers "which cluster lags?"
    under the headline cards; nothing for a cluster on track or not judged."""
    if status not in strings.CONTRIBUTION_LAGGING:
        return []
    return [html.Span(status_badge(status), className="ms-2")]


def region_clusters_card(code: str, filters: Filters) -> Any:
    """Every cluster working in the region, those based elsewhere too."""
    chart, listing = _region_clusters(code, filters)
    body = html.Div(listing, id=ids.REGION_CLUSTERS_LIST)
    return html.Div(chart_card(ids.REGION_CLUSTERS, chart, body=body), className="mb-3")


@callback(
    *chart_outputs(ids.REGION_CLUSTERS, figure=False),
    Output(ids.REGION_CLUSTERS_LIST, "children"),
    SELECTION,
    SCOPE,
    prevent_initial_call=True,
)
def update_region_clusters(data: dict[str, Any] | None, scope: Scope | None) -> tuple[Any, ...]:
    """The region's clusters for a new selection."""
    code = str(((scope or {}).get("regions") or [""])[0])
    chart, listing = _region_clusters(code, read_filters(data))
    return (*chart_values(ids.REGION_CLUSTERS, chart, figure=False), listing)
