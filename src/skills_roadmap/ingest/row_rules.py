"""Rules on the rows of the administrators' sheets: references, repeated IDs, the domain models.

The network's sheets are small (hundreds of rows), so after the vectorised cell rules each row
is also checked by its domain model (``Region``, ``Cluster``, ``Programme``, ``Target``,
``Facility``): the domain's invariants are stated once, there. What a model refuses is
translated here, as it is logged (``domain_errors.reason``): the models speak no language.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ValidationError

from skills_roadmap.domain_errors import reason
from skills_roadmap.i18n.words import N_, _
from skills_roadmap.ingest.cells import plain
from skills_roadmap.ingest.problems import IntArray, ProblemLog

# What a row of each domain model is called when the model refuses it (a rule's name), by
# the model's name in lower case: whole messages, so a language agrees its words with the noun.
NOT_VALID = {
    "region": N_("not a valid region"),
    "cluster": N_("not a valid cluster"),
    "programme": N_("not a valid programme"),
    "target": N_("not a valid target"),
    "facility": N_("not a valid facility"),
}
# What a reference to an unknown ``what`` is told, and what it should hold (``references``).
UNKNOWN = {
    "region": (N_("no region has this ID"), N_("the ID of an existing region")),
    "cluster": (N_("no cluster has this ID"), N_("the ID of an existing cluster")),
}

# Which column a whole-row domain error is shown in, by a word of its message.
MODEL_ERROR_COLUMNS = (
    ("milestone", "milestones"),
    ("deadline", "deadline_year"),
    ("baseline", "baseline_value"),
    ("scope", "scope_id"),
    ("target needs", "scope_id"),
    ("ends (", "end"),
    ("its country is", "country"),
    ("opening date", "actual_open"),
    ("actually opened", "actual_open"),
)


def domain_rules(
    log: ProblemLog,
    frame: pd.DataFrame,
    model: type[BaseModel],
    prepare: Callable[[dict[str, Any]], dict[str, Any]],
    *,
    fallback: str = "id",
) -> None:
    """Check each row without errors against the domain model; log what it refuses.

    The refusals are gathered per column and logged once each, so a sheet of many bad
    rows costs one pass, not one pass per row. An error of the whole row is shown in the
    column its English message names (``MODEL_ERROR_COLUMNS``), else in ``fallback``; the
    message shown is in the current language.
    """
    candidates = np.flatnonzero(~log.rows_left_out)
    keys = [key for key in frame.columns if key in log.flagged]
    refused: dict[str, dict[int, str]] = {}  # column -> position -> its first message
    columns = {key: frame[key].to_numpy(dtype=object) for key in frame.columns if key != "row"}
    for position in candidates:
        record = {key: plain(values[position]) for key, values in columns.items()}
        try:
            model(**prepare(record))
        except ValidationError as error:
            for problem in error.errors():
                field = str(problem["loc"][0]) if problem["loc"] else ""
                key = (
                    field if field in keys else _model_error_column(problem["msg"], keys, fallback)
                )
                message = reason(problem)
                refused.setdefault(key, {}).setdefault(int(position), message)
    for key, messages in refused.items():
        mask = np.zeros(len(frame), dtype=bool)
        mask[list(messages)] = True
        log.cell(
            key,
            mask,
            by_position(messages),
            rule=_(NOT_VALID[model.__name__.lower()]),
        )


def by_position(messages: dict[int, str]) -> Callable[[IntArray], list[str]]:
    """A ``ProblemLog.cell`` message function for messages kept per row position."""
    return lambda positions: [messages[int(p)] for p in positions]


def _model_error_column(message: str, keys: list[str], fallback: str) -> str:
    for word, key in MODEL_ERROR_COLUMNS:
        if word in message and key in keys:
            return key
    return fallback


def references(
    log: ProblemLog,
    frame: pd.DataFrame,
    key: str,
    known: Collection[str],
    what: str,
    where: pd.Series | None = None,
) -> None:
    """An error on each cell of ``key`` naming no known ``what`` (``"region"`` or
    ``"cluster"``: stored, or defined by an earlier sheet of the same workbook)."""
    values = frame[key]
    mask = values.notna() & ~values.isin(list(known))
    if where is not None:
        mask &= where
    message, expected = UNKNOWN[what]
    log.cell(key, mask.to_numpy(dtype=bool), _(message), expected=_(expected))


def duplicate_ids(log: ProblemLog, frame: pd.DataFrame, key: str = "id") -> None:
    """An error on each repeated ID after its first row."""
    ids = frame[key]
    repeated = ids.notna() & ids.duplicated(keep="first")
    log.cell(
        key,
        repeated.to_numpy(dtype=bool),
        _("this ID already appears in an earlier row"),
        expected=_("each ID once"),
    )


def named(values: Sequence[object], limit: int) -> str:
    """The first ``limit`` of ``values`` (rows, IDs), comma-separated, then how many more, in
    the current language: ``"3, 5 and 2 more"``."""
    listed = ", ".join(str(value) for value in values[:limit])
    if len(values) <= limit:
        return listed
    return _("{names} and {count:,} more", names=listed, count=len(values) - limit)


def split_list(text: str | None) -> list[str]:
    """The values of a list cell (``"a; b"``, ``"a, b"``), stripped, each once, in order."""
    if text is None:
        return []
    parts = (part.strip() for part in text.replace(",", ";").split(";"))
    return list(dict.fromkeys(part for part in parts if part))


def log_messages(
    log: ProblemLog, key: str, messages: dict[int, str], *, rule: str, expected: str | None = None
) -> None:
    """An error in column ``key`` on each row of ``messages``, with its own message."""
    mask = np.zeros(len(log.sheet), dtype=bool)
    mask[list(messages)] = True
    log.cell(key, mask, by_position(messages), rule=rule, expected=expected)
