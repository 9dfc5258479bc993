"""The OpenAPI document of the read API (``/api/v1/openapi.json``).

The answers are described by pydantic models whose JSON schemas become the document's
components, so the document, the tests that validate answers against it and ``docs/api.md``
describe one thing.
"""

from __future__ import annotations

import functools
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from skills_roadmap import __version__
from skills_roadmap.domain import DeliveryMode, HelixRole, TrainingLevel
from skills_roadmap.reports import columns as spec
from skills_roadmap.reports.columns import Column, Kind

# Query parameter -> field of ``Filters``.
FILTER_PARAMETERS = {
    "region": "regions",
    "cluster": "clusters",
    "level": "levels",
    "funding": "funding_sources",
    "delivery": "delivery_modes",
    "helix": "provider_helices",
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
    "helix": (
        "Provider helix (who runs the programme); repeatable.",
        {"type": "string", "enum": [role.value for role in HelixRole]},
    ),
    "as_of": (
        "Month to look at, YYYY-MM (default: the latest complete month: see Summary.provisional).",
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


class Provisional(BaseModel):
    """The latest reported month while too few programmes have reported it to be shown by
    default."""

    model_config = ConfigDict(extra="forbid")

    period: str = Field(description="The month, YYYY-MM.")
    completeness: float = Field(
        description="Share of the programmes due that month (running then) that reported it."
    )
    reported: int = Field(description="Programmes due that month that reported it.")
    due: int = Field(description="Programmes due that month.")


class Summary(BaseModel):
    """``GET /api/v1/summary``: the numbers of the dashboard's headline cards."""

    model_config = ConfigDict(extra="forbid")

    as_of: str | None = Field(
        description="The month shown, YYYY-MM (without as_of: the latest complete month); "
        "null before any report."
    )
    provisional: Provisional | None = Field(
        None,
        description="Present when the latest reported month is provisional (not shown unless "
        "asked for with as_of).",
    )
    scope: Literal["network", "region", "cluster"] = Field(
        description="Whose targets head the selection."
    )
    scope_ids: list[str] = Field(description="Their region codes or cluster ids.")
    levels: list[LevelSummary]


# The value each kind of report column takes in JSON; every value may be null (blank: not
# reported, or no value).
_JSON_TYPES: dict[Kind, Any] = {
    Kind.TEXT: str,
    Kind.COUNT: float,
    Kind.NUMBER: float,
    Kind.POINTS: float,
    Kind.EUR: float,
    Kind.SHARE: float,
    Kind.YEAR: int,
    Kind.PERIOD: str,
    Kind.DATE: str,
    Kind.DATETIME: str,
    Kind.STATUS: Literal["on_track", "at_risk", "off_track"],
    Kind.FLAG: bool,
}
_JSON_PATTERNS = {Kind.PERIOD: r"^\d{4}-\d{2}$", Kind.DATE: r"^\d{4}-\d{2}-\d{2}$"}

# The league table (``skills_roadmap.analysis.overview``): one row per region × level, then
# the network per level when no place is selected.
LEAGUE_COLUMNS = (
    spec.SCOPE,
    Column("scope_id", "Scope id", Kind.TEXT, "Region code; null for the network."),
    spec.LEVEL,
    Column("name", "Name", Kind.TEXT, "Name of the region, or Network."),
    Column("target_id", "Target id", Kind.TEXT, "The headline target; null: none at this level."),
    spec.METRIC,
    spec.DEADLINE,
    spec.TARGET,
    spec.ACHIEVED,
    spec.EXPECTED,
    spec.ATTAINMENT,
    spec.RATIO,
    spec.GAP,
    spec.STATUS,
    spec.FORECAST,
    Column(
        "part",
        "Part",
        Kind.FLAG,
        "The filters leave out some of the target's programmes: achieved is the part's "
        "contribution, with no status of the whole target.",
    ),
)
PROGRESS_COLUMNS = tuple(column for column in spec.PROGRESS_COLUMNS if column.key != "notes")
"""The progress sheet's columns the API serves (the analysis frames hold no notes)."""


def row_model(name: str, columns: tuple[Column, ...]) -> type[BaseModel]:
    """A model of one row of a table whose columns are ``columns``."""
    fields: dict[str, Any] = {
        column.key: (
            _JSON_TYPES[column.kind] | None,
            Field(
                description=column.description,
                json_schema_extra=(
                    {"pattern": _JSON_PATTERNS[column.kind]}
                    if column.kind in _JSON_PATTERNS
                    else None
                ),
            ),
        )
        for column in columns
    }
    return create_model(
        name, __config__=ConfigDict(extra="forbid"), __doc__=f"One row: {name}.", **fields
    )


def _rows_model(name: str, row: type[BaseModel], doc: str, *, paged: bool) -> type[BaseModel]:
    fields: dict[str, Any] = {
        "as_of": (
            str | None,
            Field(description="The month shown, YYYY-MM; null before any report."),
        ),
        "rows": (list[row], Field(description="The rows; on a page, that page's.")),  # type: ignore[valid-type]
    }
    if paged:
        fields |= {
            "page": (int, Field(description="The page, from 1.", ge=1)),
            "size": (int, Field(description="Rows per page.", ge=1)),
            "total": (int, Field(description="Rows in the whole selection.", ge=0)),
        }
    return create_model(name, __config__=ConfigDict(extra="forbid"), __doc__=doc, **fields)


AttainmentRow = row_model("AttainmentRow", spec.ATTAINMENT_COLUMNS)
RegionRow = row_model("RegionRow", LEAGUE_COLUMNS)
ClusterRow = row_model("ClusterRow", spec.CLUSTERS_COLUMNS)
ProgrammeRow = row_model("ProgrammeRow", spec.PROGRAMMES_COLUMNS)
ProgressRow = row_model("ProgressRow", PROGRESS_COLUMNS)
Attainment = _rows_model(
    "Attainment",
    AttainmentRow,
    "``GET /api/v1/attainment``: one row per selected target.",
    paged=False,
)
Regions = _rows_model(
    "Regions",
    RegionRow,
    "``GET /api/v1/regions``: the league table, one row per region × level.",
    paged=False,
)
Clusters = _rows_model(
    "Clusters",
    ClusterRow,
    "``GET /api/v1/clusters``: one row per cluster with programmes in the selection.",
    paged=False,
)
Programmes = _rows_model(
    "Programmes",
    ProgrammeRow,
    "``GET /api/v1/programmes``: a page of the selected programmes, with their totals.",
    paged=True,
)
Progress = _rows_model(
    "Progress",
    ProgressRow,
    "``GET /api/v1/progress``: a page of the selection's progress rows (programme × month).",
    paged=True,
)


class Error(BaseModel):
    """A refusal, in words a person can act on."""

    error: str


PAGE_SIZE = 100
MAX_PAGE_SIZE = 1_000
_PAGING = (
    {
        "name": "page",
        "in": "query",
        "description": "The page, from 1 (a page past the last has no rows).",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "default": 1},
    },
    {
        "name": "size",
        "in": "query",
        "description": f"Rows per page, at most {MAX_PAGE_SIZE:,}.",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": PAGE_SIZE},
    },
)
_FORMAT = {
    "name": "format",
    "in": "query",
    "description": "csv: every row of the selection as a CSV download (page and size are "
    "then ignored); json (default): a page.",
    "required": False,
    "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"},
}


