"""The language a user reads: the supported languages, the current one, and its messages.

Every user-visible string is written once, in English, in a catalogue module (such as
``dashboard.strings``); the English text is the gettext message id. Translations live in
gettext catalogs under ``i18n/locale`` (managed with Babel: ``make messages``), and are read
for the language of the current request or command (:func:`use_language`).
"""

from __future__ import annotations

from skills_roadmap.i18n.catalogs import N_, gettext, ngettext
from skills_roadmap.i18n.languages import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    PSEUDO_LANGUAGE,
    current_language,
    negotiate,
    use_language,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "N_",
    "PSEUDO_LANGUAGE",
    "current_language",
    "gettext",
    "negotiate",
    "ngettext",
    "use_language",
]
