"""The administrators' guide to the network workbook lists the columns the catalogue declares."""

from __future__ import annotations

from pathlib import Path

import pytest

from skills_roadmap.ingest import NETWORK_CONTRACTS, SheetKind
from skills_roadmap.ingest.contract import SheetContract

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "network.md"


def _table_after(text: str, heading: str) -> list[list[str]]:
    after = text[text.index(heading) :]
    start = after.index("\n|")
    rows = []
    for line in after[start + 1 :].splitlines():
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows[2:]  # without the header and the separator


@pytest.mark.parametrize("contract", NETWORK_CONTRACTS, ids=lambda c: c.sheet_name)
def test_the_guide_lists_every_column_of_each_sheet(contract: SheetContract) -> None:
    rows = _table_after(GUIDE.read_text(encoding="utf-8"), f"### {contract.sheet_name}")
    assert [(row[0], row[1]) for row in rows] == [
        (column.header, "yes" if column.required else "no") for column in contract.columns
    ]


def test_the_guide_names_the_sheets_in_the_order_they_are_stored() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    positions = [text.index(f"### {contract.sheet_name}") for contract in NETWORK_CONTRACTS]
    assert positions == sorted(positions)
    assert [contract.kind for contract in NETWORK_CONTRACTS] == [
        SheetKind.REGIONS,
        SheetKind.CLUSTERS,
        SheetKind.PROGRAMMES,
        SheetKind.TARGETS,
        SheetKind.FACILITIES,
    ]
