"""Ambition gap: whether the regions' targets of a level add up to the network's."""

from __future__ import annotations

import pandas as pd

from skills_roadmap.analysis import ambition_gap, build_frames


def test_regional_targets_are_compared_with_the_network_target() -> None:
    targets = pd.DataFrame(
        [
            # id, scope, scope id, level, deadline, value
            ("n-basic", "network", None, "basic", 2027, 10_000),
            ("es-basic", "region", "ES24", "basic", 2027, 6_000),
            ("ro-basic", "region", "RO11", "basic", 2027, 5_000),
            ("n-expert", "network", None, "expert", 2027, 1_000),
            ("es-expert", "region", "ES24", "expert", 2027, 400),
            ("n-int", "network", None, "intermediate", 2027, 500),  # no region has one
            ("es-int", "region", "ES24", "intermediate", 2030, 300),  # no network target
            ("n-basic-30", "network", None, "basic", 2030, 700),
            ("ro-basic-30", "region", "RO11", "basic", 2030, 700),
            ("cluster", "cluster", "ai", "basic", 2027, 99),  # clusters do not count
        ],
        columns=["target_id", "scope", "scope_id", "level", "deadline_year", "value"],
    ).assign(baseline_year=2024)
    frames = build_frames(
        regions=pd.DataFrame({"region_code": ["ES24", "RO11"]}),
        clusters=pd.DataFrame({"cluster_id": ["ai"], "region_code": ["ES24"]}),
        programmes=pd.DataFrame(
            columns=["programme_id", "cluster_id", "region_code", "level", "start", "end"]
        ),
        targets=targets,
    )
    table = ambition_gap(frames).astype({"level": str})
    columns = ["level", "deadline_year", "network_target", "regional_total", "regions"]
    assert table[[*columns, "difference", "verdict"]].fillna(-1).values.tolist() == [
        ["basic", 2027, 10_000.0, 11_000.0, 2, 1_000.0, "surplus"],
        ["basic", 2030, 700.0, 700.0, 1, 0.0, "balanced"],
        ["intermediate", 2027, 500.0, 0.0, 0, -500.0, "shortfall"],
        ["intermediate", 2030, -1, 300.0, 1, -1, "no network target"],
        ["expert", 2027, 1_000.0, 400.0, 1, -600.0, "shortfall"],
    ]
