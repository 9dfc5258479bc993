"""Benchmark of progress-sheet ingestion on a 100,000-row .xlsx (``make bench``).

Measures, in one run and on the same file: a bare python-calamine parse (the floor any
reader pays), the product's read of the sheet in a child process (as every upload is read)
against the same read in this process, the full dry run (parse, validate, diff against a
database holding the file's 2,000 programmes), and the commit (the same, plus storing every
row, into a fresh copy of that database each time); and the peak resident memory of a fresh
process doing a dry run and a commit. Then a sheet just inside the row cap whose every row has
errors: the peak memory of a fresh process making its report, and the size of that report as
JSON. Prints a markdown table and exits with status 1 when a limit is missed.

    python -m bench.bench_ingest [--rows N] [--repeat N] [--error-rows N]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from statistics import median

import xlsxwriter
from python_calamine import CalamineWorkbook

from bench.table import Row, print_table
from skills_roadmap.domain import UploadOutcome
from skills_roadmap.ingest import commit_upload, dry_run
from skills_roadmap.ingest.contract import PROGRESS
from skills_roadmap.ingest.pipeline import cyclic_gc_paused
from skills_roadmap.ingest.readers import parse_sheet, read_sheet
from skills_roadmap.storage import make_engine, session_scope, upgrade
from skills_roadmap.storage.tables import ClusterRow, ProgrammeRow, RegionRow

ROWS = 100_000
MONTHS = 50
TODAY = date(2025, 6, 15)
DRY_RUN_RATIO_LIMIT = 1.5
ISOLATION_RATIO_LIMIT = 1.25
COMMIT_RATIO_LIMIT = 2.0
MEMORY_LIMIT_MB = 500.0
ERROR_ROWS = 199_990  # just inside the default row cap of 200,000
ERROR_MEMORY_LIMIT_MB = 500.0
ERROR_JSON_LIMIT_MB = 1.0
HEADERS = [column.header for column in PROGRESS.columns]  # the contract is the one source


def programme_id(index: int) -> str:
    return f"BENCH-{index:05d}"


def build_database(path: Path, programmes: int) -> None:
    """A migrated database holding one region, one cluster and ``programmes`` programmes."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with session_scope(engine, write=True) as session:
        session.add(RegionRow(code="ES24", name="Aragón", country="ES", lat=41.6, lon=-0.9))
        session.flush()
        session.add(
            ClusterRow(id="bench", name="Bench", region_code="ES24", helix_roles="industry")
        )
        session.flush()
        session.add_all(
            ProgrammeRow(
                id=programme_id(i),
                name=f"Programme {i}",
                cluster_id="bench",
                region_code="ES24",
                level=("basic", "intermediate", "expert")[i % 3],
                provider="Provider",
                provider_helix="academia",
                delivery_mode="online",
                start=date(2021, 1, 1),
                end=date(2026, 12, 31),
                capacity=1_000_000,
                budget_eur=1e9,
                funding_source="ESF+",
            )
            for i in range(programmes)
        )
    engine.dispose()


