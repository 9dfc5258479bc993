"""No page breaks the Content-Security-Policy: every page opened in chromium, every violation
the browser reports (in the console and as an event) collected, none allowed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect
from server_helpers import cli, running_server, server_env

from dashboard import strings
from dashboard.app import PAGE_MODULES
from dashboard.components.chart_card import CARDS_DRAWN_JS

pytestmark = pytest.mark.browser

# Every page module of the app, at an address that shows it with data.
PAGES = {
    "overview": "/",
    "region": "/region/ES24",
    "cluster": "/cluster/aragon-ai",
    "programmes": "/programmes",
    "eu_frames": "/eu-frames",
    "plan": "/plan",
    "matrix": "/matrix",
    "upload": "/upload",
    "reports": "/reports",
    "periods": "/periods",
    "audit": "/audit",
    "not_found_404": "/no-such-page",
}
TIMEOUT_MS = 30_000

# The browser announces each violation as a DOM event too; kept where the test can read it.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


class Violations:
    """The CSP violations ``page`` reports: console messages and securitypolicyviolation
    events."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._note)

    def _note(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def take(self) -> list[str]:
        """Everything reported since the last call."""
        found = [*self.console, *self.page.evaluate("window.__cspViolations || []")]
        self.console.clear()
        return found


@pytest.fixture
def violations(page: Page) -> Iterator[Violations]:
    expect.set_options(timeout=TIMEOUT_MS)
    yield Violations(page)
    expect.set_options(timeout=5_000)  # Playwright's default, for other modules


def test_the_page_list_covers_every_page_module() -> None:
    assert set(PAGES) == set(PAGE_MODULES)


def test_no_page_violates_the_content_security_policy(
    page: Page, live_server: str, violations: Violations
) -> None:
    found = {}
    for name, path in PAGES.items():
        page.goto(live_server + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.wait_for_function(CARDS_DRAWN_JS, timeout=TIMEOUT_MS)
        page.wait_for_load_state("networkidle")
        toggles = page.get_by_role("button", name=strings.CHART_TABLE_LABEL)
        if toggles.count():  # a table view draws the grid: its styles and icons too
            toggles.first.click()
            expect(toggles.first).to_have_attribute("aria-expanded", "true")
            page.wait_for_load_state("networkidle")
        found[name] = violations.take()
    assert found == {name: [] for name in PAGES}


def test_downloads_do_not_violate_the_content_security_policy(
    page: Page, live_server: str, violations: Violations
) -> None:
    page.goto(live_server + "/region/ES24")
    page.wait_for_function(CARDS_DRAWN_JS, timeout=TIMEOUT_MS)
    card = page.locator("#card-trend")
    for label in (strings.CHART_PNG_LABEL, strings.CHART_CSV_LABEL):  # drawn in the browser
        with page.expect_download():
            card.get_by_role("button", name=label).click()

    assert violations.take() == []


def test_the_log_in_page_does_not_violate_the_content_security_policy(
    page: Page, violations: Violations, tmp_path: Path
) -> None:
    env = server_env(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path / "data", production=True)
    cli(env, "init")
    with running_server(env, tmp_path / "server.log", production=True) as server:
        page.goto(server.url + "/")
        page.get_by_label(strings.LOGIN_NAME).fill("nobody")
        page.get_by_label(strings.LOGIN_PASSWORD).fill("not the password")
        page.get_by_role("button", name=strings.LOGIN_SUBMIT).click()
        expect(page.get_by_role("alert")).to_have_text(strings.LOGIN_FAILED)
        assert violations.take() == []
