"""The OpenAPI document of the read API (``/api/v1/openapi.json``).

The answers are described by pydantic models whose JSON schemas become the document's
components, so the document, the tests that validate answers against it and ``docs/api.md``
describe one thing.
"""

from __future__ import annotations

import functools
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from skills_roadmap import __version__
from skills_roadmap.domain import DeliveryMode, TrainingLevel

# Query parameter -> field of ``Filters``.
FILTER_PARAMETERS = {
    "region": "regions",
    "cluster": "clusters",
    "level": "levels",
    "funding": "funding_sources",
    "delivery": "delivery_modes",
    "as_of": "as_of",
}
_PARAMETER_TEXT = {
    "region": ("Region (NUTS) code, e.g. ES24; repeatable.", {"type": "string"}),
    "cluster": ("Cluster id; repeatable.", {"type": "string"}),
    "level": (
        "Training level; repeatable.",
        {"type": "string", "enum": [level.value for level in TrainingLevel]},
    ),
    "funding": ("Funding source, e.g. ERDF; repeatable.", {"type": "string"}),
    "delivery": (
        "Delivery mode; repeatable.",
        {"type": "string", "enum": [mode.value for mode in DeliveryMode]},
    ),
    "as_of": (
        "Month to look at, YYYY-MM (default: the latest reported month).",
        {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"},
    ),
}


class LevelSummary(BaseModel):
    """One selected level of the headline: its headline targets summed."""

    model_config = ConfigDict(extra="forbid")

    level: Literal["basic", "intermediate", "expert"]
    targets: int = Field(description="How many headline targets the row sums (0: none).")
    part: bool = Field(
        description="The selection is a part of the places' programmes (a funding source, a "
        "delivery mode, a cluster inside a region): achieved is its contribution, and the "
        "whole target's expected value, status and forecast are null."
    )
    metric: str | None = Field(description="What the targets count: completed, enrolled, …")
    deadline_year: int | None = Field(description="The earliest deadline of the targets.")
    target: float | None = Field(description="The targets' values, summed.")
    achieved: float | None = Field(
        description="Baseline plus progress since the baseline year (for a part: its "
        "progress alone)."
    )
    expected: float | None = Field(description="The trajectory's value at the as-of month.")
    attainment: float | None = Field(description="achieved ÷ target.")
    expected_attainment: float | None = Field(description="expected ÷ target.")
    points_behind: float | None = Field(
        description="Percentage points of the target between trajectory and achievement."
    )
    ratio: float | None = Field(description="achieved ÷ expected.")
    gap: float | None = Field(description="expected − achieved (positive: behind).")
    status: Literal["on_track", "at_risk", "off_track"] | None = Field(
        description="From the ratio, never on track when the forecast misses the deadline."
    )
    forecast: str | None = Field(
        description='YYYY-MM, "already reached", "not before the deadline", or "k of n" '
        "targets on time."
    )
    on_time: int = Field(description="Headline targets forecast to be reached in time.")
    run_rate: float | None = Field(description="Mean monthly progress over the recent months.")
    required_run_rate: float | None = Field(description="Monthly progress needed from now on.")
    completed: float = Field(description="People the selection completed at this level.")


class Summary(BaseModel):
    """``GET /api/v1/summary``: the numbers of the dashboard's headline cards."""

    model_config = ConfigDict(extra="forbid")

    as_of: str | None = Field(description="The month shown, YYYY-MM; null before any report.")
    scope: Literal["network", "region", "cluster"] = Field(
        description="Whose targets head the selection."
    )
    scope_ids: list[str] = Field(description="Their region codes or cluster ids.")
    levels: list[LevelSummary]


class Error(BaseModel):
    """A refusal, in words a person can act on."""

    error: str


def _parameters() -> list[dict[str, Any]]:
    parameters = []
    for name in FILTER_PARAMETERS:
        text, schema = _PARAMETER_TEXT[name]
        repeatable = name != "as_of"
        parameters.append(
            {
                "name": name,
                "in": "query",
                "description": text,
                "required": False,
                "schema": {"type": "array", "items": schema} if repeatable else schema,
                **({"style": "form", "explode": True} if repeatable else {}),
            }
        )
    return parameters


def _answers(model: str) -> dict[str, Any]:
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return {
        "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}}},
        },
        "400": {"description": "A malformed parameter.", "content": error},
        "401": {"description": "Not signed in.", "content": error},
        "403": {"description": "Not allowed.", "content": error},
        "404": {"description": "An unknown region, cluster or funding source.", "content": error},
    }


def _schemas() -> dict[str, Any]:
    """The components: every model's JSON schema, with nested models as references."""
    schemas: dict[str, Any] = {}
    for model in (Summary, Error):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return schemas


@functools.cache
def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``/api/v1``."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Skills Roadmap read API",
            "version": __version__,
            "description": "The dashboard's numbers as JSON, behind the same log-in and roles. "
            "Filters are repeatable query parameters; see docs/api.md.",
        },
        "paths": {
            "/api/v1/summary": {
                "get": {
                    "summary": "The headline cards: per selected level, the headline targets "
                    "summed, with status and forecast.",
                    "operationId": "summary",
                    "parameters": _parameters(),
                    "responses": _answers("Summary"),
                }
            },
        },
        "components": {"schemas": _schemas()},
    }
