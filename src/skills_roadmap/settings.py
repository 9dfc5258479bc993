"""Every setting with its default and meaning, read from `SKILLS_ROADMAP_*` variables or `.env`."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from skills_roadmap.exceptions import ConfigurationError
from skills_roadmap.i18n.languages import LANGUAGES, PSEUDO_LANGUAGE, supported

DEFAULT_DATA_DIR = Path("data") / "local"


def half_the_cores() -> int:
    """Half the CPU cores this process may use, at least 1: the default number of password
    checks at once, so that hashing never takes every core from serving pages."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        cores = os.cpu_count() or 1
    return max(1, cores // 2)


class Settings(BaseSettings):
    """Configuration of one installation.

    Defaults suit a single user on a laptop: an SQLite file under ``data/local`` (git-ignored)
    and a dashboard on 127.0.0.1 without log-in. A multi-user deployment sets a PostgreSQL
    ``database_url``, a ``secret_key`` and ``auth_enabled``.
    """

    model_config = SettingsConfigDict(
        env_prefix="SKILLS_ROADMAP_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(
        DEFAULT_DATA_DIR, description="Folder for the local SQLite database and uploads."
    )
    database_url: str = Field(
        "",
        description="SQLAlchemy URL; empty: the SQLite file `skills_roadmap.sqlite` in data_dir.",
    )
    sqlite_busy_timeout_ms: int = Field(
        10_000, ge=0, description="How long an SQLite writer waits for a lock before failing."
    )
    host: str = Field("127.0.0.1", description="Address the dashboard listens on.")
    port: int = Field(8050, ge=1, le=65535, description="Port the dashboard listens on.")
    secret_key: str = Field("", description="Flask session key; required in production.")
    auth_enabled: bool = Field(
        False, description="Require log-in. Off only for local single-user mode."
    )
    allow_remote_without_auth: bool = Field(
        False,
        description="Serve without log-in on an address other than 127.0.0.1/localhost "
        "(everyone who can reach the server is then an administrator).",
    )
    session_cookie_secure: bool = Field(
        True,
        description="Send the session cookie over HTTPS only when log-in is on; "
        "false only to try log-in over plain http on a development machine.",
    )
    session_hours: float = Field(8, gt=0, description="A log-in lasts this many hours.")
    login_max_failures: int = Field(
        5,
        ge=1,
        description="Failed log-ins of one user name from one address before each further "
        "attempt waits a growing delay (1, 2, 4, … s).",
    )
    login_address_max_failures: int = Field(
        20,
        ge=1,
        description="Failed log-ins from one address, over every user name, before each "
        "further attempt from it waits a growing delay.",
    )
    login_name_max_failures: int = Field(
        20,
        ge=1,
        description="Failed log-ins of one user name, over every address, before attempts "
        "from addresses it has not signed in from wait a growing delay.",
    )
    login_total_max_failures: int = Field(
        200,
        ge=1,
        description="Failed log-ins over every name and address before attempts from "
        "addresses the name has not signed in from wait a growing delay.",
    )
    login_max_delay_seconds: int = Field(
        300, ge=1, description="Longest delay a log-in limit imposes, in seconds."
    )
    login_window_seconds: int = Field(
        900,
        ge=1,
        description="Failed log-ins are forgotten after this many seconds without one; "
        "refused attempts are summarised in one audit entry per window.",
    )
    login_concurrent_checks: int = Field(
        default_factory=half_the_cores,
        ge=1,
        description="Password checks (Argon2id) run at once per server process; more "
        "log-ins are turned away with 429. Default: half the CPU cores, at least 1.",
    )
    password_hash_time_cost: int = Field(
        3, ge=1, description="Argon2id passes per password hash (RFC 9106 default: 3)."
    )
    password_hash_memory_kib: int = Field(
        65_536, ge=64, description="Argon2id memory per password hash, in KiB (default 64 MiB)."
    )
    serve_threads: int = Field(
        8, ge=1, le=256, description="Worker threads of the waitress server (per process)."
    )
    serve_workers: int = Field(
        1,
        ge=1,
        le=64,
        description="Server processes of `serve --production`, sharing one port; each serves "
        "serve_threads requests at once and keeps its own copy of the data in memory.",
    )
    data_refresh_seconds: float = Field(
        5.0,
        ge=0,
        description="While uploads keep coming, the dashboard takes in new data at most this "
        "often (a lone upload shows at once); more leaves more CPU to the pages being read.",
    )
    trusted_proxy: str = Field(
        "",
        description="Address of the reverse proxy whose X-Forwarded-For/-Proto headers are "
        "trusted (e.g. 127.0.0.1); empty trusts none.",
    )
    log_level: str = Field(
        "INFO",
        pattern=r"^(DEBUG|INFO|WARNING|ERROR)$",
        description="Level of the JSON logs written by `serve --production`.",
    )
    upload_max_bytes: int = Field(
        20 * 1024 * 1024, gt=0, description="Largest accepted upload, in bytes."
    )
    upload_max_rows: int = Field(200_000, gt=0, description="Most data rows accepted in one sheet.")
    report_max_problems: int = Field(
        1_000,
        gt=0,
        description="Most problems an upload's report lists (errors first); the counts per "
        "rule and in total are always complete.",
    )
    upload_pending_per_user: int = Field(
        5,
        ge=1,
        description="Checked uploads kept per user for Confirm; checking another forgets the "
        "oldest.",
    )
    parse_memory_mb: int = Field(
        1024,
        ge=64,
        description="Memory one upload may take while it is read, in MB, on top of what the "
        "reading process starts with; a file needing more is refused.",
    )
    parse_timeout_seconds: float = Field(
        60, gt=0, description="Seconds one upload may take to be read before it is refused."
    )
    parse_concurrency: int = Field(
        default_factory=half_the_cores,
        ge=1,
        le=64,
        description="Uploads read and checked at once per server process; further uploads wait "
        "their turn, so the other cores stay free for the pages. Default: half the CPU cores, "
        "at least 1.",
    )
    on_track_ratio: float = Field(
        0.95, gt=0, description="achieved / expected at or above this is on track."
    )
    at_risk_ratio: float = Field(
        0.80,
        gt=0,
        description="achieved / expected at or above this (and below on track) is at risk.",
    )
    run_rate_months: int = Field(
        6, ge=1, description="Months of recent progress used for the run-rate forecast."
    )
    women_share_goal: float = Field(
        0.5, ge=0, le=1, description="Goal for the share of women among participants."
    )
    complete_month_share: float = Field(
        0.8,
        gt=0,
        le=1,
        description="A month counts as complete, and is shown by default, once this share of "
        "the programmes running that month have reported it; later months are provisional.",
    )
    month_approval: bool = Field(
        False,
        description="Managers submit each month of their clusters, an official or administrator "
        "approves or returns it; a month can be closed only once every cluster due has it "
        "approved.",
    )
    nuts_geojson: Path | None = Field(
        None, description="Optional NUTS-2 GeoJSON (e.g. Eurostat GISCO) to draw regions as shapes."
    )
    smtp_host: str = Field(
        "",
        description="Mail server that sends reminders of late reports; empty: no reminders "
        "(`periods remind` says so and sends nothing).",
    )
    smtp_port: int = Field(587, ge=1, le=65535, description="Port of the mail server.")
    smtp_sender: str = Field(
        "", description="The From address of reminder mails; required with smtp_host."
    )
    smtp_user: str = Field("", description="User name at the mail server; empty: no log-in.")
    smtp_password: SecretStr = Field(
        SecretStr(""), description="Password at the mail server (with smtp_user)."
    )
    smtp_starttls: bool = Field(
        True, description="Encrypt the connection with STARTTLS before logging in and sending."
    )
    smtp_timeout_seconds: float = Field(
        30, gt=0, description="Seconds to wait for the mail server before giving up."
    )
    public_url: str = Field(
        "",
        description="The dashboard's address as its users reach it (e.g. "
        "https://roadmap.example.org); reminder mails link to its Upload page.",
    )

    default_language: str = Field(
        "en",
        description="The language of users who have not chosen one and whose browser asks for "
        "none the dashboard speaks, and of the command line without --lang or LANG: one of en, "
        "es, ro, sv, pt, it, fr, nl, fi, pl, el, de.",
    )

    @field_validator("default_language")
    @classmethod
    def _a_supported_language(cls, value: str) -> str:
        code = supported(value)
        if code is None or code == PSEUDO_LANGUAGE:
            raise ValueError(f"default_language must be one of {', '.join(LANGUAGES)}")
        return code

    @field_validator("at_risk_ratio")
    @classmethod
    def _at_risk_below_on_track(cls, value: float, info: object) -> float:
        on_track = getattr(info, "data", {}).get("on_track_ratio", 0.95)
        if value > on_track:
            raise ValueError("at_risk_ratio must not exceed on_track_ratio")
        return value

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or the default SQLite file inside ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'skills_roadmap.sqlite').as_posix()}"


_installed: Settings | None = None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once (tests call ``get_settings.cache_clear()``)."""
    if _installed is not None:
        return _installed
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"SKILLS_ROADMAP_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
            for e in error.errors()
        )
        raise ConfigurationError(f"invalid configuration: {problems}") from None


def install_settings(settings: Settings) -> None:
    """Make ``settings`` this process's settings, whatever its environment says.

    A child process that checks an upload takes its parent's settings this way: a child
    started from a fork server has the fork server's environment and working folder, which
    may be older than the parent's.
    """
    global _installed
    _installed = settings
    get_settings.cache_clear()
