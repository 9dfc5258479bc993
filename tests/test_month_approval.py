"""Submission and approval of each cluster's month: a manager submits, an official approves
or returns it with a comment, it is submitted again; with ``month_approval`` a month closes
only once every cluster due has it approved. Every step is audited, on SQLite and PostgreSQL,
in the library and on the command line."""

from __future__ import annotations

import json

import pytest
from ingest_helpers import TODAY
from sqlalchemy import Engine
from typer.testing import CliRunner
from upload_helpers import progress_csv

from skills_roadmap import audit
from skills_roadmap.analysis import load_frames
from skills_roadmap.analysis.month_states import cluster_months, clusters_due
from skills_roadmap.cli import app as cli_app
from skills_roadmap.domain import SubmissionState
from skills_roadmap.exceptions import NotFoundError
from skills_roadmap.i18n import PSEUDO_LANGUAGE, use_language
from skills_roadmap.ingest import commit_upload
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import get_engine
from skills_roadmap.storage.periods import MonthNotApprovedError, close_period, closed_periods
from skills_roadmap.storage.submissions import (
    SubmissionError,
    approve_period,
    return_period,
    submissions,
    submit_period,
)

MARCH = [("ARA-1", "2025-03", 12, 10), ("ARA-2", "2025-03", 5, 4), ("CLJ-1", "2025-03", 3, 2)]


def states(engine: Engine, period: str) -> list[tuple[str, str, str, str | None]]:
    return [
        (item.cluster_id, item.state.value, item.changed_by, item.comment)
        for item in submissions(engine, period)
    ]


def test_a_month_is_submitted_returned_with_a_comment_resubmitted_approved_then_closed(
    network_engine: Engine,
) -> None:
    engine = network_engine
    due = ["aragon-ai", "cluj-it"]

    first = submit_period(engine, "2025-03", "aragon-ai", "maria")
    assert (first.state, first.submitted_by, first.comment) == (
        SubmissionState.SUBMITTED,
        "maria",
        None,
    )
    returned = return_period(engine, "2025-03", "aragon-ai", "olga", "  ARA-2 lacks women  ")
    assert states(engine, "2025-03") == [("aragon-ai", "returned", "olga", "ARA-2 lacks women")]
    again = submit_period(engine, "2025-03", "aragon-ai", "maria")
    assert again.submitted_at > returned.changed_at and again.comment is None
    approve_period(engine, "2025-03", "aragon-ai", "olga")

    with pytest.raises(MonthNotApprovedError) as refused:
        close_period(engine, "2025-03", "adam", approvals_of=due)
    assert str(refused.value) == (
        "2025-03 cannot be closed before every cluster due has it approved; "
        "not approved yet: cluj-it (skills-roadmap periods status 2025-03)"
    )
    assert closed_periods(engine) == []

    submit_period(engine, "2025-03", "cluj-it", "mihai")
    approve_period(engine, "2025-03", "cluj-it", "adam")
    assert close_period(engine, "2025-03", "adam", approvals_of=due)

    assert states(engine, "2025-03") == [
        ("aragon-ai", "approved", "olga", None),
        ("cluj-it", "approved", "adam", None),
    ]
    entries = [
        (entry.user_name, entry.action, entry.object, entry.detail)
        for entry in reversed(audit.query(engine))
        if entry.action.startswith("period_")
    ]
    assert entries == [
        ("maria", "period_submit", "2025-03 aragon-ai", None),
        ("olga", "period_return", "2025-03 aragon-ai", '{"comment": "ARA-2 lacks women"}'),
        ("maria", "period_submit", "2025-03 aragon-ai", None),
        ("olga", "period_approve", "2025-03 aragon-ai", None),
        ("mihai", "period_submit", "2025-03 cluj-it", None),
        ("adam", "period_approve", "2025-03 cluj-it", None),
        ("adam", "period_close", "2025-03", None),
    ]


def test_a_step_out_of_order_is_refused_with_what_the_month_waits_for(
    network_engine: Engine,
) -> None:
    engine = network_engine
    refusals = []
    for step in (
        lambda: approve_period(engine, "2025-03", "aragon-ai", "olga"),
        lambda: return_period(engine, "2025-03", "aragon-ai", "olga", "why"),
        lambda: submit_period(engine, "2025-03", "aragon-ai", "maria"),  # stored
        lambda: submit_period(engine, "2025-03", "aragon-ai", "maria"),
        lambda: return_period(engine, "2025-03", "aragon-ai", "olga", " "),
        lambda: return_period(engine, "2025-03", "aragon-ai", "olga", "fix ARA-2"),  # stored
        lambda: approve_period(engine, "2025-03", "aragon-ai", "olga"),
    ):
        try:
            step()
        except SubmissionError as error:
            refusals.append(str(error))
    assert refusals == [
        "2025-03 of aragon-ai has not been submitted by its manager: only a submitted month "
        "can be approved",
        "2025-03 of aragon-ai has not been submitted by its manager: only a submitted or "
        "approved month can be returned",
        "2025-03 of aragon-ai is submitted (by maria): it can be submitted again only once an "
        "official returns it",
        'a comment is needed to return a month: say what aragon-ai must fix (--comment "...")',
        "2025-03 of aragon-ai is returned (by olga): only a submitted month can be approved",
    ]
    with pytest.raises(NotFoundError, match="no cluster 'nowhere'"):
        submit_period(engine, "2025-03", "nowhere", "maria")
    close_period(engine, "2025-04", "adam")
    with pytest.raises(SubmissionError, match="2025-04 is closed: an administrator can reopen"):
        submit_period(engine, "2025-04", "aragon-ai", "maria")
    # in the reader's language: marked in the pseudo-language, data values as they are
    with use_language(PSEUDO_LANGUAGE):
        marked = []
        for refused in (
            lambda: submit_period(engine, "2025-04", "aragon-ai", "maria"),
            lambda: approve_period(engine, "2025-03", "aragon-ai", "olga"),
        ):
            with pytest.raises(SubmissionError) as refusal:
                refused()
            marked.append(str(refusal.value))
    assert marked == [
        "⟦2025-04 îs clöséd: ån ådmînîstråtör cån réöpén ît "
        "(skîlls-röådmåp pérîöds réöpén 2025-04 --réåsön ...)⟧",
        "⟦⟦2025-03 öf aragon-ai îs rétürnéd (by olga)⟧: önly å sübmîttéd mönth cån bé åpprövéd⟧",
    ]


