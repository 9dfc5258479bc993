"""The roadmap's nouns as pydantic models: the invariants every layer can rely on.

Bulk data (100,000 progress rows) is validated vectorised in ``ingest``; these models guard
single objects crossing a boundary (CLI, admin forms, demo generation, tests).

The models speak no language: a rule they break raises a :class:`DomainRuleError` carrying
its English message id (marked ``N_``) and its values, and whoever shows it to a user
translates it then (``skills_roadmap.domain_errors.reason``), in the reader's language.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from functools import total_ordering
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    field_validator,
    model_validator,
)

from skills_roadmap.i18n.catalogs import N_
from skills_roadmap.i18n.languages import LANGUAGES, supported

# A region is named by its NUTS code (``ES24``) or by a code of the network's own (``NORDIC``).
REGION_CODE = re.compile(r"^[A-Z0-9]{2,8}$")
# What a NUTS code looks like: its country's two letters and up to three letters or digits.
NUTS_SHAPE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
# An address any mail server accepts: RFC 5322 "atext" before the @ (no spaces, quotes or
# line breaks, so it never bends a mail header), a domain with a dot after it; the server,
# not this pattern, decides whether anyone reads it.
EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
EMAIL_MAX_LENGTH = 254  # RFC 5321's longest path

# What the domain's rules say when they refuse a value: English message ids, translated where
# they are shown (``domain_errors.reason``), their placeholders filled from the error's values.
NOT_AN_EMAIL = N_("{value!r} is not an e-mail address: write it as name@example.org")
NOT_A_LANGUAGE = N_("{value!r} is not a supported language: use one of {languages}")
NOT_A_REGION_CODE = N_(
    "'{value}' is not a region code: expected a NUTS code such as 'ES24', or a code "
    "of your own of 2 to 8 capital letters and digits"
)
NOT_AN_ID = N_(
    "'{value}' is not a valid id: use letters, digits, '.', '-' or '_' "
    "(at most 64 characters, starting with a letter or digit)"
)
NOT_A_MONTH = N_("'{value}' is not a month: expected YYYY-MM, e.g. '2025-03'")
REGION_OUTSIDE_COUNTRY = N_("region {code} starts with {prefix} but its country is {country}")
ENDS_BEFORE_START = N_("programme {id} ends ({end}) before it starts ({start})")
NETWORK_TARGET_SCOPED = N_("a network target has no scope id")
REGION_TARGET_UNSCOPED = N_("a region target needs the region it is for")
CLUSTER_TARGET_UNSCOPED = N_("a cluster target needs the cluster it is for")
DEADLINE_NOT_AFTER_BASELINE = N_(
    "the deadline year ({deadline}) must come after the baseline year ({baseline})"
)
BASELINE_ABOVE_TARGET = N_("the baseline ({baseline}) is already above the target ({value})")
MILESTONES_OUT_OF_ORDER = N_("milestones must be in increasing years, one per year")
MILESTONE_OUTSIDE = N_(
    "milestone year {year} must lie from the baseline year {baseline} up to before the "
    "deadline {deadline}"
)
CERTIFIED_ABOVE_COMPLETED = N_("certified ({certified}) cannot exceed completed ({completed})")
WOMEN_ABOVE_ENROLLED = N_("women ({women}) cannot exceed enrolled ({enrolled})")
OPERATIONAL_NOT_OPENED = N_("operational facility {id} needs the date it actually opened")
OPENED_NOT_OPERATIONAL = N_("facility {id} has an opening date but its status is {status}")
MANAGER_WITHOUT_CLUSTERS = N_("manager {name} must be bound to at least one cluster")


class DomainRuleError(ValueError):
    """A domain rule refused a value: its English message id and the values it names.

    ``str()`` is the English message (logs, the command line's English, pydantic's own
    ``msg``); ``message`` and ``values`` let whoever shows it translate it
    (``domain_errors.reason``), so the models themselves stay free of any language.
    """

    def __init__(self, message: str, /, **values: object) -> None:
        super().__init__(message.format(**values))
        self.message = message
        self.values = values


def check_email(value: str) -> str:
    """``value`` stripped, when it looks like an e-mail address a mail server accepts.

    Raises:
        ValueError: it does not, saying what one looks like.
    """
    address = value.strip()
    if len(address) > EMAIL_MAX_LENGTH or not EMAIL.fullmatch(address):
        raise DomainRuleError(NOT_AN_EMAIL, value=value)
    return address


def check_language(value: str) -> str:
    """The code of the supported language ``value`` names (``es_ES.UTF-8`` is ``es``).

    Raises:
        ValueError: no supported language, listing them.
    """
    code = supported(value.strip())
    if code is None:
        raise DomainRuleError(NOT_A_LANGUAGE, value=value, languages=", ".join(LANGUAGES))
    return code


@total_ordering
class TrainingLevel(StrEnum):
    """The three levels of the roadmap, ordered from the widest to the most specialised."""

    BASIC = "basic"
    INTERMEDIATE = "intermediate"
    EXPERT = "expert"

    @property
    def rank(self) -> int:
        return list(TrainingLevel).index(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, TrainingLevel):
            return NotImplemented
        return self.rank < other.rank


class Metric(StrEnum):
    """What a target counts."""

    ENROLLED = "enrolled"
    COMPLETED = "completed"
    CERTIFIED = "certified"


class ScopeKind(StrEnum):
    """Whose target it is."""

    NETWORK = "network"
    REGION = "region"
    CLUSTER = "cluster"


class HelixRole(StrEnum):
    """The quadruple helix: who a cluster or provider is."""

    INDUSTRY = "industry"
    ACADEMIA = "academia"
    PUBLIC = "public"
    SOCIETY = "society"


class DeliveryMode(StrEnum):
    ONLINE = "online"
    IN_PERSON = "in-person"
    BLENDED = "blended"


class FacilityKind(StrEnum):
    """The roadmap's infrastructures."""

    IDEA_GENERATION = "idea_generation"
    DEMONSTRATION = "demonstration"
    TESTING = "testing"


