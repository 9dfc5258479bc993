"""Validation of progress sheets: every contract rule, reference checks and warnings."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from ingest_helpers import HEADERS, TODAY, add_network, programme
from sqlalchemy import Engine

from skills_roadmap.ingest import commit_upload, dry_run

FIXTURES = Path(__file__).parent / "fixtures"
ARAGON = frozenset({"aragon-ai"})


def csv_sheet(*rows: str, headers: list[str] = HEADERS) -> bytes:
    return ("\n".join([",".join(headers), *rows]) + "\n").encode()


def problems(report_list: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [(p["row"], p["column"], p["cell"], p["value"], p["message"]) for p in report_list]


def test_every_contract_rule_is_reported_with_row_column_value_and_reason(
    network_engine: Engine,
) -> None:
    data = (FIXTURES / "progress_errors.xlsx").read_bytes()
    report = dry_run(network_engine, data, "errors.xlsx", manager_clusters=ARAGON, today=TODAY)
    assert problems(report.errors) == [
        (
            1,
            "Notes",
            "J1",
            "Notes",
            "a second 'Notes' column; only the first one (column 9) would be read",
        ),
        (2, "Programme ID", "A2", "NOPE-1", "no programme has this ID"),
        (3, "Period", "B3", "March 2025", "not a month"),
        (4, "Period", "B4", "2023-12", "outside the programme's months (2024-01 to 2026-12)"),
        (5, "Period", "B5", "2025-09", "a month in the future"),
        (6, "Enrolled", "C6", "12.5", "not a whole number"),
        (7, "Completed", "D7", "-1", "a negative number"),
        (8, "Completed", "D8", "abc", "not a number"),
        (9, "Completed", "D9", "", "a value is required here"),
        (10, "Certified", "E10", "5", "more than Completed (4) in the same row"),
        (11, "Women", "G11", "6", "more than Enrolled (5) in the same row"),
        (12, "Spend EUR", "H12", "-10", "a negative number"),
        (13, "Programme ID", "A13", "ARA-1", "this programme and period already appear in row 12"),
        (14, "Programme ID", "A14", "", "a value is required here"),
        (15, "Enrolled", "C15", "", "a formula without a saved result"),
        (
            16,
            "Programme ID",
            "A16",
            "CLJ-1",
            "this programme belongs to a cluster you do not report for",
        ),
        (17, "Enrolled", "C17", "TRUE", "not a number"),
        (18, "Dropped out", "F18", "x", "not a number"),
        (19, "Period", "B19", "", "a value is required here"),
    ]
    assert problems(report.warnings) == [
        (
            20,
            "Enrolled",
            "C20",
            "150",
            "enrolled so far (150) is above the programme's capacity (100)",
        ),
        (20, "Completed", "D20", "160", "completed so far (160) is above enrolled so far (150)"),
        (
            20,
            "Spend EUR",
            "H20",
            "20000",
            "spend so far (EUR 20,000.00) is above the programme's budget (EUR 10,000.00)",
        ),
    ]
    assert (report.new, report.changed, report.unchanged) == (1, 0, 0)


def test_problem_records_say_what_was_expected(network_engine: Engine) -> None:
    data = (FIXTURES / "progress_errors.xlsx").read_bytes()
    report = dry_run(network_engine, data, "errors.xlsx", manager_clusters=ARAGON, today=TODAY)
    by_cell = {p["cell"]: p for p in report.errors}
    assert by_cell["C6"] == {
        "severity": "error",
        "sheet": "Progress",
        "row": 6,
        "column": "Enrolled",
        "cell": "C6",
        "value": "12.5",
        "expected": "a whole number of 0 or more",
        "message": "not a whole number",
    }
    assert by_cell["B5"]["expected"] == "this month (2025-06) or earlier"
    assert by_cell["A16"]["expected"] == "a programme of your clusters: aragon-ai"


def test_without_a_manager_every_cluster_may_be_reported(network_engine: Engine) -> None:
    data = csv_sheet("CLJ-1,2025-01,1,1")
    assert dry_run(network_engine, data, "x.csv", today=TODAY).errors == []


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2024-01", None),  # the programme's first month
        ("2026-06", "a month in the future"),
        ("2025-06", None),  # this month may be reported
        ("2025-07", "a month in the future"),
    ],
)
def test_period_limits(network_engine: Engine, period: str, message: str | None) -> None:
    report = dry_run(network_engine, csv_sheet(f"ARA-1,{period},1,1"), "x.csv", today=TODAY)
    assert [p["message"] for p in report.errors] == ([message] if message else [])


def test_period_after_the_programme_ends_is_outside_its_months(engine: Engine) -> None:
    add_network(engine, programme("OLD-1", start=date(2023, 1, 1), end=date(2024, 3, 31)))
    report = dry_run(
        engine, csv_sheet("OLD-1,2024-03,1,1", "OLD-1,2024-04,1,1"), "x.csv", today=TODAY
    )
    assert problems(report.errors) == [
        (3, "Period", "B3", "2024-04", "outside the programme's months (2023-01 to 2024-03)")
    ]


def test_blank_optional_cells_are_not_reported_never_zero(network_engine: Engine) -> None:
    report = dry_run(network_engine, csv_sheet("ARA-1,2025-01,5,4,,,,,"), "x.csv", today=TODAY)
    row = report.clean.iloc[0]
    assert report.errors == []
    assert [row[k] for k in ("certified", "dropped_out", "women", "spend_eur", "notes")] == [
        pd.NA,
        pd.NA,
        pd.NA,
        pd.NA,
        None,
    ]


def test_only_the_required_columns_are_needed(network_engine: Engine) -> None:
    data = csv_sheet(
        "ARA-1,2025-01,5,4", headers=["Programme ID", "Period", "Enrolled", "Completed"]
    )
    report = dry_run(network_engine, data, "x.csv", today=TODAY)
    assert (report.errors, report.new) == ([], 1)


def test_running_totals_include_the_months_already_stored(network_engine: Engine) -> None:
    """Stored: 60 enrolled in 2025-01. The file's 50 in 2025-02 brings ARA-2 to 110 > 100."""
    first = commit_upload(network_engine, csv_sheet("ARA-2,2025-01,60,0"), "jan.csv", today=TODAY)
    assert first.report is not None and first.report.warnings == []
    report = dry_run(network_engine, csv_sheet("ARA-2,2025-02,50,0"), "feb.csv", today=TODAY)
    assert problems(report.warnings) == [
        (2, "Enrolled", "C2", "50", "enrolled so far (110) is above the programme's capacity (100)")
    ]


