"""The chart card: a finding as title, the chart, a "Table" view of its numbers, CSV and PNG.

Built once and used for every chart. A chart is a function of the selection registered with
:func:`redrawn`: the page's layout draws its first view into the card (``chart_card(name,
chart)``), so a page opens complete, with no round trip per chart; the registered callback
redraws the card when the selection changes (``chart_outputs(name)`` ← ``chart_values(chart)``).
The table view, the CSV download and the PNG download are generic callbacks here, matched to
the card by its name.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, cast

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import (
    MATCH,
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    dcc,
    html,
)

from dashboard import ids, strings
from dashboard.auth import require
from dashboard.components.attributes import attributes
from dashboard.components.filter_bar import SCOPE, SELECTION, Scope, read_filters
from dashboard.components.links import code_path, row_links
from dashboard.figures.base import Chart
from skills_roadmap import palette
from skills_roadmap.analysis import Filters
from skills_roadmap.i18n import current_language
from skills_roadmap.i18n.formats import number
from skills_roadmap.users import Permission

TABLE_ROWS_SHOWN = 300  # the table view lists this many rows; the CSV has all of them
CHART_STATE = "chart-state"
"""The kind of a card's hidden marker whose class says whether the chart is empty: the card's
stylesheet shrinks an empty card and hides its Table, CSV and PNG buttons."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

ChartOf = Callable[[Filters, Scope], Chart]
"""A chart as a function of the selection and of what the page's path fixes."""
Redraw = Callable[[dict[str, Any] | None, dict[str, Any] | None], tuple[Any, ...]]
"""A chart's callback: the selection store's data and the page's scope to the card's values."""

REDRAWS: dict[str, Redraw] = {}
"""The callback :func:`redrawn` registered, per chart name."""

CARDS_DRAWN_JS = """() => {
  if (!document.querySelector('#_pages_content h1')) return false;  // the page is not in yet
  if (document.querySelector('[data-dash-is-loading="true"]')) return false;
  return [...document.querySelectorAll('.chart-graph')].every(card => {
    const plot = card.querySelector('.js-plotly-plot');
    if (!plot || !plot._fullLayout || !plot.querySelector('.main-svg')) return false;
    if (!plot.data.length && !(plot.layout.annotations || []).length) return false;
    return !plot._fullLayout._has('geo') || !!plot.querySelector('.geo .land path');
  });
}"""
"""In the browser: whether the page is in, nothing is loading and every chart card's figure is
drawn (a map with its land). What the browser tests and the benchmark wait for."""


def graph_config(name: str) -> dict[str, Any]:
    """Plotly's configuration: no mode bar (the card has its own buttons), map shapes from the
    dashboard's own assets, a PNG named after the chart, and the page's language for the
    numbers and dates Plotly formats itself (``dashboard.figures.locales``)."""
    return {
        "displayModeBar": False,
        "locale": current_language(),
        "topojsonURL": dash.get_relative_path("/assets/topojson/"),
        "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2},
    }


def _button(
    label: str, aria_label: str, kind: str, name: str, extra: dict[str, Any] | None = None
) -> html.Button:
    return html.Button(
        label,
        id=ids.chart(kind, name),
        type="button",
        className="btn btn-outline-secondary btn-sm",
        title=aria_label,
        **attributes(aria_label=aria_label),
        **(extra or {}),
    )


