"""The recent pace of each target: its run rate, when it will be reached at that rate, and the
rate it needs from now on. The status reads it too, so that no target is "on track" beside a
forecast that it will be missed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from skills_roadmap.analysis.flows import Flows, divide
from skills_roadmap.analysis.periods import december, january, periods_of_months
from skills_roadmap.analysis.thresholds import AnalysisSettings
from skills_roadmap.i18n import N_

REACHED = N_("already reached")
NOT_BEFORE_DEADLINE = N_("not before the deadline")
PACE_COLUMNS = [
    "remaining",
    "run_rate",
    "months_left",
    "required_run_rate",
    "forecast_period",
    "on_time",
    "forecast",
]


def pace(
    table: pd.DataFrame, flows: Flows, month: pd.Series, settings: AnalysisSettings
) -> pd.DataFrame:
    """:data:`PACE_COLUMNS` for each row of ``table`` (``target_id, baseline_year,
    deadline_year, target, achieved``) at its as-of ``month`` (missing: none), on the same
    index.

    Definitions (see :func:`~skills_roadmap.analysis.forecast.forecast`): the run rate is the
    mean monthly flow over the last ``settings.run_rate_months`` months through ``as_of``,
    never before the baseline January; the forecast is the month the remaining people are
    reached at that rate, if no later than December of the deadline year, else "not before the
    deadline"; "already reached" when nothing remains; missing without a recent window.
    """
    window_start = january(table["baseline_year"]).clip(lower=month - settings.run_rate_months + 1)
    window_months = month - window_start + 1
    window_sum = flows.total_since(table["target_id"], window_start, month.to_numpy("float64"))
    run_rate = divide(pd.Series(window_sum, index=table.index), window_months)
    remaining = (table["target"] - table["achieved"]).clip(lower=0)
    deadline_end = december(table["deadline_year"])
    months_left = (deadline_end - month).clip(lower=0)
    reached_month = month + pd.Series(np.ceil(remaining / run_rate), index=table.index)
    on_time = (remaining <= 0) | (reached_month <= deadline_end)
    forecast_period = periods_of_months(reached_month.where(on_time & (remaining > 0)))
    label = (
        pd.Series(NOT_BEFORE_DEADLINE, index=table.index, dtype=object)
        .mask(on_time, forecast_period)
        .mask(run_rate.isna(), None)
        .mask(remaining <= 0, REACHED)
    )
    return pd.DataFrame(
        {
            "remaining": remaining,
            "run_rate": run_rate,
            "months_left": months_left,
            "required_run_rate": divide(remaining, months_left).where(remaining > 0, 0.0),
            "forecast_period": forecast_period,
            "on_time": on_time,
            "forecast": label,
        },
        index=table.index,
    )
