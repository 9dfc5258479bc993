"""Network workbooks for tests: the committed sample, small workbooks written row by row, and
what the network's tables hold."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
from sqlalchemy import Engine, text

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample-network.xlsx"
NETWORK_TABLES = (
    "regions",
    "clusters",
    "cluster_regions",
    "programmes",
    "targets",
    "target_milestones",
    "facilities",
)
REGION_HEADERS = ["Region code", "Name", "Country", "Latitude", "Longitude", "Adults"]
CLUSTER_HEADERS = ["Cluster ID", "Name", "Home region", "Also works in", "Helix roles", "Website"]
PROGRAMME_HEADERS = [
    "Programme ID", "Name", "Cluster ID", "Region", "Level", "Provider", "Provider helix",
    "Delivery mode", "Start", "End", "Capacity", "Budget EUR", "Funding source",
]  # fmt: skip
TARGET_HEADERS = [
    "Target ID", "Scope", "Scope ID", "Level", "Metric", "Deadline year", "Value",
    "Baseline year", "Baseline value", "Milestones",
]  # fmt: skip
FACILITY_HEADERS = [
    "Facility ID", "Name", "Kind", "Region", "Cluster ID", "Planned opening", "Opened", "Notes",
]  # fmt: skip


def programme_row(
    programme_id: str, cluster_id: str = "aragon-ai", region: str = "ES24"
) -> list[Any]:
    """A valid Programmes row (2025) of ``cluster_id`` in ``region``."""
    return [
        programme_id, f"Programme {programme_id}", cluster_id, region, "basic", "Provider",
        "academia", "online", "2025-01-01", "2025-12-31", 100, 10_000, "ESF+",
    ]  # fmt: skip


def small_network() -> dict[str, list[list[Any]]]:
    """A valid workbook of every network sheet: Aragón (a NUTS-2 region from the reference)
    and a region of the network's own, a cluster working in both, a programme in each, a
    target and a facility."""
    return {
        "Regions": [
            REGION_HEADERS,
            ["ES24", None, None, None, None, 960_000],
            ["PYRENE", "Pyrenees", "ES", 42.6, 0.5, None],
        ],
        "Clusters": [
            CLUSTER_HEADERS,
            ["aragon-ai", "Aragón AI", "ES24", "PYRENE", "industry; academia", None],
        ],
        "Programmes": [
            PROGRAMME_HEADERS,
            programme_row("P-1"),
            programme_row("P-2", region="PYRENE"),
        ],
        "Targets": [
            TARGET_HEADERS,
            ["T-1", "region", "ES24", "basic", "completed", 2027, 500, 2024, 0, "2025: 100"],
        ],
        "Facilities": [
            FACILITY_HEADERS,
            ["F-1", "Zaragoza AI Lab", "idea generation", "ES24", "aragon-ai", "2025-03", None,
             None],
        ],
    }  # fmt: skip


def workbook_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    """An .xlsx workbook with one sheet per entry, rows as given."""
    workbook = openpyxl.Workbook()
    del workbook[workbook.sheetnames[0]]
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_counts(engine: Engine) -> dict[str, int]:
    """How many rows each table of the network holds."""
    with engine.connect() as connection:
        return {
            table: int(connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())
            for table in NETWORK_TABLES
        }


def sheet_values(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's cell values, row by row."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}
