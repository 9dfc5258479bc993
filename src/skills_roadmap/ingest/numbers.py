"""Numbers typed as text the way spreadsheets around Europe write them, read without guessing.

``1.234,50`` (Spain, Germany), ``1 234,50`` with a no-break space (France), ``1,234.50``
(Ireland), ``1'234.50`` (Switzerland), ``€ 1.234``: each text is read under both number
conventions, the decimal point and the decimal comma. A separator counts as a thousands
separator only between groups of exactly three digits (``1.234.567``, not ``1.23``).

Most texts have one reading (``12``, ``1.5``, ``12,5``, ``1.234,50``) and those with a
decimal part say which convention their file uses. A text with two readings (``1.234``:
1234 or 1.234) is read by the convention its column, or else its file, shows; when nothing
shows it, it is ambiguous: an error that asks for the number typed plainly, never a guess.
A ``;``-separated CSV is no evidence: Swiss spreadsheets write ``;`` with a decimal point.

Every function works on distinct texts: a column's thousands of cells hold few of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import pandas as pd

from skills_roadmap.i18n.words import N_, _

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
ObjectArray = npt.NDArray[np.object_]

# The one form with two readings: one separator between 1-3 digits (no leading 0) and 3 digits.
AMBIGUOUS = re.compile(r"[+-]?[1-9][0-9]{0,2}([.,])[0-9]{3}")
CURRENCY = re.compile(r"^(?:€|EUR)\s*|\s*(?:€|EUR)$", re.IGNORECASE)
SIGNS = "+-\N{MINUS SIGN}"
DIGITS = re.compile(r"[0-9]+")
# Spaces of any width (French: no-break and narrow no-break) and apostrophes (Swiss) only
# ever group thousands; the point and the comma group thousands under the other convention.
SPACE_GROUPS = frozenset(" \N{NO-BREAK SPACE}\N{NARROW NO-BREAK SPACE}\N{THIN SPACE}")
APOSTROPHES = frozenset("'\N{RIGHT SINGLE QUOTATION MARK}")
NUMBER_CHARACTERS = frozenset("0123456789.,") | SPACE_GROUPS | APOSTROPHES
# Why a two-way text is not read, by the separator it holds: whole sentences, so a translator
# names the decimal sign in their own words.
UNCLEAR = {
    ".": N_(
        "unclear: {thousands} with '.' separating thousands, or {decimals} with a decimal point"
    ),
    ",": N_(
        "unclear: {thousands} with ',' separating thousands, or {decimals} with a decimal comma"
    ),
}


class Convention(StrEnum):
    """Which sign separates the decimals; the other one may separate thousands."""

    DECIMAL_POINT = "."
    DECIMAL_COMMA = ","


Evidence = frozenset[Convention]


@dataclass(frozen=True)
class Readings:
    """Distinct texts of a number column and the number each is under either convention.

    Attributes:
        point: the number under the decimal point convention; NaN where it is none.
        comma: the same under the decimal comma convention.
        empty: texts of only spaces (a blank cell).
    """

    point: FloatArray
    comma: FloatArray
    empty: BoolArray

    @property
    def evidence(self) -> Evidence:
        """The conventions shown by texts that are a number under one convention only."""
        point, comma = np.isfinite(self.point), np.isfinite(self.comma)
        shown = set()
        if (point & ~comma).any():
            shown.add(Convention.DECIMAL_POINT)
        if (comma & ~point).any():
            shown.add(Convention.DECIMAL_COMMA)
        return frozenset(shown)

    def numbers(self, convention: Convention | None) -> tuple[FloatArray, BoolArray]:
        """Each text's number (NaN when none) and whether it is ambiguous under ``convention``.

        A text with one reading is that number whatever the convention; a text with two is
        read by ``convention``, and is ambiguous (NaN) without one.
        """
        point, comma = np.isfinite(self.point), np.isfinite(self.comma)
        values = np.where(point, self.point, self.comma)
        two = point & comma & (self.point != self.comma)
        if convention is Convention.DECIMAL_COMMA:
            values = np.where(two, self.comma, values)
        elif convention is None:
            values = np.where(two, np.nan, values)
        ambiguous = two if convention is None else np.zeros(len(two), dtype=bool)
        return values, ambiguous


def read_texts(texts: ObjectArray, *, currency: bool = False) -> Readings:
    """Read distinct texts under both conventions.

    Plain numbers (``12``, ``-3``, ``1.5``, ``1e3``) are converted by pandas in one call; only
    the rest (``1.234,50``, ``€ 1.234``, typos) go through a parser, one text at a time.

    Args:
        texts: distinct cell texts (``str``).
        currency: a ``€`` or ``EUR`` before or after the number is allowed (amounts).
    """
    series = pd.Series(texts, dtype=object).str.strip()
    stripped: list[str] = series.tolist()
    empty = (series == "").to_numpy(dtype=bool)
    plain = pd.to_numeric(series.where(~empty), errors="coerce").to_numpy(dtype=np.float64)
    point = plain.copy()
    comma = plain.copy()
    # Plain numbers with a point: 1.5 has no other reading, but 1.234 may be 1234.
    finite = np.flatnonzero(np.isfinite(plain))
    candidates = series.iloc[finite]
    dotted = candidates.str.contains(".", regex=False).to_numpy(dtype=bool)
    comma[finite[dotted]] = np.nan
    two_way = candidates[dotted].str.fullmatch(AMBIGUOUS.pattern).to_numpy(dtype=bool)
    for position in finite[dotted][two_way]:
        comma[position] = parse(stripped[position])[1]
    for position in np.flatnonzero(~np.isfinite(plain) & ~empty):
        point[position], comma[position] = parse(stripped[position], currency=currency)
    return Readings(point=point, comma=comma, empty=empty)


def parse(text: str, *, currency: bool = False) -> tuple[float, float]:
    """The number ``text`` is under the decimal point and the decimal comma convention.

    NaN for a convention under which it is not a number.

    >>> parse("1.234,50")
    (nan, 1234.5)
    >>> parse("1.234")
    (1.234, 1234.0)
    >>> parse("€ 1 234", currency=True)
    (1234.0, 1234.0)
    """
    body, negative = _unsigned(text.strip(), currency=currency)
    if not body or not set(body) <= NUMBER_CHARACTERS:
        return np.nan, np.nan
    sign = -1.0 if negative else 1.0
    return sign * _grouped(body, ".", ","), sign * _grouped(body, ",", ".")


def _unsigned(text: str, *, currency: bool) -> tuple[str, bool]:
    """The text without a sign (and a currency), and whether it was negative."""
    if currency:
        text = CURRENCY.sub("", text, count=1)
    negative = False
    if text[:1] and text[0] in SIGNS:
        negative = text[0] != "+"
        text = text[1:]
        if currency:
            text = CURRENCY.sub("", text, count=1)
    return text, negative


def _grouped(body: str, decimal: str, thousands: str) -> float:
    """``body`` (no sign) as a number with ``decimal`` as decimal sign; NaN if it is none.

    Left of the decimal sign: digits, or groups of three digits after a first group of one
    to three (not starting with 0), all separated by one kind of separator: ``thousands``,
    spaces, or apostrophes.
    """
    whole, has_decimals, decimals = body.partition(decimal)
    if decimal in decimals or (has_decimals and not (whole or decimals)):
        return np.nan
    if decimals and not DIGITS.fullmatch(decimals):
        return np.nan
    if whole and not DIGITS.fullmatch(whole):
        separators = set(whole) - set("0123456789")
        kinds = [kind for kind in ({thousands}, SPACE_GROUPS, APOSTROPHES) if separators <= kind]
        if not kinds or not _three_digit_groups(whole, separators):
            return np.nan
        whole = "".join(c for c in whole if c.isascii() and c.isdigit())
    return float(f"{whole or 0}.{decimals or 0}")


def _three_digit_groups(whole: str, separators: set[str]) -> bool:
    groups = re.split("|".join(re.escape(s) for s in sorted(separators)), whole)
    first, rest = groups[0], groups[1:]
    return (
        1 <= len(first) <= 3
        and first[0] != "0"
        and all(len(group) == 3 for group in rest)
        and all(DIGITS.fullmatch(group) for group in groups)
    )


def settle(evidence: Evidence) -> Convention | None:
    """The convention ``evidence`` shows; ``None`` when it shows none, or both."""
    return next(iter(evidence)) if len(evidence) == 1 else None


def column_convention(column: Evidence, file: Evidence) -> Convention | None:
    """The convention a column is read by: its own, or else the file's.

    A column whose own values disagree is read by neither: its two-way texts stay ambiguous.
    """
    if column:
        return settle(column)
    return settle(file)


def ambiguity(text: str, *, currency: bool = False) -> str:
    """Why ``text`` (a two-way text) is not read: the message of its cell, in the current
    language (both readings are written as the text writes them).

    >>> ambiguity("1.234")
    "unclear: 1234 with '.' separating thousands, or 1.234 with a decimal point"
    """
    point, comma = parse(text, currency=currency)
    match = AMBIGUOUS.search(text)
    separator = match.group(1) if match else "."
    thousands, decimals = (comma, point) if separator == "." else (point, comma)
    return _(
        UNCLEAR[separator],
        thousands=f"{thousands:.0f}",
        decimals=f"{decimals:.3f}".replace(".", separator),
    )
