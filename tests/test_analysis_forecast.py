"""Forecast: the month a target is reached at the recent run rate, and the rate it needs."""

from __future__ import annotations

import pandas as pd
import pytest

from skills_roadmap.analysis import AnalysisSettings, Frames, build_frames, forecast

# One basic programme in Aragón: 200 completers in January 2024, none until July, then 50 a
# month from July to December 2024. As of 2024-12: 500 completed, 50 a month recently.
PROGRESS = pd.DataFrame(
    {
        "programme_id": "p1",
        "period": ["2024-01", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12"],
        "enrolled": [250, 60, 60, 60, 60, 60, 60],
        "completed": [200, 50, 50, 50, 50, 50, 50],
    }
)
TARGETS = pd.DataFrame(
    [
        # id, baseline year, deadline year, value
        ("on-time", 2024, 2025, 1000),  # 500 to go at 50 a month: 10 months, 2025-10
        ("too-far", 2024, 2025, 2000),  # 1,500 to go: 30 months, after December 2025
        ("reached", 2024, 2025, 400),
        ("deadline-past", 2022, 2023, 5000),  # nothing left to run on
        ("exact", 2024, 2025, 1100),  # 600 to go: 12 months, exactly December 2025
        ("not-started", 2025, 2026, 100),  # baseline after the as-of month
    ],
    columns=["target_id", "baseline_year", "deadline_year", "value"],
).assign(scope="region", scope_id="ES24", level="basic")


def frames_with(progress: pd.DataFrame = PROGRESS, as_of: str | None = None) -> Frames:
    return build_frames(
        regions=pd.DataFrame({"region_code": ["ES24"]}),
        clusters=pd.DataFrame({"cluster_id": ["ai"], "region_code": ["ES24"]}),
        programmes=pd.DataFrame(
            {
                "programme_id": ["p1"],
                "cluster_id": ["ai"],
                "region_code": ["ES24"],
                "level": ["basic"],
                "start": ["2022-01-01"],
                "end": ["2026-12-31"],
            }
        ),
        targets=TARGETS,
        progress=progress,
        as_of=as_of,
    )


@pytest.mark.parametrize(
    ("target_id", "remaining", "run_rate", "months_left", "required", "label"),
    [
        ("on-time", 500.0, 50.0, 12, 500 / 12, "2025-10"),
        ("too-far", 1500.0, 50.0, 12, 125.0, "not before the deadline"),
        ("reached", 0.0, 50.0, 12, 0.0, "already reached"),
        # achieved counts from 2022: 500 of 5,000; the deadline passed a year ago
        ("deadline-past", 4500.0, 50.0, 0, None, "not before the deadline"),
        ("exact", 600.0, 50.0, 12, 50.0, "2025-12"),
        ("not-started", 100.0, None, 24, 100 / 24, None),
    ],
)
def test_forecast_follows_the_definitions(
    target_id: str,
    remaining: float,
    run_rate: float | None,
    months_left: int,
    required: float | None,
    label: str | None,
) -> None:
    row = forecast(frames_with()).set_index("target_id").loc[target_id]
    assert row["remaining"] == remaining
    assert row["months_left"] == months_left
    assert row["forecast"] == label
    if run_rate is None:
        assert pd.isna(row["run_rate"])
    else:
        assert row["run_rate"] == pytest.approx(run_rate)
    if required is None:
        assert pd.isna(row["required_run_rate"])
    else:
        assert row["required_run_rate"] == pytest.approx(required)


def test_forecast_period_is_set_only_when_on_time() -> None:
    table = forecast(frames_with()).set_index("target_id")
    assert table["forecast_period"].dropna().to_dict() == {"on-time": "2025-10", "exact": "2025-12"}
    assert table["on_time"].to_dict() == {
        "on-time": True,
        "too-far": False,
        "reached": True,
        "deadline-past": False,
        "exact": True,
        "not-started": False,
    }


def test_run_rate_window_is_configurable() -> None:
    # Over the last 12 months (2024-01..2024-12): 500 / 12 a month; 500 to go takes 12 months.
    settings = AnalysisSettings(run_rate_months=12)
    row = forecast(frames_with(), settings).set_index("target_id").loc["on-time"]
    assert row["run_rate"] == pytest.approx(500 / 12)
    assert row["forecast"] == "2025-12"


def test_silent_recent_months_stop_the_forecast() -> None:
    # As of 2024-12, nothing reported in the last six months: run rate 0, never reached.
    quiet = PROGRESS.iloc[:1]
    table = forecast(frames_with(quiet, as_of="2024-12")).set_index("target_id")
    assert table.loc["on-time", "run_rate"] == 0.0
    assert table.loc["on-time", "forecast"] == "not before the deadline"
