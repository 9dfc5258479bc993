"""A tiny network for the EU frames' tests: three regions in two countries, one of them
without its adults recorded."""

from __future__ import annotations

import pandas as pd

from skills_roadmap.analysis import Frames, build_frames


def frames() -> Frames:
    """Three regions in two countries; CC33's adults are unknown. As of 2025-03."""
    programmes = pd.DataFrame(
        [
            # id, region, level
            ("b1", "AA11", "basic"),
            ("b2", "AA11", "basic"),
            ("b3", "AA12", "basic"),
            ("b4", "CC33", "basic"),
            ("i1", "AA11", "intermediate"),
            ("e1", "AA12", "expert"),
        ],
        columns=["programme_id", "region_code", "level"],
    ).assign(cluster_id="c", start="2025-01-01", end="2025-12-31")
    progress = pd.DataFrame(
        [
            ("b1", "2025-01", 100, 40),
            ("b1", "2025-02", 100, 60),  # AA11 basic: 40 + 60 + 20 = 120
            ("b2", "2025-03", 50, 20),
            ("b3", "2025-02", 90, 90),  # AA12 basic: 90
            ("b4", "2025-03", 10, 5),
            ("i1", "2025-03", 30, 30),  # specialists: 30 + 7 = 37
            ("e1", "2025-01", 10, 7),
        ],
        columns=["programme_id", "period", "enrolled", "completed"],
    )
    regions = pd.DataFrame(
        {
            "region_code": ["AA11", "AA12", "CC33"],
            "name": ["Alpha One", "Alpha Two", "Gamma"],
            "country": ["AA", "AA", "CC"],
            "adults": [1000, 300, None],
        }
    )
    return build_frames(
        regions=regions,
        clusters=pd.DataFrame({"cluster_id": ["c"], "region_code": ["AA11"]}),
        programmes=programmes,
        progress=progress,
    )
