"""Cell conversion: numbers, months, text and dates as spreadsheets and CSV files hold them."""

from __future__ import annotations

import math
from datetime import date, datetime, time

import numpy as np
import pytest

from skills_roadmap.ingest.cells import dates, display, numbers, period_text, periods, texts


def column(*values: object) -> np.ndarray:
    cells = np.empty(len(values), dtype=object)
    cells[:] = list(values)
    return cells


# (cell, value or None, blank, invalid)
NUMBER_CASES = [
    (12.0, 12.0, False, False),
    (12, 12.0, False, False),
    ("12", 12.0, False, False),  # numbers stored as text
    (" 12.0 ", 12.0, False, False),
    ("1e3", 1000.0, False, False),
    ("", None, True, False),
    ("   ", None, True, False),  # only spaces: not reported
    (None, None, True, False),
    (True, None, False, True),  # a boolean is not a number
    (date(2025, 1, 1), None, False, True),
    ("abc", None, False, True),
    ("nan", None, False, True),
    ("inf", None, False, True),
    ("12,5", 12.5, False, False),  # a decimal comma: "," never groups two digits
    ("1.234", None, False, True),  # 1234 or 1.234: ambiguous on its own
    ("1.234,50", 1234.5, False, False),
]


@pytest.mark.parametrize(("cell", "value", "blank", "invalid"), NUMBER_CASES)
def test_numbers(cell: object, value: float | None, blank: bool, invalid: bool) -> None:
    # Mixed with a float so the column is not all-numeric (the fast path).
    result = numbers(column(cell, 1.5))
    assert (bool(result.blank[0]), bool(result.invalid[0])) == (blank, invalid)
    if value is not None:
        assert result.values[0] == value


def test_numeric_column_takes_the_fast_path_and_keeps_values() -> None:
    result = numbers(column(1.0, 2.5, 3))
    assert result.values.tolist() == [1.0, 2.5, 3.0]
    assert not result.blank.any() and not result.invalid.any()


def test_decimal_comma() -> None:
    result = numbers(column("1500,5", "12", ""))
    assert result.values[:2].tolist() == [1500.5, 12.0]
    assert result.blank.tolist() == [False, False, True]


# (cell, YYYYMM or 0, blank, invalid)
PERIOD_CASES = [
    ("2025-03", 202503, False, False),
    (" 2025-03 ", 202503, False, False),
    ("2025-03-17", 202503, False, False),
    (date(2025, 3, 17), 202503, False, False),  # any day stands for its month
    (datetime(2025, 3, 1, 10, 30), 202503, False, False),
    ("", 0, True, False),
    ("2025-13", 0, False, True),
    ("2025-02-30", 0, False, True),
    ("2025-3", 0, False, True),
    ("March 2025", 0, False, True),
    (45717.0, 0, False, True),  # a date's serial number without its date format
    (True, 0, False, True),
]


@pytest.mark.parametrize(("cell", "month", "blank", "invalid"), PERIOD_CASES)
def test_periods(cell: object, month: int, blank: bool, invalid: bool) -> None:
    result = periods(column(cell, "2024-01"))
    assert (int(result.values[0]), bool(result.blank[0]), bool(result.invalid[0])) == (
        month,
        blank,
        invalid,
    )


def test_period_text() -> None:
    assert period_text(np.array([202503, 202412, 202503])).tolist() == [
        "2025-03",
        "2024-12",
        "2025-03",
    ]


def test_texts_are_stripped_and_show_numbers_as_the_user_sees_them() -> None:
    result = texts(column(" ARA-1 ", 1001.0, 12.5, "", None, True, 1.0, 1))
    assert result.values.tolist() == ["ARA-1", "1001", "12.5", None, None, "TRUE", "1", "1"]
    assert result.blank.tolist() == [False, False, False, True, True, False, False, False]


def test_dates() -> None:
    result = dates(column(date(2025, 1, 2), datetime(2025, 1, 3, 9), "2025-01-04", "", "x"))
    assert result.values.tolist() == [
        date(2025, 1, 2),
        date(2025, 1, 3),
        date(2025, 1, 4),
        None,
        None,
    ]
    assert result.blank.tolist() == [False, False, False, True, False]
    assert result.invalid.tolist() == [False, False, False, False, True]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (12.0, "12"),
        (12.5, "12.5"),
        ("12", "12"),
        (True, "TRUE"),
        (None, ""),
        (date(2025, 3, 1), "2025-03-01"),
        (datetime(2025, 3, 1, 10, 30), "2025-03-01 10:30"),
        (time(10, 0), "10:00:00"),
        (math.inf, "inf"),
    ],
)
def test_display(value: object, shown: str) -> None:
    assert display(value) == shown
