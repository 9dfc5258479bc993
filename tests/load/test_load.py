"""Load test of the multi-user deployment: `serve --production` on 127.0.0.1, many managers
uploading at once while others read the dashboard, on SQLite and on PostgreSQL.

After 50 concurrent uploads (some reporting the same programme and month with different values,
two with errors, two repeating an earlier file) and 200 reads, every request has an answer
below 500, every upload is in the history exactly once with the outcome its sender was told,
and every reported row is stored once with the values of the last committed upload that
touched it — uploads are numbered in the order they take the write lock, so a later number
that lost to an earlier one means two commits interleaved. The revisions of each row form one
unbroken chain (each old value is the previous upload's new value).
"""

from __future__ import annotations

import hashlib
import json
import random
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import date
from functools import cached_property, partial
from pathlib import Path
from typing import Any

import pytest
import requests
from server_helpers import add_users, running_server, server_env, sign_in
from sqlalchemy import Engine, func, select
from upload_helpers import progress_csv

from skills_roadmap.demo import build_demo
from skills_roadmap.storage import session_scope
from skills_roadmap.storage.tables import ProgrammeRow, ProgressRow, RevisionRow, UploadRow

pytestmark = pytest.mark.slow

PASSWORD = "load test password"
CLUSTERS = 5  # the busiest demo clusters; manager i reports for clusters i and i+1
UPLOADS = 50
READS = 200
ROWS_PER_SHEET = 12
SHARED_KEYS = 2  # stored months and as many unreported ones every sheet of a cluster reports
REJECTED_SHEETS = frozenset({7, 23})  # one row with a negative count each
DUPLICATES = {48: 46, 49: 47}  # these sheets repeat an earlier sheet byte for byte
CLIENT_THREADS = 24
REQUEST_TIMEOUT_S = 30
TIME_LIMIT_S = 60
FIELDS = ("enrolled", "completed", "certified", "dropped_out", "women", "spend_eur", "notes")
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
SUBTITLE_CALLBACK = {  # the overview's sentence under its title: the analysis layer on every call
    "output": "scope-subtitle.children",
    "outputs": {"id": "scope-subtitle", "property": "children"},
    "inputs": [{"id": "filters", "property": "data", "value": {}}],
    "changedPropIds": [],
    "parsedChangedPropsIds": [],
}
READ_REQUESTS: tuple[tuple[str, str, dict[str, Any] | None], ...] = (
    ("GET", "/", None),
    ("GET", "/_dash-layout", None),
    ("POST", "/_dash-update-component", SUBTITLE_CALLBACK),
    ("GET", "/programmes", None),
)

Key = tuple[str, str]


def sheet_values(index: int) -> dict[str, Any]:
    """The values every row of sheet ``index`` reports: distinct per sheet, all valid."""
    return {
        "enrolled": 500 + index,
        "completed": 400 + index,
        "certified": 300 + index,
        "dropped_out": 10 + index,
        "women": 200 + index,
        "spend_eur": 1000.5 + index,
        "notes": f"load sheet {index}",
    }


@dataclass(frozen=True)
class Sheet:
    """One upload of the test: who sends it, which rows, and the sheet whose values it holds."""

    index: int
    manager: str
    keys: tuple[Key, ...]
    source: int  # itself, or the sheet it repeats

    @property
    def valid(self) -> bool:
        return self.source not in REJECTED_SHEETS

    @cached_property
    def data(self) -> bytes:
        values = list(sheet_values(self.source).values())
        lines = [(programme, period, *values) for programme, period in self.keys]
        if not self.valid:
            lines[-1] = (*lines[-1][:2], -1, *values[1:])
        return progress_csv(lines)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Answer:
    """What one request got: status (None: no answer at all), timing and the JSON body."""

    kind: str
    status: int | None
    started: float
    finished: float
    body: dict[str, Any] | None = None
    error: str | None = None

    @property
    def seconds(self) -> float:
        return self.finished - self.started


