"""Accounts and roles: who may sign in, with which password, and what each role may do."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from skills_roadmap import audit
from skills_roadmap.audit import AuditAction
from skills_roadmap.domain import Role, User, check_email, check_language
from skills_roadmap.domain_errors import reason, refusal
from skills_roadmap.exceptions import NotFoundError, SkillsRoadmapError
from skills_roadmap.i18n.words import _
from skills_roadmap.sessions import close_sessions_of
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import session_scope
from skills_roadmap.storage.accounts import (
    StoredAccount,
    account_names,
    all_accounts,
    find_account,
    first_cluster_id,
    insert_account,
    known_cluster_ids,
    set_account_active,
    set_account_email,
    set_account_language,
    set_account_role,
    set_password_hash,
)


class Permission(StrEnum):
    """What a request wants to do; every page, callback and download route needs one."""

    VIEW = "view"
    EXPORT = "export"
    UPLOAD = "upload"
    ADMIN = "admin"
    APPROVE = "approve"
    PLAN = "plan"


# Everyone reads (dashboard and exports); only managers upload progress; only admins manage
# programmes, targets and users and read the audit log; officials and admins approve or
# return the months managers submit; those who decide where the money goes (officials, admins
# and their analysts), not the programmes' managers, plan budgets.
ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = MappingProxyType(
    {
        Role.ADMIN: frozenset(
            {
                Permission.VIEW,
                Permission.EXPORT,
                Permission.ADMIN,
                Permission.APPROVE,
                Permission.PLAN,
            }
        ),
        Role.OFFICIAL: frozenset(
            {Permission.VIEW, Permission.EXPORT, Permission.APPROVE, Permission.PLAN}
        ),
        Role.MANAGER: frozenset({Permission.VIEW, Permission.EXPORT, Permission.UPLOAD}),
        Role.ANALYST: frozenset({Permission.VIEW, Permission.EXPORT, Permission.PLAN}),
    }
)
ALL_PERMISSIONS = frozenset(Permission)

LOCAL_USER = "local"
"""The one user of local single-user mode (reserved: no account may take the name)."""

MIN_PASSWORD_LENGTH = 8  # NIST SP 800-63B minimum for memorised secrets
MAX_PASSWORD_LENGTH = 1024  # bounds the work one log-in attempt can cause
DEMO_REGION = "ES24"
DEMO_ACCOUNT_ROLES = (Role.ADMIN, Role.OFFICIAL, Role.MANAGER, Role.ANALYST)


class AccountError(SkillsRoadmapError):
    """An account cannot be created or changed as asked (name taken, weak password, …)."""


def _hasher() -> PasswordHasher:
    settings = get_settings()
    return PasswordHasher(
        time_cost=settings.password_hash_time_cost,
        memory_cost=settings.password_hash_memory_kib,
    )


def check_password(password: str) -> None:
    """Refuse a password shorter than 8 or longer than 1,024 characters."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise AccountError(
            _(
                "a password must have {least} to {most} characters; this one has {count}",
                least=MIN_PASSWORD_LENGTH,
                most=MAX_PASSWORD_LENGTH,
                count=len(password),
            )
        )


def _reason(error: ErrorDetails) -> str:
    """Why the account was refused, in the current language (``domain_errors.reason``)."""
    if error["type"] != "value_error" and error["loc"] == ("name",):
        return _("a name has 2 to 64 characters: letters, digits and . _ - @")
    if error["type"] == "value_error" or not error["loc"]:
        return reason(error)
    return _(
        "{field}: {reason}",
        field=".".join(str(p) for p in error["loc"]),
        reason=reason(error),
    )


def _validated(
    name: str,
    role: Role | str,
    cluster_ids: Iterable[str],
    email: str | None = None,
    language: str | None = None,
) -> User:
    if name == LOCAL_USER:
        raise AccountError(
            _("the name '{name}' is reserved for local single-user mode", name=LOCAL_USER)
        )
    try:
        user = User(
            name=name,
            role=Role(role),
            cluster_ids=tuple(cluster_ids),
            email=email,
            language=language,
        )
    except ValidationError as error:
        reasons = "; ".join(_reason(e) for e in error.errors())
        raise AccountError(
            _("account '{name}' is not valid: {reasons}", name=name, reasons=reasons)
        ) from None
    except ValueError:
        raise AccountError(
            _(
                "account '{name}' has no role '{role}': use one of {roles}",
                name=name,
                role=role,
                roles=", ".join(Role),
            )
        ) from None
    if user.role is not Role.MANAGER and user.cluster_ids:
        raise AccountError(
            _("only managers are bound to clusters, not a {role}", role=user.role.value)
        )
    return user


