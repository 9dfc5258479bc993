"""Submission and approval of each cluster's month: its manager submits it, an official or
administrator approves it or returns it with a comment, and it may be submitted again.

Only the latest state of each (month, cluster) is kept here; every change, with who made it
and the comment of a return, is in the audit log, written in the same transaction. A closed
month takes no change: it must be reopened first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from skills_roadmap import audit
from skills_roadmap.audit import AuditAction
from skills_roadmap.domain import SubmissionState
from skills_roadmap.exceptions import NotFoundError, SkillsRoadmapError
from skills_roadmap.i18n.words import N_, _
from skills_roadmap.storage.database import as_utc, session_scope
from skills_roadmap.storage.periods import reopen_advice
from skills_roadmap.storage.tables import ClosedPeriodRow, ClusterRow, PeriodSubmissionRow

# Where a cluster's month stands, the start of a refusal: one whole message per state.
NOT_SUBMITTED = N_("{period} of {cluster} has not been submitted by its manager")
STATE_BY = {
    SubmissionState.SUBMITTED: N_("{period} of {cluster} is submitted (by {user})"),
    SubmissionState.APPROVED: N_("{period} of {cluster} is approved (by {user})"),
    SubmissionState.RETURNED: N_("{period} of {cluster} is returned (by {user})"),
}

__all__ = [
    "Submission",
    "SubmissionError",
    "approve_period",
    "return_period",
    "submissions",
    "submit_period",
]


class SubmissionError(SkillsRoadmapError):
    """A cluster's month cannot be submitted, approved or returned in the state it is in."""


@dataclass(frozen=True)
class Submission:
    """One cluster's month: its state, who submitted it and when, who set the state and when,
    and the comment of a return."""

    period: str
    cluster_id: str
    state: SubmissionState
    submitted_by: str
    submitted_at: datetime
    changed_by: str
    changed_at: datetime
    comment: str | None

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready values, times in ISO 8601."""
        return {
            "period": self.period,
            "cluster_id": self.cluster_id,
            "state": self.state.value,
            "submitted_by": self.submitted_by,
            "submitted_at": self.submitted_at.isoformat(),
            "changed_by": self.changed_by,
            "changed_at": self.changed_at.isoformat(),
            "comment": self.comment,
        }


def _submission(row: PeriodSubmissionRow) -> Submission:
    return Submission(
        period=row.period,
        cluster_id=row.cluster_id,
        state=SubmissionState(row.state),
        submitted_by=row.submitted_by,
        submitted_at=as_utc(row.submitted_at),
        changed_by=row.changed_by,
        changed_at=as_utc(row.changed_at),
        comment=row.comment,
    )


def submissions(target: Engine | Session, period: str | None = None) -> list[Submission]:
    """Every cluster's month in the workflow (of ``period`` only, if given), by month and
    cluster."""
    query = select(PeriodSubmissionRow).order_by(
        PeriodSubmissionRow.period, PeriodSubmissionRow.cluster_id
    )
    if period is not None:
        query = query.where(PeriodSubmissionRow.period == period)
    if isinstance(target, Session):
        return [_submission(row) for row in target.scalars(query)]
    with session_scope(target) as session:
        return submissions(session, period)


def _open_row(session: Session, period: str, cluster_id: str) -> PeriodSubmissionRow | None:
    """The stored row of ``cluster_id``'s ``period``, after checking the cluster exists and
    the month is not closed."""
    if session.get(ClusterRow, cluster_id) is None:
        raise NotFoundError(
            _(
                "no cluster {cluster!r}: export --format network lists the clusters stored",
                cluster=cluster_id,
            )
        )
    if session.get(ClosedPeriodRow, period) is not None:
        raise SubmissionError(reopen_advice(period))
    return session.get(PeriodSubmissionRow, (period, cluster_id))


def _describe(row: PeriodSubmissionRow | None, period: str, cluster_id: str) -> str:
    """What state ``cluster_id``'s ``period`` is in, as the start of a refusal, in the current
    language."""
    if row is None:
        return _(NOT_SUBMITTED, period=period, cluster=cluster_id)
    message = STATE_BY[SubmissionState(row.state)]
    return _(message, period=period, cluster=cluster_id, user=row.changed_by)


def submit_period(engine: Engine, period: str, cluster_id: str, user: str) -> Submission:
    """``user`` (a manager of the cluster: the caller checks) submits ``cluster_id``'s
    ``period`` as complete: for the first time, or again after it was returned. Audited.

    Raises:
        SubmissionError: the month is closed, or submitted or approved already.
        NotFoundError: no such cluster.
    """
    now = datetime.now(UTC)
    with session_scope(engine, write=True) as session:
        row = _open_row(session, period, cluster_id)
        if row is not None and row.state != SubmissionState.RETURNED:
            raise SubmissionError(
                _(
                    "{state}: it can be submitted again only once an official returns it",
                    state=_describe(row, period, cluster_id),
                )
            )
        if row is None:
            row = PeriodSubmissionRow(period=period, cluster_id=cluster_id)
            session.add(row)
        row.state = SubmissionState.SUBMITTED.value
        row.submitted_by = row.changed_by = user
        row.submitted_at = row.changed_at = now
        row.comment = None
        audit.record(session, user, AuditAction.PERIOD_SUBMIT, f"{period} {cluster_id}")
        session.flush()
        return _submission(row)


def approve_period(engine: Engine, period: str, cluster_id: str, user: str) -> Submission:
    """``user`` (an official or administrator: the caller checks) approves a submitted
    month of a cluster. Audited.

    Raises:
        SubmissionError: the month is closed, or not waiting for approval.
        NotFoundError: no such cluster.
    """
    with session_scope(engine, write=True) as session:
        row = _open_row(session, period, cluster_id)
        if row is None or row.state != SubmissionState.SUBMITTED:
            raise SubmissionError(
                _(
                    "{state}: only a submitted month can be approved",
                    state=_describe(row, period, cluster_id),
                )
            )
        row.state = SubmissionState.APPROVED.value
        row.changed_by = user
        row.changed_at = datetime.now(UTC)
        row.comment = None
        audit.record(session, user, AuditAction.PERIOD_APPROVE, f"{period} {cluster_id}")
        session.flush()
        return _submission(row)


def return_period(
    engine: Engine, period: str, cluster_id: str, user: str, comment: str
) -> Submission:
    """``user`` (an official or administrator: the caller checks) returns a submitted or
    approved month of a cluster to its manager, saying why in ``comment``. Audited with the
    comment.

    Raises:
        SubmissionError: no comment, the month is closed, or not submitted or approved.
        NotFoundError: no such cluster.
    """
    comment = comment.strip()
    if not comment:
        raise SubmissionError(
            _(
                "a comment is needed to return a month: say what {cluster} must fix "
                '(--comment "...")',
                cluster=cluster_id,
            )
        )
    with session_scope(engine, write=True) as session:
        row = _open_row(session, period, cluster_id)
        if row is None or row.state == SubmissionState.RETURNED:
            raise SubmissionError(
                _(
                    "{state}: only a submitted or approved month can be returned",
                    state=_describe(row, period, cluster_id),
                )
            )
        row.state = SubmissionState.RETURNED.value
        row.changed_by = user
        row.changed_at = datetime.now(UTC)
        row.comment = comment
        audit.record(
            session, user, AuditAction.PERIOD_RETURN, f"{period} {cluster_id}", {"comment": comment}
        )
        session.flush()
        return _submission(row)
