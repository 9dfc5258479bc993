"""Messages built where they are shown, in the current language (``_``, ``N_``).

An upload's problems, its report and the template are read by a programme manager in their
own language: every message is written once in English (its gettext id), as ``_("…")`` where
it is built or ``N_("…")`` where a module constant declares it, and ``_`` translates it and
fills its placeholders with numbers in the language's conventions (``{count:,}`` reads
``1.234`` in Spanish).
"""

from __future__ import annotations

from typing import Any

from skills_roadmap.i18n import N_, gettext
from skills_roadmap.i18n.formats import Message

__all__ = ["N_", "_"]


def _(message: str, /, **values: Any) -> str:
    """``message`` (English) in the current language, its ``{placeholders}`` filled from
    ``values`` (numbers formatted the language's way); left unformatted without values, so a
    message without placeholders may hold braces."""
    translated = Message(gettext(message))
    return translated.format(**values) if values else str(translated)
