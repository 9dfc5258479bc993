"""A log-in flood against a running server while a signed-in user reads a page: the flood test
and the log-in bench send the same requests.

The server must trust 127.0.0.1 as its proxy (``SKILLS_ROADMAP_TRUSTED_PROXY``) so that an
attempt can come "from" another address through ``X-Forwarded-For``, as behind a real proxy.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests

REQUEST_TIMEOUT_S = 30
FLOOD_PASSWORD = "not the password"


@dataclass(frozen=True)
class Answer:
    """What one request got: its status (None: no answer at all), time and Retry-After."""

    status: int | None
    seconds: float
    retry_after: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Attempt:
    """One log-in attempt of the flood: a random name, from the proxy's own address (None) or
    from another one."""

    name: str
    address: str | None


def flood_attempts(count: int, seed: int, spread: float) -> list[Attempt]:
    """``count`` attempts with random names; a share ``spread`` of them from random
    addresses of the benchmarking range 198.18.0.0/15, the rest from one address."""
    rng = random.Random(seed)
    return [
        Attempt(
            name=f"user-{rng.getrandbits(48):012x}",
            address=f"198.{rng.randrange(18, 20)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            if rng.random() < spread
            else None,
        )
        for _ in range(count)
    ]


def _timed(method: str, url: str, **options: Any) -> Answer:
    started = time.perf_counter()
    try:
        response = requests.request(
            method, url, timeout=REQUEST_TIMEOUT_S, allow_redirects=False, **options
        )
    except requests.RequestException as error:
        return Answer(None, time.perf_counter() - started, error=repr(error))
    return Answer(
        response.status_code,
        time.perf_counter() - started,
        response.headers.get("Retry-After"),
    )


def attempt_log_in(url: str, attempt: Attempt) -> Answer:
    """POST the log-in form with a wrong password, as a script of the flood would."""
    headers = {"Origin": url}
    if attempt.address:
        headers["X-Forwarded-For"] = attempt.address
    data = {"name": attempt.name, "password": FLOOD_PASSWORD, "next": "/"}
    return _timed("POST", url + "/login", data=data, headers=headers)


def read_page(url: str, cookies: dict[str, str]) -> Answer:
    """The signed-in user's overview page: the app's layout, holding the page it names."""
    return _timed("GET", url + "/_dash-layout", headers={"Referer": url + "/"}, cookies=cookies)


def read_repeatedly(url: str, cookies: dict[str, str], until: threading.Event) -> list[Answer]:
    """Read the page again and again, one request at a time, until ``until`` is set."""
    answers = []
    while not until.is_set():
        answers.append(read_page(url, cookies))
    return answers


def load_log_in_form(url: str) -> Answer:
    """GET the log-in form: about the cheapest request the server answers, for comparison."""
    return _timed("GET", url + "/login")


def flood_while_reading(
    url: str, cookies: dict[str, str], flood_requests: list[Callable[[], Answer]], threads: int
) -> tuple[list[Answer], list[Answer], float]:
    """Send ``flood_requests`` from ``threads`` client threads while one reader reads the
    page; returns the flood's answers (in order), the reader's and the flood's duration."""
    done = threading.Event()
    with ThreadPoolExecutor(1) as reader_pool:
        reader = reader_pool.submit(read_repeatedly, url, cookies, done)
        started = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            flood = list(pool.map(lambda send: send(), flood_requests))
        seconds = time.perf_counter() - started
        done.set()
        reads = reader.result()
    return flood, reads, seconds


def percentile_95(seconds: list[float]) -> float:
    """The 95th percentile of ``seconds`` (inclusive method; 0 for fewer than two values)."""
    return statistics.quantiles(seconds, n=20, method="inclusive")[-1] if len(seconds) > 1 else 0.0
