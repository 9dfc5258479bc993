"""A user's value quoted inside a one-line message: control characters escaped, long text cut."""

from __future__ import annotations

import re

from skills_roadmap.ingest.cells import display

# Enough to recognise a header or a sheet name; a whole paragraph pasted into a cell is not.
SHOWN_CHARACTERS = 40
ELLIPSIS = "…"
# C0 and C1 control characters, DEL, and the Unicode line and paragraph separators: any of them
# would break a message over lines (or hide part of it) in a terminal, a log or a web page.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    code = ord(character)
    return NAMED.get(character) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")


def shown(value: object, limit: int = SHOWN_CHARACTERS) -> str:
    """``value`` as a message can quote it: as the spreadsheet shows it (``cells.display``), with
    line breaks, tabs, NUL and other control characters written as escapes (``\\n``, ``\\x00``)
    and cut to ``limit`` characters with an ellipsis.

    The cut happens before escaping, so an escape is never split.

    >>> shown("Programme\\nID")
    'Programme\\\\nID'
    >>> shown("x" * 50, limit=5)
    'xxxxx…'
    """
    text = display(value)
    cut = text[:limit] + ELLIPSIS if len(text) > limit else text
    return CONTROL.sub(_escape, cut)


def one_line(text: str, limit: int = 200) -> str:
    """A library's error text made fit for a one-line message: whitespace runs become one space,
    control characters are escaped, and the text is cut to ``limit`` characters."""
    return shown(" ".join(text.split()), limit=limit)
