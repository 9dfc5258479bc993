"""Targets with revisions, made by hand, for the tests of history and of its pages."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from skills_roadmap.storage import session_scope
from skills_roadmap.storage.tables import TargetRevisionRow, TargetRow


def add_revised_targets(engine: Engine) -> tuple[datetime, datetime]:
    """Basic-level targets T-ES24 (region ES24; revised twice) and T-RO11 (region RO11;
    revised once) on the ingestion network; the two days the revisions were made."""
    day = datetime(2025, 1, 2, tzinfo=UTC)
    later = datetime(2025, 2, 3, tzinfo=UTC)
    with session_scope(engine, write=True) as session:
        for target_id in ("T-ES24", "T-RO11"):
            session.add(
                TargetRow(
                    id=target_id,
                    scope="region",
                    scope_id=target_id[2:],
                    level="basic",
                    metric="completed",
                    deadline_year=2027,
                    value=4000,
                    baseline_year=2024,
                )
            )
        session.flush()
        session.add_all(
            [
                TargetRevisionRow(
                    target_id="T-ES24",
                    changed_by="adam",
                    changed_at=day,
                    field="value",
                    old_value="3000",
                    new_value="3500",
                    reason="budget grew",
                ),
                TargetRevisionRow(
                    target_id="T-ES24",
                    changed_by="eva",
                    changed_at=later,
                    field="value",
                    old_value="3500",
                    new_value="4000",
                    reason="second call",
                ),
                TargetRevisionRow(
                    target_id="T-RO11",
                    changed_by="adam",
                    changed_at=day,
                    field="deadline_year",
                    old_value="2026",
                    new_value="2027",
                    reason="late start",
                ),
            ]
        )

    return day, later
