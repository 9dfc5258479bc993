"""Whether a target is on track: achieved against the trajectory's expected value."""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import pandas as pd

from skills_roadmap.analysis.thresholds import AnalysisSettings
from skills_roadmap.i18n import gettext


class Status(StrEnum):
    """A target's position against its trajectory at the as-of month."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"

    @property
    def label(self) -> str:
        """The words shown to people, e.g. "On track", in the current language (marked for
        translation in :mod:`skills_roadmap.status_words`)."""
        return gettext(self.value.replace("_", " ").capitalize())


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
    late_rows = None if late is None else late.fillna(False).astype(bool).to_numpy()
    status = status_of(
        achieved.to_numpy("float64"), expected.to_numpy("float64"), settings, late_rows
    )
    return pd.Series(status, index=achieved.index)


def status_of(
    achieved: np.ndarray,
    expected: np.ndarray,
    settings: AnalysisSettings,
    late: np.ndarray | None = None,
) -> pd.Categorical:
    """:func:`classify_status` on plain arrays (the rule itself)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(expected > 0, achieved / expected, np.nan)
    nothing_expected = expected <= 0
    on_track = nothing_expected | (ratio >= settings.on_track)
    if late is not None:
        on_track &= ~late
    # Category codes in the order of STATUS_DTYPE; -1 (missing) where nothing can be said.
    codes = np.select(
        [on_track, nothing_expected | (ratio >= settings.at_risk), ~np.isnan(ratio)],
        [0, 1, 2],
        default=-1,
    ).astype(np.int8)
    return pd.Categorical.from_codes(codes, dtype=STATUS_DTYPE)
