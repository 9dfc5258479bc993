"""No text escapes translation: every page, read in the pseudo-language, shows only marked
text (⟦…⟧) besides data values (names of regions, clusters, programmes…, numbers, months)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from every_page import PAGES
from openpyxl import Workbook
from playwright.sync_api import Page, expect
from pseudo_text import escaped_words

from dashboard import ids
from dashboard.components.chart_card import CARDS_DRAWN_JS
from skills_roadmap.i18n import PSEUDO_LANGUAGE
from skills_roadmap.reference.sheet_terms import TermKind, terms

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DATA_COLUMNS = {
    "regions": ("code", "name", "country"),
    "clusters": ("id", "name"),
    "programmes": ("id", "name", "provider", "funding_source"),
    "progress": ("notes",),
    "facilities": ("name",),
    "users": ("name", "email"),
    "uploads": ("file_name",),
    "audit_log": ("user_name", "object", "detail"),
}
"""What users typed into the network, and what the audit log recorded of their actions: shown
as it is, in every language."""
SHEET_WORDS = (TermKind.SHEET, TermKind.HEADER)

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


@pytest.fixture(autouse=True)
def _patient_expectations() -> Iterator[None]:
    """Wait up to 30 s for what the server computes: CI machines and shared ones are slow."""
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=5_000)


def data_values(database: Path) -> list[str]:
    """The network's own names, and the sheets' English sheet names and headers (a sheet in
    the pseudo-language is written in English), longest first (a name may contain a shorter
    one)."""
    with sqlite3.connect(database) as connection:
        values = {
            str(value)
            for table, columns in DATA_COLUMNS.items()
            for column in columns
            for (value,) in connection.execute(f"SELECT DISTINCT {column} FROM {table}")
            if value
        }
    values |= {term.english for term in terms() if term.kind in SHEET_WORDS}
    return sorted(values, key=len, reverse=True)


def untranslated(text: str, data: list[str]) -> list[str]:
    """The words of ``text`` that escaped translation; a chart shortens a long name on its
    axis with an ellipsis."""
    if text.endswith("…") and any(value.startswith(text[:-1]) for value in data):
        return []
    return escaped_words(text, data)


def escaped_texts(page: Page, data: list[str]) -> list[str]:
    """The texts the page shows now that escaped translation, once its requests are done."""
    page.wait_for_load_state("networkidle")
    return sorted({text for text in page.evaluate(TEXTS_JS) if untranslated(text, data)})


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.wait_for_function(CARDS_DRAWN_JS)


def test_every_page_in_the_pseudo_language_shows_only_translated_text_and_data(
    page: Page, live_server: str, demo_database: Path
) -> None:
    data = data_values(demo_database)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/?lang={PSEUDO_LANGUAGE}")
    escaped: dict[str, list[str]] = {}
    for path in PAGES:
        open_page(page, live_server + path)
        if left := escaped_texts(page, data):
            escaped[path] = left
    assert escaped == {}


def write_sheet(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Progress"
    for row in [["Programme ID", "Period", "Enrolled", "Completed", "Certified"], *rows]:
        sheet.append(row)
    workbook.save(path)
    return path


def test_what_users_open_and_run_in_the_pseudo_language_shows_only_translated_text_and_data(
    page: Page, live_server: str, demo_database: Path, tmp_path: Path
) -> None:
    """Beyond each page as it opens: the filter drawer on a phone, a programme's history, a
    plan with its reasons, and the upload report of a sheet with errors and of a file that is
    no workbook."""
    data = data_values(demo_database)
    page.goto(f"{live_server}/?lang={PSEUDO_LANGUAGE}")
    escaped: dict[str, list[str]] = {}

    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, live_server + "/region/ES24")
    page.locator(f"#{ids.FILTER_DRAWER_OPEN}").click()
    expect(page.locator(f"#{ids.FILTER_DRAWER}")).to_be_visible()
    escaped["filter drawer"] = escaped_texts(page, data)

    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, live_server + "/programmes?programme=ES24-B001")
    escaped["a programme's history"] = escaped_texts(page, data)

    open_page(page, live_server + "/plan?region=ES24")
    page.locator(f"#{ids.PLAN_SOURCE}-1").fill("ERDF")  # the first budget row
    page.locator(f"#{ids.PLAN_AMOUNT}-1").fill("2000000")
    page.locator(f"#{ids.PLAN_RUN}").click()
    expect(page.locator(f"#{ids.PLAN_WORDS}")).to_be_visible()
    escaped["plan"] = escaped_texts(page, data)

    typed = ["ARA-NOPE", "lots", "2031-13", "march.xlsx", "scan.xlsx"]  # shown as they are
    with_errors = write_sheet(
        tmp_path / "march.xlsx",
        [[typed[0], "2025-03", 10, typed[1], None], ["ES24-B001", typed[2], -1, 2, 5]],
    )
    not_a_workbook = tmp_path / "scan.xlsx"
    not_a_workbook.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    for name, sheet in (("sheet with errors", with_errors), ("not a workbook", not_a_workbook)):
        open_page(page, live_server + "/upload")
        page.locator("#upload-drop input[type=file]").set_input_files(sheet)
        answer = page.locator("#upload-report:not(:empty), [role=alert]:not(:empty)")
        expect(answer.first).to_be_visible()  # the report, or why the file was refused
        escaped[name] = escaped_texts(page, [*typed, *data])

    assert {where: texts for where, texts in escaped.items() if texts} == {}
