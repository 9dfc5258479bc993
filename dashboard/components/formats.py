"""How numbers read on screen: people, percentages, points and euros, in one place."""

from __future__ import annotations

import calendar
import math
from typing import Any

from dashboard import strings
from skills_roadmap.text import counted


def missing(value: object) -> bool:
    """Whether ``value`` is absent (None or NaN), as pandas leaves unreported numbers."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def people(value: Any) -> str:
    """A head count, e.g. ``1,234``; a dash when unknown."""
    return strings.NOT_AVAILABLE if missing(value) else f"{round(float(value or 0)):,}"


def percent(share: Any) -> str:
    """A share as a whole percentage, e.g. ``0.62`` → ``62%``."""
    return strings.NOT_AVAILABLE if missing(share) else f"{float(share or 0):.0%}"


def quantity(count: int, unit: str) -> str:
    """A count with its unit in the right number: ``1 month``, ``3 months``."""
    singular, plural = strings.UNITS[unit]
    return counted(count, singular, plural)


def points(share: float) -> str:
    """A difference of two shares in percentage points, unsigned: ``0.081`` → ``8 points``."""
    return quantity(round(abs(float(share)) * 100), "point")


def euros(value: Any) -> str:
    """An amount in euros, shortened above ten thousand: ``€12.3 M``, ``€45 k``, ``€310``."""
    if missing(value):
        return strings.NOT_AVAILABLE
    amount = float(value or 0)
    if abs(amount) >= 1e6:
        return f"€{amount / 1e6:,.1f} M"
    if abs(amount) >= 1e4:
        return f"€{amount / 1e3:,.0f} k"
    return f"€{amount:,.0f}"


def as_percent(share: Any) -> float | None:
    """A share as a percentage number rounded to one decimal (what charts plot and tables list)."""
    return None if missing(share) else round(float(share or 0) * 100, 1)


def month_words(period: str) -> str:
    """A ``YYYY-MM`` month in words, e.g. ``2026-06`` → ``June 2026``."""
    year, month = period.split("-")
    return f"{calendar.month_name[int(month)]} {year}"
