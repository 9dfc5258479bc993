"""Contribution: who carries a region's achievement (Pareto) and who lags their own capacity."""

from __future__ import annotations

import pandas as pd
import pytest

from skills_roadmap.analysis import Filters, Frames, apply_filters, build_frames, contribution

# Four basic programmes in Aragón over 2024-2025 (24 months); as of 2024-12 half the run is over.
PROGRAMMES = pd.DataFrame(
    {
        "programme_id": ["p1", "p2", "p3", "p4", "ro"],
        "name": ["GenAI for SMEs", "AI literacy", "Data basics", "Prompting", "Cluj AI"],
        "cluster_id": ["ai", "ai", "tech", "tech", "it"],
        "region_code": ["ES24", "ES24", "ES24", "ES24", "RO11"],
        "level": "basic",
        "start": "2024-01-01",
        "end": "2025-12-31",
        "capacity": [1200, 800, 400, 100, 500],
    }
)
PROGRESS = pd.DataFrame(
    [
        # programme, period, enrolled, completed
        ("p1", "2024-06", 900, 600),
        ("p2", "2024-12", 400, 300),
        ("p3", "2024-12", 100, 100),
        ("ro", "2024-12", 999, 999),  # another region: not part of Aragón's contribution
        # p4 has not reported
    ],
    columns=["programme_id", "period", "enrolled", "completed"],
)


def aragon() -> Frames:
    frames = build_frames(
        regions=pd.DataFrame({"region_code": ["ES24", "RO11"]}),
        clusters=pd.DataFrame(
            {"cluster_id": ["ai", "tech", "it"], "region_code": ["ES24", "ES24", "RO11"]}
        ),
        programmes=PROGRAMMES,
        progress=PROGRESS,
    )
    return apply_filters(frames, Filters(regions=("ES24",)))


def test_programmes_are_ranked_by_their_share_of_the_achievement() -> None:
    table = contribution(aragon())
    assert table["programme_id"].astype(str).tolist() == ["p1", "p2", "p3", "p4"]
    assert table["name"].tolist()[0] == "GenAI for SMEs"
    assert table["achieved"].tolist() == [600.0, 300.0, 100.0, 0.0]
    assert table["share"].tolist() == pytest.approx([0.6, 0.3, 0.1, 0.0])
    assert table["cumulative_share"].tolist() == pytest.approx([0.6, 0.9, 1.0, 1.0])
    # p1 and p2 are the fewest largest contributors reaching 80 %
    assert table["carries"].tolist() == [True, True, False, False]


def test_capacity_use_shows_who_lags_their_own_capacity() -> None:
    table = contribution(aragon()).set_index("programme_id")
    # half of each run has passed: 600, 400, 200 and 50 places expected to be filled
    assert table["expected_enrolled"].tolist() == [600.0, 400.0, 200.0, 50.0]
    assert table["capacity_use"].tolist() == pytest.approx([1.5, 1.0, 0.5, 0.0])
    assert table["lag"].tolist() == [-300.0, 0.0, 100.0, 50.0]


def test_clusters_sum_their_programmes() -> None:
    table = contribution(aragon(), "cluster_id")
    assert table["cluster_id"].astype(str).tolist() == ["ai", "tech"]
    assert table["achieved"].tolist() == [900.0, 100.0]
    assert table["capacity_use"].tolist() == pytest.approx([1300 / 1000, 100 / 250])
    assert table["carries"].tolist() == [True, False]


def test_contribution_can_count_another_metric() -> None:
    table = contribution(aragon(), metric="enrolled")
    assert table["achieved"].tolist() == [900.0, 400.0, 100.0, 0.0]
