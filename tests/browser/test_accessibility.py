"""Every page passes axe-core's WCAG 2.1 A and AA rules with no serious or critical violation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from dashboard import strings
from dashboard.components.chart_card import CARDS_DRAWN_JS

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _patient_expectations() -> Iterator[None]:
    """Wait up to 30 s for what the server computes: CI machines and shared ones are slow."""
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=5_000)  # Playwright's default, for other modules


PAGES = [
    "/",
    "/region/ES24",
    "/cluster/aragon-ai",
    "/programmes",
    "/eu-frames",
    "/plan",
    "/region/XX99",
    "/periods",
    "/audit",
    "/login",
]
PLAIN_PAGES = {"/login"}  # server-rendered HTML, not a Dash page
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_accessibility_violation(
    page: Page, live_server: str, path: str
) -> None:
    page.goto(live_server + path)
    expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=30_000)
    if path not in PLAIN_PAGES:
        page.wait_for_function(CARDS_DRAWN_JS, timeout=30_000)
    page.wait_for_load_state("networkidle")
    # Open one table view, so its markup is checked too.
    toggles = page.get_by_role("button", name=strings.CHART_TABLE_LABEL)
    if toggles.count():
        toggles.last.click()
        expect(toggles.last).to_have_attribute("aria-expanded", "true", timeout=20_000)
        expect(page.locator(".chart-table table").last).to_be_visible(timeout=20_000)

    results = Axe().run(page, options=WCAG_21_AA)

    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in violation["nodes"][:3]
        )
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []
