"""The dry run: read, validate and diff an upload without storing anything.

The whole dry run (and the commit, ``ingest.commit``) runs in a child process
(``ingest.isolation``): reading a file is native code that a forged file can crash, and
checking a large sheet is seconds of CPU that, in a server process, would hold the interpreter
lock against every page being served.
"""

from __future__ import annotations

import gc
import getpass
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from skills_roadmap.exceptions import PermissionDeniedError
from skills_roadmap.i18n import current_language
from skills_roadmap.i18n.words import N_, _
from skills_roadmap.ingest.admin_sheets import PROGRAMMES_HANDLER, TARGETS_HANDLER
from skills_roadmap.ingest.context import CheckContext, Checked, SheetHandler
from skills_roadmap.ingest.contract import NETWORK_CONTRACTS, SheetContract, SheetKind
from skills_roadmap.ingest.isolation import run_isolated
from skills_roadmap.ingest.network_sheets import (
    CLUSTERS_HANDLER,
    FACILITIES_HANDLER,
    REGIONS_HANDLER,
)
from skills_roadmap.ingest.problems import ProblemLog
from skills_roadmap.ingest.progress import PROGRESS_HANDLER
from skills_roadmap.ingest.readers import ParsedSheet, parse_upload
from skills_roadmap.ingest.report import DryRunReport, SheetReport
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import database_url, private_engine, session_scope
from skills_roadmap.text import without_controls
from skills_roadmap.users import Permission

HANDLERS: dict[SheetKind, SheetHandler] = {
    SheetKind.PROGRESS: PROGRESS_HANDLER,
    SheetKind.REGIONS: REGIONS_HANDLER,
    SheetKind.CLUSTERS: CLUSTERS_HANDLER,
    SheetKind.PROGRAMMES: PROGRAMMES_HANDLER,
    SheetKind.TARGETS: TARGETS_HANDLER,
    SheetKind.FACILITIES: FACILITIES_HANDLER,
}


def permission_for(kind: SheetKind | str) -> Permission:
    """What a user needs to upload a sheet of ``kind``: programme managers upload Progress
    sheets; only administrators upload the network's sheets (a network workbook too)."""
    handler = HANDLERS.get(SheetKind(kind))
    return Permission.ADMIN if handler is None or handler.admin_only else Permission.UPLOAD


# The refusal of a sheet the uploader may not upload, by the permission it needs: who may, and
# what the user may instead.
REFUSALS: dict[Permission, str] = {
    Permission.ADMIN: N_(
        "only administrators may upload a {sheet} sheet; programme managers upload Progress sheets"
    ),
    Permission.UPLOAD: N_(
        "only programme managers may upload a {sheet} sheet; administrators upload the "
        "network's sheets ({sheets})"
    ),
}
UPLOAD_PERMISSIONS = frozenset(permission_for(kind) for kind in SheetKind)
"""Whoever holds one of these may upload some kind of sheet (and open the Upload page)."""


def may_upload(permissions: frozenset[Permission], kind: SheetKind | str) -> bool:
    """Whether a user holding ``permissions`` may upload a sheet of ``kind``."""
    return permission_for(kind) in permissions


def refusal(contract: SheetContract, needed: Permission) -> PermissionDeniedError:
    """The refusal of a sheet the uploader may not upload: who may, and what the user may;
    sheets are named as a template in the reader's language names them."""
    language = current_language()
    sheets = ", ".join(network.title(language) for network in NETWORK_CONTRACTS)
    return PermissionDeniedError(_(REFUSALS[needed], sheet=contract.title(language), sheets=sheets))


def check_permission(sheets: tuple[ParsedSheet, ...], context: CheckContext) -> None:
    """Refuse an upload holding a sheet the uploader may not upload, naming it.

    The permission is judged per sheet kind (``permission_for``): against the uploader's
    ``permissions`` when they are known (the web app: managers upload Progress sheets,
    administrators the network's), else by ``manager_clusters`` (the command line: a limited
    uploader may upload Progress sheets only).

    Raises:
        PermissionDeniedError: a sheet needs a permission the uploader does not hold.
    """
    for sheet in sheets:
        needed = permission_for(sheet.kind)
        if context.permissions is not None:
            allowed = needed in context.permissions
        else:
            allowed = context.manager_clusters is None or needed is Permission.UPLOAD
        if not allowed:
            raise refusal(sheet.contract, needed)


