"""The selection kept in the address bar: :class:`Filters` to a query string and back.

Any view is a link: ``/region/ES24?level=basic&as_of=2026-06`` reopens exactly that view.
A value that is malformed or unknown is left out with a message that says so, never a
traceback; so are values beyond :data:`MAX_VALUES` per filter and values longer than
:data:`MAX_VALUE_LENGTH` characters (an address is anyone's to write: it must not make a
page check, or a message repeat, thousands of values).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

from pydantic import ValidationError

from dashboard import strings
from skills_roadmap.analysis import Filters

# Filters field -> query-string key (short, and the same words a person would type).
QUERY_KEYS: dict[str, str] = {
    "regions": "region",
    "clusters": "cluster",
    "levels": "level",
    "funding_sources": "funding",
    "delivery_modes": "delivery",
    "provider_helices": "helix",
    "as_of": "as_of",
}
MULTIPLE = frozenset(QUERY_KEYS) - {"as_of"}
MAX_VALUES = 100  # per filter: more than a person picks in a dropdown
MAX_VALUE_LENGTH = 200  # characters: longer than any code, identifier or funding source name
SHOWN_START = 20  # characters of a too-long value quoted in its message

Query = Mapping[str, str | Sequence[str]]


@dataclass(frozen=True)
class ParsedQuery:
    """The filters read from a query string, and what was left out of it and why."""

    filters: Filters
    problems: tuple[str, ...] = ()


def _values(raw: str | Sequence[str] | None) -> list[str]:
    """A query value as a list: repeated keys give several, blanks give none."""
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    return [item.strip() for item in items if item and item.strip()]


def _valid(field: str, value: str) -> bool:
    """Whether ``value`` passes the :class:`Filters` model's own rule for ``field``."""
    try:
        Filters.model_validate({field: (value,) if field in MULTIPLE else value})
    except ValidationError:
        return False
    return True


def parse_query(query: Query, known: Mapping[str, Collection[str]] | None = None) -> ParsedQuery:
    """The :class:`Filters` a parsed query string asks for.

    Args:
        query: query keys (see :data:`QUERY_KEYS`) to one value or a list of values, as Dash
            hands them to a page's ``layout``; other keys are ignored.
        known: per Filters field, the values that exist in the database; a value outside it
            is left out with a message. Fields not named here are checked for form only.
    """
    chosen: dict[str, Any] = {}
    problems: list[str] = []
    for field, key in QUERY_KEYS.items():
        label = strings.FILTER_LABELS[field].lower()
        kept = []
        values = list(dict.fromkeys(_values(query.get(key))))
        if len(values) > MAX_VALUES:
            problems.append(
                strings.FILTER_TOO_MANY.format(
                    count=len(values) - MAX_VALUES, label=label, limit=MAX_VALUES
                )
            )
        for value in values[:MAX_VALUES]:
            if len(value) > MAX_VALUE_LENGTH:
                problems.append(
                    strings.FILTER_TOO_LONG.format(
                        label=label,
                        length=len(value),
                        start=value[:SHOWN_START],
                        limit=MAX_VALUE_LENGTH,
                    )
                )
            elif not _valid(field, value):
                problems.append(strings.FILTER_MALFORMED.format(value=value, label=label))
            elif known is not None and field in known and value not in known[field]:
                problems.append(strings.FILTER_UNKNOWN.format(value=value, label=label))
            else:
                kept.append(value)
        if kept:
            chosen[field] = tuple(kept) if field in MULTIPLE else kept[-1]
    return ParsedQuery(Filters.model_validate(chosen), tuple(problems))


def parse_search(
    search: str | None, known: Mapping[str, Collection[str]] | None = None
) -> ParsedQuery:
    """:func:`parse_query` of a browser's ``location.search`` (``"?level=basic"``)."""
    query = parse_qs((search or "").removeprefix("?"), keep_blank_values=False)
    return parse_query(query, known)


def to_search(filters: Filters, omit: Collection[str] = ()) -> str:
    """The query string (with its ``?``, or empty) that reopens ``filters``.

    Args:
        filters: the selection.
        omit: Filters fields the page's path already fixes (``regions`` on a region page).
    """
    pairs: list[tuple[str, str]] = []
    for field, key in QUERY_KEYS.items():
        if field in omit:
            continue
        value = getattr(filters, field)
        values = value if field in MULTIPLE else ([] if value is None else [value])
        pairs.extend((key, str(item)) for item in values)
    return f"?{urlencode(pairs)}" if pairs else ""


def merge(filters: Filters, fixed: Mapping[str, Any]) -> Filters:
    """``filters`` with the fields a page's path fixes (e.g. ``{"regions": ["ES24"]}``)."""
    pinned = Filters.model_validate(dict(fixed))
    return filters.model_copy(update={field: getattr(pinned, field) for field in fixed})
