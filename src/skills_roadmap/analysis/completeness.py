"""Reporting completeness: which programmes have not reported the latest expected month."""

from __future__ import annotations

import numpy as np
import pandas as pd

from skills_roadmap.analysis.frames import Frames
from skills_roadmap.analysis.periods import period_to_month, periods_of_months


def last_reported_months(progress: pd.DataFrame, through: int) -> np.ndarray:
    """The latest month through ``through`` that each programme reported, indexed by the
    programme's category code (NaN for a programme without such a report; the extra last
    slot answers code -1, a missing programme).

    ``np.fmax.at`` keeps the running maximum per code in one pass over the progress rows,
    without the grouping and sorting a groupby does.
    """
    months = progress["month"].to_numpy()
    counted = months <= through
    codes = progress["programme_id"].cat.codes.to_numpy()[counted]
    last = np.full(len(progress["programme_id"].cat.categories) + 1, np.nan)
    np.fmax.at(last, codes, months[counted].astype("float64"))
    return last


def reporting_completeness(frames: Frames, expected: str | None = None) -> pd.DataFrame:
    """Every programme due to report by the expected month, the latest month it reported, and
    how many months it is late.

    Definitions:
        expected month: ``expected`` ('YYYY-MM'), by default the as-of month (the latest month
            anyone reported).
        due month: the expected month, or the programme's last month if it ended earlier.
            A programme that starts after the expected month is not due and not listed.
        months_late: due month - last reported month; with no report at all, the months from
            its start through the due month. late: months_late > 0.

    Returns:
        ``programme_id, name, region_code, cluster_id, level, due_period, last_period,
        months_late, late``, latest first, then by programme.
    """
    month = frames.as_of if expected is None else period_to_month(expected)
    programmes = frames.programmes
    if month is None:  # nobody has reported yet and no month was asked for: nobody is due
        programmes, month = programmes.iloc[:0], 0
    programmes = programmes[programmes["start_month"] <= month]
    last = last_reported_months(frames.progress, month)
    codes = programmes["programme_id"].cat.codes.to_numpy()
    last_month = pd.Series(last[codes], index=programmes.index)
    due = programmes["end_month"].clip(upper=month)
    never = programmes["start_month"] - 1
    months_late = (due - last_month.fillna(never)).clip(lower=0).astype(np.int64)
    table = programmes[["programme_id", "name", "region_code", "cluster_id", "level"]].assign(
        due_period=periods_of_months(due),
        last_period=periods_of_months(last_month),
        months_late=months_late,
        late=months_late > 0,
    )
    return table.sort_values(
        ["months_late", "programme_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def late_for(frames: Frames, period: str) -> pd.DataFrame:
    """The programmes due to report ``period`` (running that month) that have not: who is late
    for one month, with the latest month each did report.

    Returns:
        ``programme_id, name, cluster_id, region_code, level, last_period``, by cluster and
        programme.
    """
    month = period_to_month(period)
    programmes = frames.programmes
    running = programmes[(programmes["start_month"] <= month) & (programmes["end_month"] >= month)]
    progress = frames.progress
    reported = np.zeros(len(progress["programme_id"].cat.categories) + 1, dtype=bool)
    reported[
        progress["programme_id"].cat.codes.to_numpy()[progress["month"].to_numpy() == month]
    ] = True
    codes = running["programme_id"].cat.codes.to_numpy()
    late = running[~reported[codes]]
    last = last_reported_months(progress, month)[late["programme_id"].cat.codes.to_numpy()]
    table = late[["programme_id", "name", "cluster_id", "region_code", "level"]].assign(
        last_period=periods_of_months(pd.Series(last, index=late.index))
    )
    return (
        table.astype({"programme_id": str, "cluster_id": str, "region_code": str})
        .sort_values(["cluster_id", "programme_id"], kind="stable")
        .reset_index(drop=True)
    )
