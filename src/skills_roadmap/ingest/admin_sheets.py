"""Programmes and Targets sheets: the administrators' uploads, upserted by id.

They are small (hundreds of rows), so after the vectorised cell rules each row is also
checked by the domain model (``Programme``, ``Target``): the domain's invariants are stated
once, there. A changed target needs a reason and is kept as target revisions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from skills_roadmap.domain import Programme, Target
from skills_roadmap.fields import PROGRAMME_FIELDS, TARGET_FIELDS, dtypes
from skills_roadmap.ingest.cells import plain
from skills_roadmap.ingest.context import CheckContext, Checked, SheetHandler, StoreContext
from skills_roadmap.ingest.diff import diff_rows
from skills_roadmap.ingest.problems import IntArray, ProblemLog
from skills_roadmap.ingest.readers import ParsedSheet
from skills_roadmap.ingest.validate import convert_sheet, typed_frame
from skills_roadmap.storage.admin_tables import (
    cluster_ids,
    insert_target_revisions,
    region_codes,
    replace_milestones,
    stored_milestones,
    stored_rows,
    upsert_by_id,
)

PROGRAMME_DTYPES = dtypes(PROGRAMME_FIELDS)
# A target's stored fields: its Reason is kept with its revisions, not with the target.
TARGET_DTYPES = dtypes(field for field in TARGET_FIELDS if field.key != "reason")
MILESTONE = re.compile(r"^\s*(\d{4})\s*:\s*(\d+)\s*$")
MILESTONES_EXPECTED = "year: value pairs separated by ';', e.g. 2025: 1000; 2026: 2500"
REASON_ROWS_NAMED = 20  # rows named in the one message for a missing Reason column
# Which column a whole-row domain error is shown in, by a word of its message.
MODEL_ERROR_COLUMNS = (
    ("milestone", "milestones"),
    ("deadline", "deadline_year"),
    ("baseline", "baseline_value"),
    ("scope", "scope_id"),
    ("target needs", "scope_id"),
    ("ends (", "end"),
)


def _domain_rules(
    log: ProblemLog,
    frame: pd.DataFrame,
    model: type[BaseModel],
    prepare: Callable[[dict[str, Any]], dict[str, Any]],
) -> None:
    """Check each row without errors against the domain model; log what it refuses.

    The refusals are gathered per column and logged once each, so a sheet of many bad
    rows costs one pass, not one pass per row.
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
                key = field if field in keys else _model_error_column(problem["msg"], keys)
                message = problem["msg"].removeprefix("Value error, ")
                refused.setdefault(key, {}).setdefault(int(position), message)
    for key, messages in refused.items():
        mask = np.zeros(len(frame), dtype=bool)
        mask[list(messages)] = True
        log.cell(
            key,
            mask,
            _by_position(messages),
            rule=f"not a valid {model.__name__.lower()}",
        )


def _by_position(messages: dict[int, str]) -> Callable[[IntArray], list[str]]:
    """A ``ProblemLog.cell`` message function for messages kept per row position."""
    return lambda positions: [messages[int(p)] for p in positions]


def _model_error_column(message: str, keys: list[str]) -> str:
    for word, key in MODEL_ERROR_COLUMNS:
        if word in message and key in keys:
            return key
    return "id"


def _references(
    log: ProblemLog,
    frame: pd.DataFrame,
    key: str,
    known: set[str],
    what: str,
    where: pd.Series | None = None,
) -> None:
    values = frame[key]
    mask = values.notna() & ~values.isin(list(known))
    if where is not None:
        mask &= where
    log.cell(
        key,
        mask.to_numpy(dtype=bool),
        f"no {what} has this ID",
        expected=f"the ID of an existing {what}",
    )


def _duplicate_ids(log: ProblemLog, frame: pd.DataFrame) -> None:
    ids = frame["id"]
    repeated = ids.notna() & ids.duplicated(keep="first")
    log.cell(
        "id",
        repeated.to_numpy(dtype=bool),
        "this ID already appears in an earlier row",
        expected="each ID once",
    )


def check_programmes(
    session: Session, sheet: ParsedSheet, log: ProblemLog, context: CheckContext
) -> Checked:
    """Validate a Programmes sheet and diff it against the stored programmes, by id."""
    frame = typed_frame(convert_sheet(sheet, log), PROGRAMME_DTYPES, sheet)
    _references(log, frame, "cluster_id", cluster_ids(session), "cluster")
    _references(log, frame, "region_code", region_codes(session), "region")
    _duplicate_ids(log, frame)
    _domain_rules(log, frame, Programme, lambda record: record)
    clean = frame[~log.rows_left_out]
    stored = stored_rows(session, "programmes", PROGRAMME_DTYPES)
    fields = [key for key in PROGRAMME_DTYPES if key in sheet.cells and key != "id"]
    return Checked(clean=clean, diff=diff_rows(clean, stored, key=("id",), fields=fields))


def store_programmes(session: Session, checked: Checked, context: StoreContext) -> None:
    """Insert new programmes and update changed ones (by id)."""
    diff = checked.diff
    upsert_by_id(
        session,
        "programmes",
        new=diff.new,
        changed=diff.changed,
        columns=list(PROGRAMME_DTYPES),
        fields=diff.fields,
    )


