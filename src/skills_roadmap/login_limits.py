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

Counts live in the database table ``login_limits`` (atomic upserts on SQLite and PostgreSQL,
in ``storage.login_counts``), so every server process sees the same counts. Password checks at
once are bounded per process by :class:`PasswordChecks`.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from skills_roadmap import audit
from skills_roadmap.audit import AuditAction
from skills_roadmap.exceptions import SkillsRoadmapError
from skills_roadmap.i18n.words import _
from skills_roadmap.settings import Settings
from skills_roadmap.storage import session_scope
from skills_roadmap.storage.login_counts import (
    CountKey,
    add_to_count,
    delete_count,
    delete_expired_counts,
    link_audit_entry,
    read_counts,
)

logger = logging.getLogger(__name__)

__all__ = [
    "BUSY_RETRY_AFTER_SECONDS",
    "Limit",
    "LoginLimits",
    "LoginRules",
    "PasswordChecks",
    "PasswordChecksBusy",
    "Verdict",
    "address_key",
    "name_key",
]

KNOWN_ADDRESS_DAYS = 30  # a successful log-in makes its address known to the name this long
HASHING_NICENESS = 10  # password-check threads yield the CPU to page-serving ones
SLOT_WAIT_SECONDS = 0.5  # how long a log-in waits for a password-check slot
KNOWN_WAIT_SECONDS = 5.0  # … and at a known address, for the slot kept for known addresses
KNOWN_MAX_WAITING = 2
BUSY_RETRY_AFTER_SECONDS = 3  # Retry-After of a log-in turned away for want of a slot
SUMMARY_DELAY_SECONDS = 1.0  # refusals are written to the audit log at most this often
SWEEP_EVERY = timedelta(seconds=60)  # expired rows are deleted at most this often per process
SWEEP_BATCH = 1000
IPV6_PREFIX = 64  # one subscriber holds a whole /64: its addresses count as one
KNOWN = "known"
REFUSED = "refused:"  # kind prefix of the rows that count refused attempts for the audit log

T = TypeVar("T")
Key = CountKey  # (kind, user name, address) of a row; "" means any


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


@dataclass(frozen=True)
class Refusals:
    """Refused attempts of one scope gathered since the last write (with the first's name)."""

    limit: Limit
    name: str
    attempts: int
    last: datetime


def _now() -> datetime:
    return datetime.now(UTC)


class LoginLimits:
    """The log-in limits on one database, as every server process on it sees them.

    ``check`` before a password is checked; then ``failed`` or ``succeeded`` after it, or
    ``refused`` when the attempt was turned away. ``clock`` is for tests; refusals are
    written ``summary_delay`` seconds after the first one not yet written (0: at once).
    """

    def __init__(
        self,
        engine: Engine,
        rules: LoginRules,
        clock: Callable[[], datetime] | None = None,
        summary_delay: float = SUMMARY_DELAY_SECONDS,
    ) -> None:
        self.engine = engine
        self.rules = rules
        self.clock = clock or _now
        self.summary_delay = summary_delay
        self._swept = datetime.min.replace(tzinfo=UTC)
        self._sweep_lock = threading.Lock()
        self._pending: dict[Key, Refusals] = {}
        self._pending_lock = threading.Lock()
        self._flusher: threading.Timer | None = None

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
        rows = read_counts(self.engine, [*keys.values(), known_key])
        alive = {key: row for key, row in rows.items() if row.expires_at > now}
        known = known_key in alive
        waits: dict[Limit, timedelta] = {}
        for limit, key in keys.items():
            row = alive.get(key)  # a count expires after a window without a failure
            if row is not None and (limit is Limit.NAME_ADDRESS or not known):
                waits[limit] = row.last_at + self.rules.delay(limit, row.attempts) - now
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
                add_to_count(session, key, 1, now, self.rules.window, fixed=False)
            audit.record(
                session, name or None, AuditAction.LOGIN_FAILED, None, {"address": address}
            )
        self._sweep(now)

    def succeeded(self, name: str, address: str) -> None:
        """Clear the name's count at ``address`` and remember the address as known to it."""
        now, name, address = self.clock(), name_key(name), address_key(address)
        counted = self._key(Limit.NAME_ADDRESS.value, Limit.NAME_ADDRESS, name, address)
        known = (KNOWN, name, address)
        with session_scope(self.engine) as session:
            delete_count(session, counted)
            add_to_count(session, known, 1, now, self.rules.known_for, fixed=False)
        self._sweep(now)

    def refused(self, name: str, address: str, limit: Limit) -> None:
        """Count an attempt ``limit`` turned away in the audit entry of its scope and window.

        One entry per limit, scope (name and address, address, name, or everything) and
        window, whose ``attempts`` grows: a flood of random names from one address makes one
        entry, not one per attempt. Refusals are gathered in memory and written at most
        every ``summary_delay`` seconds, in one transaction: under a flood, a refusal costs
        no database write of its own.
        """
        now = self.clock()
        key = self._key(REFUSED + limit.value, limit, name_key(name), address_key(address))
        with self._pending_lock:
            pending = self._pending.get(key)
            if pending is None:
                self._pending[key] = Refusals(limit, name, 1, now)
            else:
                self._pending[key] = replace(pending, attempts=pending.attempts + 1, last=now)
            if self.summary_delay > 0 and self._flusher is None:
                self._flusher = threading.Timer(self.summary_delay, self._flush_later)
                self._flusher.daemon = True
                self._flusher.start()
        if self.summary_delay <= 0:
            self.flush()

    def flush(self) -> None:
        """Write the refusals gathered so far into their counts and audit entries."""
        with self._pending_lock:
            pending, self._pending = self._pending, {}
            self._flusher = None
        if not pending:
            return
        with session_scope(self.engine) as session:
            for key in sorted(pending):  # one lock order for every process
                self._write_refusals(session, key, pending[key])

    def _flush_later(self) -> None:
        # On a timer thread: nobody would see an exception, so it is logged instead.
        try:
            self.flush()
        except Exception:
            logger.exception("could not write the refused log-in attempts of the last second")

    def _write_refusals(self, session: Session, key: Key, refusals: Refusals) -> None:
        attempts, audit_id = add_to_count(
            session, key, refusals.attempts, refusals.last, self.rules.window, fixed=True
        )
        by_name, by_address = SCOPES[refusals.limit]
        detail: dict[str, Any] = {"limit": refusals.limit.value}
        if by_address:
            detail["address"] = key[2]
        detail |= {"attempts": attempts, "last": refusals.last.isoformat(timespec="seconds")}
        if audit_id is not None:
            audit.revise_detail(session, audit_id, detail)
            return
        user = (refusals.name or None) if by_name else None
        entry = audit.record(session, user, AuditAction.LOGIN_THROTTLED, None, detail)
        link_audit_entry(session, key, entry)

    def _sweep(self, now: datetime) -> None:
        """Delete expired rows, at most once a minute per process.

        Rows another transaction holds are skipped (PostgreSQL), so the sweep never waits
        for, or deadlocks with, a log-in counting on the same rows.
        """
        with self._sweep_lock:
            if now - self._swept < SWEEP_EVERY:
                return
            self._swept = now
        delete_expired_counts(self.engine, now, SWEEP_BATCH)


