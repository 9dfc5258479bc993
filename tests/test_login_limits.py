"""The log-in limits' rules on SQLite and PostgreSQL: growing delays, no lock-out of the owner,
spraying and floods delayed, refusals summarised, counts shared by every process."""

from __future__ import annotations

import doctest
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from skills_roadmap import audit, login_limits
from skills_roadmap.audit import AuditAction, AuditQuery
from skills_roadmap.login_limits import (
    Limit,
    LoginLimits,
    LoginRules,
    PasswordChecks,
    PasswordChecksBusy,
    Verdict,
    address_key,
    name_key,
)
from skills_roadmap.storage import make_engine, session_scope
from skills_roadmap.storage.tables import LoginLimitRow

OWNER = "10.0.0.1"
ELSEWHERE = "203.0.113.9"
ALLOWED = Verdict(0.0, None, known=False)
WINDOW = timedelta(seconds=900)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def limits_on(engine: Engine, clock: Clock, **rules: int) -> LoginLimits:
    """Limits with generous defaults, so that a test meets only the limit it sets."""
    values = {"name_address_failures": 100, "address_failures": 100, "name_failures": 100}
    return LoginLimits(
        engine,
        LoginRules(**{"total_failures": 1000, **values, **rules}),  # type: ignore[arg-type]
        clock,
        summary_delay=0,  # refusals written at once
    )


def waits(limits: LoginLimits, name: str, address: str) -> tuple[float, Limit | None]:
    verdict = limits.check(name, address)
    return verdict.wait_seconds, verdict.limit


def fail(limits: LoginLimits, name: str, address: str, times: int = 1) -> None:
    for _ in range(times):
        limits.failed(name, address)


def stored_rows(engine: Engine) -> list[tuple[str, str, str, int]]:
    with session_scope(engine) as session:
        rows = session.scalars(select(LoginLimitRow).order_by(LoginLimitRow.kind))
        return [(r.kind, r.user_name, r.address, r.attempts) for r in rows]


def test_docstring_examples_run() -> None:
    assert doctest.testmod(login_limits).failed == 0


def test_each_failure_past_the_free_ones_doubles_the_wait_up_to_the_cap(
    any_engine: Engine, clock: Clock
) -> None:
    limits = LoginLimits(
        any_engine, LoginRules(name_address_failures=3, max_delay=timedelta(seconds=8)), clock
    )
    seen = []
    for _ in range(8):
        seen.append(limits.check("ann", OWNER))
        limits.failed("ann", OWNER)
        clock.advance(0.5)  # half a second after each failure

    pair = Limit.NAME_ADDRESS
    assert [(v.wait_seconds, v.limit) for v in seen] == [
        (0.0, None),
        (0.0, None),
        (0.0, None),
        (0.5, pair),  # 3 failures: 1 s after the last one, half a second of it gone
        (1.5, pair),  # 2 s
        (3.5, pair),  # 4 s
        (7.5, pair),  # 8 s: the cap
        (7.5, pair),  # still the cap
    ]


def test_the_owners_correct_password_is_let_through_once_the_delay_has_passed(
    any_engine: Engine, clock: Clock
) -> None:
    """A delay, never a lock-out: after it, the owner's attempt is checked; a success clears
    the count, so the owner's next typo starts from zero again."""
    limits = limits_on(any_engine, clock, name_address_failures=2)
    fail(limits, "ann", OWNER, times=6)
    assert waits(limits, "ann", OWNER) == (16.0, Limit.NAME_ADDRESS)

    clock.advance(16)
    assert limits.check("ann", OWNER) == ALLOWED
    limits.succeeded("ann", OWNER)
    fail(limits, "ann", OWNER, times=2)

    assert waits(limits, "ann", OWNER) == (1.0, Limit.NAME_ADDRESS)


