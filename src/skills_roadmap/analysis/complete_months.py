"""Complete and provisional months: which month a selection shows when no month is picked.

A month is **complete** once the share of the programmes due to report it (running that
month) that have reported it reaches ``complete_month_share``, or once an administrator
closed it (a closed month is final, however many reported it). The dashboard, the reports, the
command line and the API show, by default, the latest complete month; later months are
**provisional**: shown apart, and only when picked, so that one programme that reports early
moves no status, run rate or "late" list of the whole network.

Plain arrays in, plain arrays out: :func:`~skills_roadmap.analysis.frames.build_frames` calls
this, so it cannot read :class:`~skills_roadmap.analysis.frames.Frames` itself.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from skills_roadmap.settings import Settings

DEFAULT_SHARE: float = Settings.model_fields["complete_month_share"].default


@dataclass(frozen=True)
class MonthCompleteness:
    """Per month from ``first`` on: programmes due (running that month) and those of them
    that reported it."""

    first: int
    due: np.ndarray
    reported: np.ndarray

    @property
    def months(self) -> np.ndarray:
        return self.first + np.arange(len(self.due))

    @property
    def share(self) -> np.ndarray:
        """Reported / due (1 for a month nobody is due: nothing is missing)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.due > 0, self.reported / self.due, 1.0)

    def at(self, month: int) -> tuple[int, int, float]:
        """Reported, due and their share in ``month``."""
        row = month - self.first
        if not 0 <= row < len(self.due):
            return 0, 0, 1.0
        return int(self.reported[row]), int(self.due[row]), float(self.share[row])


def month_completeness(
    programmes: pd.DataFrame, progress: pd.DataFrame, through: int | None
) -> MonthCompleteness:
    """Per month from the first reported through ``through``: how many of ``programmes``
    (with ``programme_id``, ``start_month``, ``end_month``) were due and reported it."""
    months = progress["month"].to_numpy(np.int64)
    if through is None or not len(months):
        return MonthCompleteness(0, np.zeros(0, np.int64), np.zeros(0, np.int64))
    first = int(months.min())
    span = max(through - first + 1, 0)
    reported = _reported(programmes, progress["programme_id"], months, first, span)
    return MonthCompleteness(first, _due(programmes, first, span), reported)


def with_new_reports(
    completeness: MonthCompleteness,
    programmes: pd.DataFrame,
    programme_ids: pd.Series,
    months: np.ndarray,
    through: int,
) -> MonthCompleteness:
    """``completeness`` after reports of (programme, month) pairs not reported before, through
    ``through``: what :func:`month_completeness` of all the rows gives, from the new rows
    alone (a snapshot merging an upload's rows need not pass over millions of rows again)."""
    months = np.asarray(months, np.int64)
    if not len(completeness.due):
        first = int(months.min()) if len(months) else through
    else:
        first = min(completeness.first, int(months.min())) if len(months) else completeness.first
    span = max(through - first + 1, 0)
    reported = _reported(programmes, programme_ids, months, first, span)
    offset = completeness.first - first
    kept = min(len(completeness.reported), span - offset)
    reported[offset : offset + kept] += completeness.reported[:kept]
    return MonthCompleteness(first, _due(programmes, first, span), reported)


def _due(programmes: pd.DataFrame, first: int, span: int) -> np.ndarray:
    """Programmes due per month from ``first``: +1 from the start month, -1 after the end."""
    start = programmes["start_month"].to_numpy("float64")
    end = programmes["end_month"].to_numpy("float64")
    steps = np.zeros(span + 1, np.int64)
    known = ~np.isnan(start) & ~np.isnan(end)
    np.add.at(steps, np.clip(start[known] - first, 0, span).astype(np.int64), 1)
    np.add.at(steps, np.clip(end[known] - first + 1, 0, span).astype(np.int64), -1)
    return np.cumsum(steps)[:span]


def _reported(
    programmes: pd.DataFrame, programme_ids: pd.Series, months: np.ndarray, first: int, span: int
) -> np.ndarray:
    """Reports of a programme due that month, per month from ``first`` (a programme reports
    a month at most once); ``programme_ids`` categorical, one per report."""
    start = programmes["start_month"].to_numpy("float64")
    end = programmes["end_month"].to_numpy("float64")
    ids = pd.Series(programme_ids)
    position = np.full(len(ids.cat.categories) + 1, -1, np.int64)
    position[programmes["programme_id"].cat.codes.to_numpy()] = np.arange(len(programmes))
    rows = position[ids.cat.codes.to_numpy()]
    counted = (rows >= 0) & (months >= first) & (months < first + span)
    rows, when = rows[counted], months[counted]
    running = (start[rows] <= when) & (when <= end[rows])
    return np.bincount(when[running] - first, minlength=span)[:span].astype(np.int64)


def complete_month(
    completeness: MonthCompleteness, share: float, closed: Collection[int] = ()
) -> int | None:
    """The latest month that is ``closed`` or whose share reaches ``share``; the latest month
    of all when none is (a network that has only begun reporting: its months are all
    provisional). A closed month after the latest reported one is not shown: it holds nothing.
    """
    if not len(completeness.due):
        return None
    done = completeness.share >= share
    rows = np.asarray(sorted(closed), np.int64) - completeness.first
    done[rows[(rows >= 0) & (rows < len(done))]] = True
    complete = np.flatnonzero(done)
    last = complete[-1] if len(complete) else len(completeness.due) - 1
    return completeness.first + int(last)
