"""History and undo: every stored value's history, and reverting an upload as a new upload
that can itself be reverted; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest
from history_helpers import add_revised_targets
from ingest_helpers import TODAY, stored_progress
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner
from upload_helpers import progress_csv

from skills_roadmap import audit
from skills_roadmap.audit import AuditAction, AuditQuery
from skills_roadmap.cli import app as cli_app
from skills_roadmap.domain import UploadOutcome
from skills_roadmap.exceptions import NotFoundError
from skills_roadmap.i18n import PSEUDO_LANGUAGE, use_language
from skills_roadmap.ingest import commit_upload
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import get_engine, session_scope
from skills_roadmap.storage.history import programme_history, target_history
from skills_roadmap.storage.periods import close_period, reopen_period
from skills_roadmap.storage.revert import RevertRefusedError, revert_upload
from skills_roadmap.storage.tables import (
    ProgressRow,
    RevisionRow,
    UploadRow,
)

FIRST = [
    ("ARA-1", "2025-03", 12, 10, 8, 1, 6, 1500.5, "first cohort"),
    ("ARA-2", "2025-04", 20, 5, 5, 0, 10, 300, ""),
]
# ARA-1 March corrected (enrolled, certified blanked, notes), ARA-2 April unchanged, and a
# new month for CLJ-1.
SECOND = [
    ("ARA-1", "2025-03", 14, 10, "", 1, 6, 1500.5, "corrected"),
    ("ARA-2", "2025-04", 20, 5, 5, 0, 10, 300, ""),
    ("CLJ-1", "2025-05", 7, 0, "", "", "", "", ""),
]


def commit(engine: Engine, lines: list[Any], name: str) -> int:
    result = commit_upload(engine, progress_csv(lines), name, today=TODAY, user="maria")
    assert result.outcome is UploadOutcome.COMMITTED, result.message
    return result.upload_id


def counts(engine: Engine) -> tuple[int, int, int]:
    """Progress rows, revisions and upload records: what a refused revert must not change."""
    with session_scope(engine) as session:
        return tuple(  # type: ignore[return-value]
            int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (ProgressRow, RevisionRow, UploadRow)
        )


def test_revert_restores_the_exact_earlier_values_and_is_itself_revertible(
    network_engine: Engine,
) -> None:
    commit(network_engine, FIRST, "march.csv")
    before = stored_progress(network_engine)
    second = commit(network_engine, SECOND, "correction.csv")
    after_second = stored_progress(network_engine)

    reverted = revert_upload(network_engine, second, user="adam", reason="wrong file")

    assert stored_progress(network_engine) == before  # CLJ-1's new month goes
    assert (reverted.reverted, reverted.restored, reverted.removed, reverted.recreated) == (
        second,
        1,
        1,
        0,
    )
    with session_scope(network_engine) as session:
        record = session.get(UploadRow, reverted.upload_id)
        assert record is not None
        assert (record.kind, record.uploaded_by, record.outcome, record.file_name) == (
            "revert",
            "adam",
            "committed",
            f"revert of upload {second}: correction.csv",
        )

    again = revert_upload(network_engine, reverted.upload_id, user="adam", reason="it was right")

    assert stored_progress(network_engine) == after_second
    assert (again.restored, again.removed, again.recreated) == (1, 0, 1)
    entries = [
        (entry.action, entry.object)
        for entry in audit.query(network_engine, AuditQuery(action=AuditAction.UPLOAD_REVERT))
    ]
    assert entries == [
        (
            "upload_revert",
            f"upload {reverted.upload_id}: revert of upload {second}: correction.csv",
        ),
        ("upload_revert", f"upload {second}: correction.csv"),
    ]
    [latest] = audit.query(network_engine, AuditQuery(action=AuditAction.UPLOAD_REVERT, limit=1))
    assert latest.detail == (
        f'{{"reason": "it was right", "recreated": 1, "removed": 0, "restored": 1, '
        f'"revert_upload": {again.upload_id}}}'
    )


def test_reverting_a_first_upload_removes_the_months_it_reported(network_engine: Engine) -> None:
    first = commit(network_engine, FIRST, "march.csv")

    result = revert_upload(network_engine, first, user="adam", reason="test data")

    assert stored_progress(network_engine) == []
    assert (result.restored, result.removed, result.recreated, result.values) == (0, 2, 0, 13)


def test_a_revert_touching_a_closed_month_is_refused_and_stores_nothing(
    network_engine: Engine,
) -> None:
    commit(network_engine, FIRST, "march.csv")
    second = commit(network_engine, SECOND, "correction.csv")
    close_period(network_engine, "2025-05", "adam")
    stored = stored_progress(network_engine)
    before = counts(network_engine)

    with pytest.raises(RevertRefusedError) as refused:
        revert_upload(network_engine, second, user="adam", reason="wrong file")

    assert str(refused.value) == (
        f"upload {second} changed 2025-05, which is closed: an administrator can reopen it "
        "(skills-roadmap periods reopen 2025-05 --reason ...)"
    )
    assert (stored_progress(network_engine), counts(network_engine)) == (stored, before)
    assert audit.query(network_engine, AuditQuery(action=AuditAction.UPLOAD_REVERT)) == []
    # the refusal is in the reader's language: marked in the pseudo-language, data as it is
    with use_language(PSEUDO_LANGUAGE), pytest.raises(RevertRefusedError) as refused:
        revert_upload(network_engine, second, user="adam", reason="wrong file")
    assert str(refused.value) == (
        f"⟦üplöåd {second} chångéd 2025-05, whîch îs clöséd: ån ådmînîstråtör cån réöpén ît "
        "(skîlls-röådmåp pérîöds réöpén 2025-05 --réåsön ...)⟧"
    )


def test_a_revert_is_refused_when_a_later_upload_changed_the_same_rows(
    network_engine: Engine,
) -> None:
    first = commit(network_engine, FIRST, "march.csv")
    second = commit(network_engine, SECOND, "correction.csv")
    before = counts(network_engine)

    with pytest.raises(RevertRefusedError) as refused:
        revert_upload(network_engine, first, user="adam", reason="wrong file")

    assert str(refused.value) == (
        f"upload {first} cannot be reverted: later upload {second} changed the same "
        f"programmes and months; revert upload {second} first"
    )
    assert counts(network_engine) == before


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (99, "there is no upload 99: `skills-roadmap uploads list` shows them"),
        # a rejected upload stored nothing
        (2, "upload 2 stored nothing (rejected): there is nothing to revert"),
        # the same file again changed nothing
        (3, "upload 3 stored nothing (duplicate): there is nothing to revert"),
    ],
)
def test_a_revert_of_an_upload_that_stored_nothing_is_refused(
    engine: Engine, upload: int, message: str
) -> None:
    from ingest_helpers import add_network

    add_network(engine)
    commit(engine, FIRST, "march.csv")
    bad = commit_upload(engine, progress_csv([("NOPE", "2025-03", 1, 1)]), "bad.csv", today=TODAY)
    again = commit_upload(engine, progress_csv(FIRST), "march.csv", today=TODAY)
    assert (bad.upload_id, again.upload_id) == (2, 3)

    with pytest.raises((RevertRefusedError, NotFoundError)) as refused:
        revert_upload(engine, upload, user="adam", reason="why not")

    assert str(refused.value) == message


def test_a_revert_needs_a_reason(engine: Engine) -> None:
    with pytest.raises(RevertRefusedError, match="a reason is needed"):
        revert_upload(engine, 1, user="adam", reason="  ")


def test_a_programmes_history_lists_every_value_with_its_upload_newest_first(
    network_engine: Engine,
) -> None:
    first = commit(network_engine, FIRST, "march.csv")
    second = commit(network_engine, SECOND, "correction.csv")
    with session_scope(network_engine) as session:
        times = dict(session.execute(select(UploadRow.id, UploadRow.uploaded_at)).all())
    at = {key: pd.to_datetime(value, utc=True) for key, value in times.items()}

    history = programme_history(network_engine, "ARA-1")

    assert history.astype(object).where(history.notna(), None).values.tolist() == [
        ["2025-03", "enrolled", "14", second, "correction.csv", "maria", at[second]],
        ["2025-03", "certified", None, second, "correction.csv", "maria", at[second]],
        ["2025-03", "notes", "corrected", second, "correction.csv", "maria", at[second]],
        # the values first stored, by the first upload
        ["2025-03", "enrolled", "12", first, "march.csv", "maria", at[first]],
        ["2025-03", "completed", "10", first, "march.csv", "maria", at[first]],
        ["2025-03", "certified", "8", first, "march.csv", "maria", at[first]],
        ["2025-03", "dropped_out", "1", first, "march.csv", "maria", at[first]],
        ["2025-03", "women", "6", first, "march.csv", "maria", at[first]],
        ["2025-03", "spend_eur", "1500.5", first, "march.csv", "maria", at[first]],
        ["2025-03", "notes", "first cohort", first, "march.csv", "maria", at[first]],
    ]
    unchanged = programme_history(network_engine, "CLJ-1")
    assert unchanged[["period", "field", "value", "upload_id", "file_name"]].values.tolist() == [
        ["2025-05", "enrolled", "7", second, "correction.csv"],
        ["2025-05", "completed", "0", second, "correction.csv"],
    ]
    assert programme_history(network_engine, "NOPE").empty


def test_a_targets_history_lists_its_revisions_with_reason_newest_first(engine: Engine) -> None:
    from ingest_helpers import add_network

    add_network(engine)
    day, later = add_revised_targets(engine)

    history = target_history(engine, ["T-ES24"])

    assert history.astype(object).where(history.notna(), None).values.tolist() == [
        ["T-ES24", "value", "3500", "4000", "second call", None, None, "eva", pd.Timestamp(later)],
        ["T-ES24", "value", "3000", "3500", "budget grew", None, None, "adam", pd.Timestamp(day)],
    ]
    # every target's, newest first; the same time: the revision stored last first
    assert target_history(engine)[["target_id", "reason"]].values.tolist() == [
        ["T-ES24", "second call"],
        ["T-RO11", "late start"],
        ["T-ES24", "budget grew"],
    ]


def test_the_command_line_lists_uploads_and_reverts_one_with_a_reason(
    network_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLS_ROADMAP_DATABASE_URL", network_engine.url.render_as_string(False))
    get_settings.cache_clear()
    get_engine.cache_clear()  # the command's engine: this test's database
    commit(network_engine, FIRST, "march.csv")
    second = commit(network_engine, SECOND, "correction.csv")
    before = stored_progress(network_engine)
    close_period(network_engine, "2025-05", "adam")
    runner = CliRunner()

    no_reason = runner.invoke(cli_app, ["uploads", "revert", str(second), "--reason", " "])
    closed = runner.invoke(cli_app, ["uploads", "revert", str(second), "--reason", "x", "--json"])
    reopen_period(network_engine, "2025-05", "adam", "to revert")
    reverted = runner.invoke(
        cli_app, ["uploads", "revert", str(second), "--reason", "wrong file", "--json"]
    )
    listed = runner.invoke(cli_app, ["uploads", "list", "--json"])
    printed = runner.invoke(cli_app, ["uploads", "list"])
    undone = runner.invoke(cli_app, ["uploads", "revert", str(second + 1), "--reason", "no"])
    get_engine.cache_clear()

    assert no_reason.exit_code == 2 and "a reason is needed" in no_reason.output
    assert closed.exit_code == 1
    assert json.loads(closed.stdout) == {
        "error": f"upload {second} changed 2025-05, which is closed: an administrator can "
        "reopen it (skills-roadmap periods reopen 2025-05 --reason ...)",
        "exit_code": 1,
    }
    assert reverted.exit_code == 0, reverted.output
    assert json.loads(reverted.stdout) == {
        "reverted": second,
        "upload_id": second + 1,
        "restored": 1,
        "removed": 1,
        "recreated": 0,
        "values": 5,
    }
    assert (undone.exit_code, undone.stdout) == (
        0,
        f"reverted upload #{second + 1} as upload #{second + 2}; rows restored: 1, "
        "removed: 0, stored again: 1\n",
    )
    assert stored_progress(network_engine) == before
    uploads = json.loads(listed.stdout)
    assert [
        (u["upload_id"], u["kind"], u["outcome"], u["file_name"], u["rows_new"], u["rows_changed"])
        for u in uploads
    ] == [
        (second + 1, "revert", "committed", f"revert of upload {second}: correction.csv", 0, 2),
        (second, "progress", "committed", "correction.csv", 1, 1),
        (second - 1, "progress", "committed", "march.csv", 2, 0),
    ]
    assert uploads[0]["uploaded_by"].startswith("cli")
    assert printed.stdout.splitlines()[1].split()[:1] == [str(second + 1)]
