"""Read every upload in a child process with a memory and a time limit, a few at a time.

A spreadsheet library is native code: a forged file can make it allocate hundreds of gigabytes
and abort the whole process, or panic, or loop. So the server (and the command line) never
parses a file itself. Each parse runs in a child process forked from a small "fork server"
that has the readers imported already (a child starts in milliseconds), with:

- a memory limit (``Settings.parse_memory_mb`` of address space above what the child has when
  it starts, ``RLIMIT_AS``), so a reader's allocation fails instead of the machine filling up;
- a time limit (``Settings.parse_timeout_seconds``): the child is killed when it is over, and
  a CPU-time limit stops it even if its parent is gone;
- at most ``Settings.parse_concurrency`` parses at once per process; the others wait, and a
  listener (``parse_listener``) hears that they wait, for the page or the command line to say so.

A child that fails in any way (a limit, a crash, a panic of the reader) becomes one clear
``UnreadableFileError``; the parent never goes down. No pool is used: one crashed worker would
break a ``ProcessPoolExecutor`` for every later upload.
"""

from __future__ import annotations

import faulthandler
import functools
import gc
import logging
import math
import multiprocessing
import multiprocessing.forkserver
import os
import pickle
import resource
import select
import signal
import sys
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from skills_roadmap.exceptions import SkillsRoadmapError, UnreadableFileError
from skills_roadmap.i18n.languages import current_language, use
from skills_roadmap.i18n.words import N_, _
from skills_roadmap.ingest.shown import one_line
from skills_roadmap.settings import Settings, get_settings, install_settings

T = TypeVar("T")
log = logging.getLogger(__name__)

# multiprocessing runs the main module again in every child forked from the fork server; when
# the fork server holds it already (see ``_fork_server``), runpy warns about just that.
warnings.filterwarnings(
    "ignore",
    message=r"'[\w.]+' found in sys.modules after import of package",
    category=RuntimeWarning,
    module="runpy",
)

# Imported once into the fork server, so that every child has them already.
PRELOADED = ("skills_roadmap.ingest.commit",)  # the readers, checks and writers
# A child that has sent its answer is given this long to exit before it is killed.
EXIT_GRACE_SECONDS = 5.0
CHILD_NICENESS = 10  # a child yields the CPU to the server's page-serving threads
MB = 1 << 20
RETRY = N_("open it in Excel or LibreOffice, save it again and upload the new file")


class ParseState(StrEnum):
    """Where a parse is: waiting for a free slot, or being read."""

    QUEUED = "queued"
    READING = "reading"


ParseListener = Callable[[ParseState], None]
_listener: ContextVar[ParseListener | None] = ContextVar("parse_listener", default=None)


