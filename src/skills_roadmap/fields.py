"""The catalogue of fields: every column of the sheets users upload, once.

The sheets are the programme managers' Progress sheet and the administrators' network
workbook: Regions, Clusters, Programmes, Targets and Facilities.

Each field is declared here and nowhere else, with its key, its header in the sheet, its
kind, its unit, what it means and what a blank cell means. Everything that names the fields
derives from this module: the sheet contracts (``ingest.contract``), the typed frames of
checked and stored rows (``storage.progress``, ``ingest.admin_sheets``), the progress measures
of the analysis frames (``analysis.frames``, ``storage.snapshot``), the report's Progress and
Programmes columns (``reports.columns``) and the dashboard's column labels.

>>> PROGRESS_FIELDS[5].header, PROGRESS_FIELDS[5].dtype, PROGRESS_FIELDS[5].meaning
('Dropped out', 'Int64', 'People who dropped out; blank: not reported.')
>>> [field.key for field in PROGRESS_MEASURES if field.not_reported_if_blank]
['certified', 'dropped_out', 'women', 'spend_eur']
>>> [field.key for field in BREAKDOWNS["Age"]]
['age_under_18', 'age_18_29', 'age_30_54', 'age_55_over']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from skills_roadmap.domain import (
    DeliveryMode,
    FacilityKind,
    FacilityStatus,
    HelixRole,
    Metric,
    ScopeKind,
    TrainingLevel,
)

__all__ = [
    "BREAKDOWNS",
    "BREAKDOWN_MEASURES",
    "CLUSTER_FIELDS",
    "EXPECTED",
    "FACILITY_FIELDS",
    "LIST_SEPARATOR",
    "NETWORK_SHEETS",
    "NUMBER_KINDS",
    "PROGRAMME_FIELDS",
    "PROGRESS_FIELDS",
    "PROGRESS_MEASURES",
    "REGION_FIELDS",
    "SHEETS",
    "TARGET_FIELDS",
    "Field",
    "FieldKind",
    "dtypes",
    "labels",
    "measure_dtype",
]


class FieldKind(StrEnum):
    """What a field holds, which decides how its cells are read and its values typed."""

    IDENTIFIER = "identifier"
    PERIOD = "period"
    COUNT = "count"
    AMOUNT = "amount"
    TEXT = "text"
    DATE = "date"
    YEAR = "year"
    CHOICE = "choice"
    COORDINATE = "coordinate"
    LIST = "list"


# How the values of a LIST cell are separated (a ',' is read as one too).
LIST_SEPARATOR = ";"
# What a valid cell of each kind looks like, in the words shown to the user.
EXPECTED = {
    FieldKind.IDENTIFIER: "an ID (letters, digits, '.', '-' or '_')",
    FieldKind.PERIOD: "a month as YYYY-MM text (e.g. 2025-03) or a date",
    FieldKind.COUNT: "a whole number of 0 or more",
    FieldKind.AMOUNT: "a number of 0 or more",
    FieldKind.TEXT: "text",
    FieldKind.DATE: "a date, or YYYY-MM-DD text",
    FieldKind.YEAR: "a year such as 2027",
    FieldKind.CHOICE: "one of the listed values",
    FieldKind.COORDINATE: "a number of degrees, e.g. 41.65 (south and west below 0)",
    FieldKind.LIST: f"values separated by '{LIST_SEPARATOR}'",
}

# Rows read from a sheet or the database: nullable numbers (a blank stays missing, never 0);
# every other kind is held as Python objects (text, dates, 'YYYY-MM' periods).
_DTYPES = {
    FieldKind.COUNT: "Int64",
    FieldKind.YEAR: "Int64",
    FieldKind.AMOUNT: "Float64",
    FieldKind.COORDINATE: "Float64",
}
# The kinds summed as numbers (years are numbers too, but never summed).
NUMBER_KINDS = (FieldKind.COUNT, FieldKind.AMOUNT)


@dataclass(frozen=True)
class Field:
    """One field of a sheet.

    Attributes:
        key: its name in the sheet contract, the database table and revisions.
        header: its header in the sheet (matched case-insensitively, see ``ingest.contract``).
        kind: what it holds.
        description: what it means, one sentence: the definition used.
        unit: what its numbers count (``people``, ``EUR``), or ``None``.
        required: whether every row must fill it in.
        not_reported_if_blank: a blank cell means "not reported", never zero; sums skip it.
        choices: the allowed values of a ``CHOICE`` field (or of each value of a ``LIST``
            field), as stored, in the order messages list them; the sheet shows them as
            ``choice_words`` and reads either spelling.
        frame_key: its name in the analysis frames and reports where ``key`` is only ``id``
            (default: ``key``).
        label: its column label with the unit, on dashboard tables (default: ``header``).
        report_header: its header in report tables where it differs from the sheet's
            (default: ``header``).
        hint: what a valid cell looks like, where the kind alone says too little (default:
            from the kind and the choices).
        breakdown: the ESF+ common output indicator whose band the count is (``Age``), or
            ``""``; the bands of one breakdown add up to at most Enrolled.
        within: the key of the band this one is a part of ("of whom", as long-term unemployed
            of unemployed), or ``""``; a part is not added into its breakdown's sum.
        sparse: rarely reported, so the analysis keeps it out of the per-row progress frame:
            ``Frames.breakdowns`` holds it for the rows that report any such field.
    """

    key: str
    header: str
    kind: FieldKind
    description: str
    unit: str | None = None
    required: bool = False
    not_reported_if_blank: bool = False
    choices: tuple[str, ...] = ()
    frame_key: str = ""
    label: str = ""
    report_header: str = ""
    hint: str = ""
    breakdown: str = ""
    within: str = ""
    sparse: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "frame_key", self.frame_key or self.key)
        object.__setattr__(self, "label", self.label or self.header)
        object.__setattr__(self, "report_header", self.report_header or self.header)

    @property
    def choice_words(self) -> tuple[str, ...]:
        """The choices as a sheet shows them: ``idea generation`` for ``idea_generation``."""
        return tuple(choice.replace("_", " ") for choice in self.choices)

    @property
    def expected(self) -> str:
        """What a valid cell looks like, in the words shown to the user."""
        if self.hint:
            return self.hint
        if self.choices and self.kind is FieldKind.LIST:
            return f"one or more of {', '.join(self.choice_words)}, separated by '{LIST_SEPARATOR}'"
        if self.choices:
            return "one of " + ", ".join(self.choice_words)
        return EXPECTED[self.kind]

    @property
    def dtype(self) -> str:
        """The pandas dtype of its values read from a sheet or the database."""
        return _DTYPES.get(self.kind, "object")

    @property
    def meaning(self) -> str:
        """The description, with what a blank means where it means "not reported"."""
        if not self.not_reported_if_blank:
            return self.description
        return self.description.removesuffix(".") + "; blank: not reported."


def _values(enum: Iterable[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


PEOPLE = "people"
EUR = "EUR"
# The ESF+ participant breakdowns (common output indicators), by their names in reports.
GENDER = "Gender"
AGE = "Age"
LABOUR = "Labour-market status"
EDU = "Education"


def _band(key: str, header: str, description: str, breakdown: str, within: str) -> Field:
    """An optional ESF+ band: a count of enrolled people, blank when not reported."""
    return Field(
        key,
        header,
        FieldKind.COUNT,
        description,
        PEOPLE,
        not_reported_if_blank=True,
        breakdown=breakdown,
        within=within,
        sparse=True,
        hint=(
            f"a whole number of 0 or more, at most {within.replace('_', ' ').capitalize()}"
            if within
            else f"a whole number of 0 or more; the {breakdown.lower()} bands together at most "
            "Enrolled"
        ),
    )


REGION_CODE_HINT = "a region code: a NUTS-2 code such as ES24, or one of the network's own"

# Shared by the Programmes and Targets sheets.
LEVEL = Field(
    "level",
    "Level",
    FieldKind.CHOICE,
    "Training level: basic, intermediate or expert.",
    required=True,
    choices=_values(TrainingLevel),
)

PROGRESS_FIELDS = (
    Field(
        "programme_id",
        "Programme ID",
        FieldKind.IDENTIFIER,
        "Identifier of the programme.",
        required=True,
        label="ID",
    ),
    Field(
        "period", "Period", FieldKind.PERIOD, "The month reported.", required=True, label="Month"
    ),
    Field(
        "enrolled",
        "Enrolled",
        FieldKind.COUNT,
        "People who enrolled in the month.",
        PEOPLE,
        required=True,
    ),
    Field(
        "completed",
        "Completed",
        FieldKind.COUNT,
        "People who completed in the month.",
        PEOPLE,
        required=True,
    ),
    Field(
        "certified",
        "Certified",
        FieldKind.COUNT,
        "People certified in the month.",
        PEOPLE,
        not_reported_if_blank=True,
    ),
    Field(
        "dropped_out",
        "Dropped out",
        FieldKind.COUNT,
        "People who dropped out.",
        PEOPLE,
        not_reported_if_blank=True,
    ),
    Field(
        "women",
        "Women",
        FieldKind.COUNT,
        "Women among the enrolled.",
        PEOPLE,
        not_reported_if_blank=True,
        breakdown=GENDER,
    ),
    Field(
        "spend_eur",
        "Spend EUR",
        FieldKind.AMOUNT,
        "Spend in the month.",
        EUR,
        not_reported_if_blank=True,
        label="Spend (EUR)",
    ),
    Field("notes", "Notes", FieldKind.TEXT, "The programme manager's notes."),
    *(
        _band(key, header, description, breakdown, within)
        for key, header, description, breakdown, within in (
            ("men", "Men", "Men among the enrolled.", GENDER, ""),
            ("non_binary", "Non-binary", "Non-binary people among the enrolled.", GENDER, ""),
            ("age_under_18", "Under 18", "Enrolled aged under 18.", AGE, ""),
            ("age_18_29", "Aged 18-29", "Enrolled aged 18 to 29.", AGE, ""),
            ("age_30_54", "Aged 30-54", "Enrolled aged 30 to 54.", AGE, ""),
            ("age_55_over", "Aged 55 and over", "Enrolled aged 55 and over.", AGE, ""),
            (
                "employed",
                "Employed",
                "Enrolled who are employed, including self-employed.",
                LABOUR,
                "",
            ),
            ("unemployed", "Unemployed", "Enrolled who are unemployed.", LABOUR, ""),
            (
                "long_term_unemployed",
                "Long-term unemployed",
                "Of the unemployed enrolled, those long-term unemployed.",
                LABOUR,
                "unemployed",
            ),
            (
                "inactive",
                "Inactive",
                "Enrolled who are inactive (neither employed nor seeking work).",
                LABOUR,
                "",
            ),
            ("isced_0_2", "ISCED 0-2", "Enrolled with at most lower secondary education.", EDU, ""),
            (
                "isced_3_4",
                "ISCED 3-4",
                "Enrolled with upper secondary or post-secondary non-tertiary education.",
                EDU,
                "",
            ),
            ("isced_5_8", "ISCED 5-8", "Enrolled with tertiary education.", EDU, ""),
        )
    ),
)
"""The progress sheet: one row per programme and month, flows in that month; the ESF+
participant breakdowns last, all optional."""

PROGRESS_MEASURES = tuple(
    field for field in PROGRESS_FIELDS if field.kind in NUMBER_KINDS and not field.sparse
)
"""The numbers a progress report gives, summed over programmes and months by the analysis:
columns of every progress row of the analysis frames."""

BREAKDOWN_MEASURES = tuple(field for field in PROGRESS_FIELDS if field.sparse)
"""The rarely reported counts the analysis keeps in ``Frames.breakdowns``, not per row."""

BREAKDOWNS: dict[str, tuple[Field, ...]] = {
    name: tuple(field for field in PROGRESS_FIELDS if field.breakdown == name)
    for name in (GENDER, AGE, LABOUR, EDU)
}
"""The ESF+ common output indicators on participants, each with its bands in sheet order."""

PROGRAMME_FIELDS = (
    Field(
        "id",
        "Programme ID",
        FieldKind.IDENTIFIER,
        "Identifier of the programme.",
        required=True,
        frame_key="programme_id",
        label="ID",
    ),
    Field(
        "name",
        "Name",
        FieldKind.TEXT,
        "Name of the programme.",
        required=True,
        report_header="Programme",
    ),
    Field(
        "cluster_id",
        "Cluster ID",
        FieldKind.IDENTIFIER,
        "Cluster that runs or hosts it.",
        required=True,
        label="Cluster",
        report_header="Cluster id",
    ),
    Field(
        "region_code",
        "Region",
        FieldKind.IDENTIFIER,
        "Code of its region: its cluster's home region or one the cluster also works in.",
        required=True,
    ),
    LEVEL,
    Field("provider", "Provider", FieldKind.TEXT, "Who delivers the training.", required=True),
    Field(
        "provider_helix",
        "Provider helix",
        FieldKind.CHOICE,
        "The provider's helix role.",
        required=True,
        choices=_values(HelixRole),
    ),
    Field(
        "delivery_mode",
        "Delivery mode",
        FieldKind.CHOICE,
        "online, in-person or blended.",
        required=True,
        choices=_values(DeliveryMode),
    ),
    Field("start", "Start", FieldKind.DATE, "First day of the programme.", required=True),
    Field("end", "End", FieldKind.DATE, "Last day of the programme.", required=True),
    Field(
        "capacity",
        "Capacity",
        FieldKind.COUNT,
        "Places planned over the programme's run.",
        PEOPLE,
        required=True,
        label="Capacity (people)",
    ),
    Field(
        "budget_eur",
        "Budget EUR",
        FieldKind.AMOUNT,
        "The programme's whole budget.",
        EUR,
        required=True,
        label="Budget (EUR)",
    ),
    Field("funding_source", "Funding source", FieldKind.TEXT, "Who pays for it.", required=True),
)
"""The Programmes sheet: one row per programme, as the administrators set it up."""

TARGET_FIELDS = (
    Field(
        "id",
        "Target ID",
        FieldKind.IDENTIFIER,
        "Identifier of the target.",
        required=True,
        frame_key="target_id",
    ),
    Field(
        "scope",
        "Scope",
        FieldKind.CHOICE,
        "Whose target: network, region or cluster.",
        required=True,
        choices=_values(ScopeKind),
    ),
    Field(
        "scope_id",
        "Scope ID",
        FieldKind.IDENTIFIER,
        "Region code or cluster id; empty for the network.",
        label="Code",
    ),
    LEVEL,
    Field(
        "metric",
        "Metric",
        FieldKind.CHOICE,
        "What the target counts: enrolled, completed or certified (blank: completed).",
        choices=_values(Metric),
    ),
    Field(
        "deadline_year",
        "Deadline year",
        FieldKind.YEAR,
        "The target is due in December of this year.",
        required=True,
        label="Deadline",
    ),
    Field(
        "value",
        "Value",
        FieldKind.COUNT,
        "People to train by December of the deadline year.",
        PEOPLE,
        required=True,
    ),
    Field(
        "baseline_year",
        "Baseline year",
        FieldKind.YEAR,
        "Year the counting starts (from its January).",
        required=True,
    ),
    Field(
        "baseline_value",
        "Baseline value",
        FieldKind.COUNT,
        "People already trained at the baseline (blank: 0).",
        PEOPLE,
    ),
    Field(
        "milestones",
        "Milestones",
        FieldKind.TEXT,
        "Interim milestones as 'year: people' (December of that year), separated by ';'.",
    ),
    Field(
        "reason",
        "Reason",
        FieldKind.TEXT,
        "Why a changed target changes; kept with its revision, required when it changes.",
    ),
)
"""The Targets sheet: one row per target, as the administrators set it."""

REGION_FIELDS = (
    Field(
        "code",
        "Region code",
        FieldKind.IDENTIFIER,
        "A NUTS-2 code of the reference, or a code of the network's own (2 to 8 capital letters "
        "and digits).",
        required=True,
        frame_key="region_code",
        hint="a NUTS-2 code of the Reference sheet, such as ES24, or a code of your own of 2 to "
        "8 capital letters and digits",
    ),
    Field(
        "name",
        "Name",
        FieldKind.TEXT,
        "Name of the region (blank for a NUTS-2 code: the reference's).",
    ),
    Field(
        "country",
        "Country",
        FieldKind.TEXT,
        "ISO 3166 two-letter country code (blank for a NUTS-2 code: the reference's).",
        hint="two capital letters, e.g. ES",
    ),
    Field(
        "lat",
        "Latitude",
        FieldKind.COORDINATE,
        "Latitude of the region's marker on maps (blank for a NUTS-2 code: the reference's).",
    ),
    Field(
        "lon",
        "Longitude",
        FieldKind.COORDINATE,
        "Longitude of the region's marker on maps (blank for a NUTS-2 code: the reference's).",
    ),
    Field(
        "adults",
        "Adults",
        FieldKind.COUNT,
        "People aged 16 to 74 living in the region (blank: not known).",
        PEOPLE,
    ),
)
"""The Regions sheet: one row per region taking part in the network."""

CLUSTER_FIELDS = (
    Field(
        "id",
        "Cluster ID",
        FieldKind.IDENTIFIER,
        "Identifier of the cluster.",
        required=True,
        frame_key="cluster_id",
    ),
    Field("name", "Name", FieldKind.TEXT, "Name of the cluster.", required=True),
    Field(
        "region_code",
        "Home region",
        FieldKind.IDENTIFIER,
        "Code of the region the cluster is based in.",
        required=True,
        hint=REGION_CODE_HINT,
    ),
    Field(
        "also_works_in",
        "Also works in",
        FieldKind.LIST,
        "Codes of the other regions the cluster works in, across borders too, separated by ';'.",
        hint=f"region codes separated by '{LIST_SEPARATOR}', e.g. ES22; FRJ2",
    ),
    Field(
        "helix_roles",
        "Helix roles",
        FieldKind.LIST,
        "Who the cluster's partners are: industry, academia, public, society.",
        choices=_values(HelixRole),
    ),
    Field("website", "Website", FieldKind.TEXT, "The cluster's web address (https://…)."),
)
"""The Clusters sheet: one row per cluster, with every region it works in."""

FACILITY_FIELDS = (
    Field(
        "id",
        "Facility ID",
        FieldKind.IDENTIFIER,
        "Identifier of the facility.",
        required=True,
        frame_key="facility_id",
    ),
    Field("name", "Name", FieldKind.TEXT, "Name of the facility.", required=True),
    Field(
        "kind",
        "Kind",
        FieldKind.CHOICE,
        "What it is for: idea generation, demonstration or testing.",
        required=True,
        choices=_values(FacilityKind),
    ),
    Field("region_code", "Region", FieldKind.IDENTIFIER, "Code of its region.", required=True),
    Field(
        "cluster_id",
        "Cluster ID",
        FieldKind.IDENTIFIER,
        "Cluster that runs it (blank: the region itself).",
    ),
    Field(
        "planned_open",
        "Planned opening",
        FieldKind.PERIOD,
        "The month it is planned to open.",
        required=True,
        hint="a month as YYYY-MM text (e.g. 2026-03) or a date",
    ),
    Field(
        "actual_open",
        "Opened",
        FieldKind.PERIOD,
        "The month it opened (blank: not open yet).",
        hint="a month as YYYY-MM text (e.g. 2026-03) or a date; blank until it opens",
    ),
    Field(
        "status",
        "Status",
        FieldKind.CHOICE,
        "planned, building or operational (blank: operational once opened, else as it was, "
        "planned for a new facility).",
        choices=_values(FacilityStatus),
    ),
    Field("notes", "Notes", FieldKind.TEXT, "The administrators' notes."),
)
"""The Facilities sheet: the roadmap's idea-generation, demonstration and testing facilities."""

