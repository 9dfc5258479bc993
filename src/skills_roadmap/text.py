"""Text that users type into names: control characters (NUL among them) removed."""

from __future__ import annotations

import re

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
