"""Log-in under attack: growing delays per name and address, per address, per name, in total.

The rules (docs/security.md gives the why):

* every failed log-in is counted for four limits: one name from one address, one address
  over every name (spraying), one name over every address, and every attempt in total;
* past a limit's free failures, each further attempt must wait 1, 2, 4, … seconds after the
  last counted failure, at most ``max_delay``: a delay, never a lock-out; a count is
  forgotten after ``window`` without a failure, and a success clears its name and address;
* a name that has signed in from an address lately (a *known* address) is judged there by
  its own name-and-address count alone, so that nobody elsewhere can delay its owner;
* a refused attempt is refused before any password is hashed, and summarised in one audit
  entry per limit, scope and window, which counts the attempts.

Counts live in the database table ``login_limits`` (atomic upserts on SQLite and
PostgreSQL), so every server process sees the same counts. Password checks at once are
bounded per process by :class:`PasswordChecks`.
"""

from __future__ import annotations

import ipaddress
import threading
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    and_,
    case,
    delete,
    literal,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from skills_roadmap import audit
from skills_roadmap.audit import AuditAction
from skills_roadmap.settings import Settings
from skills_roadmap.storage import as_utc, session_scope
from skills_roadmap.storage.tables import LoginLimitRow

__all__ = [
    "BUSY_RETRY_AFTER_SECONDS",
    "Limit",
    "LoginLimits",
    "LoginRules",
    "PasswordChecks",
    "Verdict",
    "address_key",
    "name_key",
]

KNOWN_ADDRESS_DAYS = 30  # a successful log-in makes its address known to the name this long
SLOT_WAIT_SECONDS = 0.5  # how long a log-in waits for a password-check slot
BUSY_RETRY_AFTER_SECONDS = 3  # Retry-After of a log-in turned away for want of a slot
SWEEP_EVERY = timedelta(seconds=60)  # expired rows are deleted at most this often per process
SWEEP_BATCH = 1000
IPV6_PREFIX = 64  # one subscriber holds a whole /64: its addresses count as one
KNOWN = "known"
REFUSED = "refused:"  # kind prefix of the rows that count refused attempts for the audit log

Key = tuple[str, str, str]  # (kind, user name, address) of a row; "" means any


class Limit(StrEnum):
    """A limit that can make a log-in attempt wait."""

    NAME_ADDRESS = "name_address"  # one name from one address: guessing one password
    ADDRESS = "address"  # every name from one address: spraying one password over names
    NAME = "name"  # one name from every address (but its known ones): many guessers, one name
    TOTAL = "total"  # every name from every address (but known ones): a distributed flood
    BUSY = "busy"  # not a count: every password-check slot of the process was taken


# The scope of a limit: whether it is counted per name, per address (True) or over all.
SCOPES: Mapping[Limit, tuple[bool, bool]] = {
    Limit.NAME_ADDRESS: (True, True),
    Limit.ADDRESS: (False, True),
    Limit.NAME: (True, False),
    Limit.TOTAL: (False, False),
    Limit.BUSY: (False, False),
}
COUNTED = (Limit.NAME_ADDRESS, Limit.ADDRESS, Limit.NAME, Limit.TOTAL)


def name_key(name: str) -> str:
    """``name`` as the limits count it: case-folded, without control or format characters,
    at most 64 characters (``Admin`` and ``admin`` are one name to them)."""
    visible = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    return visible.casefold()[: audit.USER_MAX_LENGTH]


def address_key(address: str) -> str:
    """``address`` as the limits count it: an IPv4 address as it is, an IPv6 address as its
    /64 network (one subscriber holds them all), anything else cleaned like a name.

    >>> address_key("2001:db8:1:2:aaaa::1"), address_key("::ffff:192.0.2.7")
    ('2001:db8:1:2::/64', '192.0.2.7')
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return name_key(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return str(ip)


@dataclass(frozen=True)
class LoginRules:
    """The limits' free failures, the longest delay, and how long counts are remembered."""

    name_address_failures: int = 5
    address_failures: int = 20
    name_failures: int = 20
    total_failures: int = 200
    max_delay: timedelta = timedelta(seconds=300)
    window: timedelta = timedelta(seconds=900)
    known_for: timedelta = timedelta(days=KNOWN_ADDRESS_DAYS)

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginRules:
        return cls(
            name_address_failures=settings.login_max_failures,
            address_failures=settings.login_address_max_failures,
            name_failures=settings.login_name_max_failures,
            total_failures=settings.login_total_max_failures,
            max_delay=timedelta(seconds=settings.login_max_delay_seconds),
            window=timedelta(seconds=settings.login_window_seconds),
        )

    def free_failures(self, limit: Limit) -> int:
        """Failures ``limit`` lets pass before it makes attempts wait."""
        return {
            Limit.NAME_ADDRESS: self.name_address_failures,
            Limit.ADDRESS: self.address_failures,
            Limit.NAME: self.name_failures,
            Limit.TOTAL: self.total_failures,
        }[limit]

    def delay(self, limit: Limit, failures: int) -> timedelta:
        """How long after the last of ``failures`` the next attempt must wait: nothing up to
        the free failures, then 1, 2, 4, … seconds, at most ``max_delay``.

        >>> rules = LoginRules(name_address_failures=3, max_delay=timedelta(seconds=5))
        >>> [rules.delay(Limit.NAME_ADDRESS, n).seconds for n in range(2, 8)]
        [0, 1, 2, 4, 5, 5]
        """
        beyond = failures - self.free_failures(limit)
        if beyond < 0:
            return timedelta(0)
        return min(timedelta(seconds=2 ** min(beyond, 30)), self.max_delay)


