"""The `skills-roadmap` command: a thin Typer shell, one command per verb.

Every command turns a `SkillsRoadmapError` into one clear line on stderr and a non-zero exit
(2 for a file that cannot be read, 1 otherwise); under ``--json`` the refusal is also printed
on stdout as ``{"error": "…", "exit_code": N}``, so a script always gets JSON. The work
itself lives in the library.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer
from sqlalchemy import Engine

from skills_roadmap.cli_help import TranslatedTyper, command_language
from skills_roadmap.domain import DeliveryMode, Role, TrainingLevel, User
from skills_roadmap.exceptions import SkillsRoadmapError, UnreadableFileError
from skills_roadmap.i18n import N_, formats, gettext, ngettext
from skills_roadmap.i18n.formats import Message
from skills_roadmap.i18n.words import _
from skills_roadmap.settings import get_settings
from skills_roadmap.status_words import forecast_words
from skills_roadmap.storage import check_connection, get_engine, require_initialised, upgrade
from skills_roadmap.text import counted

if TYPE_CHECKING:
    import pandas as pd

    from skills_roadmap.analysis import Filters

app = TranslatedTyper(
    name="skills-roadmap",
    help="Plan and track a workforce AI-skills roadmap across regions and clusters.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

P = ParamSpec("P")
R = TypeVar("R")


@app.callback()
def choose_language(
    lang: str | None = typer.Option(
        None,
        "--lang",
        help="Language the command speaks: its messages, help, reports and summaries (en, es, "
        "ro, sv, pt, it, fr, nl, fi, pl, el, de; default: from LANG, else the "
        "default_language setting).",
    ),
) -> None:
    """Plan and track a workforce AI-skills roadmap across regions and clusters."""
    # The command line runs in its language from the start (cli_help.Group.main, so that
    # --help is translated too); here an unknown --lang is refused.
    try:
        command_language(lang, os.environ.get("LANG"))
    except SkillsRoadmapError as error:
        raise fail(str(error)) from None


class OutputFileError(SkillsRoadmapError):
    """A file the command was asked to write cannot be written."""


def fail(message: str, code: int = 1, *, as_json: bool = False) -> typer.Exit:
    """Print ``message`` as one line on stderr (and, ``as_json``, as JSON on stdout) and
    return the exit to raise."""
    if as_json:
        typer.echo(json.dumps({"error": message, "exit_code": code}, ensure_ascii=False))
    typer.secho(_("error: {message}", message=message), err=True, fg=typer.colors.RED)
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
    typer.echo(_("database ready: {url}", url=engine.url.render_as_string(hide_password=True)))


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
        typer.echo(_("database already holds data; demo not loaded"))
        return
    started = time.perf_counter()
    summary = build_demo(engine, seed=seed, scale=scale.value, progress=typer.echo)
    contents = [
        counted(summary.regions, "region"),
        counted(summary.clusters, "cluster"),
        counted(summary.programmes, "programme"),
        counted(summary.targets, "target"),
        counted(summary.progress_rows, "progress row"),
        counted(summary.facilities, "facility", "facilities"),
    ]
    typer.echo(
        _(
            "demo network loaded in {seconds:.1f} s: {contents}",
            seconds=time.perf_counter() - started,
            contents=", ".join(contents),
        )
    )
    add_demo_accounts(engine, accounts_password)


def add_demo_accounts(engine: Engine, password: str | None) -> None:
    """One account per role; a generated password is shown here once and stored nowhere."""
    import secrets

    from skills_roadmap.audit import command_line_actor
    from skills_roadmap.users import create_demo_accounts

    chosen = password or secrets.token_urlsafe(12)
    created = create_demo_accounts(engine, chosen, by=command_line_actor())
    if created and password:
        typer.echo(_("demo accounts {names} created", names=", ".join(created)))
    elif created:
        typer.echo(
            _(
                "demo accounts {names} created with password {password} (shown only now)",
                names=", ".join(created),
                password=chosen,
            )
        )


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
        raise fail(_("--workers needs --production: the local server is one process"))
    dash_app = create_app()
    warm_up()  # the first upload need not wait for the readers to be imported
    url = f"http://{bind_host}:{bind_port}/"
    typer.echo(_("Skills Roadmap on {url}  (Ctrl+C stops)", url=url))
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
    for label, value in [
        (gettext("database:"), report.database),
        (gettext("regions:"), formats.number(report.regions)),
        (gettext("clusters:"), formats.number(report.clusters)),
        (gettext("programmes:"), formats.number(report.programmes)),
        (gettext("targets:"), formats.number(report.targets)),
        (gettext("progress rows:"), formats.number(report.progress_rows)),
        (gettext("latest period:"), report.latest_period or "-"),
    ]:
        typer.echo(f"{label:<17}{value}")
    from skills_roadmap.reports.summary import level_words

    headings = [gettext(word) for word in STATUS_HEADINGS]
    widths = fitted(STATUS_COLUMNS, headings)
    typer.echo("\n" + table_row(widths, headings))
    for level in report.levels:
        numbers = [level.programmes, level.enrolled, level.completed, level.certified]
        typer.echo(table_row(widths, [level_words(level.level), *map(formats.number, numbers)]))


STATUS_HEADINGS = (N_("level"), N_("programmes"), N_("enrolled"), N_("completed"), N_("certified"))
STATUS_COLUMNS = (-14, 11, 12, 12, 12)
"""The status table's columns: a width each, negative for text aligned left."""