def test_an_attacker_elsewhere_cannot_delay_the_owner_at_a_known_address(
    any_engine: Engine, clock: Clock
) -> None:
    """Guessing the owner's password from many addresses trips the name and total limits for
    every address the name has not signed in from, never for the owner's own."""
    limits = limits_on(any_engine, clock, name_failures=5, total_failures=8)
    limits.succeeded("ann", OWNER)
    for host in range(40):
        fail(limits, "ann", f"198.51.100.{host}")

    assert limits.check("ann", OWNER) == Verdict(0.0, None, known=True)
    assert waits(limits, "ann", ELSEWHERE) == (300.0, Limit.NAME)  # 35 beyond: at the cap
    assert waits(limits, "bob", ELSEWHERE) == (300.0, Limit.TOTAL)
    assert waits(limits, "bob", OWNER) == (300.0, Limit.TOTAL)  # known to ann, not to bob


def test_failures_at_another_address_leave_the_owners_count_alone(
    any_engine: Engine, clock: Clock
) -> None:
    limits = limits_on(any_engine, clock, name_address_failures=3)
    fail(limits, "ann", ELSEWHERE, times=10)

    assert waits(limits, "ann", ELSEWHERE) == (128.0, Limit.NAME_ADDRESS)
    assert limits.check("ann", OWNER) == ALLOWED
    assert limits.check("ANN", ELSEWHERE).limit is Limit.NAME_ADDRESS  # one name to the limits


def test_spraying_names_from_one_address_is_delayed_for_every_name(
    any_engine: Engine, clock: Clock
) -> None:
    limits = limits_on(any_engine, clock, address_failures=5)
    for index in range(7):
        limits.failed(f"user{index}", ELSEWHERE)

    assert waits(limits, "someone-new", ELSEWHERE) == (4.0, Limit.ADDRESS)
    assert limits.check("someone-new", OWNER) == ALLOWED


def test_the_total_limit_delays_addresses_a_name_has_not_signed_in_from(
    any_engine: Engine, clock: Clock
) -> None:
    limits = limits_on(any_engine, clock, total_failures=4)
    limits.succeeded("ann", OWNER)
    for index in range(4):
        limits.failed(f"user{index}", f"198.51.100.{index}")

    assert waits(limits, "bob", ELSEWHERE) == (1.0, Limit.TOTAL)
    assert limits.check("ann", OWNER) == Verdict(0.0, None, known=True)


def test_a_known_address_is_still_judged_by_its_own_count(any_engine: Engine, clock: Clock) -> None:
    """Someone sharing the owner's address (an office's one public address) still meets the
    name-and-address delay there."""
    limits = limits_on(any_engine, clock, name_address_failures=2)
    limits.succeeded("ann", OWNER)
    fail(limits, "ann", OWNER, times=3)

    assert limits.check("ann", OWNER) == Verdict(2.0, Limit.NAME_ADDRESS, known=True)


def test_counts_are_forgotten_after_a_quiet_window_and_their_rows_deleted(
    any_engine: Engine, clock: Clock
) -> None:
    limits = limits_on(any_engine, clock, name_address_failures=2)
    fail(limits, "ann", ELSEWHERE, times=4)
    limits.succeeded("bob", OWNER)
    assert len(stored_rows(any_engine)) == 5

    clock.advance(WINDOW.total_seconds())
    assert limits.check("ann", ELSEWHERE) == ALLOWED
    clock.advance(1)
    limits.failed("cid", OWNER)  # sweeps the expired rows on the way

    assert stored_rows(any_engine) == [
        ("address", "", OWNER, 1),
        ("known", "bob", OWNER, 1),  # known for 30 days
        ("name", "cid", "", 1),
        ("name_address", "cid", OWNER, 1),
        ("total", "", "", 1),  # counts from one again
    ]


def summaries(engine: Engine) -> list[tuple[str | None, dict[str, object]]]:
    """(user, detail) of every rate-limited entry, oldest first."""
    entries = audit.query(engine, AuditQuery(action=AuditAction.LOGIN_THROTTLED))
    return [(e.user_name, json.loads(e.detail or "{}")) for e in reversed(entries)]


