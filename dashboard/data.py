"""Where pages get their numbers: the analysis layer over an in-memory snapshot of the data.

Reading every table takes seconds at EU scale, so a server process keeps one snapshot of the
frames per database and answers every request from it. Readers never wait for writers: when a
request finds that the stored data changed (the data version, asked once per request), the
snapshot is brought up to date in a background thread, one refresh at a time, while requests
go on being answered from the current one. The refresh merges in the progress rows that
uploads wrote (read from the database, so another server process's uploads count too) or,
after an administrator's sheet or the demo load, reads everything again, and swaps the new
snapshot in. Only the first request of a process waits, for the first load.

Results (``cached``) are computed on a snapshot when a request first asks for them, not ahead
in the background: computing them is CPU that one Python process shares between all its
threads, so recomputing them in the background after every refresh slowed every page served
meanwhile, while a result computed on demand costs only the first request that asks. Under a
stream of uploads, refreshes are paced (``Settings.data_refresh_seconds``) so that few
requests are that first one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

import flask
import pandas as pd
from sqlalchemy import Engine

from skills_roadmap import audit
from skills_roadmap.analysis import AnalysisSettings, Filters, Frames, apply_filters
from skills_roadmap.analysis.headline import Headline, headline
from skills_roadmap.analysis.loader import Snapshot, load_snapshot, refresh_snapshot
from skills_roadmap.audit import AuditEntry, AuditQuery
from skills_roadmap.reports.records import load_records
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import get_engine
from skills_roadmap.storage.snapshot import data_version

log = logging.getLogger(__name__)

T = TypeVar("T")
Key = tuple[str, Filters]
FRAMES = "frames"  # the cache name of the filtered frames themselves
FRAMES_KEPT = 8  # a filtered EU-scale frame is tens of MB
RESULTS_KEPT = 256  # analysis results and charts of recent selections: small tables
SNAPSHOTS_WITH_RESULTS = 2  # the current snapshot, and the one requests may still be reading
RETRY_AFTER_S = 5.0  # after a failed refresh, the next is tried no sooner than this
UPLOAD_SHOWN_WAIT_S = 15.0  # how long an upload's answer waits for the dashboard to show it


class _Results:
    """Results of ``cached`` computed on one snapshot's frames, least recently used first."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: OrderedDict[Key, Future[Any]] = OrderedDict()

    def get(
        self, frames: Frames, name: str, filters: Filters, compute: Callable[[Frames, Filters], T]
    ) -> T:
        """``compute(frames, filters)``, once: the first caller computes, the others wait."""
        key = (name, filters)
        with self.lock:
            future = self.entries.get(key)
            owner = future is None
            if future is None:
                future = self.entries[key] = Future()
                self._evict(FRAMES_KEPT if name == FRAMES else RESULTS_KEPT, name == FRAMES)
            else:
                self.entries.move_to_end(key)
        if owner:
            try:
                future.set_result(compute(frames, filters))
            except BaseException as error:
                future.set_exception(error)
                with self.lock:
                    if self.entries.get(key) is future:
                        del self.entries[key]
        return future.result()

    def _evict(self, kept: int, frames: bool) -> None:
        """Drop the least recently used entries of one kind (frames or results) beyond
        ``kept``; the caller holds the lock."""
        keys = [key for key in self.entries if (key[0] == FRAMES) == frames]
        for key in keys[: max(len(keys) - kept, 0)]:
            del self.entries[key]

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


# Results per snapshot, least recently used first: keyed by the frames' id, the frames kept
# alive beside them so that the id stays theirs. A request that began on the previous snapshot
# goes on using (and filling) that snapshot's results, never the new one's.
_results_lock = threading.Lock()
_results: OrderedDict[int, tuple[Frames, _Results]] = OrderedDict()


def _results_of(frames: Frames) -> _Results:
    with _results_lock:
        entry = _results.get(id(frames))
        if entry is None:
            entry = _results[id(frames)] = (frames, _Results())
            while len(_results) > SNAPSHOTS_WITH_RESULTS:
                _results.popitem(last=False)
        else:
            _results.move_to_end(id(frames))
        return entry[1]


