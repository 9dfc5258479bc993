"""ESF+ participant breakdowns: each band's people and share, and how much of it was reported."""

from __future__ import annotations

import numpy as np
import pandas as pd

from skills_roadmap.analysis.frames import Frames
from skills_roadmap.fields import BREAKDOWNS

__all__ = ["BREAKDOWN_TABLE_COLUMNS", "esf_breakdowns"]

BREAKDOWN_TABLE_COLUMNS = (
    "breakdown",
    "band",
    "header",
    "people",
    "share",
    "enrolled_reporting",
    "reported_share",
)


def _band_sums(rows: pd.DataFrame, key: str) -> tuple[float, float]:
    """The band's people and the enrolled of its rows that reported it, both NaN when none
    did (sums in float64, whatever the band's dtype)."""
    values = rows[key].to_numpy(dtype="float64", na_value=np.nan)
    reported = ~np.isnan(values)
    if not reported.any():
        return np.nan, np.nan
    enrolled = rows["enrolled"].to_numpy(dtype="float64")
    return float(values[reported].sum()), float(enrolled[reported].sum())


def esf_breakdowns(frames: Frames) -> pd.DataFrame:
    """Each ESF+ common output indicator's bands for the (filtered) frames, in sheet order.

    Definitions (sums over every reported month through the as-of month; a blank band is "not
    reported", so it neither adds people nor dilutes a share):
        people: the band's people over the months that reported it.
        enrolled_reporting: the enrolled of the months that reported the band.
        share: people / enrolled_reporting, the band's part of the participants it was
            reported for (for women, the ``women_share`` of :func:`~.inclusion.inclusion`).
        reported_share: enrolled_reporting / all enrolled, i.e. how far the band can be
            trusted; 0 when nothing was reported, NaN when nobody enrolled.

    Women are read from the progress rows, the other bands from ``Frames.breakdowns``.

    >>> from skills_roadmap.analysis.frames import build_frames
    >>> frames = build_frames(
    ...     regions=pd.DataFrame({"region_code": ["ES24"]}),
    ...     clusters=pd.DataFrame({"cluster_id": ["c"], "region_code": ["ES24"]}),
    ...     programmes=pd.DataFrame({"programme_id": ["p"], "cluster_id": "c",
    ...         "region_code": "ES24", "level": "basic", "start": "2025-01-01",
    ...         "end": "2025-12-31"}),
    ...     progress=pd.DataFrame({"programme_id": "p", "period": ["2025-01", "2025-02"],
    ...         "enrolled": [30, 10], "completed": 0, "age_18_29": [12, None]}))
    >>> row = esf_breakdowns(frames).set_index("band").loc["age_18_29"]
    >>> row[["people", "share", "reported_share"]].astype(float).tolist()
    [12.0, 0.4, 0.75]

    Returns:
        One row per band: ``breakdown`` (the indicator, e.g. ``Age``), ``band`` (its key),
        ``header`` (its sheet header), then the numbers above.
    """
    enrolled = float(frames.progress["enrolled"].to_numpy(dtype="float64").sum())
    records = []
    for name, bands in BREAKDOWNS.items():
        for band in bands:
            rows = frames.breakdowns if band.sparse else frames.progress
            people, enrolled_reporting = _band_sums(rows, band.key)
            records.append((name, band.key, band.header, people, enrolled_reporting))
    table = pd.DataFrame.from_records(
        records, columns=["breakdown", "band", "header", "people", "enrolled_reporting"]
    )
    reporting = table["enrolled_reporting"]
    table["share"] = table["people"] / reporting.where(reporting > 0)
    table["reported_share"] = (
        reporting.fillna(0.0) / enrolled if enrolled > 0 else np.full(len(table), np.nan)
    )
    return table[list(BREAKDOWN_TABLE_COLUMNS)]
