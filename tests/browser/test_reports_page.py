"""Reports in a real browser: a download from the Reports page, and the offline HTML report."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Request, expect
from reports_helpers import tiny_frames, tiny_records
from sqlalchemy import Engine

from dashboard.url_state import to_search
from skills_roadmap.analysis import Filters, load_frames
from skills_roadmap.reports import render_html, report_content

pytestmark = pytest.mark.browser

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page."""
    results = Axe().run(page, options=WCAG_21_AA)
    return [
        f"{violation['id']}: {violation['help']} ({violation['nodes'][0]['target']})"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_reports_page_downloads_the_excel_report_of_the_selection(
    page: Page, live_server: str, demo_engine: Engine, tmp_path: Path, screenshot_dir: Path
) -> None:
    filters = Filters(regions=("ES24",))
    expected = report_content(load_frames(demo_engine), filters)
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )

    page.goto(live_server + "/reports" + to_search(filters))
    button = page.get_by_role("button", name="Excel (.xlsx)")
    expect(button).to_be_visible(timeout=20_000)
    with page.expect_download(timeout=60_000) as started:
        button.click()
    download = started.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    assert download.suggested_filename == "skills-roadmap-aragon-2026-10.xlsx"
    summary = openpyxl.load_workbook(saved)["Summary"]
    assert summary["A1"].value == expected.title
    assert [summary.cell(row=4 + i, column=1).value for i in range(len(expected.summary))] == list(
        expected.summary
    )
    page.screenshot(path=str(screenshot_dir / "reports.png"), full_page=True)
    assert errors == []


def test_reports_page_has_no_serious_accessibility_violation(page: Page, live_server: str) -> None:
    page.goto(live_server + "/reports")
    expect(page.get_by_role("button", name="PDF (A4)")).to_be_visible(timeout=20_000)

    assert serious_violations(page) == []


def test_html_report_opens_offline_without_any_request(page: Page, tmp_path: Path) -> None:
    """Opened from disk, the report draws its charts and asks no host for anything."""
    report = tmp_path / "report.html"
    report.write_text(render_html(report_content(tiny_frames(), records=tiny_records())), "utf-8")
    requests: list[str] = []
    errors: list[str] = []

    def remember(request: Request) -> None:
        requests.append(request.url)

    page.on("request", remember)
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.context.set_offline(True)
    page.goto(report.as_uri())

    expect(page.locator(".plotly-graph-div .main-svg").first).to_be_visible(timeout=20_000)
    assert page.locator(".plotly-graph-div").count() == 3
    assert [url for url in requests if not url.startswith(("file://", "data:", "blob:"))] == []
    assert errors == []  # the page's content policy blocked nothing it needs


def test_html_report_has_no_serious_accessibility_violation(page: Page, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text(render_html(report_content(tiny_frames(), records=tiny_records())), "utf-8")
    page.goto(report.as_uri())
    expect(page.locator(".plotly-graph-div .main-svg").first).to_be_visible(timeout=20_000)

    assert serious_violations(page) == []


def test_html_report_tables_sort_by_a_click_on_their_header(page: Page, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text(render_html(report_content(tiny_frames())), "utf-8")
    page.goto(report.as_uri())
    codes = page.locator("#table-regions tbody tr td:first-child")

    page.locator("#table-regions th", has_text="Code").click()
    expect(codes).to_have_text(["ES24", "RO11"])
    page.locator("#table-regions th", has_text="Code").click()
    expect(codes).to_have_text(["RO11", "ES24"])
    page.locator("input[data-table=table-regions]").fill("nord")
    expect(page.locator("#table-regions tbody tr:visible")).to_have_count(1)
