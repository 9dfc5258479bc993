"""The upload API for scripts: dry run, commit and template over HTTP, behind the same gate."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from ingest_helpers import stored_progress
from openpyxl import load_workbook
from sqlalchemy import Engine, select
from upload_helpers import (
    BASE,
    PASSWORD,
    VALID_LINES,
    add_accounts,
    configure,
    post_sheet,
    progress_csv,
)
from upload_helpers import signed_in as sign_in

from dashboard import strings
from dashboard.api import template_file_name
from dashboard.app import create_app
from skills_roadmap.storage import get_engine, session_scope
from skills_roadmap.storage.tables import AuditRow, UploadRow

FIXTURES = Path(__file__).parent / "fixtures"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def app(network_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[dash.Dash]:
    """The dashboard with log-in on, over the ingestion network with its accounts."""
    configure(monkeypatch, network_engine, auth=True)
    add_accounts(network_engine)
    yield create_app()
    get_engine.cache_clear()


@pytest.fixture
def local_app(network_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[dash.Dash]:
    """The dashboard in local single-user mode (no log-in, every permission)."""
    configure(monkeypatch, network_engine, auth=False)
    yield create_app()
    get_engine.cache_clear()


def signed_in(app: dash.Dash, name: str) -> FlaskClient:
    return sign_in(app.server.test_client(), name)


def audit_entries(engine: Engine, action: str) -> list[tuple[str | None, str | None, Any]]:
    """(user, object, detail) of every audit entry of ``action``, oldest first."""
    with session_scope(engine) as session:
        rows = session.scalars(
            select(AuditRow).where(AuditRow.action == action).order_by(AuditRow.id)
        ).all()
        return [(r.user_name, r.object, json.loads(r.detail) if r.detail else None) for r in rows]


def test_dry_run_answers_the_report_and_stores_nothing(
    app: dash.Dash, network_engine: Engine
) -> None:
    response = post_sheet(signed_in(app, "maria"), progress_csv(VALID_LINES), dry_run=True)

    assert response.status_code == 200
    report = response.json
    assert report is not None
    assert (report["ok"], report["new"], report["changed"], report["unchanged"]) == (
        True,
        2,
        0,
        0,
    )
    assert report["new_rows"] == [
        {"programme_id": "ARA-1", "period": "2025-03", "row": 2},
        {"programme_id": "ARA-2", "period": "2025-04", "row": 3},
    ]
    assert stored_progress(network_engine) == []
    [(user, obj, detail)] = audit_entries(network_engine, "upload_dry_run")
    assert (user, obj) == ("maria", "dry run: progress.csv")
    assert (detail["new"], detail["errors"]) == (2, 0)


def test_commit_stores_the_rows_and_names_the_upload(
    app: dash.Dash, network_engine: Engine
) -> None:
    response = post_sheet(signed_in(app, "maria"), progress_csv(VALID_LINES))

    assert response.status_code == 200
    answer = response.json
    assert answer is not None
    assert (answer["outcome"], answer["upload_id"], answer["report"]["new"]) == (
        "committed",
        1,
        2,
    )
    stored = stored_progress(network_engine)
    assert [(row["programme_id"], row["period"], row["enrolled"]) for row in stored] == [
        ("ARA-1", "2025-03", 12),
        ("ARA-2", "2025-04", 20),
    ]
    [(user, _obj, detail)] = audit_entries(network_engine, "upload_commit")
    assert (user, detail["outcome"]) == ("maria", "committed")


def test_control_characters_are_left_out_of_the_file_name(
    app: dash.Dash, network_engine: Engine
) -> None:
    """A NUL in a file name was a 500 on PostgreSQL (its text columns refuse it)."""
    client = signed_in(app, "maria")
    name = "mar\x00ch\x1b[31m\x7f\x85.csv"  # NUL, escape, DEL and a C1 control

    dry_run = post_sheet(client, progress_csv(VALID_LINES), name=name, dry_run=True)
    commit = post_sheet(client, progress_csv(VALID_LINES), name=name)

    assert (dry_run.status_code, commit.status_code) == (200, 200)
    with session_scope(network_engine) as session:
        assert session.scalars(select(UploadRow.file_name)).all() == ["march[31m.csv"]
    assert [
        obj
        for action in ("upload_dry_run", "upload_commit")
        for _user, obj, _detail in audit_entries(network_engine, action)
    ] == ["dry run: march[31m.csv", "upload 1: march[31m.csv"]


def test_a_log_in_name_with_control_characters_is_read_without_them(
    app: dash.Dash, network_engine: Engine
) -> None:
    client = app.server.test_client()

    def log_in(name: str, password: str) -> int:
        form = {"name": name, "password": password, "next": "/"}
        response = client.post("/login", base_url=BASE, data=form, headers={"Origin": BASE})
        return response.status_code

    assert [log_in("ma\x00ria", "wrong password"), log_in("\x00maria\n", PASSWORD)] == [401, 303]
    with session_scope(network_engine) as session:
        entries = session.execute(
            select(AuditRow.user_name, AuditRow.action)
            .where(AuditRow.action.in_(["login", "login_failed"]))
            .order_by(AuditRow.id)
        ).all()
    assert [tuple(entry) for entry in entries] == [("maria", "login_failed"), ("maria", "login")]


def test_the_same_file_twice_is_a_duplicate_that_changes_nothing(app: dash.Dash) -> None:
    client = signed_in(app, "maria")
    first = post_sheet(client, progress_csv(VALID_LINES))
    second = post_sheet(client, progress_csv(VALID_LINES), name="again.csv")

    assert second.status_code == 200
    assert second.json is not None and first.json is not None
    assert (second.json["outcome"], second.json["duplicate_of"]) == (
        "duplicate",
        first.json["upload_id"],
    )


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        # a manager reports only for the programmes of their own clusters
        (
            ("CLJ-1", "2025-03", 5, 5, "", "", "", "", ""),
            "Programme ID",
            "this programme belongs to a cluster you do not report for",
        ),
        (("ARA-1", "2025-03", 5, 7, 9, "", "", "", ""), "Certified", None),
        (("ARA-1", "2025-03", "lots", 1, "", "", "", "", ""), "Enrolled", "not a number"),
    ],
)
def test_a_sheet_with_errors_is_rejected_with_422_and_nothing_stored(
    app: dash.Dash, network_engine: Engine, line: tuple[Any, ...], column: str, message: str | None
) -> None:
    response = post_sheet(signed_in(app, "maria"), progress_csv([line]))

    assert response.status_code == 422
    answer = response.json
    assert answer is not None and answer["outcome"] == "rejected"
    [error] = answer["report"]["errors"]
    assert (error["sheet"], error["row"], error["column"]) == ("Progress", 2, column)
    if message is not None:
        assert error["message"] == message
    assert stored_progress(network_engine) == []


def test_an_unreadable_file_gets_422_with_the_reason_and_is_audited(
    app: dash.Dash, network_engine: Engine
) -> None:
    data = (FIXTURES / "hostile_pdf_renamed.xlsx").read_bytes()

    response = post_sheet(signed_in(app, "maria"), data, name="march.xlsx", dry_run=True)

    assert response.status_code == 422
    assert response.json is not None and "not a spreadsheet" in response.json["error"]
    [(user, obj, detail)] = audit_entries(network_engine, "upload_dry_run")
    assert (user, obj, detail["outcome"]) == ("maria", "unreadable: march.xlsx", "unreadable")


def test_a_request_without_the_file_field_gets_400(app: dash.Dash) -> None:
    response = signed_in(app, "maria").post(
        "/api/uploads", base_url=BASE, data={"other": "x"}, headers={"Origin": BASE}
    )

    assert response.status_code == 400
    assert response.json == {"error": strings.UPLOAD_NO_FILE}


def test_a_manager_uploading_a_programmes_sheet_is_refused_with_403_and_audited(
    app: dash.Dash, network_engine: Engine
) -> None:
    data = (FIXTURES / "programmes.xlsx").read_bytes()

    response = post_sheet(signed_in(app, "maria"), data, name="programmes.xlsx")

    assert response.status_code == 403
    assert response.json is not None and "only administrators" in response.json["error"]
    [(user, _obj, detail)] = audit_entries(network_engine, "upload_commit")
    assert (user, detail["outcome"]) == ("maria", "refused")


@pytest.mark.parametrize(
    ("path", "method", "needed"),
    [
        # uploads are open to managers (progress) and administrators (network workbooks)
        ("/api/uploads?dry_run=1", "post", "admin or upload"),
        ("/api/uploads", "post", "admin or upload"),
        ("/api/template", "get", "upload"),  # the progress template: managers only
    ],
)
def test_a_role_without_the_upload_permission_gets_403_and_is_audited(
    app: dash.Dash, network_engine: Engine, path: str, method: str, needed: str
) -> None:
    client = signed_in(app, "olga")
    if method == "post":
        response = post_sheet(client, progress_csv(VALID_LINES), dry_run="dry_run" in path)
    else:
        response = client.get(path, base_url=BASE)

    assert response.status_code == 403
    assert response.json == {"error": strings.FORBIDDEN_TEXT}
    [(user, obj, detail)] = audit_entries(network_engine, "forbidden")
    assert (user, obj, detail["reason"]) == (
        "olga",
        path.split("?")[0],
        f"needs permission {needed}",
    )
    assert stored_progress(network_engine) == []


def test_nobody_signed_in_gets_401(app: dash.Dash) -> None:
    response = post_sheet(app.server.test_client(), progress_csv(VALID_LINES))

    assert response.status_code == 401


def test_a_post_from_another_site_is_refused(app: dash.Dash, network_engine: Engine) -> None:
    client = signed_in(app, "maria")

    response = post_sheet(client, progress_csv(VALID_LINES), origin="https://evil.example")

    assert response.status_code == 403
    assert stored_progress(network_engine) == []


def template_programmes(data: bytes) -> list[str]:
    """The Programme IDs listed in a template's Progress sheet."""
    sheet = load_workbook(io.BytesIO(data), read_only=True)["Progress"]
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]