@dataclass(eq=False)
class _Database:
    """One database's snapshot and the state of its refresh."""

    engine: Engine
    snapshot: Snapshot | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    first_load: threading.Lock = field(default_factory=threading.Lock)
    refreshing: bool = False
    again: bool = False  # the version changed again during the refresh: one more after it
    failed_at: float | None = None  # when the last refresh failed
    started_at: float = float("-inf")  # when the last refresh started
    pacing: bool = False  # the next refresh waits out the interval since the last one
    idle: threading.Event = field(default_factory=threading.Event)
    refreshed: threading.Condition = field(init=False)  # after each refresh, done or failed

    def __post_init__(self) -> None:
        self.idle.set()
        self.refreshed = threading.Condition(self.lock)

    def loaded(self) -> Snapshot:
        """The snapshot, loaded first if this process has none yet (the one wait)."""
        snapshot = self.snapshot
        if snapshot is not None:
            return snapshot
        with self.first_load:
            if self.snapshot is None:
                self.snapshot = load_snapshot(self.engine)
            return self.snapshot

    def refresh_soon(self) -> None:
        """Start a refresh in the background, or queue one more if one is running."""
        with self.lock:
            if self.snapshot is None:
                return  # nothing to refresh: the first request loads
            if self.refreshing:
                self.again = True
                return
            if self.failed_at is not None and time.monotonic() - self.failed_at < RETRY_AFTER_S:
                return
            self.refreshing = True
            self.idle.clear()
        threading.Thread(target=self._refresh, name="dashboard-data-refresh", daemon=True).start()

    def _refresh(self) -> None:
        while True:
            # A stream of uploads is taken in every few seconds, not after each one: each
            # refresh costs CPU the readers would rather have.
            pause = self.started_at + get_settings().data_refresh_seconds - time.monotonic()
            if pause > 0:
                with self.lock:
                    self.pacing = True
                    self.refreshed.notify_all()  # an uploader stops waiting (``show_upload``)
                time.sleep(pause)
                with self.lock:
                    self.pacing = False
            self.started_at = time.monotonic()
            failed = False
            try:
                self._refresh_once()
            except Exception:
                failed = True
                log.exception("refreshing the dashboard's data failed: the previous data is shown")
            with self.lock:
                self.failed_at = time.monotonic() if failed else None
                self.refreshed.notify_all()
                asked_again = self.again and not failed
                self.again = False
            # Requests that asked for a refresh while this one ran had seen the version before
            # it; only if the data changed again since this refresh read it is another one
            # due (and it waits out the interval).
            if asked_again and self._stale():
                continue
            with self.lock:
                if self.again and not failed:  # asked again while this thread looked
                    self.again = False
                    continue
                self.refreshing = False
                self.idle.set()
                return

    def _stale(self) -> bool:
        """Whether the stored data changed since the current snapshot was read."""
        snapshot = self.snapshot
        try:
            return snapshot is None or data_version(self.engine) != snapshot.version
        except Exception:
            log.exception("could not tell whether the dashboard's data changed")
            return False

    def _refresh_once(self) -> None:
        old = self.snapshot
        assert old is not None
        new = refresh_snapshot(self.engine, old)
        if new is old:
            return
        with self.lock:
            self.snapshot = new


_databases_lock = threading.Lock()
_databases: dict[str, _Database] = {}


def _database(engine: Engine | None) -> _Database:
    engine = engine or get_engine()
    key = engine.url.render_as_string(hide_password=False)
    with _databases_lock:
        database = _databases.get(key)
        if database is None:
            database = _databases[key] = _Database(engine)
        return database


