"""The read API: the numbers of the dashboard as JSON, for regional data portals and scripts.

Every route is under ``/api/v1/``, behind the same log-in gate and roles as the pages (the
``view`` permission; signed out: 401), and takes the dashboard's filters as repeatable query
parameters: ``region``, ``cluster``, ``level``, ``funding``, ``delivery``, ``helix`` and ``as_of``
(``YYYY-MM``). The answers come from the same analysis functions and the same snapshot as the
pages, so no number differs between them. The document of the API is
``/api/v1/openapi.json`` (see :mod:`dashboard.openapi` and ``docs/api.md``).

Errors are JSON ``{"error": "..."}``: 400 a malformed parameter, 401 signed out, 403 not
allowed, 404 an unknown region, cluster or funding source.

The table routes answer ``{"as_of", "rows"}``; ``programmes`` and ``progress`` a page of rows
(``page``, ``size``, ``total``), and ``progress?format=csv`` every row of the selection as a
CSV download, written in slices so that memory stays flat however many rows there are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any, cast

import pandas as pd
from flask import Blueprint, Response, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from dashboard.auth import require
from dashboard.data import analysis_settings, cached, selected_frames, selection_headline
from dashboard.openapi import (
    FILTER_PARAMETERS,
    LEAGUE_COLUMNS,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    PROGRESS_COLUMNS,
    openapi_document,
)
from skills_roadmap.analysis import Filters, Frames, apply_filters, overview
from skills_roadmap.analysis.periods import periods_of_months
from skills_roadmap.analysis.tables import (
    cluster_table,
    programme_table,
    progress_order,
    progress_table,
    target_table,
)
from skills_roadmap.exceptions import NotFoundError
from skills_roadmap.reports import columns as spec
from skills_roadmap.reports.columns import Column, Kind, ReportTable
from skills_roadmap.reports.csv import table_csv
from skills_roadmap.users import Permission

blueprint = Blueprint("read_api", __name__, url_prefix="/api/v1")


class FilterError(ValueError):
    """A filter parameter that is not a region code, level, delivery mode or month."""


def _json(document: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(document, ensure_ascii=False, allow_nan=False),
        status=status,
        mimetype="application/json",
    )


def _error(message: str, status: int) -> Response:
    return _json({"error": message}, status)


def request_filters() -> Filters:
    """The selection named by the query parameters (each filter repeatable).

    Raises:
        FilterError: a value has the wrong form, or a parameter is unknown.
    """
    unknown = sorted(set(request.args) - set(FILTER_PARAMETERS) - {"format", "page", "size"})
    if unknown:
        raise FilterError(
            f"unknown parameter {', '.join(unknown)}: use {', '.join(FILTER_PARAMETERS)}"
        )
    values: dict[str, Any] = {
        field: tuple(request.args.getlist(name))
        for name, field in FILTER_PARAMETERS.items()
        if name != "as_of"
    }
    values["as_of"] = request.args.get("as_of") or None
    try:
        return Filters.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "filter"
        name = next((key for key, value in FILTER_PARAMETERS.items() if value == field), field)
        raise FilterError(f"{name}: {first['msg']}") from None


def request_page() -> tuple[int, int]:
    """The page (from 1) and page size the query asks for.

    Raises:
        FilterError: not whole numbers, below 1, or a size above :data:`MAX_PAGE_SIZE`.
    """
    numbers = {}
    for name, default in (("page", 1), ("size", PAGE_SIZE)):
        text = request.args.get(name) or str(default)
        if not text.isdigit() or int(text) < 1:
            raise FilterError(f"{name}: a whole number from 1, not {text!r}")
        numbers[name] = int(text)
    if numbers["size"] > MAX_PAGE_SIZE:
        raise FilterError(
            f"size: at most {MAX_PAGE_SIZE:,} rows a page, not {numbers['size']:,}; ask for "
            "the next pages, or for progress the whole selection with format=csv"
        )
    return numbers["page"], numbers["size"]


def _answer(compute: Callable[[Filters], dict[str, Any] | Response]) -> Response:
    """The answer of a route to the selection its query names, or its refusal."""
    require(Permission.VIEW)
    try:
        answer = compute(request_filters())
    except FilterError as error:
        return _error(str(error), 400)
    except NotFoundError as error:
        return _error(str(error), 404)
    return answer if isinstance(answer, Response) else _json(answer)


def json_rows(frame: pd.DataFrame, columns: tuple[Column, ...]) -> list[dict[str, Any]]:
    """The rows of ``frame`` as JSON objects of ``columns``: months as ``YYYY-MM``, dates as
    ``YYYY-MM-DD``, years as whole numbers, and ``null`` for a blank (never 0)."""
    values: dict[str, pd.Series] = {}
    for column in columns:
        value = frame[column.key].reset_index(drop=True)
        if column.kind is Kind.PERIOD and pd.api.types.is_numeric_dtype(value):
            value = periods_of_months(value)
        elif column.kind is Kind.DATE and pd.api.types.is_datetime64_any_dtype(value):
            value = value.dt.strftime("%Y-%m-%d")
        elif column.kind is Kind.YEAR:
            value = value.astype("Int64")
        values[column.key] = value.astype(object)
    table = pd.DataFrame(values, columns=[column.key for column in columns])
    rows = table.where(table.notna(), None).to_dict("records")
    return cast(list[dict[str, Any]], rows)  # the keys are the columns' names


def _rows(
    filters: Filters,
    name: str,
    compute: Callable[[Frames, Filters], pd.DataFrame],
    columns: tuple[Column, ...],
) -> dict[str, Any]:
    table = cached(name, filters, compute)
    return {"as_of": selected_frames(filters).as_of_period, "rows": json_rows(table, columns)}


def _paged(
    filters: Filters,
    table: Callable[[int, int], pd.DataFrame],
    total: int,
    columns: tuple[Column, ...],
) -> dict[str, Any]:
    """A page of a table of ``total`` rows; ``table(start, stop)`` gives those rows."""
    page, size = request_page()
    start = min((page - 1) * size, total)
    rows = table(start, min(start + size, total))
    return {
        "as_of": selected_frames(filters).as_of_period,
        "page": page,
        "size": size,
        "total": total,
        "rows": json_rows(rows, columns),
    }


@blueprint.get("/summary")
def summary() -> Response:
    """The numbers of the headline cards: per selected level, target, achieved, expected,
    attainment, status and forecast."""
    return _answer(lambda filters: selection_headline(filters).to_dict())


@blueprint.get("/attainment")
def attainment() -> Response:
    """One row per selected target: attainment, status and forecast (the report's
    Attainment table)."""
    return _answer(
        lambda filters: _rows(
            filters,
            "api-attainment",
            lambda frames, chosen: target_table(
                frames, apply_filters(frames, chosen), analysis_settings()
            ),
            spec.ATTAINMENT_COLUMNS,
        )
    )


@blueprint.get("/regions")
def regions() -> Response:
    """The league table: one row per selected region × level (and the network's)."""
    return _answer(
        lambda filters: _rows(
            filters,
            "api-regions",
            lambda frames, chosen: overview(frames, chosen, analysis_settings()),
            LEAGUE_COLUMNS,
        )
    )


@blueprint.get("/clusters")
def clusters() -> Response:
    """One row per cluster with programmes in the selection (the report's Clusters table)."""
    return _answer(
        lambda filters: _rows(
            filters,
            "api-clusters",
            lambda frames, chosen: cluster_table(frames, apply_filters(frames, chosen)),
            spec.CLUSTERS_COLUMNS,
        )
    )


def _programmes(filters: Filters) -> dict[str, Any]:
    table = cached(
        "api-programmes",
        filters,
        lambda frames, chosen: programme_table(apply_filters(frames, chosen)),
    )
    return _paged(
        filters, lambda start, stop: table.iloc[start:stop], len(table), spec.PROGRAMMES_COLUMNS
    )


@blueprint.get("/programmes")
def programmes() -> Response:
    """A page of the selected programmes with their totals (the report's Programmes table)."""
    return _answer(_programmes)


CSV_ROWS = 50_000
"""Progress rows written at a time to a CSV download."""


def selection_name(filters: Filters, as_of: str | None) -> str:
    """A file-name stem naming the selection, e.g. ``ES24-aragon-ai-basic-2026-06``."""
    values = [
        *filters.regions,
        *filters.clusters,
        *(str(level) for level in filters.levels),
        *filters.funding_sources,
        *(str(mode) for mode in filters.delivery_modes),
        *(str(helix) for helix in filters.provider_helices),
    ]
    words = re.sub(r"[^A-Za-z0-9]+", "-", "-".join(values)).strip("-") or "network"
    return "-".join(piece for piece in (words, as_of) if piece)


def progress_csv(selected: Frames) -> Iterator[bytes]:
    """Every progress row of ``selected`` as CSV (the export's progress.csv, without notes),
    header first, written :data:`CSV_ROWS` rows at a time."""
    order = progress_order(selected)
    keys = [column.key for column in PROGRESS_COLUMNS]
    for start in range(0, max(len(order), 1), CSV_ROWS):
        rows = progress_table(selected, positions=order[start : start + CSV_ROWS])
        table = ReportTable("progress", "Progress", "", PROGRESS_COLUMNS, rows[keys])
        yield from table_csv(table, header=start == 0)


def _progress(filters: Filters) -> dict[str, Any] | Response:
    selected = selected_frames(filters)
    if request.args.get("format", "json") == "csv":
        name = selection_name(filters, selected.as_of_period)
        return Response(
            progress_csv(selected),
            mimetype="text/csv",
            headers={"Content-Disposition": f"attachment; filename=progress-{name}.csv"},
        )
    if request.args.get("format", "json") != "json":
        raise FilterError("format: json or csv")
    order = progress_order(selected)
    return _paged(
        filters,
        lambda start, stop: progress_table(selected, positions=order[start:stop]),
        len(order),
        PROGRESS_COLUMNS,
    )


@blueprint.get("/progress")
def progress() -> Response:
    """A page of the selection's progress rows, or (``format=csv``) all of them as CSV."""
    return _answer(_progress)


@blueprint.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document of this API."""
    require(Permission.VIEW)
    return _json(openapi_document())


@blueprint.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    """Refusals (401, 403, …) as JSON, like every other answer of this API."""
    return _error(error.description or error.name, error.code or 500)
