"""Plan: the new cohorts that close the selected targets' gaps at the least cost, or train the
most people within the budgets, with the reasons in words and the plan as a workbook."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, dcc, html
from flask import abort
from pydantic import ValidationError

from dashboard import ids, strings
from dashboard.auth import require
from dashboard.components.attributes import attributes
from dashboard.components.chart_card import chart_card, render_table, table_payload
from dashboard.components.filter_bar import (
    SELECTION_STATE,
    filter_bar,
    read_filters,
    read_page_query,
    selection_components,
)
from dashboard.components.formats import euros, month_words, people
from dashboard.data import analysis_settings, cached, current_frames, no_data_words
from dashboard.figures.plan import PLAN_ROW_KEYS, effect_chart, effect_height, plan_frame
from skills_roadmap.analysis import Filters
from skills_roadmap.exceptions import SkillsRoadmapError
from skills_roadmap.planning import Plan, PlanMode, PlanRequest, plan
from skills_roadmap.reports.plan_workbook import write_plan_xlsx
from skills_roadmap.users import Permission

dash.register_page(
    __name__,
    path="/plan",
    name=strings.PLAN_NAME,
    title=f"{strings.PLAN_TITLE} · {strings.APP_TITLE}",
    order=6,
    in_navbar=True,
    permission=Permission.PLAN.value,
)

BUDGET_ROWS = 3  # funding sources a plan is given at once; the CLI takes any number
SCOPE_FIELDS = ("regions", "levels", "as_of")
# What-if multiples of the history's cost and completion rate: (least, most, step).
COST_FACTORS = (0.5, 2.0, 0.1)
COMPLETION_FACTORS = (0.5, 1.5, 0.1)
FACTOR_WORDS = "-words"
FACTOR_VALUE = "-value"  # the id suffix of the words beside a what-if slider
WORKBOOK_NAME = "plan.xlsx"


class BudgetRowError(SkillsRoadmapError):
    """A budget row the planner cannot take (an amount without a source, or the reverse)."""


def budgets_of(sources: Sequence[str | None], amounts: Sequence[Any]) -> dict[str, float]:
    """The budget rows as a budget per funding source: blank rows left out, a source named
    twice adding up (as ``--budget`` given twice does).

    >>> budgets_of(["ERDF", "", "ERDF "], [1000, None, "500"])
    {'ERDF': 1500.0}
    """
    budgets: dict[str, float] = {}
    for source, amount in zip(sources, amounts, strict=True):
        name = (source or "").strip()
        euros_given = None if amount in (None, "") else float(amount)
        if not name and euros_given is None:
            continue
        if euros_given is None or not math.isfinite(euros_given):
            raise BudgetRowError(strings.PLAN_BUDGET_NO_AMOUNT.format(source=name))
        if not name:
            raise BudgetRowError(strings.PLAN_BUDGET_NO_SOURCE.format(amount=euros_given))
        if euros_given < 0:
            raise BudgetRowError(strings.PLAN_BUDGET_NEGATIVE.format(source=name))
        budgets[name] = budgets.get(name, 0.0) + euros_given
    return budgets


def plan_request(
    filters: Filters,
    mode: str | None,
    sources: Sequence[str | None],
    amounts: Sequence[Any],
    cost_factor: Any,
    completion_factor: Any,
) -> PlanRequest:
    """What the page's inputs ask of the planner: the filter bar's regions, levels and month,
    the budget rows, the mode and the what-ifs."""
    return PlanRequest(
        regions=filters.regions,
        levels=filters.levels,
        as_of=filters.as_of,
        budgets=budgets_of(sources, amounts),
        mode=PlanMode(mode or PlanMode.LEAST_COST.value),
        cost_factor=float(cost_factor or 1.0),
        completion_factor=float(completion_factor or 1.0),
    )


def planned(request: PlanRequest) -> Plan:
    """The plan of ``request`` on the current frames, once per snapshot: the download and a
    second press of Plan reuse it."""
    return cached(
        f"plan {request.model_dump_json()}",
        Filters(),
        lambda frames, _filters: plan(frames, request, analysis_settings()),
    )


def _fieldset(legend: str, *children: Any) -> html.Fieldset:
    return html.Fieldset(
        [html.Legend(legend, className="form-label small fw-semibold mb-1"), *children],
        className="mb-3",
    )


def source_id(row: int) -> str:
    """The id of budget row ``row``'s funding source (plain, so that its label can name it)."""
    return f"{ids.PLAN_SOURCE}-{row}"


