"""People trained against the trajectory: the trend of the headline targets, the figure the
reports draw too (:mod:`skills_roadmap.charts.trajectory`) with the finding and its table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard import strings
from dashboard.components.formats import month_cells, percent, points
from dashboard.figures.base import (
    Chart,
    empty_chart,
    empty_message,
    focus_level,
    labelled,
    level_label,
)
from skills_roadmap.charts.trajectory import TrajectoryWords, trajectory_figure, trajectory_table

__all__ = ["trend_chart"]


def _words() -> TrajectoryWords:
    """The chart's words in the current language."""
    return TrajectoryWords(
        levels=strings.LEVEL_LABELS,
        achieved=strings.TREND_ACHIEVED,
        expected=strings.TREND_EXPECTED,
        axis=strings.AXIS_PERCENT_OF_TARGET,
        provisional=strings.TREND_PROVISIONAL,
    )


def trend_chart(
    trend: pd.DataFrame,
    headline: pd.DataFrame,
    selection: str = "",
    clear: str = "",
    provisional_after: str | None = None,
) -> Chart:
    """People trained against the trajectory, month by month, as a percentage of the target.

    Args:
        trend: rows of ``attainment_trend`` for the headline targets.
        headline: the headline targets (``target_id, level, deadline_year``); the targets of a
            level are summed (sum of achieved over sum of targets, never an average of shares).
        selection: words naming the selection, for the empty state.
        clear: the filters to clear, in words, when they are why nothing shows.
        provisional_after: the latest complete month when ``trend`` runs on into provisional
            months: those are drawn dotted and marked in the table, and the title still
            speaks of the complete month.
    """
    targets = headline.dropna(subset=["target_id"])[["target_id", "level", "deadline_year"]]
    if trend.empty or targets.empty:
        return empty_chart(
            empty_message(strings.EMPTY_TARGETS, strings.EMPTY_TARGETS_FILTERED, selection, clear)
        )
    data = trend.merge(targets.astype({"level": str}), on="target_id")
    sums = (
        data.groupby(["level", "period"])[["target", "achieved", "expected"]]
        .sum(min_count=1)
        .reset_index()
    )
    sums = trajectory_table(sums)
    figure = trajectory_figure(sums, _words(), provisional_after)
    later = (
        sums["period"] > provisional_after
        if provisional_after is not None
        else pd.Series(False, index=sums.index)
    )
    columns = ["level", "period", "target", "achieved", "expected", "achieved_pct"]
    table = labelled(
        sums.assign(
            level=sums["level"].map(level_label),
            period=month_cells(sums["period"]),
            provisional=later.map({True: strings.YES, False: ""}),
        ),
        [*columns, "expected_pct", *(["provisional"] if later.any() else [])],
    )
    return Chart(_trend_title(sums[~later], targets), figure, table)


ON_TRAJECTORY = 0.005  # within half a point of the trajectory is on it


def _trend_title(sums: pd.DataFrame, targets: pd.DataFrame) -> str:
    """The finding: one level's position against its trajectory; of several levels, the one
    furthest behind (or, when none is behind, that every level is on or ahead)."""
    reported = sums[sums["achieved"].notna()]
    if reported.empty:
        return strings.TREND_NOTHING_YET
    last = reported.groupby("level", observed=True, sort=False).tail(1).reset_index(drop=True)
    gaps = ((last["achieved"] - last["expected"]) / last["target"]).to_numpy("float64")
    focus = int(np.flatnonzero(last["level"].astype(str) == focus_level(last["level"]))[0])
    if len(last) == 1 or np.isnan(gaps).all():
        return _level_words(strings.TREND_TITLE, last.iloc[focus], gaps[focus], targets)
    behind = int(np.nanargmin(gaps))
    if gaps[behind] < -ON_TRAJECTORY:
        return _level_words(strings.TREND_TITLE_FURTHEST, last.iloc[behind], gaps[behind], targets)
    return _level_words(strings.TREND_TITLE_ALL_ON, last.iloc[focus], gaps[focus], targets)


def _level_words(template: str, row: pd.Series, gap: float, targets: pd.DataFrame) -> str:
    if pd.isna(gap):  # a part of the targets' programmes: no trajectory of its own
        position = strings.TREND_PART
    elif abs(gap) < ON_TRAJECTORY:
        position = strings.TREND_ON
    else:
        words = strings.TREND_AHEAD if gap > 0 else strings.TREND_BEHIND
        position = words.format(points=points(gap))
    level = str(row["level"])
    deadline = int(targets.loc[targets["level"].astype(str) == level, "deadline_year"].min())
    return template.format(
        level=level_label(level),
        attainment=percent(row["achieved"] / row["target"]),
        deadline=deadline,
        position=position,
    )
