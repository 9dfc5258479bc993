"""On a phone the headline cards come first: the filters wait in a drawer, summarised as chips."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from dashboard import ids, strings

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
LEVELS = tuple(strings.LEVEL_LABELS)


@pytest.fixture(autouse=True)
def _patient_expectations() -> Iterator[None]:
    """Wait up to 30 s for what the server computes: CI machines and shared ones are slow."""
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=5_000)


def test_a_phone_shows_the_cards_first_and_the_filters_in_a_drawer_of_chips(
    page: Page, live_server: str
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(live_server + "/?level=basic&level=expert")

    cards = [page.locator(f"#kpi-{level}") for level in ("basic", "expert")]
    for card in cards:
        expect(card).to_be_visible()
    level_filter = page.locator(".filter-levels")
    expect(level_filter).to_be_hidden()  # in the closed drawer
    # The first number is on the first screen; the filters take one short line before it.
    first, summary = cards[0].bounding_box(), page.locator(".filter-summary").bounding_box()
    assert first is not None and summary is not None
    assert (first["y"] + first["height"] < PHONE["height"] / 2, summary["height"] < 60) == (
        True,
        True,
    )

    opener = page.locator(f"#{ids.FILTER_DRAWER_OPEN}")
    expect(opener).to_have_text(strings.FILTER_DRAWER_COUNT.format(count=2))
    opener.click()
    drawer = page.get_by_role("dialog", name=strings.FILTERS_HEADING)
    expect(drawer).to_be_visible()
    expect(level_filter).to_be_visible()
    expect(opener).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("button", name=strings.FILTER_DRAWER_CLOSE)).to_be_focused()
    page.keyboard.press("Escape")
    expect(level_filter).to_be_hidden()
    expect(opener).to_have_attribute("aria-expanded", "false")
    expect(opener).to_be_focused()

    chips = page.locator(f"#{ids.FILTER_CHIPS} button")
    expect(chips).to_have_count(2)
    page.get_by_role(
        "button", name=strings.FILTER_CHIP_REMOVE.format(label="Level", value="Basic")
    ).click()

    expect(chips).to_have_count(1)
    expect(chips).to_have_attribute(
        "aria-label", strings.FILTER_CHIP_REMOVE.format(label="Level", value="Expert")
    )
    expect(page).to_have_url(live_server + "/?level=expert")
    expect(opener).to_have_text(strings.FILTER_DRAWER_COUNT.format(count=1))
    expect(page.locator("#kpi-basic")).to_have_text(strings.NOT_AVAILABLE)  # not selected


def test_a_laptop_shows_the_filters_as_a_row_without_chips(page: Page, live_server: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server + "/?level=basic")

    expect(page.locator(".filter-levels")).to_be_visible()
    expect(page.locator(f"#{ids.FILTER_DRAWER_OPEN}")).to_be_hidden()
    expect(page.locator(f"#{ids.FILTER_CHIPS}")).to_be_hidden()


def test_a_phone_shows_every_levels_status_on_the_first_screen(
    page: Page, live_server: str
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(live_server + "/region/ES24")

    badges = [page.locator(f"#kpi-{level}-detail .status-badge") for level in LEVELS]
    for badge in badges:
        expect(badge).to_be_visible()
    boxes = [badge.bounding_box() for badge in badges]
    cards = [page.locator(f"#kpi-{level}-card").bounding_box() for level in LEVELS]
    assert None not in boxes and None not in cards
    # Every level's status is on the first screen, and no card is a tall block.
    assert [
        (box["y"] + box["height"] <= PHONE["height"], card["height"] < 220)  # type: ignore[index]
        for box, card in zip(boxes, cards, strict=True)
    ] == [(True, True)] * len(LEVELS)


def test_an_empty_card_shrinks_and_offers_nothing_to_download_until_it_has_numbers(
    page: Page, live_server: str
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(live_server + "/region/ES24?cluster=aragon-ai")  # its cluster has no facility

    facilities = page.locator("#card-facilities")
    expect(facilities.get_by_role("button", name=strings.CHART_CSV_LABEL)).to_be_hidden()
    box = facilities.bounding_box()
    assert box is not None and box["height"] < 220

    page.get_by_role(
        "button",
        name=strings.FILTER_CHIP_REMOVE.format(label="Cluster", value="Aragón AI Cluster"),
    ).click()

    # The whole region has facilities: the card grows and offers its table and downloads;
    # the redrawn title of who carries the region links the cluster it names.
    expect(facilities.get_by_role("button", name=strings.CHART_CSV_LABEL)).to_be_visible()
    title = page.locator("#card-contribution .chart-title")
    expect(title).to_contain_text("of 3 clusters carry")
    expect(title.locator("a[href^='/cluster/']")).to_have_count(1)