def amount_id(row: int) -> str:
    """The id of budget row ``row``'s amount."""
    return f"{ids.PLAN_AMOUNT}-{row}"


ROWS = range(1, BUDGET_ROWS + 1)


def _labelled_input(label: str, component: Any) -> dbc.Col:
    return dbc.Col(
        [dbc.Label(label, html_for=component.id, className="visually-hidden"), component], xs=6
    )


def _budget_rows(sources: Sequence[str]) -> html.Fieldset:
    rows = [
        dbc.Row(
            [
                _labelled_input(
                    strings.PLAN_SOURCE_LABEL.format(row=row),
                    dbc.Input(
                        id=source_id(row),
                        type="text",
                        list=ids.PLAN_SOURCES,
                        placeholder=strings.PLAN_SOURCE_PLACEHOLDER,
                        maxLength=100,
                        size="sm",
                    ),
                ),
                _labelled_input(
                    strings.PLAN_AMOUNT_LABEL.format(row=row),
                    dbc.Input(
                        id=amount_id(row),
                        type="number",
                        min=0,
                        placeholder=strings.PLAN_AMOUNT_PLACEHOLDER,
                        size="sm",
                    ),
                ),
            ],
            className="g-2 mb-1",
        )
        for row in ROWS
    ]
    return _fieldset(
        strings.PLAN_BUDGETS_LABEL,
        *rows,
        html.Datalist([html.Option(value=source) for source in sources], id=ids.PLAN_SOURCES),
        html.P(strings.PLAN_BUDGETS_HELP, className="small text-body-secondary mb-0"),
    )


def _factor(component_id: str, label: str, bounds: tuple[float, float, float]) -> html.Div:
    least, most, step = bounds
    return html.Div(
        [
            dbc.Label(label, html_for=component_id, className="small fw-semibold mb-0"),
            dbc.Input(id=component_id, type="range", min=least, max=most, step=step, value=1.0),
            html.Span(
                strings.PLAN_FACTOR.format(factor="1.0"),
                id=component_id + FACTOR_VALUE,
                className="small",
                **attributes(aria_live="polite"),
            ),
            dcc.Store(id=component_id + FACTOR_WORDS, data=strings.PLAN_FACTOR),
        ],
        className="mb-3",
    )


def inputs(sources: Sequence[str]) -> html.Section:
    """The mode, the budget rows, the what-ifs and the Plan button."""
    return html.Section(
        [
            html.H2(strings.PLAN_INPUTS_HEADING, className="h5"),
            dbc.Row(
                [
                    dbc.Col(
                        _fieldset(
                            strings.PLAN_MODE_LABEL,
                            dbc.RadioItems(
                                id=ids.PLAN_MODE,
                                options=[
                                    {"label": label, "value": value}
                                    for value, label in strings.PLAN_MODES.items()
                                ],
                                value=PlanMode.LEAST_COST.value,
                            ),
                        ),
                        md=4,
                    ),
                    dbc.Col(_budget_rows(sources), md=4),
                    dbc.Col(
                        [
                            _factor(
                                ids.PLAN_COST_FACTOR, strings.PLAN_COST_FACTOR_LABEL, COST_FACTORS
                            ),
                            _factor(
                                ids.PLAN_COMPLETION_FACTOR,
                                strings.PLAN_COMPLETION_FACTOR_LABEL,
                                COMPLETION_FACTORS,
                            ),
                        ],
                        md=4,
                    ),
                ]
            ),
            html.Button(
                strings.PLAN_RUN, id=ids.PLAN_RUN, type="button", className="btn btn-primary"
            ),
        ],
        className="mb-4",
    )


