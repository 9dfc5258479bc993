"""Benchmark of readers while managers upload, on a running production server (``make bench``).

Measures, in one run:

* a signed-in official's page (the overview, as the browser first asks for it: the app layout
  holding the page with its charts drawn on the server) timed one request after another, idle
  and then while 50 uploads commit through the upload API (four at a time), in two rounds,
  as the ratio of the two p95s; on SQLite and on PostgreSQL, at demo and at EU scale;
* at EU scale, the time from the commit of a 1,000-row upload until the page shows it (on a
  quiet server: the upload is not part of a stream), beside the full reload of every table it
  replaces and its two parts, timed in this process: bringing the data up to date, and the
  page's first answer on the new data (CPU time of the thread, which the load of a shared
  machine sways less than the clock; beside the same page answered from memory);
* the server's peak memory in each run.

Every run gets its own copy of the database (the uploads change it): the EU-scale SQLite file
of ``python -m bench``, and for PostgreSQL a template database built once from the same demo
(seed 7) and cloned. PostgreSQL comes from ``SKILLS_ROADMAP_BENCH_POSTGRES_URL`` (else
``SKILLS_ROADMAP_TEST_POSTGRES_URL``), a role that may create databases; without one its rows
say so. Prints a markdown table and exits with status 1 when a limit is missed.

    python -m bench.bench_readers [--database FILE] [--scales demo,eu]
        [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import requests
from dash import Dash
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.bench_analysis import ensure_database
from bench.table import Row, print_table
from dashboard.app import create_app
from dashboard.context import app_context
from dashboard.data import LiveData
from skills_roadmap.analysis import Frames, month_to_period
from skills_roadmap.analysis.loader import load_snapshot, refresh_snapshot
from skills_roadmap.demo import build_demo
from skills_roadmap.domain import UploadOutcome
from skills_roadmap.ingest import commit_upload
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import get_engine, make_engine, upgrade
from skills_roadmap.users import create_user
from tests.server_helpers import running_server, server_env, sign_in

DEFAULT_DATABASE = Path("data") / "local" / "bench" / "eu.sqlite"
POSTGRES_VARIABLES = ("SKILLS_ROADMAP_BENCH_POSTGRES_URL", "SKILLS_ROADMAP_TEST_POSTGRES_URL")
POSTGRES_EU_TEMPLATE = "skills_roadmap_bench_eu"
PASSWORD = "bench readers password"
RATIO_LIMIT = 1.5
VISIBLE_LIMIT_S = 1.0
UPLOADS = 50
MANAGERS = 10  # each reports for one of the busiest clusters; five sheets each
UPLOAD_CLIENTS = 4  # uploads in flight at once, fewer than the server's threads
ROWS_PER_SHEET = 40
BIG_SHEET_ROWS = 1_000
ROUNDS = 2  # of idle pages then uploads, per server
IDLE_SAMPLES = 100  # per round: the p95 of too few pages is mostly noise
VISIBLE_REPEATS = 3
REQUEST_TIMEOUT_S = 120
POLL_GAP_S = 0.1  # between the requests that look for the upload: a person, not a busy loop
HEADERS = "Programme ID,Period,Enrolled,Completed"


@dataclass(frozen=True)
class Sheet:
    """One upload: the manager who sends it and its CSV bytes."""

    manager: str
    data: bytes


def clusters_by_rows(frames: Frames) -> list[tuple[str, list[tuple[str, int, int, int]]]]:
    """Clusters with their stored progress rows (programme, month, enrolled, completed), the
    clusters with most rows first."""
    progress = frames.progress
    cluster_of = frames.programmes.set_index(frames.programmes["programme_id"].astype(str))[
        "cluster_id"
    ].astype(str)
    programme = progress["programme_id"].astype(str).to_numpy()
    clusters = cluster_of.reindex(programme).to_numpy()
    rows: dict[str, list[tuple[str, int, int, int]]] = {}
    for values in zip(
        clusters,
        programme,
        progress["month"].tolist(),
        progress["enrolled"].tolist(),
        progress["completed"].tolist(),
        strict=True,
    ):
        rows.setdefault(values[0], []).append(values[1:])
    return sorted(rows.items(), key=lambda item: (-len(item[1]), item[0]))


def sheet_bytes(rows: list[tuple[str, int, int, int]], bump: int) -> bytes:
    """Stored rows reported again with ``bump`` more enrolled and completed: changed rows
    that keep every rule (certified and women stay below, as the sheet leaves them out)."""
    lines = [HEADERS] + [
        f"{programme},{month_to_period(month)},{enrolled + bump},{completed + bump}"
        for programme, month, enrolled, completed in rows
    ]
    return ("\n".join(lines) + "\n").encode()


def plan(frames: Frames) -> tuple[dict[str, str], list[list[Sheet]], list[Sheet]]:
    """The managers (name → their cluster), the 50 sheets of each round of the busy phase
    and the 1,000-row sheets of the commit-to-visible measure (from the busiest clusters).

    Every sheet reports stored rows of its manager's cluster with values of its own, so no
    two are the same file.
    """
    clusters = clusters_by_rows(frames)
    managers = {f"manager-{i}": clusters[i][0] for i in range(MANAGERS)}
    rounds = []
    for number in range(ROUNDS):
        sheets = []
        for index in range(UPLOADS):
            name = f"manager-{index % MANAGERS}"
            rows = dict(clusters)[managers[name]]
            start = (index // MANAGERS) * ROWS_PER_SHEET % max(len(rows) - ROWS_PER_SHEET, 1)
            bump = number * UPLOADS + index + 1
            sheets.append(Sheet(name, sheet_bytes(rows[start : start + ROWS_PER_SHEET], bump)))
        rounds.append(sheets)
    big = [
        Sheet("bench", sheet_bytes(big_sheet_rows(clusters), 1_000 + repeat))
        for repeat in range(VISIBLE_REPEATS)
    ]
    return managers, rounds, big


def big_sheet_rows(
    clusters: list[tuple[str, list[tuple[str, int, int, int]]]],
) -> list[tuple[str, int, int, int]]:
    """The 1,000 stored rows of the commit-to-visible uploads, from the busiest clusters."""
    return [row for _cluster, rows in clusters[:MANAGERS] for row in rows][:BIG_SHEET_ROWS]


def add_accounts(database_url: str, managers: dict[str, str]) -> None:
    """The official who reads and the managers who upload (cheap password hashing, as the
    server is told in ``server_env``)."""
    engine = make_engine(database_url)
    create_user(engine, "official", "official", PASSWORD, by="bench")
    for name, cluster in managers.items():
        create_user(engine, name, "manager", PASSWORD, [cluster], by="bench")
    engine.dispose()


def page(url: str, cookies: dict[str, str]) -> tuple[float, bytes]:
    """The overview as a browser first asks for it, and how long it took."""
    started = time.perf_counter()
    response = requests.get(
        url + "/_dash-layout",
        headers={"Referer": url + "/"},
        cookies=cookies,
        timeout=REQUEST_TIMEOUT_S,
    )
    seconds = time.perf_counter() - started
    response.raise_for_status()
    return seconds, response.content


def upload(url: str, cookies: dict[str, str], sheet: Sheet, name: str) -> float:
    """Commit ``sheet`` through the upload API; the time it took."""
    started = time.perf_counter()
    response = requests.post(
        url + "/api/uploads",
        files={"file": (name, sheet.data, "text/csv")},
        headers={"Origin": url},
        cookies=cookies,
        timeout=REQUEST_TIMEOUT_S,
    )
    if response.status_code != 200 or response.json().get("outcome") != "committed":
        raise RuntimeError(f"upload {name} was not committed: {response.text[:300]}")
    return time.perf_counter() - started


def p95(seconds: list[float]) -> float:
    return float(np.percentile(seconds, 95))


def peak_memory_mb(pid: int) -> float | None:
    """A process's peak resident memory (Linux), while it runs."""
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return None
    for line in status.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