def months(start: date, last: date) -> list[str]:
    """``YYYY-MM`` of every month from ``start``'s to ``last``'s, both included."""
    first, final = start.year * 12 + start.month - 1, last.year * 12 + last.month - 1
    return [f"{m // 12}-{m % 12 + 1:02d}" for m in range(first, final + 1)]


def reportable_keys(engine: Engine, today: date) -> dict[str, list[Key]]:
    """Per cluster, every (programme, month) a manager may report today: inside the
    programme's run and not in the future; stored already or not."""
    keys: dict[str, list[Key]] = defaultdict(list)
    with session_scope(engine) as session:
        for programme in session.scalars(select(ProgrammeRow).order_by(ProgrammeRow.id)):
            last = min(programme.end, today)
            keys[programme.cluster_id] += [(programme.id, m) for m in months(programme.start, last)]
    return keys


def shared_keys(pool: list[Key], stored: set[Key]) -> list[Key]:
    """The months every sheet of a cluster reports: some stored (concurrent updates of one
    row) and some not reported yet (concurrent inserts of one row)."""
    old = [key for key in pool if key in stored][:SHARED_KEYS]
    new = [key for key in pool if key not in stored][:SHARED_KEYS]
    return old + new


def plan_sheets(
    engine: Engine, today: date, stored: set[Key]
) -> tuple[dict[str, list[str]], list[Sheet]]:
    """The managers (name → clusters) and the sheets they send.

    Each cluster has two managers; each sheet reports months all its cluster's sheets report
    (:func:`shared_keys`) plus months drawn at random, so uploads overlap on the same
    programme and month with different values.
    """
    keys = reportable_keys(engine, today)
    busiest = sorted(keys, key=lambda cluster: (-len(keys[cluster]), cluster))[:CLUSTERS]
    managers = {f"manager-{i}": [busiest[i], busiest[(i + 1) % CLUSTERS]] for i in range(CLUSTERS)}
    rng = random.Random(7)
    sheets: dict[int, Sheet] = {}
    for index in range(UPLOADS):
        if index in DUPLICATES:
            source = sheets[DUPLICATES[index]]
            cluster = next(c for c in busiest if source.keys[0] in keys[c])
            other = next(m for m, cs in managers.items() if cluster in cs and m != source.manager)
            sheets[index] = Sheet(index, other, source.keys, source.source)
            continue
        manager = f"manager-{index % CLUSTERS}"
        cluster = managers[manager][(index // CLUSTERS) % 2]
        shared = shared_keys(keys[cluster], stored)
        others = [key for key in keys[cluster] if key not in shared]
        drawn = rng.sample(others, ROWS_PER_SHEET - len(shared))
        sheets[index] = Sheet(index, manager, (*shared, *drawn), index)
    return managers, list(sheets.values())


def _call(kind: str, method: str, url: str, **options: Any) -> Answer:
    started = time.perf_counter()
    try:
        response = requests.request(method, url, timeout=REQUEST_TIMEOUT_S, **options)
    except requests.RequestException as error:
        return Answer(kind, None, started, time.perf_counter(), error=repr(error))
    finished = time.perf_counter()
    is_json = response.headers.get("Content-Type", "").startswith("application/json")
    body = response.json() if is_json and kind == "upload" else None
    return Answer(kind, response.status_code, started, finished, body)


def upload(base: str, cookies: dict[str, str], sheet: Sheet) -> Answer:
    """POST one sheet to the upload API as its manager (commit, no dry run)."""
    return _call(
        "upload",
        "POST",
        base + "/api/uploads",
        files={"file": (f"sheet-{sheet.index}.csv", sheet.data, "text/csv")},
        headers={"Origin": base},
        cookies=cookies,
    )


def read(base: str, cookies: dict[str, str], index: int) -> Answer:
    """One dashboard read: a page, the app shell, or a chart callback."""
    method, path, body = READ_REQUESTS[index % len(READ_REQUESTS)]
    return _call("read", method, base + path, json=body, headers={"Origin": base}, cookies=cookies)


def fire(tasks: list[Callable[[], Answer]], seed: int = 11) -> list[Answer]:
    """Run every task on ``CLIENT_THREADS`` threads, submitted in a shuffled order so uploads
    and reads mix; all must end within the time limit. Answers come back in task order."""
    order = list(range(len(tasks)))
    random.Random(seed).shuffle(order)
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        futures = {index: pool.submit(tasks[index]) for index in order}
        _done, late = wait(futures.values(), timeout=TIME_LIMIT_S)
        for future in late:
            future.cancel()
    assert not late, f"{len(late)} of {len(tasks)} requests did not end within {TIME_LIMIT_S} s"
    return [futures[index].result() for index in range(len(tasks))]


def percentile_95(seconds: list[float]) -> float:
    return statistics.quantiles(seconds, n=20, method="inclusive")[-1] if len(seconds) > 1 else 0.0


def report_figures(backend: str, answers: list[Answer]) -> dict[str, Any]:
    """Uploads per second, 95th-percentile latencies and failures; printed and kept as JSON."""
    uploads = [a for a in answers if a.kind == "upload"]
    reads = [a for a in answers if a.kind == "read"]
    span = max(a.finished for a in uploads) - min(a.started for a in uploads)
    figures = {
        "backend": backend,
        "uploads": len(uploads),
        "reads": len(reads),
        "upload_span_s": round(span, 2),
        "uploads_per_s": round(len(uploads) / span, 2),
        "upload_p95_ms": round(percentile_95([a.seconds for a in uploads]) * 1000),
        "read_p95_ms": round(percentile_95([a.seconds for a in reads]) * 1000),
        "server_errors": sum(1 for a in answers if a.status is None or a.status >= 500),
    }
    print(f"\nload test {json.dumps(figures)}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"load-{backend}.json").write_text(json.dumps(figures, indent=2) + "\n")
    return figures


def stored_rows(engine: Engine, keys: set[Key]) -> dict[Key, dict[str, Any]]:
    """The stored progress rows of ``keys``, with the upload that last changed each."""
    programmes = sorted({programme for programme, _period in keys})
    with session_scope(engine) as session:
        rows = session.scalars(select(ProgressRow).where(ProgressRow.programme_id.in_(programmes)))
        return {
            (row.programme_id, row.period): {
                **{name: getattr(row, name) for name in FIELDS},
                "upload_id": row.upload_id,
            }
            for row in rows
            if (row.programme_id, row.period) in keys
        }


def progress_count(engine: Engine) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(ProgressRow)) or 0)


def check_history(engine: Engine, sheets: list[Sheet], answers: list[Answer]) -> dict[int, Sheet]:
    """Every upload request is in the history once, as its sender was told; returns the
    committed uploads' sheets by upload id."""
    with session_scope(engine) as session:
        uploads = {row.id: row for row in session.scalars(select(UploadRow))}
    told = {
        a.body["upload_id"]: (sheet, a.body["outcome"])
        for sheet, a in zip(sheets, answers, strict=True)
        if a.body
    }
    assert sorted(told) == sorted(uploads), "the upload history differs from the answers"
    recorded = {
        upload_id: (row.uploaded_by, row.sha256, row.outcome) for upload_id, row in uploads.items()
    }
    expected = {
        upload_id: (sheet.manager, sheet.sha256, outcome)
        for upload_id, (sheet, outcome) in told.items()
    }
    assert recorded == expected
    outcomes = Counter(outcome for _, outcome in told.values())
    assert outcomes == {
        "committed": UPLOADS - len(REJECTED_SHEETS) - len(DUPLICATES),
        "rejected": len(REJECTED_SHEETS),
        "duplicate": len(DUPLICATES),
    }
    return {
        upload_id: sheet for upload_id, (sheet, outcome) in told.items() if outcome == "committed"
    }


def expected_state(
    committed: dict[int, Sheet], before: dict[Key, dict[str, Any]]
) -> tuple[dict[Key, dict[str, Any]], list[tuple[Key, int, int, int]]]:
    """What serialised commits in upload-id order leave: each key's final values and upload,
    and the chain of (key, upload, old, new) enrolment revisions."""
    final: dict[Key, dict[str, Any]] = {}
    chain: list[tuple[Key, int, int, int]] = []
    for upload_id in sorted(committed):
        sheet = committed[upload_id]
        values = sheet_values(sheet.source)
        for key in sheet.keys:
            previous = final.get(key, before.get(key))
            if previous is not None:
                chain.append((key, upload_id, previous["enrolled"], values["enrolled"]))
            final[key] = {**values, "upload_id": upload_id}
    return final, sorted(chain)


def enrolment_revisions(engine: Engine) -> list[tuple[Key, int, int, int]]:
    """Every stored revision of an enrolment: (key, upload, old, new)."""
    with session_scope(engine) as session:
        rows = session.scalars(select(RevisionRow).where(RevisionRow.field == "enrolled"))
        return sorted(
            ((r.programme_id, r.period), r.upload_id, int(r.old_value or 0), int(r.new_value or 0))
            for r in rows
        )


def test_concurrent_uploads_and_reads_store_every_row_once_in_commit_order(
    any_engine: Engine, tmp_path: Path
) -> None:
    build_demo(any_engine, seed=7)
    today = date.today()
    every_key = {key for keys in reportable_keys(any_engine, today).values() for key in keys}
    before = stored_rows(any_engine, every_key)
    managers, sheets = plan_sheets(any_engine, today, set(before))
    all_keys = {key for sheet in sheets for key in sheet.keys}
    count_before = progress_count(any_engine)
    env = server_env(
        any_engine.url.render_as_string(hide_password=False), tmp_path / "data", production=True
    )
    accounts = {
        name: ["--role", "manager", *(f"--cluster={c}" for c in clusters)]
        for name, clusters in managers.items()
    }
    add_users(env, accounts | {"reader": ["--role", "official"]}, PASSWORD)
    any_engine.dispose()  # the server alone has the database open, as in a deployment

    with running_server(env, tmp_path / "server.log", production=True) as server:
        cookies = {name: sign_in(server.url, name, PASSWORD) for name in [*managers, "reader"]}
        uploads = [partial(upload, server.url, cookies[sheet.manager], sheet) for sheet in sheets]
        reads = [partial(read, server.url, cookies["reader"], i) for i in range(READS)]
        answers = fire([*uploads, *reads])
        log = server.logged_errors()

    figures = report_figures(any_engine.dialect.name, answers)
    failures = [(a.kind, a.status, a.error) for a in answers if a.status is None or a.status >= 500]
    assert figures["server_errors"] == 0, f"{failures[:5]}\nserver errors:\n{log}"
    upload_answers = answers[:UPLOADS]
    assert [a.status for a in upload_answers] == [200 if sheet.valid else 422 for sheet in sheets]
    assert all(a.status == 200 for a in answers[UPLOADS:])

    committed = check_history(any_engine, sheets, upload_answers)
    final, chain = expected_state(committed, before)
    stored = stored_rows(any_engine, all_keys)
    expected = {key: final.get(key, before.get(key)) for key in all_keys}
    wrong = {
        key: (stored.get(key), value) for key, value in expected.items() if stored.get(key) != value
    }
    assert not wrong, (
        f"{len(wrong)} rows differ from serialised commits, e.g. {list(wrong.items())[:3]}"
    )
    assert progress_count(any_engine) == count_before + len(set(final) - set(before))
    assert enrolment_revisions(any_engine) == chain
