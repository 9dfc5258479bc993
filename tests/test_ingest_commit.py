"""Committing uploads: all or nothing, uploads recorded, revisions kept, same file twice a no-op."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import HEADERS, TODAY, stored_progress
from sqlalchemy import Engine, func, select

from skills_roadmap.domain import UploadOutcome
from skills_roadmap.exceptions import PermissionDeniedError
from skills_roadmap.i18n import PSEUDO_LANGUAGE, use_language
from skills_roadmap.ingest import commit_upload, dry_run, isolation
from skills_roadmap.ingest import pipeline as ingest_pipeline
from skills_roadmap.ingest.context import SheetHandler
from skills_roadmap.ingest.contract import SheetKind
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import session_scope
from skills_roadmap.storage.tables import AuditRow, ProgressRow, RevisionRow, UploadRow

FIXTURES = Path(__file__).parent / "fixtures"
VALID_STORED: list[dict[str, Any]] = [
    {
        "programme_id": "ARA-1",
        "period": "2025-03",
        "enrolled": 12,
        "completed": 10,
        "certified": 8,
        "dropped_out": 1,
        "women": 6,
        "spend_eur": 1500.5,
        "notes": "first cohort",
    },
    {
        "programme_id": "ARA-1",
        "period": "2025-04",
        "enrolled": 12,
        "completed": 12,
        "certified": None,
        "dropped_out": None,
        "women": None,
        "spend_eur": None,
        "notes": None,
    },
    {
        "programme_id": "ARA-2",
        "period": "2025-04",
        "enrolled": 20,
        "completed": 5,
        "certified": 5,
        "dropped_out": 0,
        "women": 10,
        "spend_eur": 300.0,
        "notes": "+3 late joiners",
    },
    {
        "programme_id": "CLJ-1",
        "period": "2025-05",
        "enrolled": 7,
        "completed": 3,
        "certified": None,
        "dropped_out": 2,
        "women": 4,
        "spend_eur": 0.0,
        "notes": "Formación básica – día 1",
    },
]


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def csv_sheet(*rows: str, headers: list[str] = HEADERS) -> bytes:
    return ("\n".join([",".join(headers), *rows]) + "\n").encode()


def uploads(engine: Engine) -> list[tuple[Any, ...]]:
    with session_scope(engine) as session:
        return [
            (
                u.id,
                u.file_name,
                u.kind,
                u.uploaded_by,
                u.outcome,
                u.rows_new,
                u.rows_changed,
                u.rows_unchanged,
                u.errors,
                u.warnings,
            )
            for u in session.scalars(select(UploadRow).order_by(UploadRow.id))
        ]


def revisions(engine: Engine) -> list[tuple[Any, ...]]:
    with session_scope(engine) as session:
        return [
            (r.programme_id, r.period, r.field, r.old_value, r.new_value, r.upload_id, r.changed_by)
            for r in session.scalars(select(RevisionRow).order_by(RevisionRow.id))
        ]


@pytest.mark.parametrize("extension", ["xlsx", "xlsm", "xls", "ods"])
def test_each_workbook_format_stores_the_same_rows(network_engine: Engine, extension: str) -> None:
    result = commit_upload(
        network_engine,
        fixture(f"progress_valid.{extension}"),
        f"march.{extension}",
        user="maria",
        today=TODAY,
    )
    assert result.outcome is UploadOutcome.COMMITTED
    assert stored_progress(network_engine) == VALID_STORED


def test_csv_stores_the_same_rows(network_engine: Engine) -> None:
    commit_upload(network_engine, fixture("progress_valid.csv"), "march.csv", today=TODAY)
    expected = [dict(row) for row in VALID_STORED]
    expected[2]["notes"] = "+3 late joiners, all women"
    assert stored_progress(network_engine) == expected


def test_upload_is_recorded_with_hash_user_counts_and_outcome(network_engine: Engine) -> None:
    data = fixture("progress_valid.xlsx")
    result = commit_upload(
        network_engine, data, "C:\\Users\\maria\\march.xlsx", user="maria", today=TODAY
    )
    assert result.message == "stored upload #1: 4 new, 0 changed, 0 unchanged rows"
    assert uploads(network_engine) == [
        (1, "march.xlsx", "progress", "maria", "committed", 4, 0, 0, 0, 0)
    ]
    with session_scope(network_engine) as session:
        upload = session.get(UploadRow, 1)
        assert upload is not None and upload.sha256 == result.report.sha256  # type: ignore[union-attr]
        stored_ids = set(session.scalars(select(ProgressRow.upload_id)))
    assert stored_ids == {1}


def test_committed_file_is_kept_under_its_hash_never_its_name(network_engine: Engine) -> None:
    data = fixture("progress_valid.xlsx")
    result = commit_upload(network_engine, data, "../../etc/evil name.xlsx", today=TODAY)
    assert result.report is not None
    kept = get_settings().data_dir / "uploads" / f"{result.report.sha256}.xlsx"
    assert kept.read_bytes() == data
    assert [p.name for p in kept.parent.iterdir()] == [kept.name]
    assert uploads(network_engine)[0][1] == "evil name.xlsx"


def test_same_file_twice_changes_nothing_and_says_so(network_engine: Engine) -> None:
    data = fixture("progress_valid.xlsx")
    commit_upload(network_engine, data, "march.xlsx", user="maria", today=TODAY)
    again = commit_upload(network_engine, data, "march-again.xlsx", user="juan", today=TODAY)
    assert again.outcome is UploadOutcome.DUPLICATE
    assert again.message.startswith("this file was already imported (upload #1, ")
    assert again.message.endswith(" by maria); nothing changed")
    assert stored_progress(network_engine) == VALID_STORED
    assert revisions(network_engine) == []
    assert [u[4] for u in uploads(network_engine)] == ["committed", "duplicate"]


def test_changed_values_become_revisions_with_who_and_which_upload(network_engine: Engine) -> None:
    commit_upload(
        network_engine, fixture("progress_valid.xlsx"), "march.xlsx", user="maria", today=TODAY
    )
    result = commit_upload(
        network_engine, fixture("progress_valid.csv"), "march.csv", user="juan", today=TODAY
    )
    assert result.report is not None
    assert (result.report.new, result.report.changed, result.report.unchanged) == (0, 1, 3)
    assert result.report.changes() == [
        {
            "programme_id": "ARA-2",
            "period": "2025-04",
            "row": 6,
            "field": "notes",
            "old": "+3 late joiners",
            "new": "+3 late joiners, all women",
        }
    ]
    assert revisions(network_engine) == [
        ("ARA-2", "2025-04", "notes", "+3 late joiners", "+3 late joiners, all women", 2, "juan")
    ]
    with session_scope(network_engine) as session:
        pointers = {
            period: upload_id
            for period, upload_id in session.execute(
                select(ProgressRow.period, ProgressRow.upload_id).where(
                    ProgressRow.programme_id == "ARA-2"
                )
            )
        }
    assert pointers == {"2025-04": 2}


def test_same_rows_in_another_format_are_unchanged(network_engine: Engine) -> None:
    commit_upload(network_engine, fixture("progress_valid.xlsx"), "march.xlsx", today=TODAY)
    report = dry_run(network_engine, fixture("progress_valid.ods"), "march.ods", today=TODAY)
    assert (report.new, report.changed, report.unchanged) == (0, 0, 4)


def test_a_blank_cell_replaces_a_reported_value_with_not_reported(network_engine: Engine) -> None:
    commit_upload(network_engine, csv_sheet("ARA-1,2025-01,5,4,3,,2,,"), "a.csv", today=TODAY)
    commit_upload(
        network_engine, csv_sheet("ARA-1,2025-01,6,4,,,2,,"), "b.csv", user="juan", today=TODAY
    )
    assert [(r[2], r[3], r[4]) for r in revisions(network_engine)] == [
        ("enrolled", "5", "6"),
        ("certified", "3", None),
    ]
    assert stored_progress(network_engine)[0]["certified"] is None


def test_a_missing_optional_column_leaves_stored_values_alone(network_engine: Engine) -> None:
    commit_upload(network_engine, csv_sheet("ARA-1,2025-01,5,4,3,1,2,100,ok"), "a.csv", today=TODAY)
    short = csv_sheet("ARA-1,2025-01,6,4", headers=HEADERS[:4])
    commit_upload(network_engine, short, "b.csv", today=TODAY)
    row = stored_progress(network_engine)[0]
    assert (row["enrolled"], row["certified"], row["spend_eur"], row["notes"]) == (
        6,
        3,
        100.0,
        "ok",
    )


def test_a_rejected_uploads_line_is_in_the_readers_language(network_engine: Engine) -> None:
    """The count takes the language's plural form (Polish has three); marked whole in the
    pseudo-language."""
    result = commit_upload(
        network_engine, fixture("progress_errors.xlsx"), "errors.xlsx", user="juan", today=TODAY
    )
    with use_language(PSEUDO_LANGUAGE):
        assert result.message == (
            "⟦nöthîng störéd: thé fîlé hås 18 érrörs; fîx thém ånd üplöåd ît ågåîn⟧"
        )


def test_file_with_errors_stores_nothing_but_its_rejected_upload(network_engine: Engine) -> None:
    result = commit_upload(
        network_engine, fixture("progress_errors.xlsx"), "errors.xlsx", user="juan", today=TODAY
    )
    assert result.outcome is UploadOutcome.REJECTED
    assert result.message == "nothing stored: the file has 18 errors; fix them and upload it again"
    assert stored_progress(network_engine) == []
    # Without a manager's limit the CLJ-1 row is valid: 2 rows would be new, 18 have errors.
    assert uploads(network_engine) == [
        (1, "errors.xlsx", "progress", "juan", "rejected", 2, 0, 0, 18, 3)
    ]


def test_a_failure_while_storing_rolls_everything_back(
    network_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows are inserted, then the commit fails: no row, no upload record and no kept
    copy of the file remain."""
    # The commit runs in a child: forked from this process, it sees the failing handler.
    monkeypatch.setattr(isolation, "_context", lambda: multiprocessing.get_context("fork"))
    real = ingest_pipeline.HANDLERS[SheetKind.PROGRESS]

    def store_then_fail(*args: Any) -> None:
        real.store(*args)
        raise RuntimeError("disk full")

    monkeypatch.setitem(
        ingest_pipeline.HANDLERS,
        SheetKind.PROGRESS,
        SheetHandler(check=real.check, store=store_then_fail),
    )
    with pytest.raises(RuntimeError, match="disk full"):
        commit_upload(network_engine, fixture("progress_valid.xlsx"), "march.xlsx", today=TODAY)
    assert stored_progress(network_engine) == []
    assert uploads(network_engine) == []
    assert not (get_settings().data_dir / "uploads").exists()


