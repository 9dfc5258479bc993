"""How a status reads on pages and in reports: an icon and words, e.g. "✔ On track".

A status is never shown by colour alone. The words are :attr:`Status.label
<skills_roadmap.analysis.status.Status.label>`; the icons are here, and nowhere else.
"""

from __future__ import annotations

from skills_roadmap.analysis.pace import NOT_BEFORE_DEADLINE, REACHED
from skills_roadmap.analysis.status import Status
from skills_roadmap.i18n import N_, gettext

STATUS_LABELS = (N_("On track"), N_("At risk"), N_("Off track"))
"""The words :attr:`Status.label` derives from a status code, marked for translation."""
STATUS_ICONS = {Status.ON_TRACK: "✔", Status.AT_RISK: "▲", Status.OFF_TRACK: "✖"}
NO_STATUS = N_("— No target")
"""In a table cell: no target to judge against (in English: ``gettext`` it where shown)."""
NO_STATUS_LEGEND = N_("○ No target")
"""In a map's legend, beside the open circle that marks a region without a target (in
English: ``gettext`` it where shown)."""

__all__ = ["NO_STATUS", "NO_STATUS_LEGEND", "STATUS_ICONS", "forecast_words", "status_words"]


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


def forecast_words(forecast: object) -> str:
    """A forecast as shown: a month as it is, the pace's phrases ("already reached", "not
    before the deadline") in the current language, a dash when there is none.

    >>> forecast_words("2027-03"), forecast_words(NOT_BEFORE_DEADLINE), forecast_words(None)
    ('2027-03', 'not before the deadline', '-')
    """
    if forecast in (REACHED, NOT_BEFORE_DEADLINE):
        return gettext(str(forecast))
    return str(forecast) if isinstance(forecast, str) and forecast else "-"
