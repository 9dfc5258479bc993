"""Month approval in a real browser, each person signed in on their own: a manager submits a
month on the Upload page, an official returns it with a comment on the Months page, the
manager reads the comment and submits again, the official approves, an administrator closes
the month, and the audit log lists every step.

The test writes to the database, so it runs its own server (log-in and month approval on) on
a fresh copy of the demo database. The other clusters due that month are submitted and
approved beforehand by a script, as their own managers and officials would.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect
from server_helpers import add_users, cli, running_server, server_env

from dashboard import strings
from dashboard.components.formats import capitalised, month_words

pytestmark = pytest.mark.browser

PASSWORD = "month approval test password"
TIMEOUT_MS = 30_000
COMMENT = "Two programmes are missing their women counts"
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# Every other cluster due that month submitted and approved, in a process of its own.
OTHERS_SCRIPT = """
import sys
from skills_roadmap.analysis import load_frames
from skills_roadmap.analysis.month_states import clusters_due
from skills_roadmap.storage import make_engine
from skills_roadmap.storage.submissions import approve_period, submit_period

engine = make_engine(sys.argv[1])
period, mine = sys.argv[2], sys.argv[3]
for cluster in clusters_due(load_frames(engine), period):
    if cluster != mine:
        submit_period(engine, period, cluster, "their-manager")
        approve_period(engine, period, cluster, "their-official")
"""


@dataclass(frozen=True)
class Setting:
    """The server, and the month and cluster the test walks through."""

    url: str
    period: str
    cluster_id: str
    cluster: str


@pytest.fixture(scope="module")
def setting(demo_database: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setting]:
    tmp_path = tmp_path_factory.mktemp("months-server")
    copy = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_database, copy)
    database_url = f"sqlite:///{copy}"
    env = server_env(database_url, tmp_path / "data", production=True) | {
        "SKILLS_ROADMAP_MONTH_APPROVAL": "true"
    }
    period = json.loads(cli(env, "periods", "list", "--json"))[0]["period"]
    first = json.loads(cli(env, "periods", "status", period, "--json"))["clusters"][0]
    subprocess.run(
        [sys.executable, "-c", OTHERS_SCRIPT, database_url, period, first["cluster_id"]],
        env=env,
        check=True,
        timeout=120,
    )
    add_users(
        env,
        {
            "mara": ["--role", "manager", "--cluster", first["cluster_id"]],
            "olive": ["--role", "official"],
            "ada": ["--role", "admin"],
        },
        PASSWORD,
    )
    with running_server(env, tmp_path / "server.log", production=True) as server:
        yield Setting(server.url, period, first["cluster_id"], first["cluster"])


def signed_in(browser: Browser, url: str, name: str) -> Page:
    """A page of a browser context of its own, signed in as ``name``."""
    page = browser.new_context().new_page()
    page.goto(url + "/")
    page.get_by_label(strings.LOGIN_NAME).fill(name)
    page.get_by_label(strings.LOGIN_PASSWORD).fill(PASSWORD)
    page.get_by_role("button", name=strings.LOGIN_SUBMIT).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return page


def submit_row(page: Page, setting: Setting) -> Locator:
    """The Upload page's row of the month and cluster."""
    page.goto(setting.url + "/upload")
    return page.locator("#upload-months tbody tr").filter(
        has=page.get_by_role("cell", name=month_cell(setting.period), exact=True)
    )


def month_cell(period: str) -> str:
    """A month as a table's cell shows it: "Oct 2026"."""
    return capitalised(month_words(period, short=True))


def approval_row(page: Page, setting: Setting) -> Locator:
    """The Months page's row of the cluster under the month's heading."""
    page.goto(setting.url + "/periods")
    heading = strings.PERIODS_CLUSTERS_HEADING.format(period=month_words(setting.period))
    return page.locator(
        f"xpath=//h3[normalize-space()='{heading}']/following-sibling::*[1]"
        f"//tr[td[normalize-space()='{setting.cluster}']]"
    )


@pytest.fixture(autouse=True)
def _patient() -> Iterator[None]:
    """Pages of a shared, busy machine: a longer wait for each expectation."""
    expect.set_options(timeout=TIMEOUT_MS)
    yield
    expect.set_options(timeout=5_000)  # Playwright's default, for other modules


@pytest.mark.slow  # about 45 s: its own server, three people signing in, nine page loads
def test_submit_return_resubmit_approve_and_close_a_month_through_the_pages(
    browser: Browser, setting: Setting
) -> None:
    manager = signed_in(browser, setting.url, "mara")
    row = submit_row(manager, setting)
    expect(row).to_contain_text(strings.MONTHS_STATES["not_submitted"])
    row.get_by_role("button", name=strings.MONTHS_SUBMIT).click()
    expect(row).to_contain_text("Submitted by mara on ")
    expect(row.get_by_role("button", name=strings.MONTHS_SUBMIT)).to_be_disabled()

    official = signed_in(browser, setting.url, "olive")
    row = approval_row(official, setting)
    expect(row).to_contain_text("Submitted by mara")
    row.get_by_label(strings.PERIODS_COMMENT).fill(COMMENT)
    row.get_by_role("button", name=strings.PERIODS_RETURN).click()
    expect(row).to_contain_text("Returned by olive on ")
    axe = Axe().run(official, options=WCAG_21_AA)
    serious = [v for v in axe.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], axe.generate_report()

    row = submit_row(manager, setting)
    expect(row).to_contain_text(f"Comment: {COMMENT}")  # the manager reads why
    row.get_by_role("button", name=strings.MONTHS_SUBMIT).click()
    expect(row).to_contain_text("Submitted by mara on ")

    row = approval_row(official, setting)
    row.get_by_role("button", name=strings.PERIODS_APPROVE).click()
    expect(row).to_contain_text("Approved by olive on ")
    expect(official.get_by_role("button", name=strings.PERIODS_CLOSE)).to_have_count(0)

    admin = signed_in(browser, setting.url, "ada")
    admin.goto(setting.url + "/periods")
    month = admin.locator("tbody tr").filter(
        has=admin.get_by_role("cell", name=month_cell(setting.period), exact=True)
    )
    month.get_by_role("button", name=strings.PERIODS_CLOSE).click()
    expect(month).to_contain_text("Closed closed by ada")

    admin.goto(setting.url + "/audit")
    grid = admin.locator("#audit-grid")
    labels = strings.AUDIT_ACTION_LABELS
    for action in ("period_submit", "period_return", "period_approve", "period_close"):
        expect(grid).to_contain_text(labels[action])
    expect(grid).to_contain_text(COMMENT)