def fitted(widths: tuple[int, ...], headings: list[str]) -> tuple[int, ...]:
    """The columns' widths, each widened to hold its heading and a space before the next (a
    heading may be longer in another language)."""
    return tuple(
        width if abs(width) > len(heading) else (len(heading) + 1) * (1 if width > 0 else -1)
        for width, heading in zip(widths, headings, strict=True)
    )


def table_row(widths: tuple[int, ...], cells: list[str]) -> str:
    """One line of a plain-text table: each cell padded to its column's width (a negative width
    aligns left), the last cell of a left-aligned column without trailing spaces."""
    line = "".join(
        f"{cell:<{-width}}" if width < 0 else f"{cell:>{width}}"
        for width, cell in zip(widths, cells, strict=True)
    )
    return line.rstrip()


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
                _(
                    "{path} is {size:.1f} MB, over the {limit:.1f} MB limit: split it into "
                    "smaller files or raise SKILLS_ROADMAP_UPLOAD_MAX_BYTES",
                    path=str(path),
                    size=size / 1e6,
                    limit=limit,
                )
            )
        return path.read_bytes()
    except OSError as error:
        raise UnreadableFileError(
            _("cannot read {path}: {reason}", path=str(path), reason=error.strerror or error)
        ) from None


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
        typer.echo(_("waiting: other files are being read; this one is read next"), err=True)


def write_file(path: Path, data: bytes) -> None:
    """Write an output file, or refuse with one line saying why not."""
    try:
        path.write_bytes(data)
    except OSError as error:
        raise OutputFileError(
            _("cannot write {path}: {reason}", path=str(path), reason=error.strerror or error)
        ) from None


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
            typer.echo(_("problems marked in {path}", path=str(errors)))
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
        help="progress: a month's Progress sheet; network: an empty network workbook "
        "(regions, clusters, programmes, targets, facilities).",
    ),
    month: str | None = typer.Option(
        None,
        "--month",
        help="The month to report, YYYY-MM (default: the month after the cluster's last report).",
    ),
    lang: str = typer.Option(
        "en",
        "--lang",
        help="Language of the sheet names, headers and drop-down values: en, es, ro, sv, pt, "
        "it, fr, nl, fi, pl, el or de (the import reads them all).",
    ),
) -> None:
    """Write a Progress-sheet template with the programmes running in the month to report
    filled in, or an empty network workbook (--kind network)."""
    from skills_roadmap.ingest import network_template
    from skills_roadmap.ingest.template import template_month, template_workbook
    from skills_roadmap.reference.sheet_terms import checked_language

    if kind is TemplateKind.NETWORK:
        if cluster is not None:
            raise fail(_("--cluster lists a cluster's programmes in a progress template only"))
        if month is not None:
            raise fail(_("--month is the month of a progress template only"))
        write_file(out, network_template(lang))
        typer.echo(_("template written: {path}", path=str(out)))
        return
    checked_language(lang)  # before the database is opened
    chosen = template_month(open_database(), cluster, month)
    write_file(out, template_workbook(chosen, lang))
    typer.echo(_("template for {month} written: {path}", month=chosen.period, path=str(out)))
    reason = chosen.empty_reason()
    if reason is not None:
        typer.secho(_("note: {note}", note=reason), err=True, fg=typer.colors.YELLOW)


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
    from skills_roadmap.reports.summary import month_words

    whose = ", ".join(result.scope_ids) or gettext("the network")
    line = gettext("as of {month}: targets of {whose} ({scope})").format(
        month=month_words(result.as_of) if result.as_of else "-",
        whose=whose,
        scope=gettext(SCOPE_WORDS.get(result.scope.value, result.scope.value)),
    )
    typer.echo(line)
    typer.echo(summary_table(result.levels))


