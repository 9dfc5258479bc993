"""ESF+ participant breakdowns from sheet to page in a real browser: a programme manager signed
in uploads a progress sheet with ESF+ age columns through the Upload page, sees the change in
the dry run, confirms, and the cluster's page shows the age bands with the share of enrolments
that reported them.

The test writes to the database, so it runs its own server (log-in on) on a fresh copy of the
demo database. Its cluster is one whose programmes have never reported an age band, so every
figure the page shows is worked out from the one uploaded row.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from playwright.sync_api import Browser, expect
from server_helpers import add_users, running_server, server_env

from dashboard import ids, strings
from dashboard.components import upload_report

pytestmark = pytest.mark.browser

PASSWORD = "esf upload test password"
TIMEOUT_MS = 30_000
AGE_HEADERS = ["Under 18", "Aged 18-29", "Aged 30-54", "Aged 55 and over"]
STORED = ["enrolled", "completed", "certified", "dropped_out", "women", "spend_eur"]
HEADERS = ["Programme ID", "Period", "Enrolled", "Completed", "Certified", "Dropped out"]
HEADERS += ["Women", "Spend EUR", *AGE_HEADERS]

# The first stored month with enrolments (through the as-of month) of the first cluster none of
# whose programmes has reported an age band, and the cluster's enrolments through that month,
# read by the analysis layer in a process of its own (this one never opens the database).
FACTS_SCRIPT = """
import json, sys
from skills_roadmap.analysis import load_frames, month_to_period
from skills_roadmap.storage import make_engine

frames = load_frames(make_engine(sys.argv[1]))
bands = frames.breakdowns
aged = set(bands.loc[bands["age_18_29"].notna(), "programme_id"].astype(str))
progress = frames.progress[frames.progress["month"] <= frames.as_of]
for cluster_id, programmes in frames.programmes.groupby("cluster_id", observed=True):
    ids = set(programmes["programme_id"].astype(str))
    rows = progress[progress["programme_id"].astype(str).isin(ids)]
    months = rows[rows["enrolled"] > 0].sort_values(["programme_id", "month"])
    if ids & aged or months.empty:
        continue
    first = months.iloc[0]
    print(json.dumps({
        "cluster_id": str(cluster_id),
        "programme_id": str(first["programme_id"]),
        "period": month_to_period(int(first["month"])),
        "stored": {
            name: None if first[name] != first[name] else float(first[name])
            for name in json.loads(sys.argv[2])
        },
        "cluster_enrolled": float(rows["enrolled"].sum()),
    }))
    break
"""


@dataclass(frozen=True)
class Setting:
    """The server and the month the manager reports again, with ESF+ age bands."""

    url: str
    facts: dict[str, Any]


@pytest.fixture(scope="module")
def setting(demo_database: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setting]:
    tmp_path = tmp_path_factory.mktemp("esf-server")
    copy = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_database, copy)
    database_url = f"sqlite:///{copy}"
    env = server_env(database_url, tmp_path / "data", production=True)
    done = subprocess.run(
        [sys.executable, "-c", FACTS_SCRIPT, database_url, json.dumps(STORED)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    facts = json.loads(done.stdout)
    add_users(env, {"mara": ["--role", "manager", "--cluster", facts["cluster_id"]]}, PASSWORD)
    with running_server(env, tmp_path / "server.log", production=True) as server:
        yield Setting(server.url, facts)


def progress_sheet(path: Path, facts: dict[str, Any], ages: list[int]) -> Path:
    """The stored month as it is, with the age bands added."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Progress"
    sheet.append(HEADERS)
    stored = [facts["stored"][name] for name in STORED]
    sheet.append([facts["programme_id"], facts["period"], *stored, *ages])
    workbook.save(path)
    return path


@pytest.fixture(autouse=True)
def _patient() -> Iterator[None]:
    """Pages of a shared, busy machine: a longer wait for each expectation."""
    expect.set_options(timeout=TIMEOUT_MS)
    yield
    expect.set_options(timeout=5_000)  # Playwright's default, for other modules


@pytest.mark.slow  # about 45 s: its own server, a sign-in, an upload and a page with charts
def test_a_managers_esf_age_bands_reach_the_clusters_page_with_the_share_reported(
    browser: Browser, setting: Setting, tmp_path: Path
) -> None:
    facts = setting.facts
    enrolled = int(facts["stored"]["enrolled"])
    young = enrolled // 2
    ages = [0, young, enrolled - young, 0]  # every enrolled person in one band, as ESF+ asks
    sheet = progress_sheet(tmp_path / "ages.xlsx", facts, ages)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(setting.url + "/")
    page.get_by_label(strings.LOGIN_NAME).fill("mara")
    page.get_by_label(strings.LOGIN_PASSWORD).fill(PASSWORD)
    page.get_by_role("button", name=strings.LOGIN_SUBMIT).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(setting.url + "/upload")
    page.get_by_label(strings.UPLOAD_DROP).set_input_files(sheet)  # a manager: progress only

    expect(page.locator(f"#{upload_report.count_id('changed')}")).to_have_text("1")
    expect(page.locator(f"#{upload_report.count_id('errors')}")).to_have_text("0")
    page.get_by_role("button", name=strings.UPLOAD_CONFIRM).click()
    expect(page.locator("#upload-result")).to_contain_text("Stored as upload #1")

    page.goto(setting.url + f"/cluster/{facts['cluster_id']}")
    card = page.locator(f"#card-{ids.ESF}")
    reported = enrolled / facts["cluster_enrolled"]  # the age bands' share of enrolments
    expect(card).to_contain_text(f"age {reported:.0%}")
    card.get_by_role("button", name=strings.CHART_TABLE_LABEL).click()
    table = card.locator("table")
    expect(table).to_be_visible()
    rows = [row.locator("td").all_inner_texts() for row in table.locator("tbody tr").all()]
    # Breakdown, band, people, the band's share of those reported and the share reported (%).
    age_rows = [
        [breakdown, band, int(people.replace(",", "")), float(share), float(of_enrolled)]
        for breakdown, band, people, share, of_enrolled in rows
        if breakdown == "Age"
    ]
    assert age_rows == [
        ["Age", header, count, round(100 * count / enrolled, 1), round(100 * reported, 1)]
        for header, count in zip(AGE_HEADERS, ages, strict=True)
    ]
    assert errors == []
