"""Complete and provisional months: which month a selection shows when no month is picked.

A month is **complete** once the share of the programmes due to report it (running that
month) that have reported it reaches ``complete_month_share``. The dashboard, the reports, the
command line and the API show, by default, the latest complete month; later months are
**provisional**: shown apart, and only when picked, so that one programme that reports early
moves no status, run rate or "late" list of the whole network.

Plain arrays in, plain arrays out: :func:`~skills_roadmap.analysis.frames.build_frames` calls
this, so it cannot read :class:`~skills_roadmap.analysis.frames.Frames` itself.
"""

from __future__ import annotations

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
    start = programmes["start_month"].to_numpy("float64")
    end = programmes["end_month"].to_numpy("float64")
    # Programmes due per month: +1 from the start month, -1 after the end month.
    steps = np.zeros(span + 1, np.int64)
    known = ~np.isnan(start) & ~np.isnan(end)
    opens = np.clip(start[known] - first, 0, span).astype(np.int64)
    closes = np.clip(end[known] - first + 1, 0, span).astype(np.int64)
    np.add.at(steps, opens, 1)
    np.add.at(steps, closes, -1)
    due = np.cumsum(steps)[:span]
    # Reports of a due programme, per month (a programme reports a month at most once).
    position = np.full(len(progress["programme_id"].cat.categories) + 1, -1, np.int64)
    position[programmes["programme_id"].cat.codes.to_numpy()] = np.arange(len(programmes))
    rows = position[progress["programme_id"].cat.codes.to_numpy()]
    counted = (rows >= 0) & (months <= through)
    rows, when = rows[counted], months[counted]
    running = (start[rows] <= when) & (when <= end[rows])
    reported = np.bincount(when[running] - first, minlength=span)[:span]
    return MonthCompleteness(first, due, reported)


def complete_month(completeness: MonthCompleteness, share: float) -> int | None:
    """The latest month whose share reaches ``share``; the latest month of all when none
    does (a network that has only begun reporting: its months are all provisional)."""
    if not len(completeness.due):
        return None
    complete = np.flatnonzero(completeness.share >= share)
    last = complete[-1] if len(complete) else len(completeness.due) - 1
    return completeness.first + int(last)
