"""How numbers read on screen: people, percentages, points and euros, in one place."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from dashboard import strings
from skills_roadmap.i18n.formats import money, month, number
from skills_roadmap.i18n.formats import percent as locale_percent
from skills_roadmap.text import capitalised, counted


def missing(value: object) -> bool:
    """Whether ``value`` is absent (None or NaN), as pandas leaves unreported numbers."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def people(value: Any) -> str:
    """A head count, e.g. ``1,234`` (``1.234`` in Spanish); a dash when unknown."""
    return strings.NOT_AVAILABLE if missing(value) else number(round(float(value or 0)))


def percent(share: Any) -> str:
    """A share as a whole percentage, e.g. ``0.62`` → ``62%`` (``62 %`` in French)."""
    return strings.NOT_AVAILABLE if missing(share) else locale_percent(float(share or 0))


def quantity(count: int, unit: str) -> str:
    """A count with its unit in the right number: ``1 month``, ``3 months``."""
    singular, plural = strings.UNITS[unit]
    return counted(count, singular, plural)


def points(share: float) -> str:
    """A difference of two shares in percentage points, unsigned: ``0.081`` → ``8 points``."""
    return quantity(round(abs(float(share)) * 100), "point")


def euros(value: Any) -> str:
    """An amount in whole euros, millions shortened: ``€12.3M``, ``€45,200``, ``€310``."""
    return strings.NOT_AVAILABLE if missing(value) else money(float(value or 0), short=True)


def as_percent(share: Any) -> float | None:
    """A share as a percentage number rounded to one decimal (what charts plot and tables list)."""
    return None if missing(share) else round(float(share or 0) * 100, 1)


def month_words(period: str | None, *, short: bool = False) -> str:
    """A ``YYYY-MM`` month in words, e.g. ``2026-06`` → ``June 2026`` (``junio de 2026``);
    ``short`` where space is tight, a table cell or a chip: ``Jun 2026`` (``jun 2026``). A
    dash when there is no month. Only what a user reads: URLs, option values and inputs keep
    the ``YYYY-MM`` code."""
    return strings.NOT_AVAILABLE if not period else month(period, short=short)


def month_cells(periods: pd.Series) -> pd.Series:
    """A column of ``YYYY-MM`` months as a table shows them: in short words, capitalised as a
    cell stands alone (``Oct 2026``; Spanish ``oct 2026`` → ``Oct 2026``); a missing month
    stays missing, for the table to show as such."""
    return periods.map(
        lambda period: capitalised(month_words(period, short=True)), na_action="ignore"
    )
