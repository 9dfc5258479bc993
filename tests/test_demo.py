"""Demo network: deterministic, inside the documented ranges, true to the progress contract."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, text

from skills_roadmap.demo import (
    DEMO_FIRST_PERIOD,
    DEMO_LAST_PERIOD,
    DemoSummary,
    EuSize,
    build_demo,
    generate_demo,
    write_demo,
)
from skills_roadmap.demo.checks import progress_violations
from skills_roadmap.demo.layout import eu_layout
from skills_roadmap.demo.programmes import generate_programmes
from skills_roadmap.domain import TrainingLevel
from skills_roadmap.exceptions import DatabaseError
from skills_roadmap.storage import make_engine, upgrade
from skills_roadmap.storage.tables import Base

SWEDISH_REGIONS = {"SE11", "SE12", "SE22", "SE23"}


def read_table(engine: Engine, table: str) -> pd.DataFrame:
    with engine.connect() as connection:
        return pd.read_sql(text(f"SELECT * FROM {table}"), connection)


def sorted_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def status(ratio: float) -> str:
    """The product's trajectory bands: on track ≥ 0.95, at risk ≥ 0.80, else off track."""
    if ratio >= 0.95:
        return "on track"
    return "at risk" if ratio >= 0.80 else "off track"


# --- determinism -------------------------------------------------------------------------


def test_same_seed_gives_identical_database_contents(engine: Engine, tmp_path: Path) -> None:
    # Two fresh databases: the shared demo database may carry other tests' audit entries.
    other = make_engine(f"sqlite:///{tmp_path / 'other.sqlite'}")
    upgrade(other)
    build_demo(engine, seed=7)
    build_demo(other, seed=7)
    for table in Base.metadata.tables:
        pd.testing.assert_frame_equal(
            sorted_rows(read_table(engine, table)), sorted_rows(read_table(other, table))
        )
    other.dispose()


def test_different_seed_gives_different_programmes_and_progress(
    demo_engine: Engine, engine: Engine
) -> None:
    build_demo(engine, seed=8)
    for table in ("programmes", "progress", "targets"):
        assert not read_table(engine, table).equals(read_table(demo_engine, table))


def test_summary_counts_what_was_written(engine: Engine) -> None:
    summary = build_demo(engine, seed=3)
    assert summary == DemoSummary(
        regions=len(read_table(engine, "regions")),
        clusters=len(read_table(engine, "clusters")),
        programmes=len(read_table(engine, "programmes")),
        targets=len(read_table(engine, "targets")),
        progress_rows=len(read_table(engine, "progress")),
        facilities=len(read_table(engine, "facilities")),
    )


def test_progress_callback_reports_each_step(engine: Engine) -> None:
    messages: list[str] = []
    summary = build_demo(engine, seed=7, progress=messages.append)
    assert messages == [
        "generating the network demo (seed 7)…",
        f"writing 14 regions, 33 clusters and {summary.programmes:,} programmes…",
        f"writing {summary.progress_rows:,} progress rows…",
        f"writing {summary.targets:,} targets and {summary.facilities:,} facilities…",
    ]


def test_schema_info_records_seed_scale_and_last_period(demo_engine: Engine) -> None:
    info = read_table(demo_engine, "schema_info").set_index("key")["value"].to_dict()
    assert {k: info[k] for k in ("demo_seed", "demo_scale", "demo_last_period")} == {
        "demo_seed": "7",
        "demo_scale": "network",
        "demo_last_period": "2026-10",
    }


# --- refusals ----------------------------------------------------------------------------


def test_refuses_a_database_that_already_holds_data(engine: Engine) -> None:
    build_demo(engine, seed=7)
    with pytest.raises(DatabaseError, match="already holds data; use a new database"):
        build_demo(engine, seed=7)
    assert len(read_table(engine, "schema_info")) == 3  # the failed load wrote nothing


def test_refuses_a_database_without_schema(tmp_path: Path) -> None:
    bare = make_engine(f"sqlite:///{tmp_path / 'bare.sqlite'}")
    with pytest.raises(DatabaseError, match="skills-roadmap init"):
        build_demo(bare)
    bare.dispose()


