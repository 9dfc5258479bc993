"""The `skills-roadmap` command: a thin Typer shell, one command per verb.

Every command turns a `SkillsRoadmapError` into one clear line on stderr and a non-zero exit;
the work itself lives in the library.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from sqlalchemy import Engine

from skills_roadmap.domain import Role, User
from skills_roadmap.exceptions import SkillsRoadmapError
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import check_connection, get_engine, require_initialised, upgrade

app = typer.Typer(
    name="skills-roadmap",
    help="Plan and track a workforce AI-skills roadmap across regions and clusters.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` as one line on stderr and return the exit to raise."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Show a user-facing error as one line and exit 1, never as a traceback."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except SkillsRoadmapError as error:
            raise fail(str(error)) from None

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
) -> None:
    """Serve the dashboard (waitress; --debug for Dash's development server)."""
    from dashboard.app import create_app
    from skills_roadmap.serving import check_serving_mode, serve_production

    settings = get_settings()
    open_database()
    bind_host, bind_port = host or settings.host, port or settings.port
    check_serving_mode(settings, bind_host, production=production, debug=debug)
    dash_app = create_app()
    if production:
        serve_production(dash_app.server, settings, host=bind_host, port=bind_port)
        return
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


users_app = typer.Typer(
    help="Accounts and roles: add, list, disable, set-role.", no_args_is_help=True
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


@users_app.command("add")
@user_errors
def users_add(
    name: str = typer.Argument(..., help="Log-in name: letters, digits and . _ - @"),
    role: Role = ROLE_OPTION,
    cluster: list[str] = CLUSTER_OPTION,
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input's first line."
    ),
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


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover - `python -m skills_roadmap.cli`
    sys.exit(main())
