"""Programmes: every programme of the selection in one grid, with its progress and reporting
status; rows are sorted, filtered and sent in blocks by the server as the reader scrolls. A
programme's name opens its details (``?programme=ID``): the history of its stored values."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, clientside_callback, dcc, html

from dashboard import ids, strings
from dashboard.components.filter_bar import (
    filter_bar,
    read_filters,
    read_page_query,
    selection_components,
)
from dashboard.components.formats import as_percent, month_words, quantity
from dashboard.components.grid import (
    escape_markdown,
    grid_text,
    number_format,
    percent_format,
    rows_block,
)
from dashboard.components.history import value_history_section
from dashboard.components.sections import on_selection, view_links
from dashboard.data import current_frames, no_data_words
from dashboard.url_state import to_search
from skills_roadmap.analysis import Filters, Frames
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
DETAIL = "programme"  # the query parameter naming the programme whose details are shown
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
                "valueFormatter": percent_format() if column.endswith("_pct") else number_format(),
            }
        else:
            spec["filter"] = "agTextColumnFilter"
        if column in LINKED or column == "name":
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
            "localeText": grid_text(),
        },
        className="ag-theme-alpine",
        style={"height": "620px", "width": "100%"},
    )


def programme_detail(programme_id: str, filters: Filters) -> html.Section:
    """One programme's facts and the history of its stored values, above the grid."""
    programmes = current_frames().programmes
    back = dcc.Link(
        strings.PROGRAMME_DETAIL_CLOSE,
        href=dash.get_relative_path(f"/programmes{to_search(filters)}"),
    )
    found = programmes[programmes["programme_id"] == programme_id]
    if found.empty:
        message = strings.PROGRAMME_UNKNOWN.format(programme_id=programme_id)
        return html.Section(
            [dbc.Alert(message, color="warning"), back], id=ids.PROGRAMME_DETAIL, className="mb-4"
        )
    programme = found.iloc[0]
    facts = strings.PROGRAMME_DETAIL_FACTS.format(
        level=strings.LEVEL_LABELS.get(str(programme["level"]), programme["level"]),
        cluster_id=programme["cluster_id"],
        region_code=programme["region_code"],
        start=month_words(f"{programme['start']:%Y-%m}"),
        end=month_words(f"{programme['end']:%Y-%m}"),
    )
    return html.Section(
        [
            html.H2(
                strings.PROGRAMME_DETAIL_TITLE.format(
                    name=programme["name"], programme_id=programme_id
                ),
                className="h3",
            ),
            html.P(facts),
            value_history_section(programme_id),
            back,
        ],
        id=ids.PROGRAMME_DETAIL,
        className="mb-4 border-bottom pb-3",
    )


def layout(**query: Any) -> html.Div:
    """All programmes of the selection in the query string; with ``programme=ID``, that
    programme's details above them."""
    if current_frames().as_of is None:
        return html.Div(
            [html.H1(strings.PROGRAMMES_TITLE_PAGE), dbc.Alert(no_data_words(), color="info")]
        )
    detail = query.pop(DETAIL, None)
    filters, choices, parsed = read_page_query(query, {})
    return html.Div(
        [
            *selection_components(filters, {}),
            html.H1(strings.PROGRAMMES_TITLE_PAGE, className="h2"),
            html.P(strings.PROGRAMMES_INTRO, className="lead"),
            filter_bar(choices, filters, parsed.problems),
            *([programme_detail(str(detail), filters)] if detail else []),
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
    search = to_search(read_filters(data))
    for row in block["rowData"]:
        chosen = quote(str(row["programme_id"]), safe="")
        detail = f"/programmes{search}{'&' if search else '?'}{DETAIL}={chosen}"
        row["name"] = f"[{escape_markdown(str(row['name']))}]({dash.get_relative_path(detail)})"
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