def current_snapshot(engine: Engine | None = None) -> Snapshot:
    """The snapshot of the configured database that this request reads.

    One per request: every callback of a request sees the same data even if a refresh swaps
    a new snapshot in meanwhile. When the stored data changed, a refresh starts in the
    background and this request is answered from the current snapshot.
    """
    database = _database(engine)
    pinned: dict[int, Snapshot] | None = None
    if flask.has_request_context():
        pinned = flask.g.setdefault("data_snapshots", {})
        if id(database) in pinned:
            return pinned[id(database)]
    snapshot = database.snapshot
    if snapshot is None:
        snapshot = database.loaded()
    elif snapshot.version != data_version(database.engine):
        database.refresh_soon()
    if pinned is not None:
        pinned[id(database)] = snapshot
    return snapshot


def current_frames(engine: Engine | None = None) -> Frames:
    """The analysis frames of the configured database (see :func:`current_snapshot`)."""
    return current_snapshot(engine).frames


def refresh_soon(engine: Engine | None = None) -> None:
    """Bring the snapshot up to date in the background (after this process stored data)."""
    _database(engine).refresh_soon()


def show_upload(upload_id: int, engine: Engine | None = None) -> bool:
    """Bring the snapshot up to date with upload ``upload_id`` of this process and wait until
    it is in (True), a refresh fails or ``UPLOAD_SHOWN_WAIT_S`` are over (False).

    The manager who uploads waits, so that the next page they open shows their upload; the
    readers never wait. Nothing to wait for when this process has not loaded any data yet, nor
    under a stream of uploads, whose refreshes are paced: the upload then shows within
    ``Settings.data_refresh_seconds`` and its answer does not wait for that.
    """
    database = _database(engine)
    database.refresh_soon()
    deadline = time.monotonic() + UPLOAD_SHOWN_WAIT_S
    with database.refreshed:
        while True:
            snapshot = database.snapshot
            if snapshot is None:
                return True
            if (snapshot.version.last_upload_id or 0) >= upload_id:
                return True
            remaining = deadline - time.monotonic()
            if not database.refreshing or database.pacing or remaining <= 0:
                return False
            database.refreshed.wait(remaining)


def wait_until_refreshed(engine: Engine | None = None, timeout: float | None = None) -> bool:
    """Wait until no refresh of the database's snapshot is running; False on a timeout."""
    return _database(engine).idle.wait(timeout)


def analysis_settings() -> AnalysisSettings:
    """The installation's thresholds (on track, at risk, run-rate window, inclusion goal)."""
    return AnalysisSettings.from_settings(get_settings())


def cached(name: str, filters: Filters, compute: Callable[[Frames, Filters], T]) -> T:
    """``compute(frames, filters)`` on the current frames, once per snapshot and selection.

    A page's charts all ask about the same selection at the same moment, in parallel
    callbacks; the first caller computes and the others wait for its result instead of
    repeating seconds of work on EU-scale data. A new snapshot's results are computed as
    requests ask for them; a request still reading the previous one keeps that one's results.
    """
    frames = current_frames()
    return _results_of(frames).get(frames, name, filters, compute)


def selected_frames(filters: Filters) -> Frames:
    """The current frames narrowed to ``filters`` (shared by every chart of a selection)."""
    return cached(FRAMES, filters, apply_filters)


def selection_headline(filters: Filters) -> Headline:
    """The headline of ``filters`` (cards, ``/api/v1/summary``), once per selection."""
    return cached(
        "headline", filters, lambda frames, chosen: headline(frames, chosen, analysis_settings())
    )


def clear_results() -> None:
    """Forget every cached result (benchmarks and tests start each selection cold)."""
    with _results_lock:
        stores = [results for _frames, results in _results.values()]
    for results in stores:
        results.clear()


# What pages read from the database besides the snapshot: here, so that no page imports
# storage (the engine is the configured one, as everywhere in the dashboard).


def stored_uploads() -> pd.DataFrame:
    """Every upload record (:func:`~skills_roadmap.reports.records.load_records`)."""
    return load_records(get_engine()).uploads


def audit_log(query: AuditQuery) -> tuple[list[AuditEntry], list[str]]:
    """The audit entries ``query`` asks for, and every name that appears as an actor."""
    engine = get_engine()
    return list(audit.query(engine, query)), list(audit.actors(engine))
