"""Months as integers and as ``YYYY-MM`` text."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from skills_roadmap.analysis import month_to_period, period_to_month
from skills_roadmap.analysis.periods import periods_of_months


def test_periods_keep_the_index_the_name_and_the_gaps() -> None:
    months = pd.Series([period_to_month("2025-03"), np.nan, 0.0], index=[7, 3, 5], name="due")
    text = periods_of_months(months)
    assert text.index.tolist() == [7, 3, 5]
    assert text.name == "due"
    assert text[7] == "2025-03" and text[5] == "0000-01"
    assert pd.isna(text[3])
    assert text.dtype == pd.Series(["x"]).astype(str).dtype


def test_periods_of_no_months_are_empty_text() -> None:
    text = periods_of_months(pd.Series([], dtype="float64"))
    assert text.empty
    assert text.dtype == pd.Series(["x"]).astype(str).dtype


@given(st.lists(st.none() | st.integers(0, 9999 * 12 + 11), max_size=60))
def test_periods_agree_with_month_to_period(values: list[int | None]) -> None:
    months = pd.Series([np.nan if value is None else value for value in values], dtype="float64")
    expected = [None if value is None else month_to_period(value) for value in values]
    assert [None if pd.isna(text) else text for text in periods_of_months(months)] == expected
