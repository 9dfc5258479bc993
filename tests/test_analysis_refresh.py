"""A snapshot kept up to date with what uploads changed equals the database read afresh, whatever
the uploads: new rows, changed values, blanks, columns left out, rejected and repeated files,
administrators' sheets, refreshed after each upload or after several."""

from __future__ import annotations

import dataclasses
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import HEADERS, PROGRESS_COLUMNS, TODAY, add_network
from sqlalchemy import Engine

from skills_roadmap.analysis import Frames
from skills_roadmap.analysis.loader import Snapshot, load_snapshot, refresh_snapshot
from skills_roadmap.ingest import commit_upload
from skills_roadmap.storage import make_engine, session_scope, upgrade
from skills_roadmap.storage.tables import ProgressRow

FIXTURES = Path(__file__).parent / "fixtures"
PROGRAMMES = ["ARA-1", "ARA-2", "CLJ-1"]
ADDED_PROGRAMME = "ARA-3"  # by the Programmes sheet, running 2025-01 to 2025-12
PERIODS = [f"{year}-{month:02d}" for year in (2024, 2025) for month in range(1, 13)][:18]
# Two ESF+ bands too: they are merged into the frames' breakdowns, not their progress rows.
COLUMNS = [*PROGRESS_COLUMNS, "men", "age_55_over"]
COLUMN_HEADERS = [*HEADERS, "Men", "Aged 55 and over"]
OPTIONAL = ["certified", "dropped_out", "women", "spend_eur", "notes", "men", "age_55_over"]
FRAME_MONTHS = ("as_of", "default_as_of", "complete_month_share", "closed_months", "month_reports")
FRAME_TABLES = [f.name for f in dataclasses.fields(Frames) if f.name not in FRAME_MONTHS]
REFRESH_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@dataclass(frozen=True)
class Upload:
    """A file to commit, and whether the snapshot is refreshed right after it."""

    data: bytes
    name: str
    refresh_after: bool


def sheet_bytes(columns: list[str], rows: list[dict[str, object]]) -> bytes:
    """A progress CSV with the contract's headers of ``columns``; ``None`` is a blank cell."""
    header = ",".join(COLUMN_HEADERS[COLUMNS.index(column)] for column in columns)
    lines = [",".join("" if row[c] is None else str(row[c]) for c in columns) for row in rows]
    return ("\n".join([header, *lines]) + "\n").encode()


@st.composite
def progress_rows(draw: st.DrawFn, programmes: list[str]) -> list[dict[str, object]]:
    """Valid rows, one per programme and month; optional values often blank."""
    periods = PERIODS + ([] if ADDED_PROGRAMME not in programmes else [])
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(programmes), st.sampled_from(periods)).filter(
                lambda key: key[0] != ADDED_PROGRAMME or key[1] >= "2025-01"
            ),
            min_size=1,
            max_size=8,
            unique=True,
        )
    )
    rows = []
    for programme, period in keys:
        enrolled = draw(st.integers(0, 90))
        completed = draw(st.integers(0, 90))
        women = draw(st.none() | st.integers(0, enrolled))
        rows.append(
            {
                "programme_id": programme,
                "period": period,
                "enrolled": enrolled,
                "completed": completed,
                "certified": draw(st.none() | st.integers(0, completed)),
                "dropped_out": draw(st.none() | st.integers(0, 20)),
                "women": women,
                # cents: a decimal point and at most two decimals, never a thousands separator
                "spend_eur": draw(st.none() | st.integers(0, 10**7).map(lambda c: c / 100)),
                "notes": draw(st.none() | st.sampled_from(["late", "new cohort"])),
                "men": draw(st.none() | st.integers(0, enrolled - (women or 0))),
                "age_55_over": draw(st.none() | st.integers(0, enrolled)),
            }
        )
    return rows


@st.composite
def upload_sequences(draw: st.DrawFn) -> list[Upload]:
    """Progress sheets (sometimes without some optional columns, sometimes with an error),
    repeats of earlier files, and now and then a Programmes or a Targets sheet."""
    uploads: list[Upload] = []
    programmes = list(PROGRAMMES)
    for number in range(draw(st.integers(1, 6))):
        kind = draw(
            st.sampled_from(["progress"] * 6 + ["rejected", "repeat", "programmes", "targets"])
        )
        refresh_after = draw(st.booleans())
        if kind == "repeat" and uploads:
            earlier = draw(st.sampled_from(uploads))
            uploads.append(Upload(earlier.data, earlier.name, refresh_after))
            continue
        if kind in ("programmes", "targets"):
            data = (FIXTURES / f"{kind}.xlsx").read_bytes()
            uploads.append(Upload(data, f"{kind}.xlsx", refresh_after))
            if kind == "programmes":
                programmes = [*PROGRAMMES, ADDED_PROGRAMME]
            continue
        rows = draw(progress_rows(programmes))
        left_out = draw(st.sets(st.sampled_from(OPTIONAL)))
        columns = [c for c in COLUMNS if c not in left_out]
        if kind == "rejected":
            rows[0]["enrolled"] = -1
        uploads.append(Upload(sheet_bytes(columns, rows), f"sheet-{number}.csv", refresh_after))
    return uploads


