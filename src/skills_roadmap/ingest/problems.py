"""Problems found in an upload: one record per cell, located as the user sees the sheet.

A rule hands over a boolean mask over the sheet's rows; the log turns the marked rows into
records (sheet, spreadsheet row, header as written, cell reference, value found, what was
expected, message, severity). Only the few marked rows are touched one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import pandas as pd

from skills_roadmap.ingest.cells import display
from skills_roadmap.ingest.formulas import column_letter
from skills_roadmap.ingest.readers import ParsedSheet

PROBLEM_FIELDS = ("severity", "sheet", "row", "column", "cell", "value", "expected", "message")

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]
Message = str | Callable[[IntArray], Sequence[str]]


class Severity(StrEnum):
    """Errors block the commit; warnings are shown and stored with the data."""

    ERROR = "error"
    WARNING = "warning"


class ProblemLog:
    """Collects the problems of one parsed sheet.

    ``flagged[key]`` marks the cells that already have an error, so each cell gets one error
    (the first rule that fails), never a cascade (a blank required cell is "required", not
    also "not a number"). ``blank_rows`` marks rows whose every cell is blank (spaces only):
    they are not data, so they get no problem and are left out.
    """

    def __init__(self, sheet: ParsedSheet) -> None:
        self.sheet = sheet
        self.flagged = {key: np.zeros(len(sheet), dtype=bool) for key in sheet.cells}
        self.blank_rows = np.zeros(len(sheet), dtype=bool)
        self._parts: list[pd.DataFrame] = []

    def cell(
        self,
        key: str,
        mask: BoolArray,
        message: Message,
        *,
        expected: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        """One problem per marked row, in column ``key``.

        Args:
            key: the contract column the problem is in.
            mask: the rows (positions in ``sheet.rows``) that have it.
            message: the plain-language reason; or a function of the marked positions that
                returns one message per position (for messages quoting other values).
            expected: what a valid cell holds (default: the column's description).
            severity: errors block the commit; warnings do not.
        """
        mask = mask & ~self.blank_rows
        if severity is Severity.ERROR:
            mask = mask & ~self.flagged[key]
            self.flagged[key] |= mask
        positions = np.flatnonzero(mask)
        if not len(positions):
            return
        header = self.sheet.headers[key]
        rows = self.sheet.rows[positions]
        letter = column_letter(header.index)
        messages = [message] * len(positions) if isinstance(message, str) else message(positions)
        self._parts.append(
            pd.DataFrame(
                {
                    "severity": severity.value,
                    "sheet": self.sheet.sheet,
                    "row": rows,
                    "column": header.text,
                    "cell": [f"{letter}{row}" for row in rows],
                    "value": [display(v) for v in self.sheet.cells[key][positions]],
                    "expected": expected or self.sheet.contract.column(key).expected,
                    "message": list(messages),
                    "_order": header.index,
                }
            )
        )

    def header(
        self,
        header_text: str,
        index: int,
        message: str,
        expected: str,
        *,
        severity: Severity = Severity.ERROR,
    ) -> None:
        """A problem with the header row itself (a repeated or a missing column)."""
        row = self.sheet.header_row
        self._parts.append(
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
                    "_order": index,
                }
            )
        )

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
        """All problems, in sheet order (row, then column)."""
        if not self._parts:
            return empty_problems()
        problems = pd.concat(self._parts, ignore_index=True)
        problems = problems.sort_values(["row", "_order"], kind="stable")
        return problems.drop(columns="_order").reset_index(drop=True)


def empty_problems() -> pd.DataFrame:
    """A problems frame with no rows (and the right columns)."""
    return pd.DataFrame({name: pd.Series(dtype=object) for name in PROBLEM_FIELDS})
