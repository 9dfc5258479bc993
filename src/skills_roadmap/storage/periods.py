"""Closed reporting months: which months no upload may change, and who closed them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from skills_roadmap import audit
from skills_roadmap.audit import AuditAction
from skills_roadmap.storage.database import session_scope
from skills_roadmap.storage.tables import ClosedPeriodRow


@dataclass(frozen=True)
class ClosedPeriod:
    """A closed month (``YYYY-MM``), who closed it and when."""

    period: str
    closed_by: str
    closed_at: datetime


def reopen_advice(period: str) -> str:
    """That ``period`` is closed and who can reopen it, how: the end of every refusal of a
    change to a closed month."""
    return (
        f"{period} is closed: an administrator can reopen it "
        f"(skills-roadmap periods reopen {period} --reason ...)"
    )


def closed_periods(target: Engine | Session) -> list[ClosedPeriod]:
    """Every closed month, earliest first."""
    query = select(ClosedPeriodRow).order_by(ClosedPeriodRow.period)
    if isinstance(target, Session):
        rows = target.scalars(query).all()
        return [ClosedPeriod(row.period, row.closed_by, row.closed_at) for row in rows]
    with session_scope(target) as session:
        return closed_periods(session)


def close_period(engine: Engine, period: str, user: str) -> bool:
    """Close ``period``; False when it was closed already. Audited."""
    # The write lock: an upload committing meanwhile stores its rows before or after, never
    # into a month half closed.
    with session_scope(engine, write=True) as session:
        if session.get(ClosedPeriodRow, period) is not None:
            return False
        session.add(ClosedPeriodRow(period=period, closed_by=user, closed_at=datetime.now(UTC)))
        audit.record(session, user, AuditAction.PERIOD_CLOSE, period)
        return True


def reopen_period(engine: Engine, period: str, user: str, reason: str) -> bool:
    """Reopen ``period`` for uploads; False when it was not closed. Audited with ``reason``."""
    with session_scope(engine, write=True) as session:
        row = session.get(ClosedPeriodRow, period)
        if row is None:
            return False
        session.delete(row)
        audit.record(session, user, AuditAction.PERIOD_REOPEN, period, {"reason": reason})
        return True
