"""An administrator sets up a network from an empty install through the Upload page: signs in,
uploads the sample network workbook, reads its report per sheet, confirms, and finds the
network's regions on the overview (which, before any progress, names them and asks for the
managers' uploads).

The test writes to the database, so it runs its own server (log-in on, as deployed) on a fresh,
initialised and empty database with one administrator account.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from server_helpers import Server, add_users, cli, running_server, server_env

from dashboard import strings
from dashboard.components import upload_report

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample-network.xlsx"
ADMIN, PASSWORD = "ada", "network admin password"
TIMEOUT_MS = 30_000
SAMPLE_REGIONS = "Budapest, Grad Zagreb, Nyugat-Dunántúl, Steiermark, Wien and Zahodna Slovenija"


@pytest.fixture
def empty_server(tmp_path: Path) -> Iterator[Server]:
    """`serve --production` on an empty, initialised database with one administrator."""
    env = server_env(f"sqlite:///{tmp_path / 'network.sqlite'}", tmp_path / "data", production=True)
    cli(env, "init")
    add_users(env, {ADMIN: ["--role", "admin"]}, PASSWORD)
    with running_server(env, tmp_path / "server.log", production=True) as server:
        yield server


def test_an_administrator_uploads_the_sample_network_and_sees_it_on_the_overview(
    page: Page, empty_server: Server, screenshot_dir: Path
) -> None:
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.goto(empty_server.url + "/")
    page.get_by_label(strings.LOGIN_NAME).fill(ADMIN)
    page.get_by_label(strings.LOGIN_PASSWORD).fill(PASSWORD)
    page.get_by_role("button", name=strings.LOGIN_SUBMIT).click()
    main = page.get_by_role("main")
    expect(main).to_contain_text(strings.NO_NETWORK, timeout=TIMEOUT_MS)  # an empty install

    page.get_by_role("link", name=strings.UPLOAD_NAME).click()
    expect(page.get_by_role("heading", name=strings.UPLOAD_NETWORK_TITLE)).to_be_visible(
        timeout=TIMEOUT_MS
    )
    page.get_by_label(strings.UPLOAD_DROP_NETWORK).set_input_files(SAMPLE)

    sheets = page.locator(f"#{upload_report.SHEETS_TABLE}")
    expect(sheets.locator("tbody tr")).to_have_text(
        [
            # sheet, new, changed, unchanged, errors, warnings
            "Regions60000",
            "Clusters80000",
            "Programmes200000",
            "Targets210000",
            "Facilities80000",
            f"{strings.UPLOAD_TOTAL}630000",
        ],
        timeout=TIMEOUT_MS,
    )
    page.screenshot(path=str(screenshot_dir / "network-upload-report.png"), full_page=True)
    page.get_by_role("button", name=strings.UPLOAD_CONFIRM).click()
    expect(page.locator("#upload-result")).to_contain_text(
        "Stored as upload #1", timeout=TIMEOUT_MS
    )

    page.get_by_role("link", name=strings.UPLOAD_OVERVIEW_LINK).click()
    expect(main).to_contain_text(
        strings.NO_PROGRESS.format(programmes="20", regions=SAMPLE_REGIONS), timeout=TIMEOUT_MS
    )
    page.screenshot(path=str(screenshot_dir / "network-upload-overview.png"), full_page=True)
    assert console_errors == []
