"""The budget planner's plan as an Excel workbook: the reasons and totals, then one sheet per
table (cohorts, targets, budgets, marginal costs, programme types), formatted as the
reports' data sheets are."""

from __future__ import annotations

from typing import IO

import xlsxwriter

from skills_roadmap.analysis.periods import months_of_periods
from skills_roadmap.i18n import N_, formats, gettext
from skills_roadmap.planning import Plan
from skills_roadmap.reports.columns import (
    FIELD_WORDS,
    Column,
    Kind,
    ReportTable,
    translated_columns,
)
from skills_roadmap.reports.xlsx import (
    WORKBOOK_OPTIONS,
    Styles,
    column_width,
    sheet_name,
    write_table,
)

_T, _C, _N, _E, _S, _P = Kind.TEXT, Kind.COUNT, Kind.NUMBER, Kind.EUR, Kind.SHARE, Kind.PERIOD


def _column(key: str, header: str, kind: Kind, description: str) -> Column:
    # A level, delivery mode, provider helix or scope reads in words, as in the reports.
    return Column(key, header, kind, description, words=FIELD_WORDS.get(key))


_PLACE = (
    _column("region_code", "Region", _T, "NUTS code of the region the cohorts start in"),
    _column("level", "Level", _T, "training level"),
    _column("delivery_mode", "Delivery mode", _T, "online, in-person or blended"),
    _column("provider_helix", "Provider helix", _T, "who provides: industry, academia, …"),
)
PLAN_TABLES: dict[str, tuple[str, tuple[Column, ...]]] = {
    "rows": (
        N_("Cohorts"),
        (
            *_PLACE,
            _column("funding_source", "Funding source", _T, "the budget that pays"),
            _column("start", "Start", _P, "month the cohorts start"),
            _column("completes", "Completes", _P, "month their completers count"),
            _column("cohorts", "Cohorts", _C, "new cohorts of the type"),
            _column("places", "Places", _C, "cohorts x places per cohort"),
            _column("completers", "Completers", _N, "places x completion rate"),
            _column("cost", "Cost", _E, "cohorts x cost per cohort"),
            _column("basis", "Figures of", _T, "the region's own history or the network's"),
        ),
    ),
    "targets": (
        N_("Targets"),
        (
            _column("target_id", "Target", _T, "target id"),
            _column("scope", "Scope", _T, "region or network"),
            _column("scope_id", "Of", _T, "region code (blank: the network)"),
            _column("level", "Level", _T, "training level"),
            _column("deadline", "Deadline", _P, "December of the deadline year"),
            _column("target", "Target value", _C, "people to train"),
            _column("achieved", "Achieved", _C, "people trained by the as-of month"),
            _column(
                "forecast", "Forecast", _N, "achieved plus the recent run rate to the deadline"
            ),
            _column("gap", "Gap", _C, "target - forecast, whole people, at least 0"),
            _column("plan_completers", "Plan", _N, "the plan's completers counting for it"),
            _column("forecast_with_plan", "With plan", _N, "forecast + plan"),
            _column("attainment_before", "Attainment before", _S, "forecast / target"),
            _column("attainment_after", "Attainment after", _S, "with plan / target"),
        ),
    ),
    "budgets": (
        N_("Budgets"),
        (
            _column("funding_source", "Funding source", _T, "the budget's source"),
            _column("budget", "Budget", _E, "what was given"),
            _column("planned", "Planned", _E, "what the plan spends of it"),
            _column("left", "Left", _E, "budget - planned"),
        ),
    ),
    "marginal": (
        N_("Marginal costs"),
        (
            _column("region_code", "Region", _T, "region code"),
            _column("level", "Level", _T, "training level"),
            _column("marginal_cost", "One more completer", _E, "what one more would cost"),
            _column("source", "From", _T, "the relaxation's dual, or the cheapest type"),
        ),
    ),
    "types": (
        N_("Programme types"),
        (
            *_PLACE,
            _column("basis", "Figures of", _T, "the region's own history or the network's"),
            _column("programmes", "Programmes", _C, "programmes with completions learnt from"),
            _column("cost_per_completer", "Cost per completer", _E, "cost / completions"),
            _column("completion_rate", "Completion rate", _S, "completions / enrolments"),
            _column("places", "Places", _N, "median capacity, rounded up to whole places"),
            _column("lag_months", "Months to completions", _C, "median, rounded up"),
            _column("duration_months", "Months needed", _C, "lag + the start month"),
            _column("completers_per_cohort", "Completers per cohort", _N, "places x rate"),
            _column("cost_per_cohort", "Cost per cohort", _E, "per completer x completers"),
        ),
    ),
}


# The Plan sheet's words beside the plan's figures (the Plan page says them alike).
MODE_WORDS = {
    "least-cost": N_("Least cost: close every gap for the least money"),
    "most-people": N_("Most people: train the most people within the budgets"),
}
TOTAL_LABELS = {
    "cohorts": N_("New cohorts"),
    "places": N_("Places"),
    "completers": N_("Completers"),
    "cost": N_("Cost"),
}


def plan_tables(plan: Plan) -> list[ReportTable]:
    """The plan's tables as documented report tables (periods as month indexes), their
    titles and headers in the current language."""
    tables = []
    for attribute, (title, columns) in PLAN_TABLES.items():
        frame = getattr(plan, attribute)[[column.key for column in columns]].copy()
        for column in columns:
            if column.kind is Kind.PERIOD and len(frame):
                frame[column.key] = months_of_periods(frame[column.key])
        name = gettext(title)
        tables.append(ReportTable(attribute, name, name, translated_columns(columns), frame))
    return tables


def write_plan_xlsx(plan: Plan, target: IO[bytes]) -> None:
    """The plan as a workbook: a Plan sheet (mode, as-of month, totals and every reason in
    words, in the current language), then one sheet per table with a frozen header and an
    autofilter."""
    workbook = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
    styles = Styles(workbook)
    summary = workbook.add_worksheet(sheet_name(gettext("Plan")))
    summary.set_column(0, 0, 24)
    summary.set_column(1, 1, 100)
    summary.write_string(0, 0, gettext("Budget plan"), styles.title)
    totals = {
        name: formats.money(value, cents=False) if name == "cost" else formats.number(value)
        for name, value in plan.totals.items()
    }
    lines = [
        (gettext("Mode"), gettext(MODE_WORDS[plan.mode.value])),
        (gettext("As of"), formats.month(plan.as_of)),
        *((gettext(TOTAL_LABELS[name]), value) for name, value in totals.items()),
        (gettext("Optimality"), plan.optimality),
    ]
    for row, (label, value) in enumerate(lines, start=2):
        summary.write_string(row, 0, label, styles.label)
        summary.write_string(row, 1, value, styles.text)
    row = len(lines) + 3
    summary.write_string(row, 0, gettext("Reasons"), styles.heading)
    reasons = plan.words or [gettext("every selected gap is closed")]
    for offset, words in enumerate(reasons, start=1):
        summary.write_string(row + offset, 1, words, styles.sentence)
    for table in plan_tables(plan):
        sheet = workbook.add_worksheet(sheet_name(table.title))
        last = write_table(sheet, styles, 0, table)
        sheet.freeze_panes(1, 1)
        sheet.autofilter(0, 0, max(last - 1, 0), len(table.columns) - 1)
        for col, column in enumerate(table.columns):
            width = column_width(column, table.frame[column.key].astype(object))
            sheet.set_column(col, col, width)
    workbook.close()
