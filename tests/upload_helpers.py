"""Accounts, sheets and signed-in clients for the tests of the upload page and the upload API.

The database is the small network of ``ingest_helpers`` (programmes ARA-1 and ARA-2 of cluster
aragon-ai, CLJ-1 of cluj-it) with accounts: maria manages aragon-ai, mihai manages both
clusters, olga is an official (no upload permission).
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask.testing import FlaskClient
from ingest_helpers import HEADERS
from sqlalchemy import Engine
from werkzeug.test import TestResponse

from skills_roadmap import users
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import get_engine

BASE = "https://localhost"
PASSWORD = "upload test password"
SECRET = "k" * 40
CHEAP_HASHING = {
    "SKILLS_ROADMAP_PASSWORD_HASH_TIME_COST": "1",
    "SKILLS_ROADMAP_PASSWORD_HASH_MEMORY_KIB": "64",
}
ProgressLine = tuple[Any, ...]
VALID_LINES: list[ProgressLine] = [
    ("ARA-1", "2025-03", 12, 10, 8, 1, 6, 1500.5, "first cohort"),
    ("ARA-2", "2025-04", 20, 5, 5, 0, 10, 300, ""),
]


def configure(monkeypatch: pytest.MonkeyPatch, engine: Engine, *, auth: bool) -> None:
    """Point the settings at ``engine``'s database, with log-in on or off, cheap hashing."""
    values = {
        "SKILLS_ROADMAP_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "SKILLS_ROADMAP_AUTH_ENABLED": "true" if auth else "false",
        "SKILLS_ROADMAP_SECRET_KEY": SECRET,
        **CHEAP_HASHING,
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    get_engine.cache_clear()


def add_accounts(engine: Engine) -> None:
    """maria (manager of aragon-ai) gets a password; mihai (both clusters) and olga join."""
    users.set_password(engine, "maria", PASSWORD, by="test")
    users.create_user(engine, "mihai", "manager", PASSWORD, ["aragon-ai", "cluj-it"], by="test")
    users.create_user(engine, "olga", "official", PASSWORD, by="test")


def progress_csv(lines: list[ProgressLine]) -> bytes:
    """A progress sheet as CSV: the contract's headers, then ``lines``."""
    rows = [",".join(HEADERS)] + [",".join(str(value) for value in line) for line in lines]
    return ("\n".join(rows) + "\n").encode()


def signed_in(client: FlaskClient, name: str) -> FlaskClient:
    """``client`` after signing in as ``name``."""
    response = client.post(
        "/login",
        base_url=BASE,
        data={"name": name, "password": PASSWORD, "next": "/"},
        headers={"Origin": BASE},
    )
    assert response.status_code == 303, response.text
    return client


def post_sheet(
    client: FlaskClient,
    data: bytes,
    *,
    name: str = "progress.csv",
    dry_run: bool = False,
    origin: str | None = BASE,
) -> TestResponse:
    """POST ``data`` to the upload API as the multipart field ``file``."""
    return client.post(
        "/api/uploads" + ("?dry_run=1" if dry_run else ""),
        base_url=BASE,
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers={"Origin": origin} if origin else {},
    )
