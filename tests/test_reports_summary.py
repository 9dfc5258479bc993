"""The executive summary: sentences generated from the numbers, three to six of them."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from reports_helpers import tiny_frames, tiny_records

from skills_roadmap.analysis import Filters
from skills_roadmap.i18n.formats import listing
from skills_roadmap.reports import report_content
from skills_roadmap.reports.summary import (
    SummaryFacts,
    count_words,
    euro,
    executive_summary,
    percent,
)


def test_network_summary_states_the_hand_computed_figures() -> None:
    """As of 2024-12 the trajectory expects 11/23 of 480 = 229.6; 168 are achieved."""
    content = report_content(tiny_frames(), records=tiny_records())

    assert content.summary == (
        "The network has reached 35 % of its 2025 basic-level target (168 of 480 people "
        "completed), 13 points behind its trajectory: off track.",
        # last six months: 14 a month; 312 left over the 12 months to December 2025: 26
        "At the recent run rate of 14 people a month, the basic-level target will not be "
        "reached by the end of 2025; it needs 26 a month from now on.",
        "One of the two regions is off track at one level or more: Nord-Vest (basic).",
        "Every programme due to report has reported through 2024-12.",
        "216 people have enrolled and 168 completed in two programmes so far.",
        "Spend so far is €18,000, 50 % of the €36,000 budget.",
    )


def test_region_summary_speaks_of_the_region_and_its_forecast() -> None:
    """Aragón: 120 of 240, expected 114.8, i.e. 2.2 points ahead; 120 left at 10 a month."""
    content = report_content(tiny_frames(), Filters(regions=("ES24",)), records=tiny_records())

    assert content.summary[:3] == (
        "Aragón has reached 50 % of its 2025 basic-level target (120 of 240 people "
        "completed), 2 points ahead of its trajectory: on track.",
        "At the recent run rate of 10 people a month, the basic-level target will be reached "
        "in 2025-12.",
        "Every programme has enrolled at least the share of its capacity expected by now.",
    )


def test_funding_filter_is_named_before_the_part_it_contributes() -> None:
    """The ERDF programmes are a part of the network's programmes: their contribution, never
    a status of the whole target computed from them."""
    content = report_content(tiny_frames(), Filters(funding_sources=("ERDF",)))

    assert content.summary[0] == (
        "Counting only programmes funded by ERDF, these programmes contributed 48 people "
        "completed, 10 % of the network's 2025 basic-level target of 480."
    )


def test_summary_without_progress_says_so_in_three_sentences() -> None:
    frames = tiny_frames()
    empty = report_content(
        replace(frames, progress=frames.progress.iloc[:0], as_of=None, default_as_of=None)
    )

    assert empty.summary == (
        "No progress has been reported for this selection yet.",
        "It holds 2 programmes and 3 targets.",
        "Figures appear once programme managers upload their monthly progress.",
    )


@pytest.mark.parametrize(
    "as_of",
    ["2024-01", "2024-06", "2024-12"],
)
def test_summary_always_has_three_to_six_sentences(as_of: str) -> None:
    for filters in (Filters(as_of=as_of), Filters(regions=("RO11",), as_of=as_of)):
        assert 3 <= len(report_content(tiny_frames(), filters).summary) <= 6


def _facts(levels: pd.DataFrame, **changes: object) -> SummaryFacts:
    values: dict[str, object] = {
        "subject": "Aragón",
        "plural": False,
        "qualifier": None,
        "as_of": "2026-10",
        "levels": levels,
        "regions": None,
        "lagging": pd.DataFrame({"name": ["A", "B", "C"], "capacity_use": [0.9, 0.54, 1.2]}),
        "lagging_noun": "cluster",
        "due_programmes": 10,
        "late_programmes": 1,
        "enrolled": 1000.0,
        "completed": 800.0,
        "budget_eur": 2_500_000.0,
        "spend_eur": 1_000_000.0,
        "programmes": 10,
        "targets": 3,
    }
    return SummaryFacts(**(values | changes))  # type: ignore[arg-type]


def _level(points_behind: float, status: str = "at_risk", **changes: object) -> dict[str, object]:
    return {
        "level": "basic",
        "metric": "completed",
        "deadline_year": 2027,
        "targets": 1,
        "part": False,
        "target": 4000.0,
        "achieved": 2480.0,
        "attainment": 0.62,
        "ratio": 0.885,
        "points_behind": points_behind,
        "status": status,
        "run_rate": 50.0,
        "required_run_rate": 108.6,
        "forecast": "not before the deadline",
        "on_time": 0,
    } | changes


@pytest.mark.parametrize(
    ("points_behind", "phrase"),
    [
        (8.0, "8 points behind its trajectory"),
        (1.2, "1 point behind its trajectory"),
        (0.4, "on its trajectory"),  # rounds to zero
        (-3.0, "3 points ahead of its trajectory"),
    ],
)
def test_level_sentence_measures_the_distance_to_the_trajectory(
    points_behind: float, phrase: str
) -> None:
    sentences = executive_summary(_facts(pd.DataFrame([_level(points_behind)])))

    assert sentences[0] == (
        "Aragón has reached 62 % of its 2027 basic-level target (2,480 of 4,000 people "
        f"completed), {phrase}: at risk."
    )


def test_the_two_laggards_are_named_lowest_first() -> None:
    sentences = executive_summary(_facts(pd.DataFrame([_level(8.0)])))

    assert (
        "The two clusters furthest behind their expected enrolment are B (54 % of expected) "
        "and A (90 % of expected)." in sentences
    )


def test_several_targets_forecast_counts_those_reached_in_time() -> None:
    level = _level(8.0, targets=3, on_time=1, forecast="1 of 3 on time")
    sentences = executive_summary(
        _facts(pd.DataFrame([level]), plural=True, subject="the 3 selected regions")
    )

    assert sentences[:2] == (
        "The 3 selected regions have reached 62 % of their 2027 basic-level target (2,480 of "
        "4,000 people completed), 8 points behind their trajectory: at risk.",
        "At the recent run rate, one of the three basic-level targets will be reached by their "
        "deadline; together they need 109 people a month against 50 now.",
    )


def test_summary_without_targets_says_so() -> None:
    levels = pd.DataFrame(columns=list(_level(0.0)))
    sentences = executive_summary(_facts(levels))

    assert sentences[0] == "No targets are set for this selection."
    assert 3 <= len(sentences) <= 6


@pytest.mark.parametrize(
    ("function", "value", "text"),
    [
        (percent, 0.625, "62 %"),  # banker's rounding of 62.5 as Python formats it
        (count_words, 2, "two"),
        (count_words, 12, "12"),
        (count_words, 12_000, "12,000"),
        (euro, 18_000.0, "€18,000"),
        (euro, 4_150_000.0, "€4.2 million"),
        (listing, ["a"], "a"),
        (listing, ["a", "b", "c"], "a, b and c"),
    ],
)
def test_numbers_and_lists_are_written_for_people(
    function: object, value: object, text: str
) -> None:
    assert function(value) == text  # type: ignore[operator]
