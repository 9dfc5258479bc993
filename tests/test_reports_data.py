"""The report's content: one assembly per filter whose figures are the analysis layer's."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from reports_helpers import tiny_frames, tiny_records
from sqlalchemy import Engine

from skills_roadmap.analysis import (
    Filters,
    attainment,
    load_frames,
    overview,
    period_to_month,
    reporting_completeness,
)
from skills_roadmap.domain import Role
from skills_roadmap.exceptions import NotFoundError
from skills_roadmap.reports import StoredRecords, load_records, report_content
from skills_roadmap.reports.columns import documentation
from skills_roadmap.reports.records import UPLOADS_DESCRIPTIONS, UploadsShown
from skills_roadmap.users import ROLE_PERMISSIONS


@pytest.fixture(scope="module")
def demo_report(demo_database: object) -> object:
    """The network report of the demo database (built once for this module)."""
    from skills_roadmap.storage import make_engine

    engine = make_engine(f"sqlite:///{demo_database}")
    frames = load_frames(engine)
    content = report_content(frames, records=load_records(engine))
    engine.dispose()
    return frames, content


def test_every_table_holds_exactly_its_documented_columns(demo_report: tuple) -> None:
    _, content = demo_report

    for table in content.documented_tables:
        assert list(table.frame.columns) == [column.key for column in table.columns], table.key
    assert [table.key for table in content.tables] == [
        "regions",
        "clusters",
        "matrix",
        "programmes",
        "progress",
        "targets",
        "target_revisions",
        "attainment",
        "eu_frames",
        "esf",
        "uploads",
    ]


def test_levels_equal_the_overviews_network_rows(demo_report: tuple) -> None:
    """The Summary shows what the dashboard's overview cards show."""
    frames, content = demo_report
    network = overview(frames).query("scope == 'network'").set_index("level")
    levels = content.levels.frame.set_index("level")

    for level in ("basic", "intermediate", "expert"):
        for measure in ("target", "achieved", "expected", "attainment"):
            assert levels.loc[level, measure] == pytest.approx(network.loc[level, measure])
        assert levels.loc[level, "status"] == network.loc[level, "status"]


def test_attainment_table_equals_the_analysis_layer_target_by_target(demo_report: tuple) -> None:
    frames, content = demo_report
    expected = attainment(frames).set_index("target_id")
    table = content.table("attainment").frame.set_index("target_id")

    assert sorted(table.index) == sorted(expected.index)
    for measure in ("target", "achieved", "expected", "attainment", "ratio", "gap"):
        np.testing.assert_allclose(table[measure], expected.loc[table.index, measure])
    assert table["status"].tolist() == expected.loc[table.index, "status"].astype(str).tolist()


def test_regions_table_shows_the_overviews_attainment_per_level(demo_report: tuple) -> None:
    frames, content = demo_report
    league = overview(frames).query("scope == 'region'")
    regions = content.table("regions").frame.set_index("region_code")

    for row in league.itertuples():
        assert regions.loc[row.scope_id, f"{row.level}_attainment"] == pytest.approx(row.attainment)
        assert regions.loc[row.scope_id, f"{row.level}_status"] == row.status


def test_progress_table_holds_every_reported_month_in_order(demo_report: tuple) -> None:
    frames, content = demo_report
    progress = content.table("progress").frame

    assert len(progress) == len(frames.progress)
    assert progress["enrolled"].sum() == frames.progress["enrolled"].sum()
    keys = list(zip(progress["programme_id"].astype(str), progress["period"], strict=True))
    assert keys == sorted(keys)


def test_programmes_table_reports_lateness_as_the_analysis_layer(demo_report: tuple) -> None:
    frames, content = demo_report
    late = reporting_completeness(frames).set_index("programme_id")["months_late"]
    programmes = content.table("programmes").frame.set_index("programme_id")

    assert programmes.loc[late.index.astype(str), "months_late"].tolist() == late.tolist()


def test_tiny_network_tables_hold_the_hand_computed_figures() -> None:
    content = report_content(tiny_frames(), records=tiny_records(note="=1+1"))

    levels = content.levels.frame.iloc[0]
    assert (levels["target"], levels["achieved"]) == (480, 168)
    assert levels["expected"] == pytest.approx(480 * 11 / 23)
    assert levels["points_behind"] == pytest.approx((480 * 11 / 23 - 168) / 480 * 100)
    regions = content.table("regions").frame.set_index("region_code")
    aragon = [regions.loc["ES24", key] for key in ("enrolled", "completed", "certified")]
    assert aragon == [144, 120, 60]
    # Cluj reported no women: its share is unknown, not zero
    assert regions["women_share"].round(3).fillna(-1).to_dict() == {"ES24": 0.5, "RO11": -1}
    clusters = content.table("clusters").frame.set_index("cluster_id")
    # 144 enrolled against 240 places x 12/24 months elapsed
    assert clusters.loc["aragon-ai", "capacity_use"] == pytest.approx(144 / 120)
    assert clusters.loc["aragon-ai", "completed_share"] == pytest.approx(120 / 168)
    progress = content.table("progress").frame
    noted = progress[progress["notes"].notna()]
    assert noted[["programme_id", "period", "notes"]].astype(object).values.tolist() == [
        ["ES24-B001", period_to_month("2024-01"), "=1+1"]
    ]
    targets = content.table("targets").frame
    assert targets["scope_name"].tolist() == ["Network", "Aragón", "Nord-Vest"]