def parse_milestones(text: str | None) -> tuple[tuple[int, int], ...] | None:
    """``"2025: 1000; 2026: 2500"`` as ((2025, 1000), (2026, 2500)); ``None`` if malformed."""
    if text is None:
        return ()
    parts = [part for part in re.split(r"[;\n]", text) if part.strip()]
    matches = [MILESTONE.match(part) for part in parts]
    if not all(matches):
        return None
    return tuple((int(m.group(1)), int(m.group(2))) for m in matches if m)


def milestones_text(milestones: tuple[tuple[int, int], ...]) -> str | None:
    """The canonical spelling stored in diffs and revisions: ``2025: 1000; 2026: 2500``."""
    return "; ".join(f"{year}: {value}" for year, value in milestones) or None


def check_targets(
    session: Session, sheet: ParsedSheet, log: ProblemLog, context: CheckContext
) -> Checked:
    """Validate a Targets sheet and diff it against the stored targets, by id.

    A changed target needs a reason (the Reason column); it becomes a target revision.
    """
    converted = convert_sheet(sheet, log)
    frame = typed_frame(converted, dtypes(TARGET_FIELDS), sheet)
    parsed = [parse_milestones(text) for text in frame["milestones"]]
    malformed = np.array([p is None for p in parsed], dtype=bool)
    if "milestones" in sheet.cells:
        log.cell("milestones", malformed, "not a list of milestones", expected=MILESTONES_EXPECTED)
    frame["milestones"] = pd.Series(
        [milestones_text(p) if p is not None else None for p in parsed],
        index=frame.index,
        dtype=object,
    )
    # The domain's defaults for the optional columns.
    frame["baseline_value"] = frame["baseline_value"].fillna(0)
    frame["metric"] = frame["metric"].fillna("completed")
    scope = frame["scope"]
    _references(log, frame, "scope_id", region_codes(session), "region", scope == "region")
    _references(log, frame, "scope_id", cluster_ids(session), "cluster", scope == "cluster")
    _duplicate_ids(log, frame)
    _domain_rules(log, frame.drop(columns="reason"), Target, _target_fields)
    clean = frame[~log.rows_left_out]
    stored = _stored_targets(session)
    fields = [key for key in TARGET_DTYPES if key in sheet.cells and key != "id"]
    diff = diff_rows(clean, stored, key=("id",), fields=fields)
    missing_reason = clean.index.isin(diff.changed.index) & clean["reason"].isna().to_numpy()
    if missing_reason.any():
        _require_reason(log, sheet, clean.index[missing_reason].to_numpy())
        clean = frame[~log.rows_left_out]
        diff = diff_rows(clean, stored, key=("id",), fields=fields)
    return Checked(clean=clean, diff=diff)


def _target_fields(record: dict[str, Any]) -> dict[str, Any]:
    milestones = parse_milestones(record.pop("milestones")) or ()
    record["milestones"] = [{"year": year, "value": value} for year, value in milestones]
    return record


def _require_reason(log: ProblemLog, sheet: ParsedSheet, positions: np.ndarray) -> None:
    message = "the target changes, so a reason is required"
    if "reason" not in sheet.cells:
        rows = ", ".join(str(sheet.rows[p]) for p in positions[:REASON_ROWS_NAMED])
        if len(positions) > REASON_ROWS_NAMED:
            rows += f" and {len(positions) - REASON_ROWS_NAMED:,} more"
        log.header(
            "Reason",
            -1,
            f"{message}: add a Reason column (rows {rows})",
            "a Reason column saying why each changed target changes",
            rule=message,
        )
        for key in log.flagged:  # the rows cannot be stored without their reason
            log.flagged[key][positions] = True
        return
    mask = np.zeros(len(sheet), dtype=bool)
    mask[positions] = True
    log.cell("reason", mask, message, expected="why the target changes, in a few words")


def _stored_targets(session: Session) -> pd.DataFrame:
    stored = stored_rows(session, "targets", TARGET_DTYPES)
    milestones = stored_milestones(session)
    stored["milestones"] = pd.Series(
        [milestones_text(tuple(milestones.get(i, ()))) for i in stored["id"]], dtype=object
    )
    return stored


def store_targets(session: Session, checked: Checked, context: StoreContext) -> None:
    """Upsert targets and their milestones; each changed field becomes a target revision."""
    diff = checked.diff
    upsert_by_id(
        session,
        "targets",
        new=diff.new,
        changed=diff.changed,
        columns=[key for key in TARGET_DTYPES if key != "milestones"],
        fields=[field for field in diff.fields if field != "milestones"],
    )
    # New targets get their milestones; changed ones only when the sheet has the column.
    rewritten = [diff.new, diff.changed] if "milestones" in diff.fields else [diff.new]
    touched = pd.concat(rewritten)
    if len(touched):
        replace_milestones(
            session,
            touched["id"].tolist(),
            (
                (target_id, year, value)
                for target_id, text in zip(touched["id"], touched["milestones"], strict=True)
                for year, value in parse_milestones(text) or ()
            ),
        )
    insert_target_revisions(
        session,
        diff.changes,
        dict(zip(checked.clean["id"], checked.clean["reason"], strict=True)),
        user=context.user,
        now=context.now,
        upload_id=context.upload_id,
    )


PROGRAMMES_HANDLER = SheetHandler(check=check_programmes, store=store_programmes, admin_only=True)
TARGETS_HANDLER = SheetHandler(check=check_targets, store=store_targets, admin_only=True)
