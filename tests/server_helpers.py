"""Real server processes for tests: `skills-roadmap serve` on a free port, the CLI, log-in.

Used by the tests that need a whole deployment rather than Flask's test client: the upload
page in a browser on its own database, the load test and the kill test.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

START_TIMEOUT_S = 60
CLI = [sys.executable, "-m", "skills_roadmap.cli"]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(database_url: str, data_dir: Path, *, production: bool) -> dict[str, str]:
    """The environment of a server on ``database_url``; ``production``: log-in on, as
    ``serve --production`` demands, with a fresh secret key.

    The session cookie is sent over plain http (the test talks to 127.0.0.1 without TLS), and
    password hashing is cheap so that signing in many accounts stays fast.
    """
    env = os.environ | {
        "SKILLS_ROADMAP_DATABASE_URL": database_url,
        "SKILLS_ROADMAP_DATA_DIR": str(data_dir),
        "SKILLS_ROADMAP_LOG_LEVEL": "WARNING",
    }
    if production:
        env |= {
            "SKILLS_ROADMAP_AUTH_ENABLED": "true",
            "SKILLS_ROADMAP_SECRET_KEY": secrets.token_urlsafe(48),
            "SKILLS_ROADMAP_SESSION_COOKIE_SECURE": "false",
            "SKILLS_ROADMAP_PASSWORD_HASH_TIME_COST": "1",
            "SKILLS_ROADMAP_PASSWORD_HASH_MEMORY_KIB": "1024",
        }
    return env


def cli(env: Mapping[str, str], *args: str, stdin: str | None = None) -> str:
    """Run ``skills-roadmap ARGS`` and return its output; a failure fails the test."""
    done = subprocess.run(
        [*CLI, *args], env=dict(env), input=stdin, capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        raise AssertionError(f"skills-roadmap {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def add_users(env: Mapping[str, str], accounts: Mapping[str, list[str]], password: str) -> None:
    """Create accounts with ``skills-roadmap users add``, all at once.

    ``accounts`` maps a name to its command-line options (``--role`` and ``--cluster``).
    """
    processes = [
        subprocess.Popen(
            [*CLI, "users", "add", name, *options, "--password-stdin"],
            env=dict(env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, options in accounts.items()
    ]
    for process in processes:
        _out, errors = process.communicate(password + "\n", timeout=120)
        if process.returncode != 0:
            raise AssertionError(f"users add failed: {errors.strip()}")


@dataclass
class Server:
    """A running `skills-roadmap serve`: its base URL, process and log file."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's output, for a failure message."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def logged_errors(self, most: int = 3) -> str:
        """The first error records of the server's JSON log, with their tracebacks."""
        records = [
            line
            for line in self.log.read_text(errors="replace").splitlines()
            if '"level": "ERROR"' in line
        ]
        return "\n".join(records[:most])


def _wait_until_serving(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"the server exited with {server.process.returncode}:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(
        f"the server did not answer within {START_TIMEOUT_S} s:\n{server.log_tail()}"
    )


def _start_server(env: Mapping[str, str], log: Path, *, production: bool) -> Server:
    port = free_port()
    command = [*CLI, "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("ab") as output:
        process = subprocess.Popen(
            [*command, "--production"] if production else command,
            env=dict(env),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return Server(url=f"http://127.0.0.1:{port}", process=process, log=log)


@contextmanager
def running_servers(
    env: Mapping[str, str], logs: list[Path], *, production: bool
) -> Iterator[list[Server]]:
    """One `skills-roadmap serve` per log file, each on a free port of 127.0.0.1, all with
    ``env`` (the same database, data folder and secret key: one deployment of several
    processes), started at once and stopped afterwards unless the test has killed them."""
    servers = [_start_server(env, log, production=production) for log in logs]
    try:
        for server in servers:
            _wait_until_serving(server)
        yield servers
    finally:
        for server in servers:
            if server.process.poll() is None:
                server.process.terminate()
        for server in servers:
            server.process.wait(timeout=30)


@contextmanager
def running_server(env: Mapping[str, str], log: Path, *, production: bool) -> Iterator[Server]:
    """`skills-roadmap serve` (``--production``: waitress with log-in, as deployed) on a free
    port of 127.0.0.1, stopped afterwards unless the test has killed it already."""
    with running_servers(env, [log], production=production) as [server]:
        yield server


def sign_in(url: str, name: str, password: str) -> dict[str, str]:
    """The session cookie of ``name`` after signing in on the server at ``url``."""
    with requests.Session() as session:
        response = session.post(
            url + "/login",
            data={"name": name, "password": password, "next": "/"},
            headers={"Origin": url},
            allow_redirects=False,
            timeout=30,
        )
        if response.status_code != 303:
            raise AssertionError(f"log-in of {name} failed with {response.status_code}")
        return {cookie.name: cookie.value or "" for cookie in session.cookies}


def post_upload(
    url: str, cookies: dict[str, str], name: str, data: bytes, *, timeout: float = 60
) -> requests.Response:
    """Commit a sheet through the upload API of the server at ``url`` (as a script would)."""
    return requests.post(
        url + "/api/uploads",
        files={"file": (name, data, "text/csv")},
        headers={"Origin": url},
        cookies=cookies,
        timeout=timeout,
    )
