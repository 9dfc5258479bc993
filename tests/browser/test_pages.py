"""The dashboard's pages in a real browser against a real server on the demo database.

Expected numbers come from the analysis layer, computed here on the same database, so a page
that shows anything else fails.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from dashboard import strings
from dashboard.components.chart_card import CARDS_DRAWN_JS
from skills_roadmap.analysis import (
    Filters,
    Frames,
    apply_filters,
    contribution,
    funnel,
    load_frames,
    overview,
)
from skills_roadmap.storage import make_engine

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _patient_expectations() -> Iterator[None]:
    """Wait up to 30 s for what the server computes: CI machines and shared ones are slow."""
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=5_000)  # Playwright's default, for other modules


PAGES = {
    "overview": "/",
    "region": "/region/ES24",
    "cluster": "/cluster/aragon-ai",
    "programmes": "/programmes",
    "eu_frames": "/eu-frames",
}
CHART_TIMEOUT = 30_000


@pytest.fixture(scope="module")
def frames(demo_database: Path) -> Frames:
    """The analysis frames of the database the server shows."""
    engine = make_engine(f"sqlite:///{demo_database}")
    try:
        return load_frames(engine)
    finally:
        engine.dispose()


@pytest.fixture
def console_errors(page: Page) -> Iterator[list[str]]:
    """Every console error and uncaught exception of the page; the test asserts it stays empty."""
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield errors


def wait_for_charts(page: Page) -> None:
    """Wait until the page is in and every chart card is drawn."""
    page.wait_for_function(CARDS_DRAWN_JS, timeout=CHART_TIMEOUT)


def choose(page: Page, name: str, text: str) -> None:
    """Pick the option containing ``text`` in the filter ``name`` (a Filters field), once the
    page has settled, as a person would (a chart arriving may close an open dropdown)."""
    wait_for_charts(page)
    expect(page.locator("[data-dash-is-loading='true']")).to_have_count(0, timeout=CHART_TIMEOUT)
    page.locator(f"button.filter-{name}").click()
    page.keyboard.type(text)
    page.get_by_role("option", name=text).first.click()
    page.keyboard.press("Escape")


def attainment(frames: Frames, filters: Filters, level: str) -> str:
    """The headline attainment the analysis layer gives a level of a selection, as shown."""
    table = overview(frames, filters)
    rows = table[(table["level"] == level) & table["target"].notna()]
    network = rows[rows["scope"] == "network"]
    rows = network if len(network) else rows[rows["scope"] == "region"]
    return f"{rows['achieved'].sum() / rows['target'].sum():.0%}"


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_without_console_errors_from_laptop_to_phone_width(
    page: Page, live_server: str, console_errors: list[str], screenshot_dir: Path, name: str
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + PAGES[name])
    if name == "programmes":
        expect(page.locator("#programmes-grid .ag-row").first).to_be_visible(timeout=CHART_TIMEOUT)
    else:
        wait_for_charts(page)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(screenshot_dir / f"{name}-1280.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)  # plotly redraws responsive charts on resize
    page.screenshot(path=str(screenshot_dir / f"{name}-390.png"), full_page=True)

    assert console_errors == []
    # Nothing wider than the phone's screen: the page never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_changing_a_filter_shows_the_analysis_numbers_and_writes_the_address(
    page: Page, live_server: str, frames: Frames, console_errors: list[str]
) -> None:
    page.goto(live_server + "/")
    expect(page.locator("#kpi-basic")).to_have_text(attainment(frames, Filters(), "basic"))

    choose(page, "regions", "Aragón (ES24)")

    expected = attainment(frames, Filters(regions=("ES24",)), "basic")
    expect(page.locator("#kpi-basic")).to_have_text(expected, timeout=CHART_TIMEOUT)
    expect(page).to_have_url(live_server + "/?region=ES24")
    assert console_errors == []


def test_an_address_with_filters_reopens_the_same_view_and_back_restores_the_previous(
    page: Page, live_server: str, frames: Frames, console_errors: list[str]
) -> None:
    chosen = Filters(regions=("ES24", "RO11"), levels=("basic",), as_of="2025-06")
    page.goto(live_server + "/?region=ES24&region=RO11&level=basic&as_of=2025-06")

    expect(page.locator("#kpi-basic")).to_have_text(attainment(frames, chosen, "basic"))
    expect(page.locator("button.filter-levels")).to_contain_text("Basic")
    expect(page.locator("button.filter-as_of")).to_contain_text("June 2025")
    expect(page.locator("#kpi-intermediate")).to_have_text("—")

    choose(page, "as_of", "January 2026")
    later = chosen.model_copy(update={"as_of": "2026-01"})
    expect(page.locator("#kpi-basic")).to_have_text(attainment(frames, later, "basic"))

    page.go_back()

    expect(page).to_have_url(live_server + "/?region=ES24&region=RO11&level=basic&as_of=2025-06")
    expect(page.locator("#kpi-basic")).to_have_text(attainment(frames, chosen, "basic"))
    expect(page.locator("button.filter-as_of")).to_contain_text("June 2025")
    assert console_errors == []


def test_an_unknown_filter_value_is_left_out_with_a_message(page: Page, live_server: str) -> None:
    page.goto(live_server + "/?region=XX99&level=basic")

    expect(page.locator("#filter-message")).to_contain_text(
        strings.FILTER_UNKNOWN.format(value="XX99", label="region")
    )
    expect(page.locator("button.filter-levels")).to_contain_text("Basic")


def figure_values(page: Page, chart: str) -> list[list[float]]:
    """The y values of every bar trace of a chart, as plotly holds them in the browser."""
    graph_id = json.dumps({"chart": chart, "type": "chart-graph"}, separators=(",", ":"))
    return page.evaluate(
        """(id) => document.getElementById(id).querySelector('.js-plotly-plot')._fullData
            .filter(trace => trace.type === 'bar').map(trace => Array.from(trace.y))""",
        graph_id,
    )


def test_the_table_view_shows_the_numbers_of_the_chart(
    page: Page, live_server: str, frames: Frames
) -> None:
    page.goto(live_server + "/region/ES24")
    wait_for_charts(page)
    card = page.locator("#card-funnel")

    card.get_by_role("button", name=strings.CHART_TABLE_LABEL).click()

    expected = funnel(apply_filters(frames, Filters(regions=("ES24",))), ("level",))
    table = card.locator("table")
    expect(table).to_be_visible()
    rows = [row.locator("td").all_inner_texts() for row in table.locator("tbody tr").all()]
    shown = {row[0]: [int(cell.replace(",", "")) for cell in row[1:5]] for row in rows}
    assert shown == {
        strings.LEVEL_LABELS[str(row["level"])]: [
            int(row[stage]) for stage in ("enrolled", "completed", "certified", "dropped_out")
        ]
        for _, row in expected.iterrows()
    }
    bars = figure_values(page, "funnel")
    assert [[int(value) for value in trace] for trace in bars] == [
        [shown[label][stage] for label in shown] for stage in range(4)
    ]


def test_the_csv_download_holds_the_numbers_of_the_table(page: Page, live_server: str) -> None:
    page.goto(live_server + "/region/ES24")
    wait_for_charts(page)
    card = page.locator("#card-funnel")
    card.get_by_role("button", name=strings.CHART_TABLE_LABEL).click()
    first_row = card.locator("table tbody tr").first
    expect(first_row).to_be_visible()  # the table view arrives from the server
    shown = first_row.locator("td").all_inner_texts()

    with page.expect_download() as download:
        card.get_by_role("button", name=strings.CHART_CSV_LABEL).click()

    assert download.value.suggested_filename == "funnel.csv"
    lines = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert lines[0][:3] == [
        strings.COLUMNS["level"],
        strings.COLUMNS["enrolled"],
        strings.COLUMNS["completed"],
    ]
    assert lines[1][0] == shown[0]
    assert [f"{int(float(value)):,}" for value in lines[1][1:3]] == shown[1:3]


def test_the_png_download_is_an_image_of_the_chart(page: Page, live_server: str) -> None:
    page.goto(live_server + "/region/ES24")
    wait_for_charts(page)

    with page.expect_download() as download:
        page.locator("#card-trend").get_by_role("button", name=strings.CHART_PNG_LABEL).click()

    assert download.value.suggested_filename == "trend.png"
    assert Path(download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_png_title_shows_a_name_with_markup_as_written(page: Page, live_server: str) -> None:
    page.goto(live_server + "/region/ES24")
    wait_for_charts(page)
    title = page.evaluate(
        """() => {
          let drawn = null;
          window.Plotly.downloadImage = (figure) => { drawn = figure.layout.title.text; };
          window.dash_clientside.skillsRoadmap.downloadPng(
            1, {data: [], layout: {}}, {title: '<a href="javascript:alert(1)">R&D</a> leads'}
          );
          return drawn;
        }"""
    )

    assert title == '&lt;a href="javascript:alert(1)"&gt;R&amp;D&lt;/a&gt; leads'


def test_the_map_draws_countries_from_the_apps_own_assets_only(
    page: Page, live_server: str, console_errors: list[str]
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(live_server + "/")
    wait_for_charts(page)
    map_card = page.locator("#card-map")
    expect(map_card.locator("path.countries, .countries path").first).to_be_attached(
        timeout=CHART_TIMEOUT
    )
    expect(map_card.locator(".scattergeo .point")).to_have_count(14)
    page.wait_for_load_state("networkidle")

    hosts = {urlsplit(url).netloc for url in requested if not url.startswith("data:")}
    assert hosts == {urlsplit(live_server).netloc}
    assert any(url.endswith("/assets/topojson/europe_50m.json") for url in requested)
    assert console_errors == []


def test_the_programmes_grid_loads_rows_in_blocks_sorted_by_the_server(
    page: Page, live_server: str, frames: Frames
) -> None:
    page.goto(live_server + "/programmes?region=ES24")

    expect(page.locator("#programmes-count")).to_have_text(
        strings.PROGRAMMES_COUNT.format(
            count=int((frames.programmes["region_code"] == "ES24").sum())
        )
    )
    page.locator("#programmes-grid .ag-header-cell[col-id='completed']").click()
    page.locator("#programmes-grid .ag-header-cell[col-id='completed']").click()

    aragon = frames.programmes[frames.programmes["region_code"] == "ES24"]
    completed = (
        frames.progress[frames.progress["programme_id"].isin(aragon["programme_id"])]
        .groupby("programme_id", observed=True)["completed"]
        .sum()
    )
    best = aragon.loc[aragon["programme_id"] == completed.idxmax(), "name"].iloc[0]
    first = page.locator("#programmes-grid .ag-row[row-index='0']")
    expect(first.locator("[col-id='name']")).to_have_text(str(best))
    expect(first.locator("[col-id='completed']")).to_have_text(f"{completed.max():,}")


def test_the_region_programmes_grid_shows_numbers_with_thousands_separators(
    page: Page, live_server: str, frames: Frames, console_errors: list[str]
) -> None:
    table = contribution(apply_filters(frames, Filters(regions=("ES24",))), "programme_id")
    large = table[table["capacity"] >= 1000].iloc[0]  # the demo has some
    page.goto(live_server + "/region/ES24")
    wait_for_charts(page)

    row = page.locator(
        "#region-programmes .ag-row", has=page.locator(f"text='{large['programme_id']}'")
    )
    capacity = row.locator(f"[col-id='{strings.COLUMNS['capacity']}']")
    expect(capacity).to_have_text(f"{large['capacity']:,.0f}")
    assert console_errors == []


def test_selecting_a_region_on_the_league_table_opens_its_page(
    page: Page, live_server: str, console_errors: list[str]
) -> None:
    page.goto(live_server + "/?level=basic")
    wait_for_charts(page)

    page.locator("#overview-regions a", has_text="Aragón").click()

    expect(page).to_have_url(live_server + "/region/ES24?level=basic")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aragón (ES24)")
    wait_for_charts(page)
    assert console_errors == []


def test_a_click_on_a_league_column_sorts_the_regions_by_it(
    page: Page, live_server: str, frames: Frames, console_errors: list[str]
) -> None:
    page.goto(live_server + "/?level=basic")
    wait_for_charts(page)
    header = page.locator("#overview-regions th", has_text="Basic: attainment")
    expect(header).to_have_attribute("aria-sort", "none")  # first: the problems first

    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    header.get_by_role("button").click()

    expect(header).to_have_attribute("aria-sort", "ascending")
    table = overview(frames, Filters(levels=("basic",)))
    regions = table[table["scope"] == "region"].sort_values(
        "attainment", kind="stable", na_position="last"
    )
    expected = regions["name"].astype(str).tolist()
    page.locator("#overview-regions-all").click()  # every region, still in this order
    expect(page.locator("#overview-regions tbody th a")).to_have_text(expected)
    assert console_errors == []


def test_the_region_subtitle_names_the_month_picked_in_the_filter_bar(
    page: Page, live_server: str, console_errors: list[str]
) -> None:
    page.goto(live_server + "/region/ES24?as_of=2025-06")
    subtitle = page.locator("#region-subtitle")
    expect(subtitle).to_contain_text("as of June 2025")

    choose(page, "as_of", "January 2026")

    expect(subtitle).to_contain_text("as of January 2026")
    assert console_errors == []


def test_on_a_phone_the_menu_folds_behind_a_toggler_and_a_skip_link_leads_to_the_page(
    page: Page, live_server: str, console_errors: list[str]
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/")
    skip = page.get_by_role("link", name=strings.SKIP_TO_CONTENT)
    expect(skip).to_be_attached()  # the app has drawn its frame
    page.keyboard.press("Tab")  # the first stop of the keyboard
    expect(skip).to_be_focused()
    skip.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    menu = page.locator("nav").get_by_role("link", name=strings.PROGRAMMES_NAME, exact=True)
    toggler = page.get_by_role("button", name=strings.NAVBAR_TOGGLE)
    expect(menu).to_be_hidden()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    toggler.click()
    expect(menu).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    toggler.click()
    expect(menu).to_be_hidden()
    assert console_errors == []
