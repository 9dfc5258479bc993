"""The read API: the numbers of the dashboard as JSON, for regional data portals and scripts.

Every route is under ``/api/v1/``, behind the same log-in gate and roles as the pages (the
``view`` permission; signed out: 401), and takes the dashboard's filters as repeatable query
parameters: ``region``, ``cluster``, ``level``, ``funding``, ``delivery`` and ``as_of``
(``YYYY-MM``). The answers come from the same analysis functions and the same snapshot as the
pages, so no number differs between them. The document of the API is
``/api/v1/openapi.json`` (see :mod:`dashboard.openapi` and ``docs/api.md``).

Errors are JSON ``{"error": "..."}``: 400 a malformed parameter, 401 signed out, 403 not
allowed, 404 an unknown region, cluster or funding source.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from dashboard.auth import require
from dashboard.data import selection_headline
from dashboard.openapi import FILTER_PARAMETERS, openapi_document
from skills_roadmap.analysis import Filters
from skills_roadmap.exceptions import NotFoundError
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


@blueprint.get("/summary")
def summary() -> Response:
    """The numbers of the headline cards: per selected level, target, achieved, expected,
    attainment, status and forecast."""
    require(Permission.VIEW)
    try:
        return _json(selection_headline(request_filters()).to_dict())
    except FilterError as error:
        return _error(str(error), 400)
    except NotFoundError as error:
        return _error(str(error), 404)


@blueprint.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document of this API."""
    require(Permission.VIEW)
    return _json(openapi_document())


@blueprint.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    """Refusals (401, 403, …) as JSON, like every other answer of this API."""
    return _error(error.description or error.name, error.code or 500)
