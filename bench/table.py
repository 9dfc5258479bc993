"""The one way every benchmark prints its result: a markdown table and an exit code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

VERDICTS = {None: "–", True: "pass", False: "FAIL"}


class TableRow(Protocol):
    """A measured line: its markdown and whether it met its limit (None: no limit)."""

    @property
    def passed(self) -> bool | None: ...

    def markdown(self) -> str: ...


@dataclass(frozen=True)
class Row:
    """A line with a value, a ratio to the run's baseline and a limit ("×" values are ratios)."""

    name: str
    value: float
    unit: str
    ratio: float | None = None
    limit: str = "–"
    passed: bool | None = None

    def markdown(self) -> str:
        if self.unit == "s":
            value = f"{self.value:.3f}"
        else:
            value = f"{self.value:.2f}" if self.unit == "×" else f"{self.value:,.0f}"
        ratio = "–" if self.ratio is None else f"{self.ratio:.2f}×"
        verdict = VERDICTS[self.passed]
        return f"| {self.name} | {value} {self.unit} | {ratio} | {self.limit} | {verdict} |"


def print_table(title: str, beside: str, rows: Sequence[TableRow]) -> int:
    """Print ``rows`` under ``title``; 0 when every limit is met, else 1 (``make bench`` fails)."""
    print(f"### {title}\n")
    print(f"| measure | value | {beside} | limit | result |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(row.markdown())
    return 0 if all(row.passed is not False for row in rows) else 1
