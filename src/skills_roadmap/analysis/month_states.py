"""Where each reporting month stands: its completeness and state, and each cluster's part in
it (programmes due and reported, and its submission and approval).

A month is **closed** (an administrator closed it), **complete** (shown by default or before:
see :mod:`~skills_roadmap.analysis.complete_months`), **provisional** (after the month shown
by default) or **incomplete** (too few reported, yet not after the month shown). Per cluster,
a month is due when a programme of the cluster runs that month; with ``month_approval`` each
cluster due submits it, and it is approved or returned.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

import numpy as np
import pandas as pd

from skills_roadmap.analysis.frames import Frames
from skills_roadmap.analysis.periods import month_to_period, period_to_month
from skills_roadmap.storage.submissions import Submission

__all__ = ["NOT_SUBMITTED", "MonthState", "cluster_months", "clusters_due", "month_table"]

NOT_SUBMITTED = "not_submitted"  # a cluster due that month whose manager has not submitted it


class MonthState(StrEnum):
    """Where a month stands for the whole network."""

    CLOSED = "closed"
    COMPLETE = "complete"
    PROVISIONAL = "provisional"
    INCOMPLETE = "incomplete"


def month_table(frames: Frames) -> pd.DataFrame:
    """Every month from the first reported through the latest, newest first: ``period``,
    ``due``, ``reported``, ``completeness`` (their share) and ``state`` (a
    :class:`MonthState` value).

    >>> from skills_roadmap.analysis.frames import build_frames
    >>> frames = build_frames(
    ...     regions=pd.DataFrame({"region_code": ["ES24"]}),
    ...     clusters=pd.DataFrame({"cluster_id": ["c"], "region_code": ["ES24"]}),
    ...     programmes=pd.DataFrame({"programme_id": ["a", "b"], "cluster_id": "c",
    ...         "region_code": "ES24", "level": "basic", "start": "2024-01-01",
    ...         "end": "2024-12-31"}),
    ...     progress=pd.DataFrame({"programme_id": ["a", "b", "a"],
    ...         "period": ["2024-01", "2024-01", "2024-02"], "enrolled": 1, "completed": 0}),
    ... )
    >>> month_table(frames)[["period", "reported", "due", "state"]].values.tolist()
    [['2024-02', 1, 2, 'provisional'], ['2024-01', 2, 2, 'complete']]
    """
    reports = frames.month_reports
    months = reports.months
    closed = np.isin(months, np.asarray(frames.closed_months, np.int64))
    shown = frames.default_as_of
    later = months > shown if shown is not None else np.zeros(len(months), bool)
    share = reports.share
    state = np.where(
        closed,
        MonthState.CLOSED.value,
        np.where(
            later,
            MonthState.PROVISIONAL.value,
            np.where(
                share >= frames.complete_month_share,
                MonthState.COMPLETE.value,
                MonthState.INCOMPLETE.value,
            ),
        ),
    )
    table = pd.DataFrame(
        {
            "period": [month_to_period(int(month)) for month in months],
            "due": reports.due.astype(int),
            "reported": reports.reported.astype(int),
            "completeness": share.astype(float),
            "state": state.astype(str),
        }
    )
    return table.iloc[::-1].reset_index(drop=True)


def _running(frames: Frames, month: int) -> pd.DataFrame:
    programmes = frames.programmes
    return programmes[(programmes["start_month"] <= month) & (programmes["end_month"] >= month)]


def clusters_due(frames: Frames, period: str) -> list[str]:
    """The clusters due to report ``period``: those with a programme running that month."""
    running = _running(frames, period_to_month(period))
    return sorted(set(running["cluster_id"].astype(str)))


def cluster_months(
    frames: Frames,
    periods: Iterable[str],
    submissions: Sequence[Submission],
    clusters: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Per month of ``periods`` and cluster due that month (of ``clusters`` only, if given):
    its programmes due and reported, and where its submission stands.

    Returns:
        ``period, cluster_id, cluster, due, reported, state`` (a
        :class:`~skills_roadmap.domain.SubmissionState` value, or
        :data:`NOT_SUBMITTED`), ``submitted_by, submitted_at, changed_by, changed_at,
        comment``; newest month first, then by cluster name.
    """
    kept = None if clusters is None else set(clusters)
    clusters_frame = frames.clusters
    names = dict(
        zip(
            clusters_frame["cluster_id"].astype(str),
            clusters_frame["name"].astype(str),
            strict=True,
        )
    )
    stored = {(item.period, item.cluster_id): item for item in submissions}
    progress = frames.progress
    codes = progress["programme_id"].cat.codes.to_numpy()
    rows = []
    for period in sorted(set(periods), reverse=True):
        month = period_to_month(period)
        reported = np.zeros(len(progress["programme_id"].cat.categories) + 1, bool)
        reported[codes[progress["month"].to_numpy() == month]] = True
        running = _running(frames, month)
        done = reported[running["programme_id"].cat.codes.to_numpy()]
        counts = (
            pd.DataFrame({"cluster_id": running["cluster_id"].astype(str), "reported": done})
            .groupby("cluster_id")["reported"]
            .agg(["size", "sum"])
        )
        for cluster_id, (due, count) in counts.iterrows():
            if kept is not None and cluster_id not in kept:
                continue
            item = stored.get((period, str(cluster_id)))
            rows.append(
                {
                    "period": period,
                    "cluster_id": str(cluster_id),
                    "cluster": names.get(str(cluster_id), str(cluster_id)),
                    "due": int(due),
                    "reported": int(count),
                    "state": NOT_SUBMITTED if item is None else item.state.value,
                    "submitted_by": None if item is None else item.submitted_by,
                    "submitted_at": None if item is None else item.submitted_at,
                    "changed_by": None if item is None else item.changed_by,
                    "changed_at": None if item is None else item.changed_at,
                    "comment": None if item is None else item.comment,
                }
            )
    columns = [
        "period",
        "cluster_id",
        "cluster",
        "due",
        "reported",
        "state",
        "submitted_by",
        "submitted_at",
        "changed_by",
        "changed_at",
        "comment",
    ]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(
        ["period", "cluster"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
