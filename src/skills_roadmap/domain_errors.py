"""Why a domain model refused a value, in the reader's language.

The models (``skills_roadmap.domain``) speak no language: their own rules raise a
``DomainRuleError`` holding an English message id and its values, and pydantic's checks
(a number too small, a text too short, not a web address) name an error ``type``. They are
translated here, where they are shown (a network workbook's row, an account refused), so a
model validated in one language may be shown in another, and the English ``str()`` of an error
stays fit for logs and for the rules that place a row's error in a column by its words.
pydantic's own English sentence is shown only for a check not listed here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic_core import ErrorDetails

from skills_roadmap.domain import DomainRuleError
from skills_roadmap.i18n import ngettext
from skills_roadmap.i18n.formats import Message
from skills_roadmap.i18n.words import N_, _

__all__ = ["reason", "refusal"]

NOT_A_WHOLE_NUMBER = N_("not a whole number")
NOT_A_NUMBER = N_("not a number")
NOT_A_DATE = N_("not a date")
NOT_AN_ALLOWED_VALUE = N_("not one of the allowed values")
NOT_A_WEB_ADDRESS = N_("not a web address: write it as https://example.org")
REQUIRED = N_("a value is required here")
NOT_WRITTEN_AS_EXPECTED = N_("not written as expected")
NOT_YES_OR_NO = N_("not yes or no")
MORE_THAN = N_("must be more than {limit}")
AT_LEAST = N_("must be {limit} or more")
LESS_THAN = N_("must be less than {limit}")
AT_MOST = N_("must be {limit} or less")

# pydantic's error types, by what they say in our words; the value is a message id.
PLAIN: Mapping[str, str] = {
    "missing": REQUIRED,
    "int_parsing": NOT_A_WHOLE_NUMBER,
    "int_type": NOT_A_WHOLE_NUMBER,
    "int_from_float": NOT_A_WHOLE_NUMBER,
    "float_parsing": NOT_A_NUMBER,
    "float_type": NOT_A_NUMBER,
    "finite_number": NOT_A_NUMBER,
    "date_parsing": NOT_A_DATE,
    "date_type": NOT_A_DATE,
    "date_from_datetime_parsing": NOT_A_DATE,
    "date_from_datetime_inexact": NOT_A_DATE,
    "enum": NOT_AN_ALLOWED_VALUE,
    "literal_error": NOT_AN_ALLOWED_VALUE,
    "url_parsing": NOT_A_WEB_ADDRESS,
    "url_scheme": NOT_A_WEB_ADDRESS,
    "url_type": NOT_A_WEB_ADDRESS,
    "url_syntax_violation": NOT_A_WEB_ADDRESS,
    "string_pattern_mismatch": NOT_WRITTEN_AS_EXPECTED,
    "bool_parsing": NOT_YES_OR_NO,
    "bool_type": NOT_YES_OR_NO,
}
# Bounds on a number: the message and the bound's name in pydantic's context.
BOUNDS: Mapping[str, tuple[str, str]] = {
    "greater_than": (MORE_THAN, "gt"),
    "greater_than_equal": (AT_LEAST, "ge"),
    "less_than": (LESS_THAN, "lt"),
    "less_than_equal": (AT_MOST, "le"),
}


def _plain(limit: Any) -> Any:
    """A bound as the sheet writes it: ``90``, not ``90.0``; never grouped (a year)."""
    return int(limit) if isinstance(limit, float) and limit.is_integer() else limit


def _too_short(problem: ErrorDetails) -> str:
    count = int((problem.get("ctx") or {}).get("min_length", 0))
    message = ngettext("at least {count:,} character", "at least {count:,} characters", count)
    return Message(message).format(count=count)


def _too_long(problem: ErrorDetails) -> str:
    count = int((problem.get("ctx") or {}).get("max_length", 0))
    message = ngettext("at most {count:,} character", "at most {count:,} characters", count)
    return Message(message).format(count=count)


# Lengths of a text: a message per count (``ngettext`` written out, so Babel finds the pair).
LENGTHS: Mapping[str, Callable[[ErrorDetails], str]] = {
    "string_too_short": _too_short,
    "string_too_long": _too_long,
}


def refusal(error: ValueError) -> str:
    """A ``ValueError`` of the domain (``parse_period``, ``check_email``) in the current
    language; another ``ValueError`` as it is written."""
    if isinstance(error, DomainRuleError):
        return _(error.message, **error.values) if error.values else _(error.message)
    return str(error)


def reason(problem: ErrorDetails) -> str:
    """Why pydantic refused a field or a model (one of ``ValidationError.errors()``), in the
    current language: the domain's own rule, else our words for pydantic's check, else, for a
    check not listed, pydantic's English without its "Value error, " prefix."""
    kind = problem["type"]
    context = problem.get("ctx") or {}
    if kind == "value_error" and isinstance(context.get("error"), ValueError):
        return refusal(context["error"])
    if kind in PLAIN:
        return _(PLAIN[kind])
    if kind in BOUNDS and BOUNDS[kind][1] in context:
        message, bound = BOUNDS[kind]
        return _(message, limit=_plain(context[bound]))
    if kind in LENGTHS:
        return LENGTHS[kind](problem)
    return problem["msg"].removeprefix("Value error, ")
