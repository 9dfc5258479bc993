"""How a long export tells its caller how far it has got (a progress bar, a spinner)."""

from __future__ import annotations

from collections.abc import Callable

Tracker = Callable[[float], None]
"""Called with the fraction of the export done so far, from 0 to 1, never decreasing."""


def ignore(_done: float) -> None:
    """A tracker for callers that show nothing."""


def part(tracker: Tracker | None, start: float, end: float) -> Tracker:
    """A tracker for one step of an export that covers ``start``..``end`` of the whole."""
    outer = tracker or ignore

    def inner(done: float) -> None:
        outer(start + (end - start) * min(max(done, 0.0), 1.0))

    return inner
