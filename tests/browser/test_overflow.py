"""No clipped text: every page at a phone's, a tablet's and a laptop's width shows each text
whole, in its box and inside the window (scroll containers excepted), and every chart's
labels inside the chart."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from every_page import PAGES
from playwright.sync_api import Page, expect

from dashboard.components.chart_card import CARDS_DRAWN_JS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = [390, 768, 1280]

CLIPPED_TEXT_JS = """() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}: `
    + `"${el.textContent.trim().slice(0, 60)}"`;
  const scrolls = (el) => {
    for (let up = el.parentElement; up; up = up.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    // A box of a pixel or less is a screen reader's text (the grid's live region), not shown.
    return box.width > 1 && box.height > 1 && getComputedStyle(el).visibility !== 'hidden'
      && !el.closest('.visually-hidden, .visually-hidden-focusable, [aria-hidden="true"]');
  };
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg')) continue;
    const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!text || !shown(el)) continue;
    const style = getComputedStyle(el);
    const clips = ['hidden', 'clip'].includes(style.overflowX) || style.textOverflow === 'ellipsis';
    if (clips && el.scrollWidth > el.clientWidth + 1) {
      problems.push('cut in its box: ' + describe(el));
    } else if (el.getBoundingClientRect().right > width + 1 && !scrolls(el)) {
      problems.push('beyond the window: ' + describe(el));
    }
  }
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const frame = plot.getBoundingClientRect();
    for (const label of plot.querySelectorAll('text')) {
      const box = label.getBoundingClientRect();
      if (!box.width || !label.textContent.trim()) continue;
      if (box.left < frame.left - 1 || box.right > frame.right + 1) {
        problems.push('cut at the chart edge: "' + label.textContent.trim().slice(0, 60) + '"');
      }
    }
  }
  return problems;
}"""
"""In the browser: each visible text cut by its box (overflow hidden or an ellipsis), reaching
past the window outside a scroll container, or a chart label reaching past its chart."""


@pytest.fixture(autouse=True)
def _patient_expectations() -> Iterator[None]:
    """Wait up to 30 s for what the server computes: CI machines and shared ones are slow."""
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_clips_its_text(page: Page, live_server: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    clipped: dict[str, list[str]] = {}
    for path in PAGES:
        page.goto(live_server + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.wait_for_function(CARDS_DRAWN_JS)
        page.wait_for_load_state("networkidle")
        found = page.evaluate(CLIPPED_TEXT_JS)
        if found:
            clipped[path] = found
    assert clipped == {}
