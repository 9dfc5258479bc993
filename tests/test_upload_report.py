"""The dry-run report on the upload page: problems first, each naming its programme; a few
listed, every problem counted, in words that agree with their number."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from ingest_helpers import TODAY, add_network, many_errors_csv
from sqlalchemy import Engine
from upload_helpers import ProgressLine, progress_csv

from dashboard import strings
from dashboard.components import upload_report
from dashboard.components.formats import quantity
from skills_roadmap.ingest import DryRunReport, dry_run
from skills_roadmap.settings import get_settings


def components(tree: Any) -> Iterator[Any]:
    """Every component of a Dash component tree, depth first."""
    if tree is None or isinstance(tree, str | int | float):
        return
    if isinstance(tree, list | tuple):
        for child in tree:
            yield from components(child)
        return
    yield tree
    yield from components(getattr(tree, "children", None))


def by_id(tree: Any, wanted: str) -> Any:
    return next((c for c in components(tree) if getattr(c, "id", None) == wanted), None)


def table_rows(table: Any) -> list[list[Any]]:
    """The body cells of a ``dbc.Table`` made by ``upload_report``."""
    _head, body = table.children
    return [[cell.children for cell in row.children] for row in body.children]


def report_of(engine: Engine) -> DryRunReport:
    add_network(engine)
    return dry_run(engine, many_errors_csv(), "many.csv", today=TODAY)


def test_the_page_counts_every_problem_per_rule_and_says_how_many_more(
    monkeypatch: pytest.MonkeyPatch, engine: Engine
) -> None:
    monkeypatch.setenv("SKILLS_ROADMAP_REPORT_MAX_PROBLEMS", "5")
    get_settings.cache_clear()
    view = upload_report.report_view(report_of(engine))
    assert by_id(view, upload_report.count_id("errors")).children == "60"
    assert table_rows(by_id(view, upload_report.RULES_TABLE)) == [
        ["Error", "Enrolled", "not a number", "30"],
        ["Error", "Completed", "a negative number", "30"],
        ["Warning", "Completed", "completed so far above enrolled so far", "1"],
    ]
    assert [row[4] for row in table_rows(by_id(view, upload_report.ERRORS_TABLE))] == [
        "C2",
        "D2",
        "C3",
        "D3",
        "C4",
    ]
    note = strings.UPLOAD_PROBLEMS_NOT_LISTED.format(shown=5, count=60, listed="5 problems")
    assert [c.children for c in components(view) if c.children == note] == [note]
    assert by_id(view, upload_report.WARNINGS_TABLE) is None


def test_a_few_problems_need_no_count_per_rule(engine: Engine) -> None:
    report = report_of(engine)
    view = upload_report.report_view(report)
    assert by_id(view, upload_report.RULES_TABLE) is None
    assert len(table_rows(by_id(view, upload_report.ERRORS_TABLE))) == report.error_count == 60


def ids_in_order(tree: Any) -> list[str]:
    """The ids of a component tree, depth first: the order a reader meets them."""
    return [c.id for c in components(tree) if isinstance(getattr(c, "id", None), str)]


def progress_report(engine: Engine, lines: list[ProgressLine]) -> DryRunReport:
    add_network(engine)
    return dry_run(engine, progress_csv(lines), "march.csv", today=TODAY)


OVER_CAPACITY = ("ARA-2", "2025-04", 150, 0, "", "", "", "", "")  # ARA-2 has 100 places
NOT_A_NUMBER = ("ARA-1", "2025-03", "lots", 1, "", "", "", "", "")
NEGATIVE = ("ARA-2", "2025-03", -1, 0, "", "", "", "", "")


def test_the_report_shows_the_errors_first_then_warnings_then_the_changes(engine: Engine) -> None:
    view = upload_report.report_view(progress_report(engine, [OVER_CAPACITY, NOT_A_NUMBER]))
    assert ids_in_order(view) == [
        upload_report.COUNTS,
        *(upload_report.count_id(name) for name in upload_report.COUNT_NAMES),
        upload_report.VERDICT,
        upload_report.ERRORS_TABLE,
        upload_report.WARNINGS_TABLE,
        upload_report.NEW_TABLE,
    ]


def test_each_problem_names_the_programme_by_id_and_name(engine: Engine) -> None:
    report = progress_report(engine, [OVER_CAPACITY, NOT_A_NUMBER])
    view = upload_report.report_view(report, {"ARA-1": "AI for SMEs", "ARA-2": "ML engineers"})
    errors, warnings = (
        table_rows(by_id(view, table))
        for table in (upload_report.ERRORS_TABLE, upload_report.WARNINGS_TABLE)
    )
    header = by_id(view, upload_report.ERRORS_TABLE).children[0].children.children
    assert [cell.children for cell in header][:3] == ["Programme ID", "Programme", "Sheet"]
    assert errors == [
        [
            "ARA-1",
            "AI for SMEs",
            "Progress",
            "3",
            "Enrolled",
            "C3",
            "lots",
            "a whole number of 0 or more",
            "not a number",
        ]
    ]
    assert [row[:2] + row[4:6] for row in warnings] == [["ARA-2", "ML engineers", "Enrolled", "C2"]]


@pytest.mark.parametrize(
    ("lines", "verdict"),
    [
        ([NOT_A_NUMBER], "1 error to fix: nothing can be stored"),
        ([NOT_A_NUMBER, NEGATIVE], "2 errors to fix: nothing can be stored"),
        ([OVER_CAPACITY], "No errors. Confirm to store 1 new row and 0 changed rows."),
    ],
)
def test_counts_in_words_agree_with_their_number(
    engine: Engine, lines: list[ProgressLine], verdict: str
) -> None:
    view = upload_report.report_view(progress_report(engine, lines))
    assert by_id(view, upload_report.VERDICT).children.startswith(verdict)
    meta = next(c for c in components(view) if getattr(c, "className", "") == "text-body-secondary")
    rows = quantity(len(lines), "data row")
    assert meta.children == f"CSV file, header on row 1, {rows} read."