def test_the_template_of_a_manager_with_one_cluster_lists_their_programmes(
    app: dash.Dash,
) -> None:
    response = signed_in(app, "maria").get("/api/template", base_url=BASE)

    assert response.status_code == 200
    assert response.mimetype == XLSX_MIME
    expected_name = template_file_name("aragon-ai")
    assert f"filename={expected_name}" in response.headers["Content-Disposition"]
    assert template_programmes(response.data) in ([], ["ARA-1", "ARA-2"])  # active this month


def test_the_template_of_a_chosen_month_is_named_after_it_and_lists_its_programmes(
    app: dash.Dash,
) -> None:
    response = signed_in(app, "maria").get("/api/template?month=2025-05", base_url=BASE)

    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert "filename=progress-aragon-ai-2025-05.xlsx" in disposition
    assert template_programmes(response.data) == ["ARA-1", "ARA-2"]


def test_the_template_of_a_malformed_month_is_refused_with_400(app: dash.Dash) -> None:
    response = signed_in(app, "maria").get("/api/template?month=2025-5", base_url=BASE)

    assert (response.status_code, response.json) == (
        400,
        {"error": "'2025-5' is not a month: expected YYYY-MM, e.g. '2025-03'"},
    )


def test_a_manager_of_several_clusters_names_the_cluster_of_the_template(
    app: dash.Dash,
) -> None:
    client = signed_in(app, "mihai")

    without = client.get("/api/template", base_url=BASE)
    chosen = client.get("/api/template?cluster=cluj-it", base_url=BASE)

    assert without.status_code == 400
    assert without.json == {
        "error": strings.UPLOAD_CHOOSE_CLUSTER.format(clusters="aragon-ai, cluj-it")
    }
    assert chosen.status_code == 200


