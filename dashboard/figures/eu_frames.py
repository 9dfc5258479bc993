"""The roadmap against the EU frames: the basic level's share of each region's adults, the
specialist levels toward the 20 million ICT specialists, and the sums per country."""

from __future__ import annotations

import pandas as pd

from dashboard import strings
from dashboard.components.formats import percent
from dashboard.figures.base import (
    MAX_BARS,
    Chart,
    axis_titles,
    empty_chart,
    labelled,
    level_label,
)
from skills_roadmap import palette
from skills_roadmap.charts.style import new_figure
from skills_roadmap.domain import TrainingLevel
from skills_roadmap.reference.eu_frames import BASIC_SKILLS_SHARE, FrameKey, frame_levels
from skills_roadmap.reports.safety import chart_text

__all__ = ["countries_chart", "reach_chart", "specialists_chart"]

_REACH_COLUMNS = ["region_code", "name", "country", "adults", "reached"]


def _share(value: float) -> str:
    """A share as a percentage, with a decimal while it is small (0.3%, not 0%)."""
    return f"{value:.1%}" if value < 0.1 else percent(value)


def _with_percentages(reach: pd.DataFrame) -> pd.DataFrame:
    # Two decimals: a network's share of a region's adults is often below 1 %.
    return reach.assign(
        share_of_adults_pct=(reach["share_of_adults"] * 100).round(2),
        share_of_goal_pct=(reach["share_of_goal"] * 100).round(2),
    )


def reach_chart(reach: pd.DataFrame) -> Chart:
    """The basic level's people as a share of each region's adults, against the 80 % goal.

    Args:
        reach: :func:`~skills_roadmap.analysis.eu_reach.adult_reach` of the selection.
    """
    if reach.empty:
        return empty_chart(strings.EMPTY_REGIONS)
    data = _with_percentages(reach)
    table = labelled(
        data.sort_values("share_of_adults", ascending=False, na_position="last", kind="stable"),
        [*_REACH_COLUMNS, "share_of_adults_pct", "share_of_goal_pct"],
    )
    known = data.dropna(subset=["share_of_adults"])
    reached = f"{data['reached'].sum():,.0f}"
    if known.empty:
        figure = new_figure()
        return Chart(strings.EU_REACH_NO_ADULTS.format(reached=reached), figure, table)
    shown = known.sort_values("share_of_adults", ascending=False, kind="stable").head(MAX_BARS)
    figure = new_figure()
    figure.add_bar(
        x=shown["name"].astype(str).map(chart_text),
        y=shown["share_of_adults"] * 100,
        name=strings.COLUMNS["share_of_adults_pct"],
        marker_color=palette.LEVEL_COLOURS[TrainingLevel.BASIC.value],
        hovertemplate="%{x}: %{y:.2f}%<extra></extra>",
    )
    axis_titles(figure, y_title=strings.COLUMNS["share_of_adults_pct"])
    figure.update_yaxes(ticksuffix="%", rangemode="tozero")
    adults, people = known["adults"].sum(), known["reached"].sum()
    regions = (
        str(known["name"].iloc[0])
        if len(known) == 1
        else strings.EU_REGIONS.format(count=len(known))
    )
    title = strings.EU_REACH_TITLE.format(
        reached=reached,
        share=_share(people / adults),
        regions=regions,
        goal=_share(people / adults / BASIC_SKILLS_SHARE),
    )
    return Chart(title, figure, table)


def specialists_chart(by_level: pd.Series, share_of_goal: float) -> Chart:
    """People trained at the specialist levels, toward the 20 million ICT specialists.

    Args:
        by_level: people completed per level (index: level values) at the levels the
            Digital Decade counts as ICT specialists.
        share_of_goal: their sum as a share of the 20 million.
    """
    levels = [level.value for level in frame_levels(FrameKey.ICT_SPECIALISTS)]
    counts = by_level.reindex(levels, fill_value=0.0)
    figure = new_figure()
    figure.add_bar(
        x=[level_label(level) for level in levels],
        y=counts.to_numpy(),
        marker_color=[palette.LEVEL_COLOURS[level] for level in levels],
        hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
    )
    axis_titles(figure, y_title=strings.COLUMNS["reached"])
    table = labelled(
        pd.DataFrame({"level": [level_label(level) for level in levels], "reached": counts}),
        ["level", "reached"],
    )
    title = strings.EU_SPECIALISTS_TITLE.format(
        reached=f"{counts.sum():,.0f}", share=f"{share_of_goal:.4%}"
    )
    return Chart(title, figure, table)


def countries_chart(countries: pd.DataFrame) -> Chart:
    """:func:`~skills_roadmap.analysis.eu_reach.country_reach` as a table-only card."""
    if countries.empty:
        return Chart(strings.EU_COUNTRIES_NONE, None, pd.DataFrame(), empty=True)
    data = _with_percentages(countries)
    table = labelled(
        data.sort_values("share_of_goal", ascending=False, kind="stable"),
        ["country", "adults", "reached", "share_of_adults_pct", "share_of_goal_pct"],
    )
    return Chart(strings.EU_COUNTRIES_TITLE, None, table)
