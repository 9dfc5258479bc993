"""Reading in a language: which one applies, its messages, plurals and number formats."""

from __future__ import annotations

import doctest

import pandas as pd
import pytest

from dashboard import strings
from dashboard.components.formats import euros, month_cells, month_words, people, percent
from dashboard.figures import locales
from skills_roadmap import text
from skills_roadmap.i18n import formats, languages, pseudo, use_language
from skills_roadmap.i18n.formats import Message
from skills_roadmap.status_words import status_words


@pytest.mark.parametrize("module", [languages, pseudo, text])
def test_the_examples_in_the_docstrings_hold(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]

    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("1,234", "62%", "€1,234.50", "€12.3M", "June 2026")),
        ("es", ("1.234", "62 %", "1.234,50 €", "12,3 M €", "junio de 2026")),
        ("fr", ("1 234", "62 %", "1 234,50 €", "12,3 M €", "juin 2026")),
        ("de", ("1.234", "62 %", "1.234,50 €", "12,3 Mio. €", "Juni 2026")),
        ("el", ("1.234", "62%", "1.234,50 €", "12,3 εκ. €", "Ιούνιος 2026")),
    ],
)
def test_numbers_shares_money_and_months_follow_the_language(
    language: str, expected: tuple[str, ...]
) -> None:
    with use_language(language):
        shown = (
            people(1234),
            percent(0.62),
            formats.money(1234.5),
            euros(12_345_678),
            month_words("2026-06"),
        )

    assert tuple(value.replace("\u00a0", " ").replace("\u202f", " ") for value in shown) == (
        expected
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["October 2026", "Oct 2026", "Oct 2026", None, "—"]),
        # In a sentence a Spanish month is lower case; a table cell stands alone: capitalised.
        ("es", ["octubre de 2026", "oct 2026", "Oct 2026", None, "—"]),
        ("fr", ["octobre 2026", "oct. 2026", "Oct. 2026", None, "—"]),
    ],
)
def test_months_read_in_words_long_in_sentences_short_in_cells(
    language: str, expected: list[str | None]
) -> None:
    with use_language(language):
        column = month_cells(pd.Series(["2026-10", None], dtype=object))
        cells = [None if pd.isna(cell) else cell for cell in column]  # missing stays missing
        shown = [month_words("2026-10"), month_words("2026-10", short=True), *cells]
        shown.append(month_words(None))  # no month: a dash, as for any missing value

    assert shown == expected


def test_a_message_formats_its_numbers_in_the_current_language() -> None:
    message = Message("{done:,} of {target:,} ({share:.1%}), {change:+.1f} points, {name}")

    with use_language("es"):
        spanish = message.format(done=12345, target=50000.0, share=0.2469, change=-2.5, name="A")

    assert spanish.replace("\u00a0", " ") == "12.345 of 50.000 (24,7 %), -2,5 points, A"


def test_a_count_takes_the_plural_form_its_language_asks_for() -> None:
    with use_language("pl"):
        polish = [
            text.counted(count, "error").replace("\u00a0", " ") for count in (1, 2, 5, 22, 1200)
        ]
    with use_language("en"):
        english = [text.counted(count, "error") for count in (1, 2, 1200)]

    assert polish == ["1 błąd", "2 błędy", "5 błędów", "22 błędy", "1 200 błędów"]
    assert english == ["1 error", "2 errors", "1,200 errors"]


def test_the_dashboard_strings_read_in_the_current_language() -> None:
    with use_language("es"):
        spanish = (strings.OVERVIEW_NAME, strings.LEVEL_LABELS["basic"], status_words("at_risk"))
    with use_language("en"):
        english = (strings.OVERVIEW_NAME, strings.LEVEL_LABELS["basic"], status_words("at_risk"))

    assert english == ("Overview", "Basic", "▲ At risk")
    assert spanish == ("Vista general", "Básico", "▲ En riesgo")


def test_the_pseudo_language_marks_every_message_and_keeps_its_placeholders() -> None:
    with use_language(languages.PSEUDO_LANGUAGE):
        marked = strings.KPI_ACHIEVED
        filled = marked.format(achieved=1234, target=5000, metric="m")

    assert marked == "⟦{achieved:,} öf {target:,} péöplé ({metric})⟧"
    assert filled == "⟦1,234 öf 5,000 péöplé (m)⟧"


def test_the_charts_locales_asset_is_generated_from_the_current_code() -> None:
    assert locales.ASSET.read_text(encoding="utf-8") == locales.script()
