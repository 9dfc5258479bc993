"""Turn a column of raw cells (numbers, text, dates, blanks as read) into typed arrays.

Each converter returns the values plus two masks: ``blank`` (empty or only spaces: "not
reported") and ``invalid`` (something there, but not of the column's type). Range rules
(>= 0, whole numbers, dates inside a programme) belong to validation, not here.
Numbers are converted with numpy/pandas in bulk, numbers written as text once per distinct
text (see ``numbers``); periods and text, whose few distinct values repeat over thousands of
rows, are converted once per distinct value.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from skills_roadmap.ingest.numbers import Convention, Evidence, Readings, read_texts
from skills_roadmap.reference.sheet_terms import TermKind, fold, term_index

PERIOD_TEXT = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
DATE_TEXT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
NUMERIC_INFERRED = frozenset({"floating", "integer", "mixed-integer-float"})
TYPE_OF = np.frompyfunc(type, 1, 1)
NONE = np.array(None, dtype=object)

BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[np.object_]


@dataclass(frozen=True)
class Converted:
    """A converted column: values (meaningful where neither mask is set) and the two masks.

    ``ambiguous`` (numbers only) marks the invalid cells whose text has two readings.
    """

    values: npt.NDArray[Any]
    blank: BoolArray
    invalid: BoolArray
    ambiguous: BoolArray | None = None

    @property
    def present(self) -> BoolArray:
        """Cells holding a usable value."""
        return ~(self.blank | self.invalid)


def display(value: object) -> str:
    """A cell value as the user would recognise it in the spreadsheet (for messages)."""
    if value is None:
        return ""
    if value.__class__ is bool:
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class NumberCells:
    """A column of number cells read once; ``converted`` then gives its numbers.

    Numeric cells are converted in bulk; cells holding text are parsed once per distinct
    text (``readings``, one code per text cell), under both number conventions, because which
    one the file uses is settled by all its number columns together.
    """

    values: npt.NDArray[np.float64]
    blank: BoolArray
    text_positions: npt.NDArray[np.intp] = field(default_factory=lambda: np.empty(0, np.intp))
    text_codes: npt.NDArray[np.intp] = field(default_factory=lambda: np.empty(0, np.intp))
    readings: Readings | None = None

    @property
    def evidence(self) -> Evidence:
        """The number conventions this column's texts show (see ``numbers.Readings``)."""
        return self.readings.evidence if self.readings is not None else frozenset()

    def converted(self, convention: Convention | None = None) -> Converted:
        """The numbers, two-way texts (``1.234``) read by ``convention``; with none they are
        ``ambiguous`` (and invalid)."""
        if self.readings is None:
            return Converted(self.values, self.blank, ~self.blank & ~np.isfinite(self.values))
        values = self.values.copy()
        numbers, two_way = self.readings.numbers(convention)
        values[self.text_positions] = numbers[self.text_codes]
        ambiguous = np.zeros(len(values), dtype=bool)
        ambiguous[self.text_positions] = two_way[self.text_codes]
        return Converted(values, self.blank, ~self.blank & ~np.isfinite(values), ambiguous)


def read_numbers(cells: ObjectArray, *, currency: bool = False) -> NumberCells:
    """Numeric cells and numbers written as text (``"12"``, ``" 12.0 "``, ``"1.234,50"``,
    ``"€ 1 234"`` when ``currency``). Booleans, dates and non-finite values are invalid."""
    count = len(cells)
    if pd.api.types.infer_dtype(cells, skipna=False) in NUMERIC_INFERRED:
        return NumberCells(cells.astype(np.float64), np.zeros(count, dtype=bool))
    empty = np.equal(cells, "")
    if empty.any():
        # The usual optional column: numbers and empty cells only.
        numeric = cells.copy()
        numeric[empty] = np.nan
        if pd.api.types.infer_dtype(numeric, skipna=True) in NUMERIC_INFERRED:
            values = numeric.astype(np.float64)
            return NumberCells(values, np.isnan(values))
    kinds: ObjectArray = np.asarray(TYPE_OF(cells), dtype=object)
    # Not bool: type(True) is bool, not int.
    is_number = np.equal(kinds, np.array(float, dtype=object)) | np.equal(
        kinds, np.array(int, dtype=object)
    )
    values = np.full(count, np.nan)
    values[is_number] = cells[is_number].astype(np.float64)
    blank = np.equal(cells, "") | np.equal(cells, NONE)
    # Text other than "" is rare in workbooks (numbers typed as text, typos) and the rule in
    # CSV files; either way it is parsed once per distinct text.
    is_text = np.equal(kinds, np.array(str, dtype=object)) & ~blank
    if not is_text.any():
        return NumberCells(values, blank)
    positions = np.flatnonzero(is_text)
    codes, distinct = pd.factorize(cells[positions])
    readings = read_texts(np.asarray(distinct, dtype=object), currency=currency)
    blank[positions[readings.empty[codes]]] = True
    return NumberCells(values, blank, positions, codes, readings)


def numbers(
    cells: ObjectArray, *, convention: Convention | None = None, currency: bool = False
) -> Converted:
    """``read_numbers(cells).converted(convention)``: one column on its own."""
    return read_numbers(cells, currency=currency).converted(convention)


