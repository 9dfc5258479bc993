"""Log-in and authorisation on the server: Flask's test client against the real create_app()."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import dash
import flask_login
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select, update
from werkzeug.exceptions import Forbidden
from werkzeug.test import TestResponse

from dashboard import auth, strings
from dashboard.app import create_app
from dashboard.auth import AuthUser, safe_next
from skills_roadmap import audit, users
from skills_roadmap.audit import AuditAction, AuditQuery
from skills_roadmap.domain import Role
from skills_roadmap.exceptions import ConfigurationError
from skills_roadmap.login_limits import PasswordChecks
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import get_engine, make_engine, session_scope, upgrade
from skills_roadmap.storage.tables import ClusterRow, RegionRow, SessionRow
from skills_roadmap.users import Permission

BASE = "https://localhost"
PASSWORD = "correct horse battery"
SECRET = "s" * 40
ROLES = ("admin", "official", "manager", "analyst")
ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."
ROUTER_OUTPUTS = [
    {"id": "_pages_content", "property": "children"},
    {"id": "_pages_store", "property": "data"},
]


CHEAP_HASHING = {
    "SKILLS_ROADMAP_PASSWORD_HASH_TIME_COST": "1",
    "SKILLS_ROADMAP_PASSWORD_HASH_MEMORY_KIB": "64",
}


@pytest.fixture(scope="module")
def accounts_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with one account per role (the manager's cluster: es24-ai).

    Built once per module; each test gets its own copy, which is much faster than migrating.
    """
    path = tmp_path_factory.mktemp("auth") / "accounts.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with session_scope(engine, write=True) as session:
        session.add(RegionRow(code="ES24", name="Aragón", country="ES", lat=41.5, lon=-0.7))
        session.flush()
        session.add(
            ClusterRow(id="es24-ai", name="AI cluster", region_code="ES24", helix_roles="industry")
        )
    with pytest.MonkeyPatch.context() as patch:
        for key, value in CHEAP_HASHING.items():
            patch.setenv(key, value)
        get_settings.cache_clear()
        for role in ROLES:
            clusters = ["es24-ai"] if role == "manager" else []
            users.create_user(engine, role, role, PASSWORD, clusters, by="test")
    get_settings.cache_clear()
    engine.dispose()
    return path


