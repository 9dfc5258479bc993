"""When each target will be reached at the recent run rate, and the run rate it needs."""

from __future__ import annotations

import pandas as pd

from skills_roadmap.analysis.attainment import assessed_targets
from skills_roadmap.analysis.flows import target_flows
from skills_roadmap.analysis.frames import Frames
from skills_roadmap.analysis.pace import PACE_COLUMNS
from skills_roadmap.analysis.thresholds import AnalysisSettings

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
    table = assessed_targets(frames, target_flows(frames, frames.targets), settings)
    return table[[*TARGET_KEYS, *PACE_COLUMNS]]
