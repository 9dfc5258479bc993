"""Reporting completeness: who has not reported the latest expected month, and how late."""

from __future__ import annotations

import pandas as pd
import pytest

from skills_roadmap.analysis import Frames, build_frames, reporting_completeness

PROGRAMMES = pd.DataFrame(
    [
        # id, start, end
        ("on-time", "2024-01-01", "2025-12-31"),
        ("behind", "2024-01-01", "2025-12-31"),
        ("never", "2024-10-01", "2025-12-31"),  # started in October, never reported
        ("ended", "2024-01-01", "2024-06-30"),  # ended in June, reported to the end
        ("future", "2025-02-01", "2025-12-31"),  # not started yet: not due
    ],
    columns=["programme_id", "start", "end"],
).assign(cluster_id="ai", region_code="ES24", level="basic")
PROGRESS = pd.DataFrame(
    [
        ("on-time", "2024-12"),
        ("behind", "2024-09"),
        ("ended", "2024-06"),
    ],
    columns=["programme_id", "period"],
).assign(enrolled=1, completed=0)


def frames() -> Frames:
    return build_frames(
        regions=pd.DataFrame({"region_code": ["ES24"]}),
        clusters=pd.DataFrame({"cluster_id": ["ai"], "region_code": ["ES24"]}),
        programmes=PROGRAMMES,
        progress=PROGRESS,
    )


def test_lateness_against_the_as_of_month() -> None:
    table = reporting_completeness(frames())
    assert table[["programme_id", "due_period", "months_late", "late"]].astype(
        {"programme_id": str}
    ).values.tolist() == [
        ["behind", "2024-12", 3, True],
        ["never", "2024-12", 3, True],  # October, November and December missing
        ["ended", "2024-06", 0, False],
        ["on-time", "2024-12", 0, False],
    ]
    last = table.set_index("programme_id")["last_period"]
    assert (last["behind"], last["on-time"]) == ("2024-09", "2024-12")
    assert pd.isna(last["never"])


@pytest.mark.parametrize(
    ("expected", "late"),
    [
        ("2025-01", {"behind": 4, "never": 4, "on-time": 1, "ended": 0}),
        # February: the programme starting then becomes due, with nothing reported
        ("2025-02", {"behind": 5, "never": 5, "on-time": 2, "future": 1, "ended": 0}),
    ],
)
def test_expected_month_can_be_given(expected: str, late: dict[str, int]) -> None:
    table = reporting_completeness(frames(), expected=expected)
    assert dict(zip(table["programme_id"].astype(str), table["months_late"], strict=True)) == late


def test_reports_after_the_expected_month_do_not_count() -> None:
    table = reporting_completeness(frames(), expected="2024-10").set_index("programme_id")
    assert table["months_late"].to_dict() == {
        "on-time": 10,  # its only report (December) is later: nothing since its start
        "behind": 1,
        "never": 1,
        "ended": 0,
    }
    last = table["last_period"]
    assert pd.isna(last["on-time"])
    assert last["behind"] == "2024-09"


def test_without_any_report_every_started_programme_is_late_from_its_start() -> None:
    nothing = build_frames(
        regions=pd.DataFrame({"region_code": ["ES24"]}),
        clusters=pd.DataFrame({"cluster_id": ["ai"], "region_code": ["ES24"]}),
        programmes=PROGRAMMES,
        progress=PROGRESS.iloc[:0],
    )
    assert reporting_completeness(nothing).empty  # no as-of month: nobody is due
    table = reporting_completeness(nothing, expected="2024-12").set_index("programme_id")
    assert table["months_late"].to_dict() == {"on-time": 12, "behind": 12, "ended": 6, "never": 3}
    assert table["last_period"].isna().all()
    assert table["due_period"].to_dict() == {
        "on-time": "2024-12",
        "behind": "2024-12",
        "ended": "2024-06",
        "never": "2024-12",
    }