@pytest.fixture
def accounts(accounts_template: Path, tmp_path: Path) -> Iterator[Engine]:
    path = tmp_path / "accounts.sqlite"
    shutil.copyfile(accounts_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def configure(monkeypatch: pytest.MonkeyPatch, accounts: Engine) -> Iterator[Callable[..., None]]:
    """Point the settings at the test database, with cheap password hashing, plus overrides."""

    def apply(**overrides: str) -> None:
        values = {
            "SKILLS_ROADMAP_DATABASE_URL": accounts.url.render_as_string(hide_password=False),
            "SKILLS_ROADMAP_AUTH_ENABLED": "true",
            "SKILLS_ROADMAP_SECRET_KEY": SECRET,
            **CHEAP_HASHING,
            **{f"SKILLS_ROADMAP_{key}": value for key, value in overrides.items()},
        }
        for key, value in values.items():
            monkeypatch.setenv(key, value)
        get_settings.cache_clear()
        get_engine.cache_clear()

    apply()
    yield apply
    get_engine.cache_clear()


def permission_probe(permission: str) -> str:
    """A download-like route that needs the permission named in its URL."""
    auth.require(Permission(permission))
    return "ok"


def make_app(configure: Callable[..., None], **overrides: str) -> dash.Dash:
    configure(**overrides)
    app = create_app()
    app.server.add_url_rule("/probe/<permission>", "probe", permission_probe)
    return app


@pytest.fixture
def app(configure: Callable[..., None]) -> dash.Dash:
    return make_app(configure)


def get(client: FlaskClient, path: str, **kwargs: Any) -> TestResponse:
    return client.get(path, base_url=BASE, **kwargs)


def post(client: FlaskClient, path: str, origin: str | None = BASE, **kwargs: Any) -> TestResponse:
    headers = kwargs.pop("headers", {})
    if origin is not None:
        headers.setdefault("Origin", origin)
    return client.post(path, base_url=BASE, headers=headers, **kwargs)


def login(
    client: FlaskClient, name: str, password: str = PASSWORD, next_path: str = "/"
) -> TestResponse:
    return post(client, "/login", data={"name": name, "password": password, "next": next_path})


def signed_in(app: dash.Dash, name: str) -> FlaskClient:
    client = app.server.test_client()
    assert login(client, name).status_code == 303
    return client


def router_body(*inputs: tuple[str, str, str]) -> dict[str, Any]:
    """The Dash router callback's request, rendering the page named by the inputs."""
    return {
        "output": ROUTER_OUTPUT,
        "outputs": ROUTER_OUTPUTS,
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "changedPropIds": [],
        "state": [],
    }


def route_to(path: str) -> dict[str, Any]:
    return router_body(("_pages_location", "pathname", path), ("_pages_location", "search", ""))


def audit_actions(engine: Engine) -> list[tuple[str | None, str, str | None]]:
    """(user, action, object) of every audit entry, oldest first, without account creation."""
    entries = reversed(audit.query(engine, AuditQuery()))
    return [
        (e.user_name, e.action, e.object) for e in entries if e.action != AuditAction.USER_CREATE
    ]


def layout_text(client: FlaskClient) -> str:
    """The app shell's layout as text, with JSON escapes such as \\u002f decoded."""
    return json.dumps(json.loads(get(client, "/_dash-layout").get_data()), ensure_ascii=False)


# --- the role matrix: pages, the page router callback, permission-guarded routes -------------

PAGE_MATRIX = [
    # (path, role, status): every role reads; only admins open the audit log
    ("/", "admin", 200),
    ("/", "official", 200),
    ("/", "manager", 200),
    ("/", "analyst", 200),
    ("/audit", "admin", 200),
    ("/audit", "official", 403),
    ("/audit", "manager", 403),
    ("/audit", "analyst", 403),
    ("/periods", "admin", 200),  # the Months page: officials and admins approve months
    ("/periods", "official", 200),
    ("/periods", "manager", 403),
    ("/periods", "analyst", 403),
    ("/no-such-page", "official", 200),  # Dash's not-found page, readable by any role
    ("/no-such-page", "manager", 200),
    ("/upload", "admin", 200),  # the network workbook
    ("/upload", "manager", 200),  # progress sheets
    ("/upload", "official", 403),
    ("/upload", "analyst", 403),
]


@pytest.mark.parametrize(("path", "role", "status"), PAGE_MATRIX)
def test_page_address_is_allowed_or_refused_by_role(
    app: dash.Dash, path: str, role: str, status: int
) -> None:
    assert get(signed_in(app, role), path).status_code == status


@pytest.mark.parametrize(("path", "role", "status"), PAGE_MATRIX)
def test_page_router_callback_is_allowed_or_refused_by_role(
    app: dash.Dash, path: str, role: str, status: int
) -> None:
    response = post(signed_in(app, role), "/_dash-update-component", json=route_to(path))
    assert response.status_code == status


PERMISSION_MATRIX = [
    # (role, permission, status) of a route that calls require(permission)
    ("admin", "view", 200),
    ("admin", "export", 200),
    ("admin", "upload", 403),  # only managers upload progress
    ("admin", "admin", 200),
    ("official", "view", 200),
    ("official", "export", 200),
    ("official", "upload", 403),
    ("official", "admin", 403),
    ("manager", "view", 200),
    ("manager", "export", 200),
    ("manager", "upload", 200),
    ("manager", "admin", 403),
    ("analyst", "view", 200),
    ("analyst", "export", 200),
    ("analyst", "upload", 403),
    ("analyst", "admin", 403),
]


@pytest.mark.parametrize(("role", "permission", "status"), PERMISSION_MATRIX)
def test_download_route_requiring_a_permission_is_allowed_or_refused_by_role(
    app: dash.Dash, role: str, permission: str, status: int
) -> None:
    assert get(signed_in(app, role), f"/probe/{permission}").status_code == status


@pytest.mark.parametrize("role", ROLES)
def test_audit_log_callback_answers_admins_only(
    app: dash.Dash, accounts: Engine, role: str
) -> None:
    """The callback checks the role itself, whichever way the request reached it."""
    from dashboard.pages import audit as audit_page  # pages register only once an app exists

    user = AuthUser.from_user(users.get_user(accounts, role))  # type: ignore[arg-type]
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        flask_login.login_user(user)
        if role != "admin":
            with pytest.raises(Forbidden):
                audit_page.show_entries(None, None, None, None, None)
            return
        rows, actors, shown = audit_page.show_entries(None, "user_create", None, None, None)
    assert [row["object"] for row in rows] == ["analyst", "manager", "official", "admin"]
    assert actors == ["test"]
    assert shown == strings.AUDIT_SHOWN.format(count=4, limit=audit_page.ROW_LIMIT)


def test_every_registered_page_is_refused_to_roles_without_its_permission(
    app: dash.Dash,
) -> None:
    clients = {role: signed_in(app, role) for role in ROLES}
    for page in dash.page_registry.values():
        needed = auth.page_permissions(page)  # any one of them opens the page
        for role, client in clients.items():
            allowed = not needed.isdisjoint(users.ROLE_PERMISSIONS[Role(role)])
            status = get(client, page["relative_path"]).status_code
            assert status == (200 if allowed else 403), (page["path"], role)


# --- forged requests ----------------------------------------------------------------------


def test_callback_without_a_session_is_refused_and_not_audited(app: dash.Dash) -> None:
    client = app.server.test_client()
    assert post(client, "/_dash-update-component", json=route_to("/")).status_code == 401
    assert audit_actions(get_engine()) == []


@pytest.mark.parametrize(
    "path", ["/_dash-layout", "/_dash-dependencies", "/probe/view", "/probe/admin"]
)
def test_data_routes_without_a_session_are_refused(app: dash.Dash, path: str) -> None:
    assert get(app.server.test_client(), path).status_code == 401


def test_page_without_a_session_redirects_to_log_in_keeping_the_address(app: dash.Dash) -> None:
    response = get(app.server.test_client(), "/audit?year=2026")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/audit?year%3D2026"


@pytest.mark.parametrize(("role", "rendered"), [("admin", True), ("official", False)])
def test_the_first_layout_holds_the_opened_page_only_for_whoever_may_open_it(
    app: dash.Dash, role: str, rendered: bool
) -> None:
    client = signed_in(app, role)

    layout = get(client, "/_dash-layout", headers={"Referer": f"{BASE}/audit"})

    assert layout.status_code == 200
    assert ('"audit-grid"' in layout.get_data(as_text=True)) is rendered


def test_forged_router_callback_for_a_page_beyond_the_role_is_refused_and_audited(
    app: dash.Dash, accounts: Engine
) -> None:
    response = post(signed_in(app, "analyst"), "/_dash-update-component", json=route_to("/audit"))
    assert response.status_code == 403
    assert audit_actions(accounts)[-1] == (
        "analyst",
        "forbidden",
        "/_dash-update-component",
    )


def test_router_callback_with_the_path_under_another_id_is_still_judged(app: dash.Dash) -> None:
    """Dash maps callback inputs by position, so a renamed input must not slip past the gate."""
    body = router_body(("innocent", "value", "/audit"), ("_pages_location", "pathname", "/"))
    response = post(signed_in(app, "official"), "/_dash-update-component", json=body)
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Origin": BASE}, 200),
        ({"Referer": f"{BASE}/audit"}, 200),  # no Origin: the Referer decides
        ({"Origin": "https://evil.example"}, 403),
        ({"Origin": "https://localhost.evil.example"}, 403),
        ({"Origin": "null"}, 403),  # sandboxed frames and some redirects send "null"
        ({"Origin": "https://evil.example", "Referer": f"{BASE}/"}, 403),  # Origin wins
        ({"Referer": "https://evil.example/localhost"}, 403),
        ({}, 403),  # neither header: not from this site's pages
    ],
)
def test_state_changing_callback_must_come_from_this_site(
    app: dash.Dash, headers: dict[str, str], status: int
) -> None:
    client = signed_in(app, "admin")
    response = post(
        client, "/_dash-update-component", origin=None, headers=headers, json=route_to("/")
    )
    assert response.status_code == status


