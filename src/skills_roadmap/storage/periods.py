"""Closed reporting months: which months no upload may change, and who closed them."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from skills_roadmap import audit
from skills_roadmap.audit import AuditAction
from skills_roadmap.domain import SubmissionState
from skills_roadmap.exceptions import SkillsRoadmapError
from skills_roadmap.i18n.words import _
from skills_roadmap.storage.database import session_scope
from skills_roadmap.storage.tables import ClosedPeriodRow, PeriodSubmissionRow


@dataclass(frozen=True)
class ClosedPeriod:
    """A closed month (``YYYY-MM``), who closed it and when."""

    period: str
    closed_by: str
    closed_at: datetime


def reopen_advice(period: str) -> str:
    """That ``period`` is closed and who can reopen it, how: the end of every refusal of a
    change to a closed month. In the current language, as every refusal a user reads."""
    return _(
        "{period} is closed: an administrator can reopen it "
        "(skills-roadmap periods reopen {period} --reason ...)",
        period=period,
    )


def closed_periods(target: Engine | Session) -> list[ClosedPeriod]:
    """Every closed month, earliest first."""
    query = select(ClosedPeriodRow).order_by(ClosedPeriodRow.period)
    if isinstance(target, Session):
        rows = target.scalars(query).all()
        return [ClosedPeriod(row.period, row.closed_by, row.closed_at) for row in rows]
    with session_scope(target) as session:
        return closed_periods(session)


class MonthNotApprovedError(SkillsRoadmapError):
    """A month cannot be closed while a cluster due that month has not had it approved."""


def close_period(
    engine: Engine, period: str, user: str, *, approvals_of: Collection[str] = ()
) -> bool:
    """Close ``period``; False when it was closed already. Audited.

    ``approvals_of``: the clusters whose month must be approved first (with
    ``month_approval``, every cluster due to report it), checked in the same transaction as
    the close, so a month returned meanwhile is never closed.

    Raises:
        MonthNotApprovedError: a cluster of ``approvals_of`` has not had ``period`` approved.
    """
    # The write lock: an upload committing meanwhile stores its rows before or after, never
    # into a month half closed.
    with session_scope(engine, write=True) as session:
        if session.get(ClosedPeriodRow, period) is not None:
            return False
        approved = set(
            session.scalars(
                select(PeriodSubmissionRow.cluster_id).where(
                    PeriodSubmissionRow.period == period,
                    PeriodSubmissionRow.state == SubmissionState.APPROVED.value,
                )
            )
        )
        missing = sorted(set(approvals_of) - approved)
        if missing:
            raise MonthNotApprovedError(
                _(
                    "{period} cannot be closed before every cluster due has it approved; "
                    "not approved yet: {clusters} (skills-roadmap periods status {period})",
                    period=period,
                    clusters=", ".join(missing),
                )
            )
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
