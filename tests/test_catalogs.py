"""The translation catalogs: complete, faithful to their placeholders, and compilable."""

from __future__ import annotations

import io
import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from skills_roadmap.i18n import DEFAULT_LANGUAGE, LANGUAGES
from skills_roadmap.i18n.catalogs import LOCALE_DIR, catalog_path

TRANSLATED = sorted(set(LANGUAGES) - {DEFAULT_LANGUAGE})
PLACEHOLDER = re.compile(r"\{[^{}]*\}|`[^`]*`")


def catalog(language: str) -> Catalog:
    with catalog_path(language).open("rb") as file:
        return read_po(file, locale=language)


def template() -> Catalog:
    with (LOCALE_DIR / "messages.pot").open("rb") as file:
        return read_po(file)


def forms(message: object) -> tuple[str, ...]:
    return tuple(message) if isinstance(message, tuple | list) else (str(message),)


def test_every_supported_language_but_english_has_a_catalog() -> None:
    assert sorted(path.name for path in LOCALE_DIR.iterdir() if path.is_dir()) == TRANSLATED


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_catalog_translates_every_message_of_the_template_and_none_is_fuzzy(
    language: str,
) -> None:
    translated = catalog(language)
    expected = {message.id for message in template() if message.id}
    untranslated = sorted(
        str(message.id) for message in translated if message.id and not all(forms(message.string))
    )
    fuzzy = sorted(str(message.id) for message in translated if message.id and message.fuzzy)
    missing = sorted(str(key) for key in expected - {message.id for message in translated})
    assert (missing, untranslated, fuzzy) == ([], [], [])


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_translation_keeps_the_placeholders_and_code_of_its_message(language: str) -> None:
    changed = [
        (str(message.id), translation)
        for message in catalog(language)
        if message.id
        for translation in forms(message.string)
        if translation
        and sorted(PLACEHOLDER.findall(translation))
        != sorted(PLACEHOLDER.findall(forms(message.id)[-1]))
    ]
    assert changed == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_catalog_compiles_without_errors(language: str) -> None:
    translated = catalog(language)
    problems = [(str(message.id), errors) for message, errors in translated.check() if errors]
    write_mo(io.BytesIO(), translated)
    assert problems == []


def test_every_constant_of_the_dashboard_strings_is_read_translated() -> None:
    """A constant declared after the module's translation hook would stay English."""
    from dashboard import strings

    assert [name for name in vars(strings) if name.isupper()] == []
