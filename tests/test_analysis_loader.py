"""Loading the frames from the database: every table, blanks kept blank, on each backend."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from skills_roadmap.analysis import Filters, attainment, load_frames, overview
from skills_roadmap.exceptions import DatabaseError
from skills_roadmap.storage import make_engine, session_scope
from skills_roadmap.storage.tables import (
    ClusterRow,
    FacilityRow,
    MilestoneRow,
    ProgrammeRow,
    ProgressRow,
    RegionRow,
    TargetRow,
)


def programme(programme_id: str, region_code: str, cluster_id: str, level: str) -> ProgrammeRow:
    return ProgrammeRow(
        id=programme_id,
        name=f"Programme {programme_id}",
        cluster_id=cluster_id,
        region_code=region_code,
        level=level,
        provider="Universidad de Zaragoza",
        provider_helix="academia",
        delivery_mode="blended",
        start=date(2024, 1, 1),
        end=date(2025, 12, 31),
        capacity=400,
        budget_eur=250_000.0,
        funding_source="ESF+",
    )


def fill(engine: Engine) -> None:
    regions = [
        RegionRow(code="ES24", name="Aragón", country="ES", lat=41.5, lon=-0.7),
        RegionRow(code="RO11", name="Nord-Vest", country="RO", lat=47.0, lon=23.6),
    ]
    clusters = [
        ClusterRow(id="aragon-ai", name="AI cluster", region_code="ES24", helix_roles="industry"),
        ClusterRow(id="cluj-it", name="IT cluster", region_code="RO11", helix_roles="industry"),
    ]
    programmes_and_targets = [
        # ids sort differently in Python and in some database collations: ensure both agree
        programme("es-b", "ES24", "aragon-ai", "basic"),
        programme("ES-a", "ES24", "aragon-ai", "expert"),
        programme("ro_1", "RO11", "cluj-it", "basic"),
        TargetRow(
            id="es-basic",
            scope="region",
            scope_id="ES24",
            level="basic",
            metric="completed",
            deadline_year=2025,
            value=2300,
            baseline_year=2024,
            baseline_value=10,
        ),
    ]
    milestones = [MilestoneRow(target_id="es-basic", year=2024, value=1000)]
    facilities = [
        FacilityRow(
            id="zaragoza-lab",
            name="Testing lab",
            kind="testing",
            region_code="ES24",
            status="planned",
            planned_open=date(2025, 3, 1),
        ),
    ]
    progress = [
        ProgressRow(
            programme_id="es-b",
            period="2024-03",
            enrolled=120,
            completed=100,
            certified=90,
            dropped_out=2,
            women=50,
            spend_eur=1500.5,
        ),
        ProgressRow(programme_id="es-b", period="2024-11", enrolled=210, completed=200),
        ProgressRow(programme_id="ES-a", period="2024-06", enrolled=9, completed=7, women=3),
        ProgressRow(programme_id="ro_1", period="2024-12", enrolled=70, completed=60),
    ]
    # Without ORM relationships the unit of work does not order inserts by foreign key.
    with session_scope(engine, write=True) as session:
        for batch in (regions, clusters, programmes_and_targets, milestones, facilities, progress):
            session.add_all(batch)
            session.flush()


def test_load_frames_reads_every_table(any_engine: Engine) -> None:
    fill(any_engine)
    frames = load_frames(any_engine)
    assert frames.as_of_period == "2024-12"
    assert frames.regions.set_index("region_code")["name"].astype(str).to_dict() == {
        "ES24": "Aragón",
        "RO11": "Nord-Vest",
    }
    progress = frames.progress.sort_values(["programme_id", "month"])
    assert progress["programme_id"].astype(str).tolist() == ["ES-a", "es-b", "es-b", "ro_1"]
    assert progress["completed"].tolist() == [7, 100, 200, 60]
    # blank means not reported: NaN, never 0
    assert progress["certified"].tolist()[1] == 90.0
    assert progress[["certified", "dropped_out", "women", "spend_eur"]].isna().sum().tolist() == [
        3,
        3,
        2,
        3,
    ]
    assert progress["spend_eur"].tolist()[1] == 1500.5
    levels = frames.programmes.set_index("programme_id")["level"].astype(str).to_dict()
    assert levels == {"ES-a": "expert", "es-b": "basic", "ro_1": "basic"}
    assert frames.milestones[["target_id", "year", "value"]].values.tolist() == [
        ["es-basic", 2024, 1000.0]
    ]
    assert frames.facilities["planned_open"].tolist() == [pd.Timestamp("2025-03-01")]
    row = attainment(frames).set_index("target_id").loc["es-basic"]
    assert row["achieved"] == 310.0  # 10 baseline + 100 + 200


def test_load_frames_applies_filters(engine: Engine) -> None:
    fill(engine)
    frames = load_frames(engine, filters=Filters(regions=("RO11",), as_of="2024-06"))
    assert frames.programmes["programme_id"].astype(str).tolist() == ["ro_1"]
    assert frames.progress.empty
    assert frames.as_of_period == "2024-06"


def test_load_frames_of_an_empty_database(engine: Engine) -> None:
    frames = load_frames(engine)
    assert frames.as_of is None
    assert frames.progress.empty and frames.targets.empty
    table = overview(frames)
    assert table["scope"].tolist() == ["network"] * 3  # no region yet, no target yet
    assert table["target"].isna().all()


def test_load_frames_asks_for_init_on_a_new_database(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.sqlite'}")
    with pytest.raises(DatabaseError, match="run `skills-roadmap init` first"):
        load_frames(engine)


def test_demo_overview_has_one_row_per_region_and_level(demo_engine: Engine) -> None:
    frames = load_frames(demo_engine)
    table = overview(frames)
    regional = table[table["scope"] == "region"]
    assert len(regional) == 3 * len(frames.regions)
    assert not regional.duplicated(["scope_id", "level"]).any()
    assert table[table["scope"] == "network"]["level"].astype(str).tolist() == [
        "basic",
        "intermediate",
        "expert",
    ]
    # the demo shows every state a dashboard can be in
    assert set(attainment(frames)["status"].dropna()) == {"on_track", "at_risk", "off_track"}