def test_cross_origin_callback_is_audited(app: dash.Dash, accounts: Engine) -> None:
    client = signed_in(app, "manager")
    post(client, "/_dash-update-component", origin="https://evil.example", json=route_to("/"))
    entry = audit.query(accounts, AuditQuery(action=AuditAction.FORBIDDEN))[0]
    assert (entry.user_name, entry.object) == ("manager", "/_dash-update-component")
    assert json.loads(entry.detail or "{}") == {
        "method": "POST",
        "reason": "cross-origin request (Origin/Referer is not this site)",
    }


def test_cross_origin_log_in_is_refused(app: dash.Dash) -> None:
    client = app.server.test_client()
    response = post(
        client,
        "/login",
        origin="https://evil.example",
        data={"name": "admin", "password": PASSWORD},
    )
    assert response.status_code == 403
    assert get(client, "/").status_code == 302


# --- log-in, log-out, session ---------------------------------------------------------------


def test_log_in_form_is_plain_accessible_html(app: dash.Dash) -> None:
    html = get(app.server.test_client(), "/login?next=/audit").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert '<label class="form-label" for="name">User name</label>' in html
    assert 'autocomplete="current-password"' in html
    assert '<input type="hidden" name="next" value="/audit">' in html


def test_log_in_then_log_out_is_audited(app: dash.Dash, accounts: Engine) -> None:
    client = signed_in(app, "official")
    assert get(client, "/").status_code == 200
    response = post(client, "/logout")
    assert (response.status_code, response.headers["Location"]) == (303, "/login")
    assert get(client, "/").status_code == 302
    assert audit_actions(accounts) == [("official", "login", None), ("official", "logout", None)]


