"""Regions × clusters: what each cluster trained in each region it works in, per level, and its
contribution to the region's target, as a heat map and as a table of links."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from dashboard import ids, strings
from dashboard.components.chart_card import TABLE_ROWS_SHOWN, chart_card, redrawn
from dashboard.components.filter_bar import (
    SELECTION,
    SELECTION_STATE,
    Scope,
    filter_bar,
    read_filters,
    read_page_query,
    selection_components,
)
from dashboard.components.formats import missing, month_words
from dashboard.components.matrix import cluster_cell, level_columns, matrix_of
from dashboard.components.sections import (
    chart_of,
    cluster_path,
    names,
    provisional_words,
    selection_words,
    view_links,
)
from dashboard.data import current_frames, no_data_words, selected_frames
from dashboard.figures.base import LEVELS, Chart, focus_level, level_label
from dashboard.figures.matrix import matrix_chart, matrix_pairs
from dashboard.url_state import to_search
from skills_roadmap.analysis import Filters

dash.register_page(
    __name__,
    path="/matrix",
    name=strings.MATRIX_NAME,
    title=strings.MATRIX_PAGE_TITLE,
    order=4,
    in_navbar=True,
)


def region_page(code: str, filters: Filters) -> str:
    """The page of region ``code`` with the rest of the selection kept."""
    return dash.get_relative_path(f"/region/{code}") + to_search(filters, omit=("regions",))


def layout(**query: Any) -> html.Div:
    """The matrix of the selection in the query string."""
    if current_frames().as_of is None:
        return html.Div([html.H1(strings.MATRIX_TITLE), dbc.Alert(no_data_words(), color="info")])
    filters, choices, parsed = read_page_query(query, {})
    return html.Div(
        [
            *selection_components(filters, {}),
            html.H1(strings.MATRIX_TITLE, className="h2"),
            html.P(subtitle(filters), id=ids.MATRIX_SUBTITLE, className="lead"),
            filter_bar(choices, filters, parsed.problems),
            chart_card(ids.MATRIX, matrix_for(filters, {}), height=620, note=strings.MATRIX_NOTE),
            html.Section(
                [
                    html.H2(strings.MATRIX_TABLE_HEADING, className="h4 mt-4 mb-3"),
                    html.Div(matrix_table(filters), id=ids.MATRIX_TABLE),
                ]
            ),
            view_links(filters),
        ]
    )


def subtitle(filters: Filters) -> str:
    """Whose matrix, as of which month."""
    return strings.MATRIX_SUBTITLE.format(
        selection=selection_words(filters),
        as_of=month_words(selected_frames(filters).as_of_period),
    ) + provisional_words(filters)


@callback(Output(ids.MATRIX_SUBTITLE, "children"), SELECTION, prevent_initial_call=True)
def update_subtitle(data: dict[str, Any] | None) -> str:
    """The subtitle of a new selection."""
    return subtitle(read_filters(data))


@redrawn(ids.MATRIX)
def matrix_for(filters: Filters, _scope: Scope) -> Chart:
    """The heat map at the widest level selected."""
    level = focus_level(filters.levels) or LEVELS[0]
    return chart_of(
        ids.MATRIX,
        filters,
        lambda: matrix_chart(matrix_of(filters), level, selection_words(filters)),
    )


def _number(value: Any) -> str:
    return strings.NOT_AVAILABLE if missing(value) else f"{value:,.0f}"


def _share(value: Any) -> str:
    return "" if missing(value) else f" · {value:,.1f}%"


def matrix_table(filters: Filters) -> Any:
    """Every region and cluster working there, people completed and contribution per level,
    regions and clusters linked to their pages (the first rows; the CSV holds all)."""
    pairs = matrix_pairs(matrix_of(filters))
    if pairs.empty:
        return dbc.Alert(
            strings.MATRIX_EMPTY.format(selection=selection_words(filters)), color="info"
        )
    levels = level_columns(pairs)
    header = html.Thead(
        html.Tr(
            [
                html.Th(strings.COLUMNS["region_code"], scope="col"),
                html.Th(strings.COLUMNS["cluster_id"], scope="col"),
                *(
                    html.Th(
                        strings.MATRIX_LEVEL_CAPTION.format(level=level_label(level)),
                        scope="col",
                        className="num",
                    )
                    for level in levels
                ),
            ]
        )
    )
    rows = []
    for row in pairs.head(TABLE_ROWS_SHOWN).to_dict("records"):
        region = f"{row['region_name']} ({row['region_code']})"
        rows.append(
            html.Tr(
                [
                    html.Th(
                        dcc.Link(region, href=region_page(row["region_code"], filters)),
                        scope="row",
                    ),
                    html.Td(cluster_cell(row, filters)),
                    *(
                        html.Td(
                            _number(row[f"completed_{level}"])
                            + _share(row[f"contribution_{level}"]),
                            className="num",
                        )
                        for level in levels
                    ),
                ]
            )
        )
    shown = (
        html.P(
            strings.MATRIX_TABLE_SHOWN.format(shown=TABLE_ROWS_SHOWN, count=len(pairs)),
            className="small text-body-secondary",
        )
        if len(pairs) > TABLE_ROWS_SHOWN
        else None
    )
    table = dbc.Table(
        [
            html.Caption(strings.MATRIX_TABLE_HEADING, className="visually-hidden"),
            header,
            html.Tbody(rows),
        ],
        hover=True,
        size="sm",
        className="numbers mb-1",
    )
    return html.Div([html.Div(table, className="table-responsive"), shown])


@callback(Output(ids.MATRIX_TABLE, "children"), SELECTION, prevent_initial_call=True)
def update_table(data: dict[str, Any] | None) -> Any:
    """The table of a new selection."""
    return matrix_table(read_filters(data))


@callback(
    Output(ids.APP_LOCATION, "href", allow_duplicate=True),
    Input(ids.chart(ids.CHART_GRAPH, ids.MATRIX), "clickData"),
    SELECTION_STATE,
    prevent_initial_call=True,
)
def open_cluster(click: dict[str, Any] | None, data: dict[str, Any] | None) -> Any:
    """Selecting a tile opens its cluster's page, keeping the levels, month and the rest."""
    points = (click or {}).get("points") or []
    custom = points[0].get("customdata") if points else None
    cluster = custom[0] if isinstance(custom, list) and custom else None
    if not isinstance(cluster, str) or cluster not in names()["clusters"]:
        return dash.no_update
    return cluster_path(cluster, read_filters(data))
