"""Production serving: waitress processes and threads, refusal of unsafe settings, JSON logs.

Waitress rather than gunicorn: it is pure Python, runs on every platform the product
supports, and rejects an over-large request body (413) while reading it, before the app
sees or buffers it. One waitress process serves ``serve_threads`` requests at once. With
``serve_workers`` above one, this process binds the port once and hands the listening socket
to that many waitress processes (started fresh, not forked, so no database connection or
thread is ever shared), restarts one that dies and stops them all on SIGTERM or Ctrl+C
(:class:`Supervisor`). Everything the processes must agree on lives in the database (sessions,
accounts, the data version the dashboard's cache checks) or in the shared data folder
(checked uploads waiting for Confirm). See docs/deploy.md.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import math
import multiprocessing
import os
import signal
import socket
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.connection import wait
from multiprocessing.synchronize import Event
from types import FrameType
from typing import IO, TYPE_CHECKING, Any

from skills_roadmap.exceptions import ConfigurationError, ServingError
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


def create_server(
    wsgi_app: WSGIApplication,
    settings: Settings,
    *,
    host: str | None = None,
    port: int | None = None,
    sock: socket.socket | None = None,
) -> Any:
    """A waitress server for ``wsgi_app`` with the production limits; ``.run()`` serves.

    It listens on ``host`` and ``port``, or accepts on ``sock``, a socket already listening
    (the one a :class:`Supervisor` shares among its workers).
    """
    from waitress import create_server as waitress_server

    where: dict[str, Any] = (
        {"sockets": [sock]} if sock is not None else {"host": host, "port": port}
    )
    adjustments: dict[str, Any] = {
        **where,
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


AppFactory = Callable[[], "WSGIApplication"]
"""Builds the web app in the process that serves it: a module-level function, so that it can
be handed to a worker process by name."""

LISTEN_BACKLOG = 1024  # connections the kernel queues while every worker is busy
STOP_TIMEOUT_S = 10.0  # how long stopped workers get before they are killed
RESTART_DELAY_S = 1.0
MAX_FAILED_STARTS = 3  # in a row: then the configuration or the code is broken; stop


def serve_production(app_factory: AppFactory, settings: Settings, *, host: str, port: int) -> None:
    """Serve the app ``app_factory`` builds until stopped, after refusing unsafe settings;
    logs are JSON. ``settings.serve_workers`` processes serve it (see :class:`Supervisor`).

    Raises:
        ServingError: the port cannot be bound, or the workers keep failing at start-up.
    """
    if settings.serve_workers > 1:
        check_serving_mode(settings, host, production=True, debug=False)
        configure_json_logging(settings.log_level)
        Supervisor(app_factory, settings, listening_socket(host, port)).run()
        return
    wsgi_app = app_factory()
    check_serving_mode(settings, host, production=True, debug=getattr(wsgi_app, "debug", False))
    configure_json_logging(settings.log_level)
    try:
        server = create_server(wsgi_app, settings, host=host, port=port)
    except OSError as error:
        raise _bind_error(host, port, error) from None
    logger.info(
        "serving",
        extra={
            "url": f"http://{host}:{port}/",
            "threads": settings.serve_threads,
            "max_request_body_bytes": request_body_limit(settings),
        },
    )
    server.run()


def _bind_error(host: str, port: int, error: OSError) -> ServingError:
    return ServingError(
        f"cannot listen on {host}:{port}: {error.strerror or error}; stop whatever uses the "
        "port or choose another with --port"
    )


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host``:``port`` and listening, to share among workers.

    Raises:
        ServingError: the address cannot be bound (in use, not this machine's, no right).
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
    except OSError as error:
        raise _bind_error(host, port, error) from None
    try:
        if os.name == "posix":  # rebinding right after a restart; on Windows it means sharing
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(LISTEN_BACKLOG)
    except OSError as error:
        sock.close()
        raise _bind_error(host, port, error) from None
    return sock


class _WorkerNumber(logging.Filter):
    """Adds the worker's number and process id to every log record of a worker process."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number
        self.pid = os.getpid()

    def filter(self, record: logging.LogRecord) -> bool:
        record.worker = self.number
        record.pid = self.pid
        return True