def test_each_cluster_due_in_a_month_shows_its_reports_and_where_its_submission_stands(
    network_engine: Engine,
) -> None:
    engine = network_engine
    commit_upload(engine, progress_csv(MARCH[:2]), "march.csv", today=TODAY)
    submit_period(engine, "2025-03", "aragon-ai", "maria")
    frames = load_frames(engine)

    assert clusters_due(frames, "2025-03") == ["aragon-ai", "cluj-it"]
    table = cluster_months(frames, ["2025-02", "2025-03"], submissions(engine))
    stamped = table["submitted_at"].notna() & table["changed_at"].notna()
    assert table.drop(columns=["submitted_at", "changed_at"]).astype(object).where(
        table.notna(), None
    ).values.tolist() == [
        ["2025-03", "aragon-ai", "Aragón AI", 2, 2, "submitted", "maria", "maria", None],
        ["2025-03", "cluj-it", "Cluj IT", 1, 0, "not_submitted", None, None, None],
        ["2025-02", "aragon-ai", "Aragón AI", 2, 0, "not_submitted", None, None, None],
        ["2025-02", "cluj-it", "Cluj IT", 1, 0, "not_submitted", None, None, None],
    ]
    assert stamped.tolist() == [True, False, False, False]
    mine = cluster_months(frames, ["2025-03"], submissions(engine), clusters=["cluj-it"])
    assert mine["cluster_id"].tolist() == ["cluj-it"]


def test_the_command_line_submits_returns_approves_and_closes_only_once_all_are_approved(
    network_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLS_ROADMAP_DATABASE_URL", network_engine.url.render_as_string(False))
    get_settings.cache_clear()
    get_engine.cache_clear()
    commit_upload(network_engine, progress_csv(MARCH), "march.csv", today=TODAY)
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(cli_app, ["periods", *args])
        return result.exit_code, result.output

    off = run("submit", "2025-03", "--cluster", "aragon-ai")
    monkeypatch.setenv("SKILLS_ROADMAP_MONTH_APPROVAL", "true")
    get_settings.cache_clear()
    steps = [
        run("submit", "2025-03", "--cluster", "aragon-ai"),
        run("return", "2025-03", "--cluster", "aragon-ai", "--comment", "ARA-2 lacks women"),
    ]
    returned = json.loads(runner.invoke(cli_app, ["periods", "status", "2025-03", "--json"]).stdout)
    steps += [
        run("submit", "2025-03", "--cluster", "aragon-ai"),
        run("approve", "2025-03", "--cluster", "aragon-ai"),
        run("close", "2025-03"),
        run("submit", "2025-03", "--cluster", "cluj-it"),
        run("approve", "2025-03", "--cluster", "cluj-it"),
        run("close", "2025-03"),
    ]
    listed = json.loads(runner.invoke(cli_app, ["periods", "list", "--json"]).stdout)
    get_engine.cache_clear()

    assert off == (
        1,
        "error: month approval is off: set SKILLS_ROADMAP_MONTH_APPROVAL=true to submit and "
        "approve months\n",
    )
    assert steps == [
        (0, "2025-03 of aragon-ai submitted\n"),
        (0, "2025-03 of aragon-ai returned\n"),
        (0, "2025-03 of aragon-ai submitted\n"),
        (0, "2025-03 of aragon-ai approved\n"),
        (
            1,
            "error: 2025-03 cannot be closed before every cluster due has it approved; "
            "not approved yet: cluj-it (skills-roadmap periods status 2025-03)\n",
        ),
        (0, "2025-03 of cluj-it submitted\n"),
        (0, "2025-03 of cluj-it approved\n"),
        (0, "2025-03 closed\n"),
    ]
    assert (returned["period"], returned["approval"], returned["closed"]) == (
        "2025-03",
        True,
        False,
    )
    assert [
        (row["cluster_id"], row["due"], row["reported"], row["state"], row["comment"])
        for row in returned["clusters"]
    ] == [
        ("aragon-ai", 2, 2, "returned", "ARA-2 lacks women"),
        ("cluj-it", 1, 1, "not_submitted", None),
    ]
    assert returned["clusters"][0]["changed_by"].startswith("cli")
    assert [(m["period"], m["state"], m["submissions"]) for m in listed] == [
        ("2025-03", "closed", {"approved": 2})
    ]