# --- sizes and shape of the network ------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "low", "high"),
    [
        ("regions", 14, 14),
        ("clusters", 33, 33),
        ("programmes", 170, 230),  # about 200
        ("progress", 3_000, 7_000),
        ("targets", 49, 49),  # 14 regions × 3 levels + 3 network + 4 cluster targets
        ("target_milestones", 90, 90),  # 2025 and 2026 for each region and network target
        ("facilities", 28, 56),  # 2-4 per region
    ],
)
def test_network_counts_are_in_the_documented_ranges(
    demo_engine: Engine, table: str, low: int, high: int
) -> None:
    assert low <= len(read_table(demo_engine, table)) <= high


def test_network_is_modelled_on_the_brief(demo_engine: Engine) -> None:
    regions = read_table(demo_engine, "regions").set_index("code")["name"]
    clusters = read_table(demo_engine, "clusters").set_index("name")["region_code"]
    assert regions["ES24"] == "Aragón"
    assert regions["RO11"] == "Nord-Vest"
    assert SWEDISH_REGIONS <= set(regions.index)
    assert clusters["Aragón AI Cluster"] == "ES24"
    assert clusters["Transilvania IT Cluster"] == "RO11"
    assert (
        read_table(demo_engine, "clusters")["website"]
        .str.match(r"^https://[a-z0-9-]+\.example\.org$")
        .all()
    )


def test_every_region_runs_programmes_at_every_level(demo_engine: Engine) -> None:
    programmes = read_table(demo_engine, "programmes")
    per_region = programmes.groupby("region_code")["level"].nunique()
    assert (per_region == 3).all() and len(per_region) == 14


def test_basic_programmes_are_more_numerous_and_larger_than_expert_ones(
    demo_engine: Engine,
) -> None:
    programmes = read_table(demo_engine, "programmes")
    count = programmes["level"].value_counts()
    capacity = programmes.groupby("level")["capacity"].median()
    assert count["basic"] > count["intermediate"] > count["expert"]
    assert capacity["basic"] > capacity["intermediate"] > capacity["expert"]


def test_programmes_run_inside_the_demo_horizon(demo_engine: Engine) -> None:
    programmes = read_table(demo_engine, "programmes")
    assert programmes["start"].min() >= "2024-01-01"
    assert programmes["end"].max() <= "2026-12-31"
    assert (programmes["start"] < programmes["end"]).all()


# --- progress ----------------------------------------------------------------------------


@pytest.fixture
def progress(demo_engine: Engine) -> pd.DataFrame:
    """Progress rows joined with their programme's start, end, level and region."""
    programmes = read_table(demo_engine, "programmes")
    rows = read_table(demo_engine, "progress")
    joined = rows.merge(
        programmes[["id", "start", "end", "level", "region_code", "capacity"]],
        left_on="programme_id",
        right_on="id",
        validate="many_to_one",
    )
    assert len(joined) == len(rows)
    return joined


def test_progress_obeys_the_sheet_contract(progress: pd.DataFrame) -> None:
    reported_certified = progress.dropna(subset=["certified"])
    reported_women = progress.dropna(subset=["women"])
    assert (reported_certified["certified"] <= reported_certified["completed"]).all()
    assert (reported_women["women"] <= reported_women["enrolled"]).all()
    assert (progress["period"] >= progress["start"].str[:7]).all()
    assert (progress["period"] <= progress["end"].str[:7]).all()
    assert progress["period"].min() == DEMO_FIRST_PERIOD
    assert progress["period"].max() == DEMO_LAST_PERIOD
    assert not progress.duplicated(["programme_id", "period"]).any()


def test_progress_read_back_has_no_violations(demo_engine: Engine) -> None:
    assert (
        progress_violations(
            read_table(demo_engine, "progress"), read_table(demo_engine, "programmes")
        )
        == []
    )


def test_completions_lag_enrolments(progress: pd.DataFrame) -> None:
    """Nobody completes in a programme's first month: every course takes at least a month."""
    first_month = progress[progress["period"] == progress["start"].str[:7]]
    assert len(first_month) > 0
    assert (first_month["completed"] == 0).all()


