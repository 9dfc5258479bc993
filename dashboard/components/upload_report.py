"""The dry-run report on screen, problems first (counts, a verdict, errors then warnings, each
with the row's Programme ID and name and located by sheet, row and column; then the count per
rule when they do not all fit, the counts per sheet of a network workbook, changed values old →
new) and what Confirm did."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import strings
from dashboard.components.formats import quantity
from skills_roadmap.domain import UploadOutcome
from skills_roadmap.ingest import CommitResult, DryRunReport, SheetKind, SheetReport
from skills_roadmap.ingest.problems import ROW_ID, Severity

TABLE_ROWS_SHOWN = 200  # per table; the marked-up workbook and the API list more
PROBLEM_COLUMNS = ("sheet", "row", "column", "cell", "value", "expected", "message")

# Component ids, so the page, its callbacks and the browser tests agree.
COUNTS = "upload-counts"
VERDICT = "upload-verdict"
ERRORS_TABLE = "upload-errors"
WARNINGS_TABLE = "upload-warnings"
RULES_TABLE = "upload-rules"
CHANGES_TABLE = "upload-changes"
NEW_TABLE = "upload-new-rows"
SHEETS_TABLE = "upload-sheets"
COUNT_NAMES = ("new", "changed", "unchanged", "errors", "warnings")


def count_id(name: str) -> str:
    """The id of one count (``new``, ``changed``, ``unchanged``, ``errors``, ``warnings``)."""
    return f"upload-count-{name}"


def value_text(value: object) -> str:
    """A cell value as the report shows it: ``(blank)`` for not reported, ``12`` for ``12.0``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return strings.UPLOAD_BLANK
    if isinstance(value, float) and value.is_integer():
        return f"{int(value)}"
    return str(value)


def _table(
    table_id: str,
    heading: str,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    total: int | None = None,
    listed_elsewhere: int | None = None,
) -> html.Section | None:
    """A titled table of the first ``TABLE_ROWS_SHOWN`` rows, saying how many were left out.

    ``total`` counts rows that were not even handed over (problems beyond the report's
    limit); ``listed_elsewhere`` is then how many problems the marked-up sheet lists.
    """
    if not rows:
        return None
    shown = rows[:TABLE_ROWS_SHOWN]
    count = total if total is not None else len(rows)
    if count > len(rows) and listed_elsewhere is not None:
        text = strings.UPLOAD_PROBLEMS_NOT_LISTED.format(
            shown=len(shown), count=count, listed=quantity(listed_elsewhere, "problem")
        )
    else:
        text = strings.UPLOAD_TABLE_TRUNCATED.format(shown=len(shown), count=count)
    note = html.P(text, className="small text-body-secondary") if count > len(shown) else None
    table = dbc.Table(
        [
            html.Thead(html.Tr([html.Th(name, scope="col") for name in header])),
            html.Tbody([html.Tr([html.Td(str(cell)) for cell in row]) for row in shown]),
        ],
        id=table_id,
        bordered=True,
        hover=True,
        size="sm",
        className="mb-1",
    )
    # A wide table scrolls inside its own region, which keyboard users can focus and scroll.
    region: dict[str, Any] = {"role": "region", "tabIndex": "0", "aria-label": heading}
    return html.Section(
        [
            html.H4(heading, className="h6 mt-3"),
            html.Div(table, className="table-responsive", **region),
            note,
        ]
    )


def problems_table(
    table_id: str,
    heading: str,
    problems: Sequence[dict[str, Any]],
    *,
    total: int | None = None,
    listed: int | None = None,
    id_label: str | None = None,
    names: Mapping[str, str] | None = None,
) -> html.Section | None:
    """Errors or warnings, one per cell: the row's ID (and, given ``names``, the name it
    stands for), sheet, row, column, cell, value, expected, problem.

    ``problems`` come from ``DryRunReport.identified`` (with ``row_id``); ``id_label`` heads
    their ID column (none: no ID column). ``total`` is how many there are when the report
    lists fewer (``listed`` problems of both kinds, the ones the marked-up sheet marks).
    """
    rows = [
        [
            *([p.get(ROW_ID) or ""] if id_label else []),
            *([names.get(str(p.get(ROW_ID)), "")] if names is not None else []),
            *(
                value_text(p[name]) if name == "value" else p[name] or ""
                for name in PROBLEM_COLUMNS
            ),
        ]
        for p in problems
    ]
    header = [
        *([id_label] if id_label else []),
        *([strings.UPLOAD_PROGRAMME_NAME] if names is not None else []),
        *(strings.UPLOAD_PROBLEM_COLUMNS[name] for name in PROBLEM_COLUMNS),
    ]
    return _table(table_id, heading, header, rows, total=total, listed_elsewhere=listed)


