"""Where pages get their numbers: the analysis layer over frames loaded once per data version.

Loading every frame on each callback would cost seconds on EU-scale data, so the frames are
kept in memory and reloaded only when the database changes (a new upload or demo load).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import flask
from sqlalchemy import Engine, func, select

from skills_roadmap.analysis import AnalysisSettings, Filters, Frames, apply_filters, load_frames
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import get_engine, session_scope
from skills_roadmap.storage.tables import SchemaInfoRow, UploadRow

_lock = threading.Lock()
_cache: dict[str, tuple[tuple[object, ...], Frames]] = {}

T = TypeVar("T")
FRAMES = "frames"  # the cache name of the filtered frames themselves
FRAMES_KEPT = 8  # a filtered EU-scale frame is tens of MB
RESULTS_KEPT = 256  # analysis results and charts of recent selections: small tables
_results_lock = threading.Lock()
_results: OrderedDict[tuple[Any, ...], Future[Any]] = OrderedDict()
_results_frames: list[Frames] = []  # the frames the cached results were computed from


def data_version(engine: Engine) -> tuple[object, ...]:
    """A cheap fingerprint that changes whenever stored data changes.

    Every import writes an upload record and the demo load writes ``schema_info``; both tables
    are tiny, so this costs far less than counting progress rows on every callback.
    """
    with session_scope(engine) as session:
        return (
            session.scalar(select(func.max(UploadRow.id))),
            tuple(session.execute(select(SchemaInfoRow.key, SchemaInfoRow.value)).all()),
        )


def _version_once_per_request(engine: Engine, key: str) -> tuple[object, ...]:
    """The data version, asked of the database once per web request: a callback reads the
    frames several times, and each question is a round trip to the database."""
    if not flask.has_request_context():
        return data_version(engine)
    versions: dict[str, tuple[object, ...]] = flask.g.setdefault("data_versions", {})
    if key not in versions:
        versions[key] = data_version(engine)
    return versions[key]


def current_frames(engine: Engine | None = None) -> Frames:
    """The analysis frames of the configured database, reloaded when the data changed."""
    engine = engine or get_engine()
    key = engine.url.render_as_string(hide_password=False)
    version = _version_once_per_request(engine, key)
    with _lock:
        cached = _cache.get(key)
        if cached is None or cached[0] != version:
            cached = (version, load_frames(engine))
            _cache[key] = cached
        return cached[1]


def analysis_settings() -> AnalysisSettings:
    """The installation's thresholds (on track, at risk, run-rate window, inclusion goal)."""
    return AnalysisSettings.from_settings(get_settings())


def cached(name: str, filters: Filters, compute: Callable[[Frames, Filters], T]) -> T:
    """``compute(frames, filters)`` on the current frames, once per data version and selection.

    A page's charts all ask about the same selection at the same moment, in parallel
    callbacks; the first caller computes and the others wait for its result instead of
    repeating seconds of work on EU-scale data. Results are dropped when the data changes.
    """
    frames = current_frames()
    key = (name, filters)
    with _results_lock:
        if not _results_frames or _results_frames[0] is not frames:
            _results.clear()
            _results_frames[:] = [frames]
        future = _results.get(key)
        owner = future is None
        if future is None:
            future = _results[key] = Future()
            _evict(FRAMES_KEPT if name == FRAMES else RESULTS_KEPT, name == FRAMES)
        else:
            _results.move_to_end(key)
    if owner:
        try:
            future.set_result(compute(frames, filters))
        except BaseException as error:
            future.set_exception(error)
            with _results_lock:
                if _results.get(key) is future:
                    del _results[key]
    return future.result()


def _evict(kept: int, frames: bool) -> None:
    """Drop the least recently used entries of one kind (frames or results) beyond ``kept``;
    the caller holds the lock."""
    keys = [key for key in _results if (key[0] == FRAMES) == frames]
    for key in keys[: max(len(keys) - kept, 0)]:
        del _results[key]


def selected_frames(filters: Filters) -> Frames:
    """The current frames narrowed to ``filters`` (shared by every chart of a selection)."""
    return cached(FRAMES, filters, apply_filters)


def clear_results() -> None:
    """Forget every cached result (benchmarks and tests start each selection cold)."""
    with _results_lock:
        _results.clear()
