"""Log-in, log-out and the one gate every page, callback and download route passes.

The rest of the dashboard asks two questions, both answered here from the server's view of
the request (the browser is never trusted): ``current_user_or_none()`` — who is this — and
``require(permission)`` — may they do this, else 403 and an audit entry.

Rules of the gate when log-in is on (``install`` puts it in ``before_request``):

* the log-in and log-out routes, static assets and Dash's JavaScript bundles are public;
  everything else needs an active signed-in user, reloaded from the database on every
  request, so disabling or demoting someone takes effect on their next click;
* a page address, and the Dash router callback that renders a page, need the permission the
  page declares in ``dash.register_page(..., permission=...)`` (default ``view``; a list
  means any one of them);
* every other callback and route needs ``view``; callbacks and downloads that upload,
  export or administer call ``require`` for their own permission;
* a state-changing request (POST, …) must come from this site's own pages (Origin, or else
  Referer, names this host).

With log-in off (local single-user mode) the user is ``local`` with every permission, and
the app answers only requests from this computer, unless explicitly allowed otherwise.
"""

from __future__ import annotations

import logging
import math
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, NoReturn
from urllib.parse import urlsplit

import dash
import flask
import flask_login
from dash.exceptions import UnsupportedRelativePath
from flask import abort, current_app, redirect, request, session
from flask.typing import ResponseReturnValue
from sqlalchemy import Engine

from dashboard import headers, language, strings
from dashboard.context import app_context
from dashboard.dash_internals import CALLBACK_RULE, FAVICON_RULE, ID_CONTENT, path_to_page
from dashboard.pages.login import login_page
from skills_roadmap import audit, sessions, users
from skills_roadmap.audit import AuditAction
from skills_roadmap.domain import Role, User
from skills_roadmap.exceptions import ConfigurationError
from skills_roadmap.login_limits import (
    BUSY_RETRY_AFTER_SECONDS,
    Limit,
    LoginLimits,
    LoginRules,
    PasswordChecks,
    PasswordChecksBusy,
)
from skills_roadmap.serving import ENVIRON_USER, is_loopback_host, request_body_limit
from skills_roadmap.settings import Settings
from skills_roadmap.text import without_controls
from skills_roadmap.users import ALL_PERMISSIONS, LOCAL_USER, Permission

logger = logging.getLogger(__name__)

EXTENSION = "skills_roadmap.gate"

LOGIN_PATH = "/login"
LOGOUT_PATH = "/logout"
SESSION_ID = "sid"  # the cookie's key for the id of its session (see skills_roadmap.sessions)
PUBLIC_RULES = frozenset({LOGIN_PATH, LOGOUT_PATH, FAVICON_RULE, "/healthz", language.ROUTE})
PUBLIC_RULE_PREFIXES = headers.STATIC_PREFIXES
PAGE_RULES = frozenset({"/", "/<path:path>"})  # Dash's index and catch-all page routes
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
VIEW_ONLY = frozenset({Permission.VIEW})


@dataclass(frozen=True)
class AuthUser:
    """The signed-in user as the web app sees them; also Flask-Login's user object.

    ``manager_clusters`` are the clusters whose programmes the user may report progress for;
    None means every cluster (local single-user mode only).
    """

    name: str
    role: Role
    permissions: frozenset[Permission]
    manager_clusters: frozenset[str] | None

    is_authenticated = True
    is_active = True
    is_anonymous = False

    @classmethod
    def from_user(cls, user: User) -> AuthUser:
        return cls(
            name=user.name,
            role=user.role,
            permissions=users.permissions_of(user),
            manager_clusters=users.reporting_clusters(user),
        )

    def get_id(self) -> str:
        return self.name

    def may(self, permission: Permission) -> bool:
        return permission in self.permissions

    def may_any(self, permissions: Iterable[Permission]) -> bool:
        """Whether the user holds at least one of ``permissions``."""
        return not self.permissions.isdisjoint(permissions)


LOCAL_ACCOUNT = AuthUser(LOCAL_USER, Role.ADMIN, ALL_PERMISSIONS, None)


