"""The quadruple helix: people trained by provider helix per level, clusters per partner role."""

from __future__ import annotations

import pandas as pd

from dashboard import strings
from dashboard.components.formats import as_percent, percent
from dashboard.figures.base import (
    LEVELS,
    Chart,
    axis_titles,
    empty_chart,
    empty_message,
    focus_level,
    labelled,
    level_label,
)
from skills_roadmap import palette
from skills_roadmap.charts.style import new_figure

__all__ = ["helix_partners_chart", "helix_trained_chart"]


def _helix_label(helix: object) -> str:
    return strings.HELIX_LABELS.get(str(helix), str(helix))


def helix_trained_chart(table: pd.DataFrame, selection: str = "", clear: str = "") -> Chart:
    """People completed per provider helix, a bar per level (``trained_by_helix``)."""
    reported = table[table["completed"].notna()] if not table.empty else table
    if reported.empty:
        return empty_chart(
            empty_message(strings.EMPTY_PROGRESS, strings.EMPTY_PROGRESS_FILTERED, selection, clear)
        )
    data = table.assign(
        helix=table["provider_helix"].map(_helix_label),
        level_name=table["level"].map(level_label),
        completed_share_pct=table["completed_share"].map(as_percent),
    )
    figure = new_figure()
    for level in LEVELS:
        rows = data[data["level"] == level]
        if rows.empty:
            continue
        figure.add_bar(
            x=rows["helix"],
            y=rows["completed"],
            name=level_label(level),
            marker_color=palette.LEVEL_COLOURS[level],
            hovertemplate="%{x}: %{y:,.0f}<extra>" + level_label(level) + "</extra>",
        )
    axis_titles(figure, y_title=strings.AXIS_PEOPLE_COMPLETED)
    figure.update_layout(barmode="group")
    out = labelled(
        data.assign(provider_helix=data["helix"], level=data["level_name"]),
        ["provider_helix", "level", "programmes", "enrolled", "completed", "completed_share_pct"],
    )
    level = str(focus_level(reported["level"]))
    at_level = reported[reported["level"] == level]
    top = at_level.iloc[int(at_level["completed"].to_numpy().argmax())]
    title = strings.HELIX_TRAINED_TITLE.format(
        helix=_helix_label(top["provider_helix"]),
        share=percent(top["completed_share"]),
        level=level_label(level).lower(),
    )
    return Chart(title, figure, out)


def helix_partners_chart(table: pd.DataFrame, selection: str = "") -> Chart:
    """How many clusters count each helix role among their partners
    (``cluster_helix_roles``)."""
    if table.empty or not (table["clusters"] > 0).any():
        return empty_chart(strings.EMPTY_HELIX_PARTNERS.format(selection=selection).strip())
    data = table.assign(
        role=table["helix_role"].map(_helix_label), clusters_pct=table["share"].map(as_percent)
    )
    figure = new_figure()
    figure.add_bar(
        x=data["role"],
        y=data["clusters"],
        marker_color=palette.ACCENT,
        text=data["clusters_pct"].map(lambda value: "" if value is None else f"{value:.0f}%"),
        textposition="outside",
        hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
        showlegend=False,
    )
    axis_titles(figure, y_title=strings.COLUMNS["clusters"])
    out = labelled(data.assign(helix_role=data["role"]), ["helix_role", "clusters", "clusters_pct"])
    top = data.iloc[int(data["clusters"].to_numpy().argmax())]
    total = round(top["clusters"] / top["share"]) if top["share"] else 0
    title = strings.HELIX_PARTNERS_TITLE.format(
        count=int(top["clusters"]), total=total, role=str(top["role"]).lower()
    )
    return Chart(title, figure, out)
