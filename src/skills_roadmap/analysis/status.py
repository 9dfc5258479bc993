"""Whether a target is on track: achieved against the trajectory's expected value."""

from __future__ import annotations

from enum import StrEnum

import pandas as pd

from skills_roadmap.analysis.flows import divide
from skills_roadmap.analysis.thresholds import AnalysisSettings


class Status(StrEnum):
    """A target's position against its trajectory at the as-of month."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"

    @property
    def label(self) -> str:
        """The words shown to people, e.g. "On track"."""
        return self.value.replace("_", " ").capitalize()


STATUS_DTYPE = pd.CategoricalDtype([status.value for status in Status], ordered=False)


def classify_status(
    achieved: pd.Series,
    expected: pd.Series,
    settings: AnalysisSettings,
    late: pd.Series | None = None,
) -> pd.Series:
    """Status of each row from ``ratio = achieved / expected``, and the recent pace.

    ``ratio >= settings.on_track`` is on track, ``>= settings.at_risk`` at risk, below that
    off track. Nothing expected yet (``expected <= 0``) counts as on track; a missing
    expected value (no as-of month) gives a missing status. A row that is ``late`` (its
    recent pace reaches the target only after the deadline) is at risk where the ratio
    alone would say on track: a reader never sees "on track" beside a forecast that the
    target will be missed.

    >>> classify_status(
    ...     pd.Series([96.0, 90.0, 10.0, 0.0]), pd.Series([100.0, 100.0, 100.0, 0.0]),
    ...     AnalysisSettings(),
    ... ).tolist()
    ['on_track', 'at_risk', 'off_track', 'on_track']
    """
    ratio = divide(achieved, expected)
    status = pd.Series(pd.NA, index=achieved.index, dtype=STATUS_DTYPE)
    status = status.mask(ratio.notna(), Status.OFF_TRACK.value)
    status = status.mask((expected <= 0) | (ratio >= settings.at_risk), Status.AT_RISK.value)
    on_track = (expected <= 0) | (ratio >= settings.on_track)
    if late is not None:
        on_track &= ~late.fillna(False).astype(bool).to_numpy()
    return status.mask(on_track, Status.ON_TRACK.value)