def test_enrolment_is_seasonal(progress: pd.DataFrame) -> None:
    by_month = progress.groupby(progress["period"].str[5:])["enrolled"].mean()
    for quiet in ("07", "08", "12"):
        assert by_month[quiet] < 0.7 * by_month["10"]
    assert by_month["10"] > by_month["05"]


def test_women_are_a_smaller_share_at_expert_level(progress: pd.DataFrame) -> None:
    reported = progress.dropna(subset=["women"])
    totals = reported.groupby("level")[["women", "enrolled"]].sum()
    share = totals["women"] / totals["enrolled"]
    assert share["expert"] < share["intermediate"] < share["basic"]


def test_optional_fields_are_sometimes_not_reported(progress: pd.DataFrame) -> None:
    for column in ("certified", "dropped_out", "women", "spend_eur"):
        blank = progress[column].isna().mean()
        assert 0 < blank < 0.3, column


def test_some_programmes_report_late_by_one_to_three_months(progress: pd.DataFrame) -> None:
    last = progress.groupby("programme_id").agg(last=("period", "max"), end=("end", "first"))
    due = np.minimum(last["end"].str[:7], DEMO_LAST_PERIOD)
    months_behind = (pd.PeriodIndex(due, freq="M") - pd.PeriodIndex(last["last"], freq="M")).map(
        lambda offset: offset.n
    )
    late = pd.Series(months_behind, index=last.index)
    assert set(late.unique()) == {0, 1, 2, 3}
    assert 0 < (late > 0).sum() < 0.2 * len(late)


def test_a_few_programmes_lag_badly(progress: pd.DataFrame) -> None:
    """Laggards: ended programmes that completed under half their capacity."""
    ended = progress[progress["end"].str[:7] < "2026-06"]
    totals = ended.groupby("programme_id").agg(
        completed=("completed", "sum"), capacity=("capacity", "first")
    )
    lagging = (totals["completed"] < 0.5 * totals["capacity"]).sum()
    assert 1 <= lagging <= 0.2 * len(totals)


# --- targets -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "elapsed",
    [
        34 / 48,  # months through the end of October 2026, of January 2024 .. December 2027
        33 / 47,  # the same measured between month indexes (2024-01 = 0, 2027-12 = 47)
    ],
)
def test_regions_are_on_track_at_risk_and_off_track(
    demo_engine: Engine, progress: pd.DataFrame, elapsed: float
) -> None:
    targets = read_table(demo_engine, "targets")
    regional = targets[targets["scope"] == "region"]
    completed = progress.groupby(["region_code", "level"])["completed"].sum()
    keys = pd.MultiIndex.from_arrays([regional["scope_id"], regional["level"]])
    baseline = regional["baseline_value"].to_numpy()
    achieved = baseline + completed.reindex(keys, fill_value=0).to_numpy()
    expected = baseline + (regional["value"].to_numpy() - baseline) * elapsed
    statuses = {status(ratio) for ratio in achieved / expected}
    assert set(statuses) == {"on track", "at risk", "off track"}
    assert len(regional) == 14 * 3


def test_region_targets_have_milestones_on_the_straight_line(demo_engine: Engine) -> None:
    targets = read_table(demo_engine, "targets").set_index("id")
    milestones = read_table(demo_engine, "target_milestones")
    regional = targets[targets["scope"] == "region"]
    assert set(milestones["target_id"]) == set(regional.index) | {
        f"network-{level.value}" for level in TrainingLevel
    }
    merged = milestones.merge(targets, left_on="target_id", right_index=True)
    share = merged["year"].map({2025: 24 / 48, 2026: 36 / 48})
    line = merged["baseline_value"] + (merged["value_y"] - merged["baseline_value"]) * share
    assert ((merged["value_x"] - line).abs() <= 0.5).all()


def test_network_targets_add_up_the_regions(demo_engine: Engine) -> None:
    targets = read_table(demo_engine, "targets")
    regional = targets[targets["scope"] == "region"].groupby("level")["value"].sum()
    network = targets[targets["scope"] == "network"].set_index("level")["value"]
    assert network.sort_index().to_dict() == regional.sort_index().to_dict()
    assert targets["scope_id"][targets["scope"] == "network"].isna().all()