SCOPE_WORDS = {"network": N_("network"), "region": N_("region"), "cluster": N_("cluster")}


def summary_table(levels: pd.DataFrame) -> str:
    """The headline levels as a plain-text table (missing numbers as ``-``), in the command's
    language."""
    from skills_roadmap.analysis import Status
    from skills_roadmap.reports.summary import level_words

    level, target, achieved = gettext("level"), gettext("target"), gettext("achieved")
    attained, status_word, forecast = gettext("attain."), gettext("status"), gettext("forecast")
    header = f"{level:<14}{target:>10}{achieved:>10}{attained:>9}  {status_word:<10}{forecast}"
    lines = [header]
    for row in levels.to_dict("records"):
        status = (
            Status(row["status"]).label
            if row["status"]
            else gettext("part")
            if row["part"]
            else "-"
        )
        lines.append(
            f"{level_words(row['level']):<14}{_number(row['target']):>10}"
            f"{_number(row['achieved']):>10}"
            f"{_share(row['attainment']):>9}  {status:<10}{forecast_words(row['forecast'])}"
        )
    return "\n".join(lines)


def _number(value: float) -> str:
    return "-" if math.isnan(value) else formats.number(value)


def _share(value: float) -> str:
    return "-" if math.isnan(value) else formats.percent(value)


class ExportFormat(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"
    HTML = "html"
    PDF = "pdf"
    NETWORK = "network"
    LATE = "late"


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
        "network as a network workbook to edit and import again; late: who has not reported "
        "--period, as one CSV file.",
    ),
    region: list[str] = REGION_OPTION,
    cluster: list[str] = CLUSTER_OPTION,
    level: list[TrainingLevel] = LEVEL_OPTION,
    funding: list[str] = FUNDING_OPTION,
    delivery: list[DeliveryMode] = DELIVERY_OPTION,
    as_of: str | None = AS_OF_OPTION,
    period: str | None = typer.Option(
        None,
        "--period",
        help="With --format late: the month, YYYY-MM (default: the month shown by default).",
    ),
) -> None:
    """Export a report for any filter: Excel workbook, CSV tables, offline HTML or PDF; the
    network itself as a network workbook (--format network); or who has not reported a month
    (--format late)."""
    if report_format is ExportFormat.NETWORK:
        if region or cluster or level or funding or delivery or as_of:
            raise fail(_("--format network exports the whole network: leave out the filters"))
        export_network(out)
        return
    if period is not None and report_format is not ExportFormat.LATE:
        raise fail(_("--period names the month of --format late; use --as-of for a report"))
    if report_format is ExportFormat.LATE:
        if as_of is not None:
            raise fail(_("--format late takes the month as --period, not --as-of"))
        export_late(out, period, selection(region, cluster, level, funding, delivery, None))
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
    with typer.progressbar(
        length=100, label=_("exporting {format}", format=chosen), file=sys.stderr
    ) as bar:
        shown = 0

        def track(done: float) -> None:
            nonlocal shown
            if int(done * 100) > shown:
                bar.update(int(done * 100) - shown)
                shown = int(done * 100)

        content = build_report(engine, filters, settings, tracker=part(track, 0.0, 0.4))
        save_report(content, chosen, out, part(track, 0.4, 1.0))
    record_export(engine, command_line_actor(), chosen, content, "command line")
    typer.echo(_("report written: {path}", path=str(out)))


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
    typer.echo(_("network written: {path}", path=str(out)))


