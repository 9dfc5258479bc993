"""Reporting completeness: programmes late with their monthly report."""

from __future__ import annotations

import pandas as pd

from dashboard import strings
from dashboard.components.formats import month_cells, month_words, quantity
from dashboard.figures.base import (
    MAX_BARS,
    Chart,
    axis_titles,
    empty_chart,
    empty_message,
    labelled,
    level_label,
    message_figure,
    short,
)
from skills_roadmap import palette
from skills_roadmap.charts.style import new_figure
from skills_roadmap.i18n.constants import plural
from skills_roadmap.reports.safety import chart_text

__all__ = ["completeness_chart"]


def completeness_chart(
    table: pd.DataFrame, expected: str | None, selection: str = "", clear: str = ""
) -> Chart:
    """Programmes that have not reported the expected month, by how many months they are late."""
    if table.empty or expected is None:
        return empty_chart(
            empty_message(strings.EMPTY_DUE, strings.EMPTY_DUE_FILTERED, selection, clear)
        )
    late = table[table["late"]]
    if late.empty:
        title = plural(strings.COMPLETENESS_ALL, len(table)).format(
            count=len(table), period=month_words(expected)
        )
        figure = message_figure(title)
    else:
        title = strings.COMPLETENESS_TITLE.format(
            late=len(late),
            count=len(table),
            period=month_words(expected),
            months=quantity(int(late["months_late"].max()), "month"),
        )
        shown = late.head(MAX_BARS).iloc[::-1]
        figure = new_figure()
        figure.add_bar(
            y=shown["name"].map(short).map(chart_text),  # cut first: never half an entity
            x=shown["months_late"],
            orientation="h",
            marker_color=palette.STATUS_COLOURS["off_track"],
            name=strings.COLUMNS["months_late"],
            customdata=shown["programme_id"].astype(str),
            hovertemplate="%{y}: %{x} <extra></extra>",
        )
        axis_titles(figure, x_title=strings.AXIS_MONTHS_LATE)
        figure.update_xaxes(dtick=1, rangemode="tozero")
    out = labelled(
        late.assign(
            level=late["level"].map(level_label),
            id=late["programme_id"].astype(str),
            due_period=month_cells(late["due_period"]),
            last_period=month_cells(late["last_period"]),
        ),
        ["name", "id", "cluster_id", "level", "due_period", "last_period", "months_late"],
    )
    return Chart(title, figure, out, empty=late.empty)  # all reported: nothing to list
