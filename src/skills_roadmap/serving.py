"""Production serving: waitress with several threads, refusal of unsafe settings, JSON logs.

Waitress rather than gunicorn: it is pure Python, runs on every platform the product
supports, and rejects an over-large request body (413) while reading it, before the app
sees or buffers it. One waitress process serves ``serve_threads`` requests at once; run
several processes behind the reverse proxy for more (docs/deploy.md).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import math
import sys
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any

from skills_roadmap.exceptions import ConfigurationError
from skills_roadmap.settings import Settings

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

logger = logging.getLogger(__name__)

MIN_SECRET_KEY_LENGTH = 32
REQUEST_ENVELOPE_BYTES = 1024 * 1024  # the rest of a callback request around an upload
ENVIRON_USER = "skills_roadmap.user"
"""WSGI environ key where the web app leaves the signed-in user's name for the access log."""

# Attributes every LogRecord has; anything else on a record is an ``extra=`` field.
_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def request_body_limit(settings: Settings) -> int:
    """The largest request body accepted, in bytes.

    An uploaded sheet travels base64-encoded (4/3 of its size) inside a Dash callback's JSON,
    so the limit is that plus a megabyte for the rest of the request.
    """
    return math.ceil(settings.upload_max_bytes * 4 / 3) + REQUEST_ENVELOPE_BYTES


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` is this computer only (127.0.0.1, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_serving_mode(settings: Settings, host: str, *, production: bool, debug: bool) -> None:
    """Refuse to start in a mode that would expose data or secrets.

    Without log-in, only on 127.0.0.1/localhost (unless explicitly allowed). In production:
    never with debug on, always with log-in and a secret key of at least 32 characters.
    """
    if (
        not settings.auth_enabled
        and not is_loopback_host(host)
        and not settings.allow_remote_without_auth
    ):
        raise ConfigurationError(
            f"refusing to serve without log-in on {host}: everyone who can reach it would be an "
            "administrator. Set SKILLS_ROADMAP_AUTH_ENABLED=true, serve on 127.0.0.1, or set "
            "SKILLS_ROADMAP_ALLOW_REMOTE_WITHOUT_AUTH=true if only you can reach this address"
        )
    if not production:
        return
    if debug:
        raise ConfigurationError(
            "refusing to serve in production with debug on: debug shows code and tracebacks "
            "to anyone; drop --debug"
        )
    if not settings.auth_enabled:
        raise ConfigurationError(
            "production serving is multi-user: set SKILLS_ROADMAP_AUTH_ENABLED=true "
            "and create accounts with `skills-roadmap users add`"
        )
    if len(settings.secret_key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigurationError(
            f"production serving needs SKILLS_ROADMAP_SECRET_KEY of at least "
            f"{MIN_SECRET_KEY_LENGTH} characters, e.g. the output of "
            '`python -c "import secrets; print(secrets.token_urlsafe(48))"`'
        )


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message and any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _RECORD_FIELDS})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_json_logging(level: str = "INFO", stream: IO[str] | None = None) -> None:
    """Send every log record, the server's and the app's, as JSON lines to ``stream``."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


class AccessLog:
    """WSGI middleware writing one log record per request (JSON in production).

    Fields: method, path (no query string: it may hold personal data), status, duration in
    milliseconds until the app returned its response, client address and signed-in user.
    """

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        statuses: list[str] = []

        def recording_start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
            statuses.append(status)
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, recording_start_response)
        finally:
            logger.info(
                "request",
                extra={
                    "method": environ.get("REQUEST_METHOD"),
                    "path": environ.get("PATH_INFO"),
                    "status": int(statuses[-1][:3]) if statuses else 500,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "client": environ.get("REMOTE_ADDR"),
                    "user": environ.get(ENVIRON_USER),
                },
            )


def create_server(wsgi_app: WSGIApplication, settings: Settings, *, host: str, port: int) -> Any:
    """A waitress server for ``wsgi_app`` with the production limits; ``.run()`` serves."""
    from waitress import create_server as waitress_server

    adjustments: dict[str, Any] = {
        "host": host,
        "port": port,
        "threads": settings.serve_threads,
        "max_request_body_size": request_body_limit(settings),
        "asyncore_use_poll": True,  # select() fails beyond 1,024 open connections
        "clear_untrusted_proxy_headers": True,
        "ident": "skills-roadmap",
    }
    if settings.trusted_proxy:
        adjustments |= {
            "trusted_proxy": settings.trusted_proxy,
            "trusted_proxy_count": 1,
            "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
        }
    return waitress_server(AccessLog(wsgi_app), **adjustments)


def serve_production(
    wsgi_app: WSGIApplication, settings: Settings, *, host: str, port: int
) -> None:
    """Serve ``wsgi_app`` until stopped, after refusing unsafe settings; logs are JSON."""
    check_serving_mode(settings, host, production=True, debug=getattr(wsgi_app, "debug", False))
    configure_json_logging(settings.log_level)
    server = create_server(wsgi_app, settings, host=host, port=port)
    logger.info(
        "serving",
        extra={
            "url": f"http://{host}:{port}/",
            "threads": settings.serve_threads,
            "max_request_body_bytes": request_body_limit(settings),
        },
    )
    server.run()
