"""Find formula cells of an .xlsx/.xlsm worksheet whose saved result is missing or an error.

Formulas are never evaluated: the product reads the result the spreadsheet program saved.
A workbook written by a library (not by Excel or LibreOffice) may hold formulas without a
saved result; python-calamine shows those as empty cells, so they are found here, in the
worksheet XML, and reported as errors instead of being read as "not reported".
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from defusedxml.ElementTree import iterparse

from skills_roadmap.i18n.words import _

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
PREFIXED_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*):worksheet[\s>]")
PROLOG_BYTES = 4096


@dataclass(frozen=True)
class BrokenCell:
    """A cell whose value cannot be used: 0-based row and column, and why."""

    row: int
    column: int
    reason: str


def broken_formula_cells(xml: bytes) -> list[BrokenCell]:
    """Formula cells in a worksheet's XML whose saved result is missing or an error.

    The bytes are first searched for a formula element (one regex pass, no parsing); only a
    sheet that has formulas is parsed, with defusedxml.
    """
    prefixed = PREFIXED_ROOT.search(xml[:PROLOG_BYTES])
    name = b"<" + prefixed.group(1) + b":f" if prefixed else b"<f"
    # The tag name must end there (not <firstHeader>); a literal-prefix regex scans fast.
    if not re.compile(re.escape(name) + rb"[\s>/]").search(xml):
        return []
    broken = []
    for _event, element in iterparse(io.BytesIO(xml), events=("end",)):
        if element.tag == f"{{{MAIN_NS}}}c":
            problem = _formula_problem(element)
            if problem is not None:
                row, column = cell_position(element.get("r", ""))
                broken.append(BrokenCell(row=row, column=column, reason=problem))
            element.clear()
    return broken


def _formula_problem(cell: Any) -> str | None:
    if cell.find(f"{{{MAIN_NS}}}f") is None:
        return None
    value = cell.find(f"{{{MAIN_NS}}}v")
    if value is None or not (value.text or "").strip():
        return _("a formula without a saved result")
    if cell.get("t") == "e":
        return _("a formula whose result is the error {error}", error=value.text)
    return None


def cell_position(reference: str) -> tuple[int, int]:
    """0-based (row, column) of an A1-style reference such as ``H4``."""
    match = CELL_REF.match(reference)
    if not match:
        return -1, -1
    column = 0
    for letter in match.group(1):
        column = column * 26 + (ord(letter) - 64)
    return int(match.group(2)) - 1, column - 1


def column_letter(index: int) -> str:
    """Spreadsheet column letters of a 0-based column index (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