class FacilityStatus(StrEnum):
    PLANNED = "planned"
    BUILDING = "building"
    OPERATIONAL = "operational"


class Role(StrEnum):
    ADMIN = "admin"
    OFFICIAL = "official"
    MANAGER = "manager"
    ANALYST = "analyst"


class UploadOutcome(StrEnum):
    DRY_RUN = "dry_run"
    COMMITTED = "committed"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


class SubmissionState(StrEnum):
    """Where a cluster's month stands: submitted by its manager, then approved or returned."""

    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


def _region_code(value: str) -> str:
    if not REGION_CODE.match(value):
        raise DomainRuleError(NOT_A_REGION_CODE, value=value)
    return value


def _identifier(value: str) -> str:
    if not IDENTIFIER.match(value):
        raise DomainRuleError(NOT_AN_ID, value=value)
    return value


def parse_period(value: str) -> date:
    """The first day of a ``YYYY-MM`` month."""
    match = PERIOD.match(value)
    if not match:
        raise DomainRuleError(NOT_A_MONTH, value=value)
    return date(int(match.group(1)), int(match.group(2)), 1)


def _period(value: str) -> str:
    parse_period(value)
    return value


RegionCode = Annotated[str, AfterValidator(_region_code)]
Identifier = Annotated[str, AfterValidator(_identifier)]
Period = Annotated[str, AfterValidator(_period)]
NonNegativeInt = Annotated[int, Field(ge=0)]
Year = Annotated[int, Field(ge=2000, le=2100)]


