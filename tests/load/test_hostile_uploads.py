"""Tiny files declaring enormous sheets, sent at once to a running production server (on SQLite
and on PostgreSQL): each is refused with one line, audited, nothing is stored, and the server
stays up and goes on answering pages and storing good uploads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from hostile_files import HOSTILE_UPLOADS
from ingest_helpers import add_network
from server_helpers import cli, post_upload, running_server, server_env, sign_in
from sqlalchemy import Engine, func, select
from upload_helpers import VALID_LINES, progress_csv

from skills_roadmap.storage import session_scope
from skills_roadmap.storage.tables import AuditRow, UploadRow

pytestmark = pytest.mark.slow

PASSWORD = "hostile test password"
# What each upload is told: the start of its one-line refusal.
REFUSALS = {
    "far-cell.xlsx": "sheet 'Progress' has more than 200,000 data rows",
    "far-cell-first.xlsx": "sheet 'Progress' has values as far right as column XFD",
    "wide-and-long.xlsx": "sheet 'Progress' spans 200,000 rows × 100 columns",
    "shared-strings.xlsx": "the workbook declares 4,000,000,000 shared strings",
    "repeated-block.ods": "sheet 'Progress' spans 200,001 rows × 100 columns",
    "gap-before-content.ods": "sheet 'Progress' has more than 200,000 data rows",
    "huge-dimensions.xls": "sheet 'Monthly report' of the .xls workbook declares rows 1 to",
    "bomb.xlsx": "the file inflates to 209.7 MB when unpacked",
    "far-cell.xlsb": "the file needs more memory than 1,024 MB to read",
}


def counts(engine: Engine) -> tuple[int, list[str]]:
    """Stored uploads, and the objects of the audit entries of unreadable uploads."""
    with session_scope(engine) as session:
        uploads = int(session.scalar(select(func.count()).select_from(UploadRow)) or 0)
        unreadable = session.scalars(
            select(AuditRow.object).where(AuditRow.object.like("unreadable: %"))
        ).all()
    return uploads, sorted(str(entry) for entry in unreadable)


def test_hostile_uploads_are_refused_and_the_server_stays_up(
    any_engine: Engine, tmp_path: Path
) -> None:
    add_network(any_engine)
    env = server_env(
        any_engine.url.render_as_string(hide_password=False), tmp_path / "data", production=True
    )
    cli(env, "users", "set-password", "maria", "--password-stdin", stdin=PASSWORD + "\n")
    uploads = [(name, make()) for name, make in HOSTILE_UPLOADS]
    assert sorted(name for name, _ in uploads) == sorted(REFUSALS)
    assert all(len(data) < 250_000 for _, data in uploads)

    with running_server(env, tmp_path / "server.log", production=True) as server:
        cookies = sign_in(server.url, "maria", PASSWORD)
        with ThreadPoolExecutor(max_workers=len(uploads)) as pool:
            answers = list(
                pool.map(lambda upload: post_upload(server.url, cookies, *upload), uploads)
            )
        assert server.process.poll() is None, server.log_tail()
        refused = {
            name: (answer.status_code, answer.json()["error"][: len(REFUSALS[name])])
            for (name, _), answer in zip(uploads, answers, strict=True)
        }
        assert refused == {name: (422, start) for name, start in REFUSALS.items()}
        assert all("\n" not in answer.json()["error"] for answer in answers)
        assert counts(any_engine) == (0, sorted(f"unreadable: {name}" for name in REFUSALS))

        page = requests.get(server.url + "/upload", cookies=cookies, timeout=60)
        assert page.status_code == 200
        good = post_upload(server.url, cookies, "march.csv", progress_csv(VALID_LINES))
        assert good.status_code == 200, good.text
        assert server.process.poll() is None
    assert counts(any_engine)[0] == 1