def texts(cells: ObjectArray) -> Converted:
    """Text cells, stripped; numbers and dates become the text the user sees. Never invalid.

    Converted once per distinct value. Hashing makes ``True``, ``1`` and ``1.0`` one distinct
    value, so cells equal to 0 or 1 are converted one by one.
    """
    codes, distinct = pd.factorize(cells, use_na_sentinel=False)
    labels = np.empty(len(distinct), dtype=object)
    labels[:] = [_text(v) for v in distinct]
    values = labels[codes]
    ambiguous = [i for i, v in enumerate(distinct) if v.__class__ is not str and v in (0, 1)]
    if ambiguous:
        rows = np.isin(codes, ambiguous)
        values[rows] = [_text(v) for v in cells[rows]]
    blank = np.equal(values, NONE)
    return Converted(values, blank, np.zeros(len(cells), dtype=bool))


def _missing(value: object) -> bool:
    """``None``, or the NaN that ``pd.factorize`` turns ``None`` into."""
    return value is None or (value.__class__ is float and math.isnan(value))


def _text(value: object) -> str | None:
    if value.__class__ is str:
        return value.strip() or None
    if _missing(value):
        return None
    return display(value)


def normalise_header(text: object) -> str:
    """Case, accents and runs of spaces, hyphens and underscores folded: how headers, sheet
    names and choices are matched (``sheet_terms.fold``)."""
    return fold(text)


@cache
def choice_index(allowed: tuple[str, ...]) -> dict[str, str]:
    """Each folded spelling of ``allowed``, in every language of the sheets, -> the stored
    value: built once per list of values.

    Raises:
        TermCollisionError: two values share a spelling in some language.
    """
    return term_index(TermKind.VALUE, {c: c for c in allowed}, f"values {', '.join(allowed)}")


def choices(cells: ObjectArray, allowed: tuple[str, ...]) -> Converted:
    """Text matched against ``allowed`` in any language of the sheets, as headers are
    (case-, accent- and separator-insensitively: ``idea generation`` is ``idea_generation``,
    ``Básico`` is ``basic``); the stored value is kept.

    Each distinct text is folded once and the folded texts are mapped through one dict, so a
    column of 100,000 rows with three levels folds three texts.
    """
    converted = texts(cells)
    codes, distinct = pd.factorize(converted.values, use_na_sentinel=True)
    folded = pd.Series(distinct, dtype=object).map(fold)
    mapped = python_values(folded.map(choice_index(allowed)))
    values = np.empty(len(cells), dtype=object)
    if len(mapped):
        values[:] = mapped[codes]
        values[codes < 0] = None
    invalid = ~converted.blank & np.equal(values, NONE)
    return Converted(values, converted.blank, invalid)


def periods(cells: ObjectArray) -> Converted:
    """Months as ``YYYYMM`` integers from date cells or ``YYYY-MM`` / ``YYYY-MM-DD`` text.

    A date anywhere in a month stands for that month. Parsed once per distinct value.
    """
    codes, distinct = pd.factorize(cells, use_na_sentinel=False)
    parsed = [_period(value) for value in distinct]
    months = np.array([p if p > 0 else 0 for p in parsed], dtype=np.int64)[codes]
    blank = np.array([p == 0 for p in parsed], dtype=bool)[codes]
    invalid = np.array([p < 0 for p in parsed], dtype=bool)[codes]
    return Converted(months, blank, invalid)


def _period(value: object) -> int:
    """``YYYYMM``; 0 for a blank cell, -1 for a value that is not a month."""
    if _missing(value):
        return 0
    if value.__class__ is str:
        text = value.strip()
        if not text:
            return 0
        match = PERIOD_TEXT.match(text)
        if not match:
            return -1
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            return -1
        if match.group(3) is not None and not _is_date(year, month, int(match.group(3))):
            return -1
        return year * 100 + month
    if isinstance(value, date):
        return value.year * 100 + value.month
    return -1


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def period_text(months: npt.NDArray[np.int64]) -> ObjectArray:
    """``YYYY-MM`` strings for ``YYYYMM`` integers (formatted once per distinct month)."""
    codes, distinct = pd.factorize(months)
    labels = np.array([f"{m // 100:04d}-{m % 100:02d}" for m in distinct], dtype=object)
    return labels[codes] if len(codes) else np.empty(0, dtype=object)


def dates(cells: ObjectArray) -> Converted:
    """Calendar dates from date cells or ``YYYY-MM-DD`` text."""
    values = np.empty(len(cells), dtype=object)
    values[:] = [_date(v) for v in cells]
    blank = np.array([v == "" for v in values], dtype=bool)
    invalid = np.array([v is None for v in values], dtype=bool)
    values[blank | invalid] = None
    return Converted(values, blank, invalid)


def _date(value: object) -> date | str | None:
    """The date; ``""`` for a blank cell; ``None`` for something that is not a date."""
    if value is None or (value.__class__ is str and not value.strip()):
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value.__class__ is str:
        match = DATE_TEXT.match(value.strip())
        if match and _is_date(*(int(g) for g in match.groups())):
            return date(*(int(g) for g in match.groups()))
    return None


def is_whole(values: npt.NDArray[np.float64]) -> BoolArray:
    """Whether each number is whole (``12.0`` is, ``12.5`` is not; NaN is not)."""
    return np.equal(np.floor(values), values)


def python_values(column: pd.Series) -> ObjectArray:
    """A column as plain Python values, ``None`` where missing (for drivers, JSON, revisions)."""
    # pandas-stubs do not allow None as na_value, which pandas documents and supports.
    return column.to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]


def plain(value: object) -> object:
    """A numpy/pandas scalar as a plain Python value; missing values become ``None``."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, timedelta):
        return str(value)
    return value