class DomainModel(BaseModel):
    """Common configuration: strict fields, no unknown keys, immutable values."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Region(DomainModel):
    """A region taking part in the network: a NUTS region, or one the network defines itself.

    A code shaped like a NUTS code starts with its country's letters (Greece is ``EL`` in
    NUTS but ``GR`` in ISO 3166; everything else agrees).
    """

    code: RegionCode
    name: str = Field(min_length=1)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 country code")
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    adults: NonNegativeInt | None = Field(
        None, description="People aged 16-74 living in the region; None: not known."
    )

    @model_validator(mode="after")
    def _code_in_country(self) -> Self:
        if not NUTS_SHAPE.match(self.code):
            return self
        nuts_country = "GR" if self.code[:2] == "EL" else self.code[:2]
        if nuts_country != self.country:
            raise DomainRuleError(
                REGION_OUTSIDE_COUNTRY,
                code=self.code,
                prefix=self.code[:2],
                country=self.country,
            )
        return self


class Cluster(DomainModel):
    """An industry cluster: partner of a regional government, runs or hosts programmes.

    It is based in its home region and may also work in other regions, across borders too;
    its programmes run in any of them.
    """

    id: Identifier
    name: str = Field(min_length=1)
    region_code: RegionCode
    also_works_in: tuple[RegionCode, ...] = ()
    helix_roles: tuple[HelixRole, ...] = ()
    website: HttpUrl | None = None

    @property
    def regions(self) -> tuple[str, ...]:
        """Every region it works in: its home region first."""
        return tuple(dict.fromkeys((self.region_code, *self.also_works_in)))


class Programme(DomainModel):
    """A training programme at one level, run by a provider for a cluster in a region."""

    id: Identifier
    name: str = Field(min_length=1)
    cluster_id: Identifier
    region_code: RegionCode
    level: TrainingLevel
    provider: str = Field(min_length=1)
    provider_helix: HelixRole
    delivery_mode: DeliveryMode
    start: date
    end: date
    capacity: NonNegativeInt
    budget_eur: float = Field(ge=0)
    funding_source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _end_after_start(self) -> Self:
        if self.end < self.start:
            raise DomainRuleError(ENDS_BEFORE_START, id=self.id, end=self.end, start=self.start)
        return self


class Milestone(DomainModel):
    """An interim point on a target's trajectory: `value` people by December of `year`."""

    year: Year
    value: NonNegativeInt


