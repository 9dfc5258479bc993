"""Regions, Clusters and Facilities sheets of the network workbook, upserted by code or id.

A region is a NUTS-2 region of the shipped reference (its name, country and coordinates are
the reference's where left blank) or one of the network's own, which needs them all. A
cluster is based in a home region and may also work in others; a facility opens in a month.
Each sheet may refer to what the sheets before it define (``ingest.known``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy.orm import Session

from skills_roadmap.domain import (
    NUTS_SHAPE,
    Cluster,
    Facility,
    FacilityStatus,
    HelixRole,
    Region,
    parse_period,
)
from skills_roadmap.fields import (
    CLUSTER_FIELDS,
    FACILITY_FIELDS,
    LIST_SEPARATOR,
    REGION_FIELDS,
    dtypes,
)
from skills_roadmap.i18n import ngettext
from skills_roadmap.i18n.formats import Message
from skills_roadmap.i18n.words import N_, _
from skills_roadmap.ingest.cells import choice_index, period_text, texts
from skills_roadmap.ingest.context import CheckContext, Checked, SheetHandler, StoreContext
from skills_roadmap.ingest.contract import SheetKind, normalise_header
from skills_roadmap.ingest.diff import diff_rows
from skills_roadmap.ingest.known import known_clusters, known_regions
from skills_roadmap.ingest.problems import BoolArray, ProblemLog
from skills_roadmap.ingest.readers import ParsedSheet
from skills_roadmap.ingest.row_rules import (
    domain_rules,
    duplicate_ids,
    log_messages,
    named,
    references,
    split_list,
)
from skills_roadmap.ingest.validate import convert_sheet, typed_frame
from skills_roadmap.reference import load_regions
from skills_roadmap.storage.admin_tables import (
    replace_cluster_regions,
    stored_cluster_regions,
    stored_rows,
    upsert_by_id,
)

REGION_DTYPES = dtypes(REGION_FIELDS)
CLUSTER_DTYPES = dtypes(CLUSTER_FIELDS)
FACILITY_DTYPES = dtypes(FACILITY_FIELDS)
# The columns of a region the reference gives when the sheet leaves them blank.
FROM_REFERENCE = ("name", "country", "lat", "lon")
COORDINATE_RANGES = {
    "lat": (N_("not a latitude from -{limit:g} to {limit:g}"), 90.0),
    "lon": (N_("not a longitude from -{limit:g} to {limit:g}"), 180.0),
}
UNKNOWN_NUTS_EXPECTED = N_(
    "a NUTS-2 code of the Reference sheet, or a code of your own that does not look like a "
    "NUTS-2 code (2 to 8 capital letters and digits)"
)
ROWS_NAMED = 20  # rows named in one message about a missing column
PROGRAMMES_NAMED = 5  # programmes named in one message about a cluster's regions
# A cluster's helix roles are stored comma-separated (``industry,academia``).
STORED_SEPARATOR = ","
PLACES = {"id": "object", "cluster_id": "object", "region_code": "object"}
DATES = ("planned_open", "actual_open")


def _require(log: ProblemLog, key: str, mask: BoolArray, message: str, expected: str) -> None:
    """An error on each marked row whose ``key`` cell is blank; when the sheet has no such
    column, one error on the header row naming the rows, which are then not stored.

    ``message`` and ``expected`` are in the current language already."""
    sheet = log.sheet
    if key in sheet.cells:
        log.cell(key, mask, message, expected=expected)
        return
    positions = np.flatnonzero(mask & ~log.blank_rows)
    if not len(positions):
        return
    header = sheet.contract.column(key).header  # not in the sheet: named as in English
    log.header(
        header,
        -1,
        _(
            "{message}: add a {header} column (rows {rows})",
            message=message,
            header=header,
            rows=named(list(sheet.rows[positions]), ROWS_NAMED),
        ),
        expected,
    )
    first = next(iter(log.flagged))
    log.flagged[first][positions] = True


def _written(sheet: ParsedSheet, key: str) -> str | None:
    """Column ``key``'s header as the sheet writes it; ``None`` when the sheet lacks it."""
    header = sheet.headers.get(key)
    return None if header is None else header.text


# --- Regions ---------------------------------------------------------------------------------