def test_the_template_of_another_cluster_is_refused_with_403_and_audited(
    app: dash.Dash, network_engine: Engine
) -> None:
    response = signed_in(app, "maria").get("/api/template?cluster=cluj-it", base_url=BASE)

    assert response.status_code == 403
    [(user, _obj, detail)] = audit_entries(network_engine, "forbidden")
    assert user == "maria" and "cluj-it" in detail["reason"]


def test_local_mode_uploads_without_log_in_and_any_cluster(
    local_app: dash.Dash, network_engine: Engine
) -> None:
    client = local_app.server.test_client()
    lines = [*VALID_LINES, ("CLJ-1", "2025-05", 7, 7, "", "", "", "", "")]

    response = client.post(
        "/api/uploads",
        data={"file": (io.BytesIO(progress_csv(lines)), "all.csv")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 200
    assert len(stored_progress(network_engine)) == 3
    [(user, _obj, _detail)] = audit_entries(network_engine, "upload_commit")
    assert user == "local"


def test_local_mode_template_of_an_unknown_cluster_gets_404(local_app: dash.Dash) -> None:
    response = local_app.server.test_client().get("/api/template?cluster=nowhere")

    assert response.status_code == 404
    assert response.json is not None and "nowhere" in response.json["error"]


@pytest.mark.parametrize(
    ("cluster", "expected"),
    [
        ("aragon-ai", "progress-aragon-ai-2026-03.xlsx"),
        (None, "progress-all-2026-03.xlsx"),
        # only letters, digits, - and _ reach the header, whatever the id holds
        ("a/../b c", "progress-a-b-c-2026-03.xlsx"),
    ],
)
def test_template_file_name_is_safe_for_a_header(cluster: str | None, expected: str) -> None:
    assert template_file_name(cluster, date(2026, 3, 9)) == expected