class Target(DomainModel):
    """How many people a scope should have trained at a level by a deadline year."""

    id: Identifier
    scope: ScopeKind
    scope_id: str | None = Field(
        None, description="Region code or cluster id; empty for the network."
    )
    level: TrainingLevel
    metric: Metric = Metric.COMPLETED
    deadline_year: Year
    value: int = Field(gt=0)
    baseline_year: Year
    baseline_value: NonNegativeInt = 0
    milestones: tuple[Milestone, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.scope is ScopeKind.NETWORK and self.scope_id:
            raise DomainRuleError(NETWORK_TARGET_SCOPED)
        if self.scope is not ScopeKind.NETWORK and not self.scope_id:
            raise DomainRuleError(
                REGION_TARGET_UNSCOPED
                if self.scope is ScopeKind.REGION
                else CLUSTER_TARGET_UNSCOPED
            )
        if self.scope is ScopeKind.REGION and self.scope_id:
            _region_code(self.scope_id)
        if self.deadline_year <= self.baseline_year:
            raise DomainRuleError(
                DEADLINE_NOT_AFTER_BASELINE,
                deadline=self.deadline_year,
                baseline=self.baseline_year,
            )
        if self.baseline_value > self.value:
            raise DomainRuleError(
                BASELINE_ABOVE_TARGET, baseline=self.baseline_value, value=self.value
            )
        years = [m.year for m in self.milestones]
        if years != sorted(set(years)):
            raise DomainRuleError(MILESTONES_OUT_OF_ORDER)
        for milestone in self.milestones:
            if not self.baseline_year <= milestone.year < self.deadline_year:
                raise DomainRuleError(
                    MILESTONE_OUTSIDE,
                    year=milestone.year,
                    baseline=self.baseline_year,
                    deadline=self.deadline_year,
                )
        return self


class TargetRevision(DomainModel):
    """A change to a target, kept with who made it and why."""

    target_id: Identifier
    changed_by: str
    changed_at: datetime
    field: str
    old_value: str | None
    new_value: str | None
    reason: str = Field(min_length=3, description="Why the target changed; required.")


class ProgressReport(DomainModel):
    """One programme's flows in one month (not running totals).

    Optional counts left as ``None`` mean "not reported", never zero.
    """

    programme_id: Identifier
    period: Period
    enrolled: NonNegativeInt
    completed: NonNegativeInt
    certified: NonNegativeInt | None = None
    dropped_out: NonNegativeInt | None = None
    women: NonNegativeInt | None = None
    spend_eur: float | None = Field(None, ge=0)
    notes: str | None = None
    # The ESF+ participant breakdowns (see ``fields.BREAKDOWNS``); the sheet checks their sums.
    men: NonNegativeInt | None = None
    non_binary: NonNegativeInt | None = None
    age_under_18: NonNegativeInt | None = None
    age_18_29: NonNegativeInt | None = None
    age_30_54: NonNegativeInt | None = None
    age_55_over: NonNegativeInt | None = None
    employed: NonNegativeInt | None = None
    unemployed: NonNegativeInt | None = None
    long_term_unemployed: NonNegativeInt | None = None
    inactive: NonNegativeInt | None = None
    isced_0_2: NonNegativeInt | None = None
    isced_3_4: NonNegativeInt | None = None
    isced_5_8: NonNegativeInt | None = None

    @model_validator(mode="after")
    def _counts_consistent(self) -> Self:
        if self.certified is not None and self.certified > self.completed:
            raise DomainRuleError(
                CERTIFIED_ABOVE_COMPLETED, certified=self.certified, completed=self.completed
            )
        if self.women is not None and self.women > self.enrolled:
            raise DomainRuleError(WOMEN_ABOVE_ENROLLED, women=self.women, enrolled=self.enrolled)
        return self


class Facility(DomainModel):
    """An idea-generation, demonstration or testing facility of the roadmap."""

    id: Identifier
    name: str = Field(min_length=1)
    kind: FacilityKind
    region_code: RegionCode
    cluster_id: Identifier | None = None
    status: FacilityStatus
    planned_open: date
    actual_open: date | None = None
    notes: str | None = None

    @model_validator(mode="after")
    def _opened_only_when_operational(self) -> Self:
        if self.status is FacilityStatus.OPERATIONAL and self.actual_open is None:
            raise DomainRuleError(OPERATIONAL_NOT_OPENED, id=self.id)
        if self.status is not FacilityStatus.OPERATIONAL and self.actual_open is not None:
            raise DomainRuleError(OPENED_NOT_OPERATIONAL, id=self.id, status=self.status.value)
        return self


class Upload(DomainModel):
    """One uploaded file and what became of it."""

    file_name: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    uploaded_by: str
    uploaded_at: datetime
    kind: str = "progress"
    rows_new: NonNegativeInt = 0
    rows_changed: NonNegativeInt = 0
    rows_unchanged: NonNegativeInt = 0
    errors: NonNegativeInt = 0
    warnings: NonNegativeInt = 0
    outcome: UploadOutcome


class Revision(DomainModel):
    """An earlier value of a progress field, replaced by an upload."""

    programme_id: Identifier
    period: Period
    field: str
    old_value: str | None
    new_value: str | None
    upload_id: int
    changed_by: str
    changed_at: datetime


class User(DomainModel):
    """A person who signs in; managers report for their clusters only."""

    name: str = Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9_.@\-]+$")
    role: Role
    cluster_ids: tuple[Identifier, ...] = ()
    active: bool = True
    email: str | None = None
    language: str | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return None if value is None else check_email(value)

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        return None if value is None else check_language(value)

    @field_validator("cluster_ids")
    @classmethod
    def _unique(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(value))

    @model_validator(mode="after")
    def _manager_has_clusters(self) -> Self:
        if self.role is Role.MANAGER and not self.cluster_ids:
            raise DomainRuleError(MANAGER_WITHOUT_CLUSTERS, name=self.name)
        return self
