"""The Plan page in a real browser on the demo network: a budget, a plan with its words and
table, the plan's workbook, and no accessibility violation once the plan shows."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from dashboard import ids, strings
from skills_roadmap.analysis import AnalysisSettings, load_frames
from skills_roadmap.planning import PlanRequest, plan

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def test_a_budget_planned_for_aragon_shows_its_words_and_cohorts_and_downloads_its_workbook(
    page: Page, live_server: str, demo_engine: Engine, tmp_path: Path, screenshot_dir: Path
) -> None:
    request = PlanRequest(regions=("ES24",), budgets={"ERDF": 2_000_000})
    expected = plan(load_frames(demo_engine), request, AnalysisSettings())
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )

    page.goto(live_server + "/plan?region=ES24")
    expect(page.get_by_role("heading", level=1, name=strings.PLAN_TITLE)).to_be_visible(
        timeout=TIMEOUT_MS
    )
    page.get_by_label(strings.PLAN_SOURCE_LABEL.format(row=1), exact=True).fill("ERDF")
    page.get_by_label(strings.PLAN_AMOUNT_LABEL.format(row=1), exact=True).fill("2000000")
    page.get_by_role("button", name=strings.PLAN_RUN, exact=True).click()

    words = page.locator(f"#{ids.PLAN_WORDS}")
    expect(words).to_be_visible(timeout=TIMEOUT_MS)
    for reason in expected.words:
        expect(words).to_contain_text(reason)
    rows = page.locator(f"#{ids.PLAN_TABLE}-table tbody tr")
    expect(rows).to_have_count(len(expected.rows))
    assert len(expected.rows) > 0

    with page.expect_download(timeout=TIMEOUT_MS) as started:
        page.get_by_role("button", name=strings.PLAN_DOWNLOAD).click()
    download = started.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert download.suggested_filename == "plan.xlsx"
    cohorts = list(openpyxl.load_workbook(saved)["Cohorts"].iter_rows(values_only=True))
    assert [row[7] for row in cohorts[1:]] == expected.rows["cohorts"].tolist()

    results = Axe().run(page, options=WCAG_21_AA)
    serious = [
        f"{violation['id']}: {violation['help']} ({violation['nodes'][0]['target']})"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []
    page.screenshot(path=str(screenshot_dir / "plan.png"), full_page=True)
    assert errors == []
