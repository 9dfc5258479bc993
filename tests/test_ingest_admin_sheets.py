"""Programmes and Targets sheets: upserted by id; a changed target needs a reason and is revised."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Engine, select

from skills_roadmap.domain import UploadOutcome
from skills_roadmap.ingest import commit_upload, dry_run
from skills_roadmap.ingest.admin_sheets import milestones_text, parse_milestones
from skills_roadmap.storage import session_scope
from skills_roadmap.storage.tables import MilestoneRow, ProgrammeRow, TargetRevisionRow, TargetRow

FIXTURES = Path(__file__).parent / "fixtures"
TARGET_HEADERS = [
    "Target ID",
    "Scope",
    "Scope ID",
    "Level",
    "Metric",
    "Deadline year",
    "Value",
    "Baseline year",
]


def workbook_bytes(title: str, rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_programmes_sheet_inserts_new_and_updates_changed_programmes(
    network_engine: Engine,
) -> None:
    data = (FIXTURES / "programmes.xlsx").read_bytes()
    report = dry_run(network_engine, data, "programmes.xlsx")
    assert (report.new, report.changed, report.unchanged, report.errors) == (1, 1, 0, [])
    assert report.changes() == [
        {"id": "ARA-1", "row": 2, "field": "capacity", "old": 500, "new": 600}
    ]
    result = commit_upload(network_engine, data, "programmes.xlsx", user="admin")
    assert result.outcome is UploadOutcome.COMMITTED
    with session_scope(network_engine) as session:
        new = session.get(ProgrammeRow, "ARA-3")
        changed = session.get(ProgrammeRow, "ARA-1")
        assert new is not None and changed is not None
        assert (new.level, new.delivery_mode, new.start, new.end, new.budget_eur) == (
            "basic",
            "blended",
            date(2025, 1, 1),
            date(2025, 12, 31),
            45000.5,
        )
        assert changed.capacity == 600


def test_programmes_sheet_checks_references_and_the_domain_rules(network_engine: Engine) -> None:
    headers = [
        "Programme ID", "Name", "Cluster ID", "Region", "Level", "Provider", "Provider helix",
        "Delivery mode", "Start", "End", "Capacity", "Budget EUR", "Funding source",
    ]  # fmt: skip
    row: list[Any] = ["P-1", "x", "aragon-ai", "ES24", "basic", "U", "academia", "online",
           "2025-01-01", "2025-12-31", 10, 100, "ESF+"]  # fmt: skip
    rows: list[list[Any]] = [
        headers,
        ["P-1", row[1], "no-such-cluster", *row[3:]],
        ["P-2", *row[1:3], "XX99", *row[4:]],
        ["P-3", *row[1:4], "guru", *row[5:]],
        ["P-4", *row[1:9], "2024-12-31", *row[10:]],
        ["bad id!", *row[1:]],
    ]
    report = dry_run(network_engine, workbook_bytes("Programmes", rows), "p.xlsx")
    assert [(p["row"], p["column"], p["message"]) for p in report.errors] == [
        (2, "Cluster ID", "no cluster has this ID"),
        (3, "Region", "no region has this ID"),
        (4, "Level", "not one of the allowed values"),
        (5, "End", "programme P-4 ends (2024-12-31) before it starts (2025-01-01)"),
        (
            6,
            "Programme ID",
            "'bad id!' is not a valid id: use letters, digits, '.', '-' or '_' "
            "(at most 64 characters, starting with a letter or digit)",
        ),
    ]


def test_targets_sheet_stores_targets_and_milestones(network_engine: Engine) -> None:
    result = commit_upload(network_engine, (FIXTURES / "targets.xlsx").read_bytes(), "t.xlsx")
    assert result.outcome is UploadOutcome.COMMITTED
    with session_scope(network_engine) as session:
        targets = {
            t.id: (t.scope, t.scope_id, t.level, t.metric, t.value)
            for t in session.scalars(select(TargetRow))
        }
        milestones = [
            (m.target_id, m.year, m.value)
            for m in session.scalars(select(MilestoneRow).order_by(MilestoneRow.year))
        ]
    assert targets == {
        "ES24-basic": ("region", "ES24", "basic", "completed", 4000),
        "NET-expert": ("network", None, "expert", "certified", 900),
    }
    assert milestones == [("ES24-basic", 2025, 1000), ("ES24-basic", 2026, 2500)]


def test_a_changed_target_needs_a_reason_column(network_engine: Engine) -> None:
    commit_upload(network_engine, (FIXTURES / "targets.xlsx").read_bytes(), "t.xlsx")
    changed = workbook_bytes(
        "Targets",
        [TARGET_HEADERS, ["ES24-basic", "region", "ES24", "basic", "completed", 2027, 5000, 2024]],
    )
    report = dry_run(network_engine, changed, "t2.xlsx")
    assert [(p["row"], p["column"], p["message"]) for p in report.errors] == [
        (1, "Reason", "the target changes, so a reason is required: add a Reason column (rows 2)")
    ]
    assert (report.changed, report.ok) == (0, False)


def test_a_changed_target_with_a_blank_reason_is_an_error(network_engine: Engine) -> None:
    commit_upload(network_engine, (FIXTURES / "targets.xlsx").read_bytes(), "t.xlsx")
    changed = workbook_bytes(
        "Targets",
        [
            [*TARGET_HEADERS, "Reason"],
            ["ES24-basic", "region", "ES24", "basic", "completed", 2027, 5000, 2024, None],
        ],
    )
    report = dry_run(network_engine, changed, "t2.xlsx")
    assert [(p["cell"], p["message"]) for p in report.errors] == [
        ("I2", "the target changes, so a reason is required")
    ]


def test_target_changes_with_a_reason_become_target_revisions(network_engine: Engine) -> None:
    commit_upload(network_engine, (FIXTURES / "targets.xlsx").read_bytes(), "t.xlsx")
    changed = workbook_bytes(
        "Targets",
        [
            [*TARGET_HEADERS, "Milestones", "Reason"],
            [
                "ES24-basic",
                "region",
                "ES24",
                "basic",
                "completed",
                2027,
                5000,
                2024,
                "2025:1200",
                "New regional plan",
            ],
        ],
    )
    result = commit_upload(network_engine, changed, "t2.xlsx", user="admin")
    assert result.outcome is UploadOutcome.COMMITTED
    with session_scope(network_engine) as session:
        revisions = [
            (r.target_id, r.field, r.old_value, r.new_value, r.reason, r.changed_by, r.upload_id)
            for r in session.scalars(select(TargetRevisionRow).order_by(TargetRevisionRow.id))
        ]
        milestones = [
            (m.year, m.value)
            for m in session.scalars(
                select(MilestoneRow).where(MilestoneRow.target_id == "ES24-basic")
            )
        ]
    assert revisions == [
        ("ES24-basic", "value", "4000", "5000", "New regional plan", "admin", 2),
        (
            "ES24-basic",
            "milestones",
            "2025: 1000; 2026: 2500",
            "2025: 1200",
            "New regional plan",
            "admin",
            2,
        ),
    ]
    assert milestones == [(2025, 1200)]


def test_targets_sheet_checks_scope_and_the_domain_rules(network_engine: Engine) -> None:
    rows: list[list[Any]] = [
        [*TARGET_HEADERS, "Milestones"],
        ["T1", "region", "XX99", "basic", "completed", 2027, 10, 2024, None],
        ["T2", "network", "ES24", "basic", "completed", 2027, 10, 2024, None],
        ["T3", "region", "ES24", "basic", "completed", 2024, 10, 2025, None],
        ["T4", "region", "ES24", "basic", "completed", 2027, 10, 2024, "soon"],
    ]
    report = dry_run(network_engine, workbook_bytes("Targets", rows), "t.xlsx")
    assert [(p["row"], p["column"], p["message"]) for p in report.errors] == [
        (2, "Scope ID", "no region has this ID"),
        (3, "Scope ID", "a network target has no scope id"),
        (4, "Deadline year", "the deadline year (2024) must come after the baseline year (2025)"),
        (5, "Milestones", "not a list of milestones"),
    ]


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        (None, ()),
        ("2025: 1000; 2026: 2500", ((2025, 1000), (2026, 2500))),
        ("2025:1000\n2026:2500", ((2025, 1000), (2026, 2500))),
        ("2025 - 1000", None),
    ],
)
def test_parse_milestones(text: str | None, parsed: tuple[tuple[int, int], ...] | None) -> None:
    assert parse_milestones(text) == parsed


def test_milestones_text_is_canonical() -> None:
    assert milestones_text(((2025, 1000), (2026, 2500))) == "2025: 1000; 2026: 2500"
    assert milestones_text(()) is None
