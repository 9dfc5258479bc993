"""A log-in flood against `serve --production` while a signed-in official reads the overview,
on SQLite and on PostgreSQL.

400 attempts with random names from 32 client threads, half from one address and half spread
over hundreds (through the trusted proxy's ``X-Forwarded-For``): most are refused with 429
before any password is hashed, every answer is a 401 or a 429, the reader's page keeps
answering, the owner signs in from their usual address in the middle of the flood, and the
audit log holds one entry per password check and a few summaries that count every refusal.
Timings are only bounded generously here; `python -m bench` reports them.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import requests
from flood_helpers import attempt_log_in, flood_attempts, flood_while_reading
from server_helpers import add_users, running_server, server_env, sign_in
from sqlalchemy import Engine

from skills_roadmap import audit
from skills_roadmap.audit import AuditAction, AuditQuery
from skills_roadmap.demo import build_demo

pytestmark = pytest.mark.slow

READER = "reader"
PASSWORD = "flood test password"
FLOOD_ATTEMPTS = 400
FLOOD_THREADS = 32
TOTAL_FREE_FAILURES = 50
OWNER_DELAY_S = 1.0
SUMMARY_DEADLINE_S = 15
READ_BOUND_S = 15  # generous on purpose: a page that stalls behind the flood takes far longer


def sign_in_after(delay: float, url: str, name: str, password: str) -> dict[str, str]:
    time.sleep(delay)
    return sign_in(url, name, password)


def summary_details(engine: Engine, refused: int) -> list[dict[str, Any]]:
    """The details of the rate-limited entries, once they count ``refused`` attempts: the
    server writes refusals within a second (or after a deadline, to fail on the counts)."""
    deadline = time.monotonic() + SUMMARY_DEADLINE_S
    while True:
        entries = audit.query(engine, AuditQuery(action=AuditAction.LOGIN_THROTTLED))
        details = [json.loads(entry.detail or "{}") for entry in entries]
        if sum(d["attempts"] for d in details) >= refused or time.monotonic() > deadline:
            return details
        time.sleep(0.2)


def test_log_in_flood_is_refused_while_the_signed_in_page_keeps_answering(
    any_engine: Engine, tmp_path: Path
) -> None:
    build_demo(any_engine, seed=7)
    env = server_env(
        any_engine.url.render_as_string(hide_password=False), tmp_path / "data", production=True
    ) | {
        "SKILLS_ROADMAP_TRUSTED_PROXY": "127.0.0.1",
        "SKILLS_ROADMAP_LOGIN_CONCURRENT_CHECKS": "1",
        "SKILLS_ROADMAP_LOGIN_TOTAL_MAX_FAILURES": str(TOTAL_FREE_FAILURES),
    }
    add_users(env, {READER: ["--role", "official"]}, PASSWORD)
    any_engine.dispose()  # the server alone has the database open, as in a deployment
    attempts = flood_attempts(FLOOD_ATTEMPTS, seed=13, spread=0.5)

    with running_server(env, tmp_path / "server.log", production=True) as server:
        cookies = sign_in(server.url, READER, PASSWORD)
        with ThreadPoolExecutor(1) as owner:  # signs in again from their usual address, mid-flood
            again = owner.submit(sign_in_after, OWNER_DELAY_S, server.url, READER, PASSWORD)
            flood, reads, seconds = flood_while_reading(
                server.url,
                cookies,
                [partial(attempt_log_in, server.url, a) for a in attempts],
                FLOOD_THREADS,
            )
            assert again.result()  # a session cookie, not a refusal
        assert seconds > OWNER_DELAY_S  # the owner's log-in did land inside the flood
        health = requests.get(server.url + "/healthz", timeout=30).status_code
        statuses = Counter(answer.status for answer in flood)
        details = summary_details(any_engine, statuses[429])
        log = server.logged_errors()

    assert set(statuses) <= {401, 429}, f"{statuses}: {[a.error for a in flood if a.error][:3]}"
    assert log == ""
    assert health == 200
    assert statuses[429] > 2 * statuses[401]  # most of the flood never reached a password check
    assert {a.retry_after for a in flood if a.status == 429} <= {str(s) for s in range(1, 301)}
    assert reads, "the signed-in page was never answered during the flood"
    assert [a.status for a in reads] == [200] * len(reads)
    assert max(a.seconds for a in reads) < READ_BOUND_S

    failed = audit.query(any_engine, AuditQuery(action=AuditAction.LOGIN_FAILED, limit=10_000))
    assert len(failed) == statuses[401]
    assert sum(detail["attempts"] for detail in details) == statuses[429]
    assert len(details) <= 6  # one per limit and scope: not one per attempt
    assert {detail["limit"] for detail in details} <= {"address", "total", "busy", "name"}
