"""The dry-run report on the upload page: a few problems listed, every problem counted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from ingest_helpers import TODAY, add_network, many_errors_csv
from sqlalchemy import Engine

from dashboard import strings
from dashboard.components import upload_report
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
    assert [row[3] for row in table_rows(by_id(view, upload_report.ERRORS_TABLE))] == [
        "C2",
        "D2",
        "C3",
        "D3",
        "C4",
    ]
    note = strings.UPLOAD_PROBLEMS_NOT_LISTED.format(shown=5, count=60, listed=5)
    assert [c.children for c in components(view) if c.children == note] == [note]
    assert by_id(view, upload_report.WARNINGS_TABLE) is None


def test_a_few_problems_need_no_count_per_rule(engine: Engine) -> None:
    report = report_of(engine)
    view = upload_report.report_view(report)
    assert by_id(view, upload_report.RULES_TABLE) is None
    assert len(table_rows(by_id(view, upload_report.ERRORS_TABLE))) == report.error_count == 60
