"""How a status reads on pages and in reports: an icon and words, e.g. "✔ On track".

A status is never shown by colour alone. The words are :attr:`Status.label
<skills_roadmap.analysis.status.Status.label>`; the icons are here, and nowhere else.
"""

from __future__ import annotations

from skills_roadmap.analysis.status import Status
from skills_roadmap.i18n import N_, gettext

STATUS_ICONS = {Status.ON_TRACK: "✔", Status.AT_RISK: "▲", Status.OFF_TRACK: "✖"}
NO_STATUS = N_("— No target")
"""In a table cell: no target to judge against (in English: ``gettext`` it where shown)."""
NO_STATUS_LEGEND = N_("○ No target")
"""In a map's legend, beside the open circle that marks a region without a target (in
English: ``gettext`` it where shown)."""

__all__ = ["NO_STATUS", "NO_STATUS_LEGEND", "STATUS_ICONS", "status_words"]


def status_words(status: object) -> str:
    """The icon and words of a status code, :data:`NO_STATUS` for anything else (a blank).

    >>> status_words("at_risk"), status_words(None)
    ('▲ At risk', '— No target')
    """
    if not isinstance(status, str):
        return gettext(NO_STATUS)
    try:
        code = Status(status)
    except ValueError:
        return gettext(NO_STATUS)
    return f"{STATUS_ICONS[code]} {code.label}"
