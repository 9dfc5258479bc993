"""The `skills-roadmap` command: a thin Typer shell, one command per verb.

Every command turns a `SkillsRoadmapError` into one clear line on stderr and a non-zero exit
(2 for a file that cannot be read, 1 otherwise); under ``--json`` the refusal is also printed
on stdout as ``{"error": "…", "exit_code": N}``, so a script always gets JSON. The work
itself lives in the library.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer
from sqlalchemy import Engine

from skills_roadmap.domain import DeliveryMode, Role, TrainingLevel, User
from skills_roadmap.exceptions import SkillsRoadmapError, UnreadableFileError
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import check_connection, get_engine, require_initialised, upgrade

if TYPE_CHECKING:
    import pandas as pd

    from skills_roadmap.analysis import Filters

app = typer.Typer(
    name="skills-roadmap",
    help="Plan and track a workforce AI-skills roadmap across regions and clusters.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

P = ParamSpec("P")
R = TypeVar("R")


class OutputFileError(SkillsRoadmapError):
    """A file the command was asked to write cannot be written."""


def fail(message: str, code: int = 1, *, as_json: bool = False) -> typer.Exit:
    """Print ``message`` as one line on stderr (and, ``as_json``, as JSON on stdout) and
    return the exit to raise."""
    if as_json:
        typer.echo(json.dumps({"error": message, "exit_code": code}, ensure_ascii=False))
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def exit_code(error: SkillsRoadmapError) -> int:
    """2 for a file that cannot be read at all, 1 for every other refusal."""
    return 2 if isinstance(error, UnreadableFileError) else 1


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Show a user-facing error as one line and a non-zero exit, never as a traceback; for a
    command run with ``--json`` (its ``as_json`` parameter), as JSON on stdout too."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except SkillsRoadmapError as error:
            as_json = bool(kwargs.get("as_json"))
            raise fail(str(error), exit_code(error), as_json=as_json) from None

    return wrapper


def open_database() -> Engine:
    """The configured database, checked to be reachable and migrated."""
    engine = get_engine()
    require_initialised(engine)
    return engine


class Scale(StrEnum):
    NETWORK = "network"
    EU = "eu"


@app.command()
@user_errors
def init() -> None:
    """Create or upgrade the database schema (safe to run again)."""
    engine = get_engine()
    check_connection(engine)
    upgrade(engine)
    typer.echo(f"database ready: {engine.url.render_as_string(hide_password=True)}")


@app.command()
@user_errors
def demo(
    seed: int = typer.Option(7, help="Random seed; the same seed gives identical data."),
    scale: Scale = typer.Option(
        Scale.NETWORK, help="network: ~200 programmes; eu: >=20,000 programmes for benchmarks."
    ),
    if_empty: bool = typer.Option(
        False, "--if-empty", help="Do nothing (and succeed) when the database already has data."
    ),
    accounts_password: str | None = typer.Option(
        None,
        help="Password of the demo accounts admin, official, manager and analyst; "
        "if omitted, one is generated and printed once.",
    ),
) -> None:
    """Fill an empty database with the deterministic synthetic demo network."""
    from skills_roadmap.demo import build_demo
    from skills_roadmap.storage.status import holds_data
    from skills_roadmap.users import check_password

    if accounts_password is not None:
        check_password(accounts_password)
    engine = open_database()
    if if_empty and holds_data(engine):
        typer.echo("database already holds data; demo not loaded")
        return
    started = time.perf_counter()
    summary = build_demo(engine, seed=seed, scale=scale.value, progress=typer.echo)
    typer.echo(
        f"demo network loaded in {time.perf_counter() - started:.1f} s: "
        f"{summary.regions:,} regions, {summary.clusters:,} clusters, "
        f"{summary.programmes:,} programmes, {summary.targets:,} targets, "
        f"{summary.progress_rows:,} progress rows, {summary.facilities:,} facilities"
    )
    add_demo_accounts(engine, accounts_password)


def add_demo_accounts(engine: Engine, password: str | None) -> None:
    """One account per role; a generated password is shown here once and stored nowhere."""
    import secrets

    from skills_roadmap.audit import command_line_actor
    from skills_roadmap.users import create_demo_accounts

    chosen = password or secrets.token_urlsafe(12)
    created = create_demo_accounts(engine, chosen, by=command_line_actor())
    if created:
        shown = "" if password else f" with password {chosen} (shown only now)"
        typer.echo(f"demo accounts {', '.join(created)} created{shown}")


@app.command()
@user_errors
def serve(
    host: str | None = typer.Option(None, help="Address to listen on (default from settings)."),
    port: int | None = typer.Option(None, help="Port to listen on (default from settings)."),
    debug: bool = typer.Option(False, help="Dash's development server with hot reload."),
    production: bool = typer.Option(
        False,
        "--production",
        help="Multi-user serving: log-in, request size limits and JSON logs; refuses debug "
        "and a missing secret key.",
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        min=1,
        max=64,
        help="With --production: server processes sharing the port, restarted if they die "
        "(default from settings, 1).",
    ),
) -> None:
    """Serve the dashboard (waitress; --debug for Dash's development server)."""
    from dashboard.app import create_app, create_wsgi_app
    from skills_roadmap.ingest.isolation import warm_up
    from skills_roadmap.serving import check_serving_mode, serve_production

    settings = get_settings()
    open_database()
    bind_host, bind_port = host or settings.host, port or settings.port
    check_serving_mode(settings, bind_host, production=production, debug=debug)
    if production:
        if workers is not None:
            settings = settings.model_copy(update={"serve_workers": workers})
        serve_production(create_wsgi_app, settings, host=bind_host, port=bind_port)
        return
    if workers is not None:
        raise fail("--workers needs --production: the local server is one process")
    dash_app = create_app()
    warm_up()  # the first upload need not wait for the readers to be imported
    typer.echo(f"Skills Roadmap on http://{bind_host}:{bind_port}/  (Ctrl+C stops)")
    if debug:
        dash_app.run(host=bind_host, port=bind_port, debug=True)
        return
    from waitress import serve as waitress_serve

    waitress_serve(
        dash_app.server, host=bind_host, port=bind_port, threads=settings.serve_threads, _quiet=True
    )


@app.command()
@user_errors
def status(
    as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
) -> None:
    """Show what the database holds: counts, latest month and per-level totals."""
    from skills_roadmap.storage.status import database_status

    report = database_status(open_database())
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
        return
    typer.echo(f"database:        {report.database}")
    for label, value in [
        ("regions", report.regions),
        ("clusters", report.clusters),
        ("programmes", report.programmes),
        ("targets", report.targets),
        ("progress rows", report.progress_rows),
    ]:
        typer.echo(f"{label + ':':<17}{value:,}")
    typer.echo(f"{'latest period:':<17}{report.latest_period or '-'}")
    typer.echo("\nlevel          programmes    enrolled   completed   certified")
    for level in report.levels:
        typer.echo(
            f"{level.level:<14}{level.programmes:>11,}{level.enrolled:>12,}"
            f"{level.completed:>12,}{level.certified:>12,}"
        )


class UploadKind(StrEnum):
    PROGRESS = "progress"
    NETWORK = "network"
    REGIONS = "regions"
    CLUSTERS = "clusters"
    PROGRAMMES = "programmes"
    TARGETS = "targets"
    FACILITIES = "facilities"


def read_upload(path: Path) -> bytes:
    """The bytes of a file to import, refusing one over the upload limit before reading it."""
    try:
        size = path.stat().st_size
        if size > get_settings().upload_max_bytes:
            limit = get_settings().upload_max_bytes / 1e6
            raise UnreadableFileError(
                f"{path} is {size / 1e6:.1f} MB, over the {limit:.1f} MB limit: split it into "
                "smaller files or raise SKILLS_ROADMAP_UPLOAD_MAX_BYTES"
            )
        return path.read_bytes()
    except OSError as error:
        raise UnreadableFileError(f"cannot read {path}: {error.strerror or error}") from None


# What --json prints for a file that was imported before (nothing was read again).
EMPTY_REPORT: dict[str, object] = {
    "new": 0,
    "changed": 0,
    "unchanged": 0,
    "error_count": 0,
    "warning_count": 0,
    "problem_counts": [],
    "sheets": [],
    "problems_not_listed": 0,
    "errors": [],
    "warnings": [],
}


def say_when_queued(state: str) -> None:
    """One line on stderr when a file waits for others to be read first (``parse_concurrency``)."""
    if state == "queued":
        typer.echo("waiting: other files are being read; this one is read next", err=True)


def write_file(path: Path, data: bytes) -> None:
    """Write an output file, or refuse with one line saying why not."""
    try:
        path.write_bytes(data)
    except OSError as error:
        raise OutputFileError(f"cannot write {path}: {error.strerror or error}") from None


@app.command("import")
@user_errors
def import_(
    file: Path = typer.Argument(
        ...,
        help="The .xlsx, .xlsm, .xls, .ods or .csv file: a Progress sheet or a network workbook.",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and report; store nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    errors: Path | None = typer.Option(
        None, "--errors", help="Also write the sheet back with its problems marked (.xlsx)."
    ),
    user: str | None = typer.Option(
        None, "--user", help="Account to upload as (default: the local user, not limited)."
    ),
    kind: UploadKind | None = typer.Option(
        None,
        "--kind",
        help="progress, network (every sheet of a network workbook), or one network sheet: "
        "regions, clusters, programmes, targets, facilities (default: detected).",
    ),
) -> None:
    """Check a Progress sheet or a network workbook and store it: all rows or none.

    A network workbook holds any of the sheets Regions, Clusters, Programmes, Targets and
    Facilities (recognised by name), stored in that order in one transaction; only
    administrators (and the local user) may import one.

    Exit status 0: stored (or, with --dry-run, no errors); 1: errors in the file, nothing
    stored, or the upload was refused (an unknown --user, a sheet the user may not upload);
    2: the file cannot be read at all. With --json, stdout is always one JSON document: the
    report, or {"error": "...", "exit_code": N}.
    """
    from skills_roadmap import ingest
    from skills_roadmap.ingest.isolation import parse_listener

    sheet_kind = kind.value if kind else None
    report: ingest.DryRunReport | None
    data = read_upload(file)
    engine = open_database()
    scope = ingest.upload_scope(engine, user)
    with parse_listener(say_when_queued):
        if dry_run:
            result = None
            report = ingest.dry_run(
                engine, data, file.name, user=user, manager_clusters=scope, kind=sheet_kind
            )
        else:
            result = ingest.commit_upload(
                engine, data, file.name, user=user, manager_clusters=scope, kind=sheet_kind
            )
            report = result.report
        if errors is not None and report is not None:
            write_file(errors, ingest.annotated_workbook(data, report))
    if as_json:
        document = report.to_json_dict() if report is not None else dict(EMPTY_REPORT)
        if result is not None:
            document |= {
                "outcome": result.outcome.value,
                "upload_id": result.upload_id,
                "message": result.message,
            }
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False, default=str))
    else:
        if report is not None:
            typer.echo(report.to_text())
        if result is not None:
            typer.echo(result.message)
        if errors is not None and report is not None:
            typer.echo(f"problems marked in {errors}")
    if report is not None and not report.ok:
        raise typer.Exit(1)


