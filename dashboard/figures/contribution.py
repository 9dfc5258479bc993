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
from skills_roadmap.status_words import status_words

__all__ = ["PARETO_SHARE", "contribution_chart", "programmes_chart"]

PARETO_SHARE = 0.8  # contribution's default Pareto head


def contribution_chart(
    table: pd.DataFrame,
    by: str = "cluster_id",
    *,
    highlight: str | None = None,
    selection: str = "",
    clear: str = "",
    drag: pd.DataFrame | None = None,
) -> Chart:
    """Who carries the achievement: people completed per cluster (or programme), largest first,
    with the cumulative share (Pareto) and who lags: the clusters behind their own target or
    their expected share of it (``drag``) in the status colours, else the group that lags its
    capacity most.

    Args:
        table: rows of ``contribution``.
        by: ``cluster_id`` or ``programme_id``.
        highlight: a group to mark (the cluster a cluster page is about).
        selection: words naming the selection, for the empty state.
        clear: the filters to clear, in words, when they are why nothing shows.
        drag: rows of ``cluster_drag`` for the clusters of a region (None: not judged).
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
    judged = drag if drag is not None and drag["status"].notna().any() else None
    if judged is not None:
        data = _with_drag(data, by, judged)
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
    if judged is not None:
        # A lagging cluster is drawn in its status's colour and pattern, whether it carries
        # the region or not: the bar answers "which cluster drags it".
        lagging = shown["drag_status"].isin(list(strings.CONTRIBUTION_LAGGING))
        groups = [(mask & ~lagging, name, colour, shape) for mask, name, colour, shape in groups]
        groups += [
            (
                shown["drag_status"] == status,
                strings.CONTRIBUTION_LAGGING[status],
                palette.STATUS_COLOURS[status],
                LAGGING_PATTERNS[status],
            )
            for status in strings.CONTRIBUTION_LAGGING
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
    columns = [
        "name",
        "id",
        "achieved",
        "share_pct",
        "cumulative_pct",
        "carries_text",
        "enrolled",
        "expected_enrolled",
        "capacity_use_pct",
    ]
    listed = data.assign(**{"id": data[by]})
    if judged is not None:
        columns += ["drag_expected", "drag_ratio_pct", "drag_status"]
        listed = listed.assign(drag_status=listed["drag_status"].map(status_words))
    out = labelled(listed, columns)
    return Chart(_contribution_title(data, noun, judged), figure, out)


LAGGING_PATTERNS = {"at_risk": "/", "off_track": "x"}
"""The pattern of a lagging cluster's bar: its status is never told by colour alone."""


def _with_drag(data: pd.DataFrame, by: str, drag: pd.DataFrame) -> pd.DataFrame:
    """``data`` with each cluster's expected people, ratio and status from ``drag``."""
    judged = drag.astype({"cluster_id": str, "status": object}).set_index("cluster_id")
    key = data[by].astype(str)
    return data.assign(
        drag_expected=key.map(judged["expected"]),
        drag_ratio_pct=key.map(judged["ratio"]).map(as_percent),
        drag_status=key.map(judged["status"]),
    )


def _drag_words(drag: pd.DataFrame) -> str:
    """The title's words on who lags: the lagging cluster furthest behind in people, and
    whether against its own target or its share of the region's."""
    lagging = drag[drag["status"].astype(object).isin(list(strings.CONTRIBUTION_LAGGING))]
    if lagging.empty:
        return strings.CONTRIBUTION_NONE_LAGS
    worst = lagging.sort_values(["gap", "cluster_id"], ascending=[False, True]).iloc[0]
    words = (
        strings.CONTRIBUTION_DRAG_OWN if worst["own_target"] else strings.CONTRIBUTION_DRAG_SHARE
    )
    return words.format(name=worst["name"], ratio=percent(worst["ratio"]))


def _contribution_title(data: pd.DataFrame, noun: str, drag: pd.DataFrame | None) -> str:
    active = data[data["achieved"] > 0]
    title = strings.CONTRIBUTION_TITLE.format(
        carriers=int(data["carries"].sum()),
        count=len(active),
        noun=noun,
        share=percent(PARETO_SHARE),
    )
    if drag is not None:
        return title + _drag_words(drag)
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
