"""Inclusion: the share of women among participants per level, against the goal."""

from __future__ import annotations

import pandas as pd

from dashboard import strings
from dashboard.components.formats import as_percent, percent, points
from dashboard.figures.base import (
    Chart,
    axis_titles,
    empty_chart,
    empty_message,
    labelled,
    level_label,
    level_order,
)
from skills_roadmap import palette
from skills_roadmap.charts.style import new_figure

__all__ = ["inclusion_chart"]


def inclusion_chart(table: pd.DataFrame, selection: str = "", clear: str = "") -> Chart:
    """The share of women among participants per level, against the goal."""
    reported = table.dropna(subset=["women_share"]) if not table.empty else table
    if reported.empty:
        return empty_chart(
            empty_message(strings.EMPTY_WOMEN, strings.EMPTY_WOMEN_FILTERED, selection, clear)
        )
    data = level_order(reported)
    data = data.assign(
        women_pct=data["women_share"].map(as_percent),
        reported_pct=data["reported_share"].map(as_percent),
        goal_pct=data["goal"].map(as_percent),
    )
    labels = data["level"].map(level_label)
    goal = float(data["goal"].iloc[0])
    figure = new_figure()
    figure.add_bar(
        x=labels,
        y=data["women_pct"],
        name=strings.COLUMNS["women_pct"],
        marker_color=palette.LEVEL_COLOURS["expert"],
        text=data["women_pct"].map(lambda value: f"{value:.0f}%"),
        textposition="outside",
        hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
    )
    # The goal spans the whole plot, past the first and last bars (a line through the bars'
    # centres would stop half a bar short); its legend entry is a dashed line of its own.
    figure.add_hline(y=goal * 100, line={"color": palette.TRAJECTORY, "dash": "dash", "width": 2})
    figure.add_scatter(
        x=[None],
        y=[None],
        name=strings.INCLUSION_GOAL.format(goal=percent(goal)),
        mode="lines",
        line={"color": palette.TRAJECTORY, "dash": "dash", "width": 2},
        hoverinfo="skip",
    )
    axis_titles(figure, y_title=strings.AXIS_WOMEN_SHARE)
    figure.update_yaxes(ticksuffix="%", range=[0, 100])
    out = labelled(
        data.assign(level=labels),
        ["level", "enrolled", "women", "women_pct", "reported_pct", "goal_pct"],
    )
    share = data["women"].sum() / data["enrolled_reporting_women"].sum()
    gap = share - goal
    if abs(gap) < 0.005:
        position = strings.INCLUSION_AT_GOAL
    else:
        template = strings.INCLUSION_ABOVE if gap > 0 else strings.INCLUSION_BELOW
        position = template.format(points=points(gap))
    title = strings.INCLUSION_TITLE.format(
        share=percent(share), position=position, goal=percent(goal)
    )
    return Chart(title, figure, out)