def _parameters(*extra: dict[str, Any]) -> list[dict[str, Any]]:
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
    return [*parameters, *extra]


def _answers(model: str, *, csv: bool = False) -> dict[str, Any]:
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    content: dict[str, Any] = {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}}
    }
    if csv:
        content["text/csv"] = {"schema": {"type": "string"}}
    return {
        "200": {"description": "OK", "content": content},
        "400": {"description": "A malformed parameter.", "content": error},
        "401": {"description": "Not signed in.", "content": error},
        "403": {"description": "Not allowed.", "content": error},
        "404": {"description": "An unknown region, cluster or funding source.", "content": error},
    }


# Route (under /api/v1/) -> the model of its answer, for the table routes.
TABLES: dict[str, type[BaseModel]] = {
    "attainment": Attainment,
    "regions": Regions,
    "clusters": Clusters,
    "programmes": Programmes,
    "progress": Progress,
}
PAGED = frozenset({"programmes", "progress"})


def _schemas() -> dict[str, Any]:
    """The components: every model's JSON schema, with nested models as references."""
    schemas: dict[str, Any] = {}
    models: list[type[BaseModel]] = [Summary, *TABLES.values(), Error]
    for model in models:
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
            **{
                f"/api/v1/{route}": {
                    "get": {
                        "summary": (model.__doc__ or "").split(": ", 1)[-1],
                        "operationId": route,
                        "parameters": _parameters(
                            *(_PAGING if route in PAGED else ()),
                            *((_FORMAT,) if route == "progress" else ()),
                        ),
                        "responses": _answers(model.__name__, csv=route == "progress"),
                    }
                }
                for route, model in TABLES.items()
            },
        },
        "components": {"schemas": _schemas()},
    }
