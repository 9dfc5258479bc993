"""Money: absorption and unit costs, by level and funding source."""

from __future__ import annotations

import pandas as pd
import pytest

from skills_roadmap.analysis import Frames, build_frames, money

PROGRAMMES = pd.DataFrame(
    {
        "programme_id": ["a", "b", "c"],
        "cluster_id": "ai",
        "region_code": "ES24",
        "level": ["basic", "basic", "expert"],
        "start": "2024-01-01",
        "end": "2025-12-31",
        "budget_eur": [10_000.0, 5_000.0, 20_000.0],
        "funding_source": ["ERDF", "ESF+", "ERDF"],
    }
)
PROGRESS = pd.DataFrame(
    [
        # programme, period, enrolled, completed, certified, spend
        ("a", "2024-01", 90, 50, 40, 2_000.0),
        ("a", "2024-02", 10, 30, None, None),  # spend not reported this month
        ("b", "2024-01", 25, 20, None, 3_000.0),
        # c has not reported at all
    ],
    columns=["programme_id", "period", "enrolled", "completed", "certified", "spend_eur"],
)


def frames() -> Frames:
    return build_frames(
        regions=pd.DataFrame({"region_code": ["ES24"]}),
        clusters=pd.DataFrame({"cluster_id": ["ai"], "region_code": ["ES24"]}),
        programmes=PROGRAMMES,
        progress=PROGRESS,
    )


def test_money_by_level_follows_the_definitions() -> None:
    table = money(frames(), by=("level",)).set_index("level")
    basic = table.loc["basic"]
    assert basic[["budget_eur", "spend_eur", "completed", "certified"]].to_numpy().tolist() == [
        15_000.0,
        5_000.0,
        100.0,
        40.0,
    ]
    assert basic["absorption"] == pytest.approx(1 / 3)
    assert basic["cost_per_completer"] == pytest.approx(50.0)
    assert basic["cost_per_certified"] == pytest.approx(125.0)
    # the expert programme reported nothing: its spend and costs are unknown, not zero
    expert = table.loc["expert"]
    assert expert["budget_eur"] == 20_000.0
    assert expert[["spend_eur", "absorption", "cost_per_completer"]].isna().all()


def test_money_by_level_and_funding_source() -> None:
    table = money(frames()).astype({"level": str, "funding_source": str})
    assert table[["level", "funding_source", "budget_eur"]].values.tolist() == [
        ["basic", "ERDF", 10_000.0],
        ["basic", "ESF+", 5_000.0],
        ["expert", "ERDF", 20_000.0],
    ]
    assert table["spend_eur"].fillna(-1).tolist() == [2_000.0, 3_000.0, -1]
    assert table["cost_per_completer"].tolist()[:2] == [pytest.approx(25.0), pytest.approx(150.0)]


def test_money_total_counts_every_programme_budget() -> None:
    total = money(frames(), by=())
    assert total[["budget_eur", "spend_eur"]].values.tolist() == [[35_000.0, 5_000.0]]
    assert total["absorption"].tolist() == [pytest.approx(5 / 35)]