@pytest.mark.parametrize(
    ("name", "password"),
    [
        ("admin", "wrong password"),
        ("nobody", PASSWORD),  # unknown name: same answer as a wrong password
        ("Admin", PASSWORD),  # names are exact
        ("", ""),
    ],
)
def test_failed_log_in_says_the_same_thing_and_is_audited(
    app: dash.Dash, accounts: Engine, name: str, password: str
) -> None:
    client = app.server.test_client()
    response = login(client, name, password)
    assert response.status_code == 401
    assert strings.LOGIN_FAILED in response.get_data(as_text=True)
    assert audit_actions(accounts) == [(name or None, "login_failed", None)]
    assert get(client, "/").status_code == 302


def test_session_cookie_is_httponly_samesite_lax_secure_and_host_only(app: dash.Dash) -> None:
    response = login(app.server.test_client(), "admin")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-skills_roadmap=")
    for flag in ("HttpOnly", "SameSite=Lax", "Secure", "Path=/"):
        assert flag in cookie
    assert "Domain" not in cookie


def test_session_cookie_is_not_secure_only_when_turned_off_for_development(
    accounts: Engine, configure: Callable[..., None]
) -> None:
    app = make_app(configure, SESSION_COOKIE_SECURE="false")
    cookie = login(app.server.test_client(), "admin").headers["Set-Cookie"]
    assert cookie.startswith("skills_roadmap=")
    assert "Secure" not in cookie
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def session_of(app: dash.Dash, client: FlaskClient) -> dict[str, Any]:
    cookie = client.get_cookie("__Host-skills_roadmap", domain="localhost")
    assert cookie is not None
    serializer = app.server.session_interface.get_signing_serializer(app.server)
    return dict(serializer.loads(cookie.value))


