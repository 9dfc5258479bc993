"""The dashboard's report download, called as a function (the browser test clicks it)."""

from __future__ import annotations

import base64
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import dash
import openpyxl
import pytest
from werkzeug.exceptions import BadRequest

from dashboard.app import create_app
from dashboard.components.filter_bar import filters_data
from dashboard.components.report_download import prepare_download
from skills_roadmap import audit
from skills_roadmap.analysis import Filters
from skills_roadmap.audit import AuditAction, AuditQuery
from skills_roadmap.reports import pdf
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import get_engine


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