OVER_CAPACITY = "enrolled so far ({total}) is above the programme's capacity (100)"
OVER_BUDGET = "spend so far (EUR {total}) is above the programme's budget (EUR 10,000.00)"


def test_overruns_already_stored_are_not_warned_about_again(network_engine: Engine) -> None:
    """Stored: ARA-2 over capacity and budget since 2025-01. The month's sheet repeats 2025-01
    unchanged and adds 2025-02 with nobody enrolled and nothing spent: nothing new to check."""
    stored = csv_sheet("ARA-2,2025-01,120,0,,,,12000,")
    first = commit_upload(network_engine, stored, "jan.csv", today=TODAY)
    assert first.report is not None
    assert problems(first.report.warnings) == [
        (2, "Enrolled", "C2", "120", OVER_CAPACITY.format(total=120)),
        (2, "Spend EUR", "H2", "12000", OVER_BUDGET.format(total="12,000.00")),
    ]
    again = csv_sheet("ARA-2,2025-01,120,0,,,,12000,", "ARA-2,2025-02,0,0,,,,0,")
    report = dry_run(network_engine, again, "feb.csv", today=TODAY)
    assert (report.warnings, report.new, report.unchanged) == ([], 1, 1)


def test_an_upload_that_adds_to_a_stored_overrun_is_warned_at_the_row_it_adds(
    network_engine: Engine,
) -> None:
    commit_upload(
        network_engine, csv_sheet("ARA-2,2025-01,120,0,,,,12000,"), "jan.csv", today=TODAY
    )
    data = csv_sheet(
        "ARA-2,2025-01,120,0,,,,12000,",  # unchanged: its overruns were stored before
        "ARA-2,2025-02,5,0,,,,0,",  # five more people on a full programme
        "ARA-2,2025-03,0,0,,,,250,",  # more money on a spent budget
    )
    report = dry_run(network_engine, data, "mar.csv", today=TODAY)
    assert problems(report.warnings) == [
        (3, "Enrolled", "C3", "5", OVER_CAPACITY.format(total=125)),
        (4, "Spend EUR", "H4", "250", OVER_BUDGET.format(total="12,250.00")),
    ]


def test_a_changed_row_that_makes_an_overrun_is_warned_about(network_engine: Engine) -> None:
    commit_upload(network_engine, csv_sheet("ARA-2,2025-01,90,0"), "jan.csv", today=TODAY)
    report = dry_run(network_engine, csv_sheet("ARA-2,2025-01,101,0"), "fix.csv", today=TODAY)
    assert (problems(report.warnings), report.changed) == (
        [(2, "Enrolled", "C2", "101", OVER_CAPACITY.format(total=101))],
        1,
    )


def test_a_warning_is_given_once_per_programme(network_engine: Engine) -> None:
    data = csv_sheet("ARA-2,2025-01,80,0", "ARA-2,2025-02,30,0", "ARA-2,2025-03,30,0")
    report = dry_run(network_engine, data, "x.csv", today=TODAY)
    assert [p["row"] for p in report.warnings] == [3]


def test_rows_with_errors_are_left_out_of_the_counts(network_engine: Engine) -> None:
    data = csv_sheet("ARA-1,2025-01,1,1", "ARA-1,2025-02,x,1")
    report = dry_run(network_engine, data, "x.csv", today=TODAY)
    assert (report.new, report.error_count, report.ok) == (1, 1, False)


def test_numeric_programme_ids_are_read_as_text(engine: Engine) -> None:
    """Excel turns an ID typed as 1001 into a number; it still names programme '1001'."""
    add_network(engine, programme("1001"))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADERS[:4])
    sheet.append([1001, "2025-01", 1, 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = dry_run(engine, buffer.getvalue(), "x.xlsx", today=TODAY)
    assert (report.errors, report.clean["programme_id"].tolist()) == ([], ["1001"])


def test_rows_of_nothing_but_spaces_are_not_data(network_engine: Engine) -> None:
    data = csv_sheet("ARA-1,2025-01,1,1", "  ,   , ,", headers=HEADERS[:4])
    report = dry_run(network_engine, data, "x.csv", today=TODAY)
    assert (report.rows, report.new, report.errors) == (1, 1, [])


def test_spend_exactly_on_budget_is_not_a_warning(network_engine: Engine) -> None:
    """6,970.35 + 1,814.12 + 1,215.53 is ARA-2's budget of 10,000, though floats sum it higher."""
    assert 6970.35 + 1814.12 + 1215.53 > 10_000  # the rounding this test is about
    data = csv_sheet(
        "ARA-2,2025-01,1,0,,,,6970.35,",
        "ARA-2,2025-02,1,0,,,,1814.12,",
        "ARA-2,2025-03,1,0,,,,1215.53,",
    )
    assert dry_run(network_engine, data, "x.csv", today=TODAY).warnings == []