def write_sheet(path: Path, rows: int) -> None:
    """A progress sheet as managers keep it: half the periods date cells, half text;
    some optional cells blank; a note on one row in twenty."""
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = workbook.add_worksheet("Progress")
    month_format = workbook.add_format({"num_format": "yyyy-mm"})
    sheet.write_row(0, 0, HEADERS)
    for index in range(rows):
        programme, month = divmod(index, MONTHS)
        year, month_index = 2021 + month // 12, month % 12 + 1
        row = index + 1
        enrolled = 10 + (index * 7919) % 90
        completed = enrolled - (index % 7)
        sheet.write_string(row, 0, programme_id(programme))
        if programme % 2:
            sheet.write_datetime(row, 1, datetime(year, month_index, 1), month_format)
        else:
            sheet.write_string(row, 1, f"{year}-{month_index:02d}")
        sheet.write_number(row, 2, enrolled)
        sheet.write_number(row, 3, completed)
        if index % 10:
            sheet.write_number(row, 4, completed - 1)
        sheet.write_number(row, 5, index % 3)
        if index % 4:
            sheet.write_number(row, 6, enrolled // 2)
        sheet.write_number(row, 7, round(enrolled * 123.45, 2))
        if index % 20 == 0:
            sheet.write_string(row, 8, "cohort started late")
    workbook.close()


def write_error_sheet(path: Path, rows: int) -> None:
    """A progress sheet whose every row has four errors: a word for Enrolled, a negative
    Completed, a fraction of a woman and a Spend that is not a number; past the first
    100,000 rows each programme and month comes again (a fifth error)."""
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = workbook.add_worksheet("Progress")
    sheet.write_row(0, 0, HEADERS)
    for index in range(rows):
        programme, month = divmod(index, MONTHS)
        sheet.write_row(
            index + 1,
            0,
            [
                programme_id(programme % 2_000),
                f"{2021 + month // 12}-{month % 12 + 1:02d}",
                "twelve",
                -1,
                None,
                None,
                1.5,
                "n/a",
            ],
        )
    workbook.close()


def bare_parse(data: bytes) -> object:
    """What any reader pays: python-calamine turning the sheet into Python lists."""
    return (
        CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Progress").to_python()
    )


def seconds(action: Callable[[], object]) -> float:
    """Wall-clock seconds one call of ``action`` takes."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def fresh_copy(database: Path, folder: Path) -> Path:
    copy = Path(tempfile.mkstemp(suffix=".sqlite", dir=folder)[1])
    shutil.copyfile(database, copy)
    return copy


def timed_commit(data: bytes, database: Path, folder: Path) -> float:
    """Seconds to commit ``data`` into a fresh copy of ``database`` (no progress stored yet)."""
    engine = make_engine(f"sqlite:///{fresh_copy(database, folder)}")
    try:
        started = time.perf_counter()
        result = commit_upload(engine, data, "progress.xlsx", user="bench", today=TODAY)
        seconds = time.perf_counter() - started
    finally:
        engine.dispose()
    if result.outcome is not UploadOutcome.COMMITTED:
        raise SystemExit(f"the benchmark sheet was not committed: {result.message}")
    return seconds


def measure_memory(sheet: Path, database: Path) -> dict[str, float]:
    """Dry run then commit in this process; report the peak resident memory."""
    data = sheet.read_bytes()
    engine = make_engine(f"sqlite:///{database}")
    dry_run(engine, data, sheet.name, today=TODAY)
    commit_upload(engine, data, sheet.name, today=TODAY)
    engine.dispose()
    # ru_maxrss is in kilobytes on Linux.
    return {"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure_error_report(sheet: Path, database: Path) -> dict[str, float]:
    """Dry run of a sheet full of errors, its report as JSON and as text, in this process."""
    engine = make_engine(f"sqlite:///{database}")
    report = dry_run(engine, sheet.read_bytes(), sheet.name, today=TODAY)
    engine.dispose()
    document = json.dumps(report.to_json_dict(), indent=2, ensure_ascii=False, default=str)
    report.to_text()
    return {
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "json_mb": len(document.encode()) / 1e6,
        "errors": report.error_count,
    }


def in_fresh_process(option: str, sheet: Path, database: Path) -> dict[str, float]:
    """What ``--measure-memory`` or ``--measure-errors`` prints, run in a new process."""
    command = [sys.executable, "-m", "bench.bench_ingest", option, str(sheet), str(database)]
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    measured: dict[str, float] = json.loads(result.stdout)
    return measured


def run(rows: int, repeat: int, error_rows: int, folder: Path) -> list[Row]:
    database = folder / "programmes.sqlite"
    build_database(database, programmes=-(-rows // MONTHS))
    sheet = folder / "progress.xlsx"
    write_sheet(sheet, rows)
    data = sheet.read_bytes()
    engine = make_engine(f"sqlite:///{database}")
    report = dry_run(engine, data, sheet.name, today=TODAY)
    if report.error_count or report.new != rows:
        raise SystemExit(
            f"unexpected dry run: {report.new:,} new rows, {report.error_count} errors"
        )
    # Interleaved: each dry run and commit is compared with the bare parse just before it, so
    # a busy moment on the machine hits both sides of a ratio alike.
    bare, full, commit, here, isolated = [], [], [], [], []
    for _ in range(repeat):
        bare.append(seconds(lambda: bare_parse(data)))
        with cyclic_gc_paused():  # as the dry run and the commit read
            here.append(seconds(lambda: parse_sheet(data, None, len(data), rows)))
            isolated.append(seconds(lambda: read_sheet(data)))
        full.append(seconds(lambda: dry_run(engine, data, sheet.name, today=TODAY)))
        commit.append(timed_commit(data, database, folder))
    engine.dispose()
    isolation_ratio = median(i / h for i, h in zip(isolated, here, strict=True))
    peak_mb = in_fresh_process("--measure-memory", sheet, fresh_copy(database, folder))["peak_mb"]
    error_sheet = folder / "errors.xlsx"
    write_error_sheet(error_sheet, error_rows)
    errors = in_fresh_process("--measure-errors", error_sheet, database)
    dry_ratio = median(f / b for f, b in zip(full, bare, strict=True))
    commit_ratio = median(c / b for c, b in zip(commit, bare, strict=True))
    return [
        Row(f"sheet: {rows:,} rows × {len(HEADERS)} columns", sheet.stat().st_size / 1024, "KB"),
        Row("bare python-calamine parse", min(bare), "s", ratio=1.0),
        Row("read the sheet in this process (no child)", min(here), "s"),
        Row(
            "read the sheet in a child process, as every upload is read",
            min(isolated),
            "s",
            ratio=isolation_ratio,
            limit=f"≤ {ISOLATION_RATIO_LIMIT}× in this process",
            passed=isolation_ratio <= ISOLATION_RATIO_LIMIT,
        ),
        Row(
            "dry run (parse + validate + diff)",
            min(full),
            "s",
            ratio=dry_ratio,
            limit=f"≤ {DRY_RUN_RATIO_LIMIT}× parse",
            passed=dry_ratio <= DRY_RUN_RATIO_LIMIT,
        ),
        Row(
            "commit (dry run + store all rows)",
            min(commit),
            "s",
            ratio=commit_ratio,
            limit=f"≤ {COMMIT_RATIO_LIMIT:.0f}× parse",
            passed=commit_ratio <= COMMIT_RATIO_LIMIT,
        ),
        Row(
            "commit ÷ dry run",
            median(c / f for c, f in zip(commit, full, strict=True)),
            "×",
        ),
        Row(
            "peak RSS, fresh process: dry run + commit",
            peak_mb,
            "MB",
            limit=f"< {MEMORY_LIMIT_MB:.0f} MB",
            passed=peak_mb < MEMORY_LIMIT_MB,
        ),
        Row(
            f"sheet full of errors: {error_rows:,} rows, {errors['errors']:,.0f} errors",
            error_sheet.stat().st_size / 1024,
            "KB",
        ),
        Row(
            "peak RSS, fresh process: its dry run + JSON + text report",
            errors["peak_mb"],
            "MB",
            limit=f"< {ERROR_MEMORY_LIMIT_MB:.0f} MB",
            passed=errors["peak_mb"] < ERROR_MEMORY_LIMIT_MB,
        ),
        Row(
            "its report as JSON (import --dry-run --json)",
            errors["json_mb"] * 1000,
            "KB",
            limit=f"< {ERROR_JSON_LIMIT_MB * 1000:,.0f} KB",
            passed=errors["json_mb"] < ERROR_JSON_LIMIT_MB,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=ROWS, help="data rows in the sheet")
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing (best counts)")
    parser.add_argument(
        "--error-rows", type=int, default=ERROR_ROWS, help="data rows in the sheet of errors"
    )
    parser.add_argument("--measure-memory", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure-errors", nargs=2, type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        # Committed files are kept under the data folder: keep them in the temporary one.
        os.environ["SKILLS_ROADMAP_DATA_DIR"] = work
        if arguments.measure_memory:
            print(json.dumps(measure_memory(*arguments.measure_memory)))
            return 0
        if arguments.measure_errors:
            print(json.dumps(measure_error_report(*arguments.measure_errors)))
            return 0
        started = datetime.now(UTC)
        rows = run(arguments.rows, arguments.repeat, arguments.error_rows, Path(work))
    title = f"Ingestion: {arguments.rows:,}-row progress sheet ({started:%Y-%m-%d %H:%M} UTC)"
    code = print_table(title, "ratio", rows)
    print(
        f"\nTimes: the fastest of {arguments.repeat} runs. Ratios: the median over those runs "
        "of each run's time ÷ the bare parse measured just before it."
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
