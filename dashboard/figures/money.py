"""Money: spend against budget per funding source."""

from __future__ import annotations

import pandas as pd

from dashboard import strings
from dashboard.components.formats import as_percent, euros, percent
from dashboard.figures.base import Chart, axis_titles, empty_chart, empty_message, labelled
from skills_roadmap import palette
from skills_roadmap.charts.style import new_figure
from skills_roadmap.reports.safety import chart_text

__all__ = ["money_chart"]


def money_chart(table: pd.DataFrame, selection: str = "", clear: str = "") -> Chart:
    """Spend against budget per funding source, with absorption and unit costs."""
    if table.empty or not (table["budget_eur"].fillna(0) > 0).any():
        return empty_chart(
            empty_message(strings.EMPTY_BUDGET, strings.EMPTY_BUDGET_FILTERED, selection, clear)
        )
    data = table.assign(
        funding_source=table["funding_source"].astype(object).fillna(strings.NOT_RECORDED),
        absorption_pct=table["absorption"].map(as_percent),
    ).sort_values("budget_eur", ascending=False, kind="stable")
    sources = data["funding_source"].map(chart_text)
    figure = new_figure()
    figure.add_bar(
        x=sources,
        y=data["budget_eur"],
        name=strings.COLUMNS["budget_eur"],
        marker_color=palette.LEVEL_COLOURS["basic"],
        hovertemplate="%{x}: €%{y:,.0f}<extra></extra>",
    )
    figure.add_bar(
        x=sources,
        y=data["spend_eur"],
        name=strings.COLUMNS["spend_eur"],
        marker_color=palette.LEVEL_COLOURS["intermediate"],
        text=data["absorption_pct"].map(lambda value: "" if value is None else f"{value:.0f}%"),
        textposition="outside",
        textfont={"size": 12},  # plotly would shrink outside labels to fit: keep them legible
        cliponaxis=False,
        hovertemplate="%{x}: €%{y:,.0f}<extra></extra>",
    )
    axis_titles(figure, y_title=strings.AXIS_EUR)
    figure.update_layout(barmode="group", uniformtext={"minsize": 11, "mode": "show"})
    figure.update_yaxes(tickprefix="€", separatethousands=True)
    out = labelled(
        data,
        [
            "funding_source",
            "budget_eur",
            "spend_eur",
            "absorption_pct",
            "cost_per_completer",
            "cost_per_certified",
        ],
    ).round(0)
    budget, spend = data["budget_eur"].sum(), data["spend_eur"].sum()
    title = strings.MONEY_TITLE.format(share=percent(spend / budget), budget=euros(budget))
    judged = data.dropna(subset=["absorption"])
    if len(judged) > 1:
        lowest = judged.sort_values("absorption", kind="stable").iloc[0]
        title += strings.MONEY_LOWEST.format(
            source=lowest["funding_source"], share=percent(lowest["absorption"])
        )
    return Chart(title, figure, out)
