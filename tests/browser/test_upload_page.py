"""The upload page in a real browser: a sheet with errors is shown with its errors, the marked-up
sheet is downloaded and fixed, the fixed sheet is confirmed, and the overview changes.

The test writes to the database, so it runs its own server on a fresh copy of the demo
database rather than on the shared demo server of the other browser tests.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Page, expect
from server_helpers import running_server, server_env

from dashboard import strings
from dashboard.components import upload_report

pytestmark = pytest.mark.browser

HEADERS = ["Programme ID", "Period", "Enrolled", "Completed", "Certified", "Women"]
MORE = 5_000  # people added to one month: enough to move the network's basic attainment
TIMEOUT_MS = 20_000
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


# The figures the test expects, computed by the analysis layer in a process of its own: this
# process then never opens the database, so how it would read the file cannot matter.
FACTS_SCRIPT = """
import json, sys
from skills_roadmap.analysis import load_frames, month_to_period, overview
from skills_roadmap.storage import make_engine

frames = load_frames(make_engine(sys.argv[1]))
table = overview(frames)
network = table[table["scope"] == "network"].set_index("level")
basic = frames.programmes.loc[frames.programmes["level"] == "basic", "programme_id"]
progress = frames.progress[frames.progress["programme_id"].isin(basic)]
first = progress.sort_values(["programme_id", "month"]).iloc[0]
counts = {
    name: None if first[name] != first[name] else int(first[name])
    for name in ("enrolled", "completed", "certified", "women")
}
print(json.dumps({
    "attainment": f"{network.loc['basic', 'attainment']:.0%}",
    "month": {
        "programme_id": str(first["programme_id"]),
        "period": month_to_period(int(first["month"])),
        **counts,
    },
}))
"""


@pytest.fixture(scope="module")
def own_server(
    demo_database: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """A local-mode server on a fresh copy of the demo database; its URL and the database's.

    Only the end-to-end test confirms an upload; the others never store anything.
    """
    tmp_path = tmp_path_factory.mktemp("upload-server")
    copy = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_database, copy)
    database_url = f"sqlite:///{copy}"
    env = server_env(database_url, tmp_path / "data", production=False)
    with running_server(env, tmp_path / "server.log", production=False) as server:
        yield server.url, database_url


def facts(database_url: str) -> dict[str, Any]:
    """The network's basic attainment as the overview's headline card shows it, and the first
    stored month of the first basic-level programme (``month``)."""
    done = subprocess.run(
        [sys.executable, "-c", FACTS_SCRIPT, database_url],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def write_sheet(path: Path, rows: list[list[Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Progress"
    for row in [HEADERS, *rows]:
        sheet.append(row)
    workbook.save(path)
    return path


def test_errors_marked_sheet_fix_and_confirm_change_the_overview(
    page: Page, own_server: tuple[str, str], tmp_path: Path, screenshot_dir: Path
) -> None:
    url, database_url = own_server
    known = facts(database_url)
    month, before = known["month"], known["attainment"]
    more = {
        "enrolled": month["enrolled"] + MORE,
        "completed": month["completed"] + MORE,
        "certified": None if month["certified"] is None else month["certified"] + MORE,
    }
    key = [month["programme_id"], month["period"]]
    with_errors = write_sheet(
        tmp_path / "march.xlsx",
        [
            [*key, more["enrolled"], "lots", more["certified"], month["women"]],
            ["NOPE-1", month["period"], 1, 1, None, None],
        ],
    )
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    drop = page.get_by_label(strings.UPLOAD_DROP_ANY)

    page.goto(url + "/upload")
    drop.set_input_files(with_errors)

    errors = page.locator(f"#{upload_report.ERRORS_TABLE}")
    expect(errors).to_contain_text("Completed", timeout=TIMEOUT_MS)
    expect(errors.locator("tbody tr")).to_have_count(2)
    expect(errors.locator("tbody tr").first).to_contain_text("not a number")
    expect(errors.locator("tbody tr").last).to_contain_text("no programme has this ID")
    expect(page.locator(f"#{upload_report.count_id('errors')}")).to_have_text("2")
    expect(page.get_by_role("button", name=strings.UPLOAD_CONFIRM)).to_be_disabled()
    with page.expect_download() as download:
        page.get_by_role("button", name=strings.UPLOAD_ANNOTATED).click()
    marked = tmp_path / download.value.suggested_filename
    download.value.save_as(marked)
    assert marked.name == "march-problems.xlsx"

    workbook = load_workbook(marked)  # fix the marked-up sheet itself, as a manager would
    assert workbook.sheetnames == ["Progress", "Problems"]
    workbook["Progress"]["D2"] = more["completed"]
    workbook["Progress"].delete_rows(3)
    fixed = tmp_path / "march-fixed.xlsx"
    workbook.save(fixed)
    drop.set_input_files(fixed)

    changes = page.locator(f"#{upload_report.CHANGES_TABLE}")
    expect(changes).to_contain_text(
        f"{month['completed']} → {more['completed']}", timeout=TIMEOUT_MS
    )
    expect(page.locator(f"#{upload_report.count_id('changed')}")).to_have_text("1")
    assert facts(database_url)["attainment"] == before  # nothing stored before Confirm
    page.get_by_role("button", name=strings.UPLOAD_CONFIRM).click()

    expect(page.locator("#upload-result")).to_contain_text(
        "Stored as upload #1", timeout=TIMEOUT_MS
    )
    expect(page.locator("#upload-history")).to_contain_text("march-fixed.xlsx")
    after = facts(database_url)["attainment"]
    assert after != before
    page.get_by_role("link", name=strings.UPLOAD_OVERVIEW_LINK).click()
    expect(page.locator("#kpi-basic")).to_have_text(after, timeout=TIMEOUT_MS)
    page.screenshot(path=str(screenshot_dir / "upload-overview.png"), full_page=True)
    assert console_errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_page_with_a_report_is_accessible_and_fits_the_screen(
    page: Page, own_server: tuple[str, str], tmp_path: Path, width: int
) -> None:
    url, _database_url = own_server
    sheet = write_sheet(tmp_path / "april.xlsx", [["NOPE-1", "2025-04", -1, "x", None, None]])
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url + "/upload")
    page.get_by_label(strings.UPLOAD_DROP_ANY).set_input_files(sheet)
    expect(page.locator(f"#{upload_report.ERRORS_TABLE}")).to_be_visible(timeout=TIMEOUT_MS)

    results = Axe().run(page, options=WCAG_21_AA)

    serious = [
        f"{violation['id']}: {violation['help']} — {violation['nodes'][0]['target']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
