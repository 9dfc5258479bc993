"""Programme types learnt from the history: a region's own figures, or the network's."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pandas as pd
import pytest
from planning_helpers import Past, network_frames

import skills_roadmap.planning as planning
from skills_roadmap.planning import monthly_capacity, programme_types


def history() -> list[Past]:
    """Four online industry courses in Aragón, one in Nord-Vest, one expert course there that
    never had a completer."""

    def aragon(capacity: float, completed: int, spend: float | None, lag: int) -> Past:
        return Past("ES24", "basic", "online", "industry", capacity, 10, completed, spend, lag,
                    budget=3000.0)  # fmt: skip

    return [
        aragon(10, 5, 1000.0, 1),
        aragon(21, 5, None, 1),  # spend never reported: its budget, 3,000, is its cost
        aragon(30, 10, 2000.0, 2),
        aragon(40, 10, 3000.0, 2),
        Past("RO11", "basic", "online", "industry", 100, 100, 50, 20_000.0, 5),
        Past("RO11", "expert", "blended", "public", 10, 10, 0, 5000.0, 3),
    ]


def test_types_use_a_regions_own_history_from_three_programmes_else_the_networks() -> None:
    frames = network_frames(history(), [], regions=("ES24", "RO11"))
    types = programme_types(frames, ["ES24", "RO11"], ["basic", "expert"])
    # Aragón, its four: cost 9,000 / 30 completers; 30 of 40 enrolled complete; median
    # capacity 25.5, whole places 26; months to half the completions 1, 1, 2, 2: median 1.5,
    # rounded up to 2.
    # Nord-Vest has one programme of the type: the network's five, cost 29,000 / 80; 80 of
    # 140 complete; median capacity 30; lags 1, 1, 2, 2, 5: median 2.
    # The expert type never had a completer: not plannable.
    expected = pd.DataFrame(
        {
            "region_code": ["ES24", "RO11"],
            "level": ["basic", "basic"],
            "delivery_mode": ["online", "online"],
            "provider_helix": ["industry", "industry"],
            "basis": ["region", "network"],
            "programmes": [4, 5],
            "cost_per_completer": [300.0, 362.5],
            "completion_rate": [0.75, 80 / 140],
            "places": [26.0, 30.0],
            "lag_months": [2.0, 2.0],
            "duration_months": [3.0, 3.0],
            "completers_per_cohort": [19.5, 30 * 80 / 140],
            "cost_per_cohort": [5850.0, 362.5 * 30 * 80 / 140],
        }
    )
    pd.testing.assert_frame_equal(types.astype({"level": str}), expected, check_dtype=False)


def test_monthly_capacity_is_the_most_starts_in_one_month_and_at_least_one() -> None:
    frames = network_frames(history(), [], regions=("ES24", "RO11"))
    capacity = monthly_capacity(frames)
    assert capacity.to_dict("list") == {
        "region_code": ["ES24"] * 3 + ["RO11"] * 3,
        "level": ["basic", "intermediate", "expert"] * 2,
        # Aragón started its four basic courses in January 2024; nothing else ever ran twice.
        "cohorts_per_month": [4, 1, 1, 1, 1, 1],
    }


@pytest.mark.parametrize(
    ("completions", "expected"),
    [
        ([4, 0, 6], 2.0),  # 4 of 10 by month 0, 10 by month 2: half reached in month 2
        ([5, 0, 5], 0.0),  # exactly half in the start month
        ([0, 0, 0, 1], 3.0),
    ],
)
def test_months_to_half_the_completions(completions: list[int], expected: float) -> None:
    from skills_roadmap.analysis import build_frames
    from skills_roadmap.planning.types import half_completion_months

    frames = build_frames(
        regions=pd.DataFrame({"region_code": ["ES24"]}),
        clusters=pd.DataFrame({"cluster_id": ["C"], "region_code": ["ES24"]}),
        programmes=pd.DataFrame(
            {
                "programme_id": ["P"],
                "cluster_id": ["C"],
                "region_code": ["ES24"],
                "level": ["basic"],
                "start": ["2025-01-01"],
                "end": ["2025-12-31"],
            }
        ),  # fmt: skip
        progress=pd.DataFrame(
            {
                "programme_id": "P",
                "period": [f"2025-{month + 1:02d}" for month in range(len(completions))],
                "enrolled": 10,
                "completed": completions,
            }
        ),
    )
    assert half_completion_months(frames).to_dict() == {"P": expected}


@pytest.mark.parametrize(
    "module_name",
    sorted(
        f"skills_roadmap.planning.{info.name}" for info in pkgutil.iter_modules(planning.__path__)
    ),
)
def test_the_planners_docstring_examples_run(module_name: str) -> None:
    result = doctest.testmod(importlib.import_module(module_name))
    assert result.failed == 0