SHEETS = (PROGRESS_FIELDS, PROGRAMME_FIELDS, TARGET_FIELDS)
"""The fields of the sheets that name the analysis frames' columns on dashboard tables."""

NETWORK_SHEETS = (REGION_FIELDS, CLUSTER_FIELDS, PROGRAMME_FIELDS, TARGET_FIELDS, FACILITY_FIELDS)
"""The sheets of the network workbook, in the order they are stored: each may refer to the
IDs of those before it."""


def dtypes(fields: Iterable[Field]) -> dict[str, str]:
    """Each field's key and pandas dtype, in order: the columns of a typed frame of rows."""
    return {field.key: field.dtype for field in fields}


def measure_dtype(field: Field) -> Literal["int32", "float64"]:
    """A progress measure's dtype in the analysis frames.

    A count that is never blank is ``int32`` (small, exact); a measure that may be blank is
    ``float64``, so that "not reported" is ``NaN`` and sums skip it.
    """
    never_blank_count = field.kind is FieldKind.COUNT and not field.not_reported_if_blank
    return "int32" if never_blank_count else "float64"


def translatable() -> Iterator[str]:
    """The catalogue's words that people read on pages and in reports (labels, report
    headers, breakdowns), for the translation catalogs: ``babel.cfg`` gathers them from here,
    and where they are shown they go through ``gettext``."""
    for fields in SHEETS:
        for field in fields:
            yield field.label
            yield field.report_header
            if field.breakdown:
                yield field.breakdown
            if field.hint:
                yield field.hint  # what a valid cell holds, in a sheet's problems
            yield field.meaning  # the template's Instructions
    yield from EXPECTED.values()


def labels() -> dict[str, str]:
    """Every field's label (with its unit) by its name in the frames, for dashboard tables."""
    return {field.frame_key: field.label for fields in SHEETS for field in fields}