def _words(result: Plan) -> dbc.Alert:
    """The reasons first: why a gap stays open, or that the plan closes them all."""
    if result.words:
        return dbc.Alert(
            [
                html.H2(strings.PLAN_WORDS_HEADING, className="h5"),
                html.Ul([html.Li(words) for words in result.words], className="mb-0"),
            ],
            color="warning",
            id=ids.PLAN_WORDS,
        )
    targets = result.targets
    closed = bool((targets["forecast_with_plan"] >= targets["target"] - 1e-6).all())
    return dbc.Alert(
        strings.PLAN_ALL_CLOSED if closed else strings.PLAN_NO_WORDS,
        color="success" if closed else "info",
        id=ids.PLAN_WORDS,
    )


def totals(result: Plan) -> dict[str, str]:
    """The totals cards' figures as shown: the plan's cohorts, places, completers and cost,
    and what is left of the budgets when there are any."""
    figures = result.totals
    shown = {
        "cohorts": people(figures["cohorts"]),
        "places": people(figures["places"]),
        "completers": people(figures["completers"]),
        "cost": euros(figures["cost"]),
    }
    if len(result.budgets):
        shown["left"] = euros(result.budgets["left"].sum())
    return shown


def _totals_row(result: Plan) -> dbc.Row:
    cards = [
        dbc.Col(
            dbc.Card(
                dbc.CardBody(
                    [
                        html.P(strings.PLAN_TOTAL_LABELS[name], className="small mb-1"),
                        html.P(value, className="h4 mb-0", id=f"{ids.PLAN_TOTALS}-{name}"),
                    ],
                    className="p-2",
                )
            ),
            xs=6,
            md=2,
        )
        for name, value in totals(result).items()
    ]
    return dbc.Row(cards, className="g-2 mb-3", id=ids.PLAN_TOTALS)


def table_of(name: str, title: str, result: Plan, attribute: str, keys: Sequence[str] | None):
    """One of the plan's tables as the page lists it (an accessible table with a caption)."""
    return render_table(table_payload(name, title, plan_frame(result, attribute, keys)), title)


def results(result: Plan) -> list[Any]:
    """The plan: reasons, totals and how close to the best it is proven, the new cohorts,
    what each funding source pays (with budgets), the effect on each target, the marginal
    costs and the download."""
    cohorts = (
        table_of(ids.PLAN_TABLE, strings.PLAN_TABLE_TITLE, result, "rows", PLAN_ROW_KEYS)
        if len(result.rows)
        else html.P(strings.PLAN_TABLE_EMPTY, id=ids.PLAN_TABLE)
    )
    spending = table_of(ids.PLAN_BUDGETS, strings.PLAN_BUDGETS_TITLE, result, "budgets", None)
    budgets = [html.Section(spending, className="mb-4")] if len(result.budgets) else []
    marginal = table_of(ids.PLAN_MARGINAL, strings.PLAN_MARGINAL_TITLE, result, "marginal", None)
    return [
        html.H2(
            strings.PLAN_TOTALS_HEADING.format(as_of=month_words(result.as_of)), className="h4"
        ),
        _words(result),
        _totals_row(result),
        html.P(
            strings.PLAN_OPTIMALITY.format(words=result.optimality),
            id=ids.PLAN_OPTIMALITY,
            className="small text-body-secondary",
        ),
        html.Section(cohorts, className="mb-4"),
        *budgets,
        dbc.Row(
            dbc.Col(
                chart_card(ids.PLAN_EFFECT, effect_chart(result), height=effect_height(result))
            ),
            className="g-3 mb-3",
        ),
        html.Section(
            [marginal, html.P(strings.PLAN_MARGINAL_NOTE, className="small text-body-secondary")],
            className="mb-3",
        ),
        html.Button(
            strings.PLAN_DOWNLOAD,
            id=ids.PLAN_DOWNLOAD_BUTTON,
            type="button",
            className="btn btn-outline-primary",
        ),
    ]


