"""Who carries the achievement: clusters or programmes by people completed, and the
programmes' table."""

from __future__ import annotations

import pandas as pd

from dashboard import strings
from dashboard.components.formats import as_percent, percent
from dashboard.figures.base import (
    MAX_BARS,
    Chart,
    axis_titles,
    empty_chart,
    empty_message,
    labelled,
)
from skills_roadmap import palette
from skills_roadmap.charts.style import new_figure
from skills_roadmap.reports.safety import chart_text

__all__ = ["PARETO_SHARE", "contribution_chart", "programmes_chart"]

PARETO_SHARE = 0.8  # contribution's default Pareto head


def contribution_chart(
    table: pd.DataFrame,
    by: str = "cluster_id",
    *,
    highlight: str | None = None,
    selection: str = "",
    clear: str = "",
) -> Chart:
    """Who carries the achievement: people completed per cluster (or programme), largest first,
    with the cumulative share (Pareto) and the group that lags its capacity most.

    Args:
        table: rows of ``contribution``.
        by: ``cluster_id`` or ``programme_id``.
        highlight: a group to mark (the cluster a cluster page is about).
        selection: words naming the selection, for the empty state.
        clear: the filters to clear, in words, when they are why nothing shows.
    """
    noun = strings.NOUNS[by]
    if table.empty or not (table["achieved"] > 0).any():
        return empty_chart(
            empty_message(
                strings.EMPTY_CONTRIBUTION,
                strings.EMPTY_CONTRIBUTION_FILTERED,
                selection,
                clear,
                noun=noun,
            )
        )
    data = table.assign(
        share_pct=table["share"].map(as_percent),
        cumulative_pct=table["cumulative_share"].map(as_percent),
        capacity_use_pct=table["capacity_use"].map(as_percent),
        carries_text=table["carries"].map({True: strings.YES, False: strings.NO}),
    )
    shown = data.head(MAX_BARS)
    shown = shown.assign(label=shown["name"].map(chart_text))
    figure = new_figure()
    groups = [
        (
            shown["carries"],
            strings.CONTRIBUTION_CARRIES.format(share=percent(PARETO_SHARE)),
            palette.LEVEL_COLOURS["intermediate"],
            "",
        ),
        (~shown["carries"], strings.CONTRIBUTION_OTHERS, palette.LEVEL_COLOURS["basic"], ""),
    ]
    if highlight is not None:
        marked = shown[by].astype(str) == highlight
        groups = [(mask & ~marked, name, colour, shape) for mask, name, colour, shape in groups]
        groups.append(
            (marked, strings.CONTRIBUTION_HIGHLIGHT, palette.LEVEL_COLOURS["expert"], "x")
        )
    for mask, name, colour, shape in groups:
        part = shown[mask]
        if part.empty:
            continue
        figure.add_bar(
            x=part["label"],
            y=part["achieved"],
            name=name,
            marker_color=colour,
            marker_pattern_shape=shape,
            customdata=part[by],
            hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
        )
    figure.add_scatter(
        x=shown["label"],
        y=shown["cumulative_pct"],
        name=strings.CONTRIBUTION_CUMULATIVE,
        yaxis="y2",
        mode="lines+markers",
        line={"color": palette.TRAJECTORY, "width": 2},
        hovertemplate="%{y:.1f}%<extra></extra>",
    )
    axis_titles(figure, y_title=strings.AXIS_PEOPLE_COMPLETED)
    figure.update_layout(
        barmode="overlay",
        xaxis={"categoryorder": "array", "categoryarray": list(shown["label"]), "tickangle": -30},
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "range": [0, 105],
            "ticksuffix": "%",
            "tickvals": [0, 25, 50, 75, 100],
            "ticktext": ["0%", "25%", "50%", "75%", "100%"],
            "showgrid": False,
            "title": {"text": strings.AXIS_CUMULATIVE_SHARE},
        },
    )
    out = labelled(
        data.assign(**{"id": data[by]}),
        [
            "name",
            "id",
            "achieved",
            "share_pct",
            "cumulative_pct",
            "carries_text",
            "enrolled",
            "expected_enrolled",
            "capacity_use_pct",
        ],
    )
    return Chart(_contribution_title(data, noun), figure, out)


def _contribution_title(data: pd.DataFrame, noun: str) -> str:
    active = data[data["achieved"] > 0]
    title = strings.CONTRIBUTION_TITLE.format(
        carriers=int(data["carries"].sum()),
        count=len(active),
        noun=noun,
        share=percent(PARETO_SHARE),
    )
    judged = data[data["expected_enrolled"] > 0].sort_values("capacity_use", kind="stable")
    if not judged.empty:
        laggard = judged.iloc[0]
        title += strings.CONTRIBUTION_LAG.format(
            name=laggard["name"], use=percent(laggard["capacity_use"])
        )
    return title


def programmes_chart(table: pd.DataFrame, selection: str = "", clear: str = "") -> Chart:
    """The programmes of a selection as a table: people completed, enrolment against capacity.

    Args:
        table: rows of ``contribution(frames, by="programme_id")``.
        selection: words naming the selection, for the empty state.
        clear: the filters to clear, in words, when they are why nothing shows.
    """
    if table.empty:
        message = empty_message(
            strings.EMPTY_PROGRAMMES, strings.EMPTY_PROGRAMMES_FILTERED, selection, clear
        )
        return Chart(message, None, pd.DataFrame(), empty=True)
    data = table.assign(
        share_pct=table["share"].map(as_percent),
        capacity_use_pct=table["capacity_use"].map(as_percent),
    )
    behind = int((data["capacity_use"] < 0.8).sum())
    title = strings.PROGRAMMES_TITLE.format(count=len(data), behind=behind)
    out = labelled(
        data.rename(columns={"programme_id": "id"}),
        [
            "name",
            "id",
            "achieved",
            "share_pct",
            "enrolled",
            "capacity",
            "expected_enrolled",
            "capacity_use_pct",
        ],
    )
    return Chart(title, None, out)