def chart_card(
    name: str,
    chart: Chart,
    *,
    height: int = 380,
    body: Any = None,
    note: str | None = None,
) -> dbc.Card:
    """The card of the chart ``name`` showing ``chart``; the callback :func:`redrawn` registers
    redraws it for a new selection.

    Args:
        name: the chart's name (see :mod:`dashboard.ids`); also the download file name.
        chart: what the card shows first.
        height: the chart's height in pixels.
        body: a component to show instead of a graph (e.g. a grid, which is its own table).
        note: a line under the chart on how to read or use it.
    """
    graph = (
        body
        if body is not None
        else dcc.Graph(
            id=ids.chart(ids.CHART_GRAPH, name),
            figure=chart.figure,
            config=cast(Any, graph_config(name)),
            style={"height": f"{height}px"},
            className="chart-graph",
        )
    )
    actions: list[Any] = []
    if body is None:
        actions.append(
            _button(
                strings.CHART_TABLE,
                strings.CHART_TABLE_LABEL,
                ids.CHART_TABLE_TOGGLE,
                name,
                attributes(aria_expanded="false", aria_controls=f"{name}-table"),
            )
        )
    actions.append(_button(strings.CHART_CSV, strings.CHART_CSV_LABEL, ids.CHART_CSV, name))
    if body is None:
        actions.append(_button(strings.CHART_PNG, strings.CHART_PNG_LABEL, ids.CHART_PNG, name))
    payload = table_payload(name, chart.title, chart.table, empty=chart.empty)
    return dbc.Card(
        [
            html.Div(id=ids.chart(CHART_STATE, name), className=state_class(chart.empty)),
            dbc.CardHeader(
                html.H3(
                    linked_title(payload),
                    id=ids.chart(ids.CHART_TITLE, name),
                    className="h6 mb-0 chart-title",
                    **attributes(aria_live="polite"),
                )
            ),
            dbc.CardBody(
                [
                    dcc.Loading(graph, delay_show=400, type="dot", color=palette.ACCENT),
                    html.P(note, className="small text-body-secondary mb-0") if note else None,
                    dbc.Collapse(
                        html.Div(id=ids.chart(ids.CHART_TABLE, name), className="chart-table"),
                        id=ids.chart(ids.CHART_TABLE_COLLAPSE, name),
                        is_open=False,
                    )
                    if body is None
                    else None,
                ],
                className="p-2",
            ),
            dbc.CardFooter(
                [html.Div(actions, className="d-flex gap-2 flex-wrap chart-actions")],
                className="py-2",
            ),
            dcc.Store(id=ids.chart(ids.CHART_DATA, name), data=payload),
            dcc.Download(id=ids.chart(ids.CHART_DOWNLOAD, name)),
        ],
        className=f"chart-card h-100 chart-{name}",
        id=f"card-{name}",
    )


def chart_outputs(name: str, *, figure: bool = True) -> list[Output]:
    """The outputs a page's callback fills: title, numbers and (unless a grid card) figure."""
    outputs = [
        Output(ids.chart(ids.CHART_TITLE, name), "children"),
        Output(ids.chart(ids.CHART_DATA, name), "data"),
    ]
    if figure:
        outputs.append(Output(ids.chart(ids.CHART_GRAPH, name), "figure"))
    return outputs


def _cell(value: Any) -> Any:
    """A JSON-safe cell: numpy scalars to Python, NaN and NaT to None."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def table_payload(
    name: str, title: str, table: pd.DataFrame, *, empty: bool = False
) -> dict[str, Any]:
    """The numbers of a chart as the card keeps them: name, title, column labels and rows;
    whether the chart is ``empty``, and the title's parts where it names a region, cluster or
    programme of the rows (``title_parts``: text and the page it links to, or None)."""
    payload: dict[str, Any] = {
        "name": name,
        "title": title,
        "columns": [str(column) for column in table.columns],
        "rows": [[_cell(value) for value in row] for row in table.itertuples(index=False)],
        "empty": empty,
    }
    parts = title_parts(title, payload["columns"], payload["rows"])
    if any(href for _text, href in parts):
        payload["title_parts"] = [list(part) for part in parts]  # as JSON keeps them
    return payload


def title_parts(title: str, columns: list[str], rows: list[list[Any]]) -> list[tuple[str, Any]]:
    """``title`` cut into text and the names of the regions, clusters and programmes its
    table links (see :func:`~dashboard.components.links.row_links`), each with its page.

    A name is found whole (not inside a longer word); the longest name wins where two
    overlap, so "Nord-Vest" is not read as "Nord"."""
    pages: dict[str, str] = {}
    for shown, code in row_links(columns, rows).items():
        for row in rows:
            name, path = row[shown], code_path(str(row[code]))
            if isinstance(name, str) and len(name) > 1 and path and name in title:
                pages.setdefault(name, path)
    if not pages:
        return [(title, None)]
    pattern = "|".join(re.escape(name) for name in sorted(pages, key=len, reverse=True))
    parts: list[tuple[str, Any]] = []
    position = 0
    for found in re.finditer(rf"(?<!\w)(?:{pattern})(?!\w)", title):
        if found.start() > position:
            parts.append((title[position : found.start()], None))
        parts.append((found.group(), pages[found.group()]))
        position = found.end()
    if position < len(title):
        parts.append((title[position:], None))
    return parts


def linked_title(payload: dict[str, Any]) -> Any:
    """A card's title: its text, each region, cluster and programme it names a link to its
    page (what the browser builds from ``title_parts`` on a redraw, see chart_card.js)."""
    parts = payload.get("title_parts")
    if not parts:
        return payload["title"]
    return [dcc.Link(text, href=href) if href else text for text, href in parts]


def state_class(empty: bool) -> str:
    """The class of a card's state marker: ``chart-empty`` shrinks the card."""
    return f"{CHART_STATE} chart-empty" if empty else CHART_STATE


