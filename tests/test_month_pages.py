"""The web side of month approval, callbacks called as functions: the Upload page's "Months"
section (a manager submits their clusters' months) and the Months page (officials approve or
return, administrators close and reopen), each step refused on the server to anyone not
allowed it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dash
import flask_login
import pytest
from ingest_helpers import TODAY
from sqlalchemy import Engine
from test_dashboard_callbacks import text
from upload_helpers import PASSWORD, add_accounts, configure, progress_csv
from werkzeug.exceptions import Forbidden

from dashboard.app import create_app
from dashboard.auth import LOCAL_ACCOUNT, AuthUser
from skills_roadmap import audit, users
from skills_roadmap.audit import AuditQuery
from skills_roadmap.ingest import commit_upload
from skills_roadmap.storage import get_engine
from skills_roadmap.storage.periods import close_period, closed_periods
from skills_roadmap.storage.submissions import submissions

MARCH = [("ARA-1", "2025-03", 12, 10), ("ARA-2", "2025-03", 5, 4), ("CLJ-1", "2025-03", 3, 2)]
ARAGON = {"type": "month-submit", "key": "2025-03 aragon-ai"}
CLUJ = {"type": "month-submit", "key": "2025-03 cluj-it"}


@pytest.fixture
def months_app(
    network_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[dash.Dash, Engine]]:
    """The dashboard with log-in and month approval on, March reported by every programme;
    accounts maria (aragon-ai), mihai (both clusters), olga (official), adam (admin)."""
    monkeypatch.setenv("SKILLS_ROADMAP_MONTH_APPROVAL", "true")
    configure(monkeypatch, network_engine, auth=True)
    add_accounts(network_engine)
    users.create_user(network_engine, "adam", "admin", PASSWORD, by="test")
    commit_upload(network_engine, progress_csv(MARCH), "march.csv", today=TODAY)
    yield create_app(), network_engine
    get_engine.cache_clear()


def account(engine: Engine, name: str) -> AuthUser:
    user = users.get_user(engine, name)
    assert user is not None
    return AuthUser.from_user(user)


def signed_in_as(engine: Engine, name: str) -> None:
    flask_login.login_user(account(engine, name))


def words(component: Any) -> str:
    """The text of a component, its spaces as one."""
    return " ".join(text(component).split())


def key(period: str, cluster: str) -> str:
    return f"{period} {cluster}"


def test_a_manager_sees_and_submits_only_the_months_of_their_own_clusters(
    months_app: tuple[dash.Dash, Engine],
) -> None:
    app, engine = months_app
    from dashboard.components import month_states

    with app.server.test_request_context("/_dash-update-component", method="POST"):
        signed_in_as(engine, "maria")
        user = flask_login.current_user
        section = month_states.month_states_section(user)
        table = month_states.months_of(user)
        state, disabled = month_states.submit_month(1, ARAGON)
        with pytest.raises(Forbidden):  # mihai's other cluster, a forged button
            month_states.submit_month(1, CLUJ)
        with pytest.raises(Forbidden):
            month_states.submit_month(1, {"type": "month-submit", "key": "March aragon-ai"})
        again, still = month_states.submit_month(1, ARAGON)
        signed_in_as(engine, "olga")
        with pytest.raises(Forbidden):  # an official does not submit
            month_states.submit_month(1, ARAGON)

    assert table[["period", "cluster_id", "due", "reported", "state"]].values.tolist() == [
        ["2025-03", "aragon-ai", 2, 2, "not_submitted"]
    ]
    assert "Months" in text(section) and "Not submitted" in text(section)
    assert words(state).startswith("Submitted by maria on ") and disabled is True
    assert words(again) == (
        "2025-03 of aragon-ai is submitted (by maria): it can be submitted again only once an "
        "official returns it"
    )
    assert still is False
    refused = [entry.object for entry in audit.query(engine, AuditQuery(action="forbidden"))]
    assert refused == ["/_dash-update-component"] * 3
    assert [(s.cluster_id, s.state.value) for s in submissions(engine)] == [
        ("aragon-ai", "submitted")
    ]


def test_an_official_returns_with_a_comment_and_approves_and_an_admin_then_closes(
    months_app: tuple[dash.Dash, Engine],
) -> None:
    app, engine = months_app
    from dashboard.components import month_states
    from dashboard.pages import periods

    aragon = {"type": periods.APPROVE, "key": key("2025-03", "aragon-ai")}
    cluj = {"type": periods.APPROVE, "key": key("2025-03", "cluj-it")}
    march = {"type": periods.CLOSE, "period": "2025-03"}
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        signed_in_as(engine, "mihai")
        month_states.submit_month(1, ARAGON)
        month_states.submit_month(1, CLUJ)
        with pytest.raises(Forbidden):  # a manager does not approve
            periods.approve_month(1, aragon)
        signed_in_as(engine, "olga")
        page = periods.layout()
        unknown = periods.layout(month="1999-01")  # not a reported month: the latest is shown
        no_comment, kept = periods.return_month(1, "  ", aragon)
        returned, cleared = periods.return_month(1, "ARA-2 lacks women", aragon)
        with pytest.raises(Forbidden):  # an official does not close
            periods.close_month(1, march)
        periods.approve_month(1, cluj)
        signed_in_as(engine, "mihai")
        shown = month_states.month_states_section(flask_login.current_user)
        month_states.submit_month(1, ARAGON)
        signed_in_as(engine, "adam")
        early = periods.close_month(1, march)
        approved = periods.approve_month(1, aragon)
        closed = periods.close_month(1, march)
        no_reason = periods.reopen_month(1, " ", {"type": periods.REOPEN, "period": "2025-03"})

    assert "March 2025: clusters" in text(page) and "Approve" in text(page)
    assert "Reopen" not in text(page)  # an official does not close or reopen
    assert "March 2025: clusters" in text(unknown)
    assert words(no_comment) == (
        'a comment is needed to return a month: say what aragon-ai must fix (--comment "...")'
    )
    assert kept is dash.no_update
    assert words(returned).startswith("Returned by olga on ") and cleared == ""
    assert words(returned).endswith("Comment: ARA-2 lacks women")
    assert "Comment: ARA-2 lacks women" in text(shown)  # the manager sees why
    assert words(early[0]) == (
        "2025-03 cannot be closed before every cluster due has it approved; not approved yet: "
        "aragon-ai (skills-roadmap periods status 2025-03)"
    )
    assert early[1:] == (False, True)
    assert words(approved).startswith("Approved by adam on ")
    assert (words(closed[0]), closed[1:]) == ("Closed closed by adam", (True, False))
    assert words(no_reason[0]) == "Say why the month is reopened."
    assert [item.period for item in closed_periods(engine)] == ["2025-03"]


def test_without_month_approval_the_upload_page_has_no_months_section(
    network_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, network_engine, auth=False)
    app = create_app()
    from dashboard.components import month_states
    from dashboard.pages import periods

    with app.server.test_request_context("/_dash-update-component", method="POST"):
        section = month_states.month_states_section(flask_login.current_user)
        local = month_states.month_states_section(None)
        page = text(periods.layout())
    get_engine.cache_clear()
    assert (section, local) == (None, None)
    assert "Month approval is off" in page


def test_an_admin_reopens_a_closed_month_with_a_reason(
    months_app: tuple[dash.Dash, Engine],
) -> None:
    app, engine = months_app
    from dashboard.pages import periods

    close_period(engine, "2025-03", "adam")
    reopen = {"type": periods.REOPEN, "period": "2025-03"}
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        signed_in_as(engine, "olga")
        with pytest.raises(Forbidden):  # an official does not reopen
            periods.reopen_month(1, "a late correction", reopen)
        signed_in_as(engine, "adam")
        reopened = periods.reopen_month(1, "a late correction", reopen)
        again = periods.reopen_month(1, "again", reopen)

    assert (words(reopened[0]), *reopened[1:]) == ("Complete", False, True, "")
    assert (words(again[0]), *again[1:]) == ("March 2025 is not closed.", False, True, "")
    assert closed_periods(engine) == []
    entries = audit.query(engine, AuditQuery(action="period_reopen"))
    assert [(entry.user_name, entry.detail) for entry in entries] == [
        ("adam", '{"reason": "a late correction"}')
    ]


def test_in_local_mode_the_months_section_lists_the_latest_month_of_every_cluster(
    network_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLS_ROADMAP_MONTH_APPROVAL", "true")
    configure(monkeypatch, network_engine, auth=False)
    add_accounts(network_engine)
    april = [("ARA-1", "2025-04", 14, 11)]
    commit_upload(network_engine, progress_csv(MARCH + april), "spring.csv", today=TODAY)
    app = create_app()
    from dashboard.components import month_states

    with app.server.test_request_context("/_dash-update-component", method="POST"):
        local = month_states.months_of(LOCAL_ACCOUNT)
        mihai = month_states.months_of(account(network_engine, "mihai"))
    get_engine.cache_clear()

    assert local[["period", "cluster_id", "reported", "due"]].values.tolist() == [
        ["2025-04", "aragon-ai", 1, 2],
        ["2025-04", "cluj-it", 0, 1],
    ]
    assert mihai[["period", "cluster_id"]].values.tolist() == [
        ["2025-04", "aragon-ai"],
        ["2025-04", "cluj-it"],
        ["2025-03", "aragon-ai"],
        ["2025-03", "cluj-it"],
    ]
