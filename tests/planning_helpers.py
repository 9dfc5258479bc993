"""Small networks whose history gives programme types with figures worked out by hand."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from skills_roadmap.analysis import Frames, build_frames
from skills_roadmap.analysis.periods import month_to_period, period_to_month


@dataclass(frozen=True)
class Past:
    """A finished programme: ``enrolled`` in its start month, ``completed`` ``lag`` months
    later, ``spend`` (``None``: not reported) in its start month.

    Its type then has completion rate completed / enrolled, cost per completer spend /
    completed, and ``lag`` months to half its completions.
    """

    region: str
    level: str
    mode: str
    helix: str
    capacity: float
    enrolled: int
    completed: int
    spend: float | None
    lag: int
    start: str = "2024-01"
    budget: float = 0.0


def same(count: int, past: Past) -> list[Past]:
    """``count`` programmes like ``past`` (a region uses its own figures from 3 on)."""
    return [past] * count


def network_frames(
    history: list[Past],
    targets: list[tuple[str, str, str | None, str, int, float]],
    regions: tuple[str, ...] = ("ES24",),
) -> Frames:
    """Frames of ``history`` and ``targets`` (id, scope, scope id, level, deadline year,
    value; baseline 2026, so nothing of the history counts towards them)."""
    programmes, progress = [], []
    for number, past in enumerate(history):
        programme_id = f"P{number:03d}"
        start = period_to_month(past.start)
        programmes.append(
            {
                "programme_id": programme_id,
                "cluster_id": f"C-{past.region}",
                "region_code": past.region,
                "level": past.level,
                "delivery_mode": past.mode,
                "provider_helix": past.helix,
                "capacity": past.capacity,
                "budget_eur": past.budget,
                "funding_source": "ERDF",
                "start": f"{past.start}-01",
                "end": f"{month_to_period(start + past.lag)}-28",
            }
        )
        progress.append(
            {
                "programme_id": programme_id,
                "period": past.start,
                "enrolled": past.enrolled,
                "completed": past.completed if past.lag == 0 else 0,
                "spend_eur": past.spend,
            }
        )
        if past.lag:
            progress.append(
                {
                    "programme_id": programme_id,
                    "period": month_to_period(start + past.lag),
                    "enrolled": 0,
                    "completed": past.completed,
                    "spend_eur": None if past.spend is None else 0.0,
                }
            )
    return build_frames(
        regions=pd.DataFrame({"region_code": list(regions)}),
        clusters=pd.DataFrame(
            {"cluster_id": [f"C-{code}" for code in regions], "region_code": list(regions)}
        ),
        programmes=pd.DataFrame(programmes),
        progress=pd.DataFrame(progress),
        targets=pd.DataFrame(
            targets,
            columns=["target_id", "scope", "scope_id", "level", "deadline_year", "value"],
        ).assign(baseline_year=2026),
    )
