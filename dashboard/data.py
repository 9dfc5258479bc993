"""Where pages get their numbers: the analysis layer over an in-memory snapshot of the data.

Each app (``create_app(settings, engine)``) has one data source, in its context
(:mod:`dashboard.context`): pages call the functions at the end of this module, which read the
source of the app serving the request, and import no storage themselves.

:class:`LiveData` keeps a snapshot of the frames of one database. Reading every table takes
seconds at EU scale, so a server process answers every request from it. Readers never wait for
writers: when a request finds that the stored data changed (the data version, asked once per
request), the snapshot is brought up to date in a background thread, one refresh at a time,
while requests go on being answered from the current one. The refresh merges in the progress
rows that uploads wrote (read from the database, so another server process's uploads count
too) or, after an administrator's sheet or the demo load, reads everything again, and swaps the
new snapshot in. Only the first request of a process waits, for the first load.
:class:`FixedData` serves frames given once (an app built around frames, as tests do).

Results (``cached``) are computed on a snapshot when a request first asks for them, not ahead
in the background: computing them is CPU that one Python process shares between all its
threads, so recomputing them in the background after every refresh slowed every page served
meanwhile, while a result computed on demand costs only the first request that asks. Under a
stream of uploads, refreshes are paced (``Settings.data_refresh_seconds``) so that few
requests are that first one. A result that reads only the network itself (regions, clusters,
programmes, targets, facilities: what a progress upload never writes) and the month shown is
kept across such refreshes (``network_cached``): a refresh that merges uploaded progress in keeps
those tables as they are, so the first request after it recomputes only what reads progress.
"""

from __future__ import annotations

import logging
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable
from concurrent.futures import Future
from typing import Any, TypeVar

import flask
import pandas as pd
from sqlalchemy import Engine

