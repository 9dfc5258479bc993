"""The supported languages and which one applies now.

The current language is a context variable: a web request sets it for its thread (see
``dashboard.language``), a command sets it once from ``--lang`` or ``LANG``. Code that formats
or translates reads it, so no language parameter has to travel through every function.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

DEFAULT_LANGUAGE = "en"
PSEUDO_LANGUAGE = "en-XA"
"""A pseudo-language: English with every translated string visibly marked (⟦ ⟧, accents),
so a test can find text that escaped translation. Formats follow English."""

LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "ro": "Română",
    "sv": "Svenska",
    "pt": "Português",
    "it": "Italiano",
    "fr": "Français",
    "nl": "Nederlands",
    "fi": "Suomi",
    "pl": "Polski",
    "el": "Ελληνικά",
    "de": "Deutsch",
}
"""Each supported language's code and its name in itself, as the language switch lists them."""

_CURRENT: contextvars.ContextVar[str] = contextvars.ContextVar(
    "skills_roadmap_language", default=DEFAULT_LANGUAGE
)


def current_language() -> str:
    """The language code that applies now (default :data:`DEFAULT_LANGUAGE`)."""
    return _CURRENT.get()


def use(code: str) -> contextvars.Token[str]:
    """Make ``code`` (a supported code, see :func:`supported`) the language from now on in
    this context, until :func:`reset` with the token returned: for a request or a command
    whose start and end are separate calls (else :func:`use_language`)."""
    return _CURRENT.set(supported(code) or DEFAULT_LANGUAGE)


def reset(token: contextvars.Token[str]) -> None:
    """Back to the language before :func:`use` gave ``token``."""
    _CURRENT.reset(token)


@contextmanager
def use_language(code: str) -> Iterator[None]:
    """Within the block, read and format in ``code``; the previous language afterwards."""
    token = use(code)
    try:
        yield
    finally:
        reset(token)


def supported(code: str | None) -> str | None:
    """The supported language ``code`` names, or None.

    Accepts the forms users and browsers send: ``es``, ``ES``, ``es-ES``, ``es_ES.UTF-8``.

    >>> supported("es_ES.UTF-8"), supported("pt-BR"), supported("ja"), supported("en-XA")
    ('es', 'pt', None, 'en-XA')
    """
    if not code:
        return None
    if code.lower() == PSEUDO_LANGUAGE.lower():
        return PSEUDO_LANGUAGE
    base = code.replace("_", "-").split(".")[0].split("-")[0].lower()
    return base if base in LANGUAGES else None


def negotiate(*choices: str | None, accepted: Iterable[str] = (), default: str) -> str:
    """The language to use: the first supported of ``choices`` (the user's explicit choices,
    most specific first), else the first supported of ``accepted`` (the browser's
    ``Accept-Language`` in order of preference), else ``default``.

    >>> negotiate(None, "sv", accepted=["de"], default="en")
    'sv'
    >>> negotiate(None, accepted=["ja", "fr-BE", "de"], default="en")
    'fr'
    >>> negotiate("xx", accepted=[], default="el")
    'el'
    """
    for code in (*choices, *accepted):
        found = supported(code)
        if found:
            return found
    return supported(default) or DEFAULT_LANGUAGE