@pytest.mark.parametrize(
    ("filters", "scope_name", "regions", "targets"),
    [
        (
            Filters(),
            "Network",
            ["ES24", "RO11"],
            ["network-basic", "region-ES24-basic", "region-RO11-basic"],
        ),
        (Filters(regions=("RO11",)), "Nord-Vest", ["RO11"], ["region-RO11-basic"]),
        # a cluster without targets of its own: its home region's targets, its share only
        (Filters(clusters=("aragon-ai",)), "Aragón", ["ES24"], ["region-ES24-basic"]),
        (Filters(levels=("expert",)), "Network", ["ES24", "RO11"], []),
    ],
)
def test_filters_narrow_every_table_alike(
    filters: Filters, scope_name: str, regions: list[str], targets: list[str]
) -> None:
    content = report_content(tiny_frames(), filters)

    assert content.scope_name == scope_name
    assert content.table("regions").frame["region_code"].tolist() == regions
    assert sorted(content.table("attainment").frame["target_id"]) == targets


def test_as_of_filter_cuts_progress_and_moves_the_trajectory() -> None:
    content = report_content(tiny_frames(), Filters(as_of="2024-06"))

    assert content.as_of == "2024-06"
    assert content.table("progress").frame["period"].max() == period_to_month("2024-06")
    # five of 23 months along the trajectory; 6 months of 14 completions
    assert content.levels.frame.iloc[0]["expected"] == pytest.approx(480 * 5 / 23)
    assert content.levels.frame.iloc[0]["achieved"] == 84


def test_unknown_region_is_refused_with_the_known_ones() -> None:
    with pytest.raises(NotFoundError, match="unknown region FR10: pick from"):
        report_content(tiny_frames(), Filters(regions=("FR10",)))


def test_facts_give_as_of_last_upload_and_generation_time() -> None:
    content = report_content(
        tiny_frames(),
        records=tiny_records(),
        generated_at=pd.Timestamp("2025-01-06 08:00", tz="UTC"),
    )

    assert content.facts == (
        ("Data as of", "2024-12"),
        ("Last upload", "2025-01-05 09:30 UTC"),
        ("Generated", "2025-01-06 08:00 UTC"),
    )
    assert content.slug == "skills-roadmap-network-2024-12"


def test_slug_spells_names_in_plain_ascii() -> None:
    content = report_content(tiny_frames(), Filters(regions=("ES24",)))

    assert content.slug == "skills-roadmap-aragon-2024-12"


def test_every_column_is_documented_once() -> None:
    content = report_content(tiny_frames())
    dictionary = documentation(content.documented_tables).frame

    assert not dictionary.duplicated(["table", "column"]).any()
    assert dictionary["meaning"].str.len().min() > 5
    assert set(dictionary["table"]) == {table.key for table in content.documented_tables}


def test_demo_report_loads_from_the_database(demo_engine: Engine) -> None:
    """The records (uploads, notes) come from the database; the demo has no uploads yet."""
    records = load_records(demo_engine)

    assert records.last_upload is None
    assert list(records.notes.columns) == ["programme_id", "period", "notes"]
    assert records.notes["notes"].str.len().min() > 0


def uploads_of_two_managers() -> StoredRecords:
    """Three uploads, newest first: maria's, mihai's, then maria's first."""
    one = tiny_records().uploads
    uploads = pd.concat([one] * 3, ignore_index=True).assign(
        upload_id=[3, 2, 1],
        uploaded_by=["maria", "mihai", "maria"],
        uploaded_at=pd.to_datetime(
            ["2025-03-05 09:30", "2025-02-05 09:30", "2025-01-05 09:30"], utc=True
        ),
    )
    return StoredRecords(uploads=uploads)


@pytest.mark.parametrize(
    ("role", "ids", "shown"),
    [
        (Role.ADMIN, [3, 2, 1], UploadsShown.ALL),  # admins read every upload in the audit log
        (Role.MANAGER, [3, 1], UploadsShown.OWN),  # as on their Upload page
        (Role.OFFICIAL, [], UploadsShown.NONE),
        (Role.ANALYST, [], UploadsShown.NONE),
    ],
)
def test_the_uploads_table_lists_what_the_readers_role_may_see(
    role: Role, ids: list[int], shown: UploadsShown
) -> None:
    records = uploads_of_two_managers().for_reader("maria", ROLE_PERMISSIONS[role])

    content = report_content(tiny_frames(), records=records)

    [table] = [table for table in content.tables if table.key == "uploads"]
    assert (table.frame["upload_id"].tolist(), table.description) == (
        ids,
        UPLOADS_DESCRIPTIONS[shown],
    )
    # How fresh the data is counts every upload, whoever reads.
    assert content.last_upload == pd.Timestamp("2025-03-05 09:30", tz="UTC")


def test_records_without_a_reader_list_every_upload() -> None:
    content = report_content(tiny_frames(), records=uploads_of_two_managers())

    [table] = [table for table in content.tables if table.key == "uploads"]
    assert table.frame["upload_id"].tolist() == [3, 2, 1]
