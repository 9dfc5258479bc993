"""Facilities: idea-generation, demonstration and testing facilities, planned against open."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from skills_roadmap.analysis.frames import Frames
from skills_roadmap.domain import FacilityStatus


def facilities_as_of(frames: Frames) -> pd.DataFrame:
    """The facilities as they stood at the as-of month: one that opened after it is shown as
    planned and not yet open (a past month is read as it was, not as it is today).

    The stored status of a facility not yet open (planned or building) is kept: when its
    building began is not recorded.
    """
    facilities = frames.facilities
    if frames.as_of is None:
        return facilities
    later = (facilities["actual_month"] > frames.as_of).to_numpy()
    if not later.any():
        return facilities
    return facilities.assign(
        status=facilities["status"].mask(later, FacilityStatus.PLANNED.value),
        actual_open=facilities["actual_open"].mask(later),
        actual_month=facilities["actual_month"].mask(later),
    )


def facility_slippage(frames: Frames) -> pd.DataFrame:
    """Every facility as it stood at the as-of month (see :func:`facilities_as_of`) with its
    slippage in months.

    Definitions:
        slippage_months: for an operational facility, the month it opened minus the month it
            was planned to (negative when early); for one not yet open, the months from its
            planned opening to the as-of month, or 0 while that is still ahead.
        overdue: not yet operational and its planned month is before the as-of month.

    Returns:
        the facilities frame plus ``slippage_months`` and ``overdue``.
    """
    facilities = facilities_as_of(frames)
    as_of = np.nan if frames.as_of is None else frames.as_of
    operational = facilities["status"] == FacilityStatus.OPERATIONAL.value
    waiting = (as_of - facilities["planned_month"]).clip(lower=0)
    slippage = (facilities["actual_month"] - facilities["planned_month"]).where(
        operational, waiting
    )
    return facilities.assign(slippage_months=slippage, overdue=~operational & (waiting > 0))


def facilities_status(frames: Frames, by: Sequence[str] = ("region_code",)) -> pd.DataFrame:
    """Planned against operational facilities per group (region, kind, cluster …).

    Definitions (see :func:`facility_slippage`):
        planned: all facilities in the roadmap's plan; building / operational: those with that
            status; overdue: not yet open after their planned month.
        mean_slippage_months / max_slippage_months: over the group's facilities.

    Returns:
        ``by`` columns, then ``planned, building, operational, overdue,
        mean_slippage_months, max_slippage_months``; one row per group with facilities.
    """
    table = facility_slippage(frames)
    table = table.assign(
        building=table["status"] == FacilityStatus.BUILDING.value,
        operational=table["status"] == FacilityStatus.OPERATIONAL.value,
    )
    grouped = table.groupby(list(by), observed=True, dropna=False)
    return grouped.agg(
        planned=("facility_id", "size"),
        building=("building", "sum"),
        operational=("operational", "sum"),
        overdue=("overdue", "sum"),
        mean_slippage_months=("slippage_months", "mean"),
        max_slippage_months=("slippage_months", "max"),
    ).reset_index()
