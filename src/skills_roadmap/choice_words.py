"""How the codes of the closed lists read on pages and in reports: "Basic" for ``basic``.

Training levels, delivery modes, helix roles, target scopes, metrics and uploads' kinds and
outcomes are stored, filtered and written to CSV and the API as their codes; people read
these words, in the current language. The dashboard (``dashboard.strings``) and the Excel,
HTML and PDF reports show the same ones, declared here once (``N_``: in English, ``gettext``
them where shown).
"""

from __future__ import annotations

from collections.abc import Mapping

from skills_roadmap.i18n import N_, gettext

__all__ = [
    "DELIVERY_LABELS",
    "HELIX_LABELS",
    "LEVEL_LABELS",
    "METRIC_LABELS",
    "SCOPE_LABELS",
    "UPLOAD_KINDS",
    "UPLOAD_OUTCOMES",
    "choice_words",
    "choices_words",
]

LEVEL_LABELS = {
    "basic": N_("Basic"),
    "intermediate": N_("Intermediate"),
    "expert": N_("Expert"),
}
DELIVERY_LABELS = {"online": N_("Online"), "in-person": N_("In person"), "blended": N_("Blended")}
# The quadruple helix: who a provider or a cluster's partner is.
HELIX_LABELS = {
    "industry": N_("Industry"),
    "academia": N_("Academia"),
    "public": N_("Public sector"),
    "society": N_("Society"),
}
# Whose target it is, and what it counts (the headers of the same words in the reports).
SCOPE_LABELS = {"network": N_("Network"), "region": N_("Region"), "cluster": N_("Cluster")}
METRIC_LABELS = {
    "enrolled": N_("Enrolled"),
    "completed": N_("Completed"),
    "certified": N_("Certified"),
}
# What an upload held, and what came of it.
UPLOAD_KINDS = {
    "progress": N_("Progress"),
    "regions": N_("Regions"),
    "clusters": N_("Clusters"),
    "programmes": N_("Programmes"),
    "targets": N_("Targets"),
    "facilities": N_("Facilities"),
    "network": N_("Network workbook"),
    "revert": N_("Revert of an upload"),
}
UPLOAD_OUTCOMES = {
    "dry_run": N_("Dry run (not stored)"),
    "committed": N_("✔ Stored"),
    "rejected": N_("✖ Rejected (errors)"),
    "duplicate": N_("= Already stored"),
}
CHOICES_SEPARATOR = ","
"""How a list of codes is stored in one cell (a cluster's helix roles: ``academia,industry``)."""


def choice_words(labels: Mapping[str, str], code: object) -> str:
    """The words of ``code`` in the current language; a code ``labels`` does not know as it is.

    >>> choice_words(LEVEL_LABELS, "basic"), choice_words(LEVEL_LABELS, "other")
    ('Basic', 'other')
    """
    label = labels.get(str(code))
    return str(code) if label is None else gettext(label)


def choices_words(labels: Mapping[str, str], codes: object) -> str:
    """A cell's list of codes (``academia,industry``) as words, in their order.

    >>> choices_words(HELIX_LABELS, "academia,public")
    'Academia, Public sector'
    """
    return ", ".join(
        choice_words(labels, code.strip())
        for code in str(codes).split(CHOICES_SEPARATOR)
        if code.strip()
    )