class TemplateKind(StrEnum):
    PROGRESS = "progress"
    NETWORK = "network"


@app.command()
@user_errors
def template(
    out: Path = typer.Argument(..., help="Where to write the .xlsx template."),
    cluster: str | None = typer.Option(
        None, "--cluster", help="Cluster whose active programmes to list (default: all)."
    ),
    kind: TemplateKind = typer.Option(
        TemplateKind.PROGRESS,
        "--kind",
        help="progress: this month's Progress sheet; network: an empty network workbook "
        "(regions, clusters, programmes, targets, facilities).",
    ),
) -> None:
    """Write a Progress-sheet template with this month's active programmes filled in, or an
    empty network workbook (--kind network)."""
    from skills_roadmap.ingest import network_template, progress_template

    if kind is TemplateKind.NETWORK:
        if cluster is not None:
            raise fail("--cluster lists a cluster's programmes in a progress template only")
        write_file(out, network_template())
    else:
        write_file(out, progress_template(open_database(), cluster))
    typer.echo(f"template written: {out}")


# The dashboard's filters, as the commands that take a selection spell them.
REGION_OPTION = typer.Option([], "--region", help="Region code, e.g. ES24; repeatable.")
CLUSTER_OPTION = typer.Option([], "--cluster", help="Cluster id; repeatable.")
LEVEL_OPTION = typer.Option([], "--level", help="Training level; repeatable.")
FUNDING_OPTION = typer.Option([], "--funding", help="Funding source; repeatable.")
DELIVERY_OPTION = typer.Option([], "--delivery", help="Delivery mode; repeatable.")
AS_OF_OPTION = typer.Option(None, "--as-of", help="Month YYYY-MM (default: latest).")


