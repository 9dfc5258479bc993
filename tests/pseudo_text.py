"""What escaped translation in a text read in the pseudo-language (``en-XA``).

A translated message reads "⟦Övérvîéw⟧": marked, its vowels accented. Text outside the marks
escaped translation; so did a word inside them whose vowels are plain, such as an English
message filled into a translated one ("⟦Thé fîlé cöüld nöt bé réåd: this is a PDF⟧"). Data
(names users typed, codes, numbers, months, cell references) is shown as it is, and code in
backticks and web addresses are kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MARKED = re.compile(r"⟦[^⟦⟧]*⟧")  # innermost first: a marked message may hold marked words
OPENED = re.compile(r"⟦[^⟧]*$")  # a marked message broken over two texts (a chart's title)
CLOSED = re.compile(r"^[^⟦]*⟧")
KEPT = re.compile(r"`[^`]*`|https?://\S+")
NUMBERS = re.compile(r"\d[\d.,]*\s?[kKMG]?\b")
CELL = re.compile(r"\b[A-Z]{1,3}[1-9]\d*\b")
WORD = re.compile(r"[^\W\d_]+")
PLAIN_VOWEL = re.compile(r"[AEIOUaeiou]")


def _without(text: str, data: Iterable[str]) -> str:
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    return NUMBERS.sub(" ", CELL.sub(" ", KEPT.sub(" ", text)))


def _marked_parts(text: str) -> tuple[str, list[str]]:
    """``text`` without its marked messages, and those messages' own words (a message
    filled into another is its own part)."""
    parts: list[str] = []

    def keep(match: re.Match[str]) -> str:
        parts.append(match.group().strip("⟦⟧"))
        return " "

    while MARKED.search(text):
        text = MARKED.sub(keep, text)
    return OPENED.sub(keep, CLOSED.sub(keep, text)), parts


def escaped_words(text: str, data: Iterable[str] = ()) -> list[str]:
    """The words of ``text`` that escaped translation: outside the marks any word, inside
    them a word with a plain vowel; ``data`` and numbers taken out first."""
    data = list(data)
    outside, parts = _marked_parts(text)
    inside = [
        word
        for part in parts
        for word in WORD.findall(_without(part, data))
        if PLAIN_VOWEL.search(word)
    ]
    return WORD.findall(_without(outside, data)) + inside
