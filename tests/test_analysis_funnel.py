"""Funnel: enrolled → completed → certified and drop-out, with blanks meaning "not reported"."""

from __future__ import annotations

import pandas as pd
import pytest

from skills_roadmap.analysis import Frames, build_frames, funnel

PROGRESS = pd.DataFrame(
    [
        # programme, period, enrolled, completed, certified, dropped out
        ("a", "2024-01", 100, 0, None, 5),
        ("a", "2024-02", 0, 80, 60, None),
        ("a", "2024-03", 20, 10, None, None),  # only blank optional values
        ("b", "2024-01", 10, 8, 8, 1),
    ],
    columns=["programme_id", "period", "enrolled", "completed", "certified", "dropped_out"],
)


def frames_with(progress: pd.DataFrame = PROGRESS) -> Frames:
    return build_frames(
        regions=pd.DataFrame({"region_code": ["ES24", "RO11"]}),
        clusters=pd.DataFrame({"cluster_id": ["ai", "it"], "region_code": ["ES24", "RO11"]}),
        programmes=pd.DataFrame(
            {
                "programme_id": ["a", "b", "silent"],
                "cluster_id": ["ai", "it", "ai"],
                "region_code": ["ES24", "RO11", "ES24"],
                "level": ["basic", "expert", "basic"],
                "start": "2024-01-01",
                "end": "2024-12-31",
            }
        ),
        progress=progress,
    )


def test_funnel_per_level_follows_the_definitions() -> None:
    table = funnel(frames_with()).set_index("level")
    basic = table.loc["basic"]
    assert basic[["enrolled", "completed", "certified", "dropped_out"]].to_numpy().tolist() == [
        120,
        90,
        60,
        5,
    ]
    assert basic["completion_rate"] == pytest.approx(90 / 120)
    # certified / completed over the months that reported certified: 60 / 80
    assert basic["certification_rate"] == pytest.approx(0.75)
    # dropped out / enrolled over the months that reported drop-outs: 5 / 100
    assert basic["dropout_rate"] == pytest.approx(0.05)
    expert = table.loc["expert"]
    assert (expert["completion_rate"], expert["certification_rate"], expert["dropout_rate"]) == (
        pytest.approx(0.8),
        1.0,
        0.1,
    )


def test_funnel_total_row_and_other_groupings() -> None:
    total = funnel(frames_with(), by=())
    assert total[["enrolled", "completed", "certified", "dropped_out"]].values.tolist() == [
        [130, 98, 68, 6]
    ]
    by_month = funnel(frames_with(), by=("region_code", "month")).astype({"region_code": str})
    assert by_month[["region_code", "enrolled", "completed"]].values.tolist() == [
        ["ES24", 100, 0],
        ["ES24", 0, 80],
        ["ES24", 20, 10],
        ["RO11", 10, 8],
    ]


def test_a_group_that_never_reported_an_optional_count_has_it_missing() -> None:
    blank = PROGRESS.assign(certified=None, dropped_out=None)
    row = funnel(frames_with(blank), by=("region_code",)).set_index("region_code").loc["ES24"]
    assert pd.isna(row["certified"]) and pd.isna(row["certification_rate"])
    assert pd.isna(row["dropout_rate"])
    assert row["completion_rate"] == pytest.approx(90 / 120)


def test_a_programme_without_reports_has_no_funnel_row() -> None:
    table = funnel(frames_with(), by=("programme_id",))
    assert table["programme_id"].astype(str).tolist() == ["a", "b"]
