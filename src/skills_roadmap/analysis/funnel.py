"""The training funnel: enrolled → completed → certified, and how many drop out."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from skills_roadmap.analysis.flows import divide, group_sums, progress_with
from skills_roadmap.analysis.frames import Frames

_COUNTS = ["enrolled", "completed", "certified", "dropped_out"]


def funnel(frames: Frames, by: Sequence[str] = ("level",)) -> pd.DataFrame:
    """Enrolled, completed, certified and dropped out per group, with the rates between them.

    Definitions (sums over every reported month through the as-of month):
        completion_rate: completed / enrolled.
        certification_rate: certified / completed, both over the months that reported
            certified (a blank certified count is "not reported", not zero).
        dropout_rate: dropped_out / enrolled, both over the months that reported drop-outs.

    Args:
        frames: the (filtered) frames.
        by: programme columns (``region_code``, ``cluster_id``, ``programme_id``, ``level``,
            ``funding_source``, …) and/or ``year`` / ``month``; empty for one total row.

    Returns:
        ``by`` columns, then ``enrolled, completed, certified, dropped_out, completion_rate,
        certification_rate, dropout_rate``; one row per group that has progress.
    """
    data = progress_with(frames, by, _COUNTS)
    data = data.assign(
        completed_with_certified=data["completed"].where(data["certified"].notna()),
        enrolled_with_dropped_out=data["enrolled"].where(data["dropped_out"].notna()),
    )
    sums = group_sums(data, by, [*_COUNTS, "completed_with_certified", "enrolled_with_dropped_out"])
    rates = sums.assign(
        completion_rate=divide(sums["completed"], sums["enrolled"]),
        certification_rate=divide(sums["certified"], sums["completed_with_certified"]),
        dropout_rate=divide(sums["dropped_out"], sums["enrolled_with_dropped_out"]),
    )
    return rates.drop(columns=["completed_with_certified", "enrolled_with_dropped_out"])
