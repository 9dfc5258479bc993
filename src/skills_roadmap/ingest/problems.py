"""Problems found in an upload: one record per cell, located as the user sees the sheet.

A rule hands over a boolean mask over the sheet's rows; the log turns the marked rows into
records (sheet, spreadsheet row, header as written, cell reference, value found, what was
expected, message, severity). Every problem is counted, per rule; only the first
``Settings.report_max_problems`` in sheet order (errors before warnings) become records, so a
sheet full of errors costs as little memory as a sheet with a few.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from skills_roadmap.i18n.words import N_
from skills_roadmap.ingest.cells import display
from skills_roadmap.ingest.contract import expected as expected_in_words
from skills_roadmap.ingest.formulas import column_letter
from skills_roadmap.ingest.readers import ParsedSheet
from skills_roadmap.settings import get_settings

PROBLEM_FIELDS = ("severity", "sheet", "row", "column", "cell", "value", "expected", "message")
# Beside each problem, the ID of its row as written (the sheet's first key column: the
# Programme ID of a progress row), so a report can name the programme; "" when unknown.
ROW_ID = "row_id"
ORDER = ["row", "_order"]  # sheet order: by row, then by column

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]
Message = str | Callable[[IntArray], Sequence[str]]


class Severity(StrEnum):
    """Errors block the commit; warnings are shown and stored with the data."""

    ERROR = N_("error")  # marked: a report's text names the severity in the reader's language
    WARNING = N_("warning")


@dataclass(frozen=True)
class RuleCount:
    """How many cells of one column break one rule: always the full count, listed or not.

    ``sheet`` names the sheet in a report of several sheets (``None`` in one of one sheet).
    """

    severity: Severity
    column: str
    rule: str
    count: int
    sheet: str | None = None

    @property
    def where(self) -> str:
        """The column, after its sheet when the report has several."""
        return self.column if self.sheet is None else f"{self.sheet}: {self.column}"

    def to_dict(self) -> dict[str, Any]:
        counted = {"sheet": self.sheet} if self.sheet is not None else {}
        return counted | {
            "severity": self.severity.value,
            "column": self.column,
            "rule": self.rule,
            "count": self.count,
        }


class ProblemLog:
    """Collects the problems of one parsed sheet.

    ``flagged[key]`` marks the cells that already have an error, so each cell gets one error
    (the first rule that fails), never a cascade (a blank required cell is "required", not
    also "not a number"). ``blank_rows`` marks rows whose every cell is blank (spaces only):
    they are not data, so they get no problem and are left out.

    Every problem is counted per (severity, column, rule); records are kept for the first
    ``max_listed`` errors and the first ``max_listed`` warnings in sheet order, and ``frame``
    lists at most ``max_listed`` of them, errors first.
    """

    def __init__(self, sheet: ParsedSheet, *, max_listed: int | None = None) -> None:
        self.sheet = sheet
        self.max_listed = (
            max_listed if max_listed is not None else get_settings().report_max_problems
        )
        self.flagged = {key: np.zeros(len(sheet), dtype=bool) for key in sheet.cells}
        self.blank_rows = np.zeros(len(sheet), dtype=bool)
        self._counts: dict[tuple[Severity, str, str], list[int]] = {}  # [column index, count]
        self._kept: dict[Severity, pd.DataFrame] = {}

    def cell(
        self,
        key: str,
        mask: BoolArray,
        message: Message,
        *,
        expected: str | None = None,
        severity: Severity = Severity.ERROR,
        rule: str | None = None,
    ) -> None:
        """One problem per marked row, in column ``key``.

        Args:
            key: the contract column the problem is in.
            mask: the rows (positions in ``sheet.rows``) that have it.
            message: the plain-language reason; or a function of the marked positions that
                returns one message per position (for messages quoting other values). It is
                called for the positions that may be listed only.
            expected: what a valid cell holds (default: the column's description).
            severity: errors block the commit; warnings do not.
            rule: the rule's name in the counts per rule; required when ``message`` is a
                function, default ``message``.
        """
        mask = mask & ~self.blank_rows
        if severity is Severity.ERROR:
            mask = mask & ~self.flagged[key]
            self.flagged[key] |= mask
        positions = np.flatnonzero(mask)
        if not len(positions):
            return
        header = self.sheet.headers[key]
        self._count(severity, header.text, header.index, _rule(rule, message), len(positions))
        positions = positions[: self.max_listed]
        if not self._may_list(severity, int(self.sheet.rows[positions[0]]), header.index):
            return
        rows = self.sheet.rows[positions]
        letter = column_letter(header.index)
        id_cells = self.sheet.cells.get(self.sheet.contract.key[0])
        row_ids = [display(v) for v in id_cells[positions]] if id_cells is not None else ""
        messages = [message] * len(positions) if isinstance(message, str) else message(positions)
        self._keep(
            severity,
            pd.DataFrame(
                {
                    "severity": severity.value,
                    "sheet": self.sheet.sheet,
                    "row": rows,
                    "column": header.text,
                    "cell": [f"{letter}{row}" for row in rows],
                    "value": [display(v) for v in self.sheet.cells[key][positions]],
                    "expected": expected or expected_in_words(self.sheet.contract.column(key)),
                    "message": list(messages),
                    ROW_ID: row_ids,
                    "_order": header.index,
                }
            ),
        )

    def header(
        self,
        header_text: str,
        index: int,
        message: str,
        expected: str,
        *,
        severity: Severity = Severity.ERROR,
        rule: str | None = None,
    ) -> None:
        """A problem with the header row itself (a repeated or a missing column)."""
        row = self.sheet.header_row
        self._count(severity, header_text, index, rule or message, 1)
        self._keep(
            severity,
            pd.DataFrame(
                {
                    "severity": [severity.value],
                    "sheet": self.sheet.sheet,
                    "row": row,
                    "column": header_text,
                    "cell": f"{column_letter(index)}{row}" if index >= 0 else "",
                    "value": header_text if index >= 0 else "",
                    "expected": expected,
                    "message": message,
                    ROW_ID: "",
                    "_order": index,
                }
            ),
        )

    def _count(self, severity: Severity, column: str, index: int, rule: str, count: int) -> None:
        counted = self._counts.setdefault((severity, column, rule), [index, 0])
        counted[1] += count

    def _may_list(self, severity: Severity, row: int, index: int) -> bool:
        """Whether a problem at (row, column index) comes before the last one kept."""
        kept = self._kept.get(severity)
        if kept is None or len(kept) < self.max_listed:
            return self.max_listed > 0
        last = kept.iloc[-1]
        return (row, index) < (int(last["row"]), int(last["_order"]))

    def _keep(self, severity: Severity, problems: pd.DataFrame) -> None:
        """Add ``problems`` to the kept records and keep the first ``max_listed``."""
        kept = self._kept.get(severity)
        merged = problems if kept is None else pd.concat([kept, problems], ignore_index=True)
        merged = merged.sort_values(ORDER, kind="stable").head(self.max_listed)
        self._kept[severity] = merged.reset_index(drop=True)

    @property
    def rows_left_out(self) -> BoolArray:
        """Rows (positions) not to store: those with an error, and blank ones."""
        rows = self.blank_rows.copy()
        for flagged in self.flagged.values():
            rows |= flagged
        return rows

    @property
    def data_rows(self) -> int:
        """How many rows hold data (not blank)."""
        return int((~self.blank_rows).sum())

    def frame(self) -> pd.DataFrame:
        """The problems listed: at most ``max_listed``, the errors first, then as many
        warnings as there is room for, each in sheet order (row, then column)."""
        errors = self._kept.get(Severity.ERROR)
        warnings = self._kept.get(Severity.WARNING)
        listed = 0 if errors is None else len(errors)
        if warnings is not None:
            warnings = warnings.head(max(self.max_listed - listed, 0))
        parts = [part for part in (errors, warnings) if part is not None and len(part)]
        if not parts:
            return empty_problems()
        problems = pd.concat(parts, ignore_index=True)  # each part is kept in sheet order
        return problems.drop(columns="_order")

    def counts(self) -> tuple[RuleCount, ...]:
        """Every problem counted per severity, column and rule: errors first, then in the
        sheet's column order."""
        severities = list(Severity)
        ordered = sorted(
            self._counts.items(),
            key=lambda item: (severities.index(item[0][0]), item[1][0]),
        )
        return tuple(
            RuleCount(severity, column, rule, count)
            for (severity, column, rule), (_index, count) in ordered
        )


def _rule(rule: str | None, message: Message) -> str:
    if rule is not None:
        return rule
    if isinstance(message, str):
        return message
    raise TypeError("a rule whose messages are made per cell needs a rule name")


def empty_problems() -> pd.DataFrame:
    """A problems frame with no rows (and the right columns)."""
    return pd.DataFrame({name: pd.Series(dtype=object) for name in (*PROBLEM_FIELDS, ROW_ID)})
