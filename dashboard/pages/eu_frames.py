"""EU frames: what each level counts toward, and the selection's people against the Digital
Decade's goals (the basic level per region's adults, the specialists toward 20 million)."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from dashboard import ids, strings
from dashboard.components.chart_card import (
    chart_card,
    chart_outputs,
    chart_values,
    redrawn,
    render_table,
    table_payload,
)
from dashboard.components.filter_bar import (
    SCOPE,
    SELECTION,
    SELECTION_STATE,
    Scope,
    filter_bar,
    read_filters,
    read_page_query,
    selection_components,
)
from dashboard.components.sections import cards_row, on_selection, section, view_links
from dashboard.data import current_frames, no_data_words
from dashboard.figures.base import Chart, level_label
from dashboard.figures.eu_frames import countries_chart, reach_chart, specialists_chart
from dashboard.url_state import to_search
from skills_roadmap.analysis import Filters, Frames
from skills_roadmap.analysis.eu_reach import adult_reach, country_reach, ict_specialists
from skills_roadmap.analysis.running import measure_by
from skills_roadmap.domain import TrainingLevel
from skills_roadmap.i18n import gettext
from skills_roadmap.reference.eu_frames import DIGCOMP_LEVELS, EU_FRAMES, FrameKey, frame_levels

dash.register_page(
    __name__,
    path="/eu-frames",
    name=strings.EU_NAME,
    title=f"{strings.EU_NAME} · {strings.APP_TITLE}",
    order=5,
    in_navbar=True,
)

COUNTRIES_BODY = "eu-countries-body"
FRAME_CHOICE = "eu-frame"
ALL_FRAMES = ""
_DECADE = (FrameKey.BASIC_SKILLS, FrameKey.ICT_SPECIALISTS)


def mapping_table() -> dbc.Table:
    """Each level's frames: the Digital Decade goal, the AI Act's literacy duty, DigComp 2.2."""

    def counts_toward(level: TrainingLevel, keys: tuple[FrameKey, ...]) -> str | None:
        return next(
            (
                gettext(frame.short)
                for frame in EU_FRAMES
                if frame.key in keys and level in frame.levels
            ),
            None,
        )

    header = html.Thead(
        html.Tr(
            [
                html.Th(strings.COLUMNS[column], scope="col")
                for column in ("level", "digital_decade", "ai_act", "digcomp")
            ]
        )
    )
    rows = [
        html.Tr(
            [
                html.Th(level_label(level.value), scope="row"),
                html.Td(counts_toward(level, _DECADE) or "—"),
                html.Td(
                    strings.EU_AI_ACT_YES if counts_toward(level, (FrameKey.AI_LITERACY,)) else "—"
                ),
                html.Td(gettext(DIGCOMP_LEVELS[level])),
            ]
        )
        for level in TrainingLevel
    ]
    return dbc.Table(
        [header, html.Tbody(rows)], bordered=False, hover=True, size="sm", responsive=True
    )


def frame_of(filters: Filters) -> str:
    """The frame whose levels the selection's levels are, if any (else all frames)."""
    chosen = set(filters.levels)
    return next(
        (frame.key.value for frame in EU_FRAMES if chosen and chosen == set(frame.levels)),
        ALL_FRAMES,
    )


def frame_choice(filters: Filters) -> html.Div:
    """Filter by frame: picking one selects the levels that count toward it."""
    options = [{"label": strings.EU_ALL_FRAMES, "value": ALL_FRAMES}] + [
        {"label": gettext(frame.name), "value": frame.key.value} for frame in EU_FRAMES
    ]
    return html.Div(
        [
            dbc.Label(strings.EU_FRAME_FILTER, html_for=FRAME_CHOICE, className="fw-semibold"),
            dbc.RadioItems(id=FRAME_CHOICE, options=options, value=frame_of(filters), inline=True),
        ],
        className="mb-3",
    )


