"""Production serving: unsafe settings refused, request size limits, JSON logs, the real server."""

from __future__ import annotations

import http.client
import importlib
import io
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import flask
import pytest
from werkzeug.test import Client

from skills_roadmap import serving
from skills_roadmap.exceptions import ConfigurationError, ServingError
from skills_roadmap.serving import (
    AccessLog,
    JsonFormatter,
    Supervisor,
    check_serving_mode,
    configure_json_logging,
    create_server,
    is_loopback_host,
    listening_socket,
    request_body_limit,
)
from skills_roadmap.settings import Settings
from skills_roadmap.storage import make_engine, upgrade

DOCS = Path(__file__).resolve().parents[1] / "docs"
KEY = "k" * 32


@pytest.mark.parametrize(
    ("upload_max_bytes", "limit"),
    [
        (3_000, 4_000 + 1_048_576),  # base64 makes 3 bytes into 4, plus 1 MiB for the rest
        (20 * 1024 * 1024, 27_962_027 + 1_048_576),  # the default 20 MiB: ceil(20 MiB × 4/3)
    ],
)
def test_request_body_limit_fits_a_base64_upload(upload_max_bytes: int, limit: int) -> None:
    assert request_body_limit(Settings(upload_max_bytes=upload_max_bytes)) == limit


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("192.0.2.7", False),
        ("skills.example.org", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


@pytest.mark.parametrize(
    ("auth", "host", "allow_remote", "production", "debug", "key", "error"),
    [
        (False, "127.0.0.1", False, False, False, "", None),  # local single-user mode
        (False, "localhost", False, False, True, "", None),  # debug is fine locally
        (False, "0.0.0.0", False, False, False, "", "refusing to serve without log-in on 0.0.0.0"),
        (False, "0.0.0.0", True, False, False, "", None),  # explicitly allowed
        (True, "0.0.0.0", False, False, False, "", None),  # the app itself asks for the key
        (True, "0.0.0.0", False, True, True, KEY, "refusing to serve in production with debug"),
        (False, "127.0.0.1", False, True, False, KEY, "production serving is multi-user"),
        (True, "0.0.0.0", False, True, False, "", "SECRET_KEY of at least 32 characters"),
        (True, "0.0.0.0", False, True, False, KEY[:-1], "SECRET_KEY of at least 32 characters"),
        (True, "0.0.0.0", False, True, False, KEY, None),
    ],
)
def test_serving_mode_is_refused_when_unsafe(
    auth: bool,
    host: str,
    allow_remote: bool,
    production: bool,
    debug: bool,
    key: str,
    error: str | None,
) -> None:
    settings = Settings(auth_enabled=auth, allow_remote_without_auth=allow_remote, secret_key=key)
    if error is None:
        check_serving_mode(settings, host, production=production, debug=debug)
        return
    with pytest.raises(ConfigurationError, match=error):
        check_serving_mode(settings, host, production=production, debug=debug)


def test_json_formatter_writes_one_object_with_extra_fields() -> None:
    stream = io.StringIO()
    configure_json_logging("INFO", stream)
    try:
        logging.getLogger("skills_roadmap.test").info("upload %s", "march.xlsx", extra={"rows": 12})
        logging.getLogger("skills_roadmap.test").debug("not at INFO")
    finally:
        logging.getLogger().handlers.clear()
    [line] = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert entry.pop("time").endswith("+00:00")
    assert entry == {
        "level": "INFO",
        "logger": "skills_roadmap.test",
        "message": "upload march.xlsx",
        "rows": 12,
    }


def test_json_formatter_keeps_the_traceback() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "failed"
    assert entry["exception"].endswith("ValueError: boom")


def hello(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    environ["skills_roadmap.user"] = "mia"  # what the dashboard's gate does
    body = environ["wsgi.input"].read()
    start_response("201 Created", [("Content-Type", "text/plain")])
    return [b"read %d bytes" % len(body)]


def test_access_log_records_method_path_status_client_and_user(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="skills_roadmap.serving"):
        response = Client(AccessLog(hello)).get(
            "/audit?secret=1", environ_base={"REMOTE_ADDR": "192.0.2.7"}
        )
    assert response.status_code == 201
    record = caplog.records[-1]
    fields = {k: getattr(record, k) for k in ("method", "path", "status", "client", "user")}
    assert fields == {
        "method": "GET",
        "path": "/audit",  # without the query string
        "status": 201,
        "client": "192.0.2.7",
        "user": "mia",
    }
    assert record.duration_ms >= 0  # type: ignore[attr-defined]


@pytest.fixture
def waitress_server() -> Iterator[tuple[int, list[str]]]:
    """The production server in a thread around an app that notes the paths it saw."""
    seen: list[str] = []

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        seen.append(environ["PATH_INFO"])
        return hello(environ, start_response)

    server = create_server(app, Settings(upload_max_bytes=3_000), host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server.effective_port, seen
    server.close()
    thread.join(5)


def test_server_refuses_an_oversized_body_with_413_before_reading_it(
    waitress_server: tuple[int, list[str]],
) -> None:
    port, seen = waitress_server
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("POST", "/_dash-update-component")
    connection.putheader("Content-Length", str(100 * 1024 * 1024))
    connection.endheaders()  # not one byte of the announced 100 MiB is sent
    response = connection.getresponse()
    assert response.status == 413
    assert seen == []
    small = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    small.request("POST", "/upload", body=b"x" * 4_000)
    assert small.getresponse().read() == b"read 4000 bytes"
    assert seen == ["/upload"]


# --- `skills-roadmap serve --production` as an operator runs it ------------------------------


def serve_command(tmp_path: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    """`skills-roadmap serve ARGS` on a new SQLite database (``--production`` unless ARGS
    say ``--local``)."""
    environment = os.environ | {
        "SKILLS_ROADMAP_DATA_DIR": str(tmp_path / "data"),
        "SKILLS_ROADMAP_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        **env,
    }
    upgrade(make_engine(environment["SKILLS_ROADMAP_DATABASE_URL"]))
    mode = [] if "--local" in args else ["--production"]
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "skills_roadmap.cli",
            "serve",
            *mode,
            *(a for a in args if a != "--local"),
        ],
        env=environment,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize(
    ("args", "env", "error"),
    [
        ((), {"SKILLS_ROADMAP_AUTH_ENABLED": "true"}, "SECRET_KEY of at least 32 characters"),
        (
            ("--debug",),
            {"SKILLS_ROADMAP_AUTH_ENABLED": "true", "SKILLS_ROADMAP_SECRET_KEY": KEY},
            "with debug on",
        ),
        (("--host", "0.0.0.0"), {}, "refusing to serve without log-in on 0.0.0.0"),
    ],
)
def test_serve_production_refuses_unsafe_settings_in_one_line(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str], error: str
) -> None:
    process = serve_command(tmp_path, *args, **env)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1
    [line] = stderr.strip().splitlines()
    assert line.startswith("error: ") and error in line


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def test_serve_production_serves_with_limits_and_json_logs(tmp_path: Path) -> None:
    port = free_port()
    process = serve_command(
        tmp_path,
        "--port",
        str(port),
        SKILLS_ROADMAP_AUTH_ENABLED="true",
        SKILLS_ROADMAP_SECRET_KEY=KEY,
        SKILLS_ROADMAP_UPLOAD_MAX_BYTES="3000",
        SKILLS_ROADMAP_SERVE_THREADS="4",
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz", process)
        with urllib.request.urlopen(f"{base}/login") as response:
            assert response.status == 200
        with pytest.raises(urllib.error.HTTPError) as redirected:
            urllib.request.build_opener(NoRedirect).open(f"{base}/audit")
        assert (redirected.value.code, redirected.value.headers["Location"]) == (
            302,
            "/login?next=/audit",
        )
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.putrequest("POST", "/_dash-update-component")
        connection.putheader("Content-Length", str(10 * 1024 * 1024))
        connection.endheaders()
        assert connection.getresponse().status == 413
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=20)
    entries = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    started = next(e for e in entries if e["message"] == "serving")
    assert (started["threads"], started["max_request_body_bytes"]) == (4, 1_052_576)
    requests = [(e["path"], e["status"]) for e in entries if e["message"] == "request"]
    assert ("/login", 200) in requests
    assert ("/audit", 302) in requests


# --- several worker processes on one port ---------------------------------------------------


def test_a_port_in_use_is_refused_in_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServingError) as refused:
            listening_socket("127.0.0.1", port)
    assert str(refused.value).startswith(f"cannot listen on 127.0.0.1:{port}: ")
    assert str(refused.value).endswith("choose another with --port")


def broken_app() -> Any:
    """An app factory that fails, as a wrong setting or a broken install would."""
    raise RuntimeError("no app today")


def test_workers_that_keep_failing_to_start_stop_the_server(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(serving, "RESTART_DELAY_S", 0.0)
    supervisor = Supervisor(broken_app, Settings(serve_workers=1), listening_socket("127.0.0.1", 0))

    with caplog.at_level(logging.INFO, logger="skills_roadmap.serving"):
        with pytest.raises(ServingError, match="failed to start 3 times in a row"):
            supervisor.run()

    assert [record.getMessage() for record in caplog.records] == [
        "serving",
        *["worker started", "worker failed to start"] * 3,
        "stopped",
    ]
    assert not any(worker.process.is_alive() for worker in supervisor.workers.values())
    assert supervisor.sock.fileno() == -1  # closed


def test_workers_need_production(tmp_path: Path) -> None:
    process = serve_command(tmp_path, "--local", "--workers", "2")
    _, stderr = process.communicate(timeout=120)
    assert (process.returncode, stderr.strip()) == (
        1,
        "error: --workers needs --production: the local server is one process",
    )


def worker_pids(entries: list[dict[str, Any]]) -> list[int]:
    """The process ids of the workers started so far, in order."""
    return [e["pid"] for e in entries if e["message"] == "worker started"]


def workers_serving(entries: list[dict[str, Any]]) -> list[int]:
    """The process ids of the workers that said they serve."""
    return [e["pid"] for e in entries if e["message"] == "worker serving"]


def json_lines(
    stream: IO[str], until: Callable[[list[dict[str, Any]]], bool]
) -> list[dict[str, Any]]:
    """The JSON log lines of ``stream`` read until ``until`` holds of them (or 120 s)."""
    entries: list[dict[str, Any]] = []
    deadline = time.monotonic() + 120
    while not until(entries) and time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            break
        if line.startswith("{"):
            entries.append(json.loads(line))
    return entries


@pytest.mark.slow
def test_workers_share_the_port_are_restarted_and_stop_together(tmp_path: Path) -> None:
    port = free_port()
    process = serve_command(
        tmp_path,
        "--port",
        str(port),
        "--workers",
        "2",
        SKILLS_ROADMAP_AUTH_ENABLED="true",
        SKILLS_ROADMAP_SECRET_KEY=KEY,
        SKILLS_ROADMAP_SERVE_THREADS="2",
    )
    assert process.stderr is not None
    try:
        entries = json_lines(process.stderr, lambda seen: len(workers_serving(seen)) == 2)
        first, second = worker_pids(entries)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as answer:
            assert answer.read() == b"OK"

        os.kill(first, signal.SIGKILL)
        entries += json_lines(process.stderr, lambda more: len(worker_pids(more)) == 1)
        replacement = worker_pids(entries)[-1]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as answer:
            assert answer.read() == b"OK"  # the other worker answers meanwhile
    finally:
        process.terminate()
        _, rest = process.communicate(timeout=60)
    entries += [json.loads(line) for line in rest.splitlines() if line.startswith("{")]

    exited = next(e for e in entries if e["message"] == "worker exited")
    assert (exited["worker"], exited["pid"], exited["exit_code"]) == (1, first, -signal.SIGKILL)
    assert process.returncode == 0
    assert entries[-1]["message"] == "stopped"
    for pid in (first, second, replacement):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # every worker is gone


# --- the deployment documents name only real settings -------------------------------------


@pytest.mark.parametrize("document", ["deploy.md", "docker-compose.yml", "security.md"])
def test_deployment_documents_name_only_real_settings(document: str) -> None:
    text = (DOCS / document).read_text(encoding="utf-8")
    named = set(re.findall(r"SKILLS_ROADMAP_([A-Z0-9_]+)", text)) - {"TEST_POSTGRES_URL"}
    assert named, document
    assert {name.lower() for name in named} <= set(Settings.model_fields)


def test_the_gunicorn_command_of_the_deploy_guide_names_the_apps_factory() -> None:
    text = (DOCS / "deploy.md").read_text(encoding="utf-8")
    [target] = re.findall(r"'([\w.]+:\w+)\(\)'", text)
    module, name = target.split(":")

    assert isinstance(getattr(importlib.import_module(module), name)(), flask.Flask)
