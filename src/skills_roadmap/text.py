"""Text: names users type, with control characters (NUL among them) removed, and counts of
things in words, in the right number."""

from __future__ import annotations

import re

from skills_roadmap.i18n import ngettext
from skills_roadmap.i18n.formats import number

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""Unicode's control characters (category Cc): C0, DEL and C1."""


def without_controls(text: str) -> str:
    """``text`` without control characters: NUL, tab, line breaks, escape, DEL, C1.

    For names people type into a single line, a file name or a log-in name: a control
    character there is never meant, PostgreSQL refuses a NUL in any text column, and a line
    break or an escape sequence would forge lines in logs and messages.

    >>> without_controls("mar\\x00ch\\x1b[31m.csv\\n")
    'march[31m.csv'
    """
    return CONTROL_CHARACTERS.sub("", text)


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """``count`` things, the noun in the right number: the one place that says "1 error" and
    "2 errors" (a hand-made "error(s)" or "{count} errors" reads wrong once in two).

    ``plural`` defaults to ``singular`` + "s"; the count has thousands separators. In another
    language, the noun is translated by that language's plural rule (``ngettext``: Polish has
    three forms) and the count follows its conventions (``1.200`` in Spanish).

    >>> counted(1, "error"), counted(2, "error"), counted(1200, "new row")
    ('1 error', '2 errors', '1,200 new rows')
    >>> counted(0, "entry", "entries")
    '0 entries'
    """
    return f"{number(count)} {ngettext(singular, plural or singular + 's', count)}"


def capitalised(text: str) -> str:
    """``text`` with a capital first letter, for a label, cell or sentence that may open with
    a month or a status word: most languages write months in lower case ("febrero de 2025 es
    provisional" → "Febrero de 2025 es provisional"); only the first letter changes, so a German
    noun keeps its capital."""
    return text[:1].upper() + text[1:]
