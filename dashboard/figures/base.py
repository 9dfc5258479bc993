"""What every chart family shares: the chart card's content, the empty chart, level order and
labels, and the trace types the browser's plotly.js bundle holds."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard import strings
from skills_roadmap import palette
from skills_roadmap.charts.style import new_figure
from skills_roadmap.reports.safety import chart_text

__all__ = [
    "BUNDLED_TRACES",
    "LEVELS",
    "MAX_BARS",
    "Chart",
    "axis_titles",
    "empty_chart",
    "empty_message",
    "focus_level",
    "labelled",
    "level_label",
    "level_order",
    "message_figure",
    "short",
]

LEVELS = tuple(strings.LEVEL_LABELS)
MAX_BARS = 25  # more bars than this stop being readable on a laptop; the table lists all
# The trace types the browser's plotly.js bundle holds (assets/plotly, built by
# tools/plotly-bundle): a figure may use no other.
BUNDLED_TRACES = frozenset({"scatter", "bar", "scattergeo", "choropleth"})


@dataclass(frozen=True)
class Chart:
    """What a chart card shows: the finding, the figure (None for a table-only card) and the
    numbers behind it."""

    title: str
    figure: go.Figure | None
    table: pd.DataFrame
    empty: bool = False  # nothing to show: the title says why


PEOPLE_UNIT = "(people)"


def labelled(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """``frame``'s ``columns`` renamed to their labels with units (see ``strings.COLUMNS``);
    counts of people are whole (a trajectory's 338.7 people are 339 in a table)."""
    columns = list(columns)
    table = frame[columns]
    people = [
        column
        for column in columns
        if PEOPLE_UNIT in strings.COLUMNS.get(column, "")
        and pd.api.types.is_float_dtype(table[column])
    ]
    if people:
        table = table.assign(**{column: table[column].round(0) for column in people})
    return table.rename(columns=strings.COLUMNS).reset_index(drop=True)


def axis_titles(
    figure: go.Figure, *, x_title: str | None = None, y_title: str | None = None
) -> None:
    """Name the axes (units included)."""
    figure.update_xaxes(title_text=x_title)
    figure.update_yaxes(title_text=y_title)


MESSAGE_LINE = 32
"""The longest line of a chart's message, in characters: at its 15-pixel font it fits a
phone's 390-pixel-wide card (Plotly does not wrap an annotation itself)."""


def wrapped_message(message: str, width: int = MESSAGE_LINE) -> str:
    """``message`` made safe for a chart and broken into lines of at most ``width``
    characters (a longer word stays whole).

    >>> wrapped_message("All 8 programmes due have reported through 2026-10")
    'All 8 programmes due have<br>reported through 2026-10'
    """
    lines = textwrap.wrap(message, width, break_long_words=False, break_on_hyphens=False)
    return "<br>".join(chart_text(line) for line in lines)


def message_figure(message: str) -> go.Figure:
    """A figure with no axes that says ``message`` in its middle, on as many lines as a
    phone's width needs."""
    figure = new_figure()
    axis_titles(figure)
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    figure.add_annotation(
        text=wrapped_message(message),  # the selection's words name regions and clusters
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        font={"size": 15, "color": palette.INK_SECONDARY},
    )
    return figure


def empty_chart(message: str) -> Chart:
    """A chart with nothing to plot: the figure and the title both say why."""
    table = pd.DataFrame({strings.COLUMNS["message"]: [message]})
    return Chart(message, message_figure(message), table, empty=True)


def empty_message(
    nothing_yet: str, filtered: str, selection: str, clear: str = "", **words: str
) -> str:
    """Why a chart of the selection is empty, from two templates: nothing there ``yet``, or
    the filters match nothing (``filtered``, when ``clear`` names the filters to clear).

    >>> empty_message("No programmes {selection} yet", "No programmes {selection} match: "
    ...     "clear {clear}", "in Beta", "the level expert")
    'No programmes in Beta match: clear the level expert'
    """
    text = (filtered if clear else nothing_yet).format(selection=selection, clear=clear, **words)
    return " ".join(text.split())  # an empty selection leaves no double space


def focus_level(levels: Iterable[object]) -> str | None:
    """The level a finding speaks about: the widest level present (basic first)."""
    present = {str(level) for level in levels}
    return next((level for level in LEVELS if level in present), None)


def level_order(frame: pd.DataFrame, column: str = "level") -> pd.DataFrame:
    """``frame``'s rows in level order, widest first (stable within a level)."""
    rank = frame[column].astype(str).map({level: i for i, level in enumerate(LEVELS)})
    return frame.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank")


def level_label(level: object) -> str:
    """A level's name as people read it, e.g. "Basic"."""
    return strings.LEVEL_LABELS.get(str(level), str(level))


def short(name: object, length: int = 32) -> str:
    """A name cut to fit an axis on a phone (the table and the hover keep it whole)."""
    text = str(name)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
