"""Headline cards, one per level: achieved against target, attainment, status and forecast.

The targets behind the cards are the selection's headline targets (see
:func:`headline_rows`); the trend chart traces the same targets, so its last point and the
card agree.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Output, callback, html

from dashboard import ids, strings
from dashboard.components.filter_bar import (
    SCOPE,
    SELECTION,
    Scope,
    is_cluster_page,
    read_filters,
)
from dashboard.components.formats import people, percent
from dashboard.components.status import status_badge
from dashboard.data import analysis_settings, cached, selected_frames
from skills_roadmap.analysis import (
    Filters,
    Frames,
    attainment,
    forecast,
    funnel,
    headline_targets,
    overview,
    summarise_attainment,
)
from skills_roadmap.analysis.pace import NOT_BEFORE_DEADLINE, REACHED

LEVELS = tuple(strings.LEVEL_LABELS)


def _overview_rows(frames: Frames, filters: Filters) -> pd.DataFrame:
    return overview(frames, filters, analysis_settings())


def _cluster_rows(_frames: Frames, filters: Filters) -> pd.DataFrame:
    selected = selected_frames(filters)
    table = attainment(selected, analysis_settings())
    mine = table[table["scope"] == "cluster"]
    as_of_year = None if selected.as_of is None else selected.as_of // 12
    return headline_targets(mine, as_of_year)


def overview_table(filters: Filters) -> pd.DataFrame:
    """``overview`` of the selection, computed once per selection: the headline cards, the map,
    the league table and the trend all read it."""
    return cached("overview", filters, _overview_rows)


def headline_rows(filters: Filters, *, cluster_page: bool = False) -> pd.DataFrame:
    """The headline targets of a selection, one row per target with its attainment.

    The network's targets when no place is selected; otherwise the selected regions'
    targets; on a cluster page, the cluster's own targets. Levels without a target have no
    row.
    """
    if cluster_page:
        return cached("cluster-headline", filters, _cluster_rows)
    table = overview_table(filters)
    with_target = table.dropna(subset=["target_id"])
    network = with_target[with_target["scope"] == "network"]
    return network if len(network) else with_target[with_target["scope"] == "region"]


def by_level(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per level: the target itself, or the sum of several (sum of achieved over sum
    of targets, see ``summarise_attainment``), with the earliest deadline and the count."""
    counts = rows.groupby("level", observed=True).size()
    if counts.empty or (counts <= 1).all():
        return rows.assign(count=1)
    summary = summarise_attainment(rows, ["level"], analysis_settings())
    extra = rows.groupby("level", observed=True).agg(
        deadline_year=("deadline_year", "min"), metric=("metric", "first"), count=("level", "size")
    )
    return summary.merge(extra.reset_index(), on="level")


KpiContent = tuple[str, str, list[Any], str]
"""A level's card: the big number, the words after it, the lines under it and its class."""


def kpi_cards(filters: Filters, scope: Scope) -> dbc.Row:
    """The three headline cards of the selection; :func:`update_kpis` and
    :func:`update_forecasts` refill them for a new selection."""
    contents = dict(zip(LEVELS, kpi_contents(filters, scope), strict=True))
    forecasts = dict(zip(LEVELS, forecast_lines(filters, scope), strict=True))
    return dbc.Row(
        [
            dbc.Col(
                dbc.Card(
                    [
                        dbc.CardHeader(
                            [
                                html.H2(strings.LEVEL_LABELS[level], className="h5 mb-0"),
                                html.Small(
                                    strings.LEVEL_DESCRIPTIONS[level],
                                    className="text-body-secondary",
                                ),
                            ]
                        ),
                        dbc.CardBody(
                            [
                                html.P(
                                    [
                                        html.Span(
                                            contents[level][0],
                                            className="display-6 me-2",
                                            id=ids.kpi(level),
                                        ),
                                        html.Span(contents[level][1], id=ids.kpi(level, "of")),
                                    ],
                                    className="mb-1",
                                ),
                                html.Div(contents[level][2], id=ids.kpi(level, "detail")),
                                html.P(
                                    forecasts[level],
                                    id=ids.kpi(level, "forecast"),
                                    className="small mb-0 mt-2",
                                ),
                            ]
                        ),
                    ],
                    id=ids.kpi(level, "card"),
                    className=contents[level][3],
                ),
                xs=12,
                md=4,
                className="mb-3",
            )
            for level in LEVELS
        ],
        id=ids.KPI_CARDS,
    )


