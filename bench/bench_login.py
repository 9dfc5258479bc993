"""Benchmark of log-in under attack (``make bench``): a signed-in page during a log-in flood.

`serve --production` on a demo-network SQLite database, with the default log-in limits and
the default Argon2id cost (3 passes, 64 MiB), behind 127.0.0.1 as its trusted proxy. A
signed-in official reads the overview (the app's layout holding the page) one request after
another: first alone, for the idle p95, then while 32 client threads send log-in attempts
with random names, for the p95 under the flood, reported as a ratio to the idle one. Two
floods of 1,000 attempts (long enough for a p95 of the reads during them), each on a fresh
copy of the database and a fresh server:

* from one address, as in the issue (200 attempts from 32 clients, there);
* from a different address each (``X-Forwarded-For``): a distributed flood, which only the
  total limit and the bounded password checks hold back.

Beside each: the page p95 during as many loads of the log-in form from as many threads, the
cost of any flood of cheap requests on a server with a fixed number of threads. Also
reported: answers of the flood (password checks made, attempts refused), and the audit rows
written per second of flood. Prints a markdown table and exits with status 1 when a
limit is missed.

    python -m bench.bench_login [--idle-reads N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from bench.table import Row, print_table
from skills_roadmap import audit
from skills_roadmap.audit import AuditAction, AuditQuery
from skills_roadmap.demo import build_demo
from skills_roadmap.storage import make_engine, upgrade

TESTS = Path(__file__).resolve().parents[1] / "tests"  # the tests' server and flood helpers
READER = "reader"
PASSWORD = "bench reader password"
FLOOD_THREADS = 32
# The page p95 under a log-in flood, at most this many times its idle p95 (the landed product:
# 100×, 0.03 s to 3 s). A flood of the cheapest requests costs about 2× already (measured beside).
READ_RATIO_LIMIT = 5.0
LOGIN_ACTIONS = (AuditAction.LOGIN_FAILED, AuditAction.LOGIN_THROTTLED)


@dataclass(frozen=True)
class Flood:
    """One flood: its name, number of attempts and share sent from random addresses."""

    name: str
    attempts: int
    spread: float


FLOODS = (
    Flood("one address", 1000, 0.0),
    Flood("many addresses", 1000, 1.0),
)


def demo_database(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    build_demo(engine, seed=7)
    engine.dispose()


def login_audit_rows(database: Path) -> int:
    """Audit entries of failed and refused log-ins in the database."""
    engine = make_engine(f"sqlite:///{database}")
    try:
        return sum(
            len(audit.query(engine, AuditQuery(action=action, limit=10_000)))
            for action in LOGIN_ACTIONS
        )
    finally:
        engine.dispose()


def measure(template: Path, workdir: Path, flood: Flood, idle_reads: int) -> list[Row]:
    """Idle reads, then reads during ``flood``, then during as many loads of the log-in form
    (the comparison: a flood of about the cheapest request there is), on a fresh copy of
    ``template``."""
    sys.path.insert(0, str(TESTS))
    from flood_helpers import (
        attempt_log_in,
        flood_attempts,
        flood_while_reading,
        load_log_in_form,
        percentile_95,
        read_page,
    )
    from server_helpers import add_users, running_server, server_env, sign_in

    database = workdir / f"flood-{flood.spread}.sqlite"
    shutil.copyfile(template, database)
    env = server_env(f"sqlite:///{database}", workdir / "data", production=True) | {
        "SKILLS_ROADMAP_TRUSTED_PROXY": "127.0.0.1",
        "SKILLS_ROADMAP_PASSWORD_HASH_TIME_COST": "3",  # the defaults, not the tests' cheap cost
        "SKILLS_ROADMAP_PASSWORD_HASH_MEMORY_KIB": "65536",
    }
    add_users(env, {READER: ["--role", "official"]}, PASSWORD)
    attempts = flood_attempts(flood.attempts, seed=13, spread=flood.spread)
    with running_server(env, workdir / "server.log", production=True) as server:
        cookies = sign_in(server.url, READER, PASSWORD)
        read_page(server.url, cookies)  # warm the data cache
        idle = [read_page(server.url, cookies) for _ in range(idle_reads)]
        log_ins = [partial(attempt_log_in, server.url, attempt) for attempt in attempts]
        answers, reads, seconds = flood_while_reading(server.url, cookies, log_ins, FLOOD_THREADS)
        forms = [partial(load_log_in_form, server.url)] * flood.attempts
        _, form_reads, _ = flood_while_reading(server.url, cookies, forms, FLOOD_THREADS)
    statuses = Counter(answer.status for answer in answers)
    failures = [a for a in [*idle, *reads, *form_reads] if a.status != 200]
    if failures or set(statuses) - {401, 429}:
        raise RuntimeError(f"unexpected answers: reads {failures[:3]}, flood {dict(statuses)}")
    idle_p95 = percentile_95([a.seconds for a in idle])
    flood_p95 = percentile_95([a.seconds for a in reads])
    form_p95 = percentile_95([a.seconds for a in form_reads])
    ratio = flood_p95 / idle_p95
    rows = login_audit_rows(database)
    return [
        Row(f"{flood.name}: page p95 idle", idle_p95, "s", ratio=1.0),
        Row(
            f"{flood.name}: page p95 during the log-in flood ({len(reads)} reads)",
            flood_p95,
            "s",
            ratio=ratio,
            limit=f"≤ {READ_RATIO_LIMIT:g}× idle",
            passed=ratio <= READ_RATIO_LIMIT,
        ),
        Row(
            f"{flood.name}: page p95 during as many log-in form loads ({len(form_reads)} reads)",
            form_p95,
            "s",
            ratio=form_p95 / idle_p95,
        ),
        Row(f"{flood.name}: log-in flood duration", seconds, "s"),
        Row(f"{flood.name}: password checks made (401)", statuses[401], "attempts"),
        Row(f"{flood.name}: refused before hashing (429)", statuses[429], "attempts"),
        Row(
            f"{flood.name}: audit rows written per second of log-in flood "
            f"({rows} rows in {seconds:.1f} s)",
            rows / seconds,
            "rows/s",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--idle-reads", type=int, default=60, help="reads of the idle baseline")
    arguments = parser.parse_args(argv)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        template = workdir / "demo.sqlite"
        demo_database(template)
        for flood in FLOODS:
            rows += measure(template, workdir, flood, arguments.idle_reads)
    return print_table("Log-in flood, demo network (SQLite)", "ratio to idle", rows)


if __name__ == "__main__":
    sys.exit(main())