def test_refused_attempts_make_one_counting_audit_entry_per_scope_and_window(
    any_engine: Engine, clock: Clock
) -> None:
    limits = limits_on(any_engine, clock)
    for index in range(50):  # random names from one address: one entry, not fifty
        limits.refused(f"random{index}", ELSEWHERE, Limit.ADDRESS)
    for _ in range(3):
        limits.refused("Ann", OWNER, Limit.NAME_ADDRESS)
    limits.refused("ann", OWNER, Limit.NAME_ADDRESS)  # the same name to the limits
    limits.refused("bob", "198.51.100.1", Limit.TOTAL)
    limits.refused("eve", "198.51.100.2", Limit.TOTAL)
    limits.refused("ann", ELSEWHERE, Limit.BUSY)
    clock.advance(WINDOW.total_seconds())
    limits.refused("random-late", ELSEWHERE, Limit.ADDRESS)  # a new window: a new entry

    first, last = "2026-03-02T09:00:00+00:00", "2026-03-02T09:15:00+00:00"
    assert summaries(any_engine) == [
        (None, {"limit": "address", "address": ELSEWHERE, "attempts": 50, "last": first}),
        ("Ann", {"limit": "name_address", "address": OWNER, "attempts": 4, "last": first}),
        (None, {"limit": "total", "attempts": 2, "last": first}),
        (None, {"limit": "busy", "attempts": 1, "last": first}),
        (None, {"limit": "address", "address": ELSEWHERE, "attempts": 1, "last": last}),
    ]


def test_refusals_are_gathered_in_memory_and_written_together(
    any_engine: Engine, clock: Clock
) -> None:
    limits = LoginLimits(any_engine, LoginRules(), clock, summary_delay=60)
    for _ in range(3):
        limits.refused("ann", OWNER, Limit.NAME_ADDRESS)
    limits.refused("bob", ELSEWHERE, Limit.ADDRESS)
    assert summaries(any_engine) == []

    limits.flush()
    limits.refused("ann", OWNER, Limit.NAME_ADDRESS)
    limits.flush()

    first = "2026-03-02T09:00:00+00:00"
    assert summaries(any_engine) == [
        (None, {"limit": "address", "address": ELSEWHERE, "attempts": 1, "last": first}),
        ("ann", {"limit": "name_address", "address": OWNER, "attempts": 4, "last": first}),
    ]


def test_gathered_refusals_are_written_without_another_call(
    any_engine: Engine, clock: Clock
) -> None:
    limits = LoginLimits(any_engine, LoginRules(), clock, summary_delay=0.05)
    limits.refused("ann", OWNER, Limit.NAME_ADDRESS)

    deadline = time.monotonic() + 10
    while not summaries(any_engine) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [detail["attempts"] for _, detail in summaries(any_engine)] == [1]


def test_refusals_that_cannot_be_written_later_are_logged(
    tmp_path: Path, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    unmigrated = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")  # no login_limits table
    limits = LoginLimits(unmigrated, LoginRules(), clock, summary_delay=0.01)
    limits.refused("ann", OWNER, Limit.NAME_ADDRESS)

    deadline = time.monotonic() + 10
    while not caplog.records and time.monotonic() < deadline:
        time.sleep(0.05)
    unmigrated.dispose()
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("ERROR", "could not write the refused log-in attempts of the last second")
    ]


def test_failures_are_audited_one_by_one_with_the_address(any_engine: Engine, clock: Clock) -> None:
    limits = limits_on(any_engine, clock)
    limits.failed("ann", OWNER)
    limits.failed("", ELSEWHERE)

    entries = audit.query(any_engine, AuditQuery(action=AuditAction.LOGIN_FAILED))
    assert [(e.user_name, json.loads(e.detail or "{}")) for e in reversed(entries)] == [
        ("ann", {"address": OWNER}),
        (None, {"address": ELSEWHERE}),
    ]


@pytest.fixture
def second_engine(any_engine: Engine) -> Iterator[Engine]:
    """Another engine on the same database: what a second server process holds."""
    engine = make_engine(any_engine.url.render_as_string(hide_password=False))
    yield engine
    engine.dispose()