def layout(**query: Any) -> html.Div:
    """The scope (the filter bar's regions, levels and month), the inputs, and the plan once
    asked for."""
    frames = current_frames()
    if frames.as_of is None:
        return html.Div([html.H1(strings.PLAN_TITLE), dbc.Alert(no_data_words(), color="info")])
    filters, choices, parsed = read_page_query(query, {})
    sources = sorted(
        str(source) for source in frames.programmes["funding_source"].dropna().unique()
    )
    return html.Div(
        [
            *selection_components(filters, {}),
            html.H1(strings.PLAN_TITLE, className="h2"),
            html.P(strings.PLAN_INTRO, className="lead"),
            filter_bar(choices, filters, parsed.problems, fields=SCOPE_FIELDS),
            inputs(sources),
            dcc.Store(id=ids.PLAN_REQUEST),
            dcc.Loading(
                html.Div(
                    html.P(strings.PLAN_NOT_RUN),
                    id=ids.PLAN_RESULTS,
                    role="region",
                    **attributes(aria_label=strings.PLAN_TITLE),
                ),
                type="dot",
                delay_show=200,
            ),
            dcc.Download(id=ids.PLAN_DOWNLOAD),
        ]
    )


@callback(
    Output(ids.PLAN_RESULTS, "children"),
    Output(ids.PLAN_REQUEST, "data"),
    Input(ids.PLAN_RUN, "n_clicks"),
    SELECTION_STATE,
    State(ids.PLAN_MODE, "value"),
    State(ids.PLAN_COST_FACTOR, "value"),
    State(ids.PLAN_COMPLETION_FACTOR, "value"),
    *(State(source_id(row), "value") for row in ROWS),
    *(State(amount_id(row), "value") for row in ROWS),
    prevent_initial_call=True,
)
def run_plan(
    _clicks: int | None,
    selection: dict[str, Any] | None,
    mode: str | None,
    cost_factor: Any,
    completion_factor: Any,
    *rows: Any,
) -> tuple[Any, Any]:
    """Plan what the inputs ask (``rows``: the budget rows' sources, then their amounts); a
    request the planner refuses shows its one line, and nothing can be downloaded."""
    require(Permission.PLAN)
    sources, amounts = rows[:BUDGET_ROWS], rows[BUDGET_ROWS:]
    try:
        request = plan_request(
            read_filters(selection), mode, sources, amounts, cost_factor, completion_factor
        )
        result = planned(request)
    except SkillsRoadmapError as error:
        return dbc.Alert(str(error), color="danger", className="mt-2"), None
    except ValueError:  # a value the page's own controls cannot send
        abort(400)
    return results(result), request.model_dump(mode="json")


@callback(
    Output(ids.PLAN_DOWNLOAD, "data"),
    Input(ids.PLAN_DOWNLOAD_BUTTON, "n_clicks"),
    State(ids.PLAN_REQUEST, "data"),
    prevent_initial_call=True,
)
def download_plan(clicks: int | None, data: dict[str, Any] | None) -> Any:
    """The shown plan as a workbook (``skills-roadmap plan --xlsx``'s)."""
    require(Permission.PLAN)
    if not clicks or not data:
        return dash.no_update
    try:
        request = PlanRequest.model_validate(data)
    except ValidationError:
        abort(400)
    buffer = io.BytesIO()
    write_plan_xlsx(planned(request), buffer)
    return dcc.send_bytes(buffer.getvalue(), WORKBOOK_NAME)


# The words beside each what-if slider follow it in the browser, with no round trip, in the
# page's language (the words come with the page).
for _slider in (ids.PLAN_COST_FACTOR, ids.PLAN_COMPLETION_FACTOR):
    clientside_callback(
        """function (value, words) {
            return words.replace("{factor}", Number(value || 1).toFixed(1));
        }""",
        Output(_slider + FACTOR_VALUE, "children"),
        Input(_slider, "value"),
        State(_slider + FACTOR_WORDS, "data"),
    )