def selection(
    region: list[str],
    cluster: list[str],
    level: list[TrainingLevel],
    funding: list[str],
    delivery: list[DeliveryMode],
    as_of: str | None,
) -> Filters:
    """The selection the filter options name (``--region`` … ``--as-of``).

    Raises:
        ExportError: a value is malformed (a region code, level or month), naming it.
    """
    from skills_roadmap.reports import make_filters

    return make_filters(
        regions=region,
        clusters=cluster,
        levels=level,
        funding_sources=funding,
        delivery_modes=delivery,
        as_of=as_of,
    )


@app.command()
@user_errors
def summary(
    region: list[str] = REGION_OPTION,
    cluster: list[str] = CLUSTER_OPTION,
    level: list[TrainingLevel] = LEVEL_OPTION,
    funding: list[str] = FUNDING_OPTION,
    delivery: list[DeliveryMode] = DELIVERY_OPTION,
    as_of: str | None = AS_OF_OPTION,
    as_json: bool = typer.Option(
        False, "--json", help="Print the JSON of the read API's /api/v1/summary."
    ),
) -> None:
    """The headline numbers of a selection, per level: what the dashboard's cards show."""
    from skills_roadmap.analysis import AnalysisSettings, load_frames
    from skills_roadmap.analysis.headline import headline

    filters = selection(region, cluster, level, funding, delivery, as_of)
    settings = AnalysisSettings.from_settings(get_settings())
    frames = load_frames(open_database(), complete_month_share=settings.complete_month_share)
    result = headline(frames, filters, settings)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, allow_nan=False, indent=2))
        return
    whose = ", ".join(result.scope_ids) or "the network"
    typer.echo(f"as of {result.as_of or '-'}: targets of {whose} ({result.scope.value})")
    typer.echo(summary_table(result.levels))


