"""Benchmark of the read API on the EU-scale demo network (``make bench``).

``GET /api/v1/summary`` answered by the dashboard's server code (the Flask test client, the
snapshot already loaded) for random selections, each cold (no selection's result cached);
what is computed once per snapshot (running totals, the whole targets assessed per month) is
computed by the first request that needs it, as on a server, and counts among the 200.
Beside it, the bare narrowing of the frames and their progress rows to the same selection
(``apply_filters``) as the run's baseline.

``GET /api/v1/progress?format=csv`` for the whole network, read chunk by chunk as a client
would, beside a bare ``DataFrame.to_csv`` of the same rows in the same run (the issue's limit:
the stream at least as fast), and the growth of resident memory while streaming (flat: the
stream never holds the whole table as text).

    python -m bench.bench_api [--database FILE] [--selections N]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from flask.testing import FlaskClient

from bench.bench_analysis import ensure_database
from bench.bench_dashboard import DEFAULT_DATABASE, percentile, random_filters
from bench.table import Row, print_table
from skills_roadmap.analysis import Filters, Frames, apply_filters

SUMMARY_P95_LIMIT_MS = 50.0
STREAM_RATIO_LIMIT = 1.0
PARAMETERS = {
    "regions": "region",
    "clusters": "cluster",
    "levels": "level",
    "funding_sources": "funding",
    "delivery_modes": "delivery",
}


def query(filters: Filters) -> str:
    """The API's query string of ``filters``."""
    pairs = [
        (name, str(value))
        for field, name in PARAMETERS.items()
        for value in getattr(filters, field)
    ]
    return urlencode(pairs + ([("as_of", filters.as_of)] if filters.as_of else []))


def resident_mb() -> float | None:
    """This process's resident memory now (Linux), or ``None`` where it cannot be read."""
    statm = Path("/proc/self/statm")
    if not statm.exists():
        return None
    return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def stream_rows(client: FlaskClient, frames: Frames) -> list[Row]:
    """The whole network's progress streamed as CSV, against a bare ``to_csv`` of it."""
    before = resident_mb()
    peak, size = before or 0.0, 0
    started = time.perf_counter()
    response = client.get("/api/v1/progress?format=csv", buffered=False)
    for chunk in response.response:
        size += len(chunk)
        peak = max(peak, resident_mb() or 0.0)
    response.close()
    streamed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"progress?format=csv: {response.status_code}")
    started = time.perf_counter()
    bare = len(frames.progress.to_csv())
    baseline = time.perf_counter() - started
    rows = len(frames.progress)
    return [
        Row(
            f"progress?format=csv, {rows:,} rows ({size / 2**20:,.0f} MB), streamed",
            streamed,
            "s",
            ratio=streamed / baseline,
            limit=f"≤ {STREAM_RATIO_LIMIT:.1f}× to_csv",
            passed=streamed / baseline <= STREAM_RATIO_LIMIT,
        ),
        Row(f"baseline: bare progress.to_csv() ({bare / 2**20:,.0f} MB)", baseline, "s"),
        Row(
            "resident memory growth while streaming",
            peak - before if before is not None else float("nan"),
            "MB",
        ),
    ]


def run(database: Path, selections: int) -> list[Row]:
    os.environ["SKILLS_ROADMAP_DATABASE_URL"] = f"sqlite:///{database}"
    from dashboard.app import create_app
    from dashboard.context import app_context

    app = create_app()
    client = app.server.test_client()
    data = app_context(app.server).data
    frames = data.frames()  # the snapshot a running server holds
    rng = random.Random(2026)
    chosen = [random_filters(rng, frames, None) for _ in range(selections)]
    answers, narrowing = [], []
    for filters in chosen:
        data.clear_results()
        started = time.perf_counter()
        response = client.get(f"/api/v1/summary?{query(filters)}")
        answers.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{filters}: {response.status_code} {response.get_data(as_text=True)}")
        started = time.perf_counter()
        apply_filters(frames, filters)
        narrowing.append(time.perf_counter() - started)
    p95 = percentile(answers, 0.95) * 1000
    base = percentile(narrowing, 0.95) * 1000
    data.clear_results()
    streaming = stream_rows(client, frames)
    return [
        Row(f"summary, median of {selections} selections", statistics.median(answers) * 1000, "ms"),
        Row(
            f"summary, p95 of {selections} selections",
            p95,
            "ms",
            ratio=p95 / base,
            limit=f"≤ {SUMMARY_P95_LIMIT_MS:.0f} ms",
            passed=p95 <= SUMMARY_P95_LIMIT_MS,
        ),
        Row("baseline: apply_filters alone, p95", base, "ms"),
        *streaming,
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database",
        type=Path,
        default=Path(os.environ.get("SKILLS_ROADMAP_BENCH_DB", DEFAULT_DATABASE)),
    )
    parser.add_argument("--selections", type=int, default=200)
    args = parser.parse_args(argv)
    ensure_database(args.database)
    rows = run(args.database, args.selections)
    return print_table("Read API, EU scale", "× baseline", rows)


if __name__ == "__main__":
    sys.exit(main())
