"""Turning a column of values into cell text fast: each distinct value is rendered once.

A progress table holds 1.5 million rows but only a few thousand distinct counts, so
rendering the distinct values and indexing into them is far cheaper than formatting every
cell (which is what makes ``DataFrame.to_csv`` slow).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from skills_roadmap.analysis.periods import month_to_period

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
SECONDS_PER_DAY = 86_400


Renderer = Callable[[list[Any]], list[str]]
"""Renders a list of (distinct, non-missing) values to their texts, in order."""


def each(render: Callable[[Any], str]) -> Renderer:
    """A :data:`Renderer` applying ``render`` to one value at a time."""
    return lambda values: [render(value) for value in values]


def render_distinct(values: pd.Series, render: Renderer, missing: str) -> list[str]:
    """The text of every value of ``values``, rendered once per distinct value; ``missing``
    for NaN, None and NaT."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    rendered = np.empty(len(distinct) + 1, dtype=object)
    rendered[:-1] = render(distinct.tolist())
    rendered[-1] = missing
    result: list[str] = rendered[codes].tolist()  # code -1 (missing) picks the last entry
    return result


def number_text(value: float) -> str:
    """A number as the shortest text that reads back exactly; whole numbers without ``.0``.

    >>> number_text(12.0), number_text(0.25), number_text(3)
    ('12', '0.25', '3')
    """
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def numbers_text(values: list[Any]) -> list[str]:
    """:func:`number_text` of many numbers at once: one ``repr`` pass, then ``.0`` dropped
    from the whole numbers only."""
    numbers = np.asarray(values, dtype="float64")
    texts = list(map(repr, numbers.tolist()))
    whole = (numbers == np.trunc(numbers)) & (np.abs(numbers) < 1e15)
    for index in np.flatnonzero(whole).tolist():
        texts[index] = texts[index].removesuffix(".0")
    return texts


def period_text(month: float) -> str:
    """A month index as ``YYYY-MM``."""
    return month_to_period(int(month))


def utc(moment: Any) -> pd.Timestamp:
    """A timestamp in UTC; a naive one is taken to be UTC already."""
    stamp = pd.Timestamp(moment)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def excel_serial(moment: datetime | pd.Timestamp) -> float:
    """Excel's number for a date or time: days since 1899-12-30 (UTC, no time zone)."""
    stamp = pd.Timestamp(moment)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    delta = stamp - EXCEL_EPOCH
    return delta.days + delta.seconds / SECONDS_PER_DAY


def period_serial(month: float) -> int:
    """Excel's number for the first day of a month index."""
    year, zero_based = divmod(int(month), 12)
    return int((pd.Timestamp(year=year, month=zero_based + 1, day=1) - EXCEL_EPOCH).days)


def is_missing(value: Any) -> bool:
    """Whether a single cell value is blank: None, NaN, NaT or NA."""
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)