@dataclass
class Figures:
    """What one server run measured."""

    idle: list[float]
    busy: list[float]
    uploads: list[float]
    upload_span_s: float
    visible: list[float]
    peak_mb: float | None
    reload_s: float | None = None
    merge_s: float | None = None
    first_page_cpu_s: float | None = None  # the page's first answer on the merged snapshot
    warm_page_cpu_s: float | None = None  # the same page again, from memory


def wait_until_settled(url: str, cookies: dict[str, str]) -> bytes:
    """The page once two answers a second apart agree (the last refresh is in)."""
    _seconds, body = page(url, cookies)
    for _ in range(60):
        time.sleep(1.0)
        _seconds, again = page(url, cookies)
        if again == body:
            return body
        body = again
    raise TimeoutError("the page never settled: its answer changes on every request")


def quiet(url: str, cookies: dict[str, str]) -> bytes:
    """The page once the server is quiet: the last refresh in, and the interval between
    refreshes over, so the next upload is taken in at once."""
    body = wait_until_settled(url, cookies)
    time.sleep(get_settings().data_refresh_seconds)
    return body


def busy_phase(
    url: str, reader: dict[str, str], cookies: dict[str, dict[str, str]], sheets: list[Sheet]
) -> tuple[list[float], list[float], float]:
    """The official's page timed again and again while ``sheets`` are committed,
    ``UPLOAD_CLIENTS`` at once: the page times, the upload times and how long it all took."""
    pages: list[float] = []
    done = threading.Event()

    def read_until_done() -> None:
        while not done.is_set():
            pages.append(page(url, reader)[0])

    def send(number: int) -> float:
        return upload(url, cookies[sheets[number].manager], sheets[number], f"{number}.csv")

    started = time.perf_counter()
    with ThreadPoolExecutor(1) as pool:
        reading = pool.submit(read_until_done)
        try:
            with ThreadPoolExecutor(UPLOAD_CLIENTS) as senders:
                uploads = list(senders.map(send, range(len(sheets))))
        finally:
            done.set()
        span = time.perf_counter() - started
        reading.result()
    return pages, uploads, span


