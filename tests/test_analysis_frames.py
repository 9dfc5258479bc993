"""Frames: typed, consistent tables, and month arithmetic."""

from __future__ import annotations

import pandas as pd
import pytest

from skills_roadmap.analysis import build_frames, month_to_period, period_to_month

REGIONS = pd.DataFrame({"region_code": ["RO11", "ES24"]})
CLUSTERS = pd.DataFrame({"cluster_id": ["ai"], "region_code": ["ES24"]})
PROGRAMMES = pd.DataFrame(
    {
        "programme_id": ["p2", "p1"],
        "cluster_id": "ai",
        "region_code": "ES24",
        "level": ["expert", "basic"],
        "start": ["2024-03-01", "2024-01-15"],
        "end": ["2025-12-31", "2024-12-31"],
    }
)
PROGRESS = pd.DataFrame(
    {
        "programme_id": ["p1", "p1", "p2"],
        "period": ["2024-01", "2024-02", "2024-03"],
        "enrolled": [5, 6, 7],
        "completed": [0, 2, 3],
        "women": [2, None, 3],
    }
)


@pytest.mark.parametrize(
    ("period", "month"), [("2024-01", 2024 * 12), ("2024-12", 2024 * 12 + 11), ("2025-03", 24302)]
)
def test_periods_and_month_indexes_round_trip(period: str, month: int) -> None:
    assert period_to_month(period) == month
    assert month_to_period(month) == period


def test_build_frames_types_ids_levels_and_months() -> None:
    frames = build_frames(
        regions=REGIONS, clusters=CLUSTERS, programmes=PROGRAMMES, progress=PROGRESS
    )
    programmes = frames.programmes
    assert list(programmes["level"].cat.categories) == ["basic", "intermediate", "expert"]
    assert programmes["level"].cat.ordered
    assert list(programmes["programme_id"].cat.categories) == ["p1", "p2"]
    assert list(programmes["region_code"].cat.categories) == ["ES24", "RO11"]
    assert programmes["start_month"].tolist() == [24290, 24288]
    assert programmes["name"].tolist() == ["p2", "p1"]  # names default to ids
    progress = frames.progress
    assert progress["programme_id"].dtype == programmes["programme_id"].dtype
    assert progress["month"].tolist() == [24288, 24289, 24290]
    assert progress["year"].tolist() == [2024, 2024, 2024]
    # a blank optional count stays blank: not reported, never zero
    assert progress["women"].isna().tolist() == [False, True, False]
    assert progress["certified"].isna().all()
    assert frames.as_of_period == "2024-03"


def test_build_frames_as_of_drops_later_progress() -> None:
    frames = build_frames(
        regions=REGIONS,
        clusters=CLUSTERS,
        programmes=PROGRAMMES,
        progress=PROGRESS,
        as_of="2024-02",
    )
    assert frames.progress["month"].max() == period_to_month("2024-02")
    assert frames.as_of_period == "2024-02"


def test_build_frames_without_progress_has_no_as_of() -> None:
    frames = build_frames(regions=REGIONS, clusters=CLUSTERS, programmes=PROGRAMMES)
    assert frames.as_of is None
    assert frames.progress.empty


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"programmes": PROGRAMMES.assign(region_code="FR10")}, "unknown region: FR10"),
        ({"programmes": PROGRAMMES.assign(level="advanced")}, "unknown level: advanced"),
        ({"progress": PROGRESS.assign(programme_id="p9")}, "unknown programme: p9"),
        ({"programmes": PROGRAMMES.drop(columns="level")}, "programmes frame lacks .* level"),
    ],
)
def test_build_frames_refuses_inconsistent_tables(
    changes: dict[str, pd.DataFrame], message: str
) -> None:
    tables = {"programmes": PROGRAMMES, "progress": PROGRESS} | changes
    with pytest.raises(ValueError, match=message):
        build_frames(
            regions=REGIONS,
            clusters=CLUSTERS,
            programmes=tables["programmes"],
            progress=tables["progress"],
        )