def chart_values(name: str, chart: Chart, *, figure: bool = True) -> tuple[Any, ...]:
    """What :func:`chart_outputs` expects, from a :class:`~dashboard.figures.base.Chart`."""
    payload = table_payload(name, chart.title, chart.table, empty=chart.empty)
    return (chart.title, payload, chart.figure) if figure else (chart.title, payload)


def redrawn(name: str) -> Callable[[ChartOf], ChartOf]:
    """Register a function of the selection as the chart ``name``: its callback redraws the
    card when the selection changes. Not on the page's first view, which the layout draws."""

    def register(chart_of: ChartOf) -> ChartOf:
        @callback(*chart_outputs(name), SELECTION, SCOPE, prevent_initial_call=True)
        def redraw(data: dict[str, Any] | None, scope: dict[str, Any] | None) -> tuple[Any, ...]:
            return chart_values(name, chart_of(read_filters(data), scope or {}))

        REDRAWS[name] = redraw
        return chart_of

    return register


def _formatted(value: Any) -> str:
    if value is None:
        return strings.NOT_AVAILABLE
    if isinstance(value, bool):
        return strings.YES if value else strings.NO
    if isinstance(value, int):
        return number(value)
    if isinstance(value, float):
        return number(value, 0 if value.is_integer() or abs(value) >= 1000 else 1)
    return str(value)


def _table_cell(row: list[Any], i: int, numeric: bool, links: dict[int, int]) -> html.Td:
    """A cell of the table view; a name (or code) of a region, cluster or programme is a link
    to its page."""
    text = _formatted(row[i])
    code = row[links[i]] if i in links else None
    path = code_path(str(code)) if code is not None else None
    return html.Td(
        dcc.Link(text, href=path) if path else text, className="num" if numeric else None
    )


def render_table(payload: dict[str, Any] | None, caption: str | None = None) -> html.Div | None:
    """The "Table" view of a chart's numbers: an accessible HTML table (numbers right-aligned),
    each region, cluster and programme it names a link to its page; ``caption`` names a table
    shown on its own (default: the numbers of the chart)."""
    if not payload or not payload.get("columns"):
        return None
    rows = payload["rows"]
    shown = rows[:TABLE_ROWS_SHOWN]
    numeric = [
        all(isinstance(row[i], int | float) or row[i] is None for row in shown)
        for i in range(len(payload["columns"]))
    ]
    header = html.Thead(
        html.Tr(
            [
                html.Th(column, scope="col", className="num" if numeric[i] else None)
                for i, column in enumerate(payload["columns"])
            ]
        )
    )
    links = row_links(payload["columns"], shown)
    body = html.Tbody(
        [
            html.Tr([_table_cell(row, i, numeric[i], links) for i in range(len(row))])
            for row in shown
        ]
    )
    caption_text = caption or strings.CHART_TABLE_CAPTION.format(title=payload.get("title", ""))
    table_caption = html.Caption(caption_text)
    note = (
        html.P(
            strings.CHART_TABLE_TRUNCATED.format(shown=len(shown), count=len(rows)),
            className="small text-body-secondary mb-0",
        )
        if len(rows) > len(shown)
        else None
    )
    return html.Div(
        [
            html.Div(
                dbc.Table(
                    [table_caption, header, body],
                    bordered=False,
                    hover=True,
                    size="sm",
                    className="numbers mb-1",
                ),
                className="table-responsive",
                id=f"{payload['name']}-table",
                tabIndex="0",  # a scrollable region must be reachable by keyboard
                role="region",
                **attributes(aria_label=caption_text),
            ),
            note,
        ]
    )