def test_log_in_starts_a_new_session_so_a_planted_one_is_useless(app: dash.Dash) -> None:
    """Session fixation: whatever session the visitor had before is not carried over."""
    serializer = app.server.session_interface.get_signing_serializer(app.server)
    planted = serializer.dumps({"planted": "by an attacker", "sid": "known-to-attacker"})
    victim = app.server.test_client()
    victim.set_cookie("__Host-skills_roadmap", planted, domain="localhost")
    assert login(victim, "admin").status_code == 303
    session = session_of(app, victim)
    assert "planted" not in session
    assert session["_user_id"] == "admin"
    assert session["sid"] not in ("known-to-attacker", "")
    attacker = app.server.test_client()
    attacker.set_cookie("__Host-skills_roadmap", planted, domain="localhost")
    assert get(attacker, "/").status_code == 302


def test_each_log_in_gets_a_different_session_id(app: dash.Dash) -> None:
    first, second = signed_in(app, "admin"), signed_in(app, "admin")
    assert session_of(app, first)["sid"] != session_of(app, second)["sid"]


def test_disabled_user_loses_access_on_the_next_request(app: dash.Dash, accounts: Engine) -> None:
    client = signed_in(app, "official")
    assert get(client, "/").status_code == 200
    users.disable_user(accounts, "official", by="admin")
    assert get(client, "/").status_code == 302
    assert post(client, "/_dash-update-component", json=route_to("/")).status_code == 401


def copy_of_cookie(app: dash.Dash, client: FlaskClient) -> FlaskClient:
    """Another browser holding the same session cookie (as a thief would)."""
    cookie = client.get_cookie("__Host-skills_roadmap", domain="localhost")
    assert cookie is not None
    thief = app.server.test_client()
    thief.set_cookie("__Host-skills_roadmap", cookie.value, domain="localhost")
    return thief


def test_a_cookie_copied_before_log_out_is_refused_after_it(app: dash.Dash) -> None:
    client = signed_in(app, "official")
    thief = copy_of_cookie(app, client)
    assert get(thief, "/_dash-layout").status_code == 200

    assert post(client, "/logout").status_code == 303

    assert get(thief, "/_dash-layout").status_code == 401
    assert get(thief, "/").status_code == 302


def test_a_new_password_ends_the_users_other_sessions(app: dash.Dash, accounts: Engine) -> None:
    official, admin = signed_in(app, "official"), signed_in(app, "admin")

    users.set_password(accounts, "official", "another horse battery staple", by="admin")

    assert get(official, "/_dash-layout").status_code == 401
    assert get(admin, "/_dash-layout").status_code == 200


def test_the_database_holds_only_a_hash_of_the_session_id(app: dash.Dash, accounts: Engine) -> None:
    client = signed_in(app, "official")
    session_id = session_of(app, client)["sid"]

    with session_scope(accounts) as session:
        stored = session.scalars(select(SessionRow.id_hash)).all()

    assert stored == [hashlib.sha256(session_id.encode()).hexdigest()]


def test_an_expired_session_is_refused(app: dash.Dash, accounts: Engine) -> None:
    client = signed_in(app, "official")
    with session_scope(accounts, write=True) as session:
        session.execute(update(SessionRow).values(expires_at=datetime.now(UTC)))

    assert get(client, "/_dash-layout").status_code == 401


def test_demoted_admin_loses_admin_pages_on_the_next_request(
    app: dash.Dash, accounts: Engine
) -> None:
    client = signed_in(app, "admin")
    assert get(client, "/audit").status_code == 200
    users.set_role(accounts, "admin", Role.ANALYST, by="test")
    assert get(client, "/audit").status_code == 403
    assert get(client, "/").status_code == 200


