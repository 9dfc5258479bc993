"""The audit log: entries are written with their transaction and found again by filters."""

from __future__ import annotations

import getpass
from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine

from skills_roadmap import audit
from skills_roadmap.audit import AuditAction, AuditEntry, AuditQuery
from skills_roadmap.storage import session_scope
from skills_roadmap.storage.tables import AuditRow


def test_record_with_an_engine_writes_one_entry_now_in_utc(engine: Engine) -> None:
    before = datetime.now(UTC)
    audit.record(engine, "ann", AuditAction.EXPORT, "report.xlsx", "region ES24")
    after = datetime.now(UTC)
    [entry] = audit.query(engine)
    assert (entry.user_name, entry.action, entry.object, entry.detail) == (
        "ann",
        "export",
        "report.xlsx",
        "region ES24",
    )
    assert before <= entry.at <= after


def test_record_in_a_session_is_undone_with_its_transaction(engine: Engine) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), session_scope(engine, write=True) as session:
        audit.record(session, "mia", AuditAction.UPLOAD_COMMIT, "march.xlsx")
        raise Boom
    assert audit.query(engine) == []


def test_mapping_detail_is_stored_as_sorted_json(engine: Engine) -> None:
    audit.record(engine, "mia", AuditAction.UPLOAD_DRY_RUN, "m.xlsx", {"rows": 3, "errors": 0})
    assert audit.query(engine)[0].detail == '{"errors": 0, "rows": 3}'


def test_overlong_user_and_object_are_cut_to_the_column_width(engine: Engine) -> None:
    audit.record(engine, "u" * 100, AuditAction.LOGIN_FAILED, "o" * 500)
    [entry] = audit.query(engine)
    assert (entry.user_name, entry.object) == ("u" * 64, "o" * 200)


def add_entry(
    engine: Engine, at: str, user: str | None, action: str, obj: str, detail: str
) -> None:
    with session_scope(engine, write=True) as session:
        session.add(
            AuditRow(
                at=datetime.fromisoformat(at).replace(tzinfo=UTC),
                user_name=user,
                action=action,
                object=obj,
                detail=detail,
            )
        )


@pytest.fixture
def history(engine: Engine) -> Engine:
    """Six entries over three days (ids 1–6 in time order)."""
    for row in [
        ("2026-03-01 08:00:00", "ann", "login", "", '{"address": "10.0.0.1"}'),
        ("2026-03-01 23:59:59", "mia", "upload_dry_run", "march_100%.xlsx", "rows 12"),
        ("2026-03-02 00:00:00", "mia", "upload_commit", "march_100%.xlsx", "rows 12"),
        ("2026-03-02 12:00:00", None, "login_failed", "", '{"address": "192.0.2.7"}'),
        ("2026-03-03 09:30:00", "ada", "user_create", "olaf", '{"role": "official"}'),
        ("2026-03-03 10:00:00", "ann", "export", "report_ES24.pdf", "region ES24"),
    ]:
        add_entry(engine, *row)
    return engine


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        ({}, [6, 5, 4, 3, 2, 1]),  # newest first
        ({"user": "mia"}, [3, 2]),
        ({"action": "login"}, [1]),  # exact action: not login_failed
        ({"since": date(2026, 3, 2)}, [6, 5, 4, 3]),
        ({"until": date(2026, 3, 1)}, [2, 1]),  # the whole last day, up to 23:59:59
        ({"since": date(2026, 3, 2), "until": date(2026, 3, 2)}, [4, 3]),
        ({"text": "es24"}, [6]),  # object or detail, any case
        ({"text": "192.0.2"}, [4]),
        ({"text": "100%"}, [3, 2]),  # % is a character, not a wildcard
        ({"text": "rows_12"}, []),  # _ likewise: "rows 12" does not match
        ({"user": "ann", "action": "export"}, [6]),
        ({"limit": 2}, [6, 5]),
    ],
)
def test_query_filters_combine(history: Engine, filters: dict[str, object], ids: list[int]) -> None:
    assert [e.id for e in audit.query(history, AuditQuery.model_validate(filters))] == ids


def test_query_returns_whole_entries_with_utc_times(history: Engine) -> None:
    assert audit.query(history, AuditQuery(action=AuditAction.USER_CREATE)) == [
        AuditEntry(
            id=5,
            at=datetime(2026, 3, 3, 9, 30, tzinfo=UTC),
            user_name="ada",
            action="user_create",
            object="olaf",
            detail='{"role": "official"}',
        )
    ]


def test_actors_are_the_distinct_named_users(history: Engine) -> None:
    assert audit.actors(history) == ["ada", "ann", "mia"]


@pytest.mark.parametrize(
    "filters",
    [
        {"action": "delete_everything"},
        {"text": "x" * 201},
        {"since": "yesterday"},
        {"limit": 0},
        {"order_by": "at"},  # unknown filters are refused, not ignored
    ],
)
def test_query_refuses_filters_it_does_not_understand(filters: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        AuditQuery.model_validate(filters)


def test_command_line_changes_name_the_operating_system_user() -> None:
    assert audit.command_line_actor() == f"cli:{getpass.getuser()}"


def test_audit_log_works_the_same_on_each_backend(any_engine: Engine) -> None:
    audit.record(any_engine, "ann", AuditAction.EXPORT, "report_100%.csv", {"rows": 5})
    audit.record(any_engine, "mia", AuditAction.UPLOAD_COMMIT, "march.xlsx")
    today = datetime.now(UTC).date()
    found = audit.query(any_engine, AuditQuery(text="100%", since=today, until=today))
    assert [(e.user_name, e.action, e.detail) for e in found] == [("ann", "export", '{"rows": 5}')]
    assert found[0].at.tzinfo is not None


def test_control_characters_are_left_out_of_an_entry(any_engine: Engine) -> None:
    """A NUL in a request path or a typed name was a 500 on PostgreSQL."""
    audit.record(any_engine, "ma\x00ria", AuditAction.FORBIDDEN, "/x\x00y\n", "why\x1b[2J")

    [entry] = audit.query(any_engine, AuditQuery())
    assert (entry.user_name, entry.object, entry.detail) == ("maria", "/xy", "why[2J")