def _check_clusters_exist(session: Session, cluster_ids: Iterable[str]) -> None:
    wanted = set(cluster_ids)
    if missing := sorted(wanted - known_cluster_ids(session, wanted)):
        raise NotFoundError(
            _(
                "no cluster {clusters}: load the clusters first or check the id",
                clusters=", ".join(missing),
            )
        )


def _no_such_user(name: str) -> NotFoundError:
    return NotFoundError(
        _("no user '{name}': `skills-roadmap users list` shows the accounts", name=name)
    )


def _stored(session: Session, name: str) -> StoredAccount:
    account = find_account(session, name)
    if account is None:
        raise _no_such_user(name)
    return account


def _to_user(account: StoredAccount) -> User:
    return User(
        name=account.name,
        role=Role(account.role),
        cluster_ids=account.cluster_ids,
        active=account.active,
        email=account.email,
        language=account.language,
    )


def create_user(
    engine: Engine,
    name: str,
    role: Role | str,
    password: str,
    cluster_ids: Iterable[str] = (),
    *,
    by: str,
    email: str | None = None,
    language: str | None = None,
) -> User:
    """Create an active account with an Argon2id password hash, audited as ``by``'s change.

    A manager must be bound to at least one existing cluster; other roles take none. The
    e-mail address, optional, is where reminders of late reports go; the language, optional,
    the one they are written in (else the installation's).
    """
    user = _validated(name, role, cluster_ids, email, language)
    check_password(password)
    password_hash = _hasher().hash(password)
    with session_scope(engine, write=True) as session:
        if find_account(session, user.name) is not None:
            raise AccountError(_("user '{name}' already exists", name=user.name))
        _check_clusters_exist(session, user.cluster_ids)
        insert_account(
            session,
            name=user.name,
            role=user.role.value,
            password_hash=password_hash,
            cluster_ids=user.cluster_ids,
            created_at=datetime.now(UTC),
            email=user.email,
            language=user.language,
        )
        audit.record(
            session,
            by,
            AuditAction.USER_CREATE,
            user.name,
            {"role": user.role.value, "clusters": list(user.cluster_ids)}
            | ({"email": user.email} if user.email else {}),
        )
    return user


def get_user(engine: Engine, name: str) -> User | None:
    """The account called ``name`` (active or not), or None when there is none."""
    with session_scope(engine) as session:
        account = find_account(session, name)
    return None if account is None else _to_user(account)


def list_users(engine: Engine) -> list[User]:
    """Every account, by name, with its role, clusters and whether it is active."""
    with session_scope(engine) as session:
        return [_to_user(account) for account in all_accounts(session)]


def disable_user(engine: Engine, name: str, *, by: str) -> None:
    """Stop ``name`` from signing in, and end their open sessions."""
    with session_scope(engine, write=True) as session:
        if not set_account_active(session, name, False):
            raise _no_such_user(name)
        close_sessions_of(session, name)
        audit.record(session, by, AuditAction.USER_DISABLE, name)


def set_role(
    engine: Engine, name: str, role: Role | str, cluster_ids: Iterable[str] = (), *, by: str
) -> User:
    """Give ``name`` a new role (and clusters, for a manager); effective on the next request."""
    wanted = _validated(name, role, cluster_ids)
    with session_scope(engine, write=True) as session:
        account = _stored(session, name)
        _check_clusters_exist(session, wanted.cluster_ids)
        old = {"role": account.role, "clusters": list(account.cluster_ids)}
        set_account_role(session, name, wanted.role.value, wanted.cluster_ids)
        new = {"role": wanted.role.value, "clusters": list(wanted.cluster_ids)}
        audit.record(session, by, AuditAction.USER_ROLE, name, {"old": old, "new": new})
    return _to_user(account).model_copy(
        update={"role": wanted.role, "cluster_ids": wanted.cluster_ids}
    )


def _optional(value: str | None, check: Callable[[str], str]) -> str | None:
    """``value`` as ``check`` accepts it, None when blank; refused in the reader's language."""
    if not value or not value.strip():
        return None
    try:
        return check(value)
    except ValueError as error:
        raise AccountError(refusal(error)) from None


def set_email(engine: Engine, name: str, email: str | None, *, by: str) -> User:
    """Give ``name`` an e-mail address (None or blank: none), where reminders of late reports
    go; audited with the old and the new address."""
    address = _optional(email, check_email)
    with session_scope(engine, write=True) as session:
        account = _stored(session, name)
        set_account_email(session, name, address)
        audit.record(
            session, by, AuditAction.USER_EMAIL, name, {"old": account.email, "new": address}
        )
    return _to_user(account).model_copy(update={"email": address})


