"""Months as integers: ``year * 12 + month - 1``, so month arithmetic is plain subtraction."""

from __future__ import annotations

from typing import overload

import numpy as np
import pandas as pd

from skills_roadmap.domain import parse_period


def period_to_month(period: str) -> int:
    """The month index of a ``YYYY-MM`` period.

    >>> period_to_month("2025-03") - period_to_month("2024-12")
    3
    """
    first_day = parse_period(period)
    return first_day.year * 12 + first_day.month - 1


def month_to_period(month: int) -> str:
    """The ``YYYY-MM`` period of a month index.

    >>> month_to_period(period_to_month("2025-03") + 10)
    '2026-01'
    """
    year, zero_based = divmod(int(month), 12)
    return f"{year:04d}-{zero_based + 1:02d}"


@overload
def january(year: int) -> int: ...
@overload
def january(year: pd.Series) -> pd.Series: ...
def january(year: int | pd.Series) -> int | pd.Series:
    """The month index of January of ``year`` (the start of a baseline year)."""
    return year * 12


@overload
def december(year: int) -> int: ...
@overload
def december(year: pd.Series) -> pd.Series: ...
def december(year: int | pd.Series) -> int | pd.Series:
    """The month index of December of ``year`` (when a deadline or milestone falls due)."""
    return year * 12 + 11


def months_of_dates(dates: pd.Series) -> pd.Series:
    """Month indexes of a datetime column; missing dates stay missing (float NaN)."""
    months = dates.dt.year * 12 + dates.dt.month - 1
    return months.astype("float64") if months.isna().any() else months.astype(np.int32)


def periods_of_months(months: pd.Series) -> pd.Series:
    """``YYYY-MM`` text for a column of month indexes (missing stays missing).

    Each distinct month is formatted once: a column holds a few dozen distinct months however
    long it is, and building text row by row is what would cost.
    """
    values = months.to_numpy()
    known = ~pd.isna(values)
    positions, distinct = pd.factorize(values[known].astype(np.int64))
    text = np.full(len(values), np.nan, dtype=object)
    names = pd.Index([month_to_period(int(month)) for month in distinct], dtype=object)
    text[known] = names.to_numpy()[positions]
    return pd.Series(text, index=months.index, name=months.name, dtype=str)


def months_of_periods(periods: pd.Series) -> np.ndarray:
    """Month indexes of a column of ``YYYY-MM`` texts (already validated), vectorised."""
    text = periods.astype(str)
    years = text.str.slice(0, 4).astype(np.int64).to_numpy()
    return years * 12 + text.str.slice(5, 7).astype(np.int64).to_numpy() - 1
