"""Where pages get their numbers: the analysis layer over frames loaded once per data version.

Loading every frame on each callback would cost seconds on EU-scale data, so the frames are
kept in memory and reloaded only when the database changes (a new upload or demo load).
"""

from __future__ import annotations

import threading

from sqlalchemy import Engine, func, select

from skills_roadmap.analysis import Frames, load_frames
from skills_roadmap.storage import get_engine, session_scope
from skills_roadmap.storage.tables import SchemaInfoRow, UploadRow

_lock = threading.Lock()
_cache: dict[str, tuple[tuple[object, ...], Frames]] = {}


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


def current_frames(engine: Engine | None = None) -> Frames:
    """The analysis frames of the configured database, reloaded when the data changed."""
    engine = engine or get_engine()
    key = engine.url.render_as_string(hide_password=False)
    version = data_version(engine)
    with _lock:
        cached = _cache.get(key)
        if cached is None or cached[0] != version:
            cached = (version, load_frames(engine))
            _cache[key] = cached
        return cached[1]