def check_regions(
    session: Session, sheet: ParsedSheet, log: ProblemLog, context: CheckContext
) -> Checked:
    """Validate a Regions sheet and diff it against the stored regions, by code.

    A NUTS-2 code of the reference takes its name, country and coordinates from it where
    the sheet leaves them blank; a code that looks like a NUTS-2 code but is not one is an
    error; any other code is the network's own and needs them all.
    """
    frame = typed_frame(convert_sheet(sheet, log), REGION_DTYPES, sheet)
    reference = {region.code: region for region in load_regions()}
    codes = frame["code"]
    nuts = codes.isin(list(reference)).to_numpy(dtype=bool)
    prefixes = {code[:2] for code in reference}
    lookalike = np.array(
        [
            code is not None
            and len(code) == 4
            and bool(NUTS_SHAPE.match(code))
            and code[:2] in prefixes
            for code in codes
        ],
        dtype=bool,
    )
    log.cell(
        "code",
        lookalike & ~nuts,
        _("no NUTS-2 region has this code"),
        expected=_(UNKNOWN_NUTS_EXPECTED),
    )
    for key in FROM_REFERENCE:
        blank = frame[key].isna().to_numpy(dtype=bool)
        filled = nuts & blank
        if filled.any():
            values = frame[key].to_numpy(dtype=object, copy=True)
            values[filled] = [getattr(reference[code], key) for code in codes[filled]]
            frame[key] = pd.Series(values, index=frame.index, dtype=frame[key].dtype)
        header = sheet.contract.named(key, _written(sheet, key))
        _require(
            log,
            key,
            codes.notna().to_numpy(dtype=bool) & ~nuts & ~lookalike & blank,
            _("a region of your own needs its {header}", header=header),
            _(
                "the region's {header} (only NUTS-2 regions take it from the reference)",
                header=header.lower(),
            ),
        )
    for key, (message, limit) in COORDINATE_RANGES.items():
        if key in sheet.cells:
            values = frame[key].to_numpy(dtype=np.float64, na_value=np.nan)
            log.cell(key, np.abs(np.nan_to_num(values)) > limit, _(message, limit=limit))
    duplicate_ids(log, frame, "code")
    domain_rules(log, frame, Region, lambda record: record, fallback="code")
    clean = frame[~log.rows_left_out]
    stored = stored_rows(session, "regions", REGION_DTYPES)
    fields = [key for key in REGION_DTYPES if key in sheet.cells and key != "code"]
    return Checked(clean=clean, diff=diff_rows(clean, stored, key=("code",), fields=fields))


def store_regions(session: Session, checked: Checked, context: StoreContext) -> None:
    """Insert new regions and update changed ones (by code)."""
    diff = checked.diff
    upsert_by_id(
        session,
        "regions",
        new=diff.new,
        changed=diff.changed,
        columns=list(REGION_DTYPES),
        fields=diff.fields,
        key="code",
    )


# --- Clusters --------------------------------------------------------------------------------


def check_clusters(
    session: Session, sheet: ParsedSheet, log: ProblemLog, context: CheckContext
) -> Checked:
    """Validate a Clusters sheet and diff it against the stored clusters, by id.

    The home region and the regions a cluster also works in are stored or defined by the
    workbook's Regions sheet. A cluster keeps working in every region its stored programmes
    run in, unless the workbook's Programmes sheet lists them again (then its rule judges
    them where it puts them).
    """
    frame = typed_frame(convert_sheet(sheet, log), CLUSTER_DTYPES, sheet)
    regions = known_regions(session, context)
    references(log, frame, "region_code", regions, "region")
    if "also_works_in" in sheet.cells:
        frame["also_works_in"] = _other_regions(log, frame, regions)
    if "helix_roles" in sheet.cells:
        frame["helix_roles"] = _helix_roles(log, frame)
    duplicate_ids(log, frame)
    domain_rules(log, frame, Cluster, _cluster_fields)
    stored_regions = stored_cluster_regions(session)
    _programmes_stay(session, log, frame, context, stored_regions)
    clean = frame[~log.rows_left_out]
    stored = stored_clusters(session, stored_regions)
    fields = [key for key in CLUSTER_DTYPES if key in sheet.cells and key != "id"]
    return Checked(clean=clean, diff=diff_rows(clean, stored, key=("id",), fields=fields))


