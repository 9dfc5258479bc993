"""A small network for ingestion tests: two regions, two clusters, a few programmes, a manager."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, select

from skills_roadmap.storage import session_scope
from skills_roadmap.storage.tables import (
    ClusterRow,
    ProgrammeRow,
    ProgressRow,
    RegionRow,
    UserClusterRow,
    UserRow,
)

TODAY = date(2025, 6, 15)
HEADERS = [
    "Programme ID",
    "Period",
    "Enrolled",
    "Completed",
    "Certified",
    "Dropped out",
    "Women",
    "Spend EUR",
    "Notes",
]
PROGRESS_COLUMNS = [
    "programme_id",
    "period",
    "enrolled",
    "completed",
    "certified",
    "dropped_out",
    "women",
    "spend_eur",
    "notes",
]


def programme(
    programme_id: str,
    cluster_id: str = "aragon-ai",
    *,
    start: date = date(2024, 1, 1),
    end: date = date(2026, 12, 31),
    capacity: int = 500,
    budget_eur: float = 100_000.0,
    level: str = "basic",
) -> ProgrammeRow:
    """A programme row with plausible defaults."""
    region = "ES24" if cluster_id == "aragon-ai" else "RO11"
    return ProgrammeRow(
        id=programme_id,
        name=f"Programme {programme_id}",
        cluster_id=cluster_id,
        region_code=region,
        level=level,
        provider="Provider",
        provider_helix="academia",
        delivery_mode="online",
        start=start,
        end=end,
        capacity=capacity,
        budget_eur=budget_eur,
        funding_source="ESF+",
    )


def add_network(engine: Engine, *programmes: ProgrammeRow) -> None:
    """Regions ES24 and RO11, clusters aragon-ai and cluj-it, a manager of aragon-ai, and
    the given programmes (default: ARA-1, ARA-2 in aragon-ai and CLJ-1 in cluj-it)."""
    programmes = programmes or (
        programme("ARA-1"),
        programme("ARA-2", capacity=100, budget_eur=10_000.0),
        programme("CLJ-1", "cluj-it"),
    )
    with session_scope(engine, write=True) as session:
        session.add_all(
            [
                RegionRow(code="ES24", name="Aragón", country="ES", lat=41.6, lon=-0.9),
                RegionRow(code="RO11", name="Nord-Vest", country="RO", lat=46.8, lon=23.6),
            ]
        )
        session.flush()
        session.add_all(
            [
                ClusterRow(
                    id="aragon-ai", name="Aragón AI", region_code="ES24", helix_roles="industry"
                ),
                ClusterRow(
                    id="cluj-it", name="Cluj IT", region_code="RO11", helix_roles="industry"
                ),
            ]
        )
        session.flush()
        session.add_all(programmes)
        session.add(UserRow(name="maria", role="manager", created_at=datetime.now(UTC)))
        session.flush()
        session.add(UserClusterRow(user_name="maria", cluster_id="aragon-ai"))


def stored_progress(engine: Engine) -> list[dict[str, Any]]:
    """Every stored progress row as a dict of the contract's columns, sorted by key."""
    with session_scope(engine) as session:
        rows = session.scalars(
            select(ProgressRow).order_by(ProgressRow.programme_id, ProgressRow.period)
        ).all()
        return [{name: getattr(row, name) for name in PROGRESS_COLUMNS} for row in rows]


def many_errors_csv() -> bytes:
    """30 progress rows with two errors each (a word for Enrolled, a negative Completed),
    then one valid row with a warning (more completed than enrolled)."""
    lines = [",".join(HEADERS)]
    for programme_id in ("ARA-1", "ARA-2"):
        for month in range(15):
            lines.append(f"{programme_id},{2024 + month // 12}-{month % 12 + 1:02d},x,-1,,,,,")
    lines.append("CLJ-1,2025-01,1,2,,,,,")
    return ("\n".join(lines) + "\n").encode()