def test_navbar_names_the_user_offers_log_out_and_hides_pages_beyond_the_role(
    app: dash.Dash,
) -> None:
    analyst = layout_text(signed_in(app, "analyst"))
    admin = layout_text(signed_in(app, "admin"))
    assert "Signed in as analyst (analyst)" in analyst
    assert '"action": "/logout"' in analyst and '"method": "post"' in analyst
    assert '"href": "/audit"' not in analyst
    assert '"href": "/audit"' in admin


# --- open redirects -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/audit", "/audit"),
        ("/audit?region=ES24&level=basic", "/audit?region=ES24&level=basic"),
        ("/%2F%2Fevil.example", "/%2F%2Fevil.example"),  # encoded: stays a path on this site
        (None, "/"),
        ("", "/"),
        ("audit", "/"),  # relative without a slash
        ("//evil.example", "/"),  # scheme-relative: another host
        ("///evil.example", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/\\evil.example", "/"),  # browsers read \ as /
        ("\\\\evil.example", "/"),
        ("/\t/evil.example", "/"),  # browsers drop tabs and newlines
        ("/\n/evil.example", "/"),
        (" /audit", "/"),
    ],
)
def test_next_address_is_kept_only_when_it_is_a_path_on_this_site(
    target: str | None, expected: str
) -> None:
    assert safe_next(target) == expected


@pytest.mark.parametrize(
    ("next_path", "location"),
    [("/audit", "/audit"), ("//evil.example/login", "/"), ("https://evil.example", "/")],
)
def test_log_in_redirects_only_to_this_site(app: dash.Dash, next_path: str, location: str) -> None:
    response = login(app.server.test_client(), "admin", next_path=next_path)
    assert (response.status_code, response.headers["Location"]) == (303, location)


# --- log-in limits --------------------------------------------------------------------------

ELSEWHERE = "192.0.2.7"


def login_from(client: FlaskClient, address: str, name: str, password: str) -> TestResponse:
    return post(
        client,
        "/login",
        data={"name": name, "password": password, "next": "/"},
        environ_base={"REMOTE_ADDR": address},
    )


class Clock:
    """The log-in limits' clock, moved by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def gate_of(app: dash.Dash) -> auth.Gate:
    gate = app.server.extensions[auth.EXTENSION]
    assert isinstance(gate, auth.Gate)
    return gate


def stopped_clock(app: dash.Dash) -> Clock:
    """Stop the log-in limits' clock; they write refused attempts at once."""
    clock = Clock()
    limits = gate_of(app).login_limits()
    limits.clock, limits.summary_delay = clock, 0
    return clock


def test_log_in_after_failures_waits_a_growing_delay_then_works(
    accounts: Engine, configure: Callable[..., None]
) -> None:
    app = make_app(configure, LOGIN_MAX_FAILURES="3")
    clock = stopped_clock(app)
    client = app.server.test_client()
    assert [login(client, "admin", "wrong").status_code for _ in range(3)] == [401, 401, 401]

    refused = login(client, "admin")  # the right password, but too early
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "1")
    assert strings.LOGIN_THROTTLED.format(wait="1 s") in refused.get_data(as_text=True)
    assert login(client, "official").status_code == 303  # another name from this address
    assert login_from(app.server.test_client(), ELSEWHERE, "admin", PASSWORD).status_code == 303

    clock.now += timedelta(seconds=1)
    assert login(app.server.test_client(), "admin").status_code == 303  # the owner, in time
    assert [a for _, a, _ in audit_actions(accounts)] == [
        "login_failed",
        "login_failed",
        "login_failed",
        "login_throttled",
        "login",
        "login",
        "login",
    ]


