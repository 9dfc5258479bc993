"""What the database holds: counts for `skills-roadmap status`, and whether it holds data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from skills_roadmap.domain import TrainingLevel
from skills_roadmap.storage.bulk import table_of
from skills_roadmap.storage.database import require_initialised, session_scope
from skills_roadmap.storage.tables import (
    ClusterRow,
    ProgrammeRow,
    ProgressRow,
    RegionRow,
    TargetRow,
)


@dataclass(frozen=True)
class LevelTotals:
    """People counted at one training level over the whole network, all months."""

    level: str
    programmes: int
    enrolled: int
    completed: int
    certified: int


@dataclass(frozen=True)
class DatabaseStatus:
    """Counts of what is stored, the latest reported month and per-level network totals."""

    database: str
    regions: int
    clusters: int
    programmes: int
    targets: int
    progress_rows: int
    latest_period: str | None
    levels: tuple[LevelTotals, ...]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def database_status(engine: Engine) -> DatabaseStatus:
    """Count the stored entities with a handful of aggregate queries (fast on EU scale)."""
    require_initialised(engine)
    with session_scope(engine) as session:

        def count(column: object) -> int:
            return int(session.scalar(select(func.count(column))) or 0)  # type: ignore[arg-type]

        per_level = {
            row.level: row
            for row in session.execute(
                select(
                    ProgrammeRow.level,
                    func.count(func.distinct(ProgrammeRow.id)).label("programmes"),
                    func.coalesce(func.sum(ProgressRow.enrolled), 0).label("enrolled"),
                    func.coalesce(func.sum(ProgressRow.completed), 0).label("completed"),
                    func.coalesce(func.sum(ProgressRow.certified), 0).label("certified"),
                )
                .outerjoin(ProgressRow, ProgressRow.programme_id == ProgrammeRow.id)
                .group_by(ProgrammeRow.level)
            )
        }
        fields = ("programmes", "enrolled", "completed", "certified")
        levels = tuple(
            LevelTotals(
                level.value,
                *(int(getattr(per_level[level], f)) if level in per_level else 0 for f in fields),
            )
            for level in TrainingLevel
        )
        return DatabaseStatus(
            database=engine.url.render_as_string(hide_password=True),
            regions=count(RegionRow.code),
            clusters=count(ClusterRow.id),
            programmes=count(ProgrammeRow.id),
            targets=count(TargetRow.id),
            progress_rows=count(ProgressRow.programme_id),
            latest_period=session.scalar(select(func.max(ProgressRow.period))),
            levels=levels,
        )


def holds_data(engine: Engine) -> bool:
    """Whether any region has been stored (the demo and imports start from regions)."""
    require_initialised(engine)
    with session_scope(engine) as session:
        return session.scalar(select(RegionRow.code).limit(1)) is not None


def first_table_with_rows(session: Session, table_names: Iterable[str]) -> str | None:
    """The first of ``table_names`` that holds a row, or None when they are all empty."""
    for name in table_names:
        if session.execute(select(1).select_from(table_of(name)).limit(1)).first() is not None:
            return name
    return None