def safe_next(target: str | None) -> str:
    """``target`` if it is a path on this site, else ``/``: no open redirects.

    Accepted: a relative path starting with one ``/``, without a scheme or host, without
    backslashes, whitespace or control characters (browsers turn ``/\\evil`` or
    ``/<tab>/evil`` into ``//evil``, another host).
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def wait_text(seconds: float) -> str:
    """A wait as the log-in form says it: whole seconds up to a minute, else whole minutes."""
    if seconds <= 60:
        return strings.WAIT_SECONDS.format(count=max(1, math.ceil(seconds)))
    return strings.WAIT_MINUTES.format(count=math.ceil(seconds / 60))


def page_permissions(page: Mapping[str, Any]) -> frozenset[Permission]:
    """The permissions a registered Dash page declares (``permission=...``), default view;
    holding any one of them opens the page.

    A list serves a page that people of several roles open for different things (the Upload
    page: managers' progress, administrators' network workbooks).
    """
    declared = page.get("permission", Permission.VIEW)
    values = [declared] if isinstance(declared, str) else declared
    return frozenset(Permission(value) for value in values)


def current_user_or_none() -> AuthUser | None:
    """Who makes the current request: the local user when log-in is off, None if nobody.

    Outside a request, or in an app without ``install``, nobody: the gate fails closed.
    """
    if not flask.has_request_context() or EXTENSION not in current_app.extensions:
        return None
    if not current_app.extensions[EXTENSION].auth_enabled:
        return LOCAL_ACCOUNT
    user = flask_login.current_user
    return user if isinstance(user, AuthUser) else None


def keep_language(code: str) -> None:
    """Remember the language the signed-in user switched to on their account (their reminder
    mails are written in it); nothing to remember for a visitor or the local single-user
    mode's user, who has no account."""
    user = current_user_or_none()
    gate = current_app.extensions.get(EXTENSION)
    if user is not None and gate is not None and gate.auth_enabled:
        users.set_language(gate.engine, user.name, code)


def deny(user: AuthUser | None, reason: str) -> NoReturn:
    """Refuse the current request with 403; audited when the user is known, logged always.

    Anonymous refusals are only logged: anyone could otherwise fill the audit log.
    """
    path = request.path
    logger.warning("refused %s %s for %s: %s", request.method, path, user and user.name, reason)
    if user is not None and user.name != LOCAL_USER:
        detail = {"method": request.method, "reason": reason}
        audit.record(app_context().engine, user.name, AuditAction.FORBIDDEN, path, detail)
    abort(403, description=strings.FORBIDDEN_TEXT)


def require(permission: Permission) -> AuthUser:
    """The current user if they hold ``permission``; else 401 (nobody) or 403 (audited).

    Callbacks and download routes that upload, export or administer call this first.
    """
    user = current_user_or_none()
    if user is None:
        abort(401)
    if not user.may(permission):
        deny(user, f"needs permission {permission}")
    return user


def require_any(permissions: Iterable[Permission]) -> AuthUser:
    """The current user if they hold one of ``permissions``; else 401 or 403 (audited).

    For actions open to several roles that judge the details themselves (an upload: each
    sheet kind needs its own permission).
    """
    wanted = frozenset(permissions)
    user = current_user_or_none()
    if user is None:
        abort(401)
    if not user.may_any(wanted):
        deny(user, f"needs permission {needed_text(wanted)}")
    return user


def needed_text(permissions: Iterable[Permission]) -> str:
    """``admin``, or ``admin or upload``: what a refused request needed, for the audit log."""
    return " or ".join(sorted(permissions))


def _hostname(host: str) -> str:
    return (urlsplit(f"//{host}").hostname or "").lower()