def kpi_content(
    row: pd.Series | None, selected: bool = True, completed: float | None = None
) -> KpiContent:
    """A level's card: the big number, the words after it, the lines under it and the card's
    status class.

    Args:
        row: the level's headline (target, achieved, expected, attainment, status, …), if any.
        selected: whether the level is in the selection at all.
        completed: people completed at the level, shown when there is no target to judge.
    """
    if not selected:
        return strings.NOT_AVAILABLE, "", [html.P(strings.KPI_NOT_SELECTED)], "kpi-card status-none"
    if row is None or pd.isna(row["target"]):
        if completed is None:
            return strings.NOT_AVAILABLE, "", [html.P(strings.NO_TARGET)], "kpi-card status-none"
        return (
            people(completed),
            strings.KPI_PEOPLE_COMPLETED,
            [html.P(strings.KPI_NO_OWN_TARGET)],
            "kpi-card status-none",
        )
    status = str(row["status"]) if pd.notna(row["status"]) else None
    lines: list[Any] = [
        html.P(
            strings.KPI_ACHIEVED.format(
                achieved=int(row["achieved"]), target=int(row["target"]), metric=row["metric"]
            ),
            className="mb-1",
        ),
        html.P(
            strings.KPI_EXPECTED.format(expected=int(round(row["expected"]))),
            className="mb-2 text-body-secondary",
        ),
        status_badge(status),
    ]
    if int(row.get("count", 1)) > 1:
        lines.append(
            html.P(
                strings.KPI_REGIONS_NOTE.format(count=int(row["count"])),
                className="small mb-0 mt-1",
            )
        )
    return (
        percent(row["attainment"]),
        strings.KPI_OF_TARGET.format(deadline=int(row["deadline_year"])),
        lines,
        f"kpi-card status-{status or 'none'}",
    )


def forecast_text(rows: pd.DataFrame) -> str:
    """The forecast line of a level's card, from ``forecast`` rows of its headline targets."""
    if rows.empty:
        return ""
    if len(rows) > 1:
        return strings.KPI_FORECAST_MANY.format(on_time=int(rows["on_time"].sum()), count=len(rows))
    row = rows.iloc[0]
    label = row["forecast"]
    if label == REACHED:
        return strings.KPI_FORECAST_REACHED
    if label == NOT_BEFORE_DEADLINE:
        return strings.KPI_FORECAST_LATE.format(
            run_rate=row["run_rate"], required=row["required_run_rate"]
        )
    if not isinstance(label, str):
        return strings.KPI_FORECAST_UNKNOWN
    return strings.KPI_FORECAST_ON_TIME.format(period=label)


def kpi_contents(filters: Filters, scope: Scope) -> list[KpiContent]:
    """Each level's card for the selection; on a cluster page, levels without a cluster
    target show the people the cluster has trained."""
    cluster_page = is_cluster_page(scope)
    rows = by_level(headline_rows(filters, cluster_page=cluster_page)).set_index("level")
    completed: dict[str, float] = {}
    if cluster_page:
        people_trained = funnel_by_level(filters)
        completed = dict(
            zip(people_trained["level"].astype(str), people_trained["completed"], strict=True)
        )
    chosen = {str(level) for level in filters.levels} or set(LEVELS)
    return [
        kpi_content(
            rows.loc[level] if level in rows.index else None,  # type: ignore[arg-type]
            level in chosen,
            completed.get(level, 0.0) if cluster_page else None,
        )
        for level in LEVELS
    ]


@callback(
    [Output(ids.kpi(level), "children") for level in LEVELS],
    [Output(ids.kpi(level, "of"), "children") for level in LEVELS],
    [Output(ids.kpi(level, "detail"), "children") for level in LEVELS],
    [Output(ids.kpi(level, "card"), "className") for level in LEVELS],
    SELECTION,
    SCOPE,
    prevent_initial_call=True,
)
def update_kpis(data: dict[str, Any] | None, scope: dict[str, Any] | None) -> tuple[Any, ...]:
    """Refill the headline cards for a new selection."""
    contents = kpi_contents(read_filters(data), scope or {})
    return tuple(content[part] for part in range(4) for content in contents)


def _funnel_rows(_frames: Frames, filters: Filters) -> pd.DataFrame:
    return funnel(selected_frames(filters), ("level",))


def funnel_by_level(filters: Filters) -> pd.DataFrame:
    """``funnel`` of the selection per level (the funnel chart and a cluster's cards share it)."""
    return cached("funnel", filters, _funnel_rows)


def _forecast_rows(_frames: Frames, filters: Filters, cluster_page: bool) -> pd.DataFrame:
    selected = selected_frames(filters)
    targets = headline_rows(filters, cluster_page=cluster_page)["target_id"]
    narrowed = replace(
        selected, targets=selected.targets[selected.targets["target_id"].isin(targets)]
    )
    return forecast(narrowed, analysis_settings())


def forecast_lines(filters: Filters, scope: Scope) -> list[str]:
    """The forecast line of each headline card: when the headline target will be reached."""
    cluster_page = is_cluster_page(scope)
    if headline_rows(filters, cluster_page=cluster_page).empty:
        return [""] * len(LEVELS)
    table = cached(
        "forecast-cluster" if cluster_page else "forecast",
        filters,
        lambda frames, chosen: _forecast_rows(frames, chosen, cluster_page),
    )
    levels = table["level"].astype(str)
    return [forecast_text(table[levels == level]) for level in LEVELS]


@callback(
    [Output(ids.kpi(level, "forecast"), "children") for level in LEVELS],
    SELECTION,
    SCOPE,
    prevent_initial_call=True,
)
def update_forecasts(data: dict[str, Any] | None, scope: dict[str, Any] | None) -> list[str]:
    """Refill the forecast lines for a new selection."""
    return forecast_lines(read_filters(data), scope or {})