def stored_clusters(
    session: Session, works_in: dict[str, tuple[str, ...]] | None = None
) -> pd.DataFrame:
    """Every stored cluster as a Clusters sheet's checked rows are typed: its other regions as
    one canonical text, its helix roles as stored (``None`` when it has none).

    ``works_in`` is ``stored_cluster_regions(session)`` when the caller has it already.
    """
    works_in = stored_cluster_regions(session) if works_in is None else works_in
    stored = stored_rows(session, "clusters", CLUSTER_DTYPES)
    stored["helix_roles"] = stored["helix_roles"].replace("", None)
    stored["also_works_in"] = pd.Series(
        [_list_text(works_in.get(i, ())[1:]) for i in stored["id"]], dtype=object
    )
    return stored[list(CLUSTER_DTYPES)]


def _list_text(codes: tuple[str, ...] | list[str]) -> str | None:
    """The canonical spelling of a cluster's other regions: by code, ``ES21; FRK2``."""
    return f"{LIST_SEPARATOR} ".join(sorted(codes)) or None


def _other_regions(log: ProblemLog, frame: pd.DataFrame, known: set[str]) -> pd.Series:
    """Each row's other regions, canonical (see ``_list_text``), without its home region; an
    error on each cell naming a region that is neither stored nor in the Regions sheet."""
    lists = [split_list(text) for text in frame["also_works_in"]]

    def unknown(codes: list[str]) -> str | None:
        missing = [code for code in codes if code not in known]
        if not missing:
            return None
        return Message(
            ngettext(
                "no region has the code {codes}", "no region has the codes {codes}", len(missing)
            )
        ).format(codes=", ".join(missing))

    messages = {p: m for p, codes in enumerate(lists) if (m := unknown(codes)) is not None}
    log_messages(log, "also_works_in", messages, rule=_("no region has this code"))
    return pd.Series(
        [
            _list_text([code for code in codes if code != home])
            for codes, home in zip(lists, frame["region_code"], strict=True)
        ],
        index=frame.index,
        dtype=object,
    )


def _helix_roles(log: ProblemLog, frame: pd.DataFrame) -> pd.Series:
    """Each row's helix roles as stored (``industry,academia``, in the sheet's order); an
    error on each cell naming something else."""
    roles = choice_index(tuple(role.value for role in HelixRole))  # in every language
    lists = [split_list(text) for text in frame["helix_roles"]]

    def unknown(words: list[str]) -> str | None:
        wrong = [word for word in words if normalise_header(word) not in roles]
        return _("not a helix role: {words}", words=", ".join(wrong)) if wrong else None

    messages = {p: m for p, words in enumerate(lists) if (m := unknown(words)) is not None}
    log_messages(log, "helix_roles", messages, rule=_("not a helix role"))
    return pd.Series(
        [
            STORED_SEPARATOR.join(
                dict.fromkeys(
                    roles[normalise_header(w)] for w in words if normalise_header(w) in roles
                )
            )
            or None
            for words in lists
        ],
        index=frame.index,
        dtype=object,
    )


def _cluster_fields(record: dict[str, Any]) -> dict[str, Any]:
    record["also_works_in"] = tuple(split_list(record["also_works_in"]))
    roles = record["helix_roles"]
    record["helix_roles"] = tuple(roles.split(STORED_SEPARATOR)) if roles else ()
    return record


