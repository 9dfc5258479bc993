"""Uploads over HTTP for scripts, and the upload actions the upload page shares with them.

Routes, all behind the log-in gate:

* ``POST /api/uploads?dry_run=1``, the sheet as multipart field ``file``: the dry-run report as
  JSON; nothing is stored. Open to whoever may upload some kind of sheet; each sheet of the
  file is judged by the permission its kind needs (managers: Progress; administrators: the
  network's sheets).
* ``POST /api/uploads``: check the sheet again and store it, all rows or none (200 stored or
  already stored, 422 rejected with the report).
* ``GET /api/template?cluster=ID&month=YYYY-MM``: the progress template (.xlsx) of one of the
  user's clusters (``require(Permission.UPLOAD)``); the month defaults to the one after the
  cluster's last report.

Errors are JSON ``{"error": "..."}``: 400 a malformed request (or month), 403 not allowed
(audited), 404 an unknown cluster, 422 a file that cannot be read. With log-in on, a POST must
carry an ``Origin`` header naming this site, like every state-changing request (docs/security.md).
"""

from __future__ import annotations

import io
import json
import re
from datetime import date
from typing import Any

from flask import Blueprint, Response, request, send_file
from werkzeug.exceptions import HTTPException

from dashboard import strings
from dashboard.auth import AuthUser, deny, require, require_any
from dashboard.context import app_context
from dashboard.data import show_upload
from skills_roadmap import audit, ingest
from skills_roadmap.audit import AuditAction
from skills_roadmap.domain import UploadOutcome
from skills_roadmap.exceptions import (
    NotFoundError,
    PermissionDeniedError,
    SkillsRoadmapError,
    UnreadableFileError,
)
from skills_roadmap.i18n import current_language
from skills_roadmap.ingest import (
    CommitResult,
    DryRunReport,
    TemplateMonth,
    TemplateMonthError,
    template_month,
    template_workbook,
)
from skills_roadmap.users import Permission

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
UNSAFE_NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9_-]+")

blueprint = Blueprint("api", __name__, url_prefix="/api")


class TemplateChoiceError(SkillsRoadmapError):
    """A manager of several clusters asked for a template without saying which cluster."""


# ---------------------------------------------------------------------------------------------
# The upload actions, shared by this API and the upload page.


def _refused_or_unreadable(
    user: AuthUser, action: AuditAction, file_name: str, error: SkillsRoadmapError
) -> None:
    """Audit an upload that never got as far as a report: unreadable, or not allowed."""
    outcome = "refused" if isinstance(error, PermissionDeniedError) else "unreadable"
    audit.record(
        app_context().engine,
        user.name,
        action,
        object=f"{outcome}: {file_name}",
        detail={"outcome": outcome, "reason": str(error)},
    )


def check_upload(user: AuthUser, data: bytes, file_name: str) -> DryRunReport:
    """The dry run of ``data`` as ``user`` sees it (their clusters only), audited; each sheet
    judged by the permission its kind needs.

    Raises:
        UnreadableFileError: the file cannot be read at all.
        PermissionDeniedError: the user may not upload one of the file's sheets.
    """
    engine = app_context().engine
    try:
        report = ingest.dry_run(
            engine,
            data,
            file_name,
            user=user.name,
            manager_clusters=user.manager_clusters,
            permissions=user.permissions,
        )
    except (UnreadableFileError, PermissionDeniedError) as error:
        _refused_or_unreadable(user, AuditAction.UPLOAD_DRY_RUN, file_name, error)
        raise
    audit.record(
        engine,
        user.name,
        AuditAction.UPLOAD_DRY_RUN,
        object=f"dry run: {report.file_name}",
        detail={
            "sha256": report.sha256,
            "new": report.new,
            "changed": report.changed,
            "unchanged": report.unchanged,
            "errors": report.error_count,
            "warnings": report.warning_count,
        },
    )
    return report


def store_upload(user: AuthUser, data: bytes, file_name: str) -> CommitResult:
    """Commit ``data`` as ``user``: checked again, each sheet by the permission its kind needs,
    then all rows or none (audited by the commit).

    Raises:
        UnreadableFileError: the file cannot be read at all.
        PermissionDeniedError: the user may not upload one of the file's sheets.
    """
    try:
        result = ingest.commit_upload(
            app_context().engine,
            data,
            file_name,
            user=user.name,
            manager_clusters=user.manager_clusters,
            permissions=user.permissions,
        )
    except (UnreadableFileError, PermissionDeniedError) as error:
        _refused_or_unreadable(user, AuditAction.UPLOAD_COMMIT, file_name, error)
        raise
    if result.outcome is UploadOutcome.COMMITTED:
        show_upload(result.upload_id)  # the uploader's next page shows it; readers never wait
    return result


