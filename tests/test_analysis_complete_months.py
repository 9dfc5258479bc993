"""Complete and provisional months: a selection shows the latest month that enough of the
programmes due have reported; one early report moves nothing until that month is picked."""

from __future__ import annotations

import pandas as pd

from skills_roadmap.analysis import Filters, apply_filters, build_frames
from skills_roadmap.analysis.complete_months import month_completeness
from skills_roadmap.analysis.frames import Frames
from skills_roadmap.analysis.headline import headline
from skills_roadmap.analysis.periods import period_to_month

PROGRAMMES = pd.DataFrame(
    [
        # id, start, end
        ("a", "2024-01-01", "2025-12-31"),
        ("b", "2024-01-01", "2025-12-31"),
        ("c", "2024-01-01", "2025-12-31"),
        ("d", "2024-01-01", "2024-02-29"),  # ended in February
        ("e", "2024-03-01", "2025-12-31"),  # started in March
    ],
    columns=["programme_id", "start", "end"],
).assign(cluster_id="ai", region_code="ES24", level="basic")
REPORTED = {
    "2024-01": ["a", "b", "c", "d"],  # 4 of 4 due
    "2024-02": ["a", "b", "c"],  # 3 of 4 (d is late)
    "2024-03": ["a", "b", "c", "e"],  # 4 of 4: d has ended, e has started
    "2024-04": ["a"],  # 1 of 4: one early report
}
TARGETS = pd.DataFrame(
    {
        "target_id": ["es-basic"],
        "scope": ["region"],
        "scope_id": ["ES24"],
        "level": ["basic"],
        "metric": ["completed"],
        "baseline_year": [2024],
        "baseline_value": [0.0],
        "deadline_year": [2025],
        "value": [2_400.0],
    }
)


def frames(reported: dict[str, list[str]] = REPORTED, share: float = 0.8) -> Frames:
    progress = pd.DataFrame(
        [(programme, period) for period, ids in reported.items() for programme in ids],
        columns=["programme_id", "period"],
    ).assign(enrolled=200, completed=100)
    return build_frames(
        regions=pd.DataFrame({"region_code": ["ES24"]}),
        clusters=pd.DataFrame({"cluster_id": ["ai"], "region_code": ["ES24"]}),
        programmes=PROGRAMMES,
        targets=TARGETS,
        progress=progress,
        complete_month_share=share,
    )


def test_each_month_counts_the_programmes_running_then_that_reported_it() -> None:
    built = frames()
    completeness = month_completeness(built.programmes, built.progress, built.as_of)

    assert completeness.first == period_to_month("2024-01")
    assert completeness.due.tolist() == [4, 4, 4, 4]
    assert completeness.reported.tolist() == [4, 3, 4, 1]
    assert completeness.share.tolist() == [1.0, 0.75, 1.0, 0.25]


def test_the_latest_complete_month_is_shown_by_default_and_later_ones_are_provisional() -> None:
    built = frames()

    assert (built.as_of, built.default_as_of) == (
        period_to_month("2024-04"),
        period_to_month("2024-03"),
    )
    assert apply_filters(built, Filters()).as_of_period == "2024-03"
    assert apply_filters(built, Filters(as_of="2024-04")).as_of_period == "2024-04"
    summary = headline(built)
    assert summary.as_of == "2024-03"
    assert summary.provisional is not None
    assert summary.provisional.to_dict() == {
        "period": "2024-04",
        "completeness": 0.25,
        "reported": 1,
        "due": 4,
    }


def test_the_share_decides_which_months_are_complete() -> None:
    assert frames(share=0.7).default_as_of == period_to_month("2024-03")
    assert frames(share=0.2).default_as_of == period_to_month("2024-04")
    assert frames(share=1.0).default_as_of == period_to_month("2024-03")


def test_a_network_that_has_only_begun_reporting_shows_its_latest_month() -> None:
    begun = frames({"2024-01": ["a"], "2024-02": ["a", "b"]})

    assert begun.default_as_of == begun.as_of == period_to_month("2024-02")
    assert headline(begun).provisional is None


def test_one_early_report_moves_no_number_of_the_default_month() -> None:
    complete = {period: ids for period, ids in REPORTED.items() if period != "2024-04"}
    before, after = headline(frames(complete)), headline(frames())

    assert before.as_of == after.as_of == "2024-03"
    pd.testing.assert_frame_equal(before.levels, after.levels)
    assert before.provisional is None


def test_before_any_report_no_month_is_shown_or_provisional() -> None:
    nothing = frames({})

    assert (nothing.as_of, nothing.default_as_of) == (None, None)
    summary = headline(nothing)
    assert (summary.as_of, summary.provisional) == (None, None)
