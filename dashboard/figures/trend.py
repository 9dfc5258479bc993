"""People trained against the trajectory: the trend of the headline targets, the figure the
reports draw too (:mod:`skills_roadmap.charts.trajectory`) with the finding and its table."""

from __future__ import annotations

import pandas as pd

from dashboard import strings
from dashboard.components.formats import percent, points
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

_WORDS = TrajectoryWords(
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
    figure = trajectory_figure(sums, _WORDS, provisional_after)
    later = (
        sums["period"] > provisional_after
        if provisional_after is not None
        else pd.Series(False, index=sums.index)
    )
    columns = ["level", "period", "target", "achieved", "expected", "achieved_pct"]
    table = labelled(
        sums.assign(
            level=sums["level"].map(level_label),
            provisional=later.map({True: strings.YES, False: ""}),
        ),
        [*columns, "expected_pct", *(["provisional"] if later.any() else [])],
    )
    return Chart(_trend_title(sums[~later], targets), figure, table)


def _trend_title(sums: pd.DataFrame, targets: pd.DataFrame) -> str:
    level = focus_level(sums["level"])
    reported = sums[(sums["level"] == level) & sums["achieved"].notna()]
    if reported.empty:
        return strings.TREND_NOTHING_YET
    last = reported.iloc[-1]
    gap = (last["achieved"] - last["expected"]) / last["target"]
    if pd.isna(gap):  # a part of the targets' programmes: no trajectory of its own
        position = strings.TREND_PART
    elif abs(gap) < 0.005:
        position = strings.TREND_ON
    else:
        template = strings.TREND_AHEAD if gap > 0 else strings.TREND_BEHIND
        position = template.format(points=points(gap))
    deadline = int(targets.loc[targets["level"].astype(str) == level, "deadline_year"].min())
    return strings.TREND_TITLE.format(
        level=level_label(level),
        attainment=percent(last["achieved"] / last["target"]),
        deadline=deadline,
        position=position,
    )
