"""Benchmark of hostile uploads (``make bench``): the peak memory of a running server, its parse
children included, while 8 tiny files declaring enormous sheets arrive at once.

A server is started on a fresh database; its resident memory and that of every process below
it (the fork server and the parse children) is sampled every few milliseconds, idle and then
while the 8 uploads are answered. Prints a markdown table and exits with status 1 when a limit
is missed.

    python -m bench.bench_hostile
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from bench.bench_dashboard import start_server
from bench.table import Row, print_table
from tests.hostile_files import (
    ods_gap_before_content,
    ods_repeated_block,
    xls_with_dimensions,
    xlsb_far_cell,
    xlsx_far_cell,
    xlsx_shared_string_count,
    xlsx_wide_and_long,
    zip_bomb,
)

PEAK_LIMIT_MB = 1024.0
SAMPLE_SECONDS = 0.005
UPLOADS = {
    "far-cell.xlsx": xlsx_far_cell,
    "wide-and-long.xlsx": xlsx_wide_and_long,
    "shared-strings.xlsx": xlsx_shared_string_count,
    "repeated-block.ods": ods_repeated_block,
    "gap-before-content.ods": ods_gap_before_content,
    "huge-dimensions.xls": lambda: xls_with_dimensions(0xFFFFFFFF, 0xFFFF),
    "far-cell.xlsb": xlsb_far_cell,
    "bomb.xlsx": zip_bomb,
}


def tree(root: int) -> list[int]:
    """``root`` and every process below it (from /proc: Linux)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found.extend(frontier)
    return found


def memory_mb(pids: list[int], field: str) -> float:
    """The sum of one memory field (``Rss`` or ``Pss``, from smaps_rollup) over ``pids``."""
    total_kb = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith(f"{field}:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue  # the process has ended
    return total_kb / 1024


class Sampler:
    """The peak memory of a process tree, sampled in a thread until stopped."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak_rss = self.peak_pss = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = tree(self.root)
            self.peak_rss = max(self.peak_rss, memory_mb(pids, "Rss"))
            self.peak_pss = max(self.peak_pss, memory_mb(pids, "Pss"))
            time.sleep(SAMPLE_SECONDS)


def upload(url: str, name: str, data: bytes) -> int:
    """POST one file to the upload API (local mode: no log-in); the HTTP status."""
    boundary = "hostile-bench-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url + "/api/uploads",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": url},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def run(folder: Path) -> list[Row]:
    database = folder / "hostile.sqlite"
    env = os.environ | {"SKILLS_ROADMAP_DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run([sys.executable, "-m", "skills_roadmap.cli", "init"], env=env, check=True)
    files = {name: make() for name, make in UPLOADS.items()}
    process, url = start_server(database, folder / "data")
    try:
        # The fork server has started and imported the readers: the server is as it runs.
        assert upload(url, "warm-up.csv", b"x") == 422
        time.sleep(1)
        idle_pids = tree(process.pid)
        idle_rss, idle_pss = memory_mb(idle_pids, "Rss"), memory_mb(idle_pids, "Pss")
        with Sampler(process.pid) as sampler, ThreadPoolExecutor(len(files)) as pool:
            started = time.perf_counter()
            statuses = list(pool.map(lambda item: upload(url, *item), files.items()))
            seconds = time.perf_counter() - started
        alive = process.poll() is None and upload(url, "after.csv", b"x") == 422
    finally:
        process.terminate()
        process.wait(timeout=30)
    refused = sum(status == 422 for status in statuses)
    return [
        Row(
            f"hostile uploads at once (largest {max(map(len, files.values())):,} bytes)",
            len(files),
            "files",
        ),
        Row(
            "refused with 422 (one-line reason)",
            refused,
            "files",
            limit=f"= {len(files)}",
            passed=refused == len(files),
        ),
        Row(
            "server up and answering afterwards",
            float(alive),
            "(1 = yes)",
            limit="= 1",
            passed=alive,
        ),
        Row("all 8 answered", seconds, "s"),
        Row("idle server, resident (server + fork server)", idle_rss, "MB"),
        Row(
            "peak while the 8 are read, resident (server + all parse processes)",
            sampler.peak_rss,
            "MB",
            ratio=sampler.peak_rss / idle_rss,
            limit=f"< {PEAK_LIMIT_MB:,.0f} MB",
            passed=sampler.peak_rss < PEAK_LIMIT_MB,
        ),
        Row("idle, proportional (shared pages counted once)", idle_pss, "MB"),
        Row("peak, proportional", sampler.peak_pss, "MB", ratio=sampler.peak_pss / idle_pss),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.parse_args(argv)
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as work:
        rows = run(Path(work))
    code = print_table(
        f"Hostile uploads: peak server memory ({started:%Y-%m-%d %H:%M} UTC)", "÷ idle", rows
    )
    print(
        f"\nMemory sampled every {SAMPLE_SECONDS * 1000:.0f} ms over the server process and "
        "every process below it; ratios against the same tree idle, measured in the same run."
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
