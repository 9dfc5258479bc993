"""A network where some programmes are late for March 2025, for the tests of who is late.

The small ingestion network (``ingest_helpers``): March 2025 is reported by ARA-1 only, so
ARA-2 (aragon-ai) and CLJ-1 (cluj-it) are late. maria manages aragon-ai, mihai both clusters
(no e-mail address), ion cluj-it; olga is an official.
"""

from __future__ import annotations

import pytest
from ingest_helpers import TODAY
from sqlalchemy import Engine
from upload_helpers import CHEAP_HASHING, PASSWORD, VALID_LINES, add_accounts, progress_csv

from skills_roadmap import users
from skills_roadmap.ingest import commit_upload
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import get_engine


def make_late_network(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """``engine``'s network with March reported by ARA-1 alone and the managers above; the
    command line and the configured settings read this database (cheap password hashing)."""
    monkeypatch.setenv("SKILLS_ROADMAP_DATABASE_URL", engine.url.render_as_string(False))
    for key, value in CHEAP_HASHING.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    get_engine.cache_clear()
    add_accounts(engine)
    users.set_email(engine, "maria", "maria@aragon.example.org", by="test")
    users.create_user(
        engine, "ion", "manager", PASSWORD, ["cluj-it"], by="test", email="ion@cluj.example"
    )
    commit_upload(engine, progress_csv(VALID_LINES), "march.csv", today=TODAY)
    return engine
