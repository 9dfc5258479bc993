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
