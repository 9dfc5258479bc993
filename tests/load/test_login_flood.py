"""A log-in flood against `serve --production` while a signed-in official reads the overview,
on SQLite and on PostgreSQL.

400 attempts with random names from 32 client threads, half from one address and half spread
over hundreds (through the trusted proxy's ``X-Forwarded-For``): most are refused with 429
before any password is hashed, every answer is a 401 or a 429, the reader's page keeps
answering, the owner signs in at once afterwards from their usual address, and the audit log
holds one entry per password check and a few summaries that count every refusal. Timings
are only bounded generously here; `python -m bench` reports them.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import requests
from flood_helpers import flood_attempts, flood_while_reading
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
READ_BOUND_S = 15  # generous on purpose: a page that stalls behind the flood takes far longer


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
        flood, reads, _seconds = flood_while_reading(server.url, cookies, attempts, FLOOD_THREADS)
        sign_in(server.url, READER, PASSWORD)  # the owner, at once, from their usual address
        health = requests.get(server.url + "/healthz", timeout=30).status_code
        log = server.logged_errors()

    statuses = Counter(answer.status for answer in flood)
    assert set(statuses) <= {401, 429}, f"{statuses}: {[a.error for a in flood if a.error][:3]}"
    assert log == ""
    assert health == 200
    assert statuses[429] > 2 * statuses[401]  # most of the flood never reached a password check
    assert {a.retry_after for a in flood if a.status == 429} <= {str(s) for s in range(1, 301)}
    assert reads, "the signed-in page was never answered during the flood"
    assert [a.status for a in reads] == [200] * len(reads)
    assert max(a.seconds for a in reads) < READ_BOUND_S

    failed = audit.query(any_engine, AuditQuery(action=AuditAction.LOGIN_FAILED, limit=10_000))
    summaries = audit.query(any_engine, AuditQuery(action=AuditAction.LOGIN_THROTTLED))
    details = [json.loads(entry.detail or "{}") for entry in summaries]
    assert len(failed) == statuses[401]
    assert sum(detail["attempts"] for detail in details) == statuses[429]
    assert len(summaries) <= 6  # one per limit and scope: not one per attempt
    assert {detail["limit"] for detail in details} <= {"address", "total", "busy", "name"}
