"""Grids of a chart's table: columns labelled with units, numbers right-aligned, names as links."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import dash_ag_grid as dag
import pandas as pd
from pandas.api.types import is_numeric_dtype

from dashboard import strings
from dashboard.components.chart_card import table_payload
from skills_roadmap.i18n.formats import locale

# Grid functions run in AG Grid's sandbox, which knows d3 and the row but not JavaScript's
# globals such as Number: whole numbers are told apart with ``% 1``.
_MISSING = f"params.value == null ? '{strings.NOT_AVAILABLE}'"


def _d3_format() -> str:
    """d3's number formatting with the current language's separators (CLDR's, as Babel and
    the charts use them)."""
    symbols = locale().number_symbols["latn"]
    separators = {"decimal": symbols["decimal"], "thousands": symbols["group"], "grouping": [3]}
    return f"d3.formatLocale({json.dumps(separators | {'currency': ['', '']})}).format"


def number_format() -> dict[str, str]:
    """A grid column's formatter of people and euros: ``1,234``, ``1.234,5`` in Spanish."""
    shape = "params.value % 1 === 0 ? ',' : ',.1f'"
    return {"function": f"{_MISSING} : {_d3_format()}({shape})(params.value)"}


def percent_format() -> dict[str, str]:
    """A grid column's formatter of percentages (the column holds 0–100): ``62.5%``."""
    return {"function": f"{_MISSING} : {_d3_format()}('.1f')(params.value) + '%'"}


def grid_text() -> dict[str, str]:
    """AG Grid's own words (its overlays, filters and pager) in the current language."""
    return dict(strings.GRID_TEXT)


def escape_markdown(text: str) -> str:
    """``text`` safe inside a markdown link label (brackets and backslashes escaped)."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


CHARACTER_PX = 8  # about one character of the grid's 14-px font
HEADER_EXTRA_PX = 64  # the header's padding and its sort and filter icons
CELL_EXTRA_PX = 36  # a cell's padding
WIDEST_COLUMN_PX = 220  # longer texts wrap onto more lines (see WRAPPED)
WRAPPED = {"wrapText": True, "autoHeight": True, "cellClass": "wrapped-cell"}
"""A text column whose longest text is wider than ``WIDEST_COLUMN_PX``: its cells wrap and
their rows grow, so no name is cut short."""


def _is_number(values: pd.Series) -> bool:
    return is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def column_width(name: str, values: pd.Series) -> int:
    """A width that fits the header's longest word and the column's longest text.

    Computed here rather than measured by the grid in the browser, which costs a large part of
    a page's first render on a laptop."""
    longest_word = max((len(word) for word in name.split()), default=0)
    if _is_number(values):  # shown with thousands separators and one decimal at most
        texts = values.dropna().abs().map("{:,.1f}%".format)
    else:
        texts = values.dropna().astype(str)
    longest_text = int(texts.str.len().max()) if len(texts) else 0
    fits = max(
        longest_word * CHARACTER_PX + HEADER_EXTRA_PX, longest_text * CHARACTER_PX + CELL_EXTRA_PX
    )
    return min(fits, WIDEST_COLUMN_PX)


def grid_columns(table: pd.DataFrame, link_column: str | None = None) -> list[dict[str, Any]]:
    """AG Grid column definitions for ``table``: one per column, sized to fit (the widest
    texts wrapping), numbers right-aligned with a number filter, ``link_column`` rendered as a
    markdown link and pinned left. The name column is pinned left too: on a phone the row's
    name stays in view while its numbers scroll sideways."""
    columns: list[dict[str, Any]] = []
    for name in table.columns:
        width = column_width(str(name), table[name])
        column: dict[str, Any] = {"field": str(name), "headerName": str(name), "width": width}
        if width == WIDEST_COLUMN_PX and not _is_number(table[name]):
            column |= WRAPPED
        if name in (link_column, strings.COLUMNS["name"]) and not _is_number(table[name]):
            column |= {"pinned": "left"}
        if name == link_column:
            column |= {"cellRenderer": "markdown"}
        elif _is_number(table[name]):
            column |= {
                "type": "rightAligned",
                "filter": "agNumberColumnFilter",
                "valueFormatter": percent_format()
                if str(name).endswith("(%)")
                else number_format(),
            }
        columns.append(column)
    return columns


def grid_rows(
    table: pd.DataFrame,
    link_column: str | None = None,
    href: Callable[[dict[str, Any]], str] | None = None,
) -> list[dict[str, Any]]:
    """``table``'s rows for a grid, the ``link_column`` cell a markdown link to ``href(row)``."""
    payload = table_payload("grid", "", table)
    rows = [dict(zip(payload["columns"], row, strict=True)) for row in payload["rows"]]
    if link_column is not None and href is not None:
        for row in rows:
            row[link_column] = f"[{escape_markdown(str(row[link_column]))}]({href(row)})"
    return rows


