"""Peers: every region's attainment against its cost per completer."""

from __future__ import annotations

import pandas as pd

from dashboard import strings
from dashboard.components.formats import as_percent, euros, missing, percent
from dashboard.figures.base import Chart, axis_titles, empty_chart, labelled
from skills_roadmap import palette
from skills_roadmap.charts.style import new_figure
from skills_roadmap.reports.safety import chart_text

__all__ = ["peers_chart"]


def peers_chart(table: pd.DataFrame, highlight: str | None = None) -> Chart:
    """Every region's attainment against its cost per completer, one region highlighted."""
    data = table.dropna(subset=["attainment"])
    if data.empty:
        return empty_chart(strings.EMPTY_REGIONS)
    data = data.assign(
        region_code=data["region_code"].astype(str),
        attainment_pct=data["attainment"].map(as_percent),
        cost=data["cost_per_completer"].round(0),
        label=data["name"].map(chart_text),
    )
    marked = data["region_code"] == highlight
    figure = new_figure()
    figure.add_scatter(
        x=data.loc[~marked, "attainment_pct"],
        y=data.loc[~marked, "cost"],
        name=strings.PEERS_OTHERS,
        mode="markers",
        marker={"color": palette.MUTED, "size": 9, "opacity": 0.7},
        text=data.loc[~marked, "label"],
        customdata=data.loc[~marked, "region_code"],
        hovertemplate="%{text}: %{x:.1f}%, €%{y:,.0f}<extra></extra>",
    )
    if marked.any():
        figure.add_scatter(
            x=data.loc[marked, "attainment_pct"],
            y=data.loc[marked, "cost"],
            name=data.loc[marked, "label"].iloc[0],
            mode="markers+text",
            marker={
                "color": palette.LEVEL_COLOURS["expert"],
                "size": 16,
                "symbol": "diamond",
                "line": {"color": palette.INK, "width": 1},
            },
            text=data.loc[marked, "label"],
            textposition=label_position(data, marked),
            cliponaxis=False,
            hovertemplate="%{text}: %{x:.1f}%, €%{y:,.0f}<extra></extra>",
        )
    median_attainment = data["attainment_median"].iloc[0]
    median_cost = data["cost_median"].iloc[0]
    if not missing(median_attainment):
        figure.add_vline(
            x=median_attainment * 100, line={"color": palette.TRAJECTORY, "dash": "dot"}
        )
    if not missing(median_cost):
        figure.add_hline(y=median_cost, line={"color": palette.TRAJECTORY, "dash": "dot"})
    axis_titles(figure, x_title=strings.AXIS_ATTAINMENT, y_title=strings.AXIS_COST_PER_COMPLETER)
    figure.update_xaxes(ticksuffix="%")
    figure.update_yaxes(tickprefix="€")
    out = labelled(
        data.rename(columns={"region_code": "scope_id"}),
        ["name", "scope_id", "attainment_pct", "attainment_quartile", "cost", "cost_quartile"],
    )
    return Chart(_peers_title(data, marked), figure, out)


def label_position(data: pd.DataFrame, marked: pd.Series) -> str:
    """Where the highlighted region's name goes beside its point: towards the middle of the
    chart (left of a point in the right half, below a point in the top half), so that a
    region at the edge of the cloud keeps its name inside the chart.

    >>> data = pd.DataFrame({"attainment_pct": [10.0, 90.0], "cost": [900.0, 100.0]})
    >>> label_position(data, pd.Series([False, True]))
    'top left'
    >>> label_position(data, pd.Series([True, False]))
    'bottom right'
    """
    x, y = data["attainment_pct"], data["cost"]
    point_x, point_y = x[marked].iloc[0], y[marked].iloc[0]
    across = "left" if point_x >= (x.min() + x.max()) / 2 else "right"
    up = "bottom" if point_y >= (y.min() + y.max()) / 2 else "top"
    return f"{up} {across}"


def _peers_title(data: pd.DataFrame, marked: pd.Series) -> str:
    if not marked.any():
        return strings.PEERS_SPREAD.format(
            count=len(data),
            attainment=percent(data["attainment_median"].iloc[0]),
            cost=euros(data["cost_median"].iloc[0]),
        )
    row = data[marked].iloc[0]
    quartile = row["attainment_quartile"]
    return strings.PEERS_TITLE.format(
        name=row["name"],
        attainment=percent(row["attainment"]),
        quartile=strings.QUARTILES.get(int(quartile), "") if not missing(quartile) else "",
        count=len(data),
        cost=euros(row["cost_per_completer"]),
        median=euros(row["cost_median"]),
    )