@callback(
    Output(ids.FILTER_LOCATION, "search", allow_duplicate=True),
    Input(FRAME_CHOICE, "value"),
    SELECTION_STATE,
    prevent_initial_call=True,
)
def choose_frame(frame: str | None, data: dict[str, Any] | None) -> Any:
    """A frame picked: the selection's levels become the frame's (all levels for "all"),
    through the address bar, which the filter bar follows."""
    filters = read_filters(data)
    levels = () if not frame else frame_levels(frame)
    if tuple(filters.levels) == tuple(levels):
        return dash.no_update
    return to_search(filters.model_copy(update={"levels": levels}))


@callback(Output(FRAME_CHOICE, "value"), SELECTION, prevent_initial_call=True)
def follow_levels(data: dict[str, Any] | None) -> str:
    """The frame the levels picked in the filter bar make up, if any."""
    return frame_of(read_filters(data))


def _reach(filters: Filters) -> Any:
    return on_selection("eu-reach", filters, lambda frames: adult_reach(current_frames(), frames))


@redrawn(ids.EU_REACH)
def reach_for(filters: Filters, _scope: Scope) -> Chart:
    """The basic level's people per region, as a share of its adults."""
    return reach_chart(_reach(filters))


@redrawn(ids.EU_SPECIALISTS)
def specialists_for(filters: Filters, _scope: Scope) -> Chart:
    """The specialist levels' people toward the 20 million ICT specialists."""

    def build(frames: Frames) -> Chart:
        network = current_frames()
        by_level = measure_by(network, frames, "completed", "level")
        return specialists_chart(by_level, float(ict_specialists(network, frames)["share_of_goal"]))

    return on_selection("eu-specialists", filters, build)


def countries_for(filters: Filters) -> Chart:
    """The reach summed per country over the regions whose adults are known."""
    return countries_chart(country_reach(_reach(filters)))


def _countries_card(chart: Chart) -> dbc.Card:
    body = html.Div(
        render_table(table_payload(ids.EU_COUNTRIES, chart.title, chart.table)),
        id=COUNTRIES_BODY,
        className="chart-table",
    )
    return chart_card(ids.EU_COUNTRIES, chart, body=body)


@callback(
    *chart_outputs(ids.EU_COUNTRIES, figure=False),
    Output(COUNTRIES_BODY, "children"),
    SELECTION,
    SCOPE,
    prevent_initial_call=True,
)
def redraw_countries(data: dict[str, Any] | None, _scope: Any) -> tuple[Any, ...]:
    """The country sums of a new selection."""
    chart = countries_for(read_filters(data))
    title, payload = chart_values(ids.EU_COUNTRIES, chart, figure=False)
    return title, payload, render_table(payload)


def layout(**query: Any) -> html.Div:
    """The selection against the EU frames, as of the selected month."""
    if current_frames().as_of is None:
        return html.Div([html.H1(strings.EU_TITLE_PAGE), dbc.Alert(no_data_words(), color="info")])
    filters, choices, parsed = read_page_query(query, {})
    return html.Div(
        [
            *selection_components(filters, {}),
            html.H1(strings.EU_TITLE_PAGE, className="h2"),
            html.P(strings.EU_INTRO, className="lead"),
            filter_bar(choices, filters, parsed.problems),
            frame_choice(filters),
            section(
                strings.EU_MAPPING_TITLE,
                mapping_table(),
                html.P(strings.EU_SOURCES, className="small text-body-secondary"),
            ),
            cards_row(
                (
                    chart_card(
                        ids.EU_REACH,
                        reach_for(filters, {}),
                        height=420,
                        note=strings.EU_REACH_NOTE,
                    ),
                    8,
                ),
                (chart_card(ids.EU_SPECIALISTS, specialists_for(filters, {}), height=420), 4),
            ),
            cards_row((_countries_card(countries_for(filters)), 12)),
            view_links(filters),
        ]
    )
