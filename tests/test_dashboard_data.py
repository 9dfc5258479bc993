"""The dashboard's data: readers are answered from the current snapshot while a refresh runs in
the background, one refresh at a time, and a new snapshot comes with its results."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import flask
import pytest
from ingest_helpers import TODAY, add_network, programme
from sqlalchemy import Engine
from upload_helpers import progress_csv

from dashboard import data
from skills_roadmap.analysis import Filters, Frames
from skills_roadmap.analysis.loader import Snapshot, load_snapshot, refresh_snapshot
from skills_roadmap.domain import UploadOutcome
from skills_roadmap.ingest import commit_upload
from skills_roadmap.settings import Settings
from skills_roadmap.storage import make_engine, session_scope

T = TypeVar("T")
WAIT_S = 30


@pytest.fixture
def database(engine: Engine) -> Engine:
    """The database: the small network."""
    add_network(engine)
    return engine


@pytest.fixture
def source(database: Engine) -> Iterator[data.LiveData]:
    """The dashboard's data of the database, no snapshot of it yet, refreshes not paced."""
    live = data.LiveData(database, Settings(data_refresh_seconds=0))
    yield live
    assert live.wait_until_refreshed(timeout=WAIT_S)


def paced(source: data.LiveData, seconds: float) -> None:
    """Pace ``source``'s refreshes ``seconds`` apart."""
    source.settings = source.settings.model_copy(update={"data_refresh_seconds": seconds})


@dataclass
class Gate:
    """Stands in for ``refresh_snapshot``: counts the refreshes, how many ran at once, and
    holds the first ones, once they have read the database, until released."""

    held: int = 1
    calls: int = 0
    running: int = 0
    most_at_once: int = 0
    started: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, engine: Engine, snapshot: Snapshot) -> Snapshot:
        with self.lock:
            self.calls += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
            hold = self.calls <= self.held
        self.started.set()
        try:
            # Read first, then hold, as a refresh that takes long to merge: what is committed
            # while it is held comes after what it read.
            refreshed = refresh_snapshot(engine, snapshot)
            if hold:
                assert self.release.wait(WAIT_S), "the test never released the refresh"
            return refreshed
        finally:
            with self.lock:
                self.running -= 1


def commit(engine: Engine, programme: str, period: str, enrolled: int) -> int:
    sheet = progress_csv([(programme, period, enrolled, 0, "", "", "", "", "")])
    result = commit_upload(engine, sheet, f"{programme}-{period}.csv", today=TODAY)
    assert result.outcome is UploadOutcome.COMMITTED, result.message
    return result.upload_id


def promptly(function: Callable[[], T]) -> T:
    """``function()`` run on another thread, which must answer at once: a reader that waited
    for the held refresh would still be waiting."""
    answers: list[T] = []
    reader = threading.Thread(target=lambda: answers.append(function()))
    reader.start()
    reader.join(timeout=WAIT_S)
    assert not reader.is_alive(), "the reader waited for the refresh"
    return answers[0]


def enrolments(frames: Frames) -> list[tuple[str, int, int]]:
    progress = frames.progress
    return list(
        zip(
            progress["programme_id"].astype(str),
            progress["month"].tolist(),
            progress["enrolled"].tolist(),
            strict=True,
        )
    )