def table_grid(
    grid_id: str,
    table: pd.DataFrame | None = None,
    *,
    height: int = 420,
    link_column: str | None = None,
    href: Callable[[dict[str, Any]], str] | None = None,
) -> dag.AgGrid:
    """A sortable, filterable grid of ``table`` (empty until a callback fills it if None), its
    ``link_column`` cells links to ``href(row)``."""
    return dag.AgGrid(
        id=grid_id,
        rowData=[] if table is None else grid_rows(table, link_column, href),
        columnDefs=[] if table is None else grid_columns(table, link_column),
        defaultColDef={
            "sortable": True,
            "resizable": True,
            "filter": True,
            "minWidth": 110,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
        },
        dashGridOptions={
            "animateRows": False,
            "enableCellTextSelection": True,
            "localeText": grid_text(),
        },
        className="ag-theme-alpine",
        style={"height": f"{height}px", "width": "100%"},
    )


def _condition_mask(values: pd.Series, condition: dict[str, Any]) -> pd.Series:
    """Rows of ``values`` that meet one AG Grid text or number filter condition."""
    kind = condition.get("type", "contains")
    if kind == "blank":
        return values.isna() | (values.astype(str) == "")
    if kind == "notBlank":
        return values.notna() & (values.astype(str) != "")
    if condition.get("filterType") == "number":
        numbers = pd.to_numeric(values, errors="coerce")
        low: Any = condition.get("filter")
        high: Any = condition.get("filterTo")
        tests = {
            "equals": lambda: numbers == low,
            "notEqual": lambda: numbers != low,
            "lessThan": lambda: numbers < low,
            "lessThanOrEqual": lambda: numbers <= low,
            "greaterThan": lambda: numbers > low,
            "greaterThanOrEqual": lambda: numbers >= low,
            "inRange": lambda: numbers.between(low, high),
        }
        return tests.get(kind, lambda: pd.Series(True, index=values.index))().fillna(False)
    text = values.astype(str).str.casefold()
    wanted = str(condition.get("filter") or "").casefold()
    tests = {
        "contains": lambda: text.str.contains(wanted, regex=False),
        "notContains": lambda: ~text.str.contains(wanted, regex=False),
        "equals": lambda: text == wanted,
        "notEqual": lambda: text != wanted,
        "startsWith": lambda: text.str.startswith(wanted),
        "endsWith": lambda: text.str.endswith(wanted),
    }
    return tests.get(kind, lambda: pd.Series(True, index=values.index))()


def filter_rows(frame: pd.DataFrame, model: dict[str, Any] | None) -> pd.DataFrame:
    """``frame`` narrowed by an AG Grid filter model (text and number filters, with AND/OR
    combinations of two conditions), evaluated on the server."""
    mask = pd.Series(True, index=frame.index)
    for field, spec in (model or {}).items():
        if field not in frame:
            continue
        conditions = spec.get("conditions") or [spec]
        masks = [_condition_mask(frame[field], {**spec, **c}) for c in conditions]
        combined = masks[0]
        for other in masks[1:]:
            combined = combined | other if spec.get("operator") == "OR" else combined & other
        mask &= combined
    return frame[mask]


def sort_rows(frame: pd.DataFrame, model: list[dict[str, Any]] | None) -> pd.DataFrame:
    """``frame`` in the order of an AG Grid sort model (missing values last)."""
    keys = [item for item in (model or []) if item.get("colId") in frame]
    if not keys:
        return frame
    return frame.sort_values(
        [item["colId"] for item in keys],
        ascending=[item.get("sort") != "desc" for item in keys],
        kind="stable",
        na_position="last",
    )


def rows_block(frame: pd.DataFrame, request: dict[str, Any] | None) -> dict[str, Any]:
    """The block of rows an infinite-scrolling grid asks for (``getRowsRequest``), filtered and
    sorted on the server: only ``endRow - startRow`` rows ever travel to the browser."""
    request = request or {}
    chosen = sort_rows(filter_rows(frame, request.get("filterModel")), request.get("sortModel"))
    start = max(int(request.get("startRow") or 0), 0)
    end = max(int(request.get("endRow") or start + 100), start)
    block = chosen.iloc[start:end]
    payload = table_payload("block", "", block)
    return {
        "rowData": [dict(zip(payload["columns"], row, strict=True)) for row in payload["rows"]],
        "rowCount": len(chosen),
    }
