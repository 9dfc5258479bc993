"""Every parse runs in a child process: a crash, a limit or a reader's panic there is one clear
refusal here, a few parses run at once and the others wait, saying so."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hostile_files import xlsx_far_cell

from skills_roadmap.exceptions import UnreadableFileError
from skills_roadmap.i18n import PSEUDO_LANGUAGE, use_language
from skills_roadmap.ingest import isolation, read_sheet
from skills_roadmap.ingest.isolation import (
    ParseLimits,
    ParseState,
    parse_listener,
    parse_slots,
    run_isolated,
)
from skills_roadmap.settings import get_settings

FIXTURES = Path(__file__).parent / "fixtures"
LIMITS = ParseLimits(memory_mb=256, timeout_seconds=20, concurrency=2)


class PanicException(BaseException):
    """What pyo3 raises when the Rust code of a reader panics: not an ``Exception``."""


def panics() -> None:
    raise PanicException("index out of bounds: the len is 3 but the index is 7")


def allocates(megabytes: int) -> int:
    return len(bytearray(megabytes << 20))


def aborts() -> None:
    signal.raise_signal(signal.SIGABRT)


def crashes() -> None:
    signal.raise_signal(signal.SIGSEGV)


def refuses() -> None:
    raise UnreadableFileError("the file is empty: upload the progress workbook itself")


def fails() -> None:
    raise KeyError("programme")


# A process that asks a child to store something in 1.5 s, and is ended by an alarm at 0.3 s.
ENDED_WHILE_ITS_CHILD_WORKS = """
import signal, sys, time
from pathlib import Path
from skills_roadmap.ingest.isolation import ParseLimits, run_isolated

def store(marker):
    time.sleep(1.5)
    Path(marker).write_text("stored")

signal.setitimer(signal.ITIMER_REAL, 0.3)
run_isolated(store, sys.argv[1], limits=ParseLimits(256, timeout_seconds=20, concurrency=1))
"""


def test_a_reader_panic_is_one_line_refusal() -> None:
    with pytest.raises(UnreadableFileError) as refused:
        run_isolated(panics, limits=LIMITS)
    assert str(refused.value) == (
        "the file could not be read (PanicException: index out of bounds: the len is 3 but the "
        "index is 7): open it in Excel or LibreOffice, save it again and upload the new file"
    )


def test_memory_over_the_limit_is_refused_and_this_process_lives_on() -> None:
    with pytest.raises(UnreadableFileError) as refused:
        run_isolated(allocates, 1024, limits=LIMITS)
    assert str(refused.value) == (
        "the file needs more memory than 256 MB to read: delete the sheets, rows and columns you "
        "do not need, or split it into smaller files"
    )
    assert run_isolated(allocates, 16, limits=LIMITS) == 16 << 20  # the limit is extra memory


@pytest.mark.parametrize(
    ("function", "message"),
    [
        # A native reader that cannot allocate aborts the process (Rust's allocation failure).
        (
            aborts,
            "the file needs more memory than 256 MB to read: delete the sheets, rows and columns "
            "you do not need, or split it into smaller files",
        ),
        (
            crashes,
            "the file could not be read (the reader stopped: signal SIGSEGV): open it in Excel or "
            "LibreOffice, save it again and upload the new file",
        ),
    ],
    ids=["abort", "segfault"],
)
def test_a_child_that_dies_is_one_line_refusal(function: object, message: str) -> None:
    with pytest.raises(UnreadableFileError) as refused:
        run_isolated(function, limits=LIMITS)  # type: ignore[arg-type]
    assert str(refused.value) == message


def test_a_child_that_dies_is_refused_in_the_readers_language() -> None:
    """Every word is translated (marked in the pseudo-language); the signal's name is not."""
    with use_language(PSEUDO_LANGUAGE), pytest.raises(UnreadableFileError) as refused:
        run_isolated(crashes, limits=LIMITS)
    assert str(refused.value) == (
        "⟦thé fîlé cöüld nöt bé réåd (thé réådér stöppéd: sîgnål SIGSEGV): ⟦öpén ît în Éxcél ör "
        "LîbréÖffîcé, såvé ît ågåîn ånd üplöåd thé néw fîlé⟧⟧"
    )


def test_a_parse_over_the_time_limit_is_stopped() -> None:
    limits = ParseLimits(memory_mb=256, timeout_seconds=0.5, concurrency=2)
    with pytest.raises(UnreadableFileError) as refused:
        run_isolated(time.sleep, 30, limits=limits)
    assert str(refused.value) == (
        "reading the file took longer than 0.5 s, so it was stopped: delete the sheets, rows and "
        "columns you do not need, or split it into smaller files"
    )


def test_a_refusal_in_the_child_arrives_as_it_was_raised() -> None:
    with pytest.raises(UnreadableFileError) as refused:
        run_isolated(refuses, limits=LIMITS)
    assert str(refused.value) == "the file is empty: upload the progress workbook itself"


def test_a_failure_that_is_not_a_refusal_arrives_as_it_was_raised() -> None:
    """A bug or a database failure in the child is not the file's fault: no "could not be
    read" message hides it."""
    with pytest.raises(KeyError, match="programme"):
        run_isolated(fails, limits=LIMITS)


def test_a_child_ends_with_the_process_that_asked_for_it(tmp_path: Path) -> None:
    """A server killed mid-upload leaves no child behind to finish storing it."""
    marker = tmp_path / "stored"
    ended = subprocess.run(
        [sys.executable, "-c", ENDED_WHILE_ITS_CHILD_WORKS, str(marker)], check=False, timeout=60
    )
    assert ended.returncode == -signal.SIGALRM
    time.sleep(2.5)
    assert not marker.exists()


@pytest.mark.slow  # the fork server imports the readers once: a few seconds
def test_the_fork_server_reads_a_sheet_like_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server (many threads) forks its children from the preloaded fork server."""
    monkeypatch.setattr(isolation, "_context", isolation._fork_server)
    data = (FIXTURES / "progress_valid.xlsx").read_bytes()
    sheet = read_sheet(data)
    assert (sheet.sheet, len(sheet), list(sheet.rows)) == ("Monthly report", 4, [4, 5, 6, 7])
    with pytest.raises(UnreadableFileError, match="it has values down to row 1,048,576"):
        read_sheet(xlsx_far_cell())


def test_a_parse_waits_for_a_free_slot_and_says_so() -> None:
    """With every slot taken, a parse tells its listener it is queued, then reads when a slot
    frees up."""
    slots = parse_slots(get_settings().parse_concurrency)
    taken = [slots.acquire(blocking=False) for _ in range(get_settings().parse_concurrency)]
    assert all(taken)
    states: list[ParseState] = []
    results: list[int] = []
    queued = threading.Event()

    def listen(state: ParseState) -> None:
        states.append(state)
        if state is ParseState.QUEUED:
            queued.set()

    def parse() -> None:
        with parse_listener(listen):
            results.append(len(read_sheet((FIXTURES / "progress_valid.csv").read_bytes())))

    worker = threading.Thread(target=parse)
    worker.start()
    try:
        assert queued.wait(30)
        assert (states, results) == ([ParseState.QUEUED], [])
    finally:
        for _ in taken:
            slots.release()
    worker.join(60)
    assert (states, results) == ([ParseState.QUEUED, ParseState.READING], [4])
