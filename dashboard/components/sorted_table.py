"""A sortable HTML table of a chart's rows, for the overview's league table of regions.

A few hundred rows need no data grid: a plain table draws in a fraction of the time a grid
library takes to start in the browser, which made up a large part of the overview's first
render. Sorting happens on the server from the cached chart, one click and one short round
trip; the header says the order to screen readers (``aria-sort``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html
from pandas.api.types import is_numeric_dtype

from dashboard import ids, strings
from dashboard.components.attributes import attributes
from dashboard.components.formats import missing

Sort = Mapping[str, Any]
"""Which column orders the rows and which way: ``{"column": label, "descending": bool}``."""


def sort_button_id(table_id: str, column: Any) -> dict[str, Any]:
    """The id of the button that sorts ``table_id`` by ``column`` (or a wildcard such as
    ``ALL``, for a callback listening to every column)."""
    return {"type": ids.SORT, "table": table_id, "column": column}


def sort_rows(table: pd.DataFrame, sort: Sort | None) -> pd.DataFrame:
    """``table`` in the order ``sort`` asks for; blanks last either way."""
    if not sort or sort.get("column") not in table:
        return table
    return table.sort_values(
        sort["column"],
        ascending=not sort.get("descending", False),
        kind="stable",
        na_position="last",
    )


def next_sort(current: Sort | None, column: str) -> dict[str, Any]:
    """The order after a click on ``column``: the other way round if it already orders the
    rows, else descending for numbers' sake (the best first)."""
    if current and current.get("column") == column:
        return {"column": column, "descending": not current.get("descending", False)}
    return {"column": column, "descending": True}


def _cell(value: Any, percent: bool) -> str:
    if missing(value):
        return strings.NOT_AVAILABLE
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:,.1f}%" if percent else f"{value:,}"
    return str(value)


def _header(table_id: str, column: str, sort: Sort | None, numeric: bool) -> html.Th:
    ordered = (sort or {}).get("column") == column
    descending = bool((sort or {}).get("descending"))
    order = ("descending" if descending else "ascending") if ordered else "none"
    arrow = (" ↓" if descending else " ↑") if ordered else ""
    return html.Th(
        html.Button(
            [column, html.Span(arrow, **attributes(aria_hidden="true"))],
            id=sort_button_id(table_id, column),
            type="button",
            className="btn btn-link btn-sm p-0 text-reset fw-semibold text-start sort-button",
            title=strings.SORT_BY.format(column=column),
        ),
        scope="col",
        className="num" if numeric else None,
        **attributes(aria_sort=order),
    )


def sorted_table(
    table_id: str,
    title: str,
    table: pd.DataFrame,
    sort: Sort | None,
    link_column: str | None = None,
    href: Callable[[Mapping[Any, Any]], str] | None = None,
    hidden: tuple[str, ...] = (),
    limit: int | None = None,
) -> dbc.Table:
    """``table`` as a sortable HTML table, its ``link_column`` cells links to ``href(row)``.

    Columns in ``hidden`` are kept for ``href`` but not shown; only the first ``limit`` rows
    in the sort order are (all if None).
    """
    shown = [column for column in table.columns if column not in hidden]
    numeric = {column: is_numeric_dtype(table[column]) for column in shown}
    rows = []
    ordered = sort_rows(table, sort)
    for row in (ordered if limit is None else ordered.head(limit)).to_dict("records"):
        cells: list[html.Th | html.Td] = []
        for column in shown:
            text = _cell(row[column], str(column).endswith("(%)"))
            if column == link_column and href is not None:
                cells.append(html.Th(dcc.Link(text, href=href(row)), scope="row"))
            else:
                cells.append(html.Td(text, className="num" if numeric[column] else None))
        rows.append(html.Tr(cells))
    caption = strings.CHART_TABLE_CAPTION.format(title=title)
    return dbc.Table(
        [
            html.Caption(caption, className="visually-hidden"),
            html.Thead(html.Tr([_header(table_id, c, sort, numeric[c]) for c in shown])),
            html.Tbody(rows),
        ],
        hover=True,
        size="sm",
        className="numbers sorted-table mb-0",
    )
