"""The dashboard's report download, called as a function (the browser test clicks it)."""

from __future__ import annotations

import base64
import io
import shutil
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import dash
import openpyxl
import pandas as pd
import pytest
from werkzeug.exceptions import BadRequest

from dashboard.app import create_app
from dashboard.auth import AuthUser
from dashboard.components import report_download
from dashboard.components.filter_bar import filters_data
from dashboard.components.report_download import prepare_download
from skills_roadmap import audit
from skills_roadmap.analysis import Filters
from skills_roadmap.audit import AuditAction, AuditQuery
from skills_roadmap.domain import Role
from skills_roadmap.reports import pdf
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import get_engine, session_scope
from skills_roadmap.storage.tables import UploadRow
from skills_roadmap.users import ROLE_PERMISSIONS


@pytest.fixture
def app(
    demo_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dash.Dash]:
    """The dashboard in local mode over a copy of the demo database (exports are audited)."""
    copy = tmp_path / "demo.sqlite"
    shutil.copy(demo_database, copy)
    monkeypatch.setenv("SKILLS_ROADMAP_DATABASE_URL", f"sqlite:///{copy}")
    get_settings.cache_clear()
    get_engine.cache_clear()
    application = create_app()
    with application.server.test_request_context("/_dash-update-component", method="POST"):
        yield application
    get_engine.cache_clear()


def test_excel_download_holds_the_selections_report_and_is_audited(app: dash.Dash) -> None:
    download, message = prepare_download("xlsx", filters_data(Filters(regions=("ES24",))))

    assert message is None
    assert download["filename"] == "skills-roadmap-aragon-2026-10.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(download["content"])))
    assert book["Summary"]["A1"].value == "Skills Roadmap report: Aragón"
    entries = audit.query(get_engine(), AuditQuery(action=AuditAction.EXPORT))
    assert [(entry.user_name, entry.object) for entry in entries] == [
        ("local", "report skills-roadmap-aragon-2026-10.xlsx")
    ]


def test_missing_chromium_is_a_message_not_a_download(
    app: dash.Dash, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda _name: None)

    download, message = prepare_download("pdf", filters_data(Filters()))

    assert download is dash.no_update
    assert message.children.startswith("PDF export needs Chromium: install it")
    assert audit.query(get_engine(), AuditQuery(action=AuditAction.EXPORT)) == []


def test_a_selection_naming_nothing_is_a_message(app: dash.Dash) -> None:
    download, message = prepare_download("csv", {"regions": ["FR10"]})

    assert download is dash.no_update
    assert message.children.startswith("unknown region FR10")


@pytest.mark.parametrize(
    ("report_format", "data"),
    [
        ("docx", {}),  # no such format
        ("xlsx", {"regions": ["FR10"], "colour": "red"}),  # a field the filters do not have
        ("xlsx", {"as_of": "2026-13"}),
    ],
)
def test_requests_the_page_cannot_make_are_refused(
    app: dash.Dash, report_format: str, data: dict[str, object]
) -> None:
    with pytest.raises(BadRequest):
        prepare_download(report_format, data)


@pytest.mark.parametrize(
    ("role", "uploaders"),
    [
        (Role.MANAGER, ["maria"]),  # their own uploads only
        (Role.OFFICIAL, []),
        (Role.ADMIN, ["mihai", "maria"]),
    ],
)
def test_the_exports_uploads_are_those_the_users_role_may_see(
    app: dash.Dash, monkeypatch: pytest.MonkeyPatch, role: Role, uploaders: list[str]
) -> None:
    with session_scope(get_engine(), write=True) as session:
        for upload_id, name in ((1, "maria"), (2, "mihai")):
            session.add(
                UploadRow(
                    file_name=f"{name}.xlsx",
                    sha256=f"{upload_id:064d}",
                    kind="progress",
                    uploaded_by=name,
                    uploaded_at=datetime(2026, 1, upload_id, tzinfo=UTC),
                    rows_new=1,
                    rows_changed=0,
                    rows_unchanged=0,
                    errors=0,
                    warnings=0,
                    outcome="committed",
                )
            )
    reader = AuthUser("maria", role, ROLE_PERMISSIONS[role], frozenset())
    monkeypatch.setattr(report_download, "require", lambda _permission: reader)

    download, _ = prepare_download("csv", filters_data(Filters()))

    with zipfile.ZipFile(io.BytesIO(base64.b64decode(download["content"]))) as archive:
        [name] = [name for name in archive.namelist() if name.endswith("/uploads.csv")]
        uploads = pd.read_csv(archive.open(name))
    assert uploads["uploaded_by"].tolist() == uploaders