def test_a_reader_is_answered_from_the_current_snapshot_while_a_refresh_runs(
    database: Engine, source: data.LiveData, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = source.frames()
    gate = Gate()
    monkeypatch.setattr(data, "refresh_snapshot", gate)
    commit(database, "ARA-1", "2025-03", 12)

    during = promptly(source.frames)
    assert gate.started.wait(WAIT_S)
    again = promptly(source.frames)
    gate.release.set()
    assert source.wait_until_refreshed(timeout=WAIT_S)
    after = source.frames()

    assert during is before and again is before
    assert enrolments(before) == []
    assert enrolments(after) == [("ARA-1", 2025 * 12 + 2, 12)]


def test_one_refresh_runs_at_a_time_and_changes_meanwhile_queue_one_more(
    database: Engine, source: data.LiveData, monkeypatch: pytest.MonkeyPatch
) -> None:
    source.frames()
    gate = Gate()
    monkeypatch.setattr(data, "refresh_snapshot", gate)
    commit(database, "ARA-1", "2025-01", 1)
    source.frames()
    assert gate.started.wait(WAIT_S)
    for month, enrolled in (("2025-02", 2), ("2025-03", 3)):
        commit(database, "ARA-2", month, enrolled)
        promptly(source.frames)
        source.refresh_soon()
    calls_while_held = gate.calls
    gate.release.set()
    assert source.wait_until_refreshed(timeout=WAIT_S)

    assert (calls_while_held, gate.calls, gate.most_at_once) == (1, 2, 1)
    assert enrolments(source.frames()) == [
        ("ARA-1", 2025 * 12, 1),
        ("ARA-2", 2025 * 12 + 1, 2),
        ("ARA-2", 2025 * 12 + 2, 3),
    ]


def test_readers_asking_during_a_refresh_do_not_queue_another_when_nothing_changed_since(
    database: Engine, source: data.LiveData, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader during the refresh saw the version it is reading; once that is in, no further
    (paced) refresh is due, so the next upload is taken in at once."""
    paced(source, 600)
    source.frames()
    gate = Gate()
    monkeypatch.setattr(data, "refresh_snapshot", gate)
    commit(database, "ARA-1", "2025-01", 1)
    source.frames()
    assert gate.started.wait(WAIT_S)
    promptly(source.frames)  # sees the new version, not yet in: asks again
    gate.release.set()

    assert source.wait_until_refreshed(timeout=WAIT_S)  # not 600 s of pacing
    assert gate.calls == 1


def test_results_of_the_current_snapshot_serve_until_the_swap_then_are_computed_once_anew(
    database: Engine, source: data.LiveData, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the refresh runs, the cached result is the current snapshot's; nothing is
    recomputed in the background; after the swap the first request computes it on the new
    snapshot, once, and the next ones reuse it."""
    computed_on: list[Frames] = []

    def total_enrolled(frames: Frames, _filters: Filters) -> int:
        computed_on.append(frames)
        return int(frames.progress["enrolled"].sum())

    def ask() -> int:
        return source.cached("total enrolled", Filters(), total_enrolled)

    commit(database, "ARA-1", "2025-01", 5)
    first = ask()
    gate = Gate()
    monkeypatch.setattr(data, "refresh_snapshot", gate)
    commit(database, "CLJ-1", "2025-02", 7)
    during = promptly(ask)
    assert gate.started.wait(WAIT_S)
    gate.release.set()
    assert source.wait_until_refreshed(timeout=WAIT_S)
    before_anyone_asked = len(computed_on)
    after = [ask(), ask()]

    assert (first, during, after) == (5, 5, [12, 12])
    assert (before_anyone_asked, len(computed_on)) == (1, 2)
    assert computed_on[1] is source.frames()


def test_a_network_result_is_kept_across_merged_uploads_and_computed_anew_for_a_new_network(
    database: Engine, source: data.LiveData
) -> None:
    """A result of the network alone is computed once while uploads are merged in (the same
    month shown), and again once the network itself is read anew: here a programme added
    behind the snapshot's back, whose first upload makes the refresh read everything."""
    computed_on: list[Frames] = []

    def programmes(frames: Frames, _filters: Filters) -> list[str]:
        computed_on.append(frames)
        return sorted(frames.programmes["programme_id"].astype(str))

    def ask() -> list[str]:
        return source.network_cached("programmes", Filters(), programmes)

    def taken_in() -> None:
        source.frames()
        assert source.wait_until_refreshed(timeout=WAIT_S)

    commit(database, "ARA-1", "2025-03", 5)
    taken_in()
    first = ask()
    commit(database, "ARA-1", "2025-03", 6)
    taken_in()
    merged = ask()
    with session_scope(database, write=True) as session:
        session.add(programme("ARA-3"))
    commit(database, "ARA-3", "2025-03", 7)
    taken_in()
    reloaded = [ask(), ask()]

    assert first == merged == ["ARA-1", "ARA-2", "CLJ-1"]
    assert reloaded == [["ARA-1", "ARA-2", "ARA-3", "CLJ-1"]] * 2
    assert len(computed_on) == 2
    assert computed_on[1] is source.frames()


def test_the_uploader_waits_until_the_dashboard_shows_the_upload_and_readers_do_not(
    database: Engine, source: data.LiveData, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = source.frames()
    gate = Gate()
    monkeypatch.setattr(data, "refresh_snapshot", gate)
    upload_id = commit(database, "ARA-2", "2025-04", 8)
    shown: list[bool] = []
    uploader = threading.Thread(target=lambda: shown.append(source.show_upload(upload_id)))
    uploader.start()
    assert gate.started.wait(WAIT_S)
    meanwhile = promptly(source.frames)
    still_waiting = uploader.is_alive()
    gate.release.set()
    uploader.join(WAIT_S)

    assert meanwhile is before and still_waiting
    assert shown == [True]
    assert enrolments(source.frames()) == [("ARA-2", 2025 * 12 + 3, 8)]


def test_one_request_reads_one_snapshot_even_if_a_new_one_comes_meanwhile(
    database: Engine,
    source: data.LiveData,
) -> None:
    app = flask.Flask(__name__)
    with app.test_request_context():
        before = source.frames()
        commit(database, "ARA-1", "2025-03", 12)
        source.refresh_soon()
        assert source.wait_until_refreshed(timeout=WAIT_S)
        same = source.frames()
    with app.test_request_context():
        after = source.frames()

    assert same is before
    assert enrolments(after) == [("ARA-1", 2025 * 12 + 2, 12)]


def test_another_process_commit_is_noticed_and_merged_without_reading_everything(
    database: Engine,
    source: data.LiveData,
) -> None:
    """The change feed is the database: a commit through another connection pool (as another
    server process has) is found through the data version, and only progress is read."""
    before = source.current_snapshot()
    other = make_engine(database.url.render_as_string())
    commit(other, "CLJ-1", "2025-04", 4)
    other.dispose()

    source.frames()
    assert source.wait_until_refreshed(timeout=WAIT_S)
    after = source.current_snapshot()

    assert enrolments(after.frames) == [("CLJ-1", 2025 * 12 + 3, 4)]
    assert after.version == load_snapshot(database).version != before.version
    assert after.frames.programmes is before.frames.programmes  # not read again
    assert after.frames.targets is before.frames.targets


def test_a_failed_refresh_keeps_the_current_snapshot_and_is_tried_again_later(
    database: Engine,
    source: data.LiveData,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(_engine: Engine, _snapshot: Snapshot) -> Any:
        raise RuntimeError("the database went away")

    before = source.frames()
    monkeypatch.setattr(data, "refresh_snapshot", broken)
    upload_id = commit(database, "ARA-1", "2025-03", 12)
    with caplog.at_level(logging.ERROR, logger="dashboard.data"):
        source.frames()
        assert source.wait_until_refreshed(timeout=WAIT_S)
    kept = source.frames()  # no new attempt so soon after the failure
    assert source.show_upload(upload_id) is False  # nor does the uploader wait for one
    assert source.wait_until_refreshed(timeout=WAIT_S)
    still = source.frames()
    monkeypatch.setattr(data, "refresh_snapshot", refresh_snapshot)
    monkeypatch.setattr(data, "RETRY_AFTER_S", 0.0)
    source.refresh_soon()  # the next attempt after the pause is allowed
    assert source.wait_until_refreshed(timeout=WAIT_S)

    assert kept is before and still is before
    # Only the dashboard's own log: a migration run by an earlier test in this process may
    # have left the migration tool's logger writing at INFO level.
    assert [r.getMessage() for r in caplog.records if r.name == "dashboard.data"] == [
        "refreshing the dashboard's data failed: the previous data is shown"
    ]
    assert enrolments(source.frames()) == [("ARA-1", 2025 * 12 + 2, 12)]


def test_under_a_stream_of_uploads_the_uploader_does_not_wait_for_the_paced_refresh(
    database: Engine, source: data.LiveData, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upload that comes while the refresh waits out the interval is answered at once; the
    dashboard takes it in when the interval is over."""
    paced(source, 3)
    source.frames()
    first = commit(database, "ARA-1", "2025-01", 1)
    assert source.show_upload(first)  # a lone upload: taken in at once
    second = commit(database, "ARA-1", "2025-02", 2)
    answered = promptly(lambda: source.show_upload(second))
    assert source.wait_until_refreshed(timeout=WAIT_S)

    assert answered is False
    assert source.current_snapshot().version.last_upload_id == second


def test_under_a_stream_of_uploads_refreshes_come_no_more_often_than_the_setting(
    database: Engine, source: data.LiveData, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refresh queued behind a running one waits until the interval since the last one
    started is over; the first one after a quiet spell starts at once."""
    pauses: list[float] = []

    class Clock:
        monotonic = staticmethod(time.monotonic)

        @staticmethod
        def sleep(seconds: float) -> None:
            pauses.append(seconds)

    paced(source, 60)
    monkeypatch.setattr(data, "time", Clock)
    source.frames()
    gate = Gate()
    monkeypatch.setattr(data, "refresh_snapshot", gate)
    commit(database, "ARA-1", "2025-01", 1)
    source.frames()
    assert gate.started.wait(WAIT_S)
    commit(database, "ARA-1", "2025-02", 2)
    source.frames()
    gate.release.set()
    assert source.wait_until_refreshed(timeout=WAIT_S)

    assert gate.calls == 2
    [pause] = pauses
    assert 0 < pause <= 60
