"""Kill test of the multi-user deployment: the server process is killed (SIGKILL, no clean-up)
while it stores a 100,000-row upload; the database then holds the whole upload or none of it,
and a restarted server stores uploads again. On SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import requests
from ingest_helpers import add_network, programme
from server_helpers import cli, post_upload, running_server, server_env, sign_in
from sqlalchemy import Engine, func, select, text
from upload_helpers import progress_csv

from skills_roadmap.storage import session_scope
from skills_roadmap.storage.tables import ProgressRow, RevisionRow, UploadRow

pytestmark = pytest.mark.slow

PASSWORD = "kill test password"
PROGRAMMES = 250
MONTHS = 400  # per programme: 100,000 new rows in all, a few seconds of inserting
FIRST_YEAR = 1992
DEADLINE_S = 60
POLL_S = 0.005


def long_programmes() -> list[str]:
    return [f"K-{number:03d}" for number in range(PROGRAMMES)]


def big_sheet() -> bytes:
    """Every programme's first ``MONTHS`` months, all new: one row per programme and month."""
    periods = [f"{FIRST_YEAR + m // 12}-{m % 12 + 1:02d}" for m in range(MONTHS)]
    lines = [
        (p, period, 10, 5, 3, 1, 4, 100.5, "") for p in long_programmes() for period in periods
    ]
    return progress_csv(lines)


def counts(engine: Engine) -> tuple[int, int, int]:
    """Stored progress rows, committed uploads and revisions."""
    with session_scope(engine) as session:
        return (
            int(session.scalar(select(func.count()).select_from(ProgressRow)) or 0),
            int(
                session.scalar(
                    select(func.count())
                    .select_from(UploadRow)
                    .where(UploadRow.outcome == "committed")
                )
                or 0
            ),
            int(session.scalar(select(func.count()).select_from(RevisionRow)) or 0),
        )


def sqlite_inserting(engine: Engine) -> Callable[[], bool]:
    """Whether the server's write transaction has started writing pages: its log grows.

    The log is emptied first; nobody else writes meanwhile, so any page in it belongs to the
    upload's transaction, which spills pages long before it commits (100,000 rows are far
    more than SQLite's page cache holds).
    """
    connection = engine.raw_connection()  # outside any transaction, which would block it
    try:
        busy, _pages, _moved = (
            connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        )
    finally:
        connection.close()
    assert busy == 0, "the log could not be emptied"
    log = Path(f"{engine.url.database}-wal")
    return lambda: log.exists() and log.stat().st_size > 0


def postgres_inserting(engine: Engine) -> Callable[[], bool]:
    """Whether another session has started inserting progress rows (holds the table's
    row-exclusive lock, taken by the first insert and kept until commit or rollback)."""
    query = text(
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "WHERE c.relname = 'progress' AND l.mode = 'RowExclusiveLock' AND l.granted "
        "AND l.pid <> pg_backend_pid()"
    )

    def inserting() -> bool:
        with engine.connect() as connection:
            return bool(connection.execute(query).scalar())

    return inserting


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {DEADLINE_S} s")
        time.sleep(POLL_S)


def wait_for_no_other_sessions(engine: Engine) -> None:
    """PostgreSQL rolls back a dead client's transaction when it notices; wait until then."""
    if engine.dialect.name != "postgresql":
        return
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid()"
    )

    def alone() -> bool:
        with engine.connect() as connection:
            return not connection.execute(query).scalar()

    wait_for(alone, "the end of the killed server's database sessions")


def test_a_server_killed_during_a_commit_stores_the_whole_upload_or_none(
    any_engine: Engine, tmp_path: Path
) -> None:
    add_network(
        any_engine,
        *(
            programme(p, start=date(1990, 1, 1), end=date(2026, 10, 31), capacity=10**6)
            for p in long_programmes()
        ),
    )
    env = server_env(
        any_engine.url.render_as_string(hide_password=False), tmp_path / "data", production=True
    )
    cli(env, "users", "set-password", "maria", "--password-stdin", stdin=PASSWORD + "\n")
    sheet = big_sheet()
    rows = PROGRAMMES * MONTHS
    log = tmp_path / "server.log"
    answers: list[object] = []
    any_engine.dispose()  # the server alone has the database open, as in a deployment

    with running_server(env, log, production=True) as server:
        cookies = sign_in(server.url, "maria", PASSWORD)
        inserting = (
            postgres_inserting(any_engine)
            if any_engine.dialect.name == "postgresql"
            else sqlite_inserting(any_engine)
        )

        def send() -> None:
            try:
                answers.append(post_upload(server.url, cookies, "big.csv", sheet))
            except requests.RequestException as error:
                answers.append(error)

        sender = threading.Thread(target=send)
        sender.start()
        wait_for(inserting, "the upload's inserts")
        os.kill(server.process.pid, signal.SIGKILL)
        assert server.process.wait(timeout=30) == -signal.SIGKILL
        sender.join(timeout=DEADLINE_S)

    [answer] = answers
    assert isinstance(answer, requests.RequestException), f"the commit ended first: {answer}"
    any_engine.dispose()
    wait_for_no_other_sessions(any_engine)
    stored, committed, revisions = counts(any_engine)
    print(
        f"\nkill test {any_engine.dialect.name}: {stored:,} of {rows:,} rows stored after the kill"
    )
    assert (stored, committed, revisions) in ((0, 0, 0), (rows, 1, 0))

    small = progress_csv([("K-000", "2026-01", 7, 7, "", "", "", "", "")])
    with running_server(env, log, production=True) as server:
        cookies = sign_in(server.url, "maria", PASSWORD)
        response = post_upload(server.url, cookies, "small.csv", small)
    assert response.status_code == 200, response.text
    assert counts(any_engine)[:2] == (stored + 1, committed + 1)
