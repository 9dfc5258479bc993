"""Cluster page: the cluster's own targets, its programmes, how it compares with the other
clusters of its regions, what it costs, who reports late and its facilities."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import Output, callback, html

from dashboard import ids, strings
from dashboard.components.chart_card import chart_card, redrawn
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
from dashboard.components.sections import (
    contribution_of,
    explained_chart_of,
    names,
    provisional_words,
    scope_sections,
    selection_words,
    view_links,
)
from dashboard.data import cached, current_frames
from dashboard.figures.base import Chart
from dashboard.figures.contribution import contribution_chart
from dashboard.pages.region import unknown
from skills_roadmap.analysis import Filters, Frames
from skills_roadmap.domain import ScopeKind

FIELDS = ("regions", "levels", "as_of", "funding_sources", "delivery_modes", "provider_helices")


def title(cluster: str | None = None, **_: Any) -> str:
    """The browser tab's title: the cluster's name."""
    return strings.CLUSTER_PAGE_TITLE.format(
        name=names()["clusters"].get(cluster or "", cluster or "")
    )


dash.register_page(
    __name__, path_template="/cluster/<cluster>", name=strings.CLUSTER_NAME, title=title, order=2
)


def _working_regions(frames: Frames, _filters: Filters) -> dict[str, list[str]]:
    pairs = pd.concat(
        [
            frames.cluster_regions[["cluster_id", "region_code"]].astype(str),
            frames.programmes[["cluster_id", "region_code"]].dropna().astype(str),
        ]
    ).drop_duplicates()
    grouped = pairs.groupby("cluster_id")["region_code"]
    return {str(cluster): sorted(codes) for cluster, codes in grouped}


def working_regions(cluster: str) -> list[str]:
    """The regions a cluster works in: its home region, those it says it also works in, and
    those it runs programmes in."""
    regions = cached("working-regions", Filters(), _working_regions)
    return regions.get(cluster) or [names()["cluster_regions"][cluster]]


def layout(cluster: str | None = None, **query: Any) -> html.Div:
    """The page of ``cluster`` for the selection in the query string."""
    known = names()
    if current_frames().as_of is None or cluster not in known["clusters"]:
        return unknown(strings.CLUSTER_UNKNOWN.format(cluster=cluster))
    scope = {"clusters": [cluster]}
    filters, choices, parsed = read_page_query(query, scope)
    return html.Div(
        [
            *selection_components(filters, scope),
            html.H1(known["clusters"][cluster], className="h2"),
            html.P(subtitle(cluster, filters), id=ids.CLUSTER_SUBTITLE, className="lead"),
            filter_bar(choices, filters, parsed.problems, FIELDS),
            html.P(strings.CLUSTER_KPI_NOTE, className="text-body-secondary small"),
            kpi_cards(filters),
            *scope_sections(
                filters,
                scope,
                chart_card(
                    ids.CLUSTER_PEERS,
                    cluster_peers_for(filters, scope),
                    height=420,
                    note=strings.CONTRIBUTION_NOTE,
                ),
            ),
            target_revisions_section(ScopeKind.CLUSTER, cluster),
            view_links(filters, downloads=True),
        ]
    )


def subtitle(cluster: str, filters: Filters) -> str:
    """The sentence under the cluster's name: where it is based and works, and the as-of
    month shown."""
    known = names()
    return strings.CLUSTER_SUBTITLE.format(
        region=known["regions"][known["cluster_regions"][cluster]],
        regions=", ".join(known["regions"][code] for code in working_regions(cluster)),
        as_of=month_words(filters.as_of or page_choices({"clusters": [cluster]}).latest),
    ) + provisional_words(filters)


@callback(Output(ids.CLUSTER_SUBTITLE, "children"), SELECTION, SCOPE, prevent_initial_call=True)
def update_subtitle(data: dict[str, Any] | None, scope: Scope | None) -> str:
    """The subtitle of a new selection: another month in the filter bar is named."""
    cluster = str(((scope or {}).get("clusters") or [""])[0])
    return subtitle(cluster, read_filters(data))


@redrawn(ids.CLUSTER_PEERS)
def cluster_peers_for(filters: Filters, scope: Scope) -> Chart:
    """The cluster among the clusters of the regions it works in, by people completed."""
    cluster = (scope.get("clusters") or [""])[0]
    regions = filters.regions or tuple(working_regions(cluster))
    peers = filters.model_copy(update={"clusters": (), "regions": regions})
    return explained_chart_of(
        f"{ids.CLUSTER_PEERS}-{cluster}",
        peers,
        "progress",
        lambda clear: contribution_chart(
            contribution_of(peers, "cluster_id"),
            "cluster_id",
            highlight=cluster,
            selection=selection_words(peers),
            clear=clear,
        ),
    )
