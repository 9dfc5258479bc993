"""Numbers, percentages, money and months in the current language's conventions (Babel/CLDR).

``1,234.5`` in English is ``1.234,5`` in Spanish and ``1 234,5`` in Swedish; ``62%`` is
``62 %`` in French; June 2026 is "junio de 2026". Messages keep Python's format specs
(``{count:,}``, ``{share:.0%}``): :class:`Message` reads them in the current language, so a
message is written once and every language formats it its own way.
"""

from __future__ import annotations

import copy
import datetime
import re
import string
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_skeleton
from babel.lists import format_list
from babel.numbers import NumberPattern, format_compact_currency, format_currency

from skills_roadmap.i18n.languages import DEFAULT_LANGUAGE, PSEUDO_LANGUAGE, current_language
from skills_roadmap.i18n.pseudo import pseudo

CURRENCY = "EUR"
SPEC = re.compile(r"^(?P<sign>[+\- ]?)(?P<group>,?)(?:\.(?P<digits>\d+))?(?P<kind>[dfn%]?)$")
"""The number specs messages use: optional sign, grouping, decimals, and d/f/% (a width or
fill is not used in messages, and falls back to Python's own formatting)."""


def locale() -> Locale:
    """The Babel locale of the current language; the pseudo-language formats as English."""
    return _locale(current_language())


ENGLISH_LOCALE = "en_IE"
"""English as written in the EU (the network's own): ``1,234.5``, ``€1,234.50``, "June 2026"
as in plain ``en``, and lists without the American serial comma ("a, b and c")."""


@cache
def _locale(language: str) -> Locale:
    english = language in (DEFAULT_LANGUAGE, PSEUDO_LANGUAGE)
    return Locale.parse(ENGLISH_LOCALE if english else language)


@cache
def _pattern(language: str, kind: str, digits: int) -> NumberPattern:
    """The current language's own pattern of ``kind`` (decimal, percent, currency), with
    exactly ``digits`` decimals."""
    here = _locale(language)
    formats = {
        "decimal": here.decimal_formats,
        "percent": here.percent_formats,
        "currency": here.currency_formats,
    }[kind]
    pattern = copy.copy(formats[None] if None in formats else formats["standard"])
    pattern.frac_prec = (digits, digits)
    return pattern


def number(value: float, digits: int = 0, *, grouping: bool = True, sign: bool = False) -> str:
    """``value`` with ``digits`` decimals, e.g. ``1,234.5`` (en), ``1.234,5`` (es)."""
    return _number(current_language(), value, digits, grouping, sign)


@lru_cache(maxsize=16_384)
def _number(language: str, value: float, digits: int, grouping: bool, sign: bool) -> str:
    """Kept per language and value: a table view writes the same counts in many cells, and
    Babel takes twenty times longer than ``format`` over one."""
    text = _pattern(language, "decimal", digits).apply(
        abs(value) if sign else value, _locale(language), group_separator=grouping
    )
    if sign:
        return f"{'-' if value < 0 else '+'}{text}" if value else text
    return text


def percent(share: float, digits: int = 0) -> str:
    """A share as a percentage, e.g. ``0.62`` → ``62%`` (en), ``62 %`` (fr)."""
    return _percent(current_language(), share, digits)


@lru_cache(maxsize=16_384)
def _percent(language: str, share: float, digits: int) -> str:
    return _pattern(language, "percent", digits).apply(share, _locale(language))


def money(amount: float, *, short: bool = False, cents: bool = True) -> str:
    """An amount in euros: ``€1,234.50`` (en), ``1.234,50 €`` (es); ``short`` drops the
    cents and abbreviates millions (``€12.3M``, ``12,3 Mio. €``); ``cents`` false drops the
    cents alone, for sentences that give an amount in full (``1.234.000 €``)."""
    if short and abs(amount) >= 1e6:
        return format_compact_currency(amount, CURRENCY, locale=locale(), fraction_digits=1)
    if short or not cents:
        return _pattern(current_language(), "currency", 0).apply(
            round(amount), locale(), currency=CURRENCY, currency_digits=False
        )
    return format_currency(amount, CURRENCY, locale=locale())


def month(period: str, *, short: bool = False) -> str:
    """A ``YYYY-MM`` month in words: ``June 2026`` (en), ``junio de 2026`` (es)."""
    return _month(current_language(), period, short)


@lru_cache(maxsize=4_096)
def _month(language: str, period: str, short: bool) -> str:
    """Kept per language and month: tables name the same few dozen months in every row."""
    year, month_number = (int(part) for part in period.split("-"))
    words = format_skeleton(
        "yMMM" if short else "yMMMM", datetime.date(year, month_number, 1), locale=_locale(language)
    )
    return pseudo(words) if language == PSEUDO_LANGUAGE else words


def listing(names: Sequence[str]) -> str:
    """Names listed by the language's own pattern: ``ES24, RO11 and SE11`` (en),
    ``ES24, RO11 y SE11`` (es), ``ES24, RO11 und SE11`` (de); in the pseudo-language the
    pattern's words are marked too (``ES24, RO11, ⟦ånd⟧ SE11``), as every word a language
    supplies."""
    if current_language() != PSEUDO_LANGUAGE:
        return format_list(list(names), locale=locale())
    slots = [f"\x00{index}\x00" for index in range(len(names))]
    pattern = re.split(r"(\x00\d+\x00)", format_list(slots, locale=locale()))
    return "".join(
        names[int(part.strip("\x00"))] if part in slots else _pseudo_words(part) for part in pattern
    )


def _pseudo_words(text: str) -> str:
    return re.sub(r"[^\W\d_]+", lambda word: pseudo(word.group()), text)


class LocaleFormatter(string.Formatter):
    """``str.format`` whose number specs follow the current language (see :data:`SPEC`)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        match = SPEC.match(format_spec) if format_spec else None
        if match is None or isinstance(value, bool) or not isinstance(value, int | float):
            return super().format_field(value, format_spec)
        digits = int(match["digits"]) if match["digits"] else 0
        if match["kind"] == "%":
            return percent(value, digits)
        return number(value, digits, grouping=bool(match["group"]), sign=match["sign"] == "+")


FORMATTER = LocaleFormatter()


class Message(str):
    """A translated message whose :meth:`format` formats numbers in the current language."""

    __slots__ = ()

    def format(self, *args: Any, **kwargs: Any) -> str:  # noqa: A003 - str's own method
        return FORMATTER.vformat(self, args, kwargs)