def test_two_processes_sharing_the_database_see_the_same_counts(
    any_engine: Engine, second_engine: Engine, clock: Clock
) -> None:
    first = limits_on(any_engine, clock, name_address_failures=3)
    second = limits_on(second_engine, clock, name_address_failures=3)
    first.failed("ann", ELSEWHERE)
    second.failed("ann", ELSEWHERE)
    first.failed("ann", ELSEWHERE)
    second.failed("ann", ELSEWHERE)

    assert first.check("ann", ELSEWHERE) == second.check("ann", ELSEWHERE)
    assert waits(second, "ann", ELSEWHERE) == (2.0, Limit.NAME_ADDRESS)
    second.succeeded("ann", ELSEWHERE)
    assert first.check("ann", ELSEWHERE) == Verdict(0.0, None, known=True)


def test_failures_counted_at_once_by_two_processes_are_all_counted(
    any_engine: Engine, second_engine: Engine, clock: Clock
) -> None:
    """The counts are atomic increments: no failure is lost between concurrent writers."""
    processes = [limits_on(any_engine, clock), limits_on(second_engine, clock)]

    def fail_five(worker: int) -> None:
        fail(processes[worker % 2], "ann", ELSEWHERE, times=5)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(fail_five, range(8)))

    assert stored_rows(any_engine) == [
        ("address", "", ELSEWHERE, 40),
        ("name", "ann", "", 40),
        ("name_address", "ann", ELSEWHERE, 40),
        ("total", "", "", 40),
    ]


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),  # one subscriber's /64 is one address
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.7", "192.0.2.7"),  # an IPv4 client of a dual-stack server
        ("unknown", "unknown"),
    ],
)
def test_addresses_are_counted_per_ipv4_address_and_per_ipv6_subscriber(
    address: str, key: str
) -> None:
    assert address_key(address) == key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Ann", "ann"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),  # case-folded, not just lower-cased
        ("ann\x00", "ann"),  # control characters never reach the database
        ("a\u200bnn", "ann"),  # nor invisible format characters
        ("x" * 100, "x" * 64),
    ],
)
def test_names_are_counted_case_folded_and_cleaned(name: str, key: str) -> None:
    assert name_key(name) == key


def test_a_password_check_runs_on_a_thread_that_yields_the_cpu_to_pages() -> None:
    checks = PasswordChecks(slots=1)

    def niceness() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    if sys.platform != "linux":
        pytest.skip("per-thread CPU priority is a Linux feature")
    assert checks.run(niceness) == min(19, niceness() + login_limits.HASHING_NICENESS)


def test_a_password_check_without_a_free_slot_is_not_run() -> None:
    checks = PasswordChecks(slots=1, wait_seconds=0.01)
    ran: list[str] = []
    with checks.slot(), pytest.raises(PasswordChecksBusy, match="try again in a few seconds"):
        checks.run(lambda: ran.append("hashed"))
    assert ran == []


def test_password_checks_beyond_the_slots_wait_briefly_then_are_turned_away() -> None:
    checks = PasswordChecks(slots=1, wait_seconds=0.2)
    holding, release = threading.Event(), threading.Event()
    results: list[bool] = []

    def hold() -> None:
        with checks.slot() as granted:
            results.append(granted)
            holding.set()
            release.wait(5)

    def wait_for_slot() -> None:
        with checks.slot() as granted:
            results.append(granted)

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(5)
    waiter = threading.Thread(target=wait_for_slot)  # the one allowed to wait
    waiter.start()
    with checks.slot() as third:  # nobody else may wait: turned away at once
        assert third is False
    waiter.join(5)
    release.set()
    holder.join(5)
    with checks.slot() as later:
        assert later is True

    assert results == [True, False]


def test_a_name_at_a_known_address_gets_the_kept_slot_when_the_others_are_taken() -> None:
    checks = PasswordChecks(slots=1, wait_seconds=0.01)
    with checks.slot():  # the flood holds the one shared slot
        with checks.slot() as stranger, checks.slot(known=True) as owner:
            assert (stranger, owner) == (False, True)


def test_a_waiting_check_gets_the_slot_freed_within_the_wait() -> None:
    checks = PasswordChecks(slots=1, wait_seconds=5)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with checks.slot():
            holding.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(5)
    threading.Timer(0.1, release.set).start()
    with checks.slot() as granted:
        assert granted is True
    holder.join(5)