def test_refused_log_ins_are_one_audit_entry_that_counts_them(
    accounts: Engine, configure: Callable[..., None]
) -> None:
    app = make_app(configure, LOGIN_MAX_FAILURES="2")
    stopped_clock(app)
    client = app.server.test_client()
    statuses = [login(client, "admin", "wrong").status_code for _ in range(12)]

    assert statuses == [401, 401] + [429] * 10
    entries = audit.query(accounts, AuditQuery(action=AuditAction.LOGIN_THROTTLED))
    assert [(e.user_name, json.loads(e.detail or "{}")) for e in entries] == [
        (
            "admin",
            {
                "limit": "name_address",
                "address": "127.0.0.1",
                "attempts": 10,
                "last": "2026-03-02T09:00:00+00:00",
            },
        )
    ]


def test_failures_elsewhere_never_delay_the_owner_at_an_address_they_signed_in_from(
    accounts: Engine, configure: Callable[..., None]
) -> None:
    app = make_app(configure, LOGIN_NAME_MAX_FAILURES="3", LOGIN_TOTAL_MAX_FAILURES="3")
    stopped_clock(app)
    assert login(app.server.test_client(), "admin").status_code == 303  # from 127.0.0.1
    attacker = app.server.test_client()
    tries = [login_from(attacker, f"198.51.100.{i}", "admin", "guess") for i in range(10)]

    assert [r.status_code for r in tries] == [401] * 3 + [429] * 7
    assert login_from(attacker, ELSEWHERE, "official", PASSWORD).status_code == 429  # total
    assert login(app.server.test_client(), "admin").status_code == 303


def test_log_in_that_finds_every_password_check_taken_is_turned_away_without_hashing(
    accounts: Engine, configure: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(configure, LOGIN_CONCURRENT_CHECKS="1")
    stopped_clock(app)
    gate = gate_of(app)
    gate.password_checks = PasswordChecks(slots=1, wait_seconds=0.01)
    checked: list[str] = []
    authenticate = users.authenticate

    def counting_authenticate(engine: Engine, name: str, password: str) -> users.User | None:
        checked.append(name)
        return authenticate(engine, name, password)

    monkeypatch.setattr(users, "authenticate", counting_authenticate)

    with gate.password_checks.slot():  # the one slot is busy (the test's own thread holds it)
        busy = login(app.server.test_client(), "admin")

    assert (busy.status_code, busy.headers["Retry-After"]) == (429, "3")
    assert strings.LOGIN_BUSY in busy.get_data(as_text=True)
    assert checked == []
    assert login(app.server.test_client(), "admin").status_code == 303  # not counted as failed
    assert checked == ["admin"]
    entry = audit.query(accounts, AuditQuery(action=AuditAction.LOGIN_THROTTLED))[0]
    assert json.loads(entry.detail or "{}") == {
        "limit": "busy",
        "attempts": 1,
        "last": "2026-03-02T09:00:00+00:00",
    }


def test_the_owner_at_a_known_address_is_checked_while_a_flood_holds_every_slot(
    accounts: Engine, configure: Callable[..., None]
) -> None:
    app = make_app(configure, LOGIN_CONCURRENT_CHECKS="1")
    stopped_clock(app)
    gate = gate_of(app)
    gate.password_checks = PasswordChecks(slots=1, wait_seconds=0.01)
    assert login(app.server.test_client(), "admin").status_code == 303  # 127.0.0.1: known

    with gate.password_checks.slot():  # the flood holds the one shared slot
        owner = login(app.server.test_client(), "admin")
        stranger = login(app.server.test_client(), "official")  # never signed in from here

    assert (owner.status_code, stranger.status_code) == (303, 429)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.2, "1 s"), (1, "1 s"), (59.5, "60 s"), (60, "60 s"), (61, "2 min"), (300, "5 min")],
)
def test_a_wait_is_said_in_whole_seconds_up_to_a_minute_then_in_minutes(
    seconds: float, text: str
) -> None:
    assert auth.wait_text(seconds) == text


# --- local single-user mode and configuration -----------------------------------------------