def export_late(out: Path, period: str | None, filters: Filters) -> None:
    """Write who has not reported ``period`` (of the selection) as CSV, and audit it."""
    from skills_roadmap import audit
    from skills_roadmap.analysis import AnalysisSettings, apply_filters, load_frames
    from skills_roadmap.analysis.periods import month_to_period
    from skills_roadmap.audit import AuditAction, command_line_actor
    from skills_roadmap.late import cluster_managers, late_list
    from skills_roadmap.reports.late import late_csv

    engine = open_database()
    share = AnalysisSettings.from_settings(get_settings()).complete_month_share
    frames = load_frames(engine, complete_month_share=share)
    if period is None:
        if frames.default_as_of is None:
            raise fail(_("nothing has been reported yet: name the month with --period YYYY-MM"))
        period = month_to_period(frames.default_as_of)
    month = checked_period(period)
    chosen = apply_filters(frames, filters.model_copy(update={"as_of": month}))
    late = late_list(chosen, month, cluster_managers(engine))
    write_file(out, late_csv(late, month))
    audit.record(
        engine,
        command_line_actor(),
        AuditAction.EXPORT,
        f"not reported {month} {out.name}",
        {"format": ExportFormat.LATE.value, "via": "command line", "period": month},
    )
    typer.echo(
        Message(
            ngettext(
                "{count:,} programme not reported {month}: {path}",
                "{count:,} programmes not reported {month}: {path}",
                len(late),
            )
        ).format(count=len(late), month=month, path=str(out))
    )


periods_app = TranslatedTyper(
    help="Reporting months: list them with their completeness, who is late, reminders; "
    "submit, approve or return a cluster's month; close and reopen them.",
    no_args_is_help=True,
)
app.add_typer(periods_app, name="periods")
PERIOD_ARGUMENT = typer.Argument(..., metavar="YYYY-MM", help="The month, YYYY-MM.")


def checked_period(value: str) -> str:
    """``value`` when it is a ``YYYY-MM`` month; a one-line refusal otherwise."""
    from skills_roadmap.domain import parse_period
    from skills_roadmap.domain_errors import refusal

    try:
        parse_period(value)
    except ValueError as error:
        raise fail(refusal(error), 2) from None
    return value


@periods_app.command("list")
@user_errors
def periods_list(
    as_json: bool = typer.Option(False, "--json", help="Print JSON, one object per month."),
) -> None:
    """Every reported month, newest first: programmes due and reported, whether it is
    complete (shown by default), provisional or closed, and how many clusters submitted,
    had it approved or returned."""
    from skills_roadmap.analysis import AnalysisSettings, load_frames
    from skills_roadmap.analysis.month_states import month_table
    from skills_roadmap.storage.periods import closed_periods
    from skills_roadmap.storage.submissions import submissions

    engine = open_database()
    share = AnalysisSettings.from_settings(get_settings()).complete_month_share
    frames = load_frames(engine, complete_month_share=share)
    closed = {period.period: period for period in closed_periods(engine)}
    approvals: dict[str, dict[str, int]] = {}
    for item in submissions(engine):
        counts = approvals.setdefault(item.period, {})
        counts[item.state.value] = counts.get(item.state.value, 0) + 1
    months = []
    for row in month_table(frames).to_dict("records"):
        shut = closed.get(row["period"])
        months.append(
            {
                **row,
                "closed_by": None if shut is None else shut.closed_by,
                "closed_at": None if shut is None else shut.closed_at.isoformat(),
                "submissions": approvals.get(row["period"], {}),
            }
        )
    if as_json:
        typer.echo(json.dumps(months, indent=2))
        return
    headings = [gettext(word) if word else word for word in MONTH_HEADINGS]
    widths = fitted(MONTH_COLUMNS, headings)
    typer.echo(table_row(widths, headings))
    for row in months:
        state = state_words(row["state"])
        if row["closed_by"]:
            state = _("{state} (by {who})", state=state, who=row["closed_by"])
        numbers = [formats.number(row["reported"]), formats.number(row["due"])]
        typer.echo(
            table_row(
                widths,
                [row["period"], *numbers, formats.percent(row["completeness"]), "", state],
            )
        )


MONTH_HEADINGS = (N_("month"), N_("reported"), N_("due"), N_("share"), "", N_("state"))
MONTH_COLUMNS = (-9, 10, 7, 8, 2, -1)
STATE_WORDS = {
    "closed": N_("closed"),
    "complete": N_("complete"),
    "provisional": N_("provisional"),
    "incomplete": N_("incomplete"),
    "not_submitted": N_("not submitted"),
    "submitted": N_("submitted"),
    "approved": N_("approved"),
    "returned": N_("returned"),
}
"""How a month's or a cluster's month's state reads (the states are codes)."""


def state_words(state: object) -> str:
    """A month's state in the current language (an unknown state as it is)."""
    return gettext(STATE_WORDS[str(state)]) if str(state) in STATE_WORDS else str(state)