def template_file_name(
    cluster_id: str | None, today: date | None = None, *, period: str | None = None
) -> str:
    """``progress-<cluster>-<YYYY-MM>.xlsx`` (the month ``period``, default ``today``'s),
    only letters, digits, ``-`` and ``_``."""
    scope = UNSAFE_NAME_CHARACTERS.sub("-", cluster_id or "all").strip("-") or "cluster"
    month = UNSAFE_NAME_CHARACTERS.sub("-", period or f"{today or date.today():%Y-%m}")
    return f"progress-{scope}-{month}.xlsx"


def template_choice(user: AuthUser, cluster_id: str | None, month: str | None) -> TemplateMonth:
    """The month and programmes of ``cluster_id``'s progress template (``month``, default
    the month after the cluster's last report).

    A manager gets only their own clusters' templates (another cluster: 403, audited) and may
    leave out the cluster when they have just one; without a limit (local mode) no cluster
    means every cluster's programmes.

    Raises:
        TemplateChoiceError: a manager of several clusters named none.
        NotFoundError: there is no such cluster.
        TemplateMonthError: ``month`` is malformed or has not begun.
    """
    allowed = user.manager_clusters
    if allowed is not None:
        if not cluster_id and len(allowed) == 1:
            cluster_id = next(iter(allowed))
        elif not cluster_id:
            choices = ", ".join(sorted(allowed)) or "none"
            raise TemplateChoiceError(strings.UPLOAD_CHOOSE_CLUSTER.format(clusters=choices))
        elif cluster_id not in allowed:
            deny(user, f"template of cluster {cluster_id!r}, which the user does not report for")
    return template_month(app_context().engine, cluster_id or None, month or None)


def template_for(
    user: AuthUser, cluster_id: str | None, month: str | None = None
) -> tuple[bytes, str]:
    """The progress template of ``cluster_id`` for ``month`` (:func:`template_choice`) and
    its download name."""
    chosen = template_choice(user, cluster_id, month)
    data = template_workbook(chosen, current_language())  # in the user's language
    return data, template_file_name(chosen.cluster_id, period=chosen.period)


# ---------------------------------------------------------------------------------------------
# The routes.


def _json(document: dict[str, Any], status: int = 200) -> Response:
    return Response(
        json.dumps(document, ensure_ascii=False, default=str),
        status=status,
        mimetype="application/json",
    )


def _error(message: str, status: int) -> Response:
    return _json({"error": message}, status)


def report_document(report: DryRunReport) -> dict[str, Any]:
    """A dry-run report as the API returns it: ``to_json_dict()`` plus ``ok`` and the counts."""
    return report.to_json_dict() | {
        "ok": report.ok,
        "error_count": report.error_count,
        "warning_count": report.warning_count,
    }


def commit_document(result: CommitResult) -> dict[str, Any]:
    """A commit's outcome as the API returns it."""
    return {
        "outcome": result.outcome.value,
        "upload_id": result.upload_id,
        "message": result.message,
        "duplicate_of": result.duplicate_of.id if result.duplicate_of is not None else None,
        "report": report_document(result.report) if result.report is not None else None,
    }


# What a user can be told about, as an HTTP status; any other error is the server's (500).
ERROR_STATUS: dict[type[SkillsRoadmapError], int] = {
    TemplateChoiceError: 400,
    TemplateMonthError: 400,
    PermissionDeniedError: 403,
    NotFoundError: 404,
    UnreadableFileError: 422,
}
USER_ERRORS = tuple(ERROR_STATUS)


def _user_error(error: SkillsRoadmapError) -> Response:
    status = next(code for kind, code in ERROR_STATUS.items() if isinstance(error, kind))
    return _error(str(error), status)


@blueprint.post("/uploads")
def uploads() -> Response:
    """Dry run (``?dry_run=1``) or commit of the sheet in multipart field ``file``."""
    user = require_any(ingest.UPLOAD_PERMISSIONS)
    sent = request.files.get("file")
    if sent is None:
        return _error(strings.UPLOAD_NO_FILE, 400)
    data, file_name = sent.read(), sent.filename or "upload"
    try:
        if request.args.get("dry_run", "").strip().lower() in TRUE_WORDS:
            return _json(report_document(check_upload(user, data, file_name)))
        result = store_upload(user, data, file_name)
    except USER_ERRORS as error:
        return _user_error(error)
    return _json(commit_document(result), 422 if result.outcome is UploadOutcome.REJECTED else 200)


@blueprint.get("/template")
def template() -> Response:
    """The progress template (.xlsx) of ``?cluster=ID`` for ``&month=YYYY-MM`` (default: the
    month after the cluster's last report)."""
    user = require(Permission.UPLOAD)
    try:
        data, name = template_for(user, request.args.get("cluster"), request.args.get("month"))
    except USER_ERRORS as error:
        return _user_error(error)
    return send_file(io.BytesIO(data), mimetype=XLSX_MIME, as_attachment=True, download_name=name)


@blueprint.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    """Refusals (401, 403, 413, …) as JSON, like every other answer of this API."""
    return _error(error.description or error.name, error.code or 500)