def measure(database_url: str, frames: Frames, data_dir: Path, *, visible: bool) -> Figures:
    """Start a production server on the database and time the official's page.

    ``ROUNDS`` rounds of idle pages then 50 uploads, so that the load of a shared machine,
    which drifts, weighs on both sides of the ratio alike; then at EU scale the 1,000-row
    uploads, one at a time on a quiet server.
    """
    managers, rounds, big = plan(frames)
    add_accounts(database_url, managers)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = server_env(database_url, data_dir, production=True)
    figures = Figures([], [], [], 0.0, [], None)
    with running_server(env, data_dir / "server.log", production=True) as server:
        url = server.url
        reader = sign_in(url, "official", PASSWORD)
        cookies = {name: sign_in(url, name, PASSWORD) for name in managers}
        for _ in range(5):  # the first load of the process, and the page's results cached
            page(url, reader)
        for sheets in rounds:
            quiet(url, reader)
            figures.idle += [page(url, reader)[0] for _ in range(IDLE_SAMPLES)]
            pages, uploads, span = busy_phase(url, reader, cookies, sheets)
            figures.busy += pages
            figures.uploads += uploads
            figures.upload_span_s += span
        if visible:
            # Committed by this process, as another server process would: the server finds it
            # through the data version (an upload through its own API would answer only once
            # its pages show the upload).
            engine = make_engine(database_url)
            for number, sheet in enumerate(big):
                before = quiet(url, reader)
                result = commit_upload(engine, sheet.data, f"big-{number}.csv", user=sheet.manager)
                committed = time.perf_counter()
                if result.outcome is not UploadOutcome.COMMITTED:
                    raise RuntimeError(f"the 1,000-row upload was not stored: {result.message}")
                while True:
                    time.sleep(POLL_GAP_S)
                    _seconds, body = page(url, reader)
                    if body != before:
                        figures.visible.append(time.perf_counter() - committed)
                        break
                    if time.perf_counter() - committed > REQUEST_TIMEOUT_S:
                        raise TimeoutError("the upload never showed on the dashboard")
            engine.dispose()
        figures.peak_mb = peak_memory_mb(server.process.pid)
    return figures