def _same_origin() -> bool:
    """Whether a state-changing request comes from this site's pages (Origin, else Referer)."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source or source == "null":
        return False
    parts = urlsplit(source)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == request.host.lower()


class Gate:
    """The gate of one app: its settings, log-in limits, routes and ``before_request``."""

    def __init__(self, app: dash.Dash, settings: Settings, engine: Engine) -> None:
        self.app = app
        self.engine = engine  # accounts, sessions, log-in limits and the audit log
        self.auth_enabled = settings.auth_enabled
        self.allow_remote = settings.allow_remote_without_auth
        self.login_rules = LoginRules.from_settings(settings)
        self.password_checks = PasswordChecks(settings.login_concurrent_checks)
        self._limits: LoginLimits | None = None

    def page_permission_for(self, path: str) -> frozenset[Permission]:
        """The permissions (any one of them) of the page the Dash router renders at ``path``
        (404: view).

        A value that is no path under this app (the router fails on it too) needs view.
        """
        try:
            page, _ = path_to_page(self.app.strip_relative_path(path) or "")
        except UnsupportedRelativePath:
            return VIEW_ONLY
        return page_permissions(page) if page else VIEW_ONLY

    def _router_permissions(self) -> set[frozenset[Permission]]:
        # The router callback renders a page's layout from its first input; Dash maps inputs
        # by position, not by the ids a client sends, so every text value is judged as a path.
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or ID_CONTENT not in str(body.get("output", "")):
            return set()
        values = [
            item.get("value")
            for item in [*body.get("inputs", []), *body.get("state", [])]
            if isinstance(item, dict)
        ]
        return {self.page_permission_for(v) for v in values if isinstance(v, str)}

    def needed_permissions(self, rule: str | None) -> set[frozenset[Permission]]:
        """What the current request needs, beyond what its view checks itself: one of each
        set."""
        if rule in PAGE_RULES and request.method in SAFE_METHODS:
            return {self.page_permission_for(request.path)}
        if rule == CALLBACK_RULE:
            return {VIEW_ONLY, *self._router_permissions()}
        return {VIEW_ONLY}

    def _local_only(self) -> None:
        if self.allow_remote:
            return
        # Both: the client is this computer, and the address it used names this computer
        # (a web page whose DNS name is rebound to 127.0.0.1 sends its own host name).
        client, named = request.remote_addr or "", _hostname(request.host)
        if not (is_loopback_host(client) and is_loopback_host(named)):
            logger.warning("refused %s from %s in local mode", request.host, request.remote_addr)
            abort(403, description=strings.LOCAL_ONLY_TEXT)

    def guard(self) -> ResponseReturnValue | None:
        """``before_request``: let the request through (None) or refuse or redirect it."""
        if not self.auth_enabled:
            self._local_only()
            request.environ[ENVIRON_USER] = LOCAL_USER
            return None
        user = current_user_or_none()
        if request.method not in SAFE_METHODS and not _same_origin():
            deny(user, "cross-origin request (Origin/Referer is not this site)")
        rule = request.url_rule.rule if request.url_rule is not None else None
        if rule in PUBLIC_RULES or (rule or "").startswith(PUBLIC_RULE_PREFIXES):
            return None
        if user is None:
            if rule in PAGE_RULES and request.method in SAFE_METHODS:
                return redirect(flask.url_for("login", next=request.full_path.rstrip("?")))
            abort(401)
        request.environ[ENVIRON_USER] = user.name
        for permissions in sorted(self.needed_permissions(rule), key=sorted):
            if not user.may_any(permissions):
                deny(user, f"needs permission {needed_text(permissions)}")
        return None

    def load_user(self, name: str) -> AuthUser | None:
        """Flask-Login's user loader: the account as it is in the database right now, if the
        cookie's session is still open (not logged out, expired or ended by an admin)."""
        engine = self.engine
        if sessions.session_user(engine, session.get(SESSION_ID)) != name:
            return None
        user = users.get_active_user(engine, name)
        return None if user is None else AuthUser.from_user(user)

    def _login_form(self, next_path: str, name: str = "", error: str | None = None) -> str:
        return login_page(
            next_path=next_path,
            css_url=self.app.get_asset_url("bootstrap.min.css"),
            name=name,
            error=error,
        )

    def login_limits(self) -> LoginLimits:
        """The log-in limits on the configured database; kept from one request to the next
        (they remember when they last swept expired counts; tests set their clock)."""
        engine = self.engine
        if self._limits is None or self._limits.engine is not engine:
            self._limits = LoginLimits(engine, self.login_rules)
        return self._limits

    def _refuse_login(
        self, next_path: str, name: str, message: str, wait: float
    ) -> ResponseReturnValue:
        headers = {"Retry-After": str(max(1, math.ceil(wait)))}
        return self._login_form(next_path, name, message), 429, headers

    def login(self) -> ResponseReturnValue:
        """GET: the log-in form; POST: check the password within the log-in limits, sign in.

        An attempt the limits refuse, or that finds every password-check slot taken, gets
        429 with Retry-After before any password is hashed (``skills_roadmap.login_limits``).
        """
        source = request.form if request.method == "POST" else request.args
        next_path = safe_next(source.get("next"))
        if not self.auth_enabled or current_user_or_none() is not None:
            return redirect(next_path, 303)
        if request.method == "GET":
            return self._login_form(next_path)
        name = without_controls(source.get("name", "")).strip()[: audit.USER_MAX_LENGTH]
        password = source.get("password", "")
        address = request.remote_addr or "unknown"
        engine = self.engine
        limits = self.login_limits()
        verdict = limits.check(name, address)
        if verdict.limit is not None:
            limits.refused(name, address, verdict.limit)
            message = strings.LOGIN_THROTTLED.format(wait=wait_text(verdict.wait_seconds))
            return self._refuse_login(next_path, name, message, verdict.wait_seconds)
        try:
            user = (
                self.password_checks.run(
                    lambda: users.authenticate(engine, name, password), known=verdict.known
                )
                if name
                else None
            )
        except PasswordChecksBusy:
            limits.refused(name, address, Limit.BUSY)
            return self._refuse_login(next_path, name, strings.LOGIN_BUSY, BUSY_RETRY_AFTER_SECONDS)
        if user is None:
            limits.failed(name, address)
            return self._login_form(next_path, name, strings.LOGIN_FAILED), 401
        limits.succeeded(name, address)
        # A fresh session: nothing an attacker planted before log-in survives it, and the
        # cookie carries a new random id, recorded so that a log-out can end it.
        session.clear()
        flask_login.login_user(AuthUser.from_user(user))
        session[SESSION_ID] = sessions.open_session(
            engine, user.name, current_app.permanent_session_lifetime
        )
        session.permanent = True
        audit.record(engine, user.name, AuditAction.LOGIN, None, {"address": address})
        response = redirect(next_path, 303)
        if user.language:  # the language they chose elsewhere, on this browser too
            language.set_cookie(response, user.language)
        return response

    def logout(self) -> ResponseReturnValue:
        """POST: end the session (audited) and go back to the log-in form."""
        user = current_user_or_none()
        if self.auth_enabled:
            if user is not None:
                audit.record(self.engine, user.name, AuditAction.LOGOUT)
                flask_login.logout_user()
            sessions.close_session(self.engine, session.get(SESSION_ID))
        session.clear()
        return redirect(flask.url_for("login") if self.auth_enabled else "/", 303)