def test_targets_share_metric_and_years(demo_engine: Engine) -> None:
    targets = read_table(demo_engine, "targets")
    assert set(targets["metric"]) == {"completed"}
    assert set(targets["baseline_year"]) == {2024}
    assert set(targets["deadline_year"]) == {2027}
    assert targets["scope"].value_counts().to_dict() == {"region": 42, "cluster": 4, "network": 3}


# --- facilities --------------------------------------------------------------------------


def test_facilities_show_every_status_and_some_slip(demo_engine: Engine) -> None:
    facilities = read_table(demo_engine, "facilities")
    assert set(facilities["status"]) == {"planned", "building", "operational"}
    assert set(facilities["kind"]) == {"idea_generation", "demonstration", "testing"}
    operational = facilities[facilities["status"] == "operational"]
    assert operational["actual_open"].notna().all()
    assert (operational["actual_open"] <= "2026-10-31").all()
    assert facilities.loc[facilities["status"] != "operational", "actual_open"].isna().all()
    opened_late = operational["actual_open"].str[:7] > operational["planned_open"].str[:7]
    overdue = (facilities["status"] != "operational") & (facilities["planned_open"] < "2026-10")
    assert opened_late.any() and overdue.any()


# --- EU scale (reduced here; the full size is a benchmark) -------------------------------

SMALL_EU = EuSize(
    regions=12,
    clusters_per_region=(2, 3),
    programmes_per_cluster={
        TrainingLevel.BASIC: 2.0,
        TrainingLevel.INTERMEDIATE: 1.0,
        TrainingLevel.EXPERT: 1.0,
    },
)


def test_reduced_eu_scale_writes_sound_data(engine: Engine) -> None:
    tables = generate_demo(5, "eu", SMALL_EU)
    summary = write_demo(engine, tables)
    assert summary.regions == 12
    assert 24 <= summary.clusters <= 36
    assert summary.programmes == len(read_table(engine, "programmes")) > 0
    assert (
        progress_violations(read_table(engine, "progress"), read_table(engine, "programmes")) == []
    )
    info = read_table(engine, "schema_info").set_index("key")["value"]
    assert (info["demo_seed"], info["demo_scale"]) == ("5", "eu")


def test_reduced_eu_scale_is_deterministic() -> None:
    first, second = generate_demo(5, "eu", SMALL_EU), generate_demo(5, "eu", SMALL_EU)
    pd.testing.assert_frame_equal(first.progress, second.progress)
    pd.testing.assert_frame_equal(first.targets, second.targets)


def test_full_eu_scale_plans_the_benchmark_size() -> None:
    """At least 240 regions, 1,500 clusters, 20,000 programmes and 1.5 million progress rows,
    counted from the programmes' reporting windows without simulating them."""
    layout = eu_layout(7, EuSize())
    programmes = generate_programmes(layout, 7)
    first = programmes["start_month"]
    last = np.minimum(first + programmes["span_months"] - 1, 33 - programmes["late_months"])
    assert len(layout.regions) >= 240
    assert len(layout.clusters) >= 1_500
    assert len(programmes) >= 20_000
    assert (last - first + 1).sum() >= 1_500_000


# --- PostgreSQL (COPY) and SQLite (executemany) -------------------------------------------


def test_build_demo_stores_the_generated_data_on_every_backend(any_engine: Engine) -> None:
    summary = build_demo(any_engine, seed=7)
    generated = generate_demo(7)
    assert summary == generated.summary()
    stored = read_table(any_engine, "progress")
    for column in ("enrolled", "completed", "certified", "dropped_out", "women", "spend_eur"):
        assert stored[column].isna().sum() == generated.progress[column].isna().sum(), column
        assert stored[column].sum() == pytest.approx(generated.progress[column].sum()), column
    programmes = read_table(any_engine, "programmes").set_index("id").sort_index()
    expected = generated.programmes.set_index("id").sort_index()
    assert programmes["end"].astype(str).tolist() == expected["end"].astype(str).tolist()