class PasswordChecksBusy(SkillsRoadmapError):
    """Every password-check slot stayed taken for the whole wait: the log-in is turned away."""


def _yield_to_pages() -> None:
    """Lower the calling thread's CPU priority, so that hashing yields the cores to pages.

    Linux keeps a nice value per thread, and the threads Argon2 starts for its lanes inherit
    it; elsewhere the call would change the whole process, so it is left out.
    """
    if sys.platform == "linux":
        with suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


class _Slots:
    """``count`` slots; a taker waits at most ``wait_seconds``, and at most ``max_waiting``
    takers wait at once (the others are turned away at once)."""

    def __init__(self, count: int, wait_seconds: float, max_waiting: int) -> None:
        self.wait_seconds = wait_seconds
        self.max_waiting = max_waiting
        self._free = threading.BoundedSemaphore(count)
        self._waiting = 0
        self._lock = threading.Lock()

    def take(self, *, wait: bool = True) -> bool:
        if self._free.acquire(blocking=False):
            return True
        with self._lock:
            if not wait or self._waiting >= self.max_waiting:
                return False
            self._waiting += 1
        try:
            return self._free.acquire(timeout=self.wait_seconds)
        finally:
            with self._lock:
                self._waiting -= 1

    def give_back(self) -> None:
        self._free.release()


class PasswordChecks:
    """At most ``slots`` password checks at once in this process, and as many waiting, plus
    one slot kept for names signing in from their known addresses.

    An Argon2id check is deliberately costly (tens of milliseconds of several cores). Bounded
    like this, a flood of log-ins holds at most twice ``slots`` server threads and ``slots``
    checks' worth of CPU; every other attempt is turned away at once, without hashing, and the
    rest of the server's threads stay free for pages. The checks run on threads of their own
    at a lower CPU priority, so that pages come first when the cores are short. The kept
    slot is why a flood from elsewhere cannot keep the owner out at their own address.
    """

    def __init__(self, slots: int, wait_seconds: float = SLOT_WAIT_SECONDS) -> None:
        self.slots = slots
        self._shared = _Slots(slots, wait_seconds, max_waiting=slots)
        self._kept = _Slots(1, KNOWN_WAIT_SECONDS, max_waiting=KNOWN_MAX_WAITING)
        self._threads = ThreadPoolExecutor(
            slots + 1, thread_name_prefix="password-check", initializer=_yield_to_pages
        )

    @contextmanager
    def slot(self, *, known: bool = False) -> Iterator[bool]:
        """Hold a slot while the block runs; yields False when none came within the wait.

        ``known``: the name signs in from an address known to it, and may use the kept slot.
        """
        taken = None
        if known and self._shared.take(wait=False):
            taken = self._shared
        elif known and self._kept.take():
            taken = self._kept
        elif not known and self._shared.take():
            taken = self._shared
        try:
            yield taken is not None
        finally:
            if taken is not None:
                taken.give_back()

    def run(self, check: Callable[[], T], *, known: bool = False) -> T:
        """``check()``, run in a slot on a password-check thread; the caller waits for it.

        Raises:
            PasswordChecksBusy: no slot came free within the wait; nothing was run.
        """
        with self.slot(known=known) as granted:
            if not granted:
                raise PasswordChecksBusy(
                    _("too many sign-ins right now: try again in a few seconds")
                )
            return self._threads.submit(check).result()
