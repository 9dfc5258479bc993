"""The region × cluster matrix: people trained and contribution to the region's target, per
region, cluster working there and level, computed by hand on a tiny network."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest

from skills_roadmap.analysis import Filters, Frames, attainment, build_frames
from skills_roadmap.analysis.matrix import MATRIX_COLUMNS, region_cluster_matrix
from skills_roadmap.exceptions import NotFoundError


def frames() -> Frames:
    """Cluster ``ai`` is based in ES24 and also works in RO11; ``it`` is based in RO11."""
    return build_frames(
        regions=pd.DataFrame(
            {"region_code": ["ES24", "RO11", "SE11"], "name": ["Aragón", "Nord-Vest", "Stockholm"]}
        ),
        clusters=pd.DataFrame(
            {"cluster_id": ["ai", "it"], "region_code": ["ES24", "RO11"], "name": ["AI", "IT"]}
        ),
        cluster_regions=pd.DataFrame({"cluster_id": ["ai"], "region_code": ["RO11"]}),
        programmes=pd.DataFrame(
            {
                "programme_id": ["p1", "p2", "p3", "p4"],
                "cluster_id": ["ai", "ai", "it", "it"],
                "region_code": ["ES24", "RO11", "RO11", "RO11"],
                "level": ["basic", "basic", "basic", "expert"],
                "funding_source": ["ERDF", "ERDF", "ESF+", "ERDF"],
                "start": ["2024-01-01"] * 4,
                "end": ["2026-12-31"] * 4,
            }
        ),
        targets=pd.DataFrame(
            {
                "target_id": ["es-basic", "ro-basic"],
                "scope": ["region", "region"],
                "scope_id": ["ES24", "RO11"],
                "level": ["basic", "basic"],
                "metric": ["enrolled", "completed"],
                "deadline_year": [2027, 2027],
                "value": [50, 100],
                "baseline_year": [2024, 2025],
                "baseline_value": [0, 10],
            }
        ),
        progress=pd.DataFrame(
            {
                "programme_id": ["p1", "p1", "p2", "p2", "p3", "p4"],
                "period": ["2024-12", "2025-02", "2024-11", "2025-03", "2025-04", "2025-05"],
                "enrolled": [10, 4, 9, 8, 30, 3],
                "completed": [5, 3, 7, 6, 20, 2],
            }
        ),
    )


def rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The table's rows with NaN as None, so whole structures compare."""
    return [
        {
            str(key): None if isinstance(value, float) and math.isnan(value) else value
            for key, value in row.items()
        }
        for row in table.to_dict("records")
    ]


def cell(
    region: str,
    region_name: str,
    cluster: str,
    cluster_name: str,
    home: str,
    level: str,
    programmes: int,
    completed: float | None,
    target: tuple[str, str, float] | None = None,
    counted: float | None = None,
) -> dict[str, Any]:
    target_id, metric, value = target or (None, None, None)
    return {
        "region_code": region,
        "region_name": region_name,
        "cluster_id": cluster,
        "cluster_name": cluster_name,
        "home_region": home,
        "home_region_name": {"ES24": "Aragón", "RO11": "Nord-Vest"}[home],
        "based_here": home == region,
        "level": level,
        "programmes": programmes,
        "completed": completed,
        "target_id": target_id,
        "metric": metric,
        "target": value,
        "counted": counted,
        "attainment": None if counted is None or value is None else counted / value,
    }


ES_BASIC = ("es-basic", "enrolled", 50.0)
RO_BASIC = ("ro-basic", "completed", 100.0)


def test_every_cluster_working_in_a_region_has_a_row_per_level_with_its_contribution() -> None:
    """ES24's basic target counts enrolments since 2024 (10 + 4); RO11's counts completions
    since 2025, so the completions ``ai`` reported in 2024-11 are trained but not counted."""
    table = region_cluster_matrix(frames(), Filters(levels=("basic", "expert")))
    assert list(table.columns) == MATRIX_COLUMNS
    assert rows(table) == [
        cell("ES24", "Aragón", "ai", "AI", "ES24", "basic", 1, 8.0, ES_BASIC, 14.0),
        cell("ES24", "Aragón", "ai", "AI", "ES24", "expert", 0, None),
        # the cluster based in the region comes first
        cell("RO11", "Nord-Vest", "it", "IT", "RO11", "basic", 1, 20.0, RO_BASIC, 20.0),
        cell("RO11", "Nord-Vest", "it", "IT", "RO11", "expert", 1, 2.0),
        cell("RO11", "Nord-Vest", "ai", "AI", "ES24", "basic", 1, 13.0, RO_BASIC, 6.0),
        cell("RO11", "Nord-Vest", "ai", "AI", "ES24", "expert", 0, None),
    ]


def test_the_clusters_of_a_region_add_up_to_its_attainment_without_the_baseline() -> None:
    whole = attainment(frames()).set_index("target_id")
    table = region_cluster_matrix(frames(), Filters(regions=("RO11",), levels=("basic",)))
    ro = whole.loc["ro-basic"]
    assert table["attainment"].sum() == pytest.approx(
        (ro["achieved"] - ro["baseline_value"]) / ro["target"]
    )


def test_a_region_filter_keeps_that_regions_clusters_and_a_cluster_filter_its_regions() -> None:
    by_region = region_cluster_matrix(frames(), Filters(regions=("RO11",), levels=("basic",)))
    assert list(zip(by_region["region_code"], by_region["cluster_id"], strict=True)) == [
        ("RO11", "it"),
        ("RO11", "ai"),
    ]
    by_cluster = region_cluster_matrix(frames(), Filters(clusters=("ai",), levels=("basic",)))
    assert rows(by_cluster) == [
        cell("ES24", "Aragón", "ai", "AI", "ES24", "basic", 1, 8.0, ES_BASIC, 14.0),
        cell("RO11", "Nord-Vest", "ai", "AI", "ES24", "basic", 1, 13.0, RO_BASIC, 6.0),
    ]


def test_narrowing_filters_count_only_their_programmes_and_the_month_only_what_was_reported() -> (
    None
):
    erdf = region_cluster_matrix(
        frames(), Filters(regions=("RO11",), levels=("basic",), funding_sources=("ERDF",))
    )
    assert rows(erdf) == [
        # ``it`` works in RO11 but none of its basic programmes there is funded by the ERDF
        cell("RO11", "Nord-Vest", "it", "IT", "RO11", "basic", 0, None, RO_BASIC),
        cell("RO11", "Nord-Vest", "ai", "AI", "ES24", "basic", 1, 13.0, RO_BASIC, 6.0),
    ]
    earlier = region_cluster_matrix(
        frames(), Filters(regions=("RO11",), levels=("basic",), as_of="2025-03")
    )
    assert rows(earlier) == [
        cell("RO11", "Nord-Vest", "it", "IT", "RO11", "basic", 1, None, RO_BASIC),
        cell("RO11", "Nord-Vest", "ai", "AI", "ES24", "basic", 1, 13.0, RO_BASIC, 6.0),
    ]


def test_a_region_without_clusters_has_no_rows_and_an_unknown_region_is_refused() -> None:
    assert rows(region_cluster_matrix(frames(), Filters(regions=("SE11",)))) == []
    with pytest.raises(NotFoundError):
        region_cluster_matrix(frames(), Filters(regions=("XX99",)))
