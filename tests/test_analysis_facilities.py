"""Facilities: planned against operational, with slippage in months."""

from __future__ import annotations

import pandas as pd

from skills_roadmap.analysis import (
    Filters,
    Frames,
    apply_filters,
    build_frames,
    facilities_status,
    facility_slippage,
)

FACILITIES = pd.DataFrame(
    [
        # id, kind, region, status, planned, opened
        ("late", "testing", "ES24", "planned", "2025-01-01", None),  # 5 months overdue
        ("slipped", "demonstration", "ES24", "operational", "2024-06-01", "2024-09-15"),
        ("ahead", "testing", "RO11", "building", "2026-01-01", None),  # not due yet
        ("early", "idea_generation", "RO11", "operational", "2024-05-01", "2024-03-20"),
    ],
    columns=["facility_id", "kind", "region_code", "status", "planned_open", "actual_open"],
)


def frames() -> Frames:
    # As of June 2025 (the latest progress report).
    return build_frames(
        regions=pd.DataFrame({"region_code": ["ES24", "RO11", "SE11"]}),
        clusters=pd.DataFrame({"cluster_id": ["ai"], "region_code": ["ES24"]}),
        programmes=pd.DataFrame(
            {
                "programme_id": ["p"],
                "cluster_id": ["ai"],
                "region_code": ["ES24"],
                "level": ["basic"],
                "start": ["2024-01-01"],
                "end": ["2025-12-31"],
            }
        ),
        progress=pd.DataFrame(
            {"programme_id": ["p"], "period": ["2025-06"], "enrolled": [1], "completed": [0]}
        ),
        facilities=FACILITIES,
    )


def test_slippage_per_facility() -> None:
    table = facility_slippage(frames()).set_index("facility_id")
    assert table["slippage_months"].to_dict() == {
        "late": 5.0,
        "slipped": 3.0,
        "ahead": 0.0,
        "early": -2.0,
    }
    assert table["overdue"].to_dict() == {
        "late": True,
        "slipped": False,
        "ahead": False,
        "early": False,
    }


def test_planned_against_operational_per_region() -> None:
    table = facilities_status(frames()).astype({"region_code": str})
    assert table.values.tolist() == [
        ["ES24", 2, 0, 1, 1, 4.0, 5.0],
        ["RO11", 2, 1, 1, 0, -1.0, 0.0],
    ]
    assert list(table.columns) == [
        "region_code",
        "planned",
        "building",
        "operational",
        "overdue",
        "mean_slippage_months",
        "max_slippage_months",
    ]


def test_status_per_region_and_kind() -> None:
    table = facilities_status(frames(), by=("region_code", "kind"))
    assert len(table) == 4
    assert table["planned"].sum() == 4


def test_a_facility_opened_after_the_as_of_month_shows_as_planned_and_overdue() -> None:
    """As of 2024-08, "slipped" (planned 2024-06, opened 2024-09) was not open yet: 2 months
    overdue; "early" (opened 2024-03) was open already; "ahead" keeps its stored status."""
    past = apply_filters(frames(), Filters(as_of="2024-08"))
    table = facility_slippage(past).set_index("facility_id")
    shown = table[["status", "actual_open", "slippage_months", "overdue"]].astype({"status": str})
    assert shown.replace({pd.NaT: None}).to_dict("index") == {
        "late": {
            "status": "planned",
            "actual_open": None,
            "slippage_months": 0.0,
            "overdue": False,
        },
        "slipped": {
            "status": "planned",
            "actual_open": None,
            "slippage_months": 2.0,
            "overdue": True,
        },
        "ahead": {
            "status": "building",
            "actual_open": None,
            "slippage_months": 0.0,
            "overdue": False,
        },
        "early": {
            "status": "operational",
            "actual_open": pd.Timestamp("2024-03-20"),
            "slippage_months": -2.0,
            "overdue": False,
        },
    }
    assert facilities_status(past).astype({"region_code": str}).values.tolist() == [
        ["ES24", 2, 0, 0, 1, 1.0, 2.0],
        ["RO11", 2, 1, 1, 0, -1.0, 0.0],
    ]