@pytest.fixture(scope="module")
def network_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the small network and progress loaded without an upload
    (as the demo loads it)."""
    path = tmp_path_factory.mktemp("refresh") / "network.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    add_network(engine)
    with session_scope(engine, write=True) as session:
        session.add_all(
            [
                ProgressRow(programme_id="ARA-1", period="2024-02", enrolled=5, completed=1),
                ProgressRow(
                    programme_id="ARA-2",
                    period="2024-07",
                    enrolled=9,
                    completed=4,
                    certified=2,
                    spend_eur=99.5,
                ),
                ProgressRow(programme_id="CLJ-1", period="2025-05", enrolled=7, completed=7),
            ]
        )
    engine.dispose()
    return path


@contextmanager
def copy_of(network_file: Path) -> Iterator[Engine]:
    """An engine on a copy of the network file of its own, deleted afterwards (each example of
    a property starts from the same network)."""
    path = network_file.with_name(f"{uuid.uuid4().hex}.sqlite")
    shutil.copyfile(network_file, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        yield engine
    finally:
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def assert_same_snapshot(updated: Snapshot, fresh: Snapshot) -> None:
    """Every frame equal, row for row and bit for bit, and the same version and months."""
    assert updated.version == fresh.version
    for name in FRAME_MONTHS[:-1]:
        assert getattr(updated.frames, name) == getattr(fresh.frames, name), name
    reports = [frames.month_reports for frames in (updated.frames, fresh.frames)]
    assert [(r.first, r.due.tolist(), r.reported.tolist()) for r in reports] == [
        (reports[1].first, reports[1].due.tolist(), reports[1].reported.tolist())
    ] * 2
    for name in FRAME_TABLES:
        pd.testing.assert_frame_equal(
            getattr(updated.frames, name), getattr(fresh.frames, name), check_exact=True, obj=name
        )


@pytest.mark.slow  # about ten seconds: each example commits and reads its own database
@REFRESH_SETTINGS
@given(uploads=upload_sequences())
def test_a_snapshot_refreshed_after_uploads_equals_the_database_read_afresh(
    network_file: Path, uploads: list[Upload]
) -> None:
    with copy_of(network_file) as engine:
        snapshot = load_snapshot(engine)
        for upload in uploads:
            commit_upload(engine, upload.data, upload.name, user="admin", today=TODAY)
            if upload.refresh_after:
                snapshot = refresh_snapshot(engine, snapshot)
                assert_same_snapshot(snapshot, load_snapshot(engine))
        snapshot = refresh_snapshot(engine, snapshot)
        assert_same_snapshot(snapshot, load_snapshot(engine))


def test_a_refresh_without_changes_keeps_the_snapshot_and_one_without_new_data_the_frames(
    network_file: Path,
) -> None:
    """Nothing stored since: the same snapshot. Only a rejected file: a new version, the same
    frames (and so the same cached results)."""
    with copy_of(network_file) as engine:
        snapshot = load_snapshot(engine)
        rows = [{"programme_id": "ARA-1", "period": "2025-01", "enrolled": -1, "completed": 0}]
        unchanged = refresh_snapshot(engine, snapshot)
        commit_upload(engine, sheet_bytes(PROGRESS_COLUMNS[:4], rows), "bad.csv", today=TODAY)
        refreshed = refresh_snapshot(engine, snapshot)
    assert unchanged is snapshot
    assert refreshed.version != snapshot.version
    assert refreshed.frames is snapshot.frames


def test_merged_progress_keeps_the_programme_then_month_order_a_full_read_has(
    network_file: Path,
) -> None:
    rows = [
        {"programme_id": "CLJ-1", "period": "2024-01", "enrolled": 1, "completed": 1},
        {"programme_id": "ARA-1", "period": "2025-06", "enrolled": 2, "completed": 2},
        {"programme_id": "ARA-1", "period": "2024-02", "enrolled": 3, "completed": 3},
    ]
    with copy_of(network_file) as engine:
        snapshot = load_snapshot(engine)
        commit_upload(engine, sheet_bytes(PROGRESS_COLUMNS[:4], rows), "p.csv", today=TODAY)
        progress = refresh_snapshot(engine, snapshot).frames.progress
    assert list(zip(progress["programme_id"].astype(str), progress["month"], strict=True)) == [
        ("ARA-1", 2024 * 12 + 1),
        ("ARA-1", 2025 * 12 + 5),
        ("ARA-2", 2024 * 12 + 6),
        ("CLJ-1", 2024 * 12),
        ("CLJ-1", 2025 * 12 + 4),
    ]
    assert progress["enrolled"].tolist() == [3, 2, 9, 1, 7]


def test_today_is_the_day_the_sheets_are_checked_against() -> None:
    """The periods drawn are never in the future of the day the uploads are committed."""
    assert max(PERIODS) <= f"{TODAY:%Y-%m}" and TODAY < date(2025, 7, 1)