def test_a_manager_may_not_upload_programmes(network_engine: Engine) -> None:
    with pytest.raises(
        PermissionDeniedError, match="only administrators may upload a Programmes sheet"
    ):
        commit_upload(
            network_engine,
            fixture("programmes.xlsx"),
            "p.xlsx",
            manager_clusters=frozenset({"aragon-ai"}),
        )


def test_commit_is_in_the_audit_log(network_engine: Engine) -> None:
    commit_upload(
        network_engine, fixture("progress_valid.xlsx"), "march.xlsx", user="maria", today=TODAY
    )
    with session_scope(network_engine) as session:
        entries = session.scalars(select(AuditRow)).all()
        assert [(e.user_name, e.action, e.object) for e in entries] == [
            ("maria", "upload_commit", "upload 1: march.xlsx")
        ]
        assert '"outcome": "committed"' in (entries[0].detail or "")


def test_revisions_count_only_fields_that_changed(network_engine: Engine) -> None:
    commit_upload(network_engine, csv_sheet("ARA-1,2025-01,5,4,3,1,2,100,ok"), "a.csv", today=TODAY)
    commit_upload(
        network_engine, csv_sheet("ARA-1,2025-01,5,4,3,1,2,100.5,ok"), "b.csv", today=TODAY
    )
    with session_scope(network_engine) as session:
        assert session.scalar(select(func.count()).select_from(RevisionRow)) == 1
    assert revisions(network_engine)[0][2:5] == ("spend_eur", "100.0", "100.5")
