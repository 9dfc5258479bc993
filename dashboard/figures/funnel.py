"""The funnel: enrolled, completed, certified and dropped out per level."""

from __future__ import annotations

import pandas as pd

from dashboard import strings
from dashboard.components.formats import as_percent, percent
from dashboard.figures.base import (
    Chart,
    axis_titles,
    empty_chart,
    empty_message,
    focus_level,
    labelled,
    level_label,
    level_order,
)
from skills_roadmap import palette
from skills_roadmap.charts.style import new_figure

__all__ = ["funnel_chart"]


def funnel_chart(table: pd.DataFrame, selection: str = "", clear: str = "") -> Chart:
    """Enrolled → completed → certified, and dropped out, per level."""
    if table.empty:
        return empty_chart(
            empty_message(strings.EMPTY_PROGRESS, strings.EMPTY_PROGRESS_FILTERED, selection, clear)
        )
    data = level_order(table)
    data = data.assign(
        completion_pct=data["completion_rate"].map(as_percent),
        certification_pct=data["certification_rate"].map(as_percent),
        dropout_pct=data["dropout_rate"].map(as_percent),
    )
    labels = data["level"].map(level_label)
    figure = new_figure()
    for stage in ("enrolled", "completed", "certified", "dropped_out"):
        figure.add_bar(
            x=labels,
            y=data[stage],
            name=strings.COLUMNS[stage],
            marker_color=palette.STAGE_COLOURS[stage],
            marker_pattern_shape="/" if stage == "dropped_out" else "",
            hovertemplate="%{x}: %{y:,.0f}<extra>" + strings.COLUMNS[stage] + "</extra>",
        )
    axis_titles(figure, y_title=strings.AXIS_PEOPLE)
    figure.update_layout(barmode="group")
    out = labelled(
        data.assign(level=labels),
        [
            "level",
            "enrolled",
            "completed",
            "certified",
            "dropped_out",
            "completion_pct",
            "certification_pct",
            "dropout_pct",
        ],
    )
    row = data[data["level"].astype(str) == focus_level(data["level"])].iloc[0]
    title = strings.FUNNEL_TITLE.format(
        level=level_label(row["level"]),
        completed=percent(row["completion_rate"]),
        dropped=percent(row["dropout_rate"]),
    )
    return Chart(title, figure, out)
