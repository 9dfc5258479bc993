"""The budget plan on screen: its tables under the workbook's own headers, and each target's
attainment at the deadline before and after the plan."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard import strings
from dashboard.components.formats import month_cells
from dashboard.figures.base import MAX_BARS, Chart, axis_titles, empty_chart, level_label
from skills_roadmap import palette
from skills_roadmap.charts.style import new_figure
from skills_roadmap.planning import Plan
from skills_roadmap.reports.columns import Kind, translated_columns
from skills_roadmap.reports.plan_workbook import PLAN_TABLES
from skills_roadmap.reports.safety import chart_text

__all__ = ["PLAN_ROW_KEYS", "TARGET_KEYS", "effect_chart", "effect_height", "plan_frame"]

# What the page lists of each table: the workbook holds every column.
PLAN_ROW_KEYS = (
    "level",
    "delivery_mode",
    "provider_helix",
    "region_code",
    "funding_source",
    "start",
    "cohorts",
    "places",
    "completers",
    "cost",
)
TARGET_KEYS = (
    "target_id",
    "scope_id",
    "level",
    "deadline",
    "target",
    "forecast",
    "plan_completers",
    "forecast_with_plan",
    "attainment_before",
    "attainment_after",
)


_WORDS = {"delivery_mode": "DELIVERY_LABELS", "provider_helix": "HELIX_LABELS"}


def plan_frame(plan: Plan, attribute: str, keys: Sequence[str] | None = None) -> pd.DataFrame:
    """One of the plan's tables (``rows``, ``targets``, ``marginal``, …) as the page shows it:
    the workbook's headers (:data:`~skills_roadmap.reports.plan_workbook.PLAN_TABLES`, so that
    screen and file name a column alike), shares as percentages with one decimal, people and
    euros whole (their header saying EUR), months in short words, levels, delivery modes,
    helices and the network in the current language."""
    _title, columns = PLAN_TABLES[attribute]
    chosen = [
        column for column in translated_columns(columns) if keys is None or column.key in keys
    ]
    if keys is not None:
        chosen.sort(key=lambda column: list(keys).index(column.key))
    frame = getattr(plan, attribute)
    shown = {}
    for column in chosen:
        values = frame[column.key]
        if column.kind is Kind.SHARE:
            shown[strings.PLAN_PERCENT.format(header=column.header)] = (values * 100).round(1)
        elif column.kind is Kind.EUR:
            shown[strings.PLAN_EUROS.format(header=column.header)] = values.astype("float64").round(
                0
            )
        elif column.kind is Kind.NUMBER:
            shown[column.header] = values.astype("float64").round(0)
        elif column.kind is Kind.PERIOD:
            shown[column.header] = month_cells(values)
        elif column.key == "source":  # where a marginal cost comes from, said briefly
            shown[column.header] = values.map(strings.PLAN_MARGINAL_FROM).fillna(values)
        elif column.key == "level":
            shown[column.header] = values.map(level_label)
        elif column.key in _WORDS:  # a type's codes as the Programmes page words them
            shown[column.header] = values.map(getattr(strings, _WORDS[column.key])).fillna(values)
        elif column.key == "scope_id":  # a network target has no place code
            shown[column.header] = values.fillna(strings.PLAN_NETWORK)
        else:
            shown[column.header] = values
    return pd.DataFrame(shown).reset_index(drop=True)


def _target_names(targets: pd.DataFrame) -> pd.Series:
    """A target as a row's label: its place (or the network), level and deadline year (a
    deadline is always December)."""
    place = targets["scope_id"].fillna(strings.PLAN_NETWORK).astype(str)
    return (
        place.map(chart_text)
        + " · "
        + targets["level"].map(level_label)
        + " · "
        + targets["deadline"].astype(str).str[:4]
    )


# The effect chart's height: its frame, and one row per target shown.
_EFFECT_FRAME_PX, _EFFECT_ROW_PX = 150, 26


def effect_height(plan: Plan) -> int:
    """The effect chart's card height in pixels: a readable row per target it shows."""
    return _EFFECT_FRAME_PX + _EFFECT_ROW_PX * max(min(len(plan.targets), MAX_BARS), 4)


def effect_chart(plan: Plan) -> Chart:
    """Each selected target's attainment at its deadline, the forecast alone (a grey dot) and
    with the plan's completers (a blue dot), joined by a line: the plan's effect on the
    target's trajectory, one row per target read across on a phone too (the least attained
    first; the table lists every target)."""
    targets = plan.targets
    if targets.empty:
        return empty_chart(strings.PLAN_EFFECT_EMPTY)
    table = plan_frame(plan, "targets", TARGET_KEYS)
    shown = targets.sort_values("attainment_before", kind="stable").head(MAX_BARS)
    names = _target_names(shown).tolist()
    before = (shown["attainment_before"] * 100).tolist()
    after = (shown["attainment_after"] * 100).tolist()
    figure = new_figure()
    figure.add_scatter(  # the plan's effect: a line from before to after on each row
        x=[value for pair in zip(before, after, strict=True) for value in (*pair, None)],
        y=[label for name in names for label in (name, name, None)],
        mode="lines",
        line={"color": palette.ACCENT, "width": 3},
        hoverinfo="skip",
        showlegend=False,
    )
    for values, label, colour in (
        (before, strings.PLAN_EFFECT_BEFORE, palette.MUTED),
        (after, strings.PLAN_EFFECT_AFTER, palette.ACCENT),
    ):
        figure.add_scatter(
            x=values,
            y=names,
            mode="markers",
            name=label,
            marker={"color": colour, "size": 11},
            hovertemplate="%{y}: %{x:.1f}%<extra>" + label + "</extra>",
        )
    figure.add_vline(x=100, line_dash="dot", line_color=palette.INK_SECONDARY)
    axis_titles(figure, x_title=strings.PLAN_EFFECT_X_AXIS)
    figure.update_xaxes(ticksuffix="%", rangemode="tozero")
    figure.update_yaxes(autorange="reversed", type="category")
    return Chart(strings.PLAN_EFFECT_TITLE, figure, table)
