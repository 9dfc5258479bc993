"""Programmes and Targets sheets of the network workbook, upserted by id.

After the vectorised cell rules each row is also checked by its domain model (``Programme``,
``Target``, see ``ingest.row_rules``). A programme runs in a region its cluster works in; a
changed target needs a reason and is kept as target revisions.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from skills_roadmap.domain import Programme, Target
from skills_roadmap.fields import PROGRAMME_FIELDS, TARGET_FIELDS, dtypes
from skills_roadmap.i18n.words import N_, _
from skills_roadmap.ingest.context import CheckContext, Checked, SheetHandler, StoreContext
from skills_roadmap.ingest.diff import diff_rows
from skills_roadmap.ingest.known import cluster_regions, known_clusters, known_regions
from skills_roadmap.ingest.problems import IntArray, ProblemLog
from skills_roadmap.ingest.readers import ParsedSheet
from skills_roadmap.ingest.row_rules import domain_rules, duplicate_ids, named, references
from skills_roadmap.ingest.validate import convert_sheet, typed_frame
from skills_roadmap.storage.admin_tables import (
    insert_target_revisions,
    replace_milestones,
    stored_milestones,
    stored_rows,
    upsert_by_id,
)

PROGRAMME_DTYPES = dtypes(PROGRAMME_FIELDS)
# A target's stored fields: its Reason is kept with its revisions, not with the target.
TARGET_DTYPES = dtypes(field for field in TARGET_FIELDS if field.key != "reason")
MILESTONE = re.compile(r"^\s*(\d{4})\s*:\s*(\d+)\s*$")
MILESTONES_EXPECTED = N_("year: value pairs separated by ';', e.g. 2025: 1000; 2026: 2500")
REASON_REQUIRED = N_("the target changes, so a reason is required")
REASON_ROWS_NAMED = 20  # rows named in the one message for a missing Reason column


def check_programmes(
    session: Session, sheet: ParsedSheet, log: ProblemLog, context: CheckContext
) -> Checked:
    """Validate a Programmes sheet and diff it against the stored programmes, by id.

    A programme's cluster and region are stored or defined by the workbook's earlier sheets,
    and the region is one the cluster works in (its home region or another).
    """
    frame = typed_frame(convert_sheet(sheet, log), PROGRAMME_DTYPES, sheet)
    works_in = cluster_regions(session, context)
    references(log, frame, "cluster_id", known_clusters(session, context), "cluster")
    references(log, frame, "region_code", known_regions(session, context), "region")
    _where_the_cluster_works(log, frame, works_in)
    duplicate_ids(log, frame)
    domain_rules(log, frame, Programme, lambda record: record)
    clean = frame[~log.rows_left_out]
    stored = stored_rows(session, "programmes", PROGRAMME_DTYPES)
    fields = [key for key in PROGRAMME_DTYPES if key in sheet.cells and key != "id"]
    return Checked(clean=clean, diff=diff_rows(clean, stored, key=("id",), fields=fields))


def _where_the_cluster_works(
    log: ProblemLog, frame: pd.DataFrame, works_in: dict[str, tuple[str, ...]]
) -> None:
    """An error on each programme in a region its (known) cluster does not work in."""
    regions = [
        works_in.get(cluster_id) if cluster_id is not None else None
        for cluster_id in frame["cluster_id"]
    ]
    outside = np.array(
        [
            places is not None and code is not None and code not in places
            for places, code in zip(regions, frame["region_code"], strict=True)
        ],
        dtype=bool,
    )

    def message(positions: IntArray) -> list[str]:
        return [
            _(
                "cluster {cluster} does not work in this region; it works in {regions}",
                cluster=frame["cluster_id"].iat[p],
                regions=", ".join(regions[p] or ()),
            )
            for p in positions
        ]

    log.cell(
        "region_code",
        outside,
        message,
        expected=_("its cluster's home region or one it also works in (the Clusters sheet)"),
        rule=_("a region the cluster does not work in"),
    )


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
        log.cell(
            "milestones",
            malformed,
            _("not a list of milestones"),
            expected=_(MILESTONES_EXPECTED),
        )
    frame["milestones"] = pd.Series(
        [milestones_text(p) if p is not None else None for p in parsed],
        index=frame.index,
        dtype=object,
    )
    # The domain's defaults for the optional columns.
    frame["baseline_value"] = frame["baseline_value"].fillna(0)
    frame["metric"] = frame["metric"].fillna("completed")
    scope = frame["scope"]
    regions, clusters = known_regions(session, context), known_clusters(session, context)
    references(log, frame, "scope_id", regions, "region", scope == "region")
    references(log, frame, "scope_id", clusters, "cluster", scope == "cluster")
    duplicate_ids(log, frame)
    domain_rules(log, frame.drop(columns="reason"), Target, _target_fields)
    clean = frame[~log.rows_left_out]
    stored = stored_targets(session)
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
    message = _(REASON_REQUIRED)
    if "reason" not in sheet.cells:
        log.header(
            "Reason",
            -1,
            _(
                "the target changes, so a reason is required: add a Reason column (rows {rows})",
                rows=named(list(sheet.rows[positions]), REASON_ROWS_NAMED),
            ),
            _("a Reason column saying why each changed target changes"),
            rule=message,
        )
        for key in log.flagged:  # the rows cannot be stored without their reason
            log.flagged[key][positions] = True
        return
    mask = np.zeros(len(sheet), dtype=bool)
    mask[positions] = True
    log.cell("reason", mask, message, expected=_("why the target changes, in a few words"))


def stored_targets(session: Session) -> pd.DataFrame:
    """Every stored target as a Targets sheet's checked rows are typed, milestones as text."""
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
