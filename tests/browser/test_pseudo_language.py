"""No text escapes translation: every page, read in the pseudo-language, shows only marked
text (⟦…⟧) besides data values (names of regions, clusters, programmes…, numbers, months)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from every_page import PAGES
from playwright.sync_api import Page, expect

from dashboard.components.chart_card import CARDS_DRAWN_JS
from skills_roadmap.i18n import PSEUDO_LANGUAGE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DATA_COLUMNS = {
    "regions": ("code", "name", "country"),
    "clusters": ("id", "name"),
    "programmes": ("id", "name", "provider", "funding_source"),
    "facilities": ("name",),
    "users": ("name", "email"),
    "uploads": ("file_name",),
    "audit_log": ("user_name", "object", "detail"),
}
"""What users typed into the network, and what the audit log recorded of their actions: shown
as it is, in every language."""

TEXTS_JS = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const element = node.parentElement;
    const own = element.closest('[lang]');
    if (!text || element.closest('script, style') || own !== document.documentElement) continue;
    const hidden = element.closest('.visually-hidden, .visually-hidden-focusable');
    if (!hidden && !element.checkVisibility({checkVisibilityCSS: true})) continue;
    texts.push(text);
  }
  return texts;
}"""
"""In the browser: each text shown, or read out by a screen reader, outside an element that
declares its own language (the language switch names each language in itself)."""

MARKED = re.compile(r"⟦[^⟦⟧]*⟧")
OPENED = re.compile(r"⟦[^⟧]*$")
CLOSED = re.compile(r"^[^⟦]*⟧")
NUMBERS = re.compile(r"\d[\d.,]*\s?[kKMG]?\b")


@pytest.fixture(autouse=True)
def _patient_expectations() -> Iterator[None]:
    """Wait up to 30 s for what the server computes: CI machines and shared ones are slow."""
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=5_000)


def data_values(database: Path) -> list[str]:
    """The network's own names, longest first (a name may contain a shorter one)."""
    with sqlite3.connect(database) as connection:
        values = {
            str(value)
            for table, columns in DATA_COLUMNS.items()
            for column in columns
            for (value,) in connection.execute(f"SELECT DISTINCT {column} FROM {table}")
            if value
        }
    return sorted(values, key=len, reverse=True)


def untranslated(text: str, data: list[str]) -> str:
    """What is left of ``text`` once marked messages, data values and numbers are taken out:
    letters there escaped translation.

    A chart breaks a long title over lines (a message's start and its end are then separate
    texts) and shortens a long name on its axis with an ellipsis.
    """
    while MARKED.search(text):
        text = MARKED.sub(" ", text)
    text = OPENED.sub(" ", CLOSED.sub(" ", text))
    if text.endswith("…") and any(value.startswith(text[:-1]) for value in data):
        return ""
    for value in data:
        text = text.replace(value, " ")
    text = NUMBERS.sub(" ", text)
    return text if re.search(r"[^\W\d_]", text) else ""


def test_every_page_in_the_pseudo_language_shows_only_translated_text_and_data(
    page: Page, live_server: str, demo_database: Path
) -> None:
    data = data_values(demo_database)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/?lang={PSEUDO_LANGUAGE}")
    escaped: dict[str, list[str]] = {}
    for path in PAGES:
        page.goto(live_server + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.wait_for_function(CARDS_DRAWN_JS)
        page.wait_for_load_state("networkidle")
        left = sorted({text for text in page.evaluate(TEXTS_JS) if untranslated(text, data)})
        if left:
            escaped[path] = left
    assert escaped == {}