def rules_table(report: DryRunReport) -> html.Section | None:
    """How many cells break each rule, when the problem tables do not show every problem."""
    shown_all = max(report.error_count, report.warning_count) <= TABLE_ROWS_SHOWN
    if shown_all and not report.not_listed:
        return None
    rows = [
        [
            strings.UPLOAD_SEVERITIES[count.severity.value],
            count.where,  # "Sheet: Column" in a workbook of several sheets
            count.rule,
            f"{count.count:,}",
        ]
        for count in report.problem_counts
    ]
    header = list(strings.UPLOAD_RULE_COLUMNS.values())
    return _table(RULES_TABLE, strings.UPLOAD_RULES_HEADING, header, rows)


def _key_labels(key: Sequence[str]) -> list[str]:
    return [strings.UPLOAD_KEY_LABELS.get(name, name) for name in key]


def changes_table(report: DryRunReport) -> html.Section | None:
    """One line per changed field of a stored row: row, key, field, old → new."""
    key = list(report.key)
    rows = [
        [
            change["row"],
            *(change[name] for name in key),
            strings.COLUMNS.get(change["field"], change["field"]),
            strings.UPLOAD_ARROW.format(
                old=value_text(change["old"]), new=value_text(change["new"])
            ),
        ]
        for change in report.changes()
    ]
    header = [strings.UPLOAD_ROW, *_key_labels(key), strings.UPLOAD_FIELD, strings.UPLOAD_OLD_NEW]
    return _table(CHANGES_TABLE, strings.UPLOAD_CHANGES_HEADING, header, rows)


def new_rows_table(report: DryRunReport) -> html.Section | None:
    """The rows that are not stored yet: row number and key."""
    key = list(report.key)
    rows = [[row["row"], *(row[name] for name in key)] for row in report.new_rows()]
    header = [strings.UPLOAD_ROW, *_key_labels(key)]
    return _table(NEW_TABLE, strings.UPLOAD_NEW_HEADING, header, rows)


def counts_row(report: DryRunReport) -> dbc.Row:
    """New, changed, unchanged, errors and warnings as five small figures."""
    values = (
        report.new,
        report.changed,
        report.unchanged,
        report.error_count,
        report.warning_count,
    )
    counts = dict(zip(COUNT_NAMES, values, strict=True))
    return dbc.Row(
        [
            dbc.Col(
                html.Div(
                    [
                        html.Div(f"{value:,}", id=count_id(name), className="fs-4 fw-semibold"),
                        html.Div(strings.UPLOAD_COUNTS[name], className="small"),
                    ],
                    className="border rounded p-2 text-center",
                ),
                xs=6,
                md=2,
                className="mb-2",
            )
            for name, value in counts.items()
        ],
        id=COUNTS,
    )


def _problems_of(part: SheetReport, severity: Severity) -> int:
    return sum(count.count for count in part.problem_counts if count.severity is severity)


def sheet_counts(report: DryRunReport) -> list[list[str]]:
    """A row per sheet of the report, then the total: sheet, new, changed, unchanged, errors and
    warnings (the totals are the report's own, as the counts above show them)."""
    rows = [
        [
            part.sheet,
            *(
                f"{value:,}"
                for value in (
                    part.new,
                    part.changed,
                    part.unchanged,
                    _problems_of(part, Severity.ERROR),
                    _problems_of(part, Severity.WARNING),
                )
            ),
        ]
        for part in report.sheets
    ]
    totals = (
        report.new,
        report.changed,
        report.unchanged,
        report.error_count,
        report.warning_count,
    )
    return [*rows, [strings.UPLOAD_TOTAL, *(f"{value:,}" for value in totals)]]


