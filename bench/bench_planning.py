"""Benchmark of the budget planner on the EU-scale demo network (``make bench``).

Measures the least-cost plan of the whole network (every region and level) and of one region,
each beside the time to build its model (everything but HiGHS's solve: the selection, the
forecast, the variables and the sparse matrices), the most-people plan of the whole network
within two budgets, and its least-cost plan within budgets too small to close every gap.
The programme types are learnt from the history once per snapshot; that is measured on its
own (the first plan of a snapshot pays it). Each plan runs ``--repeat`` times; the limit
applies to the slowest run.

    python -m bench.bench_planning [--database FILE] [--repeat N] [--region CODE]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from bench.bench_analysis import DEFAULT_DATABASE, ensure_database
from bench.table import Row, print_table
from skills_roadmap.analysis import Frames, load_frames
from skills_roadmap.planning import Plan, PlanRequest, plan, programme_types
from skills_roadmap.storage import make_engine

NETWORK_LIMIT_SECONDS = 10.0
REGION_LIMIT_SECONDS = 1.0


def timed(
    frames: Frames, request: PlanRequest, repeat: int
) -> tuple[list[tuple[float, float]], Plan]:
    """Seconds of each of ``repeat`` plans with the seconds of their solves, and the last plan."""
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = plan(frames, request)
        seconds.append((time.perf_counter() - started, result.solver["solve_seconds"]))
    assert result is not None
    return seconds, result


def plan_rows(
    name: str, seconds: list[tuple[float, float]], result: Plan, limit: float | None
) -> list[Row]:
    """The slowest plan against ``limit``, beside its model's build time (the median run's
    time outside HiGHS)."""
    slowest = max(total for total, _ in seconds)
    build = statistics.median(total - solve for total, solve in seconds)
    solve = statistics.median(solve for _, solve in seconds)
    shape = f"{result.solver['variables']:,} variables, {result.solver['constraints']:,} rows"
    return [
        Row(
            f"{name}: plan, slowest of {len(seconds)}",
            slowest,
            "s",
            ratio=slowest / build,
            limit="–" if limit is None else f"≤ {limit:.0f} s",
            passed=None if limit is None else slowest <= limit,
        ),
        Row(f"{name}: baseline, building the model ({shape})", build, "s"),
        Row(f"{name}: of which the sparse matrices", result.solver["build_seconds"], "s"),
        Row(f"{name}: HiGHS solves (proven gap {result.solver['gap']:.2%})", solve, "s"),
    ]


def run(database: Path, repeat: int, region: str) -> list[Row]:
    engine = make_engine(f"sqlite:///{database}")
    frames = load_frames(engine)
    engine.dispose()
    started = time.perf_counter()
    programme_types(frames, [region], ["basic"])  # learns every type, once per snapshot
    learning = time.perf_counter() - started
    network, whole = timed(frames, PlanRequest(), repeat)
    one, regional = timed(frames, PlanRequest(regions=(region,)), repeat)
    budgets = {"ERDF": 50e6, "ESF+": 50e6}
    most, people = timed(frames, PlanRequest(budgets=budgets, mode="most-people"), repeat)
    short = {"ERDF": 1e9, "ESF+": 1e9, "Private": 5e8}
    bound, tight = timed(frames, PlanRequest(budgets=short), repeat)
    return [
        Row("learning the programme types (once per snapshot)", learning, "s"),
        *plan_rows("whole network, least cost", network, whole, NETWORK_LIMIT_SECONDS),
        *plan_rows(f"one region ({region}), least cost", one, regional, REGION_LIMIT_SECONDS),
        *plan_rows("whole network, most people within EUR 100 M", most, people, None),
        *plan_rows("whole network, least cost within EUR 2.5 bn (too little)", bound, tight, None),
        Row("whole network, least cost: new cohorts planned", whole.totals["cohorts"], "cohorts"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database",
        type=Path,
        default=Path(os.environ.get("SKILLS_ROADMAP_BENCH_DB", DEFAULT_DATABASE)),
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--region", default="ES24")
    args = parser.parse_args(argv)
    ensure_database(args.database)
    rows = run(args.database, args.repeat, args.region)
    return print_table("Budget planner, EU scale", "× model build", rows)


if __name__ == "__main__":
    sys.exit(main())