@contextmanager
def parse_listener(listener: ParseListener) -> Iterator[None]:
    """Tell ``listener`` when a parse started inside the block waits for others, and when it
    starts reading (on this thread or task only)."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


@dataclass(frozen=True)
class ParseLimits:
    """What one parse may use: extra memory (MB), wall-clock seconds, parses at once."""

    memory_mb: int
    timeout_seconds: float
    concurrency: int

    @classmethod
    def from_settings(cls) -> ParseLimits:
        settings = get_settings()
        return cls(
            memory_mb=settings.parse_memory_mb,
            timeout_seconds=settings.parse_timeout_seconds,
            concurrency=settings.parse_concurrency,
        )

    @property
    def too_much_memory(self) -> UnreadableFileError:
        return UnreadableFileError(
            _(
                "the file needs more memory than {memory:,} MB to read: delete the sheets, "
                "rows and columns you do not need, or split it into smaller files",
                memory=self.memory_mb,
            )
        )

    @property
    def too_slow(self) -> UnreadableFileError:
        return UnreadableFileError(
            _(
                "reading the file took longer than {seconds} s, so it was stopped: delete the "
                "sheets, rows and columns you do not need, or split it into smaller files",
                seconds=f"{self.timeout_seconds:g}",
            )
        )


_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


def parse_slots(concurrency: int) -> threading.BoundedSemaphore:
    """This process's parse slots (one set per configured concurrency); a test holds them to
    make a parse wait."""
    with _slots_lock:
        if concurrency not in _slots:
            _slots[concurrency] = threading.BoundedSemaphore(concurrency)
        return _slots[concurrency]


def run_isolated(function: Callable[..., T], *args: Any, limits: ParseLimits | None = None) -> T:
    """``function(*args)`` run in a child process within ``limits`` (default: the settings).

    ``function`` and its arguments and result cross a pipe, so they must be picklable. The
    child runs with this process's settings (``get_settings()``), whatever its environment.

    Raises:
        SkillsRoadmapError: what ``function`` raised (an ``UnreadableFileError``, say).
        UnreadableFileError: the child went over a limit, crashed, or the reader panicked.
    """
    limits = limits or ParseLimits.from_settings()
    slots = parse_slots(limits.concurrency)
    listener = _listener.get()
    if not slots.acquire(blocking=False):
        if listener is not None:
            listener(ParseState.QUEUED)
        slots.acquire()
    try:
        if listener is not None:
            listener(ParseState.READING)
        return _in_child(function, args, limits)
    finally:
        slots.release()


def warm_up() -> None:
    """Start the fork server now, in the background, with the readers imported, so that the
    first upload does not wait for it (a server process calls this when it starts)."""
    if _fork_server().get_start_method() == "forkserver":
        threading.Thread(target=multiprocessing.forkserver.ensure_running, daemon=True).start()


def _context() -> multiprocessing.context.BaseContext:
    """How a child is started: forked from this process while it runs a single thread (the
    command line: nothing to import again, the child starts at once); otherwise from the fork
    server (a server's threads may hold locks that a child forked from it would inherit)."""
    # Not on macOS, where system libraries are not safe to use in a forked child.
    if threading.active_count() == 1 and sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return _fork_server()


@functools.cache
def _fork_server() -> multiprocessing.context.BaseContext:
    """The fork server where the platform has one (Linux, macOS); else fresh interpreters."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # multiprocessing imports the main module again in every child (which is why a script
    # that reads uploads must guard its top level with ``if __name__ == "__main__":``); with
    # the fork server holding it already, that costs nothing. A package's ``__main__`` is
    # never imported again, so it is not preloaded either (that would run it).
    spec = getattr(sys.modules["__main__"], "__spec__", None)
    main = getattr(spec, "name", None) or ""
    modules = [*PRELOADED, "__main__"]
    if main and not main.endswith("__main__"):
        modules.append(main)
    context.set_forkserver_preload(modules)
    return context


def _in_child(function: Callable[..., T], args: tuple[Any, ...], limits: ParseLimits) -> T:
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    # What the child prints (a reader's last words before it aborts) goes to the log, not to
    # the terminal or the server's output between its one-line messages.
    try:
        handle, errors = tempfile.mkstemp(prefix="skills-roadmap-parse-", suffix=".log")
        os.close(handle)
    except OSError:  # no writable temporary folder: the child's output is dropped
        errors = os.devnull
    child = context.Process(  # type: ignore[attr-defined]
        target=_child_main,
        args=(
            sender,
            function,
            args,
            limits,
            errors,
            get_settings(),
            os.getpid(),
            current_language(),
        ),
        name="skills-roadmap-parse",
        daemon=True,
    )
    try:
        child.start()
        sender.close()
        if not receiver.poll(limits.timeout_seconds):
            child.kill()
            log.info("parse stopped after %s s", limits.timeout_seconds)
            raise limits.too_slow
        try:
            outcome = receiver.recv()
        except (EOFError, OSError):
            outcome = None
    finally:
        receiver.close()
        child.join(EXIT_GRACE_SECONDS)
        if child.is_alive():
            child.kill()
            child.join()
        printed = _tail(errors)
    if outcome is None:
        log.info("parse child ended with exit code %s: %s", child.exitcode, printed)
        raise _died(child.exitcode, limits)
    kind, value = outcome
    if kind == "ok":
        return value
    if kind == "error":
        raise value
    if kind == "memory":
        raise limits.too_much_memory
    if kind == "failed":
        raise value
    log.info("parse failed: %s %s", value, printed)
    raise UnreadableFileError(
        _(
            "the file could not be read ({reason}): {retry}",
            reason=one_line(value),
            retry=_(RETRY),
        )
    )


def _tail(path: str, size: int = 2048) -> str:
    """The end of what a child printed, as one line; the file is removed."""
    if path == os.devnull:
        return ""
    try:
        with open(path, "rb") as printed:
            printed.seek(0, os.SEEK_END)
            printed.seek(max(printed.tell() - size, 0))
            text = printed.read().decode("utf-8", "replace")
        os.unlink(path)
    except OSError:
        return ""
    return " ".join(text.split())


def _died(exitcode: int | None, limits: ParseLimits) -> UnreadableFileError:
    """The error for a child that ended without an answer."""
    if exitcode in (-signal.SIGKILL, -signal.SIGABRT):
        # Killed by the kernel's out-of-memory killer, or aborted by a reader whose
        # allocation failed under the memory limit (Rust aborts when it cannot allocate).
        return limits.too_much_memory
    if exitcode == -signal.SIGXCPU:
        return limits.too_slow
    if exitcode is not None and exitcode < 0:
        return UnreadableFileError(
            _(
                "the file could not be read (the reader stopped: signal {signal}): {retry}",
                signal=signal.Signals(-exitcode).name,
                retry=_(RETRY),
            )
        )
    return UnreadableFileError(
        _(
            "the file could not be read (the reader stopped: exit code {code}): {retry}",
            code=str(exitcode),
            retry=_(RETRY),
        )
    )


def _child_main(
    sender: Connection,
    function: Callable[..., Any],
    args: tuple[Any, ...],
    limits: ParseLimits,
    errors: str,
    settings: Settings,
    requester: int,
    language: str,
) -> None:
    """The child: take the requester's settings and language (its messages are read in the
    uploader's), set the limits, run, send back the result or what went wrong; end early if
    the requester ends."""
    install_settings(settings)
    use(language)  # the child process ends with its upload: nothing to reset
    _end_with(requester)
    printed = os.open(errors, os.O_WRONLY | os.O_APPEND)
    os.dup2(printed, 2)
    os.close(printed)
    if faulthandler.is_enabled():  # it may write to another copy of the parent's stderr
        faulthandler.enable(2)
    _limit_resources(limits)
    # Checking an upload is background work: the pages being served come first.
    with suppress(OSError):
        os.nice(CHILD_NICENESS)
    # A reader that aborts would first symbolise a Rust backtrace for seconds (when the server
    # runs with RUST_BACKTRACE set): the message before it says all there is to say.
    os.environ["RUST_BACKTRACE"] = "0"
    # A sheet becomes a million cell objects in no reference cycle; the cyclic collector would
    # walk them all, over and over, and the child's memory goes back with the child anyway.
    gc.disable()
    outcome: tuple[str, Any]
    try:
        outcome = ("ok", function(*args))
    except SkillsRoadmapError as error:
        outcome = ("error", error)
    except MemoryError:
        outcome = ("memory", None)
    except Exception as error:  # a bug or a database failure: raised in the parent as it was
        outcome = ("failed", _transportable(error))
    except BaseException as error:  # a reader's panic (pyo3's PanicException) is a BaseException
        outcome = ("crashed", f"{type(error).__name__}: {error}")
    try:
        sender.send(outcome)
    except MemoryError:
        outcome = ("memory", None)  # the answer itself did not fit
        sender.send(outcome)
    finally:
        sender.close()
    # Gone at once: freeing a sheet's million cell objects one by one would keep the parent
    # waiting, and the operating system takes the memory back whole.
    os._exit(0)


def _end_with(requester: int) -> None:
    """End this child as soon as process ``requester`` ends: a server killed mid-upload leaves
    no child behind to store what its user never saw confirmed. (The child's parent may be
    the fork server, which outlives the server while any child runs.) Where the platform
    cannot watch a process, the child runs to its own end."""
    try:
        watched = os.pidfd_open(requester)
    except ProcessLookupError:  # it ended already
        os._exit(1)
    except (AttributeError, OSError):  # not Linux 5.3 or later
        return

    def watch() -> None:
        select.select([watched], [], [])  # readable once the process has ended
        os._exit(1)

    threading.Thread(target=watch, name="skills-roadmap-requester", daemon=True).start()


def _transportable(error: Exception) -> Exception:
    """``error`` if it survives the pipe to the parent, else a ``RuntimeError`` saying what it
    was (some libraries' exceptions cannot be rebuilt from their pickled arguments)."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def _limit_resources(limits: ParseLimits) -> None:
    """No core dumps; CPU time just above the wall-clock limit; address space: what the child
    has now plus ``limits.memory_mb``. Where a limit is not supported, it is left out."""
    wanted = [
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_CPU, math.ceil(limits.timeout_seconds) + 1),
    ]
    size = _address_space()
    if size:
        wanted.append((resource.RLIMIT_AS, size + limits.memory_mb * MB))
    for limit, value in wanted:
        _, hard = resource.getrlimit(limit)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        try:
            resource.setrlimit(limit, (value, hard))
        except (ValueError, OSError):
            continue


def _address_space() -> int:
    """The process's current virtual size in bytes (Linux); 0 where it cannot be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")