def set_language(engine: Engine, name: str, language: str | None) -> User:
    """Remember the language ``name`` reads (None or blank: the installation's): their
    reminder mails are written in it, and signing in on a new browser opens in it.

    A preference the user sets for themselves with the dashboard's language switch, so it is
    not audited (it gives no access to anything).
    """
    code = _optional(language, check_language)
    with session_scope(engine, write=True) as session:
        account = _stored(session, name)
        set_account_language(session, name, code)
    return _to_user(account).model_copy(update={"language": code})


def set_password(engine: Engine, name: str, password: str, *, by: str) -> None:
    """Give ``name`` a new password and end their open sessions (audited; the password itself
    is never recorded): whoever may have learnt the old one is signed out too."""
    check_password(password)
    password_hash = _hasher().hash(password)
    with session_scope(engine, write=True) as session:
        if not set_password_hash(session, name, password_hash):
            raise _no_such_user(name)
        close_sessions_of(session, name)
        audit.record(session, by, AuditAction.USER_PASSWORD, name)


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_kib: int) -> str:
    # Verifying an unknown name against a real hash costs the same time as a wrong password,
    # so response times do not reveal which names exist.
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib).hash("no one's password")


def authenticate(engine: Engine, name: str, password: str) -> User | None:
    """The active account ``name`` if ``password`` is its password, else None.

    Unknown names, disabled accounts and wrong passwords are indistinguishable to the
    caller. A hash made with older cost settings is upgraded on a successful log-in.
    """
    hasher = _hasher()
    if len(password) > MAX_PASSWORD_LENGTH:
        return None
    with session_scope(engine) as session:
        account = find_account(session, name)
    stored = account.password_hash if account is not None else None
    user = None if account is None else _to_user(account)
    # Verified after the session is closed: a database connection is not held for the
    # deliberately slow hash.
    try:
        hasher.verify(stored or _dummy_hash(hasher.time_cost, hasher.memory_cost), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or stored is None or not user.active:
        return None
    if hasher.check_needs_rehash(stored):
        with session_scope(engine, write=True) as session:
            if not set_password_hash(session, name, hasher.hash(password)):
                raise _no_such_user(name)
    return user


def get_active_user(engine: Engine, name: str) -> User | None:
    """The account ``name`` if it exists and is active: reloaded on every request."""
    user = get_user(engine, name)
    return user if user is not None and user.active else None


def permissions_of(user: User) -> frozenset[Permission]:
    """What ``user`` may do: their role's permissions, nothing once disabled."""
    return ROLE_PERMISSIONS[user.role] if user.active else frozenset()


def reporting_clusters(user: User) -> frozenset[str]:
    """The clusters whose programmes ``user`` may report progress for (managers only)."""
    if user.active and user.role is Role.MANAGER:
        return frozenset(user.cluster_ids)
    return frozenset()


def clusters_user_may_report_for(engine: Engine, name: str) -> frozenset[str] | None:
    """Which clusters ``name`` may upload progress for; None means every cluster.

    None only for the local single-user mode's user; a manager gets their clusters; every
    other role, a disabled account and an unknown name get the empty set.
    """
    if name == LOCAL_USER:
        return None
    user = get_user(engine, name)
    return frozenset() if user is None else reporting_clusters(user)


def _demo_manager_cluster(session: Session) -> str:
    """The cluster the demo manager reports for: the first Aragón cluster of the demo
    catalogue (the network scale), else the first stored cluster of Aragón by id (the EU
    scale names its clusters after their region), else the first stored cluster."""
    from skills_roadmap.demo.catalogue import NETWORK_CLUSTERS

    wanted = [id_ for id_, _name, region, _roles in NETWORK_CLUSTERS if region == DEMO_REGION]
    present = known_cluster_ids(session, wanted)
    for cluster_id in wanted:
        if cluster_id in present:
            return cluster_id
    found = first_cluster_id(session, DEMO_REGION) or first_cluster_id(session)
    if found is None:
        raise NotFoundError(_("no cluster is stored: load the demo network before its accounts"))
    return found


def create_demo_accounts(engine: Engine, password: str, *, by: str = LOCAL_USER) -> list[str]:
    """One demo account per role, named after the role, all with ``password``.

    The manager reports for the demo's Aragón AI cluster (the first Aragón cluster of the
    demo catalogue; at the EU scale, the first Aragón cluster by id). Accounts that already
    exist are kept as they are; returns the names created.
    """
    with session_scope(engine) as session:
        cluster = _demo_manager_cluster(session)
        existing = account_names(session)
    created = []
    for role in DEMO_ACCOUNT_ROLES:
        if role.value in existing:
            continue
        clusters = (cluster,) if role is Role.MANAGER else ()
        create_user(engine, role.value, role, password, clusters, by=by)
        created.append(role.value)
    return created
