"""Inclusion: the share of women among enrolled participants, against a configurable goal."""

from __future__ import annotations

import pandas as pd
import pytest

from skills_roadmap.analysis import AnalysisSettings, Frames, build_frames, inclusion

PROGRESS = pd.DataFrame(
    [
        # programme, period, enrolled, completed, women
        ("a", "2024-01", 100, 0, 40),
        ("a", "2024-02", 50, 30, None),  # women not reported: neither adds nor dilutes
        ("b", "2024-01", 10, 5, 6),
    ],
    columns=["programme_id", "period", "enrolled", "completed", "women"],
)


def frames(progress: pd.DataFrame = PROGRESS) -> Frames:
    return build_frames(
        regions=pd.DataFrame({"region_code": ["ES24"]}),
        clusters=pd.DataFrame({"cluster_id": ["ai"], "region_code": ["ES24"]}),
        programmes=pd.DataFrame(
            {
                "programme_id": ["a", "b"],
                "cluster_id": "ai",
                "region_code": "ES24",
                "level": ["basic", "expert"],
                "start": "2024-01-01",
                "end": "2024-12-31",
            }
        ),
        progress=progress,
    )


def test_women_share_counts_only_months_that_reported_women() -> None:
    table = inclusion(frames()).set_index("level")
    basic = table.loc["basic"]
    assert basic["women_share"] == pytest.approx(0.4)  # 40 of the 100 enrolled in January
    assert basic["reported_share"] == pytest.approx(100 / 150)
    assert basic["goal_gap"] == pytest.approx(-0.1)
    assert not basic["meets_goal"]
    expert = table.loc["expert"]
    assert (expert["women_share"], expert["meets_goal"]) == (pytest.approx(0.6), True)


def test_women_goal_is_configurable() -> None:
    table = inclusion(frames(), settings=AnalysisSettings(women_goal=0.4)).set_index("level")
    assert table["meets_goal"].to_dict() == {"basic": True, "expert": True}
    assert table["goal"].tolist() == [0.4, 0.4]


def test_no_women_reported_gives_no_share() -> None:
    table = inclusion(frames(PROGRESS.assign(women=None)), by=())
    assert pd.isna(table["women_share"].iloc[0])
    assert table["reported_share"].iloc[0] == 0.0
    assert not table["meets_goal"].iloc[0]