def serve_worker(
    app_factory: AppFactory,
    settings: Settings,
    sock: socket.socket,
    number: int,
    ready: Event,
) -> None:
    """One worker process of a :class:`Supervisor`: build the app, serve on ``sock``; set
    ``ready`` once serving (a worker that exits before has failed to start).

    A worker ignores Ctrl+C (see :meth:`Supervisor._start`): the supervisor stops it.
    """
    configure_json_logging(settings.log_level)
    for handler in logging.getLogger().handlers:
        handler.addFilter(_WorkerNumber(number))
    try:
        server = create_server(app_factory(), settings, sock=sock)
    except Exception:
        logger.exception("worker cannot start")
        raise SystemExit(1) from None
    logger.info("worker serving", extra={"threads": settings.serve_threads})
    ready.set()
    server.run()


@dataclass
class _Worker:
    number: int
    process: multiprocessing.process.BaseProcess
    ready: Event
    started: float


class Supervisor:
    """``settings.serve_workers`` waitress processes accepting on one listening socket.

    The socket is bound once, here, and handed to each worker: the kernel gives every new
    connection to one of them. Workers are started with ``spawn`` (a fresh interpreter that
    builds its own app and database connections) rather than forked from this process. A
    worker that exits is logged and started again; workers that exit before serving
    ``MAX_FAILED_STARTS`` times in a row stop the whole server with an error. SIGTERM or
    Ctrl+C stops every worker (SIGTERM, then SIGKILL after ``STOP_TIMEOUT_S``).
    """

    def __init__(self, app_factory: AppFactory, settings: Settings, sock: socket.socket) -> None:
        self.app_factory = app_factory
        self.settings = settings
        self.sock = sock
        self.context = multiprocessing.get_context("spawn")
        self.workers: dict[int, _Worker] = {}
        self.stopping = False
        self.failed_starts = 0

    def _start(self, number: int) -> None:
        ready = self.context.Event()
        process = self.context.Process(
            target=serve_worker,
            args=(self.app_factory, self.settings, self.sock, number, ready),
            name=f"skills-roadmap-worker-{number}",
        )
        # Started with Ctrl+C ignored, which a new process keeps: Ctrl+C in the terminal
        # reaches every process of it, and only this one decides when workers stop.
        handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            process.start()
        finally:
            signal.signal(signal.SIGINT, handler)
        self.workers[number] = _Worker(number, process, ready, time.monotonic())
        logger.info("worker started", extra={"worker": number, "pid": process.pid})

    def _stop(self, signum: int, _frame: FrameType | None) -> None:
        self.stopping = True

    def run(self) -> None:
        """Serve until SIGTERM or Ctrl+C; then stop every worker and return.

        Raises:
            ServingError: workers keep failing at start-up (their log says why).
        """
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        host, port = self.sock.getsockname()[:2]
        logger.info(
            "serving",
            extra={
                "url": f"http://{host}:{port}/",
                "workers": self.settings.serve_workers,
                "threads": self.settings.serve_threads,
                "max_request_body_bytes": request_body_limit(self.settings),
            },
        )
        try:
            for number in range(1, self.settings.serve_workers + 1):
                self._start(number)
            self._supervise()
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.sock.close()
            logger.info("stopped")

    def _supervise(self) -> None:
        while not self.stopping:
            sentinels = {worker.process.sentinel: worker for worker in self.workers.values()}
            for ready in wait(list(sentinels), timeout=0.5):
                if not self.stopping and isinstance(ready, int):
                    self._restart(sentinels[ready])

    def _restart(self, worker: _Worker) -> None:
        worker.process.join()
        served = worker.ready.is_set()
        logger.error(
            "worker exited" if served else "worker failed to start",
            extra={
                "worker": worker.number,
                "pid": worker.process.pid,
                "exit_code": worker.process.exitcode,
                "seconds": round(time.monotonic() - worker.started, 1),
            },
        )
        self.failed_starts = 0 if served else self.failed_starts + 1
        if self.failed_starts >= MAX_FAILED_STARTS:
            raise ServingError(
                f"server workers failed to start {self.failed_starts} times in a row; "
                "the log above says why"
            )
        time.sleep(RESTART_DELAY_S)
        if not self.stopping:
            self._start(worker.number)

    def _stop_all(self) -> None:
        processes = [worker.process for worker in self.workers.values()]
        for process in processes:
            if process.is_alive():
                process.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for process in processes:
            process.join(max(deadline - time.monotonic(), 0))
            if process.is_alive():
                process.kill()
                process.join()