@pytest.fixture
def local_app(configure: Callable[..., None]) -> dash.Dash:
    return make_app(configure, AUTH_ENABLED="false", SECRET_KEY="")


def test_local_mode_user_has_every_permission_and_the_header_says_so(local_app: dash.Dash) -> None:
    client = local_app.server.test_client()
    assert client.get("/audit").status_code == 200
    assert client.get("/probe/upload").status_code == 200
    assert client.get("/probe/admin").status_code == 200
    assert strings.LOCAL_MODE_NOTICE in layout_text(client)
    assert client.get("/login").headers["Location"] == "/"


@pytest.mark.parametrize(
    ("remote", "host", "status"),
    [
        ("127.0.0.1", "localhost", 200),
        ("::1", "[::1]:8050", 200),
        ("127.0.0.1", "127.0.0.1:8050", 200),
        ("192.0.2.7", "localhost", 403),  # another computer
        ("127.0.0.1", "rebound.evil.example", 403),  # DNS rebinding from a web page
    ],
)
def test_local_mode_answers_only_this_computer(
    local_app: dash.Dash, remote: str, host: str, status: int
) -> None:
    client = local_app.server.test_client()
    response = client.get("/", headers={"Host": host}, environ_base={"REMOTE_ADDR": remote})
    assert response.status_code == status


def test_local_mode_on_the_network_only_when_explicitly_allowed(
    configure: Callable[..., None],
) -> None:
    app = make_app(configure, AUTH_ENABLED="false", ALLOW_REMOTE_WITHOUT_AUTH="true")
    client = app.server.test_client()
    response = client.get("/", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert response.status_code == 200


def test_log_in_without_a_secret_key_refuses_to_start(configure: Callable[..., None]) -> None:
    configure(SECRET_KEY="")
    with pytest.raises(ConfigurationError, match="SKILLS_ROADMAP_SECRET_KEY"):
        create_app()


def test_public_routes_need_no_session(app: dash.Dash) -> None:
    client = app.server.test_client()
    assert get(client, "/login").status_code == 200
    assert get(client, "/healthz").get_data(as_text=True) == "OK"
    assert get(client, "/assets/bootstrap.min.css").status_code == 200


def test_responses_forbid_framing_and_sniffing(app: dash.Dash) -> None:
    headers = get(app.server.test_client(), "/login").headers
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"].split("; ")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_request_over_the_size_limit_is_refused_with_413(
    accounts: Engine, configure: Callable[..., None]
) -> None:
    app = make_app(configure, UPLOAD_MAX_BYTES="3000")  # limit: 4,000 + 1 MiB
    client = signed_in(app, "manager")
    body = b'{"output": "' + b"x" * (4_000 + 1024 * 1024) + b'"}'
    response = post(client, "/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 413


def test_a_signed_in_users_language_switch_is_remembered_on_their_account(
    app: dash.Dash, accounts: Engine
) -> None:
    client = signed_in(app, "manager")

    response = get(client, "/language/el")

    assert response.status_code == 303
    assert users.get_user(accounts, "manager").language == "el"  # type: ignore[union-attr]
    assert users.get_user(accounts, "official").language is None  # type: ignore[union-attr]


def test_signing_in_opens_in_the_language_the_user_chose_elsewhere(
    app: dash.Dash, accounts: Engine
) -> None:
    users.set_language(accounts, "official", "fi")
    client = app.server.test_client()

    response = login(client, "official")
    page = get(client, "/")

    assert "lang=fi" in response.headers["Set-Cookie"]
    assert '<html lang="fi"' in page.get_data(as_text=True)


def test_a_visitors_language_switch_remembers_nothing_on_any_account(
    app: dash.Dash, accounts: Engine
) -> None:
    response = get(app.server.test_client(), "/language/de")

    assert response.status_code == 303
    assert [u.language for u in users.list_users(accounts)] == [None] * len(ROLES)
