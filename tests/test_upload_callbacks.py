"""The upload page's server side: checked uploads kept for Confirm, and the page's callbacks
called as functions (the browser test drives the whole page)."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import flask_login
import pytest
from ingest_helpers import stored_progress
from sqlalchemy import Engine, select
from upload_helpers import VALID_LINES, add_accounts, configure, progress_csv
from werkzeug.exceptions import Forbidden

from dashboard import strings
from dashboard.app import create_app
from dashboard.auth import LOCAL_ACCOUNT, AuthUser
from skills_roadmap import ingest, users
from skills_roadmap.exceptions import UnreadableFileError
from skills_roadmap.i18n import PSEUDO_LANGUAGE, use_language
from skills_roadmap.ingest.template import next_period
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import get_engine, session_scope
from skills_roadmap.storage.tables import AuditRow

FIXTURES = Path(__file__).parent / "fixtures"
ERROR_LINES = [("ARA-1", "2025-03", "lots", 1, "", "", "", "", "")]


@pytest.fixture
def app(network_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[dash.Dash]:
    """The dashboard in local mode over the ingestion network (accounts exist for the tests
    that sign someone in)."""
    configure(monkeypatch, network_engine, auth=False)
    add_accounts(network_engine)
    yield create_app()
    get_engine.cache_clear()


@pytest.fixture
def upload_page(app: dash.Dash) -> Iterator[Any]:
    """The upload page module, inside a callback request of ``app``."""
    from dashboard.pages import upload  # pages register only once an app exists

    with app.server.test_request_context("/_dash-update-component", method="POST"):
        yield upload


def account(engine: Engine, name: str) -> AuthUser:
    user = users.get_user(engine, name)
    assert user is not None
    return AuthUser.from_user(user)


def report_of(data: bytes) -> ingest.DryRunReport:
    return ingest.dry_run(get_engine(), data, "march.csv")


def data_url(data: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(data).decode()


def test_checked_bytes_are_given_back_once_and_then_forgotten(upload_page: Any) -> None:
    data = progress_csv(VALID_LINES)
    token = upload_page.keep_pending(LOCAL_ACCOUNT, data, report_of(data))

    assert upload_page.take_pending(LOCAL_ACCOUNT, token) == (data, "march.csv")
    assert upload_page.take_pending(LOCAL_ACCOUNT, token) is None
    assert list(upload_page.pending_folder().iterdir()) == []


def test_another_users_token_is_refused_and_audited(
    upload_page: Any, network_engine: Engine
) -> None:
    data = progress_csv(VALID_LINES)
    token = upload_page.keep_pending(account(network_engine, "maria"), data, report_of(data))

    with pytest.raises(Forbidden):
        upload_page.take_pending(account(network_engine, "mihai"), token)
    with session_scope(network_engine) as session:
        entry = session.scalars(select(AuditRow).where(AuditRow.action == "forbidden")).one()
        assert (entry.user_name, json.loads(entry.detail or "{}")["reason"]) == (
            "mihai",
            "upload token of another user",
        )
    assert upload_page.take_pending(account(network_engine, "maria"), token) == (data, "march.csv")


@pytest.mark.parametrize(
    "token",
    [
        "../../../etc/passwd",  # a path, not a token
        "a" * 31,  # one character short
        "a" * 32 + "/",
        42,
        None,
    ],
)
def test_a_malformed_token_is_refused(
    upload_page: Any, network_engine: Engine, token: object
) -> None:
    with pytest.raises(Forbidden):
        upload_page.take_pending(account(network_engine, "maria"), token)


def test_cancel_forgets_the_checked_upload(upload_page: Any) -> None:
    data = progress_csv(VALID_LINES)
    token = upload_page.keep_pending(LOCAL_ACCOUNT, data, report_of(data))

    upload_page.drop_pending(LOCAL_ACCOUNT, token)

    assert upload_page.take_pending(LOCAL_ACCOUNT, token) is None


@pytest.mark.parametrize(("lines", "marked"), [(ERROR_LINES, True), (VALID_LINES, False)])
def test_the_marked_up_sheet_is_kept_only_when_there_are_problems(
    upload_page: Any, lines: list[tuple[Any, ...]], marked: bool
) -> None:
    data = progress_csv(lines)
    token = upload_page.keep_pending(LOCAL_ACCOUNT, data, report_of(data))

    kept = upload_page.marked_pending(LOCAL_ACCOUNT, token)

    assert (kept is not None) == marked
    if kept is not None:
        assert kept[1] == "march-problems.xlsx"
        assert kept[0].startswith(b"PK")  # an xlsx is a zip archive


def test_checked_uploads_older_than_a_day_are_swept(upload_page: Any) -> None:
    data = progress_csv(VALID_LINES)
    old = upload_page.keep_pending(LOCAL_ACCOUNT, data, report_of(data))
    long_ago = time.time() - upload_page.PENDING_LIFETIME.total_seconds() - 60
    for path in upload_page.pending_folder().iterdir():
        os.utime(path, (long_ago, long_ago))

    upload_page.keep_pending(LOCAL_ACCOUNT, data, report_of(data))

    assert upload_page.take_pending(LOCAL_ACCOUNT, old) is None


def test_each_user_keeps_only_their_newest_checks(upload_page: Any, network_engine: Engine) -> None:
    settings = get_settings().model_copy(update={"upload_pending_per_user": 3})
    app = create_app(settings, network_engine)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        maria, mihai = account(network_engine, "maria"), account(network_engine, "mihai")
        data = progress_csv(VALID_LINES)
        report = report_of(data)
        started = time.time() - 3_600

        def keep(user: AuthUser, minute: int) -> str:
            token: str = upload_page.keep_pending(user, data, report)
            for path in upload_page.pending_folder().glob(f"{token}.*"):  # one minute apart
                os.utime(path, (started + 60 * minute, started + 60 * minute))
            return token

        mihais = [keep(mihai, minute) for minute in range(2)]
        marias = [keep(maria, minute) for minute in range(2, 9)]

        kept = {
            token: upload_page.take_pending(user, token) is not None
            for user, tokens in ((maria, marias), (mihai, mihais))
            for token in tokens
        }
        assert (
            kept
            == {
                **{token: False for token in marias[:4]},  # the oldest four of seven are forgotten
                **{token: True for token in marias[4:]},
                **{token: True for token in mihais},  # another user's checks are not touched
            }
        )


def test_contents_that_are_not_base64_are_an_unreadable_file(upload_page: Any) -> None:
    assert upload_page.decode_contents(data_url(b"abc")) == b"abc"
    with pytest.raises(UnreadableFileError):
        upload_page.decode_contents("data:text/csv;base64,@@@")


def test_check_then_confirm_stores_the_checked_bytes_once(
    upload_page: Any, network_engine: Engine
) -> None:
    report, pending, result, contents = upload_page.check_sheet(
        data_url(progress_csv(VALID_LINES)), "march.csv", None
    )

    assert (pending["ok"], pending["marked"], result, contents) == (True, False, None, None)
    assert stored_progress(network_engine) == []
    message, cleared, report_after, committed = upload_page.confirm(1, pending)
    assert message.color == "success"
    assert message.children[0] == strings.UPLOAD_COMMITTED.format(
        id=1, new=2, changed=0, unchanged=0
    )
    assert (cleared, report_after, committed) == (None, [], 1)
    assert len(stored_progress(network_engine)) == 2
    again = upload_page.confirm(2, pending)
    assert again[0].children == strings.UPLOAD_EXPIRED


def test_an_unreadable_file_shows_why_and_keeps_nothing(upload_page: Any) -> None:
    report, pending, result, _contents = upload_page.check_sheet(data_url(b""), "empty.csv", None)

    assert (report, pending) == ([], None)
    assert result.color == "danger"
    assert "empty" in result.children
    assert (
        not upload_page.pending_folder().exists()
        or list(upload_page.pending_folder().iterdir()) == []
    )


def test_a_refused_file_is_explained_in_the_managers_language(upload_page: Any) -> None:
    """A PDF dropped as a workbook: the whole refusal the page shows is translated (marked in
    the pseudo-language), down to what the file is; the check runs in a child process."""
    pdf = (FIXTURES / "hostile_pdf_renamed.xlsx").read_bytes()
    with use_language(PSEUDO_LANGUAGE):
        report, pending, result, _contents = upload_page.check_sheet(
            data_url(pdf), "march.xlsx", None
        )

    assert (report, pending, result.color) == ([], None, "danger")
    assert result.children == (
        "⟦Thé fîlé cöüld nöt bé réåd: ⟦thîs fîlé îs ⟦å PDF döcümént⟧, nöt å spréådshéét: såvé "
        "ît ås .xlsx, .öds ör .csv ånd üplöåd thåt⟧.⟧"
    )


def test_cancel_stores_nothing(upload_page: Any, network_engine: Engine) -> None:
    _report, pending, _result, _contents = upload_page.check_sheet(
        data_url(progress_csv(VALID_LINES)), "march.csv", None
    )

    message, cleared, report_after = upload_page.cancel(1, pending)

    assert (message.children, cleared, report_after) == (strings.UPLOAD_CANCELLED, None, [])
    assert stored_progress(network_engine) == []


@pytest.mark.parametrize(
    ("pending", "shown"),
    [
        (None, (True, True, True)),  # nothing checked: no buttons
        ({"token": "t", "ok": True, "marked": False}, (False, False, True)),
        ({"token": "t", "ok": True, "marked": True}, (False, False, False)),  # warnings only
        ({"token": "t", "ok": False, "marked": True}, (False, True, False)),  # errors: no Confirm
    ],
)
def test_confirm_and_the_marked_up_sheet_are_offered_as_the_check_allows(
    upload_page: Any, pending: dict[str, Any] | None, shown: tuple[bool, bool, bool]
) -> None:
    assert upload_page.show_actions(pending) == shown


def test_a_manager_picks_among_their_own_clusters_only(
    upload_page: Any, network_engine: Engine
) -> None:
    assert upload_page.cluster_options(account(network_engine, "mihai")) == [
        {"label": "Aragón AI", "value": "aragon-ai"},
        {"label": "Cluj IT", "value": "cluj-it"},
    ]
    assert upload_page.cluster_options(account(network_engine, "maria")) == [
        {"label": "Aragón AI", "value": "aragon-ai"}
    ]
    assert upload_page.cluster_options(LOCAL_ACCOUNT)[0] == {
        "label": strings.UPLOAD_TEMPLATE_ALL,
        "value": upload_page.ALL_CLUSTERS,
    }


def test_a_forged_cluster_in_the_template_callback_is_refused(
    network_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, network_engine, auth=True)
    add_accounts(network_engine)
    app = create_app()
    from dashboard.pages import upload

    with app.server.test_request_context("/_dash-update-component", method="POST"):
        flask_login.login_user(account(network_engine, "maria"))
        with pytest.raises(Forbidden):
            upload.download_template(1, "cluj-it")
        download, message, *_offer = upload.download_template(1, "aragon-ai")
    get_engine.cache_clear()
    assert message is None
    assert download["filename"].startswith("progress-aragon-ai-")


def test_the_history_lists_only_the_users_own_uploads(
    upload_page: Any, network_engine: Engine
) -> None:
    ingest.commit_upload(network_engine, progress_csv(VALID_LINES), "mine.csv", user="maria")
    ingest.commit_upload(network_engine, progress_csv(ERROR_LINES), "bad.csv", user="maria")
    ingest.commit_upload(network_engine, progress_csv(VALID_LINES[:1]), "other.csv", user="mihai")

    table = upload_page.history_table("maria")

    columns = strings.UPLOAD_HISTORY_COLUMNS
    assert list(table.columns) == list(columns.values())
    assert table[[columns["file_name"], columns["outcome"]]].values.tolist() == [
        ["bad.csv", strings.UPLOAD_OUTCOMES["rejected"]],
        ["mine.csv", strings.UPLOAD_OUTCOMES["committed"]],
    ]


def test_the_template_download_names_the_cluster(upload_page: Any) -> None:
    download, message, *_offer = upload_page.download_template(1, "cluj-it")

    assert message is None
    assert isinstance(download, dict) and download["filename"].startswith("progress-cluj-it-")


def test_a_sheet_waiting_for_other_uploads_says_so_then_is_checked(
    app: dash.Dash, upload_page: Any
) -> None:
    """With every parse slot taken, the page's status line says the file waits for other
    uploads; once a slot frees up the sheet is checked as usual."""
    from skills_roadmap.ingest.isolation import parse_slots
    from skills_roadmap.settings import get_settings

    ticket = "t" * 32
    concurrency = get_settings().parse_concurrency
    slots = parse_slots(concurrency)
    assert all(slots.acquire(blocking=False) for _ in range(concurrency))
    results: list[tuple[Any, ...]] = []

    def check() -> None:
        with app.server.test_request_context("/_dash-update-component", method="POST"):
            results.append(
                upload_page.check_sheet(
                    data_url(progress_csv(VALID_LINES)), "march.csv", None, ticket
                )
            )

    worker = threading.Thread(target=check)
    worker.start()
    try:
        deadline = time.monotonic() + 30
        while upload_page.show_parse_state(1, ticket)[0] != strings.UPLOAD_QUEUED:
            assert time.monotonic() < deadline, "the page never said the file waits"
            time.sleep(0.01)
    finally:
        for _ in range(concurrency):
            slots.release()
    worker.join(60)
    [(_report, pending, result, _contents)] = results
    assert (pending["ok"], result) == (True, None)
    assert upload_page.show_parse_state(2, ticket) == (
        strings.UPLOAD_CHECKING,
        strings.UPLOAD_COMMITTING,
    )


def test_the_template_month_defaults_to_the_month_after_the_clusters_last_report(
    upload_page: Any, network_engine: Engine
) -> None:
    ingest.commit_upload(network_engine, progress_csv(VALID_LINES), "march.csv", user="maria")
    reported = max(line[1] for line in VALID_LINES)

    assert upload_page.default_template_month("aragon-ai") == next_period(reported)


def test_an_empty_months_template_is_not_sent_and_the_page_offers_the_month_that_has_one(
    upload_page: Any,
) -> None:
    reason = (
        "No programme of Aragón AI runs in June 2023; its programmes start in January 2024: "
        "download the template of January 2024 instead."
    )
    download, message, hidden, label, offered = upload_page.download_template(
        1, "aragon-ai", "2023-06"
    )
    assert (download, message.children, hidden, label, offered) == (
        dash.no_update,
        reason,
        False,
        strings.UPLOAD_TEMPLATE_INSTEAD.format(month="January 2024"),
        "2024-01",
    )

    download, message, hidden, _label, _offered, month = upload_page.download_instead(
        1, "aragon-ai", offered
    )
    assert (download["filename"], message, hidden, month) == (
        "progress-aragon-ai-2024-01.xlsx",
        None,
        True,
        "2024-01",
    )
