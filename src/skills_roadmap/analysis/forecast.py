"""When each target will be reached at the recent run rate, and the run rate it needs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from skills_roadmap.analysis.attainment import attainment_table
from skills_roadmap.analysis.flows import divide, target_flows
from skills_roadmap.analysis.frames import Frames
from skills_roadmap.analysis.periods import december, january, periods_of_months
from skills_roadmap.analysis.thresholds import AnalysisSettings

REACHED = "already reached"
NOT_BEFORE_DEADLINE = "not before the deadline"
TARGET_KEYS = [
    "target_id",
    "scope",
    "scope_id",
    "level",
    "metric",
    "deadline_year",
    "target",
    "achieved",
]


def forecast(frames: Frames, settings: AnalysisSettings | None = None) -> pd.DataFrame:
    """Per target: the month it will be reached at the recent run rate, or "not before the
    deadline", and the run rate needed from now on to meet it.

    Definitions:
        run_rate: the target's metric over its programmes, averaged per month over the last
            ``settings.run_rate_months`` months through the as-of month (months without
            reports count as zero; the window never starts before the baseline January).
        remaining: target - achieved (achieved as in
            :func:`~skills_roadmap.analysis.attainment.attainment`), at least 0.
        forecast_period: the as-of month plus ceil(remaining / run_rate) months, when that
            is no later than December of the deadline year; otherwise missing.
        months_left: months after the as-of month through December of the deadline year.
        required_run_rate: remaining / months_left; missing once the deadline has passed
            with people still to train.

    Returns:
        Columns ``target_id, scope, scope_id, level, metric, deadline_year, target, achieved,
        remaining, run_rate, months_left, required_run_rate, forecast_period, on_time,
        forecast`` (``forecast`` is the period, "already reached" or "not before the
        deadline").
    """
    settings = settings or AnalysisSettings()
    # One pass over the progress serves both the achieved values and the run rates.
    flows = target_flows(frames, frames.targets)
    table = attainment_table(frames, flows, settings)
    as_of = float("nan") if frames.as_of is None else float(frames.as_of)
    window_start = january(table["baseline_year"]).clip(lower=as_of - settings.run_rate_months + 1)
    window_months = as_of - window_start + 1
    window_sum = flows.since(table["target_id"], window_start).sum(axis=1)
    run_rate = divide(pd.Series(window_sum, index=table.index), window_months)
    remaining = (table["target"] - table["achieved"]).clip(lower=0)
    deadline_end = december(table["deadline_year"])
    months_left = (deadline_end - as_of).clip(lower=0)
    reached_month = as_of + pd.Series(np.ceil(remaining / run_rate), index=table.index)
    on_time = (remaining <= 0) | (reached_month <= deadline_end)
    forecast_period = periods_of_months(reached_month.where(on_time & (remaining > 0)))
    label = (
        pd.Series(NOT_BEFORE_DEADLINE, index=table.index, dtype=object)
        .mask(on_time, forecast_period)
        .mask(run_rate.isna(), None)
        .mask(remaining <= 0, REACHED)
    )
    return table[TARGET_KEYS].assign(
        remaining=remaining,
        run_rate=run_rate,
        months_left=months_left,
        required_run_rate=divide(remaining, months_left).where(remaining > 0, 0.0),
        forecast_period=forecast_period,
        on_time=on_time,
        forecast=label,
    )