def summary_table(levels: pd.DataFrame) -> str:
    """The headline levels as a plain-text table (missing numbers as ``-``)."""
    from skills_roadmap.analysis import Status

    header = f"{'level':<14}{'target':>10}{'achieved':>10}{'attain.':>9}  {'status':<10}forecast"
    lines = [header]
    for row in levels.to_dict("records"):
        status = Status(row["status"]).label if row["status"] else "part" if row["part"] else "-"
        lines.append(
            f"{row['level']:<14}{_number(row['target']):>10}{_number(row['achieved']):>10}"
            f"{_share(row['attainment']):>9}  {status:<10}{row['forecast'] or '-'}"
        )
    return "\n".join(lines)


def _number(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:,.0f}"


def _share(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.0%}"


class ExportFormat(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"
    HTML = "html"
    PDF = "pdf"
    NETWORK = "network"


@app.command()
@user_errors
def export(
    out: Path = typer.Option(
        ..., "--out", "-o", help="File to write; for csv a folder, or a file ending in .zip."
    ),
    report_format: ExportFormat | None = typer.Option(
        None,
        "--format",
        "-f",
        help="xlsx, csv, html or pdf (default: from --out's suffix); network: the whole "
        "network as a network workbook to edit and import again.",
    ),
    region: list[str] = REGION_OPTION,
    cluster: list[str] = CLUSTER_OPTION,
    level: list[TrainingLevel] = LEVEL_OPTION,
    funding: list[str] = FUNDING_OPTION,
    delivery: list[DeliveryMode] = DELIVERY_OPTION,
    as_of: str | None = AS_OF_OPTION,
) -> None:
    """Export a report for any filter: Excel workbook, CSV tables, offline HTML or PDF; or the
    network itself as a network workbook (--format network)."""
    if report_format is ExportFormat.NETWORK:
        if region or cluster or level or funding or delivery or as_of:
            raise fail("--format network exports the whole network: leave out the filters")
        export_network(out)
        return
    from skills_roadmap.analysis import AnalysisSettings
    from skills_roadmap.audit import command_line_actor
    from skills_roadmap.reports import (
        ReportFormat,
        build_report,
        format_for,
        record_export,
        save_report,
    )
    from skills_roadmap.reports.tracking import part

    chosen = format_for(out, ReportFormat(report_format) if report_format else None)
    filters = selection(region, cluster, level, funding, delivery, as_of)
    engine = open_database()
    settings = AnalysisSettings.from_settings(get_settings())
    with typer.progressbar(length=100, label=f"exporting {chosen}", file=sys.stderr) as bar:
        shown = 0

        def track(done: float) -> None:
            nonlocal shown
            if int(done * 100) > shown:
                bar.update(int(done * 100) - shown)
                shown = int(done * 100)

        content = build_report(engine, filters, settings, tracker=part(track, 0.0, 0.4))
        save_report(content, chosen, out, part(track, 0.4, 1.0))
    record_export(engine, command_line_actor(), chosen, content, "command line")
    typer.echo(f"report written: {out}")


def export_network(out: Path) -> None:
    """Write the stored network as a network workbook, and note it in the audit log."""
    from skills_roadmap import audit
    from skills_roadmap.audit import AuditAction, command_line_actor
    from skills_roadmap.ingest import network_workbook

    engine = open_database()
    write_file(out, network_workbook(engine))
    audit.record(
        engine,
        command_line_actor(),
        AuditAction.EXPORT,
        f"network workbook {out.name}",
        {"format": ExportFormat.NETWORK.value, "via": "command line"},
    )
    typer.echo(f"network written: {out}")


periods_app = typer.Typer(
    help="Reporting months: list them with their completeness, close and reopen them.",
    no_args_is_help=True,
)
app.add_typer(periods_app, name="periods")
PERIOD_ARGUMENT = typer.Argument(..., help="The month, YYYY-MM.")


def checked_period(value: str) -> str:
    """``value`` when it is a ``YYYY-MM`` month; a one-line refusal otherwise."""
    from skills_roadmap.domain import parse_period

    try:
        parse_period(value)
    except ValueError as error:
        raise fail(str(error), 2) from None
    return value


@periods_app.command("list")
@user_errors
def periods_list(
    as_json: bool = typer.Option(False, "--json", help="Print JSON, one object per month."),
) -> None:
    """Every reported month, newest first: programmes due and reported, and whether it is
    complete (shown by default), provisional or closed."""
    from skills_roadmap.analysis import AnalysisSettings, load_frames
    from skills_roadmap.analysis.periods import month_to_period
    from skills_roadmap.storage.periods import closed_periods

    engine = open_database()
    share = AnalysisSettings.from_settings(get_settings()).complete_month_share
    frames = load_frames(engine, complete_month_share=share)
    closed = {period.period: period for period in closed_periods(engine)}
    reports = frames.month_reports
    months = []
    for month, due, reported, complete in zip(
        reports.months, reports.due, reports.reported, reports.share, strict=True
    ):
        period = month_to_period(int(month))
        shut = closed.get(period)
        months.append(
            {
                "period": period,
                "due": int(due),
                "reported": int(reported),
                "completeness": float(complete),
                "state": "closed"
                if shut is not None
                else "provisional"
                if frames.default_as_of is not None and month > frames.default_as_of
                else "complete"
                if complete >= share
                else "incomplete",
                "closed_by": None if shut is None else shut.closed_by,
                "closed_at": None if shut is None else shut.closed_at.isoformat(),
            }
        )
    months.reverse()
    if as_json:
        typer.echo(json.dumps(months, indent=2))
        return
    typer.echo(f"{'month':<9}{'reported':>10}{'due':>7}{'share':>8}  state")
    for row in months:
        typer.echo(
            f"{row['period']:<9}{row['reported']:>10,}{row['due']:>7,}"
            f"{row['completeness']:>8.0%}  {row['state']}"
            + (f" (by {row['closed_by']})" if row["closed_by"] else "")
        )


@periods_app.command("late")
@user_errors
def periods_late(
    period: str = PERIOD_ARGUMENT,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The programmes running in a month that have not reported it, with their clusters'
    managers."""
    from skills_roadmap.analysis import load_frames
    from skills_roadmap.analysis.completeness import late_for
    from skills_roadmap.domain import Role
    from skills_roadmap.users import list_users

    engine = open_database()
    late = late_for(load_frames(engine), checked_period(period))
    managers: dict[str, list[str]] = {}
    for user in list_users(engine):
        if user.active and user.role is Role.MANAGER:
            for cluster in user.cluster_ids:
                managers.setdefault(cluster, []).append(user.name)
    rows: list[dict[str, Any]] = [
        {
            "programme_id": str(row["programme_id"]),
            "name": str(row["name"]),
            "cluster_id": str(row["cluster_id"]),
            "region_code": str(row["region_code"]),
            "last_period": row["last_period"] if isinstance(row["last_period"], str) else None,
            "managers": sorted(managers.get(str(row["cluster_id"]), [])),
        }
        for row in late.to_dict("records")
    ]
    if as_json:
        typer.echo(json.dumps({"period": period, "late": rows}, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo(f"every programme running in {period} has reported it")
        return
    for row in rows:
        last = row["last_period"] or "never"
        who = ", ".join(row["managers"]) or "no manager"
        typer.echo(f"{row['programme_id']}  {row['cluster_id']}  last: {last}  managers: {who}")


@periods_app.command("close")
@user_errors
def periods_close(period: str = PERIOD_ARGUMENT) -> None:
    """Close a month: uploads can no longer change its progress (until it is reopened)."""
    from skills_roadmap.audit import command_line_actor
    from skills_roadmap.storage.periods import close_period

    closed = close_period(open_database(), checked_period(period), command_line_actor())
    typer.echo(f"{period} closed" if closed else f"{period} was closed already")


@periods_app.command("reopen")
@user_errors
def periods_reopen(
    period: str = PERIOD_ARGUMENT,
    reason: str = typer.Option(..., "--reason", help="Why the month is reopened (audited)."),
) -> None:
    """Reopen a closed month for uploads; the reason goes to the audit log."""
    from skills_roadmap.audit import command_line_actor
    from skills_roadmap.storage.periods import reopen_period

    if not reason.strip():
        raise fail('a reason is needed to reopen a month: --reason "..."', 2)
    month = checked_period(period)
    if not reopen_period(open_database(), month, command_line_actor(), reason.strip()):
        raise fail(f"{month} is not closed", 1)
    typer.echo(f"{month} reopened")


users_app = typer.Typer(
    help="Accounts and roles: add, list, disable, set-role, set-password.", no_args_is_help=True
)
app.add_typer(users_app, name="users")


def read_password(from_stdin: bool) -> str:
    """The first line of standard input, or a hidden prompt typed twice."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def describe(user: User) -> str:
    """``name  role  active|disabled  clusters`` on one line."""
    state = "active" if user.active else "disabled"
    return f"{user.name:<24}{user.role:<10}{state:<10}{','.join(user.cluster_ids) or '-'}"


ROLE_OPTION = typer.Option(..., "--role", help="admin, official, manager or analyst.")
CLUSTER_OPTION = typer.Option(
    [], "--cluster", help="Cluster id a manager reports for; repeat for several."
)
PASSWORD_STDIN_OPTION = typer.Option(
    False, "--password-stdin", help="Read the password from standard input's first line."
)


@users_app.command("add")
@user_errors
def users_add(
    name: str = typer.Argument(..., help="Log-in name: letters, digits and . _ - @"),
    role: Role = ROLE_OPTION,
    cluster: list[str] = CLUSTER_OPTION,
    password_stdin: bool = PASSWORD_STDIN_OPTION,
) -> None:
    """Create an account (a manager needs at least one --cluster)."""
    from skills_roadmap.audit import command_line_actor
    from skills_roadmap.users import create_user

    password = read_password(password_stdin)
    user = create_user(open_database(), name, role, password, cluster, by=command_line_actor())
    typer.echo(f"user added: {describe(user)}")


@users_app.command("list")
@user_errors
def users_list() -> None:
    """Every account with its role, state and clusters."""
    from skills_roadmap.users import list_users

    typer.echo(f"{'name':<24}{'role':<10}{'state':<10}clusters")
    for user in list_users(open_database()):
        typer.echo(describe(user))


@users_app.command("disable")
@user_errors
def users_disable(name: str = typer.Argument(..., help="Log-in name.")) -> None:
    """Stop an account signing in; its open sessions lose access on their next request."""
    from skills_roadmap.audit import command_line_actor
    from skills_roadmap.users import disable_user

    disable_user(open_database(), name, by=command_line_actor())
    typer.echo(f"user disabled: {name}")


@users_app.command("set-role")
@user_errors
def users_set_role(
    name: str = typer.Argument(..., help="Log-in name."),
    role: Role = ROLE_OPTION,
    cluster: list[str] = CLUSTER_OPTION,
) -> None:
    """Change an account's role (and a manager's clusters); effective on its next request."""
    from skills_roadmap.audit import command_line_actor
    from skills_roadmap.users import set_role

    user = set_role(open_database(), name, role, cluster, by=command_line_actor())
    typer.echo(f"role set: {describe(user)}")


@users_app.command("set-password")
@user_errors
def users_set_password(
    name: str = typer.Argument(..., help="Log-in name."),
    password_stdin: bool = PASSWORD_STDIN_OPTION,
) -> None:
    """Give an account a new password."""
    from skills_roadmap.audit import command_line_actor
    from skills_roadmap.users import set_password

    set_password(open_database(), name, read_password(password_stdin), by=command_line_actor())
    typer.echo(f"password set: {name}")


class PlanModeOption(StrEnum):
    LEAST_COST = "least-cost"
    MOST_PEOPLE = "most-people"


class BudgetError(SkillsRoadmapError):
    """A ``--budget`` is not ``SOURCE=EUR``."""


def parse_budgets(values: list[str]) -> dict[str, float]:
    """``SOURCE=EUR`` options as a budget per funding source (a source named twice adds up)."""
    budgets: dict[str, float] = {}
    for value in values:
        source, _, amount = value.rpartition("=")
        try:
            euros = float(amount.replace(",", "").replace("_", ""))
        except ValueError:
            euros = math.nan
        if not source.strip() or not math.isfinite(euros) or euros < 0:
            raise BudgetError(
                f"--budget {value!r} is not SOURCE=EUR: write e.g. --budget ERDF=2000000"
            )
        budgets[source.strip()] = budgets.get(source.strip(), 0.0) + euros
    return budgets


@app.command()
@user_errors
def plan(
    region: list[str] = REGION_OPTION,
    level: list[TrainingLevel] = LEVEL_OPTION,
    budget: list[str] = typer.Option(
        [], "--budget", help="A funding source's budget, SOURCE=EUR; repeatable."
    ),
    mode: PlanModeOption = typer.Option(
        PlanModeOption.LEAST_COST,
        "--mode",
        help="least-cost: close every gap for the least money; most-people: train the most "
        "people within the budgets.",
    ),
    as_of: str | None = AS_OF_OPTION,
    xlsx: Path | None = typer.Option(None, "--xlsx", help="Also write the plan as a workbook."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
) -> None:
    """The new cohorts that close the selected targets' gaps at the least cost, or train the
    most people within the budgets: which type starts where and when, and why."""
    from skills_roadmap.analysis import AnalysisSettings, load_frames
    from skills_roadmap.planning import PlanRequest
    from skills_roadmap.planning import plan as make_plan

    filters = selection(region, [], level, [], [], as_of)
    request = PlanRequest(
        regions=filters.regions,
        levels=filters.levels,
        budgets=parse_budgets(budget),
        mode=mode.value,
        as_of=filters.as_of,
    )
    settings = AnalysisSettings.from_settings(get_settings())
    frames = load_frames(open_database(), complete_month_share=settings.complete_month_share)
    result = make_plan(frames, request, settings)
    if xlsx is not None:
        import io

        from skills_roadmap.reports.plan_workbook import write_plan_xlsx

        buffer = io.BytesIO()
        write_plan_xlsx(result, buffer)
        write_file(xlsx, buffer.getvalue())
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, allow_nan=False, indent=2))
        return
    totals = result.totals
    typer.echo(
        f"as of {result.as_of} ({result.mode.value}): {totals['cohorts']:,.0f} cohorts, "
        f"{totals['completers']:,.0f} completers, EUR {totals['cost']:,.0f}"
    )
    for row in result.rows.to_dict("records"):
        typer.echo(
            f"{row['start']}  {row['region_code']:<6}{row['level']:<14}{row['delivery_mode']:<11}"
            f"{row['provider_helix']:<10}{row['funding_source'] or '-':<16}"
            f"{row['cohorts']:>5} {'cohort ' if row['cohorts'] == 1 else 'cohorts'}"
            f"  {row['completers']:>10,.0f} completers  "
            f"EUR {row['cost']:>12,.0f}"
        )
    for words in result.words:
        typer.echo(f"note: {words}")


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover - `python -m skills_roadmap.cli`
    main()
