"""Programmes: every programme of the selection in one grid, with its progress and reporting
status; rows are sorted, filtered and sent in blocks by the server as the reader scrolls."""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, clientside_callback, html

from dashboard import ids, strings
from dashboard.components.filter_bar import (
    filter_bar,
    read_filters,
    read_page_query,
    selection_components,
)
from dashboard.components.formats import as_percent, quantity
from dashboard.components.grid import NUMBER_FORMAT, PERCENT_FORMAT, escape_markdown, rows_block
from dashboard.components.sections import on_selection, view_links
from dashboard.data import current_frames, no_data_words
from skills_roadmap.analysis import Frames
from skills_roadmap.analysis.tables import programme_table

dash.register_page(
    __name__,
    path="/programmes",
    name=strings.PROGRAMMES_NAME,
    title=f"{strings.PROGRAMMES_NAME} · {strings.APP_TITLE}",
    order=3,
    in_navbar=True,
)

BLOCK_ROWS = 100
COLUMNS = (
    "name",
    "late",
    "completed",
    "enrolled",
    "capacity_use_pct",
    "level",
    "region_code",
    "cluster_id",
    "programme_id",
    "provider",
    "delivery_mode",
    "funding_source",
    "start",
    "end",
    "capacity",
    "budget_eur",
    "months_late",
)
LINKED = {"region_code": "region", "cluster_id": "cluster"}  # columns that open a page
NUMBER_COLUMNS = frozenset(
    {"completed", "enrolled", "capacity_use_pct", "capacity", "budget_eur", "months_late"}
)


def _reporting(months_late: pd.Series) -> list[str]:
    return [
        strings.PROGRAMME_NOT_DUE
        if pd.isna(months)
        else strings.PROGRAMME_UP_TO_DATE
        if months == 0
        else strings.PROGRAMME_LATE.format(months=quantity(int(months), "month"))
        for months in months_late
    ]


def programme_rows(frames: Frames) -> pd.DataFrame:
    """One row per programme of ``frames``: the rows of the exports' Programmes table
    (:func:`~skills_roadmap.analysis.tables.programme_table`: a total never reported is
    blank, not 0), laid out for the grid."""
    table = programme_table(frames)
    return table.assign(
        level=table["level"].map(strings.LEVEL_LABELS),
        delivery_mode=table["delivery_mode"].map(strings.DELIVERY_LABELS),
        start=table["start"].dt.strftime("%Y-%m-%d"),
        end=table["end"].dt.strftime("%Y-%m-%d"),
        capacity_use_pct=table["capacity_use"].map(as_percent),
        late=_reporting(table["months_late"]),
    )[list(COLUMNS)]


def column_defs() -> list[dict[str, Any]]:
    """The grid's columns: text and number filters, evaluated on the server."""
    defs: list[dict[str, Any]] = []
    for column in COLUMNS:
        spec: dict[str, Any] = {"field": column, "headerName": strings.COLUMNS[column]}
        if column in NUMBER_COLUMNS:
            spec |= {
                "type": "rightAligned",
                "filter": "agNumberColumnFilter",
                "valueFormatter": PERCENT_FORMAT if column.endswith("_pct") else NUMBER_FORMAT,
            }
        else:
            spec["filter"] = "agTextColumnFilter"
        if column in LINKED:
            spec["cellRenderer"] = "markdown"
        if column == "name":
            spec |= {"pinned": "left", "minWidth": 260}
        defs.append(spec)
    return defs


def programmes_grid() -> dag.AgGrid:
    """The grid in infinite-scrolling mode: it asks the server for blocks of rows."""
    return dag.AgGrid(
        id=ids.PROGRAMMES_GRID,
        rowModelType="infinite",
        columnDefs=column_defs(),
        defaultColDef={
            "sortable": True,
            "resizable": True,
            "minWidth": 120,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            "filterParams": {"maxNumConditions": 2, "buttons": ["reset"]},
        },
        dashGridOptions={
            "cacheBlockSize": BLOCK_ROWS,
            "maxBlocksInCache": 10,
            "infiniteInitialRowCount": BLOCK_ROWS,
            "rowBuffer": 0,
            "animateRows": False,
            "enableCellTextSelection": True,
        },
        className="ag-theme-alpine",
        style={"height": "620px", "width": "100%"},
    )


def layout(**query: Any) -> html.Div:
    """All programmes of the selection in the query string."""
    if current_frames().as_of is None:
        return html.Div(
            [html.H1(strings.PROGRAMMES_TITLE_PAGE), dbc.Alert(no_data_words(), color="info")]
        )
    filters, choices, parsed = read_page_query(query, {})
    return html.Div(
        [
            *selection_components(filters, {}),
            html.H1(strings.PROGRAMMES_TITLE_PAGE, className="h2"),
            html.P(strings.PROGRAMMES_INTRO, className="lead"),
            filter_bar(choices, filters, parsed.problems),
            html.P(id=ids.PROGRAMMES_COUNT, className="fw-semibold", role="status"),
            programmes_grid(),
            view_links(filters, programmes=False),
        ]
    )


@callback(
    Output(ids.PROGRAMMES_GRID, "getRowsResponse"),
    Output(ids.PROGRAMMES_COUNT, "children"),
    Input(ids.PROGRAMMES_GRID, "getRowsRequest"),
    State(ids.FILTERS, "data"),
    prevent_initial_call=True,
)
def serve_rows(request: dict[str, Any] | None, data: dict[str, Any] | None) -> tuple[Any, str]:
    """One block of rows for the grid, after the grid's own sorting and filtering."""
    table = on_selection("programme-rows", read_filters(data), programme_rows)
    block = rows_block(table, request)
    for row in block["rowData"]:
        for column, page in LINKED.items():
            code = escape_markdown(str(row[column]))
            row[column] = f"[{code}]({dash.get_relative_path(f'/{page}/{row[column]}')})"
    return block, strings.PROGRAMMES_COUNT.format(count=block["rowCount"])


# A new selection empties the grid's block cache, so it asks again from the first row.
clientside_callback(
    f"""
    function (data) {{
        if (window.dash_ag_grid && document.getElementById("{ids.PROGRAMMES_GRID}")) {{
            window.dash_ag_grid.getApiAsync("{ids.PROGRAMMES_GRID}").then(function (api) {{
                api.purgeInfiniteCache();
                api.ensureIndexVisible(0);
            }});
        }}
    }}
    """,
    Input(ids.FILTERS, "data"),
    prevent_initial_call=True,
)