@dataclass(frozen=True)
class Verdict:
    """Whether a log-in attempt may check its password now, and if not, for how long not."""

    wait_seconds: float
    limit: Limit | None  # the limit that makes it wait longest; None: it may go ahead
    known: bool  # the name signed in from this address lately

    @property
    def allowed(self) -> bool:
        return self.limit is None


def _now() -> datetime:
    return datetime.now(UTC)


def _where_key(key: Key) -> ColumnElement[bool]:
    kind, user_name, address = key
    return and_(
        LoginLimitRow.kind == kind,
        LoginLimitRow.user_name == user_name,
        LoginLimitRow.address == address,
    )


class LoginLimits:
    """The log-in limits on one database, as every server process on it sees them.

    ``check`` before a password is checked; then ``failed`` or ``succeeded`` after it, or
    ``refused`` when the attempt was turned away. ``clock`` is for tests.
    """

    def __init__(
        self, engine: Engine, rules: LoginRules, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.engine = engine
        self.rules = rules
        self.clock = clock or _now
        self._swept = datetime.min.replace(tzinfo=UTC)
        self._sweep_lock = threading.Lock()

    @staticmethod
    def _key(kind: str, limit: Limit, name: str, address: str) -> Key:
        """The row of ``limit``'s count (or refusals) in the scope of ``name`` and ``address``."""
        by_name, by_address = SCOPES[limit]
        return (kind, name if by_name else "", address if by_address else "")

    def _keys(self, name: str, address: str) -> dict[Limit, Key]:
        return {limit: self._key(limit.value, limit, name, address) for limit in COUNTED}

    def check(self, name: str, address: str) -> Verdict:
        """May ``name`` try a password from ``address`` now? A read; nothing is counted."""
        now, name, address = self.clock(), name_key(name), address_key(address)
        keys = self._keys(name, address)
        known_key = (KNOWN, name, address)
        with session_scope(self.engine) as session:
            found = session.scalars(
                select(LoginLimitRow).where(or_(*map(_where_key, [*keys.values(), known_key])))
            )
            rows = {(row.kind, row.user_name, row.address): row for row in found}
        known = known_key in rows and as_utc(rows[known_key].expires_at) > now
        waits: dict[Limit, timedelta] = {}
        for limit, key in keys.items():
            row = rows.get(key)
            if row is None or (known and limit is not Limit.NAME_ADDRESS):
                continue
            last = as_utc(row.last_at)
            if last > now - self.rules.window:
                waits[limit] = last + self.rules.delay(limit, row.attempts) - now
        longest = max(waits, key=waits.__getitem__, default=None)
        if longest is None or waits[longest] <= timedelta(0):
            return Verdict(0.0, None, known)
        return Verdict(waits[longest].total_seconds(), longest, known)

    def failed(self, name: str, address: str) -> None:
        """Count a failed log-in for every limit, and audit it, in one transaction."""
        now = self.clock()
        keys = self._keys(name_key(name), address_key(address))
        with session_scope(self.engine) as session:
            for key in sorted(keys.values()):  # one lock order for every process
                self._count_failure(session, key, now)
            audit.record(
                session, name or None, AuditAction.LOGIN_FAILED, None, {"address": address}
            )
        self._sweep(now)

    def succeeded(self, name: str, address: str) -> None:
        """Clear the name's count at ``address`` and remember the address as known to it."""
        now, key_name, key_address = self.clock(), name_key(name), address_key(address)
        table = LoginLimitRow.__table__
        known = self._insert().values(
            kind=KNOWN,
            user_name=key_name,
            address=key_address,
            attempts=1,
            first_at=now,
            last_at=now,
            expires_at=now + self.rules.known_for,
        )
        with session_scope(self.engine) as session:
            session.execute(
                delete(LoginLimitRow).where(
                    _where_key((Limit.NAME_ADDRESS.value, key_name, key_address))
                )
            )
            session.execute(
                known.on_conflict_do_update(
                    index_elements=list(table.primary_key),
                    set_={
                        "attempts": table.c.attempts + 1,
                        "last_at": now,
                        "expires_at": now + self.rules.known_for,
                    },
                )
            )
        self._sweep(now)

    def refused(self, name: str, address: str, limit: Limit) -> None:
        """Count an attempt ``limit`` turned away in the audit entry of its scope and window.

        One entry per limit, scope (name and address, address, name, or everything) and
        window, whose ``attempts`` grows: a flood of random names from one address makes one
        entry, not one per attempt. The entry is written by the first refusal of a window.
        """
        now = self.clock()
        key = self._key(REFUSED + limit.value, limit, name_key(name), address_key(address))
        table = LoginLimitRow.__table__
        new_window = table.c.first_at <= now - self.rules.window
        at_now = literal(now, table.c.first_at.type)
        statement = (
            self._insert()
            .values(
                kind=key[0],
                user_name=key[1],
                address=key[2],
                attempts=1,
                first_at=now,
                last_at=now,
                expires_at=now + self.rules.window,
                audit_id=None,
            )
            .on_conflict_do_update(
                index_elements=list(table.primary_key),
                set_={
                    "attempts": case((new_window, 1), else_=table.c.attempts + 1),
                    "first_at": case((new_window, at_now), else_=table.c.first_at),
                    "last_at": now,
                    "expires_at": case(
                        (new_window, literal(now + self.rules.window, table.c.expires_at.type)),
                        else_=table.c.expires_at,
                    ),
                    "audit_id": case((new_window, None), else_=table.c.audit_id),
                },
            )
            .returning(table.c.attempts, table.c.audit_id)
        )
        by_name, by_address = SCOPES[limit]
        detail: dict[str, Any] = {"limit": limit.value}
        if by_address:
            detail["address"] = key[2]
        with session_scope(self.engine) as session:
            attempts, audit_id = session.execute(statement).one()
            detail |= {"attempts": attempts, "last": now.isoformat(timespec="seconds")}
            if audit_id is not None:
                audit.revise_detail(session, audit_id, detail)
                return
            user = (name or None) if by_name else None
            entry = audit.record(session, user, AuditAction.LOGIN_THROTTLED, None, detail)
            session.execute(update(LoginLimitRow).where(_where_key(key)).values(audit_id=entry))

    def _insert(self) -> Any:
        # INSERT … ON CONFLICT DO UPDATE is an atomic increment on both databases; their
        # SQLAlchemy constructs share one interface.
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        return dialect.insert(LoginLimitRow)

    def _count_failure(self, session: Session, key: Key, now: datetime) -> None:
        table = LoginLimitRow.__table__
        forgotten = table.c.last_at <= now - self.rules.window
        statement = (
            self._insert()
            .values(
                kind=key[0],
                user_name=key[1],
                address=key[2],
                attempts=1,
                first_at=now,
                last_at=now,
                expires_at=now + self.rules.window,
            )
            .on_conflict_do_update(
                index_elements=list(table.primary_key),
                set_={
                    "attempts": case((forgotten, 1), else_=table.c.attempts + 1),
                    "first_at": case(
                        (forgotten, literal(now, table.c.first_at.type)),
                        else_=table.c.first_at,
                    ),
                    "last_at": now,
                    "expires_at": now + self.rules.window,
                },
            )
        )
        session.execute(statement)

    def _sweep(self, now: datetime) -> None:
        """Delete expired rows, at most once a minute per process.

        Rows another transaction holds are skipped (PostgreSQL), so the sweep never waits
        for, or deadlocks with, a log-in counting on the same rows.
        """
        with self._sweep_lock:
            if now - self._swept < SWEEP_EVERY:
                return
            self._swept = now
        columns = (LoginLimitRow.kind, LoginLimitRow.user_name, LoginLimitRow.address)
        expired = (
            select(*columns)
            .where(LoginLimitRow.expires_at < now)
            .limit(SWEEP_BATCH)
            .with_for_update(skip_locked=True)
        )
        with session_scope(self.engine) as session:
            session.execute(delete(LoginLimitRow).where(tuple_(*columns).in_(expired)))


class PasswordChecks:
    """At most ``slots`` password checks at once in this process, and as many waiting.

    An Argon2id check is deliberately costly (tens of milliseconds of several cores). Bounded
    like this, a flood of log-ins holds at most twice ``slots`` server threads and ``slots``
    checks' worth of CPU; every other attempt is turned away at once, without hashing, and the
    rest of the server's threads stay free for pages.
    """

    def __init__(self, slots: int, wait_seconds: float = SLOT_WAIT_SECONDS) -> None:
        self.slots = slots
        self.wait_seconds = wait_seconds
        self._free = threading.BoundedSemaphore(slots)
        self._waiting = 0
        self._lock = threading.Lock()

    @contextmanager
    def slot(self) -> Iterator[bool]:
        """Hold a slot while the block runs; yields False when none came within the wait."""
        granted = self._free.acquire(blocking=False)
        if not granted:
            with self._lock:
                may_wait = self._waiting < self.slots
                if may_wait:
                    self._waiting += 1
            if may_wait:
                try:
                    granted = self._free.acquire(timeout=self.wait_seconds)
                finally:
                    with self._lock:
                        self._waiting -= 1
        try:
            yield granted
        finally:
            if granted:
                self._free.release()