def safe_text(value: Any) -> Any:
    """A cell for a CSV file: text that a spreadsheet would run as a formula gets a leading
    apostrophe, so it shows as text (``=cmd()`` → ``'=cmd()``)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_download(payload: dict[str, Any]) -> dict[str, Any]:
    """The CSV file of a chart's numbers, for ``dcc.Download``: exactly the rows and labelled
    columns of its table view, named after the chart."""
    frame = pd.DataFrame(payload["rows"], columns=payload["columns"])
    frame = frame.map(safe_text)
    return dcc.send_data_frame(frame.to_csv, f"{payload['name']}.csv", index=False)


@callback(
    Output(ids.chart(ids.CHART_TABLE_COLLAPSE, MATCH), "is_open"),
    Output(ids.chart(ids.CHART_TABLE_TOGGLE, MATCH), "aria-expanded"),
    Output(ids.chart(ids.CHART_TABLE, MATCH), "children"),
    Input(ids.chart(ids.CHART_TABLE_TOGGLE, MATCH), "n_clicks"),
    State(ids.chart(ids.CHART_DATA, MATCH), "data"),
    State(ids.chart(ids.CHART_TABLE_COLLAPSE, MATCH), "is_open"),
    prevent_initial_call=True,
)
def toggle_table(
    _clicks: int | None, payload: dict[str, Any] | None, is_open: bool | None
) -> tuple[bool, str, html.Div | None]:
    """Open the table view with the chart's current numbers, or close it."""
    opened = not is_open
    return opened, "true" if opened else "false", render_table(payload) if opened else None


# New numbers close an open table view in the browser, so it never shows stale numbers and
# closed cards cost no round trip to the server.
clientside_callback(
    """
    function (data, open) {
        var skip = window.dash_clientside.no_update;
        return open ? [false, "false"] : [skip, skip];
    }
    """,
    Output(ids.chart(ids.CHART_TABLE_COLLAPSE, MATCH), "is_open", allow_duplicate=True),
    Output(ids.chart(ids.CHART_TABLE_TOGGLE, MATCH), "aria-expanded", allow_duplicate=True),
    Input(ids.chart(ids.CHART_DATA, MATCH), "data"),
    State(ids.chart(ids.CHART_TABLE_COLLAPSE, MATCH), "is_open"),
    prevent_initial_call=True,
)


@callback(
    Output(ids.chart(ids.CHART_DOWNLOAD, MATCH), "data"),
    Input(ids.chart(ids.CHART_CSV, MATCH), "n_clicks"),
    State(ids.chart(ids.CHART_DATA, MATCH), "data"),
    prevent_initial_call=True,
)
def download_csv(_clicks: int | None, payload: dict[str, Any] | None) -> Any:
    """The CSV download of a chart's numbers (needs the export permission)."""
    require(Permission.EXPORT)
    if not payload:
        return dash.no_update
    return csv_download(payload)


clientside_callback(
    ClientsideFunction(namespace="skillsRoadmap", function_name="downloadPng"),
    Output(ids.chart(ids.CHART_PNG, MATCH), "data-downloaded"),
    Input(ids.chart(ids.CHART_PNG, MATCH), "n_clicks"),
    State(ids.chart(ids.CHART_GRAPH, MATCH), "figure"),
    State(ids.chart(ids.CHART_DATA, MATCH), "data"),
    prevent_initial_call=True,
)

# New numbers set the card's state (an empty card shrinks and offers no Table, CSV or PNG) and
# turn the names in its new title into links, in the browser: the server's callback sends the
# title as text with the numbers, and the numbers say which names link where.
clientside_callback(
    ClientsideFunction(namespace="skillsRoadmap", function_name="cardState"),
    Output(ids.chart(ids.CHART_TITLE, MATCH), "children", allow_duplicate=True),
    Output(ids.chart(CHART_STATE, MATCH), "className"),
    Input(ids.chart(ids.CHART_DATA, MATCH), "data"),
    prevent_initial_call=True,
)