@contextmanager
def sqlite_database(scale: str, eu_file: Path, folder: Path) -> Iterator[str]:
    """A SQLite copy of the scale's demo database in ``folder``."""
    path = folder / f"{scale}.sqlite"
    if scale == "eu":
        shutil.copyfile(eu_file, path)
    else:
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        build_demo(engine, seed=7)
        engine.dispose()
    yield f"sqlite:///{path}"


def postgres_admin_url() -> str | None:
    return next((os.environ[name] for name in POSTGRES_VARIABLES if os.environ.get(name)), None)


@contextmanager
def postgres_database(scale: str, admin_url: str) -> Iterator[str]:
    """A new PostgreSQL database holding the scale's demo (the EU one cloned from a template
    database built once), dropped afterwards."""
    admin = create_engine(make_url(admin_url), isolation_level="AUTOCOMMIT")
    name = f"skills_roadmap_bench_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            if scale == "eu":
                ensure_postgres_template(connection, admin_url)
                template = POSTGRES_EU_TEMPLATE
                connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
            else:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        if scale != "eu":
            engine = make_engine(url)
            upgrade(engine)
            build_demo(engine, seed=7)
            engine.dispose()
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def ensure_postgres_template(connection: object, admin_url: str) -> None:
    """The EU-scale demo in the template database, built unless complete (a minute or two)."""
    assert hasattr(connection, "execute")
    exists = connection.execute(
        text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": POSTGRES_EU_TEMPLATE}
    ).first()
    url = (
        make_url(admin_url).set(database=POSTGRES_EU_TEMPLATE).render_as_string(hide_password=False)
    )
    if exists:
        engine = make_engine(url)
        with engine.connect() as template:
            complete = template.execute(
                text("SELECT value FROM schema_info WHERE key = 'demo_scale'")
            ).scalar()
        upgrade(engine)
        engine.dispose()
        if complete == "eu":
            return
        connection.execute(text(f'DROP DATABASE "{POSTGRES_EU_TEMPLATE}" WITH (FORCE)'))
    print("building the EU-scale demo in PostgreSQL (once) …", file=sys.stderr)
    connection.execute(text(f'CREATE DATABASE "{POSTGRES_EU_TEMPLATE}"'))
    engine = make_engine(url)
    upgrade(engine)
    build_demo(engine, seed=7, scale="eu")
    engine.dispose()


def rows_of(backend: str, scale: str, figures: Figures) -> list[Row]:
    """The table rows of one run."""
    name = f"{backend}, {scale} scale"
    idle, busy = p95(figures.idle), p95(figures.busy)
    rows = [
        Row(
            f"{name}: page p95 while {UPLOADS} uploads commit, {ROUNDS} times "
            f"({len(figures.busy)} pages; ratio to idle)",
            busy,
            "s",
            busy / idle,
            f"≤ {RATIO_LIMIT}× idle",
            busy / idle <= RATIO_LIMIT,
        ),
        Row(f"· {name}: page p95 idle ({len(figures.idle)} pages)", idle, "s"),
        Row(
            f"· {name}: upload p95, {UPLOAD_CLIENTS} at once; "
            f"{len(figures.uploads) / figures.upload_span_s:.1f} uploads/s",
            p95(figures.uploads),
            "s",
        ),
    ]
    reload_s = figures.reload_s
    if figures.visible:
        worst = max(figures.visible)
        rows.append(
            Row(
                f"{name}: commit of a {BIG_SHEET_ROWS:,}-row upload until the page shows it "
                f"(max of {len(figures.visible)}, "
                f"median {statistics.median(figures.visible):.2f} s; ratio to the full reload)",
                worst,
                "s",
                None if reload_s is None else worst / reload_s,
                f"≤ {VISIBLE_LIMIT_S:.0f} s",
                worst <= VISIBLE_LIMIT_S,
            )
        )
    if figures.merge_s is not None:
        rows.append(
            Row(
                f"· {name}: of which the snapshot merging the upload's rows in "
                "(the page is then computed on it)",
                figures.merge_s,
                "s",
                None if reload_s is None else figures.merge_s / reload_s,
            )
        )
    if figures.first_page_cpu_s is not None and figures.warm_page_cpu_s is not None:
        rows.append(
            Row(
                f"· {name}: of which the page's first answer on the new data (CPU of this "
                f"process; from memory {figures.warm_page_cpu_s:.3f} s)",
                figures.first_page_cpu_s,
                "s",
                None if reload_s is None else figures.first_page_cpu_s / reload_s,
            )
        )
    if reload_s is not None:
        rows.append(Row(f"· {name}: the full reload of every table it replaces", reload_s, "s"))
    if figures.peak_mb is not None:
        rows.append(Row(f"· {name}: server peak memory", figures.peak_mb, "MB"))
    return rows


