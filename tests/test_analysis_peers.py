"""Peers: each region's attainment and cost per completer against the spread of all regions."""

from __future__ import annotations

import pandas as pd
import pytest

from skills_roadmap.analysis import build_frames, peers

CODES = ["ES24", "RO11", "SE11", "SE22", "FR10"]


def test_regions_are_placed_against_median_and_quartiles() -> None:
    # Four regions with one programme each: 200, 400, 600, 800 of 1,000 completed, at a cost
    # of 10, 20, 30, 40 euro per completer. FR10 has neither target nor programme.
    programmes = pd.DataFrame(
        {
            "programme_id": CODES[:4],
            "cluster_id": "c",
            "region_code": CODES[:4],
            "level": "basic",
            "start": "2024-01-01",
            "end": "2025-12-31",
        }
    )
    completed = [200, 400, 600, 800]
    progress = pd.DataFrame(
        {
            "programme_id": CODES[:4],
            "period": "2024-12",
            "enrolled": completed,
            "completed": completed,
            "spend_eur": [c * cost for c, cost in zip(completed, [10, 20, 30, 40], strict=True)],
        }
    )
    targets = pd.DataFrame(
        {
            "target_id": CODES[:4],
            "scope": "region",
            "scope_id": CODES[:4],
            "level": "basic",
            "deadline_year": 2025,
            "value": 1000,
            "baseline_year": 2024,
        }
    )
    frames = build_frames(
        regions=pd.DataFrame({"region_code": CODES}),
        clusters=pd.DataFrame({"cluster_id": ["c"], "region_code": ["ES24"]}),
        programmes=programmes,
        targets=targets,
        progress=progress,
    )
    table = peers(frames).astype({"region_code": str}).set_index("region_code")
    assert table.loc[CODES[:4], "attainment"].tolist() == pytest.approx([0.2, 0.4, 0.6, 0.8])
    # linear quartiles of 0.2, 0.4, 0.6, 0.8
    assert table.loc[
        "ES24", ["attainment_q1", "attainment_median", "attainment_q3"]
    ].to_numpy().tolist() == (pytest.approx([0.35, 0.5, 0.65]))
    assert table.loc[CODES[:4], "attainment_quartile"].tolist() == [1, 2, 3, 4]
    assert table.loc[CODES[:4], "cost_per_completer"].tolist() == pytest.approx([10, 20, 30, 40])
    assert table.loc[
        "SE22", ["cost_q1", "cost_median", "cost_q3"]
    ].to_numpy().tolist() == pytest.approx([17.5, 25.0, 32.5])
    assert table.loc["ES24", "cost_quartile"] == 1
    # a region without target or programmes stays in the table, unplaced
    assert table.loc["FR10", ["attainment", "attainment_quartile", "cost_quartile"]].isna().all()
