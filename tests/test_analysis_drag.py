"""Which cluster drags a region: each cluster against its own target or its expected share."""

from __future__ import annotations

import pandas as pd
import pytest

from skills_roadmap.analysis import AnalysisSettings, Filters, apply_filters, build_frames
from skills_roadmap.analysis.drag import cluster_drag, drag_table

OWN_COLUMNS = ["cluster_id", "level", "achieved", "expected"]


def records(table: pd.DataFrame) -> list[dict[str, object]]:
    """The rows of ``table`` with ratios rounded for comparison, the status as text and a
    blank as None."""
    return [
        {
            str(key): None if pd.isna(value) else round(value, 4) if key == "ratio" else value
            for key, value in row.items()
        }
        for row in table.astype({"status": object}).to_dict("records")
    ]


def test_a_cluster_without_a_target_is_judged_on_its_share_of_the_region_expected_gain() -> None:
    shares = pd.DataFrame(
        {
            "cluster_id": ["a", "b", "a", "b"],
            "name": ["A", "B", "A", "B"],
            "level": ["basic", "basic", "expert", "expert"],
            "achieved": [30.0, 5.0, 4.0, 6.0],
            "weight": [60.0, 20.0, 0.0, 10.0],
        }
    )
    # Basic: the region expects 40, split 60:20 → 30 from A and 10 from B. Expert: the region
    # has no target, so nobody is judged there and its people are not counted.
    region = pd.DataFrame({"level": ["basic"], "expected": [40.0]})

    table = drag_table(shares, region, pd.DataFrame(columns=OWN_COLUMNS), AnalysisSettings())

    assert records(table) == [
        {
            "cluster_id": "b",
            "name": "B",
            "achieved": 5.0,
            "expected": 10.0,
            "own_target": False,
            "ratio": 0.5,
            "gap": 5.0,
            "status": "off_track",
        },
        {
            "cluster_id": "a",
            "name": "A",
            "achieved": 30.0,
            "expected": 30.0,
            "own_target": False,
            "ratio": 1.0,
            "gap": 0.0,
            "status": "on_track",
        },
    ]


def test_a_cluster_with_its_own_target_is_judged_against_it_level_by_level() -> None:
    shares = pd.DataFrame(
        {
            "cluster_id": ["a", "a", "b"],
            "name": ["A", "A", "B"],
            "level": ["basic", "expert", "basic"],
            "achieved": [30.0, 2.0, 10.0],
            "weight": [50.0, 10.0, 50.0],
        }
    )
    region = pd.DataFrame({"level": ["basic", "expert"], "expected": [40.0, 8.0]})
    # A's own expert target expects 10 and it has 9 (counted over all its regions): basic is
    # judged on its share (20 of 40, it has 30), expert on its own target.
    own = pd.DataFrame(
        {"cluster_id": ["a"], "level": ["expert"], "achieved": [9.0], "expected": [10.0]}
    )

    table = drag_table(shares, region, own, AnalysisSettings())

    assert records(table) == [
        {
            "cluster_id": "b",
            "name": "B",
            "achieved": 10.0,
            "expected": 20.0,
            "own_target": False,
            "ratio": 0.5,
            "gap": 10.0,
            "status": "off_track",
        },
        {
            "cluster_id": "a",
            "name": "A",
            "achieved": 39.0,
            "expected": 30.0,
            "own_target": True,
            "ratio": 1.3,
            "gap": -9.0,
            "status": "on_track",
        },
    ]


def test_a_cluster_with_nothing_to_be_judged_against_has_no_status() -> None:
    shares = pd.DataFrame(
        {"cluster_id": ["a"], "name": ["A"], "level": ["basic"], "achieved": [3.0], "weight": [5.0]}
    )
    region = pd.DataFrame(columns=["level", "expected"])

    table = drag_table(shares, region, pd.DataFrame(columns=OWN_COLUMNS), AnalysisSettings())

    assert records(table) == [
        {
            "cluster_id": "a",
            "name": "A",
            "achieved": None,
            "expected": None,
            "own_target": False,
            "ratio": None,
            "gap": None,
            "status": None,
        }
    ]


def test_cluster_drag_reads_the_region_target_and_the_clusters_own_targets() -> None:
    # Aragón's basic programmes over 2024-2025 (24 months); as of 2024-12 half of each run
    # has passed. Ai has no target of its own; tech has one.
    frames = build_frames(
        regions=pd.DataFrame({"region_code": ["ES24"]}),
        clusters=pd.DataFrame({"cluster_id": ["ai", "tech"], "region_code": ["ES24", "ES24"]}),
        programmes=pd.DataFrame(
            {
                "programme_id": ["p1", "p2", "p3", "p4"],
                "cluster_id": ["ai", "ai", "tech", "tech"],
                "region_code": "ES24",
                "level": "basic",
                "start": "2024-01-01",
                "end": "2025-12-31",
                "capacity": [1200, 800, 400, 100],
            }
        ),
        progress=pd.DataFrame(
            [("p1", "2024-06", 900, 600), ("p2", "2024-12", 400, 300), ("p3", "2024-12", 100, 100)],
            columns=["programme_id", "period", "enrolled", "completed"],
        ),
        targets=pd.DataFrame(
            {
                "target_id": ["region", "tech"],
                "scope": ["region", "cluster"],
                "scope_id": ["ES24", "tech"],
                "level": "basic",
                "deadline_year": 2025,
                "value": [2300.0, 460.0],
                "baseline_year": 2024,
            }
        ),
    )

    table = cluster_drag(apply_filters(frames, Filters(regions=("ES24",))))

    # Trajectories from January 2024 to December 2025 are 11/23 of the way at December 2024:
    # the region expects 1,100, tech's own target 220 (it has 100). Ai's share of the region's
    # expected enrolment is (600 + 400) / (600 + 400 + 200 + 50) = 0.8: 880 expected, 900 done.
    assert records(table) == [
        {
            "cluster_id": "tech",
            "name": "tech",
            "achieved": 100.0,
            "expected": pytest.approx(220.0),
            "own_target": True,
            "ratio": round(100 / 220, 4),
            "gap": pytest.approx(120.0),
            "status": "off_track",
        },
        {
            "cluster_id": "ai",
            "name": "ai",
            "achieved": 900.0,
            "expected": pytest.approx(880.0),
            "own_target": False,
            "ratio": round(900 / 880, 4),
            "gap": pytest.approx(-20.0),
            "status": "on_track",
        },
    ]