def run(backend: str, scale: str, url: str, folder: Path) -> list[Row]:
    """One server run on the database at ``url``; at EU scale, first in this process: the
    full reload, and the snapshot brought up to date after a 1,000-row upload."""
    engine = make_engine(url)
    started = time.perf_counter()
    snapshot = load_snapshot(engine)
    reload_s = time.perf_counter() - started
    merge_s = None
    pages: tuple[float, float] | None = None
    if scale == "eu":
        app = create_app(get_settings().model_copy(update={"auth_enabled": False}), engine)
        source = app_context(app.server).data
        assert isinstance(source, LiveData)
        source.snapshot = snapshot  # the snapshot just read: not read again
        page_cpu(app)  # the page's results on the data before the upload
        rows = big_sheet_rows(clusters_by_rows(snapshot.frames))
        result = commit_upload(engine, sheet_bytes(rows, 99), "big.csv", user="bench")
        if result.outcome is not UploadOutcome.COMMITTED:
            raise RuntimeError(f"the 1,000-row upload was not committed: {result.message}")
        started = time.perf_counter()
        refreshed = refresh_snapshot(engine, snapshot)
        merge_s = time.perf_counter() - started
        source.snapshot = refreshed  # as the server's refresh swaps it in
        pages = page_cpu(app), page_cpu(app)
        del app, source, refreshed  # not kept in memory while the server runs
    engine.dispose()
    figures = measure(url, snapshot.frames, folder / f"{backend}-{scale}", visible=scale == "eu")
    if scale == "eu":
        figures.reload_s, figures.merge_s = reload_s, merge_s
    if pages is not None:
        figures.first_page_cpu_s, figures.warm_page_cpu_s = pages
    return rows_of(backend, scale, figures)


def page_cpu(app: Dash) -> float:
    """The CPU seconds of this thread to answer the page of :func:`page` in ``app``, in this
    process."""
    started = time.thread_time()
    response = app.server.test_client().get(
        "/_dash-layout", headers={"Referer": "http://localhost/"}
    )
    if response.status_code != 200:
        raise RuntimeError(f"the page failed in this process: {response.status_code}")
    return time.thread_time() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--database",
        type=Path,
        default=Path(os.environ.get("SKILLS_ROADMAP_BENCH_DB", DEFAULT_DATABASE)),
        help="EU-scale demo SQLite file (`skills-roadmap demo --scale eu`)",
    )
    parser.add_argument("--scales", default="demo,eu")
    parser.add_argument("--backends", default="sqlite,postgresql")
    arguments = parser.parse_args(argv)
    os.environ |= {  # the accounts made here must verify as cheaply as the server is told
        "SKILLS_ROADMAP_PASSWORD_HASH_TIME_COST": "1",
        "SKILLS_ROADMAP_PASSWORD_HASH_MEMORY_KIB": "1024",
    }
    get_settings.cache_clear()
    get_engine.cache_clear()
    scales = arguments.scales.split(",")
    if "eu" in scales:
        ensure_database(arguments.database)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        for backend in arguments.backends.split(","):
            admin_url = postgres_admin_url()
            for scale in scales:
                if backend == "sqlite":
                    with sqlite_database(scale, arguments.database, folder) as url:
                        rows += run(backend, scale, url, folder)
                elif admin_url is None:
                    rows.append(Row(f"{backend}, {scale} scale: not measured (no server)", 0, "s"))
                else:
                    with postgres_database(scale, admin_url) as url:
                        rows += run(backend, scale, url, folder)
    return print_table("Readers while managers upload", "ratio", rows)


if __name__ == "__main__":
    sys.exit(main())