from dashboard import strings
from dashboard.context import app_context
from skills_roadmap import audit
from skills_roadmap.analysis import AnalysisSettings, Filters, Frames, apply_filters
from skills_roadmap.analysis.headline import Headline, headline
from skills_roadmap.analysis.loader import Snapshot, load_snapshot, refresh_snapshot
from skills_roadmap.analysis.periods import period_to_month
from skills_roadmap.audit import AuditEntry, AuditQuery
from skills_roadmap.i18n import current_language
from skills_roadmap.late import cluster_managers, late_list
from skills_roadmap.reports.records import load_records
from skills_roadmap.settings import Settings
from skills_roadmap.storage.history import (
    PROGRAMME_HISTORY_COLUMNS,
    TARGET_HISTORY_COLUMNS,
    programme_history,
    target_history,
)
from skills_roadmap.storage.periods import (
    ClosedPeriod,
    close_period,
    closed_periods,
    reopen_period,
)
from skills_roadmap.storage.revert import RevertResult, revert_upload
from skills_roadmap.storage.snapshot import data_version
from skills_roadmap.storage.submissions import (
    Submission,
    approve_period,
    return_period,
    submissions,
    submit_period,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
Key = tuple[Hashable, ...]  # a result: its name (with the month, for a network result), its
# selection, and for all but the filtered frames the language it is read in
Stores = OrderedDict[tuple[int, ...], tuple[object, "_Results"]]  # by the ids of what they keep
FRAMES = "frames"  # the cache name of the filtered frames themselves
FRAMES_KEPT = 8  # a filtered EU-scale frame is tens of MB
RESULTS_KEPT = 256  # analysis results and charts of recent selections: small tables
SNAPSHOTS_WITH_RESULTS = 2  # the current snapshot, and the one requests may still be reading
NETWORK_TABLES = (
    "regions",
    "clusters",
    "cluster_regions",
    "programmes",
    "targets",
    "milestones",
    "facilities",
)
"""The tables of the network itself. A progress upload writes none of them, and a snapshot
brought up to date with one keeps these very objects
(:func:`~skills_roadmap.analysis.loader.merge_progress`); anything else read again makes new
ones."""
RETRY_AFTER_S = 5.0  # after a failed refresh, the next is tried no sooner than this
UPLOAD_SHOWN_WAIT_S = 15.0  # how long an upload's answer waits for the dashboard to show it


class _Results:
    """Results of ``cached`` computed on one snapshot's frames, least recently used first."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: OrderedDict[Key, Future[Any]] = OrderedDict()

    def get(
        self,
        frames: Frames,
        name: Hashable,
        filters: Filters,
        compute: Callable[[Frames, Filters], T],
    ) -> T:
        """``compute(frames, filters)``, once: the first caller computes, the others wait.

        A result is kept per language too (the filtered frames excepted): a chart's title and
        table are words, and a page in Spanish must not be served the English ones.
        """
        key = (name, filters) if name == FRAMES else (name, filters, current_language())
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


class DataSource(ABC):
    """Where one app's pages get their frames, and the results computed on them.

    Results are kept per snapshot, least recently used first: keyed by the frames' id, the
    frames kept alive beside them so that the id stays theirs. A request that began on the
    previous snapshot goes on using (and filling) that snapshot's results, never the new one's.
    Results of the network alone are kept alike per network: keyed by the ids of its tables
    (:data:`NETWORK_TABLES`), kept alive beside them.
    """

    def __init__(self) -> None:
        self._results_lock = threading.Lock()
        self._results: Stores = OrderedDict()
        self._network_results: Stores = OrderedDict()

    @abstractmethod
    def frames(self) -> Frames:
        """The frames this request reads (the same for every call of one request)."""

    @abstractmethod
    def refresh_soon(self) -> None:
        """Bring the frames up to date in the background (after this process stored data)."""

    @abstractmethod
    def show_upload(self, upload_id: int) -> bool:
        """Take upload ``upload_id`` in, waiting a little (see :meth:`LiveData.show_upload`)."""

    def cached(self, name: str, filters: Filters, compute: Callable[[Frames, Filters], T]) -> T:
        """``compute(frames, filters)`` on the current frames, once per snapshot and selection.

        A page's charts all ask about the same selection at the same moment, in parallel
        callbacks; the first caller computes and the others wait for its result instead of
        repeating seconds of work on EU-scale data.
        """
        frames = self.frames()
        return self._store(self._results, (frames,)).get(frames, name, filters, compute)

    def network_cached(
        self, name: str, filters: Filters, compute: Callable[[Frames, Filters], T]
    ) -> T:
        """:meth:`cached` for a result that reads nothing but the network's tables
        (:data:`NETWORK_TABLES`) and the month the selection shows: once per network, month
        and selection, however many snapshots merge uploaded progress in meanwhile.

        Such a result (the clusters' helix partners, the ambition gap, the facilities as of
        a month) is the same on the snapshot after an upload, so the first request after each
        refresh does not pay for it again.
        """
        frames = self.frames()
        tables = tuple(getattr(frames, table) for table in NETWORK_TABLES)
        month = frames.default_as_of if filters.as_of is None else period_to_month(filters.as_of)
        results = self._store(self._network_results, tables)
        return results.get(frames, (name, month), filters, compute)

    def _store(self, stores: Stores, keys: tuple[object, ...]) -> _Results:
        """The results kept for ``keys`` (by identity, kept alive beside them) in ``stores``,
        the ``SNAPSHOTS_WITH_RESULTS`` most recently used."""
        key = tuple(map(id, keys))
        with self._results_lock:
            entry = stores.get(key)
            if entry is None:
                entry = stores[key] = (keys, _Results())
                while len(stores) > SNAPSHOTS_WITH_RESULTS:
                    stores.popitem(last=False)
            else:
                stores.move_to_end(key)
        return entry[1]

    def clear_results(self) -> None:
        """Forget every cached result (benchmarks and tests start each selection cold)."""
        with self._results_lock:
            kept = [*self._results.values(), *self._network_results.values()]
        for _keys, results in kept:
            results.clear()


class FixedData(DataSource):
    """Frames given once, never refreshed: an app built around frames."""

    def __init__(self, frames: Frames) -> None:
        super().__init__()
        self._frames = frames

    def frames(self) -> Frames:
        return self._frames

    def refresh_soon(self) -> None:
        """Nothing to do: these frames are all there is."""

    def show_upload(self, upload_id: int) -> bool:
        """Never shown: these frames do not change."""
        return False


class LiveData(DataSource):
    """One database's snapshot, the state of its refresh, and the results computed on it."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        super().__init__()
        self.engine = engine
        self.settings = settings
        self.snapshot: Snapshot | None = None
        self.lock = threading.Lock()
        self.first_load = threading.Lock()
        self.refreshing = False
        self.again = False  # the version changed again during the refresh: one more after it
        self.failed_at: float | None = None  # when the last refresh failed
        self.started_at = float("-inf")  # when the last refresh started
        self.pacing = False  # the next refresh waits out the interval since the last one
        self.idle = threading.Event()
        self.idle.set()
        self.refreshed = threading.Condition(self.lock)  # after each refresh, done or failed

    def loaded(self) -> Snapshot:
        """The snapshot, loaded first if this process has none yet (the one wait)."""
        snapshot = self.snapshot
        if snapshot is not None:
            return snapshot
        with self.first_load:
            if self.snapshot is None:
                share = self.settings.complete_month_share
                self.snapshot = load_snapshot(self.engine, share)
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
            pause = self.started_at + self.settings.data_refresh_seconds - time.monotonic()
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

    def current_snapshot(self) -> Snapshot:
        """The snapshot this request reads.

        One per request: every callback of a request sees the same data even if a refresh
        swaps a new snapshot in meanwhile. When the stored data changed, a refresh starts in
        the background and this request is answered from the current snapshot.
        """
        pinned: dict[int, Snapshot] | None = None
        if flask.has_request_context():
            pinned = flask.g.setdefault("data_snapshots", {})
            if id(self) in pinned:
                return pinned[id(self)]
        snapshot = self.snapshot
        if snapshot is None:
            snapshot = self.loaded()
        elif snapshot.version != data_version(self.engine):
            self.refresh_soon()
        if pinned is not None:
            pinned[id(self)] = snapshot
        return snapshot

    def frames(self) -> Frames:
        """The analysis frames of the database (see :meth:`current_snapshot`)."""
        return self.current_snapshot().frames

    def show_upload(self, upload_id: int) -> bool:
        """Bring the snapshot up to date with upload ``upload_id`` of this process and wait
        until it is in (True), a refresh fails or ``UPLOAD_SHOWN_WAIT_S`` are over (False).

        The manager who uploads waits, so that the next page they open shows their upload;
        the readers never wait. Nothing to wait for when this process has not loaded any data
        yet, nor under a stream of uploads, whose refreshes are paced: the upload then shows
        within ``Settings.data_refresh_seconds`` and its answer does not wait for that.
        """
        self.refresh_soon()
        deadline = time.monotonic() + UPLOAD_SHOWN_WAIT_S
        with self.refreshed:
            while True:
                snapshot = self.snapshot
                if snapshot is None:
                    return True
                if (snapshot.version.last_upload_id or 0) >= upload_id:
                    return True
                remaining = deadline - time.monotonic()
                if not self.refreshing or self.pacing or remaining <= 0:
                    return False
                self.refreshed.wait(remaining)

    def wait_until_refreshed(self, timeout: float | None = None) -> bool:
        """Wait until no refresh of the snapshot is running; False on a timeout."""
        return self.idle.wait(timeout)


# What pages call: the data source, settings and database of the app serving the request.


def current_frames() -> Frames:
    """The frames this request reads."""
    return app_context().data.frames()


def no_data_words() -> str:
    """Why there is nothing to show yet, and what to do: no network at all, or a network
    without any progress reported (named by its regions, so that an administrator who has
    just uploaded it sees it is in)."""
    frames = current_frames()
    programmes = len(frames.programmes)
    if not programmes:
        return strings.NO_NETWORK
    return strings.NO_PROGRESS.format(
        programmes=f"{programmes:,}",
        regions=region_names(frames.regions, frames.programmes["region_code"]),
    )


def region_names(regions: pd.DataFrame, codes: pd.Series) -> str:
    """The regions of ``codes`` by name (``regions``' names), in alphabetical order: "A, B and
    C", or the first ``NO_PROGRESS_REGIONS_NAMED`` and how many more."""
    names = regions.set_index("region_code")["name"]
    shown = sorted(str(names.get(code) or code) for code in codes.drop_duplicates())
    named = strings.NO_PROGRESS_REGIONS_NAMED
    if len(shown) > named:
        return strings.NO_PROGRESS_MORE_REGIONS.format(
            names=", ".join(shown[:named]), more=len(shown) - named
        )
    if len(shown) > 1:
        return strings.NO_PROGRESS_LAST_REGION.format(names=", ".join(shown[:-1]), last=shown[-1])
    return "".join(shown)


def refresh_soon() -> None:
    """Bring the app's frames up to date in the background (after this process stored data)."""
    app_context().data.refresh_soon()


def show_upload(upload_id: int) -> bool:
    """Take this process's upload ``upload_id`` in (see :meth:`LiveData.show_upload`)."""
    return app_context().data.show_upload(upload_id)


def analysis_settings() -> AnalysisSettings:
    """The installation's thresholds (on track, at risk, run-rate window, inclusion goal)."""
    return AnalysisSettings.from_settings(app_context().settings)


def cached(name: str, filters: Filters, compute: Callable[[Frames, Filters], T]) -> T:
    """``compute(frames, filters)`` once per snapshot and selection (see
    :meth:`DataSource.cached`)."""
    return app_context().data.cached(name, filters, compute)


def network_cached(name: str, filters: Filters, compute: Callable[[Frames, Filters], T]) -> T:
    """``compute(frames, filters)`` of the network alone, once per network, month shown and
    selection (see :meth:`DataSource.network_cached`)."""
    return app_context().data.network_cached(name, filters, compute)


def selected_frames(filters: Filters) -> Frames:
    """The current frames narrowed to ``filters`` (shared by every chart of a selection)."""
    return cached(FRAMES, filters, apply_filters)


def selection_headline(filters: Filters) -> Headline:
    """The headline of ``filters`` (cards, ``/api/v1/summary``), once per selection."""
    return cached(
        "headline", filters, lambda frames, chosen: headline(frames, chosen, analysis_settings())
    )


# What pages read from the database besides the snapshot: here, so that no page imports
# storage.


def stored_uploads() -> pd.DataFrame:
    """Every upload record (:func:`~skills_roadmap.reports.records.load_records`)."""
    return load_records(app_context().engine).uploads


def audit_log(query: AuditQuery) -> tuple[list[AuditEntry], list[str]]:
    """The audit entries ``query`` asks for, and every name that appears as an actor."""
    engine = app_context().engine
    return list(audit.query(engine, query)), list(audit.actors(engine))


def late_programmes(
    frames: Frames, period: str, clusters: Collection[str] | None = None
) -> pd.DataFrame:
    """Who among ``frames``' programmes (of ``clusters``; None: all) has not reported
    ``period``, with their managers (:func:`skills_roadmap.late.late_list`); the accounts are
    read anew, as they change without a new snapshot."""
    return late_list(frames, period, cluster_managers(app_context().engine), clusters)


def _frames_database() -> Engine | None:
    """The database the frames are read from; ``None`` for an app built around frames given
    once, which have no history behind them."""
    source = app_context().data
    return source.engine if isinstance(source, LiveData) else None


def programme_values(programme_id: str) -> pd.DataFrame:
    """Every value stored for a programme, newest first
    (:func:`~skills_roadmap.storage.history.programme_history`); none for fixed frames."""
    engine = _frames_database()
    if engine is None:
        return pd.DataFrame(columns=PROGRAMME_HISTORY_COLUMNS)
    return programme_history(engine, programme_id)


def target_revisions(target_ids: Collection[str]) -> pd.DataFrame:
    """The revisions of the given targets, newest first
    (:func:`~skills_roadmap.storage.history.target_history`); none for fixed frames."""
    engine = _frames_database()
    if engine is None:
        return pd.DataFrame(columns=TARGET_HISTORY_COLUMNS)
    return target_history(engine, target_ids)


def revert(upload_id: int, user: str, reason: str) -> RevertResult:
    """Revert upload ``upload_id`` (:func:`~skills_roadmap.storage.revert.revert_upload`) and
    wait a little for the dashboard's data to show it, as after an upload."""
    result = revert_upload(app_context().engine, upload_id, user=user, reason=reason)
    show_upload(result.upload_id)
    return result


# Reporting months: closed months and the clusters' submissions, for the Months page and the
# Upload page's Months section, on the database of the app serving the request.


def closed_months() -> list[ClosedPeriod]:
    """Every closed month, earliest first."""
    return closed_periods(app_context().engine)


def close_month(period: str, user: str, approvals_of: Collection[str] = ()) -> bool:
    """Close ``period`` (:func:`~skills_roadmap.storage.periods.close_period`)."""
    return close_period(app_context().engine, period, user, approvals_of=approvals_of)


def reopen_month(period: str, user: str, reason: str) -> bool:
    """Reopen ``period`` (:func:`~skills_roadmap.storage.periods.reopen_period`)."""
    return reopen_period(app_context().engine, period, user, reason)


def month_submissions(period: str | None = None) -> list[Submission]:
    """The clusters' submissions (of ``period``; None: of every month)."""
    return submissions(app_context().engine, period)


def submit_month(period: str, cluster_id: str, user: str) -> Submission:
    """A manager marks ``period`` complete for ``cluster_id``."""
    return submit_period(app_context().engine, period, cluster_id, user)


def approve_month(period: str, cluster_id: str, user: str) -> Submission:
    """An official or administrator approves a cluster's submitted month."""
    return approve_period(app_context().engine, period, cluster_id, user)


def return_month(period: str, cluster_id: str, user: str, comment: str) -> Submission:
    """An official or administrator returns a cluster's submitted month with ``comment``."""
    return return_period(app_context().engine, period, cluster_id, user, comment)