def sheets_table(report: DryRunReport) -> html.Section | None:
    """New, changed and unchanged rows, errors and warnings per sheet and in total: only for a
    workbook of several sheets (a network workbook)."""
    if len(report.sheets) < 2:
        return None
    header = list(strings.UPLOAD_SHEET_COLUMNS.values())
    return _table(SHEETS_TABLE, strings.UPLOAD_SHEETS_HEADING, header, sheet_counts(report))


def verdict(report: DryRunReport) -> dbc.Alert:
    """What the user can do next: fix the errors, confirm, or nothing to store."""
    if not report.ok:
        errors = quantity(report.error_count, "error")
        text, colour = strings.UPLOAD_HAS_ERRORS.format(errors=errors), "danger"
    elif report.new + report.changed == 0:
        text, colour = strings.UPLOAD_NOTHING_NEW, "info"
    else:
        text = strings.UPLOAD_READY.format(
            new=quantity(report.new, "new row"), changed=quantity(report.changed, "changed row")
        )
        colour = "success"
    return dbc.Alert(text, id=VERDICT, color=colour, className="mt-2")


def report_view(report: DryRunReport, names: Mapping[str, str] | None = None) -> html.Div:
    """The whole dry-run report, problems first: which sheets were read, the counts, the
    verdict, the errors and the warnings (each with the row's Programme ID and, from
    ``names``, the programme's name), then the counts per rule and per sheet and the
    changes.

    Args:
        report: the dry run.
        names: programme names by ID, for a progress sheet's problems.
    """
    kind = strings.UPLOAD_KINDS.get(report.kind.value, report.kind.value)
    several = len(report.sheets) > 1
    heading = strings.UPLOAD_WORKBOOK_HEADING if several else strings.UPLOAD_REPORT_HEADING
    meta = strings.UPLOAD_WORKBOOK_META if several else strings.UPLOAD_REPORT_META
    id_label = strings.UPLOAD_ROW_ID_LABELS.get(report.key[0], strings.UPLOAD_ROW_ID)
    named = names if report.kind is SheetKind.PROGRESS else None
    problems = {
        severity: problems_table(
            table_id,
            title,
            report.identified(severity),
            total=total,
            listed=len(report.problems),
            id_label=id_label,
            names=named,
        )
        for severity, table_id, title, total in (
            (Severity.ERROR, ERRORS_TABLE, strings.UPLOAD_ERRORS_HEADING, report.error_count),
            (
                Severity.WARNING,
                WARNINGS_TABLE,
                strings.UPLOAD_WARNINGS_HEADING,
                report.warning_count,
            ),
        )
    }
    return html.Div(
        [
            html.H3(
                heading.format(kind=kind, sheet=report.sheet, file=report.file_name),
                className="h5",
            ),
            html.P(
                meta.format(
                    format=report.file_format.upper(),
                    header_row=report.header_row,
                    sheets=len(report.sheets),
                    rows=quantity(report.rows, "data row"),
                ),
                className="text-body-secondary",
            ),
            counts_row(report),
            verdict(report),
            problems[Severity.ERROR],
            problems[Severity.WARNING],
            rules_table(report),
            sheets_table(report),
            changes_table(report),
            new_rows_table(report),
        ]
    )


def commit_message(result: CommitResult) -> dbc.Alert:
    """What Confirm did: stored (with a link to the overview), already stored, or rejected."""
    if result.outcome is UploadOutcome.DUPLICATE:
        earlier = result.duplicate_of.id if result.duplicate_of is not None else result.upload_id
        return dbc.Alert(strings.UPLOAD_DUPLICATE.format(id=earlier), color="info")
    report = result.report
    assert report is not None  # only a duplicate comes without a report
    if result.outcome is UploadOutcome.REJECTED:
        text = strings.UPLOAD_REJECTED.format(errors=quantity(report.error_count, "error"))
        return dbc.Alert(text, color="danger")
    text = strings.UPLOAD_COMMITTED.format(
        id=result.upload_id, new=report.new, changed=report.changed, unchanged=report.unchanged
    )
    link = dcc.Link(
        strings.UPLOAD_OVERVIEW_LINK, href=dash.get_relative_path("/"), className="alert-link"
    )
    return dbc.Alert([text, " ", link], color="success")
