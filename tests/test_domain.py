"""Domain invariants: valid objects pass, invalid ones fail with a message a person understands."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from skills_roadmap.domain import (
    Cluster,
    Facility,
    Programme,
    ProgressReport,
    Region,
    Target,
    TargetRevision,
    TrainingLevel,
    Upload,
    User,
    parse_period,
)

PROGRAMME: dict[str, Any] = {
    "id": "ES24-AI-001",
    "name": "GenAI for SMEs",
    "cluster_id": "aragon-ai",
    "region_code": "ES24",
    "level": "basic",
    "provider": "Universidad de Zaragoza",
    "provider_helix": "academia",
    "delivery_mode": "blended",
    "start": date(2024, 1, 1),
    "end": date(2026, 12, 31),
    "capacity": 400,
    "budget_eur": 250_000,
    "funding_source": "ESF+",
}
TARGET: dict[str, Any] = {
    "id": "T-ES24-basic",
    "scope": "region",
    "scope_id": "ES24",
    "level": "basic",
    "deadline_year": 2027,
    "value": 4000,
    "baseline_year": 2024,
}
REPORT: dict[str, Any] = {
    "programme_id": "ES24-AI-001",
    "period": "2025-03",
    "enrolled": 40,
    "completed": 30,
}


def test_training_levels_are_ordered_from_basic_to_expert() -> None:
    assert sorted([TrainingLevel.EXPERT, TrainingLevel.BASIC, TrainingLevel.INTERMEDIATE]) == [
        TrainingLevel.BASIC,
        TrainingLevel.INTERMEDIATE,
        TrainingLevel.EXPERT,
    ]


@pytest.mark.parametrize(
    ("code", "country"),
    [
        ("ES24", "ES"),
        ("RO11", "RO"),
        ("SE11", "SE"),
        ("EL30", "GR"),
        ("DE", "DE"),
        # a network's own codes: 2 to 8 capital letters and digits, of any shape
        ("NORDIC", "SE"),
        ("ES2444", "ES"),
        ("E24", "ES"),
        ("8BALTIC8", "LT"),
    ],
)
def test_region_accepts_nuts_codes_and_codes_of_its_own(code: str, country: str) -> None:
    region = Region(code=code, name="x", country=country, lat=41.6, lon=-0.9)
    assert region.code == code


@pytest.mark.parametrize(
    ("code", "country", "message"),
    [
        ("es24", "ES", "is not a region code"),
        ("E", "ES", "is not a region code"),
        ("ES-24", "ES", "is not a region code"),
        ("NINECHARS", "ES", "is not a region code"),
        ("ES24", "FR", "starts with ES but its country is FR"),
        # a code shaped like a NUTS code starts with its country's letters
        ("SE2X", "NO", "starts with SE but its country is NO"),
    ],
)
def test_region_rejects_bad_codes(code: str, country: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Region(code=code, name="x", country=country, lat=41.6, lon=-0.9)


def test_region_rejects_coordinates_off_the_globe() -> None:
    with pytest.raises(ValidationError, match="less than or equal to 90"):
        Region(code="ES24", name="Aragón", country="ES", lat=141.6, lon=-0.9)


def test_a_cluster_works_in_its_home_region_first_then_the_others() -> None:
    cluster = Cluster(
        id="pyrenees-ai",
        name="Pyrenees AI",
        region_code="ES24",
        also_works_in=("FRJ2", "ES24", "ES22"),
        helix_roles=(),
    )
    assert cluster.regions == ("ES24", "FRJ2", "ES22")


def test_a_cluster_refuses_an_unknown_helix_role_and_a_bad_region_code() -> None:
    with pytest.raises(ValidationError) as refused:
        Cluster(
            id="x", name="X", region_code="ES24", also_works_in=("fr10",), helix_roles=("media",)
        )
    assert [problem["loc"] for problem in refused.value.errors()] == [
        ("also_works_in", 0),
        ("helix_roles", 0),
    ]


def test_programme_accepts_a_valid_programme() -> None:
    programme = Programme(**PROGRAMME)
    assert programme.level is TrainingLevel.BASIC


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end": date(2023, 12, 31)}, "ends \\(2023-12-31\\) before it starts \\(2024-01-01\\)"),
        ({"capacity": -1}, "greater than or equal to 0"),
        ({"budget_eur": -5}, "greater than or equal to 0"),
        ({"level": "advanced"}, "'basic', 'intermediate' or 'expert'"),
        ({"id": "has space"}, "is not a valid id"),
        ({"delivery_mode": "by post"}, "'online', 'in-person' or 'blended'"),
    ],
)
def test_programme_rejects_broken_invariants(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Programme(**(PROGRAMME | change))


def test_target_accepts_milestones_between_baseline_and_deadline() -> None:
    target = Target(
        **TARGET, milestones=({"year": 2025, "value": 1000}, {"year": 2026, "value": 2500})
    )
    assert [m.year for m in target.milestones] == [2025, 2026]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"deadline_year": 2024}, "deadline year \\(2024\\) must come after the baseline year"),
        ({"deadline_year": 2023}, "deadline year \\(2023\\) must come after the baseline year"),
        ({"value": 0}, "greater than 0"),
        ({"baseline_value": 5000}, "baseline \\(5000\\) is already above the target"),
        ({"scope_id": None}, "a region target needs the region it is for"),
        ({"scope": "network"}, "a network target has no scope id"),
        ({"scope_id": "Aragon"}, "is not a region code"),
        ({"metric": "attended"}, "'enrolled', 'completed' or 'certified'"),
        ({"milestones": ({"year": 2027, "value": 10},)}, "milestone year 2027 must lie"),
        (
            {"milestones": ({"year": 2026, "value": 10}, {"year": 2025, "value": 5})},
            "milestones must be in increasing years",
        ),
    ],
)
def test_target_rejects_broken_invariants(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Target(**(TARGET | change))


def test_target_revision_needs_a_reason() -> None:
    with pytest.raises(ValidationError, match="at least 3 characters"):
        TargetRevision(
            target_id="T-ES24-basic",
            changed_by="admin",
            changed_at=datetime(2025, 1, 1),
            field="value",
            old_value="4000",
            new_value="4500",
            reason="",
        )


def test_progress_report_keeps_blank_optional_counts_as_not_reported() -> None:
    report = ProgressReport(**REPORT)
    assert (report.certified, report.women, report.spend_eur) == (None, None, None)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"period": "2025-13"}, "is not a month: expected YYYY-MM"),
        ({"period": "March 2025"}, "is not a month: expected YYYY-MM"),
        ({"enrolled": -1}, "greater than or equal to 0"),
        ({"certified": 31}, "certified \\(31\\) cannot exceed completed \\(30\\)"),
        ({"women": 41}, "women \\(41\\) cannot exceed enrolled \\(40\\)"),
        ({"spend_eur": -0.01}, "greater than or equal to 0"),
    ],
)
def test_progress_report_rejects_broken_invariants(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ProgressReport(**(REPORT | change))


def test_parse_period_gives_the_first_day_of_the_month() -> None:
    assert parse_period("2025-03") == date(2025, 3, 1)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": "operational"}, "needs the date it actually opened"),
        ({"actual_open": date(2025, 5, 1)}, "has an opening date but its status is planned"),
    ],
)
def test_facility_opening_date_matches_its_status(change: dict[str, Any], message: str) -> None:
    facility = {
        "id": "ES24-DEMO-1",
        "name": "AI demo lab",
        "kind": "demonstration",
        "region_code": "ES24",
        "status": "planned",
        "planned_open": date(2025, 3, 1),
    }
    with pytest.raises(ValidationError, match=message):
        Facility(**(facility | change))


def test_upload_hash_must_be_a_sha256() -> None:
    with pytest.raises(ValidationError, match="should match pattern"):
        Upload(
            file_name="progress.xlsx",
            sha256="abc",
            uploaded_by="maria",
            uploaded_at=datetime(2025, 1, 1),
            outcome="committed",
        )


def test_manager_must_be_bound_to_a_cluster() -> None:
    with pytest.raises(
        ValidationError, match="manager maria must be bound to at least one cluster"
    ):
        User(name="maria", role="manager")


def test_user_cluster_list_drops_repeats() -> None:
    user = User(name="maria", role="manager", cluster_ids=("aragon-ai", "aragon-ai"))
    assert user.cluster_ids == ("aragon-ai",)
