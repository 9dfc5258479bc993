"""Run every benchmark against one shared EU-scale demo database and collect their tables.

The EU-scale database (`skills-roadmap demo --scale eu`) is built once into the git-ignored
data folder and reused; its build time and size are the first table. Each `bench_*.py` module
is run as its own process (so its peak memory is its own) with the database path in
``SKILLS_ROADMAP_BENCH_DB`` and prints a markdown table; all of them are written to
``bench/results/latest.md`` too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from skills_roadmap.demo import build_demo
from skills_roadmap.storage import make_engine, upgrade

HERE = Path(__file__).parent
RESULTS = HERE / "results"


def eu_database(path: Path) -> str:
    """Build the EU-scale demo database at ``path`` unless it exists (then bring its schema up
    to date); a table of the build."""
    if path.exists():
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        engine.dispose()
        return f"EU-scale demo database reused: {path.stat().st_size / 1e6:,.0f} MB\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{partial}")
    upgrade(engine)
    started = time.perf_counter()
    summary = build_demo(engine, seed=7, scale="eu")
    seconds = time.perf_counter() - started
    engine.dispose()
    partial.rename(path)
    size_mb = path.stat().st_size / 1e6
    return (
        "### Demo network, EU scale\n\n"
        "| measure | value | limit |\n|---|---:|---:|\n"
        f"| build time | {seconds:.1f} s | 180 s |\n"
        f"| database size | {size_mb:,.0f} MB | |\n"
        f"| regions / clusters / programmes | {summary.regions:,} / {summary.clusters:,} / "
        f"{summary.programmes:,} | ≥ 240 / 1,500 / 20,000 |\n"
        f"| progress rows | {summary.progress_rows:,} | ≥ 1,500,000 |\n"
    )


def main() -> int:
    database = Path(os.environ.get("SKILLS_ROADMAP_BENCH_DB", "data/local/bench/eu.sqlite"))
    tables = [eu_database(database)]
    print(tables[0], flush=True)
    failed = False
    for script in sorted(HERE.glob("bench_*.py")):
        result = subprocess.run(
            [sys.executable, "-m", f"bench.{script.stem}"],
            env=os.environ | {"SKILLS_ROADMAP_BENCH_DB": str(database.resolve())},
            capture_output=True,
            text=True,
            check=False,
        )
        output = result.stdout if result.returncode == 0 else result.stdout + result.stderr
        failed |= result.returncode != 0
        print(output, flush=True)
        tables.append(output)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text("\n".join(tables), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
