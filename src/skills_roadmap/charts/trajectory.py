"""People trained against the trajectory, month by month, as a percentage of the target.

The dashboard's trend chart and the report's trajectory chart are this one figure, so both
plot the same numbers the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from skills_roadmap import palette
from skills_roadmap.charts.style import new_figure
from skills_roadmap.domain import TrainingLevel

__all__ = ["TrajectoryWords", "trajectory_figure", "trajectory_table"]

_RANK = {level.value: level.rank for level in TrainingLevel}


@dataclass(frozen=True)
class TrajectoryWords:
    """The words of the figure, from its caller (the dashboard's are translatable)."""

    levels: Mapping[str, str]
    """Each level's name, e.g. ``{"basic": "Basic", …}``."""
    achieved: str
    """A level's achieved line, with a ``{level}`` field, e.g. "{level}: achieved"."""
    expected: str
    """A level's trajectory line, with a ``{level}`` field."""
    axis: str
    """The y axis's title, e.g. "% of the target"."""
    provisional: str = "{level}: provisional"
    """A level's months after the latest complete one, with a ``{level}`` field."""


def trajectory_table(sums: pd.DataFrame) -> pd.DataFrame:
    """The numbers the figure plots: ``sums`` in level order (widest first), then month, with
    ``achieved_pct`` and ``expected_pct`` as percentages of the target (0-100, one decimal).

    Args:
        sums: one row per level and month, ``level, period, target, achieved, expected``,
            each summed over the level's targets (sum of achieved over sum of targets, never
            an average of shares).

    >>> sums = pd.DataFrame({"level": ["expert", "basic"], "period": ["2025-01"] * 2,
    ...     "target": [20.0, 400.0], "achieved": [5.0, 100.0], "expected": [4.0, 150.0]})
    >>> trajectory_table(sums)[["level", "achieved_pct", "expected_pct"]].to_dict("list")
    {'level': ['basic', 'expert'], 'achieved_pct': [25.0, 25.0], 'expected_pct': [37.5, 20.0]}
    """
    rank = sums["level"].astype(str).map(_RANK)
    ordered = (
        sums.assign(_rank=rank)
        .sort_values(["_rank", "period"], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )
    return ordered.assign(
        achieved_pct=(ordered["achieved"] / ordered["target"] * 100).round(1),
        expected_pct=(ordered["expected"] / ordered["target"] * 100).round(1),
    )


def trajectory_figure(
    table: pd.DataFrame, words: TrajectoryWords, provisional_after: str | None = None
) -> go.Figure:
    """Per level, achieved (solid) against the trajectory (dashed) as % of the target, by
    month. Levels whose trajectories coincide (as a share of the target, targets with the
    same baseline, milestones and deadline nearly do) share one dashed line, named after
    them all.

    Args:
        table: :func:`trajectory_table`'s rows.
        words: the names of levels, lines and axis.
        provisional_after: the latest complete month (``YYYY-MM``) when later months are
            provisional: achieved after it is drawn dotted, apart from the solid line, so a
            month few programmes have reported yet does not read as the trend; its legend is
            the level's achieved line (the subtitle and the table say which months).
    """
    figure = new_figure()
    levels = list(dict.fromkeys(table["level"].astype(str)))
    for level, rows in table.groupby("level", sort=False, observed=True):
        label = words.levels.get(str(level), str(level))
        colour = palette.LEVEL_COLOURS.get(str(level), palette.TRAJECTORY)
        months = pd.to_datetime(rows["period"], format="%Y-%m")
        hover = "%{x|%b %Y}: %{y:.1f}%<extra>" + label + "</extra>"
        later = (
            rows["period"] > provisional_after
            if provisional_after is not None
            else pd.Series(False, index=rows.index)
        )
        figure.add_scatter(
            x=months[~later],
            y=rows["achieved_pct"][~later],
            name=words.achieved.format(level=label),
            legendgroup=str(level),
            mode="lines",
            line={"color": colour, "width": 3},
            hovertemplate=hover,
        )
        if later.any() and rows["achieved_pct"][later].notna().any():
            # From the last complete month on, so the dotted line continues the solid one.
            tail = later | (rows["period"] == provisional_after)
            name = words.provisional.format(level=label)
            figure.add_scatter(
                x=months[tail],
                y=rows["achieved_pct"][tail],
                name=name,
                legendgroup=str(level),
                showlegend=False,
                mode="lines+markers",
                line={"color": colour, "width": 2, "dash": "dot"},
                marker={"size": 6, "symbol": "circle-open"},
                hovertemplate="%{x|%b %Y}: %{y:.1f}%<extra>" + name + "</extra>",
            )
    for shared in _shared_trajectories(table, levels):
        rows = table[table["level"].astype(str) == shared[0]]
        label = ", ".join(words.levels.get(level, level) for level in shared)
        colour = (
            palette.LEVEL_COLOURS.get(shared[0], palette.TRAJECTORY)
            if len(shared) == 1
            else palette.TRAJECTORY
        )
        figure.add_scatter(
            x=pd.to_datetime(rows["period"], format="%Y-%m"),
            y=rows["expected_pct"],
            name=words.expected.format(level=label),
            mode="lines",
            line={"color": colour, "width": 2, "dash": "dash"},
            hovertemplate="%{x|%b %Y}: %{y:.1f}%<extra>" + label + "</extra>",
        )
    figure.update_xaxes(title_text=None)
    figure.update_yaxes(title_text=words.axis, ticksuffix="%", rangemode="tozero")
    return figure


SAME_LINE_POINTS = 1.0  # trajectories this close at every month look like one line


def _shared_trajectories(table: pd.DataFrame, levels: list[str]) -> list[tuple[str, ...]]:
    """The levels grouped by their trajectory line, in level order: a level joins the first
    group whose line is within :data:`SAME_LINE_POINTS` of its own at every month (the table
    view keeps each level's exact numbers)."""
    lines = {
        level: table.loc[table["level"].astype(str) == level].set_index("period")["expected_pct"]
        for level in levels
    }
    groups: list[list[str]] = []
    for level in levels:
        for group in groups:
            first = lines[group[0]]
            if first.index.equals(lines[level].index) and bool(
                ((first - lines[level]).abs().fillna(0.0) <= SAME_LINE_POINTS).all()
            ):
                group.append(level)
                break
        else:
            groups.append([level])
    return [tuple(group) for group in groups]
