"""Facilities on a timeline: planned against actual opening, overdue marked."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dashboard import strings
from dashboard.components.formats import month_cells, quantity
from dashboard.figures.base import MAX_BARS, Chart, axis_titles, empty_chart, labelled, short
from skills_roadmap import palette
from skills_roadmap.charts.style import new_figure
from skills_roadmap.reports.safety import chart_text

__all__ = ["facilities_chart"]


def facilities_chart(table: pd.DataFrame, as_of: str | None, selection: str = "") -> Chart:
    """The roadmap's facilities on a timeline: planned against actual opening, overdue marked."""
    if table.empty:
        return empty_chart(strings.EMPTY_FACILITIES.format(selection=selection).strip())
    data = table.sort_values(["planned_open", "facility_id"], kind="stable")
    operational = data["status"].astype(str) == "operational"
    state = np.select(
        [operational, data["overdue"]], ["operational", "overdue"], default="on_schedule"
    )
    as_of_date = pd.Timestamp(f"{as_of}-01") if as_of else pd.NaT
    data = data.assign(
        state=state,
        planned_period=month_cells(data["planned_open"].dt.strftime("%Y-%m")),
        actual_period=month_cells(data["actual_open"].dt.strftime("%Y-%m")),
        line_end=data["actual_open"].where(operational, as_of_date),
        label=data["name"].map(short).map(chart_text),
        hover_name=data["name"].map(chart_text),
    )
    drawn = _drawn(data)
    figure = new_figure()
    for key in ("operational", "on_schedule", "overdue"):
        part = drawn[drawn["state"] == key]
        if part.empty:
            continue
        colour = palette.FACILITY_COLOURS[key]
        xs: list[Any] = []
        ys: list[Any] = []
        for _, row in part.iterrows():
            if pd.notna(row["line_end"]) and row["line_end"] > row["planned_open"]:
                xs += [row["planned_open"], row["line_end"], None]
                ys += [row["label"], row["label"], None]
        if xs:
            figure.add_scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": colour, "width": 3},
                showlegend=False,
                hoverinfo="skip",
            )
        figure.add_scatter(
            x=part["planned_open"],
            y=part["label"],
            customdata=part["hover_name"],
            mode="markers",
            name=strings.FACILITY_PLANNED.format(state=strings.FACILITY_STATES[key]),
            marker={
                "color": "white",
                "size": 11,
                "symbol": "diamond",
                "line": {"color": colour, "width": 2},
            },
            hovertemplate="%{customdata}: "
            + strings.COLUMNS["planned_period"]
            + " %{x|%b %Y}<extra></extra>",
        )
        opened = part[part["actual_open"].notna()]
        if not opened.empty:
            figure.add_scatter(
                x=opened["actual_open"],
                y=opened["label"],
                customdata=opened["hover_name"],
                mode="markers",
                name=strings.FACILITY_OPENED,
                marker={"color": colour, "size": 11},
                hovertemplate="%{customdata}: "
                + strings.COLUMNS["actual_period"]
                + " %{x|%b %Y}<extra></extra>",
            )
    if pd.notna(as_of_date):
        figure.add_vline(x=as_of_date, line={"color": palette.TRAJECTORY, "dash": "dot"})
    axis_titles(figure)
    figure.update_yaxes(
        autorange="reversed", categoryorder="array", categoryarray=list(drawn["label"])
    )
    out = labelled(
        data.assign(
            kind=data["kind"].astype(str).map(strings.FACILITY_KINDS),
            status=data["status"].astype(str).map(strings.FACILITY_STATUSES),
            overdue=data["overdue"].map({True: strings.YES, False: strings.NO}),
        ),
        ["name", "kind", "status", "planned_period", "actual_period", "slippage_months", "overdue"],
    )
    title = _facilities_title(data)
    if len(drawn) < len(data):
        title += strings.FACILITIES_SHOWN.format(shown=len(drawn))
    return Chart(title, figure, out)


def _drawn(data: pd.DataFrame) -> pd.DataFrame:
    """The facilities a timeline can show legibly (at most ``MAX_BARS``, in planned order):
    the overdue ones first, the most overdue before, then those still to open, soonest
    first, then the latest opened; the table lists them all."""
    if len(data) <= MAX_BARS:
        return data
    rank = pd.Series(
        np.select([data["state"] == "overdue", data["state"] == "on_schedule"], [0, 1], 2),
        index=data.index,
    )
    urgency = np.select(
        [rank == 0, rank == 1],
        [-data["slippage_months"].fillna(0), data["planned_month"].astype("float64")],
        -data["actual_month"].astype("float64"),
    )
    chosen = data.assign(_rank=rank, _urgency=urgency).sort_values(
        ["_rank", "_urgency"], kind="stable"
    )
    return data.loc[data.index.isin(chosen.index[:MAX_BARS])]


def _facilities_title(data: pd.DataFrame) -> str:
    operational = int((data["state"] == "operational").sum())
    overdue = data[data["state"] == "overdue"]
    title = strings.FACILITIES_TITLE.format(operational=operational, count=len(data))
    if overdue.empty:
        return title + strings.FACILITIES_NONE_OVERDUE
    return title + strings.FACILITIES_OVERDUE.format(
        count=len(overdue), months=quantity(int(overdue["slippage_months"].max()), "month")
    )