def local_user() -> str:
    """The operating-system user running the command line, or ``local``."""
    try:
        return getpass.getuser() or "local"
    except (KeyError, OSError):
        return "local"


def sha256(data: bytes) -> str:
    """The upload's identity: the same bytes twice are the same upload."""
    return hashlib.sha256(data).hexdigest()


def check_sheets(
    session: Session,
    sheets: tuple[ParsedSheet, ...],
    *,
    file_name: str,
    digest: str,
    context: CheckContext,
) -> DryRunReport:
    """Validate and diff the parsed sheets of an upload inside ``session``, in order; the
    report of what a commit would do.

    Each sheet is checked against the database and the sheets before it: a row may refer to
    an ID an earlier sheet of the same workbook defines (``CheckContext.checked``).

    Raises:
        PermissionDeniedError: a manager uploads an administrator's sheet.
    """
    check_permission(sheets, context)
    everything = replace(context, sheets={sheet.kind: sheet for sheet in sheets})
    checked: dict[SheetKind, Checked] = {}
    parts = []
    for sheet in sheets:
        log = ProblemLog(sheet)
        result = HANDLERS[sheet.kind].check(
            session, sheet, log, replace(everything, checked=dict(checked))
        )
        checked[sheet.kind] = result
        parts.append(
            SheetReport(
                kind=sheet.kind,
                sheet=sheet.sheet,
                header_row=sheet.header_row,
                rows=log.data_rows,
                problems=log.frame(),
                problem_counts=log.counts(),
                diff=result.diff,
                key=sheet.contract.key,
                clean=result.clean,
            )
        )
    return DryRunReport(
        file_name=display_name(file_name),
        sha256=digest,
        file_format=sheets[0].file_format.value,
        sheets=tuple(parts),
        max_listed=get_settings().report_max_problems,
    )


def dry_run(
    engine: Engine,
    data: bytes,
    file_name: str,
    *,
    user: str | None = None,
    manager_clusters: frozenset[str] | None = None,
    today: date | None = None,
    kind: SheetKind | str | None = None,
    permissions: frozenset[Permission] | None = None,
) -> DryRunReport:
    """What importing ``data`` would do: new, changed and unchanged rows, errors and warnings.

    Nothing is written. The same checks run again inside the commit's transaction, so a
    confirmed upload is judged against the data as it is then.

    Args:
        engine: the database to check against.
        data: the uploaded bytes (format judged by content).
        file_name: the uploaded file's name, for the report only.
        user: who uploads (default: the local user).
        manager_clusters: the clusters a manager may report for; ``None`` for no limit.
        today: the reporting date (default: today).
        kind: a sheet kind (``network`` for a network workbook); ``None`` detects it.
        permissions: what the uploader's role may do, judged per sheet kind; ``None`` judges
            by ``manager_clusters`` alone (``check_permission``).

    Raises:
        UnreadableFileError: the file cannot be read at all.
        PermissionDeniedError: the uploader may not upload one of the file's sheets.
    """
    context = CheckContext(
        today=today or date.today(),
        manager_clusters=manager_clusters,
        user=user or local_user(),
        permissions=permissions,
    )
    return run_isolated(check_file, database_url(engine), data, file_name, context, kind)


def check_file(
    url: str, data: bytes, file_name: str, context: CheckContext, kind: SheetKind | str | None
) -> DryRunReport:
    """``dry_run`` in this process, on its own engine: what the child process runs."""
    with cyclic_gc_paused(), private_engine(url) as engine:
        sheets = parse_upload(data, kind)
        with session_scope(engine) as session:
            return check_sheets(
                session, sheets, file_name=file_name, digest=sha256(data), context=context
            )


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a sheet is read, checked and stored.

    A 100,000-row sheet becomes about a million cell objects, none in a reference cycle
    (reference counting frees them), yet every full collection would walk them all: about
    0.1 s per sheet. The pause is process-wide and ends with the block; a collector that
    was already paused stays paused.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def display_name(file_name: str) -> str:
    """The last part of an uploaded file's name, as shown in reports and stored with the upload,
    without control characters."""
    name = without_controls(file_name).replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:255] or "upload"
