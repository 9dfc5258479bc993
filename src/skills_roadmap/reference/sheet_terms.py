"""The words of the sheets in every language of the network: sheet names, headers, values.

Each term is declared once, in ``sheet_terms.csv`` beside this module: its kind (``sheet``,
``header``, ``value`` or ``word``), its English spelling as the catalogue
(:mod:`skills_roadmap.fields`) and the sheet contracts write it, and its word in each of the
``LANGUAGES``. A cell may give other accepted spellings after the first, separated by ``|``
(``en línea|online``); the first is the one templates write. ``word`` rows are domain words
of the dashboard that no sheet holds, kept here so that the glossary (``docs/glossary.md``,
:func:`glossary_markdown`) gives every term one translation per language.

Matching folds case, accents and separators (:func:`fold`): ``Período``, ``PERIODO`` and
``periodo`` are one header, and so are ``Περίοδος`` and ``ΠΕΡΙΟΔΟΣ``.

>>> fold("Período  de_referência")
'periodo de referencia'
>>> spelling(TermKind.HEADER, "Enrolled", "es"), spelling(TermKind.VALUE, "basic", "el")
('Inscritos', 'βασικό')
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib.resources import files
from typing import TypeVar

from skills_roadmap.exceptions import SkillsRoadmapError
from skills_roadmap.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES  # the sheets' languages

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "TERMS_FILE",
    "Term",
    "TermCollisionError",
    "TermKind",
    "UnknownLanguageError",
    "checked_language",
    "fold",
    "glossary_markdown",
    "spelling",
    "spellings",
    "term_index",
    "terms",
]

TERMS_FILE = "sheet_terms.csv"
ALTERNATIVE = "|"
SEPARATORS = re.compile(r"[\s\-_]+")
# Apostrophes as keyboards and spreadsheets type them: "l'objectif" and "l’objectif" are one.
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})

Target = TypeVar("Target", bound=Hashable)


class TermKind(StrEnum):
    """Where a term is used: a sheet's name, a column header, a value of a closed list, or a
    word of the dashboard only (glossary)."""

    SHEET = "sheet"
    HEADER = "header"
    VALUE = "value"
    WORD = "word"


class UnknownLanguageError(SkillsRoadmapError):
    """A language was asked for that the sheets are not written in."""


class TermCollisionError(ValueError):
    """Two terms of one sheet (or one list of values) share a spelling in some language: a
    mistake in the table of terms, caught when a contract is declared."""


@dataclass(frozen=True)
class Term:
    """One term: its kind, its English spelling and its spellings per language (the first of
    each is the one written)."""

    kind: TermKind
    english: str
    words: Mapping[str, tuple[str, ...]]


def fold(text: object) -> str:
    """The form headers, sheet names and values are matched on: case folded, accents
    dropped, runs of spaces, hyphens and underscores made one space.

    Casefolding (not lower-casing) makes the Greek final sigma and ``ß`` match too.
    """
    folded = str(text).casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded.translate(APOSTROPHES))
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return SEPARATORS.sub(" ", folded).strip()


@cache
def terms() -> tuple[Term, ...]:
    """Every term of ``sheet_terms.csv``, in file order.

    Raises:
        ValueError: a row lacks a language or repeats a term (the file is broken).
    """
    text = files("skills_roadmap.reference").joinpath(TERMS_FILE).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    if tuple(reader.fieldnames or ()) != ("kind", *LANGUAGES):
        raise ValueError(f"{TERMS_FILE}: the header must be kind, {', '.join(LANGUAGES)}")
    found: list[Term] = []
    seen: set[tuple[TermKind, str]] = set()
    # Line 1 is the header, so data rows start on line 2.
    for line, row in enumerate(reader, start=2):
        words = {
            language: tuple(w.strip() for w in (row[language] or "").split(ALTERNATIVE))
            for language in LANGUAGES
        }
        if any(not word for spelled in words.values() for word in spelled):
            raise ValueError(f"{TERMS_FILE}, line {line}: every language needs a word")
        term = Term(TermKind(row["kind"]), row["en"], words)
        if (term.kind, fold(term.english)) in seen:
            raise ValueError(f"{TERMS_FILE}, line {line}: '{term.english}' is declared twice")
        seen.add((term.kind, fold(term.english)))
        found.append(term)
    return tuple(found)


@cache
def _by_english() -> dict[tuple[TermKind, str], Term]:
    return {(term.kind, fold(term.english)): term for term in terms()}


def _term(kind: TermKind, english: str) -> Term:
    try:
        return _by_english()[(kind, fold(english))]
    except KeyError:
        raise KeyError(f"'{english}' ({kind}) has no row in {TERMS_FILE}") from None


def checked_language(language: str) -> str:
    """``language`` as a code of ``LANGUAGES`` (``ES`` and ``es-ES`` are ``es``).

    Raises:
        UnknownLanguageError: the sheets are not written in it.
    """
    code = language.strip().replace("_", "-").split("-")[0].casefold()
    if code not in LANGUAGES:
        raise UnknownLanguageError(
            f"no sheets in the language '{language}': choose one of {', '.join(LANGUAGES)}"
        )
    return code


def spelling(kind: TermKind, english: str, language: str) -> str:
    """How a sheet in ``language`` writes the term ``english``: a header, a sheet's name or a
    value (a value's ``_`` written as a space in English: ``idea generation``)."""
    if language == DEFAULT_LANGUAGE:
        return english.replace("_", " ") if kind is TermKind.VALUE else english
    return _term(kind, english).words[checked_language(language)][0]


def spellings(kind: TermKind, english: str) -> tuple[str, ...]:
    """Every spelling the import accepts for ``english``, in every language, English first."""
    return _spellings(_term(kind, english))


def _spellings(term: Term) -> tuple[str, ...]:
    words = term.words
    return (
        term.english,
        *dict.fromkeys(word for language in LANGUAGES for word in words[language]),
    )


def term_index(
    kind: TermKind,
    targets: Mapping[str, Target],
    where: str,
    table: Iterable[Term] | None = None,
) -> dict[str, Target]:
    """Each folded spelling, in every language, of the terms ``targets`` names (by English
    spelling) -> its target: the dict a sheet's headers, names or values are looked up in.

    Built once per contract or list of values; the lookup is then one dict access.

    Args:
        kind: the kind of the terms.
        targets: each term's English spelling -> what it stands for (a column, a value).
        where: the sheet or list, for the error message.
        table: the terms to take the spellings from (default: :func:`terms`).

    Raises:
        TermCollisionError: a spelling names two different targets (``where`` says where).
    """
    known = (
        _by_english()
        if table is None
        else {(term.kind, fold(term.english)): term for term in table}
    )
    index: dict[str, Target] = {}
    owner: dict[str, str] = {}
    for english, target in targets.items():
        term = known.get((kind, fold(english)))
        if term is None:
            raise KeyError(f"'{english}' ({kind}) has no row in {TERMS_FILE}")
        for word in _spellings(term):
            key = fold(word)
            if key in index and index[key] != target:
                raise TermCollisionError(
                    f"{where}: '{word}' means both '{owner[key]}' and '{english}'; give one of "
                    f"them another word in {TERMS_FILE}"
                )
            index[key] = target
            owner[key] = english
    return index


def glossary_markdown() -> str:
    """``docs/glossary.md``: one table per kind of term, one row per term, one column per
    language (the first spelling of each)."""
    sections = {
        TermKind.WORD: "Domain words",
        TermKind.VALUE: "Values of the sheets' lists",
        TermKind.HEADER: "Column headers",
        TermKind.SHEET: "Sheet names",
    }
    header = "| " + " | ".join(f"{LANGUAGES[code]} ({code})" for code in LANGUAGES) + " |"
    rule = "|" + "---|" * len(LANGUAGES)
    parts = []
    for kind, title in sections.items():
        rows = (
            "| " + " | ".join(spelling(kind, term.english, code) for code in LANGUAGES) + " |"
            for term in _sorted(term for term in terms() if term.kind is kind)
        )
        parts.append("\n".join((f"## {title}", "", header, rule, *rows)))
    return "\n\n".join(parts) + "\n"


def _sorted(chosen: Iterable[Term]) -> list[Term]:
    return sorted(chosen, key=lambda term: fold(term.english))
