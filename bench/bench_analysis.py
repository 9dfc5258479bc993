"""Benchmark of the analysis layer on the EU-scale demo network (``make bench``).

Measures, in one run: loading the frames from SQLite (seconds and peak resident memory, in a
fresh process so nothing else is counted), the part of it that reads the ESF+ breakdowns
(the rows that report a band, through a partial index), one bare ``groupby(...).sum()`` over
the progress frame, and the full overview (attainment and status of every region × level and of the
network). Prints a markdown table and exits with status 1 when a limit is missed.

    python -m bench.bench_analysis [--database FILE] [--repeat N]

The EU demo database is built once (about half a minute) and reused from ``--database``
(default: the ``SKILLS_ROADMAP_BENCH_DB`` variable that ``python -m bench`` sets, else
``data/local/bench/eu.sqlite``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.table import Row, print_table
from skills_roadmap.analysis import load_frames, overview
from skills_roadmap.analysis.frames import PROGRESS_MEASURES
from skills_roadmap.storage import is_initialised, make_engine, upgrade
from skills_roadmap.storage.snapshot import read_breakdowns

DEFAULT_DATABASE = Path("data") / "local" / "bench" / "eu.sqlite"
MIN_PROGRESS_ROWS = 1_500_000
LOAD_SECONDS_LIMIT = 10.0
LOAD_MEMORY_LIMIT_MB = 1024.0
OVERVIEW_RATIO_LIMIT = 3.0
MEASURES = list(PROGRESS_MEASURES)


def ensure_database(path: Path) -> None:
    """Build the EU-scale demo (seed 7) at ``path`` unless it is already there (then bring its
    schema up to date)."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        if is_initialised(engine):
            upgrade(engine)
            return
        from skills_roadmap.demo import build_demo

        print(f"building the EU-scale demo database at {path} …", file=sys.stderr)
        upgrade(engine)
        build_demo(engine, seed=7, scale="eu")
    finally:
        engine.dispose()


def peak_resident_mb() -> float:
    """This process's peak resident memory.

    Linux's ``VmHWM`` counts this program only; ``ru_maxrss`` also keeps the high-water mark
    of the parent the process was forked from (e.g. the one that just built the database).
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def measure_load(path: Path) -> dict[str, float]:
    """Load the frames in this process; report seconds, peak RSS and the size of the data."""
    engine = make_engine(f"sqlite:///{path}")
    started, cpu_started = time.perf_counter(), time.process_time()
    frames = load_frames(engine)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    engine.dispose()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_mb": peak_resident_mb(),
        "progress_rows": float(len(frames.progress)),
        "regions": float(len(frames.regions)),
    }


def load_in_fresh_process(path: Path) -> dict[str, float]:
    """:func:`measure_load` in a child interpreter, so its peak memory is the loader's own."""
    command = [sys.executable, str(Path(__file__).resolve()), "--measure-load", str(path)]
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    measured: dict[str, float] = json.loads(result.stdout)
    return measured


def best_of(repeat: int, action: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs: the least disturbed by other work on the machine."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def run(path: Path, repeat: int) -> list[Row]:
    ensure_database(path)
    load = load_in_fresh_process(path)
    engine = make_engine(f"sqlite:///{path}")
    frames = load_frames(engine)
    breakdowns = best_of(repeat, lambda: read_breakdowns(engine))
    engine.dispose()
    progress = frames.progress
    baseline = best_of(
        repeat, lambda: progress.groupby("programme_id", observed=True)[MEASURES].sum()
    )
    league = best_of(repeat, lambda: overview(frames))
    rows_ok = load["progress_rows"] >= MIN_PROGRESS_ROWS
    return [
        Row(
            "progress rows",
            load["progress_rows"],
            "rows",
            limit=f"≥ {MIN_PROGRESS_ROWS:,}",
            passed=rows_ok,
        ),
        Row(
            "load_frames",
            load["seconds"],
            "s",
            limit=f"< {LOAD_SECONDS_LIMIT:.0f} s",
            passed=load["seconds"] < LOAD_SECONDS_LIMIT,
        ),
        # CPU time shows what wall time would be on an idle machine.
        Row("load_frames CPU time", load["cpu_seconds"], "s"),
        # A part of load_frames: its ratio is to the whole load, not to the baseline below.
        Row(
            f"of which ESF+ breakdowns ({len(frames.breakdowns):,} rows report a band)",
            breakdowns,
            "s",
            ratio=breakdowns / load["seconds"],
        ),
        Row(
            "load_frames peak RSS",
            load["peak_mb"],
            "MB",
            limit=f"< {LOAD_MEMORY_LIMIT_MB:.0f} MB",
            passed=load["peak_mb"] < LOAD_MEMORY_LIMIT_MB,
        ),
        Row("progress.groupby('programme_id').sum()", baseline, "s", ratio=1.0),
        Row(
            f"overview ({int(load['regions'])} regions × 3 levels + network)",
            league,
            "s",
            ratio=league / baseline,
            limit=f"≤ {OVERVIEW_RATIO_LIMIT:.0f}× baseline",
            passed=league <= OVERVIEW_RATIO_LIMIT * baseline,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--database",
        type=Path,
        default=Path(os.environ.get("SKILLS_ROADMAP_BENCH_DB", DEFAULT_DATABASE)),
        help="EU-scale demo SQLite file; built there when missing",
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing (best counts)")
    parser.add_argument("--measure-load", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.measure_load:
        print(json.dumps(measure_load(arguments.measure_load)))
        return 0
    rows = run(arguments.database, arguments.repeat)
    return print_table("Analysis layer, EU scale", "ratio", rows)


if __name__ == "__main__":
    sys.exit(main())
