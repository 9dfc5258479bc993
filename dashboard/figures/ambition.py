"""The ambition gap: the network's target per level against the sum of the regions'."""

from __future__ import annotations

import pandas as pd

from dashboard import strings
from dashboard.components.formats import people
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

__all__ = ["ambition_chart"]


def ambition_chart(table: pd.DataFrame) -> Chart:
    """The network's target per level against the sum of the regions' targets."""
    if table.empty:
        return empty_chart(empty_message(strings.EMPTY_TARGETS, strings.EMPTY_TARGETS_FILTERED, ""))
    data = level_order(table)
    several = data.duplicated("level", keep=False)
    data = data.assign(
        label=[
            f"{level_label(level)} {year}" if again else level_label(level)
            for level, year, again in zip(
                data["level"], data["deadline_year"], several, strict=True
            )
        ],
        verdict_text=data["verdict"].map(strings.AMBITION_VERDICTS),
    )
    figure = new_figure()
    figure.add_bar(
        x=data["label"],
        y=data["network_target"],
        name=strings.AMBITION_NETWORK,
        marker_color=palette.LEVEL_COLOURS["intermediate"],
        hovertemplate="%{y:,.0f}<extra></extra>",
    )
    figure.add_bar(
        x=data["label"],
        y=data["regional_total"],
        name=strings.AMBITION_REGIONS,
        marker_color=palette.LEVEL_COLOURS["basic"],
        marker_pattern_shape="/",
        hovertemplate="%{y:,.0f}<extra></extra>",
    )
    axis_titles(figure, y_title=strings.AXIS_PEOPLE)
    figure.update_layout(barmode="group")
    out = labelled(
        data.assign(level=data["level"].map(level_label), verdict=data["verdict_text"]),
        [
            "level",
            "deadline_year",
            "network_target",
            "regional_total",
            "regions",
            "difference",
            "verdict",
        ],
    )
    return Chart(_ambition_title(data), figure, out)


def _ambition_title(data: pd.DataFrame) -> str:
    compared = data[data["network_target"].notna()]
    if compared.empty:
        return strings.AMBITION_NO_NETWORK
    unbalanced = compared[compared["verdict"] != "balanced"]
    if unbalanced.empty:
        return strings.AMBITION_BALANCED
    largest = unbalanced["difference"].abs().sort_values(ascending=False, kind="stable")
    worst = unbalanced.loc[largest.index[0]]
    template = strings.AMBITION_SHORT if worst["difference"] < 0 else strings.AMBITION_OVER
    return template.format(
        level=level_label(worst["level"]),
        amount=people(abs(worst["difference"])),
        deadline=int(worst["deadline_year"]),
    )
