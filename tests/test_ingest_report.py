"""Bounded reports: a few problems listed, every problem counted per rule, in every form."""

from __future__ import annotations

import io
from collections.abc import Iterator

import openpyxl
import pytest
from ingest_helpers import TODAY, add_network, many_errors_csv
from sqlalchemy import Engine

from skills_roadmap.ingest import DryRunReport, annotated_workbook, dry_run
from skills_roadmap.palette import ERROR_FILL
from skills_roadmap.settings import get_settings

LISTED = 5


@pytest.fixture
def few_listed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SKILLS_ROADMAP_REPORT_MAX_PROBLEMS", str(LISTED))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def network(engine: Engine) -> Engine:
    """The ingestion network on SQLite: these reports are not stored."""
    add_network(engine)
    return engine


@pytest.fixture
def report(few_listed: None, network: Engine) -> DryRunReport:
    return dry_run(network, many_errors_csv(), "many.csv", today=TODAY)


COUNTS = [
    {"severity": "error", "column": "Enrolled", "rule": "not a number", "count": 30},
    {"severity": "error", "column": "Completed", "rule": "a negative number", "count": 30},
    {
        "severity": "warning",
        "column": "Completed",
        "rule": "completed so far above enrolled so far",
        "count": 1,
    },
]


def test_the_first_problems_are_listed_in_sheet_order_and_all_are_counted(
    report: DryRunReport,
) -> None:
    assert [(p["cell"], p["message"]) for p in report.errors] == [
        ("C2", "not a number"),
        ("D2", "a negative number"),
        ("C3", "not a number"),
        ("D3", "a negative number"),
        ("C4", "not a number"),
    ]
    assert (report.error_count, report.warning_count, report.not_listed) == (60, 1, 56)
    assert (report.ok, report.new) == (False, 1)


def test_errors_are_listed_before_warnings(few_listed: None, network: Engine) -> None:
    """A warning on row 2 (CLJ-1's, once per programme) gives way to the errors below it;
    the count keeps it."""
    data = many_errors_csv().replace(b"ARA-1,2024-01,x,-1", b"CLJ-1,2024-01,1,2", 1)
    report = dry_run(network, data, "many.csv", today=TODAY)
    assert [p["cell"] for p in report.errors] == ["C3", "D3", "C4", "D4", "C5"]
    assert (report.warnings, report.warning_count) == ([], 1)


def test_json_lists_a_few_and_counts_every_problem_per_rule(report: DryRunReport) -> None:
    document = report.to_json_dict()
    assert {key: document[key] for key in ("error_count", "warning_count")} == {
        "error_count": 60,
        "warning_count": 1,
    }
    assert (document["problem_counts"], document["problems_not_listed"]) == (COUNTS, 56)
    assert (len(document["errors"]), document["warnings"]) == (LISTED, [])


def test_text_counts_per_rule_and_says_how_many_more(report: DryRunReport) -> None:
    lines = report.to_text().splitlines()
    assert lines[1:7] == [
        "new: 1   changed: 0   unchanged: 0   errors: 60   warnings: 1",
        "",
        "Problems per rule:",
        "         30  error    Enrolled: not a number",
        "         30  error    Completed: a negative number",
        "          1  warning  Completed: completed so far above enrolled so far",
    ]
    assert lines[-5:] == [
        "  row 4, Enrolled (C4): not a number (found 'x'; expected a whole number of 0 or more)",
        "  ... and 55 more (--json and --errors OUT.xlsx list the first 5 problems)",
        "",
        "Warnings:",
        "  ... and 1 more (--json and --errors OUT.xlsx list the first 5 problems)",
    ]


def test_the_annotated_workbook_says_how_many_more_there_are(report: DryRunReport) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(annotated_workbook(many_errors_csv(), report)))
    rows = list(workbook["Problems"].iter_rows(values_only=True))
    assert [row[:4] for row in rows[:7]] == [
        (
            "56 more problems are not listed or marked: these are the first 5 of 61 (errors "
            "first). Fix them and upload the file again to see the rest.",
            None,
            None,
            None,
        ),
        (None, None, None, None),
        ("Severity", "Column", "Rule", "Count"),
        ("error", "Enrolled", "not a number", 30),
        ("error", "Completed", "a negative number", 30),
        ("warning", "Completed", "completed so far above enrolled so far", 1),
        (None, None, None, None),
    ]
    assert rows[7] == ("Severity", "Sheet", "Row", "Column", "Cell", "Value", "Expected", "Message")
    assert [row[4] for row in rows[8:]] == ["C2", "D2", "C3", "D3", "C4"]
    sheet = workbook["Progress"]
    marked = [
        cell.coordinate
        for row in sheet.iter_rows()
        for cell in row
        if cell.fill.fill_type is not None
    ]
    assert marked == ["C2", "D2", "C3", "D3", "C4"]
    assert str(sheet["C2"].fill.fgColor.rgb).endswith(ERROR_FILL[1:])
