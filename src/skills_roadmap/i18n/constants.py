"""Catalogue modules: modules of English constants that read in the current language.

A catalogue module (``dashboard.strings``) declares its messages as plain constants, as
before translation; its last line hands them to :func:`translated_constants`, which takes
them out of the module's namespace and answers each attribute access with the constant in
the current language. So ``strings.OVERVIEW_TITLE`` is a translated :class:`Message` at the
time it is read, the call sites stay as they are, and type checkers still see the constants.
"""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping
from typing import Any

from skills_roadmap.i18n.catalogs import gettext, ngettext
from skills_roadmap.i18n.formats import Message
from skills_roadmap.i18n.languages import current_language

LETTER = re.compile(r"[^\W\d_]")


def translated(value: Any) -> Any:
    """``value`` in the current language: a string with words as its translation, a dict's
    values translated; anything else (numbers, symbols such as "—", the plural pairs for
    ``ngettext``) as it is."""
    if isinstance(value, str):
        return Message(gettext(value)) if LETTER.search(value) else value
    if isinstance(value, dict):
        return {key: translated(item) for key, item in value.items()}
    return value


def plural(forms: tuple[str, str], count: int) -> Message:
    """The form of a catalogue module's ``(singular, plural)`` message that ``count`` takes in
    the current language (``ngettext``), ready to ``format``."""
    return Message(ngettext(forms[0], forms[1], count))


def translated_constants(namespace: MutableMapping[str, Any]) -> Callable[[str], Any]:
    """The module ``__getattr__`` of a catalogue module whose globals are ``namespace``: its
    upper-case constants are moved out of the namespace and read translated."""
    messages = {name: namespace.pop(name) for name in list(namespace) if name.isupper()}
    read: dict[tuple[str, str], Any] = {}  # (language, name) → the constant, translated once

    def __getattr__(name: str) -> Any:  # noqa: N807 - the module hook's own name
        key = (current_language(), name)
        try:
            return read[key]
        except KeyError:
            pass
        if name not in messages:
            module = namespace["__name__"]
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        read[key] = value = translated(messages[name])
        return value

    return __getattr__
