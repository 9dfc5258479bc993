"""Closed months: an upload that touches one is refused row by row and stores nothing; an
administrator reopens it with a reason; both are in the audit log, and the command line
lists the months with their completeness and who is late for one."""

from __future__ import annotations

import json

import pytest
from ingest_helpers import TODAY, stored_progress
from sqlalchemy import Engine
from typer.testing import CliRunner
from upload_helpers import VALID_LINES, add_accounts, progress_csv

from skills_roadmap import audit
from skills_roadmap.analysis import Filters, apply_filters
from skills_roadmap.analysis.headline import headline
from skills_roadmap.analysis.loader import load_snapshot, refresh_snapshot
from skills_roadmap.analysis.periods import period_to_month
from skills_roadmap.audit import AuditAction, AuditQuery
from skills_roadmap.cli import app as cli_app
from skills_roadmap.domain import UploadOutcome
from skills_roadmap.ingest import commit_upload
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import get_engine
from skills_roadmap.storage.periods import close_period, closed_periods, reopen_period
from skills_roadmap.storage.snapshot import data_version


def test_an_upload_into_a_closed_month_is_refused_and_stores_nothing_until_reopened(
    network_engine: Engine,
) -> None:
    assert close_period(network_engine, "2025-03", "adam")
    assert not close_period(network_engine, "2025-03", "adam")  # closed already

    refused = commit_upload(network_engine, progress_csv(VALID_LINES), "march.csv", today=TODAY)

    assert refused.outcome is UploadOutcome.REJECTED
    assert refused.report is not None
    problems = refused.report.problems
    assert problems[["severity", "row", "column", "message"]].astype(str).values.tolist() == [
        [
            "error",
            "2",
            "Period",
            "2025-03 is closed: an administrator can reopen it "
            "(skills-roadmap periods reopen 2025-03 --reason ...)",
        ]
    ]
    assert stored_progress(network_engine) == []

    assert reopen_period(network_engine, "2025-03", "adam", "a late correction from ARA")
    assert not reopen_period(network_engine, "2025-03", "adam", "again")  # not closed
    stored = commit_upload(network_engine, progress_csv(VALID_LINES), "march.csv", today=TODAY)

    assert stored.outcome is UploadOutcome.COMMITTED
    assert len(stored_progress(network_engine)) == len(VALID_LINES)
    entries = [
        (entry.action, entry.object, entry.detail)
        for entry in audit.query(network_engine, AuditQuery(user="adam"))
    ]
    assert entries == [
        ("period_reopen", "2025-03", '{"reason": "a late correction from ARA"}'),
        ("period_close", "2025-03", None),
    ]
    assert closed_periods(network_engine) == []


def test_the_command_line_closes_lists_and_reopens_months_with_a_reason(
    network_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLS_ROADMAP_DATABASE_URL", network_engine.url.render_as_string(False))
    get_settings.cache_clear()
    get_engine.cache_clear()  # the command's engine: this test's database
    commit_upload(network_engine, progress_csv(VALID_LINES), "march.csv", today=TODAY)
    runner = CliRunner()

    closed = runner.invoke(cli_app, ["periods", "close", "2025-03"])
    listed = runner.invoke(cli_app, ["periods", "list", "--json"])
    no_reason = runner.invoke(cli_app, ["periods", "reopen", "2025-03", "--reason", " "])
    not_a_month = runner.invoke(cli_app, ["periods", "close", "March"])
    reopened = runner.invoke(cli_app, ["periods", "reopen", "2025-03", "--reason", "fix"])

    assert (closed.exit_code, closed.stdout) == (0, "2025-03 closed\n")
    months = json.loads(listed.stdout)
    assert [(m["period"], m["state"], m["reported"]) for m in months] == [
        ("2025-04", "provisional", 1),  # after March, closed: so complete and shown by default
        ("2025-03", "closed", 1),
    ]
    assert months[1]["closed_by"].startswith("cli")
    assert no_reason.exit_code == 2 and "a reason is needed" in no_reason.output
    assert not_a_month.exit_code == 2 and "is not a month" in not_a_month.output
    assert (reopened.exit_code, reopened.stdout) == (0, "2025-03 reopened\n")
    actions = [entry.action for entry in audit.query(network_engine)][:2]
    get_engine.cache_clear()
    assert actions == [AuditAction.PERIOD_REOPEN.value, AuditAction.PERIOD_CLOSE.value]


def test_the_command_line_names_who_is_late_for_a_month_with_their_managers(
    network_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """March: ARA-1 reported; ARA-2 (it reported April) and CLJ-1 (never) did not."""
    monkeypatch.setenv("SKILLS_ROADMAP_DATABASE_URL", network_engine.url.render_as_string(False))
    get_settings.cache_clear()
    get_engine.cache_clear()
    add_accounts(network_engine)
    commit_upload(network_engine, progress_csv(VALID_LINES), "march.csv", today=TODAY)

    printed = CliRunner().invoke(cli_app, ["periods", "late", "2025-03", "--json"])
    get_engine.cache_clear()

    assert printed.exit_code == 0, printed.output
    late = json.loads(printed.stdout)
    assert late["period"] == "2025-03"
    assert [
        (row["programme_id"], row["cluster_id"], row["last_period"], row["managers"])
        for row in late["late"]
    ] == [
        ("ARA-2", "aragon-ai", None, ["maria", "mihai"]),
        ("CLJ-1", "cluj-it", None, ["mihai"]),
    ]


def test_closing_an_incomplete_latest_month_makes_it_the_month_shown_and_reopening_reverts(
    network_engine: Engine,
) -> None:
    """March: all three programmes reported (complete); April: one of three (provisional)."""
    march = [("ARA-1", "2025-03", 12, 10), ("ARA-2", "2025-03", 5, 4), ("CLJ-1", "2025-03", 3, 2)]
    april = [("ARA-1", "2025-04", 14, 11)]
    commit_upload(network_engine, progress_csv(march + april), "spring.csv", today=TODAY)
    before = load_snapshot(network_engine)
    assert before.frames.as_of_period == "2025-04"
    assert before.frames.default_as_of == period_to_month("2025-03")

    close_period(network_engine, "2025-04", "adam")
    closed = refresh_snapshot(network_engine, before)  # what the dashboard's refresh does

    assert closed.version == data_version(network_engine) != before.version
    assert closed.version.closed_periods == ("2025-04",)
    for frames in (closed.frames, load_snapshot(network_engine).frames):
        assert frames.default_as_of == period_to_month("2025-04")
        assert frames.closed_months == (period_to_month("2025-04"),)
        assert apply_filters(frames, Filters()).as_of_period == "2025-04"
    assert headline(closed.frames).provisional is None

    reopen_period(network_engine, "2025-04", "adam", "ARA-2 and CLJ-1 report late")
    reopened = refresh_snapshot(network_engine, closed)

    assert reopened.version.closed_periods == ()
    assert reopened.frames.default_as_of == period_to_month("2025-03")
    assert reopened.frames.closed_months == ()
    provisional = headline(reopened.frames).provisional
    assert provisional is not None and provisional.period == "2025-04"