def _programmes_stay(
    session: Session,
    log: ProblemLog,
    frame: pd.DataFrame,
    context: CheckContext,
    stored_regions: dict[str, tuple[str, ...]],
) -> None:
    """An error on each cluster row that would no longer work in a region its stored
    programmes run in (those the workbook's Programmes sheet does not list again)."""
    candidates = frame[~log.rows_left_out]
    if candidates.empty:
        return
    places = _programme_places(session, context)
    with_lists = "also_works_in" in log.sheet.cells
    allowed = pd.DataFrame(
        [
            (cluster_id, code)
            for cluster_id, home, also in zip(
                candidates["id"],
                candidates["region_code"],
                candidates["also_works_in"],
                strict=True,
            )
            for code in (
                home,
                *(split_list(also) if with_lists else stored_regions.get(cluster_id, ())[1:]),
            )
        ],
        columns=["cluster_id", "region_code"],
    )
    mine = places[places["cluster_id"].isin(candidates["id"])]
    merged = mine.merge(allowed, on=["cluster_id", "region_code"], how="left", indicator=True)
    outside = merged[merged["_merge"] == "left_only"]
    if outside.empty:
        return
    where = outside.groupby("cluster_id")["region_code"].agg(lambda c: sorted(set(c)))
    which = outside.groupby("cluster_id")["id"].agg(lambda ids: sorted(ids))
    key = "also_works_in" if with_lists else "region_code"
    messages = {
        int(position): _still_runs(which[cluster_id], where[cluster_id])
        for position, cluster_id in zip(
            np.flatnonzero(~log.rows_left_out), candidates["id"], strict=True
        )
        if cluster_id in where.index
    }
    log_messages(
        log,
        key,
        messages,
        rule=_("programmes run in a region the cluster would no longer work in"),
        expected=_(
            "every region its programmes run in: add it to Also works in, or move the "
            "programmes in the Programmes sheet"
        ),
    )


def _still_runs(programme_ids: list[str], codes: list[str]) -> str:
    return _(
        "its programmes {programmes} run in {regions}, where it would no longer work",
        programmes=named(programme_ids, PROGRAMMES_NAMED),
        regions=", ".join(codes),
    )


def _programme_places(session: Session, context: CheckContext) -> pd.DataFrame:
    """Each stored programme's cluster and region, but for those the workbook's Programmes
    sheet lists: that sheet's own rule judges them where it puts them."""
    places = stored_rows(session, "programmes", PLACES)
    sheet = context.sheets.get(SheetKind.PROGRAMMES)
    if sheet is None or "id" not in sheet.cells:
        return places
    listed = texts(sheet.cells["id"]).values
    return places[~places["id"].isin(listed)]


def store_clusters(session: Session, checked: Checked, context: StoreContext) -> None:
    """Upsert clusters, and the other regions they work in where the sheet gives them."""
    diff = checked.diff
    table_columns = [key for key in CLUSTER_DTYPES if key != "also_works_in"]
    new = diff.new.assign(helix_roles=diff.new["helix_roles"].fillna(""))
    changed = diff.changed.assign(helix_roles=diff.changed["helix_roles"].fillna(""))
    upsert_by_id(
        session,
        "clusters",
        new=new,
        changed=changed,
        columns=table_columns,
        fields=[field for field in diff.fields if field != "also_works_in"],
    )
    rewritten = [diff.new, diff.changed] if "also_works_in" in diff.fields else [diff.new]
    touched = pd.concat(rewritten)
    if len(touched):
        replace_cluster_regions(
            session,
            touched["id"].tolist(),
            (
                (cluster_id, code)
                for cluster_id, text in zip(touched["id"], touched["also_works_in"], strict=True)
                for code in split_list(text)
            ),
        )


# --- Facilities ------------------------------------------------------------------------------


def check_facilities(
    session: Session, sheet: ParsedSheet, log: ProblemLog, context: CheckContext
) -> Checked:
    """Validate a Facilities sheet and diff it against the stored facilities, by id.

    Openings are months (``YYYY-MM``); a facility has opened in this month or before. A blank
    Status follows from the opening (see ``_statuses``).
    """
    converted = convert_sheet(sheet, log)
    frame = typed_frame(converted, FACILITY_DTYPES, sheet)
    for key in DATES:
        frame[key] = _month_texts(frame[key])
    references(log, frame, "region_code", known_regions(session, context), "region")
    references(log, frame, "cluster_id", known_clusters(session, context), "cluster")
    if "actual_open" in sheet.cells:
        this_month = f"{context.today:%Y-%m}"
        log.cell(
            "actual_open",
            (frame["actual_open"].fillna("") > this_month).to_numpy(dtype=bool),
            _("a month in the future"),
            expected=_(
                "this month ({month}) or earlier; leave it blank until it opens",
                month=this_month,
            ),
        )
    stored = stored_facilities(session)
    frame["status"] = _statuses(frame, stored)
    duplicate_ids(log, frame)
    domain_rules(log, frame, Facility, _facility_fields)
    clean = frame[~log.rows_left_out]
    # A status follows from the opening where the sheet leaves it out.
    derived = {"status"} if "actual_open" in sheet.cells else set()
    fields = [
        key for key in FACILITY_DTYPES if (key in sheet.cells or key in derived) and key != "id"
    ]
    return Checked(clean=clean, diff=diff_rows(clean, stored, key=("id",), fields=fields))


