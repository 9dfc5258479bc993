"""The demo's fixed calendar: months as integer indexes from January 2024, never today's date."""

from __future__ import annotations

from datetime import date

import numpy as np

DEMO_FIRST_PERIOD = "2024-01"
DEMO_LAST_PERIOD = "2026-10"

FIRST_YEAR = 2024
HORIZON_MONTHS = 36  # programmes start and end within 2024-01 .. 2026-12
LAST_MONTH = 33  # index of DEMO_LAST_PERIOD, the latest month any programme reports

BASELINE_YEAR = 2024
DEADLINE_YEAR = 2027
MILESTONE_YEARS = (2025, 2026)

PERIODS = np.array(
    [f"{FIRST_YEAR + m // 12}-{m % 12 + 1:02d}" for m in range(HORIZON_MONTHS)], dtype=object
)


def month_start(month: int) -> date:
    """The first day of month index ``month`` (0 = January 2024)."""
    return date(FIRST_YEAR + month // 12, month % 12 + 1, 1)


def month_end(month: int) -> date:
    """The last day of month index ``month``."""
    following = month_start(month + 1)
    return date.fromordinal(following.toordinal() - 1)


def trajectory_share(month: int) -> float:
    """How far along the straight-line trajectory a target is at the end of ``month``.

    The trajectory runs from the baseline at the start of January of ``BASELINE_YEAR`` to the
    target value at the end of December of ``DEADLINE_YEAR``: at the end of October 2026
    (index 33) 34 of its 48 months have passed, so the share is 34/48.
    """
    total = (DEADLINE_YEAR - BASELINE_YEAR + 1) * 12
    return (month + 1 + (FIRST_YEAR - BASELINE_YEAR) * 12) / total