@periods_app.command("late")
@user_errors
def periods_late(
    period: str = PERIOD_ARGUMENT,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The programmes running in a month that have not reported it, with their clusters'
    managers."""
    from skills_roadmap.analysis import load_frames
    from skills_roadmap.late import cluster_managers, late_list

    engine = open_database()
    late = late_list(load_frames(engine), checked_period(period), cluster_managers(engine))
    rows = late_records(late)
    if as_json:
        typer.echo(json.dumps({"period": period, "late": rows}, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo(_("Everyone due has reported {period}", period=period))
        return
    for row in rows:
        last = row["last_period"] or gettext("never")
        who = ", ".join(row["managers"]) or gettext("no manager")
        typer.echo(
            _(
                "{programme}  {cluster}  last: {last}  managers: {managers}",
                programme=row["programme_id"],
                cluster=row["cluster_id"],
                last=last,
                managers=who,
            )
        )


def late_records(late: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a late list (:func:`skills_roadmap.late.late_list`) as JSON objects."""
    return [
        {str(key): value for key, value in row.items()} | {"managers": list(row["managers"])}
        for row in late.to_dict("records")
    ]


@periods_app.command("remind")
@user_errors
def periods_remind(
    period: str = PERIOD_ARGUMENT,
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Print the mails instead of sending them (no mail server needed)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Mail each manager a digest of their programmes that have not reported a month, and how
    to report; managers without an e-mail address are listed as not reachable.

    Needs a mail server (SKILLS_ROADMAP_SMTP_HOST, SKILLS_ROADMAP_SMTP_SENDER) unless
    --dry-run. Exit status 1 when a mail could not be sent.
    """
    from skills_roadmap.analysis import load_frames
    from skills_roadmap.audit import command_line_actor
    from skills_roadmap.late import cluster_managers
    from skills_roadmap.reminders import check_mail_settings, plan_reminders, send_reminders

    settings = get_settings()
    month = checked_period(period)
    if not dry_run:
        check_mail_settings(settings)
    engine = open_database()
    reminders = plan_reminders(load_frames(engine), month, cluster_managers(engine), settings)
    if not dry_run:
        send_reminders(engine, reminders, settings, by=command_line_actor())
    if as_json:
        typer.echo(json.dumps(reminders.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(reminders.to_text(), nl=False)
    if reminders.failed:
        for manager, reason in reminders.failed.items():
            typer.secho(
                _("error: not sent to {manager}: {reason}", manager=manager, reason=reason),
                err=True,
                fg=typer.colors.RED,
            )
        raise typer.Exit(1)


@periods_app.command("close")
@user_errors
def periods_close(period: str = PERIOD_ARGUMENT) -> None:
    """Close a month: uploads can no longer change its progress (until it is reopened). With
    month approval on, only once every cluster due that month has it approved."""
    from skills_roadmap.audit import command_line_actor
    from skills_roadmap.storage.periods import close_period

    engine = open_database()
    month = checked_period(period)
    closed = close_period(
        engine, month, command_line_actor(), approvals_of=approvals_needed(engine, month)
    )
    typer.echo(
        _("{month} closed", month=month) if closed else _("{month} was closed already", month=month)
    )


def approvals_needed(engine: Engine, period: str) -> list[str]:
    """The clusters that must have ``period`` approved before it closes: every cluster due
    that month with ``month_approval`` on, none otherwise."""
    from skills_roadmap.analysis import load_frames
    from skills_roadmap.analysis.month_states import clusters_due

    if not get_settings().month_approval:
        return []
    return clusters_due(load_frames(engine), period)


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
        raise fail(_('a reason is needed to reopen a month: --reason "..."'), 2)
    month = checked_period(period)
    if not reopen_period(open_database(), month, command_line_actor(), reason.strip()):
        raise fail(_("{month} is not closed", month=month), 1)
    typer.echo(_("{month} reopened", month=month))


CLUSTER_OPTION = typer.Option(..., "--cluster", help="The cluster's id.")


def approval_database() -> Engine:
    """The configured database, once month approval is known to be on."""
    from skills_roadmap.storage.submissions import SubmissionError

    if not get_settings().month_approval:
        raise SubmissionError(
            _(
                "month approval is off: set SKILLS_ROADMAP_MONTH_APPROVAL=true to submit and "
                "approve months"
            )
        )
    return open_database()


@periods_app.command("submit")
@user_errors
def periods_submit(period: str = PERIOD_ARGUMENT, cluster: str = CLUSTER_OPTION) -> None:
    """Submit a cluster's month as complete (its manager's step; again after a return)."""
    from skills_roadmap.audit import command_line_actor
    from skills_roadmap.storage.submissions import submit_period

    month = checked_period(period)
    submit_period(approval_database(), month, cluster, command_line_actor())
    typer.echo(_("{month} of {cluster} submitted", month=month, cluster=cluster))


@periods_app.command("approve")
@user_errors
def periods_approve(period: str = PERIOD_ARGUMENT, cluster: str = CLUSTER_OPTION) -> None:
    """Approve a cluster's submitted month (an official's or administrator's step)."""
    from skills_roadmap.audit import command_line_actor
    from skills_roadmap.storage.submissions import approve_period

    month = checked_period(period)
    approve_period(approval_database(), month, cluster, command_line_actor())
    typer.echo(_("{month} of {cluster} approved", month=month, cluster=cluster))


@periods_app.command("return")
@user_errors
def periods_return(
    period: str = PERIOD_ARGUMENT,
    cluster: str = CLUSTER_OPTION,
    comment: str = typer.Option(
        ..., "--comment", help="What the manager must fix (shown to them, audited)."
    ),
) -> None:
    """Return a cluster's submitted or approved month to its manager with a comment."""
    from skills_roadmap.audit import command_line_actor
    from skills_roadmap.storage.submissions import return_period

    month = checked_period(period)
    return_period(approval_database(), month, cluster, command_line_actor(), comment)
    typer.echo(_("{month} of {cluster} returned", month=month, cluster=cluster))


@periods_app.command("status")
@user_errors
def periods_status(
    period: str = PERIOD_ARGUMENT,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """One month: whether it is closed, and per cluster due that month its programmes due and
    reported and where its submission stands."""
    from skills_roadmap.analysis import load_frames
    from skills_roadmap.analysis.month_states import cluster_months
    from skills_roadmap.storage.periods import closed_periods
    from skills_roadmap.storage.submissions import submissions

    month = checked_period(period)
    engine = open_database()
    table = cluster_months(load_frames(engine), [month], submissions(engine, month))
    closed = next((item for item in closed_periods(engine) if item.period == month), None)
    clusters = [
        {
            key: value.isoformat() if hasattr(value, "isoformat") else value
            for key, value in row.items()
            if key != "period"
        }
        for row in table.astype(object).where(table.notna(), None).to_dict("records")
    ]
    status = {
        "period": month,
        "approval": get_settings().month_approval,
        "closed": closed is not None,
        "closed_by": None if closed is None else closed.closed_by,
        "clusters": clusters,
    }
    if as_json:
        typer.echo(json.dumps(status, ensure_ascii=False, indent=2))
        return
    typer.echo(
        _("{month}: closed by {who}", month=month, who=closed.closed_by)
        if closed
        else _("{month}: open", month=month)
    )
    for row in clusters:
        message = CLUSTER_MONTH[(bool(row["changed_by"]), bool(row["comment"]))]
        typer.echo(
            _(
                message,
                cluster=row["cluster_id"],
                reported=row["reported"],
                due=row["due"],
                state=state_words(row["state"]),
                who=row["changed_by"],
                comment=row["comment"],
            )
        )


CLUSTER_MONTH = {
    (False, False): N_("{cluster}  {reported:,}/{due:,} reported  {state}"),
    (True, False): N_("{cluster}  {reported:,}/{due:,} reported  {state} by {who}"),
    (False, True): N_("{cluster}  {reported:,}/{due:,} reported  {state}: {comment}"),
    (True, True): N_("{cluster}  {reported:,}/{due:,} reported  {state} by {who}: {comment}"),
}
"""A cluster's month in ``periods status``, by whether it names who changed it and a comment."""


users_app = TranslatedTyper(
    help="Accounts and roles: add, list, disable, set-role, set-password, set-email, set-language.",
    no_args_is_help=True,
)
app.add_typer(users_app, name="users")


def read_password(from_stdin: bool) -> str:
    """The first line of standard input, or a hidden prompt typed twice."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(
        typer.prompt(
            gettext("Password"),
            hide_input=True,
            confirmation_prompt=gettext("Repeat for confirmation"),
        )
    )


def describe(user: User) -> str:
    """``name  role  active|disabled  clusters`` (and the e-mail address and the language, if
    any) on one line."""
    state = gettext("active") if user.active else gettext("disabled")
    line = f"{user.name:<24}{user.role:<10}{state:<10}{','.join(user.cluster_ids) or '-'}"
    return "  ".join([line, *(value for value in (user.email, user.language) if value)])


USER_HEADINGS = (N_("name"), N_("role"), N_("state"), N_("clusters"))
ROLE_OPTION = typer.Option(..., "--role", help="admin, official, manager or analyst.")
CLUSTER_OPTION = typer.Option(
    [], "--cluster", help="Cluster id a manager reports for; repeat for several."
)
PASSWORD_STDIN_OPTION = typer.Option(
    False, "--password-stdin", help="Read the password from standard input's first line."
)
EMAIL_OPTION = typer.Option(
    None, "--email", help="E-mail address, where reminders of late reports go (optional)."
)
LANGUAGE_OPTION = typer.Option(
    None,
    "--language",
    help="The language of the account's reminder mails, such as es or de (optional; else "
    "the installation's).",
)


@users_app.command("add")
@user_errors
def users_add(
    name: str = typer.Argument(..., help="Log-in name: letters, digits and . _ - @"),
    role: Role = ROLE_OPTION,
    cluster: list[str] = CLUSTER_OPTION,
    password_stdin: bool = PASSWORD_STDIN_OPTION,
    email: str | None = EMAIL_OPTION,
    language: str | None = LANGUAGE_OPTION,
) -> None:
    """Create an account (a manager needs at least one --cluster)."""
    from skills_roadmap.audit import command_line_actor
    from skills_roadmap.users import create_user

    password = read_password(password_stdin)
    user = create_user(
        open_database(),
        name,
        role,
        password,
        cluster,
        by=command_line_actor(),
        email=email,
        language=language,
    )
    typer.echo(_("user added: {user}", user=describe(user)))


@users_app.command("list")
@user_errors
def users_list() -> None:
    """Every account with its role, state and clusters."""
    from skills_roadmap.users import list_users

    headings = [gettext(word) for word in USER_HEADINGS]
    typer.echo(f"{headings[0]:<24}{headings[1]:<10}{headings[2]:<10}{headings[3]}")
    for user in list_users(open_database()):
        typer.echo(describe(user))


@users_app.command("disable")
@user_errors
def users_disable(name: str = typer.Argument(..., help="Log-in name.")) -> None:
    """Stop an account signing in; its open sessions lose access on their next request."""
    from skills_roadmap.audit import command_line_actor
    from skills_roadmap.users import disable_user

    disable_user(open_database(), name, by=command_line_actor())
    typer.echo(_("user disabled: {name}", name=name))


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
    typer.echo(_("role set: {user}", user=describe(user)))


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
    typer.echo(_("password set: {name}", name=name))


@users_app.command("set-email")
@user_errors
def users_set_email(
    name: str = typer.Argument(..., help="Log-in name."),
    email: str = typer.Option(
        ..., "--email", help='The new address; --email "" removes it (no reminders then).'
    ),
) -> None:
    """Give an account the e-mail address where reminders of late reports go."""
    from skills_roadmap.audit import command_line_actor
    from skills_roadmap.users import set_email

    user = set_email(open_database(), name, email, by=command_line_actor())
    typer.echo(
        _("e-mail set: {user}", user=describe(user))
        if user.email
        else _("e-mail removed: {name}", name=name)
    )


@users_app.command("set-language")
@user_errors
def users_set_language(
    name: str = typer.Argument(..., help="Log-in name."),
    language: str = typer.Option(
        ...,
        "--language",
        help='The language code, such as "es"; --language "" removes it (the installation\'s '
        "language then).",
    ),
) -> None:
    """Set the language an account's reminder mails are written in (users set it themselves
    with the dashboard's language menu)."""
    from skills_roadmap.users import set_language

    user = set_language(open_database(), name, language)
    typer.echo(
        _("language set: {user}", user=describe(user))
        if user.language
        else _("language removed: {name}", name=name)
    )


uploads_app = TranslatedTyper(
    help="Uploads: list them, and revert one (the values it replaced are stored again).",
    no_args_is_help=True,
)
app.add_typer(uploads_app, name="uploads")


UPLOAD_HEADINGS = (
    N_("upload"),
    N_("when (UTC)"),
    N_("by"),
    N_("kind"),
    N_("outcome"),
    N_("file"),
)


@uploads_app.command("list")
@user_errors
def uploads_list(
    as_json: bool = typer.Option(False, "--json", help="Print JSON, one object per upload."),
) -> None:
    """Every upload, newest first: its number, file, kind, who, when, outcome and row counts."""
    from skills_roadmap.storage import session_scope
    from skills_roadmap.storage.uploads import upload_history

    with session_scope(open_database()) as session:
        uploads = upload_history(session)
    rows = [
        {
            **{key: value for key, value in row.items() if key != "uploaded_at"},
            "upload_id": int(row["upload_id"]),
            "uploaded_at": row["uploaded_at"].isoformat(),
            **{key: int(row[key]) for key in ("rows_new", "rows_changed", "rows_unchanged")},
            **{key: int(row[key]) for key in ("errors", "warnings")},
        }
        for row in uploads.to_dict("records")
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    upload, when, by, kind, outcome, file = (gettext(word) for word in UPLOAD_HEADINGS)
    typer.echo(f"{upload:>6}  {when:<16}  {by:<16}{kind:<11}{outcome:<11}{file}")
    for row in rows:
        typer.echo(
            f"{row['upload_id']:>6}  {row['uploaded_at'][:16].replace('T', ' '):<16}  "
            f"{row['uploaded_by']:<16}{row['kind']:<11}{row['outcome']:<11}{row['file_name']}"
        )


@uploads_app.command("revert")
@user_errors
def uploads_revert(
    upload_id: int = typer.Argument(..., help="The upload's number (see `uploads list`)."),
    reason: str = typer.Option(..., "--reason", help="Why it is reverted (audited)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Store again the values an upload replaced, as a new upload (which can be reverted in
    turn); the months it reported first are removed. Refused for a closed month."""
    from skills_roadmap.audit import command_line_actor
    from skills_roadmap.storage.revert import revert_upload

    if not reason.strip():
        raise fail(_('a reason is needed to revert an upload: --reason "..."'), 2, as_json=as_json)
    result = revert_upload(open_database(), upload_id, user=command_line_actor(), reason=reason)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "reverted": result.reverted,
                    "upload_id": result.upload_id,
                    "restored": result.restored,
                    "removed": result.removed,
                    "recreated": result.recreated,
                    "values": result.values,
                },
                indent=2,
            )
        )
        return
    typer.echo(result.message)


class PlanModeOption(StrEnum):
    LEAST_COST = "least-cost"
    MOST_PEOPLE = "most-people"


class BudgetError(SkillsRoadmapError):
    """A ``--budget`` is not ``SOURCE=EUR``."""


def parse_budgets(values: list[str]) -> dict[str, float]:
    """``SOURCE=EUR`` options as a budget per funding source (a source named twice adds up)."""
    budgets: dict[str, float] = {}
    for value in values:
        source, _equals, amount = value.rpartition("=")
        try:
            euros = float(amount.replace(",", "").replace("_", ""))
        except ValueError:
            euros = math.nan
        if not source.strip() or not math.isfinite(euros) or euros < 0:
            raise BudgetError(
                _(
                    "--budget {value} is not SOURCE=EUR: write e.g. --budget ERDF=2000000",
                    value=repr(value),
                )
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
    cost_factor: float = typer.Option(
        1.0,
        "--cost-factor",
        min=0.1,
        max=10.0,
        help="What if new cohorts cost this multiple of the history's.",
    ),
    completion_factor: float = typer.Option(
        1.0,
        "--completion-factor",
        min=0.1,
        max=10.0,
        help="What if new cohorts complete at this multiple of the history's rate (at most 1).",
    ),
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
        cost_factor=cost_factor,
        completion_factor=completion_factor,
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
    from skills_roadmap.planning.explain import cohorts_words, completers_words

    totals = result.totals
    typer.echo(
        gettext("as of {month} ({mode}): {cohorts}, {completers}, {cost}").format(
            month=formats.month(result.as_of),
            mode=result.mode.value,
            cohorts=cohorts_words(round(totals["cohorts"])),
            completers=completers_words(round(totals["completers"])),
            cost=formats.money(totals["cost"], cents=False),
        )
    )
    for row in result.rows.to_dict("records"):
        typer.echo(
            f"{row['start']}  {row['region_code']:<6}{row['level']:<14}{row['delivery_mode']:<11}"
            f"{row['provider_helix']:<10}{row['funding_source'] or '-':<16}"
            f"{cohorts_words(int(row['cohorts'])):>12}"
            f"  {completers_words(round(row['completers'])):>16}  "
            f"{formats.money(row['cost'], cents=False):>14}"
        )
    for words in result.words:
        typer.echo(gettext("note: {words}").format(words=words))


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover - `python -m skills_roadmap.cli`
    main()