def _statuses(frame: pd.DataFrame, stored: pd.DataFrame) -> pd.Series:
    """Each row's status: as the sheet gives it; where blank, ``operational`` once opened,
    else as stored unless that was operational, else ``planned``."""
    before = dict(zip(stored["id"], stored["status"], strict=True))
    operational = FacilityStatus.OPERATIONAL.value

    def status(facility_id: str | None, given: str | None, opened: str | None) -> str:
        if given is not None:
            return given
        if opened is not None:
            return operational
        kept = before.get(facility_id) if facility_id is not None else None
        return kept if kept is not None and kept != operational else FacilityStatus.PLANNED.value

    return pd.Series(
        [
            status(*values)
            for values in zip(frame["id"], frame["status"], frame["actual_open"], strict=True)
        ],
        index=frame.index,
        dtype=object,
    )


def stored_facilities(session: Session) -> pd.DataFrame:
    """Every stored facility as a Facilities sheet's checked rows are typed: its planned and
    actual openings as ``YYYY-MM`` months."""
    stored = stored_rows(session, "facilities", FACILITY_DTYPES)
    for key in DATES:
        stored[key] = pd.Series(
            [None if day is None else f"{day:%Y-%m}" for day in stored[key]], dtype=object
        )
    return stored


def _month_texts(months: pd.Series) -> pd.Series:
    """``YYYYMM`` numbers (as converted) as ``YYYY-MM`` text; missing stays missing."""
    present = months.notna().to_numpy(dtype=bool)
    values: npt.NDArray[np.object_] = np.full(len(months), None, dtype=object)
    if present.any():
        values[present] = period_text(months[present].to_numpy(dtype=np.int64))
    return pd.Series(values, index=months.index, dtype=object)


def _facility_fields(record: dict[str, Any]) -> dict[str, Any]:
    for key in DATES:
        record[key] = parse_period(record[key]) if record[key] is not None else None
    return record


def store_facilities(session: Session, checked: Checked, context: StoreContext) -> None:
    """Insert new facilities and update changed ones (by id).

    A month is stored as its first day, except where a changed facility keeps the month it
    had: its stored day stays.
    """
    diff = checked.diff
    stored = stored_rows(session, "facilities", {"id": "object", **dict.fromkeys(DATES, "object")})
    kept: dict[tuple[str, str], date] = {
        (key, str(facility_id)): day
        for key in DATES
        for facility_id, day in zip(stored["id"], stored[key], strict=True)
        if day is not None
    }

    def days(frame: pd.DataFrame) -> pd.DataFrame:
        for key in DATES:
            frame = frame.assign(
                **{
                    key: pd.Series(
                        [
                            _day(kept.get((key, facility_id)), month)
                            for facility_id, month in zip(frame["id"], frame[key], strict=True)
                        ],
                        index=frame.index,
                        dtype=object,
                    )
                }
            )
        return frame

    upsert_by_id(
        session,
        "facilities",
        new=days(diff.new),
        changed=days(diff.changed),
        columns=list(FACILITY_DTYPES),
        fields=diff.fields,
    )


def _day(kept: date | None, month: str | None) -> date | None:
    """The day a month is stored as: the stored day when in the same month, else the first."""
    if month is None:
        return None
    if kept is not None and f"{kept:%Y-%m}" == month:
        return kept
    return parse_period(month)


REGIONS_HANDLER = SheetHandler(check=check_regions, store=store_regions, admin_only=True)
CLUSTERS_HANDLER = SheetHandler(check=check_clusters, store=store_clusters, admin_only=True)
FACILITIES_HANDLER = SheetHandler(check=check_facilities, store=store_facilities, admin_only=True)
