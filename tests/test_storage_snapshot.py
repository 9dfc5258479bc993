"""The change feed: the data version moves with every write, and what changed since a version is
the progress rows uploads wrote, or every table when anything else changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import TODAY, add_network
from sqlalchemy import Engine, text
from upload_helpers import ProgressLine, progress_csv

from skills_roadmap.demo import build_demo
from skills_roadmap.domain import UploadOutcome
from skills_roadmap.ingest import commit_upload
from skills_roadmap.storage import make_engine, session_scope, upgrade
from skills_roadmap.storage.snapshot import (
    DataVersion,
    ProgressChanges,
    StoredTables,
    data_version,
    read_changes,
    read_tables,
)
from skills_roadmap.storage.tables import ProgressRow

FIXTURES = Path(__file__).parent / "fixtures"
FIRST: list[ProgressLine] = [("ARA-1", "2025-03", 12, 10, 8, 1, 6, 1500.5, "first")]
SECOND: list[ProgressLine] = [
    ("ARA-1", "2025-03", 14, 10, "", 1, 6, "", "changed, two blanks"),
    ("CLJ-1", "2025-01", 3, 2, 1, 0, 1, 20, "new"),
]


def commit(engine: Engine, lines: list[ProgressLine]) -> int:
    result = commit_upload(engine, progress_csv(lines), "progress.csv", today=TODAY)
    assert result.outcome is UploadOutcome.COMMITTED, result.message
    return result.upload_id


def changed_rows(changes: ProgressChanges | StoredTables) -> list[tuple[object, ...]]:
    """The feed's rows as (programme, month, measures…), blanks as None."""
    assert isinstance(changes, ProgressChanges)
    return [
        (programme, *(None if value != value else value for value in row.tolist()[1:]))
        for programme, row in zip(changes.programme_ids, changes.rows, strict=True)
    ]


def test_the_feed_holds_the_rows_uploads_wrote_since_a_version_with_their_values_now(
    network_engine: Engine,
) -> None:
    engine = network_engine
    with session_scope(engine, write=True) as session:  # loaded without an upload, as the demo
        session.add(ProgressRow(programme_id="ARA-2", period="2024-05", enrolled=1, completed=1))
    before = data_version(engine)
    first = commit(engine, FIRST)
    middle = data_version(engine)
    second = commit(engine, SECOND)

    assert before == DataVersion(None, None, ())
    assert middle.last_upload_id == first and data_version(engine).last_upload_id == second
    march, january = 2025 * 12 + 2, 2025 * 12
    assert sorted(changed_rows(read_changes(engine, before))) == [
        ("ARA-1", march, 14, 10, None, 1.0, 6.0, None),
        ("CLJ-1", january, 3, 2, 1.0, 0.0, 1.0, 20.0),
    ]
    assert changed_rows(read_changes(engine, middle)) == changed_rows(read_changes(engine, before))
    assert changed_rows(read_changes(engine, data_version(engine))) == []


def test_a_rejected_or_repeated_upload_moves_the_version_and_changes_no_row(
    network_engine: Engine,
) -> None:
    engine = network_engine
    commit(engine, FIRST)
    before = data_version(engine)
    rejected = commit_upload(engine, progress_csv([("ARA-1", "2025-04", -1, 0)]), "bad.csv")
    repeated = commit_upload(engine, progress_csv(FIRST), "again.csv", today=TODAY)

    assert (rejected.outcome, repeated.outcome) == (UploadOutcome.REJECTED, UploadOutcome.DUPLICATE)
    changes = read_changes(engine, before)
    assert changes.version == data_version(engine) != before
    assert changed_rows(changes) == []


@pytest.mark.parametrize("sheet", ["programmes.xlsx", "targets.xlsx"])
def test_an_administrators_sheet_since_a_version_means_reading_every_table(
    network_engine: Engine, sheet: str
) -> None:
    engine = network_engine
    before = data_version(engine)
    commit(engine, FIRST)
    result = commit_upload(engine, (FIXTURES / sheet).read_bytes(), sheet, user="admin")
    assert result.outcome is UploadOutcome.COMMITTED

    changes = read_changes(engine, before)
    assert isinstance(changes, StoredTables)
    fresh = read_tables(engine)
    assert changes.version == fresh.version == data_version(engine)
    assert changes.tables.keys() == fresh.tables.keys()
    for name, table in changes.tables.items():
        assert table.equals(fresh.tables[name]), name
    assert changes.progress.tolist() == fresh.progress.tolist()


def test_the_demo_load_means_reading_every_table(engine: Engine) -> None:
    before = data_version(engine)
    build_demo(engine, seed=7)
    after = data_version(engine)
    assert after.last_upload_id is None and after.schema_info != before.schema_info
    changes = read_changes(engine, before)
    assert isinstance(changes, StoredTables) and len(changes.progress) > 1000


def test_another_database_behind_the_same_address_means_reading_every_table(
    tmp_path: Path,
) -> None:
    """A restored backup numbers its uploads like the database it replaced: the upload's hash
    and time tell them apart."""
    path = tmp_path / "db.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    add_network(engine)
    commit(engine, FIRST)
    seen = data_version(engine)
    engine.dispose()
    path.unlink()
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    add_network(engine)
    commit(engine, SECOND)
    commit(engine, [("ARA-2", "2025-02", 1, 1, "", "", "", "", "")])

    assert data_version(engine).last_upload_id == 2 and seen.last_upload_id == 1
    assert isinstance(read_changes(engine, seen), StoredTables)
    engine.dispose()


def test_the_feed_reads_the_index_of_uploaded_rows(any_engine: Engine) -> None:
    """Demo rows carry no upload: the index holds uploaded rows only, and the feed uses it."""
    with any_engine.connect() as connection:
        if any_engine.dialect.name == "sqlite":
            plan = connection.execute(
                text("EXPLAIN QUERY PLAN SELECT * FROM progress AS p WHERE p.upload_id > 3")
            ).all()
            assert "ix_progress_upload_id" in " ".join(str(row[-1]) for row in plan)
        else:
            connection.execute(text("SET enable_seqscan = off"))
            plan = connection.execute(
                text("EXPLAIN SELECT * FROM progress AS p WHERE p.upload_id > 3")
            ).all()
            assert "ix_progress_upload_id" in " ".join(row[0] for row in plan)
