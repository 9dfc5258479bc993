"""The quadruple helix: people trained per provider helix and level, clusters per partner role."""

from __future__ import annotations

import math

import pandas as pd

from skills_roadmap.analysis import (
    Filters,
    Frames,
    apply_filters,
    build_frames,
    cluster_helix_roles,
    trained_by_helix,
)


def frames() -> Frames:
    return build_frames(
        regions=pd.DataFrame({"region_code": ["ES24", "RO11"]}),
        clusters=pd.DataFrame(
            {
                "cluster_id": ["ai", "it", "bio"],
                "region_code": ["ES24", "RO11", "RO11"],
                "helix_roles": ["industry,academia", "industry;public", None],
            }
        ),
        programmes=pd.DataFrame(
            {
                "programme_id": ["p1", "p2", "p3", "p4"],
                "cluster_id": ["ai", "ai", "it", "it"],
                "region_code": ["ES24", "ES24", "RO11", "RO11"],
                "level": ["basic", "basic", "basic", "expert"],
                "provider_helix": ["industry", "academia", "academia", "public"],
                "start": "2025-01-01",
                "end": "2025-12-31",
            }
        ),
        progress=pd.DataFrame(
            {
                "programme_id": ["p1", "p1", "p2", "p3"],
                "period": ["2025-02", "2025-03", "2025-03", "2025-03"],
                "enrolled": [10, 10, 20, 20],
                "completed": [2, 4, 6, 12],
            }
        ),
    )


def records(table: pd.DataFrame) -> list[dict[str, object]]:
    return [
        {str(k): None if isinstance(v, float) and math.isnan(v) else v for k, v in row.items()}
        for row in table.to_dict("records")
    ]


def test_people_trained_per_provider_helix_and_level() -> None:
    """Basic: industry 2 + 4 = 6 of 24 completed, academia 6 + 12 = 18; the public sector's
    expert programme has not reported."""
    assert records(trained_by_helix(frames())) == [
        {
            "provider_helix": "industry",
            "level": "basic",
            "programmes": 1,
            "enrolled": 20.0,
            "completed": 6.0,
            "completed_share": 0.25,
        },
        {
            "provider_helix": "academia",
            "level": "basic",
            "programmes": 2,
            "enrolled": 40.0,
            "completed": 18.0,
            "completed_share": 0.75,
        },
        {
            "provider_helix": "public",
            "level": "expert",
            "programmes": 1,
            "enrolled": None,
            "completed": None,
            "completed_share": None,
        },
    ]


def test_people_trained_by_helix_follow_the_selection_and_its_month() -> None:
    selected = apply_filters(frames(), Filters(regions=("ES24",), as_of="2025-02"))
    assert records(trained_by_helix(selected)) == [
        {
            "provider_helix": "industry",
            "level": "basic",
            "programmes": 1,
            "enrolled": 10.0,
            "completed": 2.0,
            "completed_share": 1.0,
        },
        # academia's programme has not reported by 2025-02
        {
            "provider_helix": "academia",
            "level": "basic",
            "programmes": 1,
            "enrolled": None,
            "completed": None,
            "completed_share": None,
        },
    ]


def test_clusters_per_partner_role_count_every_role_a_cluster_names() -> None:
    assert records(cluster_helix_roles(frames())) == [
        {"helix_role": "industry", "clusters": 2, "share": 2 / 3},
        {"helix_role": "academia", "clusters": 1, "share": 1 / 3},
        {"helix_role": "public", "clusters": 1, "share": 1 / 3},
        {"helix_role": "society", "clusters": 0, "share": 0.0},
    ]
    in_romania = apply_filters(frames(), Filters(regions=("RO11",)))
    assert records(cluster_helix_roles(in_romania))[2] == {
        "helix_role": "public",
        "clusters": 1,
        "share": 0.5,
    }
