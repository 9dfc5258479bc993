"""The HTML and PDF report's charts: pure functions from report tables to Plotly figures.

Figures have a fixed size that fits the printable width of an A4 page, so the PDF shows
them whole. Names shown in a chart are HTML-escaped: Plotly renders a subset of HTML in
labels and must only ever see text. They are drawn in the dashboard's house style and
palette; the trajectory is the dashboard's trend figure (:mod:`skills_roadmap.charts`).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from skills_roadmap import palette
from skills_roadmap.charts import trajectory
from skills_roadmap.charts.style import new_figure
from skills_roadmap.choice_words import LEVEL_LABELS
from skills_roadmap.i18n import gettext
from skills_roadmap.reports.safety import chart_text
from skills_roadmap.reports.summary import level_words

WIDTH = 680  # px: A4's printable width at 96 dpi with the report's margins
HEIGHT = 340
BAR_HEIGHT = 22  # px per bar of a horizontal bar chart
MAX_BARS = 25
FONT = {"family": "Helvetica, Arial, sans-serif", "size": 12}  # the printed report's font


def trajectory_words() -> trajectory.TrajectoryWords:
    """The trajectory chart's words in the current language."""
    return trajectory.TrajectoryWords(
        levels={level: gettext(name) for level, name in LEVEL_LABELS.items()},
        achieved=gettext("{level}: achieved"),
        expected=gettext("{level}: trajectory"),
        axis=gettext("Percent of the target"),
    )


def _layout(figure: go.Figure, title: str, height: int = HEIGHT) -> go.Figure:
    figure.update_layout(
        title={"text": chart_text(title), "x": 0, "xanchor": "left"},
        width=WIDTH,
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        font=FONT,
        # Below the plot, its top under the axis (the house style puts legends above).
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.15, "yanchor": "top"},
    )
    figure.update_yaxes(automargin=True)
    figure.update_xaxes(automargin=True)
    return figure


def levels_figure(levels: pd.DataFrame) -> go.Figure:
    """Attainment and where the trajectory says it should be by now, as % of each level's
    target (the Summary table's levels that have a target): in people, the basic level's
    thousands would flatten the specialist levels' hundreds to nothing."""
    levels = levels[levels["targets"] > 0]
    labels = [
        chart_text(f"{level_words(level)} ({int(year)})")
        for level, year in zip(levels["level"], levels["deadline_year"], strict=True)
    ]
    figure = new_figure()
    for key, name, colour in (
        ("attainment", gettext("Achieved"), palette.LEVEL_COLOURS["intermediate"]),
        ("expected_attainment", gettext("Expected by now"), palette.TRAJECTORY),
    ):
        figure.add_bar(
            x=labels,
            y=levels[key] * 100,
            name=name,
            marker_color=colour,
            hovertemplate="%{x}: %{y:.1f}%<extra>" + name + "</extra>",
        )
    figure.add_hline(y=100, line_dash="dot", line_color=palette.GREY)
    figure.update_yaxes(ticksuffix="%", title=gettext("Percent of the target"), rangemode="tozero")
    return _layout(figure, gettext("Attainment of the target per level"))


def trajectory_figure(trend: pd.DataFrame) -> go.Figure:
    """Achieved against the trajectory as % of the target, month by month, per level: the
    dashboard's trend figure, sized for the page."""
    figure = trajectory.trajectory_figure(trajectory.trajectory_table(trend), trajectory_words())
    return _layout(figure, gettext("Achieved against the trajectory"), height=HEIGHT + 40)


def regions_figure(regions: pd.DataFrame) -> go.Figure:
    """Attainment per region and level, lowest first; at most ``MAX_BARS`` regions."""
    columns = [f"{level}_attainment" for level in palette.LEVEL_COLOURS]
    shown = regions.assign(_lowest=regions[columns].min(axis=1)).nsmallest(MAX_BARS, "_lowest")
    figure = new_figure()
    for level, colour in palette.LEVEL_COLOURS.items():
        key = f"{level}_attainment"
        if shown[key].notna().any():
            figure.add_bar(
                y=[chart_text(name) for name in shown["name"]],
                x=shown[key],
                name=level_words(level),
                orientation="h",
                marker_color=colour,
                hovertemplate="%{y}: %{x:.0%}<extra>" + level_words(level) + "</extra>",
            )
    figure.update_xaxes(tickformat=".0%", title=gettext("attainment of the target"))
    figure.update_yaxes(autorange="reversed")
    title = gettext("Attainment per region and level")
    if len(regions) > len(shown):
        title += gettext(" (the {shown} lowest of {total})").format(
            shown=len(shown), total=len(regions)
        )
    return _layout(figure, title, height=max(HEIGHT, 120 + BAR_HEIGHT * len(shown) * 2))


def capacity_figure(table: pd.DataFrame, noun: str) -> go.Figure:
    """Enrolment against the capacity expected by now, for the clusters or programmes
    furthest behind; at most ``MAX_BARS``."""
    shown = table[table["capacity_use"].notna()].nsmallest(MAX_BARS, "capacity_use")
    figure = new_figure()
    figure.add_bar(
        y=[chart_text(name) for name in shown["name"]],
        x=shown["capacity_use"],
        orientation="h",
        marker_color=palette.LEVEL_COLOURS["intermediate"],
        hovertemplate="%{y}: %{x:.0%}<extra></extra>",
    )
    figure.add_vline(x=1, line_dash="dot", line_color=palette.TRAJECTORY)
    figure.update_xaxes(tickformat=".0%", title=gettext("enrolled ÷ expected by now"))
    figure.update_yaxes(autorange="reversed")
    title = (
        gettext("Clusters furthest behind their expected enrolment")
        if noun == "cluster"
        else gettext("Programmes furthest behind their expected enrolment")
    )
    return _layout(figure, title, height=max(HEIGHT, 120 + BAR_HEIGHT * len(shown)))
