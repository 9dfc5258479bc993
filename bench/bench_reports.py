"""Benchmark of the report exports on the EU-scale demo network (``make bench``).

Measures, in one run, for the whole network (no filter): assembling the report's content from
the loaded frames, writing the Excel workbook and the CSV set from it, and, as the yardstick,
writing the same progress table with a bare ``DataFrame.to_csv``. The limits apply to an export
from loaded frames (content + writer): the Excel report under 15 s, the CSV set under 5 s.
Loading the frames is timed too but not counted: the dashboard holds them already, and
``bench_analysis`` has its own limit for it. Prints a markdown table and exits with status 1
when a limit is missed.

    python -m bench.bench_reports [--database FILE] [--repeat N]

The database comes from ``--database`` (default: the ``SKILLS_ROADMAP_BENCH_DB`` variable that
``python -m bench`` sets, else ``data/local/bench/eu.sqlite``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.table import VERDICTS, print_table
from skills_roadmap.analysis import Frames, load_frames
from skills_roadmap.reports import (
    ReportContent,
    StoredRecords,
    load_records,
    report_content,
    write_csv_folder,
    write_xlsx,
)
from skills_roadmap.storage import is_initialised, make_engine

DEFAULT_DATABASE = Path("data") / "local" / "bench" / "eu.sqlite"
XLSX_SECONDS_LIMIT = 15.0
CSV_SECONDS_LIMIT = 5.0


@dataclass(frozen=True)
class Timing:
    """Wall-clock and CPU seconds of the fastest of several runs."""

    wall: float
    cpu: float

    def __add__(self, other: Timing) -> Timing:
        return Timing(self.wall + other.wall, self.cpu + other.cpu)


@dataclass(frozen=True)
class Row:
    """One line of the result table."""

    name: str
    value: str
    ratio: float | None = None
    limit: str = "–"
    passed: bool | None = None

    def markdown(self) -> str:
        ratio = "–" if self.ratio is None else f"{self.ratio:.2f}×"
        verdict = VERDICTS[self.passed]
        return f"| {self.name} | {self.value} | {ratio} | {self.limit} | {verdict} |"


def best_of(repeat: int, action: Callable[[], object]) -> Timing:
    """The fastest of ``repeat`` runs: the least disturbed by other work on the machine."""
    timings = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        timings.append(Timing(time.perf_counter() - wall, time.process_time() - cpu))
    return min(timings, key=lambda timing: timing.wall)


def seconds(timing: Timing) -> str:
    # CPU time shows what wall time would be on an idle machine.
    return f"{timing.wall:.2f} s (CPU {timing.cpu:.2f} s)"


def load(path: Path) -> tuple[Frames, StoredRecords, Timing]:
    engine = make_engine(f"sqlite:///{path}")
    try:
        if not is_initialised(engine):
            raise SystemExit(f"no EU-scale demo database at {path}: run `python -m bench`")
        wall, cpu = time.perf_counter(), time.process_time()
        frames, records = load_frames(engine), load_records(engine)
        return frames, records, Timing(time.perf_counter() - wall, time.process_time() - cpu)
    finally:
        engine.dispose()


def run(path: Path, repeat: int) -> list[Row]:
    frames, records, loading = load(path)
    content: list[ReportContent] = []

    def assemble() -> None:
        content[:] = [report_content(frames, records=records)]

    assembly = best_of(repeat, assemble)
    report = content[0]
    progress = report.table("progress").frame
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as folder:
        work = Path(folder)
        workbook = work / "report.xlsx"

        def excel() -> None:
            with workbook.open("wb") as handle:
                write_xlsx(report, handle)

        bare = best_of(repeat, lambda: progress.to_csv(work / "progress.csv", index=False))
        xlsx = best_of(repeat, excel)
        csv = best_of(repeat, lambda: write_csv_folder(report, work / "csv"))
        size_mb = workbook.stat().st_size / 1e6
    excel_report, csv_set = assembly + xlsx, assembly + csv
    return [
        Row("progress rows (whole network)", f"{len(progress):,}"),
        Row("load frames and records (not counted)", seconds(loading)),
        Row("report content (all tables, summary)", seconds(assembly)),
        Row("bare `DataFrame.to_csv` of the progress table", seconds(bare), 1.0),
        Row("Excel workbook written", f"{seconds(xlsx)}, {size_mb:,.0f} MB", xlsx.wall / bare.wall),
        Row(
            "**Excel report** (content + workbook)",
            seconds(excel_report),
            excel_report.wall / bare.wall,
            f"< {XLSX_SECONDS_LIMIT:.0f} s",
            excel_report.wall < XLSX_SECONDS_LIMIT,
        ),
        Row("CSV set written (folder)", seconds(csv), csv.wall / bare.wall),
        Row(
            "**CSV set** (content + files)",
            seconds(csv_set),
            csv_set.wall / bare.wall,
            f"< {CSV_SECONDS_LIMIT:.0f} s",
            csv_set.wall < CSV_SECONDS_LIMIT,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--database",
        type=Path,
        default=Path(os.environ.get("SKILLS_ROADMAP_BENCH_DB", DEFAULT_DATABASE)),
        help="EU-scale demo SQLite file (python -m bench builds it)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best counts)")
    arguments = parser.parse_args(argv)
    rows = run(arguments.database, arguments.repeat)
    return print_table("Report exports, EU scale", "ratio to bare to_csv", rows)


if __name__ == "__main__":
    sys.exit(main())
