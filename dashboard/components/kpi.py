"""Headline cards, one per level: achieved against target, attainment, status and forecast.

Every number on a card is a row of the selection's headline
(:func:`~skills_roadmap.analysis.headline.headline`): the same numbers as ``/api/v1/summary``,
``skills-roadmap summary`` and the reports' Summary table. The trend chart traces the same
targets, so its last point and the card agree.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Output, callback, html

from dashboard import ids, strings
from dashboard.components.filter_bar import SELECTION, read_filters
from dashboard.components.formats import month_words, people, percent
from dashboard.components.status import status_badge
from dashboard.data import analysis_settings, cached, selected_frames, selection_headline
from skills_roadmap.analysis import Filters, Frames, funnel, overview
from skills_roadmap.analysis.pace import NOT_BEFORE_DEADLINE, REACHED

LEVELS = tuple(strings.LEVEL_LABELS)


def _overview_rows(frames: Frames, filters: Filters) -> pd.DataFrame:
    return overview(frames, filters, analysis_settings())


def overview_table(filters: Filters) -> pd.DataFrame:
    """``overview`` of the selection, computed once per selection: the map and the league
    table read it."""
    return cached("overview", filters, _overview_rows)


KpiContent = tuple[str, str, list[Any], str]
"""A level's card: the big number, the words after it, the lines under it and its class."""


def kpi_cards(filters: Filters) -> dbc.Row:
    """The three headline cards of the selection; :func:`update_kpis` and
    :func:`update_forecasts` refill them for a new selection."""
    contents = dict(zip(LEVELS, kpi_contents(filters), strict=True))
    forecasts = dict(zip(LEVELS, forecast_lines(filters), strict=True))
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


def kpi_content(row: pd.Series | None, expected_by: str) -> KpiContent:
    """A level's card: the big number, the words after it, the lines under it and the card's
    status class.

    Args:
        row: the level's row of the headline, or ``None`` when the level is not selected.
        expected_by: when the trajectory's value is read: "by now", or "by June 2026".
    """
    if row is None:
        return strings.NOT_AVAILABLE, "", [html.P(strings.KPI_NOT_SELECTED)], "kpi-card status-none"
    if row["targets"] == 0:
        if row["completed"] == 0:
            return strings.NOT_AVAILABLE, "", [html.P(strings.NO_TARGET)], "kpi-card status-none"
        return (
            people(row["completed"]),
            strings.KPI_PEOPLE_COMPLETED,
            [html.P(strings.NO_TARGET)],
            "kpi-card status-none",
        )
    achieved = html.P(
        strings.KPI_ACHIEVED.format(
            achieved=int(row["achieved"]),
            target=int(row["target"]),
            metric=strings.METRIC_WORDS.get(row["metric"], row["metric"]),
        ),
        className="mb-1",
    )
    if row["part"]:
        return (
            percent(row["attainment"]),
            strings.KPI_OF_TARGET_PART.format(deadline=int(row["deadline_year"])),
            [achieved, html.P(strings.KPI_PART, className="small mb-0 text-body-secondary")],
            "kpi-card status-none",
        )
    status = str(row["status"]) if pd.notna(row["status"]) else None
    lines: list[Any] = [
        achieved,
        html.P(
            strings.KPI_EXPECTED.format(expected=int(round(row["expected"])), by=expected_by),
            className="mb-2 text-body-secondary",
        ),
        status_badge(status),
    ]
    if row["targets"] > 1:
        lines.append(
            html.P(
                strings.KPI_TARGETS_NOTE.format(count=int(row["targets"])),
                className="small mb-0 mt-1",
            )
        )
    return (
        percent(row["attainment"]),
        strings.KPI_OF_TARGET.format(deadline=int(row["deadline_year"])),
        lines,
        f"kpi-card status-{status or 'none'}",
    )


def forecast_text(row: pd.Series | None) -> str:
    """The forecast line of a level's card, from its row of the headline."""
    if row is None or row["targets"] == 0 or row["part"]:
        return ""
    if row["targets"] > 1:
        return strings.KPI_FORECAST_MANY.format(
            on_time=int(row["on_time"]), count=int(row["targets"])
        )
    label = row["forecast"]
    if label == REACHED:
        return strings.KPI_FORECAST_REACHED
    if label == NOT_BEFORE_DEADLINE:
        return strings.KPI_FORECAST_LATE.format(
            run_rate=row["run_rate"], required=row["required_run_rate"]
        )
    if not isinstance(label, str):
        return strings.KPI_FORECAST_UNKNOWN
    return strings.KPI_FORECAST_ON_TIME.format(period=month_words(label))


def _level_rows(filters: Filters) -> dict[str, pd.Series | None]:
    """Each level's row of the selection's headline (``None``: not selected)."""
    rows = {row["level"]: row for _, row in selection_headline(filters).levels.iterrows()}
    return {level: rows.get(level) for level in LEVELS}


def expected_by(filters: Filters) -> str:
    """When the trajectory's value on the cards is read: "by now" at the latest month, else
    "by June 2026"."""
    shown = selection_headline(filters).as_of
    if filters.as_of is None or shown is None:
        return strings.BY_NOW
    return strings.BY_MONTH.format(month=month_words(shown))


def kpi_contents(filters: Filters) -> list[KpiContent]:
    """Each level's card for the selection."""
    by = expected_by(filters)
    return [kpi_content(row, by) for row in _level_rows(filters).values()]


@callback(
    [Output(ids.kpi(level), "children") for level in LEVELS],
    [Output(ids.kpi(level, "of"), "children") for level in LEVELS],
    [Output(ids.kpi(level, "detail"), "children") for level in LEVELS],
    [Output(ids.kpi(level, "card"), "className") for level in LEVELS],
    SELECTION,
    prevent_initial_call=True,
)
def update_kpis(data: dict[str, Any] | None) -> tuple[Any, ...]:
    """Refill the headline cards for a new selection."""
    contents = kpi_contents(read_filters(data))
    return tuple(content[part] for part in range(4) for content in contents)


def _funnel_rows(_frames: Frames, filters: Filters) -> pd.DataFrame:
    return funnel(selected_frames(filters), ("level",))


def funnel_by_level(filters: Filters) -> pd.DataFrame:
    """``funnel`` of the selection per level (for the funnel chart)."""
    return cached("funnel", filters, _funnel_rows)


def forecast_lines(filters: Filters) -> list[str]:
    """The forecast line of each headline card: when the headline target will be reached."""
    return [forecast_text(row) for row in _level_rows(filters).values()]


@callback(
    [Output(ids.kpi(level, "forecast"), "children") for level in LEVELS],
    SELECTION,
    prevent_initial_call=True,
)
def update_forecasts(data: dict[str, Any] | None) -> list[str]:
    """Refill the forecast lines for a new selection."""
    return forecast_lines(read_filters(data))
