"""Clusters across regions in the demo and the analysis frames; the committed sample network."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest
from network_helpers import SAMPLE, sheet_values
from sqlalchemy import Engine, text

from skills_roadmap.analysis import load_frames
from skills_roadmap.demo import EuSize, generate_demo, write_demo
from skills_roadmap.demo.checks import validate_network
from skills_roadmap.ingest import commit_upload
from skills_roadmap.reference import load_regions
from skills_roadmap.users import create_demo_accounts, get_user

GENERATOR = Path(__file__).resolve().parents[1] / "tools" / "sample_network.py"


def read(engine: Engine, query: str) -> pd.DataFrame:
    with engine.connect() as connection:
        return pd.DataFrame(connection.execute(text(query)).mappings().all())


def test_demo_clusters_work_in_a_second_region_across_borders_and_run_programmes_there(
    demo_engine: Engine,
) -> None:
    others = read(
        demo_engine,
        "SELECT c.id, c.region_code AS home, r.region_code AS other, "
        "(SELECT COUNT(*) FROM programmes p WHERE p.cluster_id = c.id "
        " AND p.region_code = r.region_code) AS programmes "
        "FROM cluster_regions r JOIN clusters c ON c.id = r.cluster_id ORDER BY c.id",
    )
    assert others[["id", "home", "other"]].values.tolist() == [
        ["basque-ai", "ES21", "PT11"],
        ["grenoble-alps-ai", "FRK2", "ITC4"],
        ["lund-data-science", "SE22", "SE23"],
        ["stockholm-ai", "SE11", "FI1B"],
    ]
    assert (others["programmes"] > 0).all()
    assert (others["home"].str[:2] != others["other"].str[:2]).sum() == 3  # across a border


def test_demo_regions_know_their_adults(demo_engine: Engine) -> None:
    adults = read(demo_engine, "SELECT code, adults FROM regions").set_index("code")["adults"]
    assert adults.notna().all() and adults["ES24"] == 960_000


def test_the_demo_check_refuses_a_programme_outside_its_clusters_regions() -> None:
    tables = generate_demo(7)
    moved = tables.programmes.copy()
    moved.loc[moved["cluster_id"] == "aragon-ai", "region_code"] = "RO11"
    with pytest.raises(ValueError, match="programmes outside their cluster's regions: ES24-"):
        validate_network(
            tables.regions,
            tables.clusters,
            tables.cluster_regions,
            moved,
            tables.targets,
            tables.target_milestones,
            tables.facilities,
        )


def test_the_eu_scale_demo_has_clusters_working_next_door_and_its_accounts(
    engine: Engine,
) -> None:
    """Every tenth region's first cluster also works in the next region by code."""
    tables = generate_demo(5, "eu", EuSize(regions=21, clusters_per_region=(2, 2)))
    write_demo(engine, tables)
    codes = [region.code for region in load_regions()]
    assert tables.cluster_regions["region_code"].tolist() == [codes[1], codes[11]]
    assert create_demo_accounts(engine, "demo-password") == [
        "admin",
        "official",
        "manager",
        "analyst",
    ]
    manager = get_user(engine, "manager")
    assert manager is not None and manager.cluster_ids[0].startswith(codes[0].lower())


def test_the_frames_list_every_region_a_cluster_works_in(engine: Engine) -> None:
    commit_upload(engine, SAMPLE.read_bytes(), SAMPLE.name, user="admin")
    frames = load_frames(engine)
    works_in = frames.cluster_regions.astype({"cluster_id": str, "region_code": str})
    assert works_in[
        works_in["cluster_id"].isin(["styria-ai-manufacturing", "budapest-ai"])
    ].sort_values(["cluster_id", "home"], ascending=[True, False]).values.tolist() == [
        ["budapest-ai", "HU11", True],
        ["budapest-ai", "HU22", False],
        ["styria-ai-manufacturing", "AT22", True],
        ["styria-ai-manufacturing", "SI04", False],
    ]
    assert len(works_in) == len(frames.clusters) + 2
    assert (
        frames.regions.set_index("region_code")["adults"].astype(float).to_dict()["SI04"] == 800_000
    )


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sample_network", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_sample_is_what_its_generator_writes() -> None:
    """Its instructions too: a changed field shows in them (run the generator again)."""
    assert sheet_values(_generator().sample_workbook()) == sheet_values(SAMPLE.read_bytes()), (
        "data/sample-network.xlsx is stale: run python tools/sample_network.py"
    )


def test_the_sample_is_a_small_realistic_network_without_progress() -> None:
    """Six regions in four countries, eight clusters (one working in two countries), twenty
    programmes, a target with milestones per region and level, facilities."""
    tables = _generator().sample_tables()
    regions = tables["regions"].set_index("code")
    clusters = tables["clusters"]
    country = {region.code: region.country for region in load_regions()}
    assert (len(regions), len({country[code] for code in regions.index})) == (6, 4)
    assert len(clusters) == 8
    abroad = [
        cluster_id
        for cluster_id, home, also in clusters[["id", "region_code", "also_works_in"]].values
        if isinstance(also, str)
        and any(country[code] != country[home] for code in also.split("; "))
    ]
    assert abroad == ["styria-ai-manufacturing"]
    assert len(tables["programmes"]) == 20
    targets = tables["targets"]
    regional = targets[targets["scope"] == "region"]
    assert sorted(zip(regional["scope_id"], regional["level"], strict=True)) == sorted(
        (code, level) for code in regions.index for level in ("basic", "intermediate", "expert")
    )
    assert targets["milestones"].notna().all()
    assert len(tables["facilities"]) == 8
    assert "Progress" not in sheet_values(SAMPLE.read_bytes())
