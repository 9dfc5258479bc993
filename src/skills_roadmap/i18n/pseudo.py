"""The pseudo-language: every translated string visibly marked, to find untranslated text.

"Overview" reads "⟦Övérvíéw⟧": still legible, longer like most translations, and any text on
a page without the brackets escaped translation (or is data, such as a region's name).
Placeholders (``{count:,}``), code in backticks and link targets are left as they are, so
messages still format and links still work.
"""

from __future__ import annotations

import gettext
import re

OPEN, CLOSE = "⟦", "⟧"
ACCENTED = str.maketrans("AEIOUaeiou", "ÅÉÎÖÜåéîöü")
UNTOUCHED = re.compile(r"(\{[^{}]*\}|`[^`]*`|\]\([^)]*\)|https?://\S+|%\([a-z_]+\)[sd])")


def pseudo(message: str) -> str:
    """``message`` marked and accented, its placeholders and code untouched.

    >>> pseudo("{count:,} of {total:,} people")
    '⟦{count:,} öf {total:,} péöplé⟧'
    """
    if not message.strip():
        return message
    parts = UNTOUCHED.split(message)
    marked = "".join(
        part if index % 2 else part.translate(ACCENTED) for index, part in enumerate(parts)
    )
    return f"{OPEN}{marked}{CLOSE}"


class PseudoTranslations(gettext.NullTranslations):
    """Translations into the pseudo-language, made on the fly from the English ids."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)
