"""Every cluster a region page names is a link a keyboard reaches: Tab to it, Enter opens it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from dashboard import ids
from dashboard.components.chart_card import CARDS_DRAWN_JS

pytestmark = pytest.mark.browser

FOCUSED_CLUSTER_JS = f"""() => {{
  const link = document.activeElement;
  return link && link.closest('#{ids.CLUSTER_LINKS}') ? link.getAttribute('href') : null;
}}"""


@pytest.fixture(autouse=True)
def _patient_expectations() -> Iterator[None]:
    """Wait up to 30 s for what the server computes: CI machines and shared ones are slow."""
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=5_000)


def test_every_cluster_of_a_region_page_is_reached_by_tab_and_opened_by_enter(
    page: Page, live_server: str
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/region/ES24")
    page.wait_for_function(CARDS_DRAWN_JS)
    links = page.locator(f"#{ids.CLUSTER_LINKS} a")
    expect(links.first).to_be_visible()
    named = [str(links.nth(i).get_attribute("href")) for i in range(links.count())]

    reached: list[str] = []
    for _press in range(400):  # every focusable element of the page, at most
        page.keyboard.press("Tab")
        href = page.evaluate(FOCUSED_CLUSTER_JS)
        if href:
            reached.append(href)
            if len(reached) == len(named):
                break

    assert (len(named) > 1, reached) == (True, named)
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server + named[-1])
    expect(page.get_by_role("heading", level=1)).to_be_visible()
