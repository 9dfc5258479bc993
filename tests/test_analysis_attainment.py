"""Attainment, trajectory and status: hand-computed on a tiny network of two regions."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from skills_roadmap.analysis import (
    AnalysisSettings,
    Filters,
    Frames,
    Status,
    apply_filters,
    attainment,
    attainment_trend,
    build_frames,
    classify_status,
    expected_values,
    overview,
    period_to_month,
    summarise_attainment,
)
from skills_roadmap.analysis.pace import NOT_BEFORE_DEADLINE
from skills_roadmap.settings import Settings

# Aragón (ES24) runs three programmes in its AI cluster, Nord-Vest (RO11) one in its IT cluster.
REGIONS = pd.DataFrame({"region_code": ["ES24", "RO11"], "name": ["Aragón", "Nord-Vest"]})
CLUSTERS = pd.DataFrame({"cluster_id": ["ai", "it"], "region_code": ["ES24", "RO11"]})
PROGRAMMES = pd.DataFrame(
    {
        "programme_id": ["a1", "a2", "e1", "r1"],
        "cluster_id": ["ai", "ai", "ai", "it"],
        "region_code": ["ES24", "ES24", "ES24", "RO11"],
        "level": ["basic", "basic", "expert", "basic"],
        "start": ["2023-01-01"] * 4,
        "end": ["2026-12-31"] * 4,
    }
)
PROGRESS = pd.DataFrame(
    [
        # programme, period, enrolled, completed, certified
        ("a1", "2023-12", 60, 50, 50),  # before the 2024 baseline: never counted for 2024 targets
        ("a1", "2024-03", 120, 100, 90),
        ("a1", "2024-11", 210, 200, None),  # certified not reported
        ("a1", "2025-02", 310, 300, None),
        ("a2", "2024-06", 45, 40, None),
        ("e1", "2024-06", 9, 7, 7),
        ("r1", "2024-05", 70, 60, 55),
    ],
    columns=["programme_id", "period", "enrolled", "completed", "certified"],
)
TARGET_COLUMNS = [
    "target_id",
    "scope",
    "scope_id",
    "level",
    "metric",
    "baseline_year",
    "baseline_value",
    "deadline_year",
    "value",
]
TARGETS = pd.DataFrame(
    [
        ("es-basic", "region", "ES24", "basic", "completed", 2024, 10, 2025, 2310),
        ("es-basic-certified", "region", "ES24", "basic", "certified", 2024, 0, 2025, 460),
        ("es-basic-enrolled", "region", "ES24", "basic", "enrolled", 2024, 0, 2025, 2300),
        ("es-expert", "region", "ES24", "expert", "completed", 2024, 0, 2026, 5),  # exceeded
        ("ro-basic", "region", "RO11", "basic", "completed", 2023, 0, 2024, 70),  # deadline past
        ("ro-expert", "region", "RO11", "expert", "completed", 2024, 0, 2026, 35),  # no programme
        ("ai-expert", "cluster", "ai", "expert", "completed", 2024, 0, 2025, 23),
        ("net-basic", "network", None, "basic", "completed", 2024, 0, 2025, 4600),
    ],
    columns=TARGET_COLUMNS,
)
# The network's basic target passes 1,000 people at December 2024.
MILESTONES = pd.DataFrame({"target_id": ["net-basic"], "year": [2024], "value": [1000]})


def tiny_frames(**changes: pd.DataFrame) -> Frames:
    tables = {
        "regions": REGIONS,
        "clusters": CLUSTERS,
        "programmes": PROGRAMMES,
        "targets": TARGETS,
        "milestones": MILESTONES,
        "progress": PROGRESS,
    }
    return build_frames(**(tables | changes))  # type: ignore[arg-type]


def by_target(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index("target_id")


def test_as_of_defaults_to_latest_reported_month() -> None:
    assert tiny_frames().as_of_period == "2025-02"


# As of 2025-02 a 2024 → 2025 target is 13 of its 23 months along (January 2024 → December 2025).
@pytest.mark.parametrize(
    ("target_id", "achieved", "expected", "status"),
    [
        # 10 baseline + 100 + 200 + 300 (a1) + 40 (a2); 2023-12 is before the baseline year
        ("es-basic", 650.0, 10 + 2300 * 13 / 23, "off_track"),
        # certified: 90 reported; the blanks add nothing
        ("es-basic-certified", 90.0, 460 * 13 / 23, "off_track"),
        # enrolled: 120 + 210 + 310 + 45
        ("es-basic-enrolled", 685.0, 2300 * 13 / 23, "off_track"),
        # already exceeded: 7 of 5; expected 5 * 13 / 35 (deadline December 2026)
        ("es-expert", 7.0, 5 * 13 / 35, "on_track"),
        # deadline 2024 is past: the whole target is expected; 60 / 70 = 0.857 is at risk
        ("ro-basic", 60.0, 70.0, "at_risk"),
        # a target with no programme: nothing achieved
        ("ro-expert", 0.0, 35 * 13 / 35, "off_track"),
        # the cluster's expert programme e1: 7 of 23 * 13 / 23 = 13 expected
        ("ai-expert", 7.0, 13.0, "off_track"),
        # the whole network at basic level: 640 (ES24, without its baseline) + 60 (RO11);
        # expected: 1000 at the December 2024 milestone, then 3600 over 12 months: 2 months on
        ("net-basic", 700.0, 1600.0, "off_track"),
    ],
)
def test_attainment_follows_the_definitions(
    target_id: str, achieved: float, expected: float, status: str
) -> None:
    row = by_target(attainment(tiny_frames())).loc[target_id]
    assert row["achieved"] == pytest.approx(achieved)
    assert row["expected"] == pytest.approx(expected)
    assert row["attainment"] == pytest.approx(achieved / row["target"])
    assert row["gap"] == pytest.approx(expected - achieved)
    assert row["status"] == status


def test_attainment_has_one_row_per_target_with_the_documented_columns() -> None:
    table = attainment(tiny_frames())
    assert list(table.columns) == [
        "target_id",
        "scope",
        "scope_id",
        "level",
        "metric",
        "baseline_year",
        "deadline_year",
        "baseline_value",
        "target",
        "achieved",
        "expected",
        "attainment",
        "ratio",
        "gap",
        "status",
        "forecast",
    ]
    assert sorted(table["target_id"]) == sorted(TARGETS["target_id"])


def test_a_programme_with_no_reports_adds_nothing() -> None:
    programmes = pd.concat(
        [PROGRAMMES, PROGRAMMES.iloc[[0]].assign(programme_id="silent")], ignore_index=True
    )
    table = by_target(attainment(tiny_frames(programmes=programmes)))
    assert table.loc["es-basic", "achieved"] == 650.0


def test_a_month_with_only_blank_optional_values_counts_its_required_ones() -> None:
    blank_month = pd.DataFrame([("a2", "2024-07", 5, 4, None)], columns=PROGRESS.columns)
    table = by_target(attainment(tiny_frames(progress=pd.concat([PROGRESS, blank_month]))))
    assert table.loc["es-basic", "achieved"] == 654.0
    assert table.loc["es-basic-certified", "achieved"] == 90.0


def test_a_baseline_year_after_the_as_of_month_expects_only_the_baseline() -> None:
    future = pd.DataFrame(
        [("later", "region", "ES24", "basic", "completed", 2026, 100, 2028, 1000)],
        columns=TARGET_COLUMNS,
    )
    row = by_target(attainment(tiny_frames(targets=future))).loc["later"]
    assert (row["achieved"], row["expected"], row["status"]) == (100.0, 100.0, "on_track")


def test_nothing_expected_yet_is_on_track_unless_the_recent_pace_misses_the_deadline() -> None:
    """As of January of the baseline year the trajectory still stands at a zero baseline: the
    expert target, whose programme trained 3 of its 5 people that month, is on track; the
    others, with nobody trained yet, would be reached only after the deadline at that pace."""
    january = pd.DataFrame([("e1", "2024-01", 3, 3, None)], columns=PROGRESS.columns)
    frames = tiny_frames(progress=pd.concat([PROGRESS, january], ignore_index=True))
    table = by_target(attainment(apply_filters(frames, Filters(as_of="2024-01"))))
    assert table.loc[["es-expert", "es-basic-enrolled"], "ratio"].isna().all()
    assert table.loc[
        ["es-expert", "es-basic-enrolled"], ["expected", "status", "forecast"]
    ].to_dict("index") == {
        "es-expert": {"expected": 0.0, "status": "on_track", "forecast": "2024-02"},
        "es-basic-enrolled": {
            "expected": 0.0,
            "status": "at_risk",
            "forecast": NOT_BEFORE_DEADLINE,
        },
    }


def test_an_earlier_as_of_month_ignores_later_progress() -> None:
    frames = apply_filters(tiny_frames(), Filters(as_of="2024-12"))
    row = by_target(attainment(frames)).loc["es-basic"]
    # 10 + 100 + 200 + 40; 11 of 23 months along
    assert row["achieved"] == 350.0
    assert row["expected"] == pytest.approx(10 + 2300 * 11 / 23)


@pytest.mark.parametrize(
    ("achieved", "expected", "settings", "status"),
    [
        (95.0, 100.0, AnalysisSettings(), Status.ON_TRACK),  # exactly on the threshold
        (94.9, 100.0, AnalysisSettings(), Status.AT_RISK),
        (80.0, 100.0, AnalysisSettings(), Status.AT_RISK),
        (79.9, 100.0, AnalysisSettings(), Status.OFF_TRACK),
        (0.0, 0.0, AnalysisSettings(), Status.ON_TRACK),  # nothing expected yet
        (85.0, 100.0, AnalysisSettings(on_track=0.85, at_risk=0.5), Status.ON_TRACK),
        (50.0, 100.0, AnalysisSettings(on_track=0.85, at_risk=0.5), Status.AT_RISK),
        (49.0, 100.0, AnalysisSettings(on_track=0.85, at_risk=0.5), Status.OFF_TRACK),
    ],
)
def test_status_thresholds_are_configurable(
    achieved: float, expected: float, settings: AnalysisSettings, status: Status
) -> None:
    result = classify_status(pd.Series([achieved]), pd.Series([expected]), settings)
    assert result.tolist() == [status.value]


def test_analysis_settings_come_from_the_installation_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert AnalysisSettings.from_settings(Settings()) == AnalysisSettings()
    monkeypatch.setenv("SKILLS_ROADMAP_ON_TRACK_RATIO", "0.9")
    monkeypatch.setenv("SKILLS_ROADMAP_AT_RISK_RATIO", "0.7")
    monkeypatch.setenv("SKILLS_ROADMAP_RUN_RATE_MONTHS", "3")
    monkeypatch.setenv("SKILLS_ROADMAP_WOMEN_SHARE_GOAL", "0.4")
    assert AnalysisSettings.from_settings(Settings()) == AnalysisSettings(
        on_track=0.9, at_risk=0.7, run_rate_months=3, women_goal=0.4
    )


def test_status_labels_read_as_words() -> None:
    assert [status.label for status in Status] == ["On track", "At risk", "Off track"]


def test_at_risk_threshold_above_on_track_is_refused() -> None:
    with pytest.raises(ValueError, match="must not exceed"):
        AnalysisSettings(on_track=0.7, at_risk=0.8)


def test_summarised_attainment_sums_achieved_over_sum_of_targets() -> None:
    table = attainment(tiny_frames())
    basic = table[(table["scope"] == "region") & (table["metric"] == "completed")]
    summary = summarise_attainment(basic, ["level"]).set_index("level")
    # basic: ES24 650 of 2310, RO11 60 of 70; expert: ES24 7 of 5, RO11 0 of 35
    assert summary.loc["basic", "attainment"] == pytest.approx(710 / 2380)
    assert summary.loc["expert", "attainment"] == pytest.approx(7 / 40)
    total = summarise_attainment(basic)
    assert total["attainment"].tolist() == pytest.approx([717 / 2420])


def test_trend_traces_cumulative_achieved_against_the_trajectory() -> None:
    trend = attainment_trend(tiny_frames(), ["es-basic"])
    assert (trend["period"].iloc[0], trend["period"].iloc[-1]) == ("2024-01", "2025-12")
    monthly = trend.set_index("period")
    assert monthly.loc["2024-02", "achieved"] == 10.0
    assert monthly.loc["2024-03", "achieved"] == 110.0
    assert monthly.loc["2024-12", "achieved"] == 350.0
    assert monthly.loc["2025-02", "achieved"] == 650.0
    assert monthly.loc[["2025-03"], "achieved"].isna().all()  # after the as-of month
    assert monthly.loc["2025-12", "expected"] == 2310.0
    assert monthly.loc["2024-12", "expected"] == pytest.approx(10 + 2300 * 11 / 23)


def test_yearly_trend_keeps_decembers_and_the_as_of_month() -> None:
    trend = attainment_trend(tiny_frames(), ["es-basic"], yearly=True)
    assert trend["period"].tolist() == ["2024-12", "2025-02", "2025-12"]
    assert trend["achieved"].tolist()[:2] == [350.0, 650.0]


def test_trend_at_the_trajectory_end_of_the_milestone_target() -> None:
    trend = attainment_trend(tiny_frames(), ["net-basic"]).set_index("period")
    assert trend.loc["2024-12", "expected"] == 1000.0
    assert trend.loc["2025-06", "expected"] == pytest.approx(1000 + 3600 * 6 / 12)


def test_overview_has_every_region_and_level_then_the_network() -> None:
    table = overview(tiny_frames())
    assert table[["scope", "scope_id", "level"]].astype(object).values.tolist() == [
        ["region", "ES24", "basic"],
        ["region", "ES24", "intermediate"],
        ["region", "ES24", "expert"],
        ["region", "RO11", "basic"],
        ["region", "RO11", "intermediate"],
        ["region", "RO11", "expert"],
        ["network", None, "basic"],
        ["network", None, "intermediate"],
        ["network", None, "expert"],
    ]
    rows = table.set_index(["scope_id", "level"])
    # ES24 basic has three targets of 2025; the first by id is shown
    assert rows.loc[("ES24", "basic"), "target_id"] == "es-basic"
    assert rows.loc[("ES24", "basic"), "name"] == "Aragón"
    without_target = table[(table["scope_id"] == "ES24") & (table["level"] == "intermediate")]
    assert without_target[["target", "status"]].isna().to_numpy().all()


def test_overview_shows_the_earliest_deadline_not_yet_past() -> None:
    targets = pd.DataFrame(
        [
            ("old", "region", "ES24", "basic", "completed", 2022, 0, 2024, 100),
            ("late", "region", "ES24", "basic", "completed", 2024, 0, 2030, 900),
            ("next", "region", "ES24", "basic", "completed", 2024, 0, 2027, 500),
            ("past", "region", "RO11", "basic", "completed", 2020, 0, 2023, 10),
            ("older", "region", "RO11", "basic", "completed", 2020, 0, 2022, 10),
        ],
        columns=TARGET_COLUMNS,
    )
    rows = overview(tiny_frames(targets=targets)).set_index(["scope_id", "level"])
    assert rows.loc[("ES24", "basic"), "target_id"] == "next"
    # every deadline past: the latest one
    assert rows.loc[("RO11", "basic"), "target_id"] == "past"


def test_overview_of_a_selected_region_has_no_network_rows() -> None:
    table = overview(tiny_frames(), Filters(regions=("RO11",), levels=("basic", "expert")))
    assert table[["scope_id", "level"]].astype(object).values.tolist() == [
        ["RO11", "basic"],
        ["RO11", "expert"],
    ]
    assert table["status"].tolist() == ["at_risk", "off_track"]


def test_attainment_without_any_progress_has_no_expected_value() -> None:
    frames = tiny_frames(progress=PROGRESS.iloc[:0])
    table = by_target(attainment(frames))
    assert frames.as_of is None
    assert table.loc["es-basic", "achieved"] == 10.0
    assert table["expected"].isna().all()
    assert table["status"].isna().all()


def test_attainment_of_no_targets_is_empty() -> None:
    frames = tiny_frames()
    table = attainment(replace(frames, targets=frames.targets.iloc[:0]))
    assert table.empty
    assert "status" in table.columns


def test_every_question_has_an_answer_before_the_first_report() -> None:
    """A fresh installation with programmes and targets but no report yet breaks nothing."""
    from skills_roadmap.analysis import (
        ambition_gap,
        contribution,
        facilities_status,
        forecast,
        funnel,
        inclusion,
        money,
        peers,
        reporting_completeness,
    )

    frames = tiny_frames(progress=PROGRESS.iloc[:0])
    assert forecast(frames)["forecast"].isna().all()
    assert funnel(frames).empty and inclusion(frames).empty
    assert money(frames, by=())["spend_eur"].isna().all()
    assert contribution(frames)["achieved"].tolist() == [0.0] * len(PROGRAMMES)
    assert reporting_completeness(frames).empty
    assert len(peers(frames)) == len(REGIONS)
    # targets only: the network's 4,600 basic completers against ES24's 2,310
    gaps = ambition_gap(frames).astype({"level": str, "metric": str})
    assert gaps.loc[gaps["verdict"] != "no network target", "difference"].tolist() == [-2290.0]
    assert facilities_status(frames).empty
    assert attainment_trend(frames, ["es-basic"])["achieved"].isna().all()


def test_expected_values_before_along_and_after_the_trajectory() -> None:
    targets = pd.DataFrame(
        {
            "target_id": ["t"],
            "baseline_year": [2024],
            "baseline_value": [100.0],
            "deadline_year": [2026],
            "value": [3700.0],
        }
    )
    # A milestone in the deadline year: at the deadline the target value still holds.
    milestones = pd.DataFrame(
        {"target_id": ["t", "t"], "year": [2024, 2026], "value": [1100.0, 3000.0]}
    )
    points = pd.DataFrame(
        [
            ("t", "2026-12"),
            ("t", "2024-07"),
            ("other", "2024-07"),  # no such target: no value
            ("t", "2023-06"),  # before the baseline: the baseline value
            ("t", "2024-12"),
            ("t", "2027-03"),  # after the deadline: the target value
        ],
        columns=["target_id", "period"],
        index=[50, 40, 30, 20, 10, 0],
    )
    points["month"] = points["period"].map(period_to_month)
    values = expected_values(targets, milestones, points)
    assert values.index.tolist() == [50, 40, 30, 20, 10, 0]
    assert values[40] == pytest.approx(100 + 1000 * 6 / 11)
    assert pd.isna(values[30])
    assert values.drop([40, 30]).tolist() == [3700.0, 100.0, 1100.0, 3700.0]


def test_trend_counts_from_its_own_baseline_january() -> None:
    later = pd.DataFrame(
        [
            ("es-2025", "region", "ES24", "basic", "completed", 2025, 5, 2026, 1000),
            ("fr-2025", "region", "FR10", "basic", "completed", 2025, 5, 2026, 1000),
        ],
        columns=TARGET_COLUMNS,
    )
    trend = attainment_trend(tiny_frames(targets=later)).set_index(["target_id", "period"])
    # January 2025 has no report; February adds a1's 300. The 2024 reports never count.
    assert trend.loc[("es-2025", "2025-01"), "achieved"] == 5.0
    assert trend.loc[("es-2025", "2025-02"), "achieved"] == 305.0
    # A target whose region has no programme stays at its baseline.
    assert trend.loc[("fr-2025", "2025-02"), "achieved"] == 5.0
    table = by_target(attainment(tiny_frames(targets=later)))
    assert table["achieved"].to_dict() == {"es-2025": 305.0, "fr-2025": 5.0}


def test_trend_of_no_targets_is_empty() -> None:
    trend = attainment_trend(tiny_frames(), [])
    assert trend.empty
    assert list(trend.columns) == ["target_id", "month", "period", "target", "achieved", "expected"]