def _check_pages() -> None:
    for page in dash.page_registry.values():
        try:
            page_permissions(page)
        except (TypeError, ValueError):
            raise ConfigurationError(
                f"page {page['module']} declares permission {page.get('permission')!r}; "
                f"use one of {', '.join(Permission)}"
            ) from None


def install(app: dash.Dash, settings: Settings, engine: Engine) -> Gate:
    """Put log-in, log-out and the gate on ``app``'s Flask server.

    Refuses log-in without a secret key. Session cookies are HttpOnly and SameSite=Lax, and
    Secure (with the ``__Host-`` prefix) when log-in is on unless turned off for development.
    """
    if settings.auth_enabled and not settings.secret_key:
        raise ConfigurationError(
            "log-in needs a secret key: set SKILLS_ROADMAP_SECRET_KEY, e.g. to the output of "
            '`python -c "import secrets; print(secrets.token_urlsafe(48))"`'
        )
    _check_pages()
    server = app.server
    secure = settings.auth_enabled and settings.session_cookie_secure
    server.secret_key = settings.secret_key or secrets.token_hex(32)
    server.config.update(
        MAX_CONTENT_LENGTH=request_body_limit(settings),
        SESSION_COOKIE_NAME="__Host-skills_roadmap" if secure else "skills_roadmap",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_hours),
    )
    gate = Gate(app, settings, engine)
    server.extensions[EXTENSION] = gate
    if settings.auth_enabled:
        manager = flask_login.LoginManager()
        manager.session_protection = "strong"
        manager.init_app(server)
        manager.user_loader(gate.load_user)
    server.add_url_rule(LOGIN_PATH, "login", gate.login, methods=["GET", "POST"])
    server.add_url_rule(LOGOUT_PATH, "logout", gate.logout, methods=["POST"])
    server.before_request(gate.guard)
    headers.install(app)
    return gate
