"""The network's people against the EU frames, with hand-computed cases."""

from __future__ import annotations

import pandas as pd
import pytest
from eu_helpers import frames

from skills_roadmap.analysis import Filters, apply_filters
from skills_roadmap.analysis.eu_reach import adult_reach, country_reach, ict_specialists
from skills_roadmap.domain import TrainingLevel
from skills_roadmap.reference.eu_frames import EU_FRAMES, FrameKey, frame_levels
from skills_roadmap.reports import report_content
from skills_roadmap.reports.html import render_html


def test_basic_people_are_a_share_of_each_regions_adults_and_of_the_80_percent_goal() -> None:
    network = frames()

    reach = adult_reach(network, network).set_index("region_code")

    assert reach["reached"].to_dict() == {"AA11": 120.0, "AA12": 90.0, "CC33": 5.0}
    assert reach.loc["AA11", "share_of_adults"] == pytest.approx(0.12)
    assert reach.loc["AA11", "share_of_goal"] == pytest.approx(0.12 / 0.8)
    assert reach.loc["AA12", "share_of_adults"] == pytest.approx(0.3)
    # Unknown adults: no share, never a share of zero.
    assert reach.loc["CC33", ["share_of_adults", "share_of_goal"]].isna().all()


def test_countries_sum_the_regions_whose_adults_are_known() -> None:
    network = frames()

    countries = country_reach(adult_reach(network, network)).set_index("country")

    assert countries.index.tolist() == ["AA"]  # Gamma's adults are unknown
    assert list(countries.loc["AA", ["adults", "reached"]]) == [1300.0, 210.0]
    assert countries.loc["AA", "share_of_goal"] == pytest.approx(210 / 1300 / 0.8)


def test_the_reach_follows_the_selection_and_its_month() -> None:
    network = frames()

    february = apply_filters(network, Filters(regions=("AA11",), as_of="2025-02"))
    reach = adult_reach(network, february)

    assert reach[["region_code", "reached"]].values.tolist() == [["AA11", 100.0]]


def test_specialists_count_toward_the_20_million_ict_specialists() -> None:
    network = frames()

    specialists = ict_specialists(network, network)

    assert specialists.to_dict() == {
        "reached": 37.0,
        "goal": 20_000_000.0,
        "share_of_goal": pytest.approx(37 / 20_000_000),
    }


def test_every_level_reports_against_a_frame_and_each_frame_names_its_source() -> None:
    counted = {level for frame in EU_FRAMES for level in frame.levels}

    assert counted == set(TrainingLevel)
    assert all(frame.source and frame.goal for frame in EU_FRAMES)
    assert frame_levels("ai-act-article-4") == (TrainingLevel.BASIC,)
    assert frame_levels(FrameKey.ICT_SPECIALISTS) == (
        TrainingLevel.INTERMEDIATE,
        TrainingLevel.EXPERT,
    )


def test_the_reports_eu_frames_table_and_words_are_the_analysis_numbers() -> None:
    network = frames()

    content = report_content(network, Filters(regions=("AA11", "AA12")))

    table = content.table("eu_frames")
    expected = adult_reach(network, apply_filters(network, Filters(regions=("AA11", "AA12"))))
    pd.testing.assert_frame_equal(table.frame, expected[table.frame.columns])
    assert "intermediate and expert levels' 37 people completed" in table.description
    assert "EU frames" in render_html(content)
