"""Gettext catalogs: the translations of each language, loaded once, and the lookups.

The catalogs are ``locale/<language>/LC_MESSAGES/messages.po``, kept in the repository and
compiled to ``.mo`` by ``make messages`` (Babel's ``compile``), as every build does. A checkout
that has not compiled them (``pip install .`` from source) compiles the ``.po`` in memory on
first use, so a language never silently falls back to English.
"""

from __future__ import annotations

import gettext as gettext_module
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from skills_roadmap.i18n.languages import DEFAULT_LANGUAGE, PSEUDO_LANGUAGE, current_language
from skills_roadmap.i18n.pseudo import PseudoTranslations

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"


def catalog_path(language: str, suffix: str = ".po") -> Path:
    """Where ``language``'s catalog is (``.po`` source, or ``.mo`` compiled)."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@cache
def translations(language: str) -> gettext_module.NullTranslations:
    """``language``'s translations: English is the message ids themselves."""
    if language == PSEUDO_LANGUAGE:
        return PseudoTranslations()
    compiled, source = catalog_path(language, ".mo"), catalog_path(language)
    if language == DEFAULT_LANGUAGE or not source.exists():
        return gettext_module.NullTranslations()
    if compiled.exists() and compiled.stat().st_mtime >= source.stat().st_mtime:
        with compiled.open("rb") as file:
            return gettext_module.GNUTranslations(file)
    with source.open("rb") as file:
        catalog = read_po(file, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext_module.GNUTranslations(buffer)


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name for the marker
    """Mark ``message`` for translation where it is declared; :func:`gettext` translates it
    where it is shown (a module constant is read before any language is chosen)."""
    return message


def gettext(message: str) -> str:
    """``message`` (English) in the current language."""
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of ``singular``/``plural`` (English) that ``count`` takes in the current
    language, by the language's own plural rule (Polish has three forms, for instance)."""
    return translations(current_language()).ngettext(singular, plural, count)
