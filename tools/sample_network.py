"""Write ``data/sample-network.xlsx``: a small network that is not the demo, without progress.

The Danube-Alps AI Skills Alliance (invented for the sample): six NUTS-2 regions in Austria,
Slovenia, Croatia and Hungary, eight clusters (the Styrian one also works across the border in
Western Slovenia), twenty programmes, a target per region and level with milestones, network
targets, and the alliance's facilities. Its names of organisations are made up; the adults per
region are rounded orders of magnitude, not official statistics.

    python tools/sample_network.py [OUT]    # default: data/sample-network.xlsx

The same code always writes the same bytes (the workbook's creation time is fixed).
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from skills_roadmap.fields import (
    CLUSTER_FIELDS,
    FACILITY_FIELDS,
    PROGRAMME_FIELDS,
    REGION_FIELDS,
    TARGET_FIELDS,
    Field,
)
from skills_roadmap.ingest import SheetKind, write_network_workbook

OUT = Path(__file__).resolve().parents[1] / "data" / "sample-network.xlsx"
CREATED = datetime(2026, 12, 1)
BASELINE_YEAR, DEADLINE_YEAR = 2024, 2027
# Share of a target due by December of each milestone year.
MILESTONE_SHARES = {2025: 0.25, 2026: 0.6}

# code, name (blank country and coordinates: the NUTS-2 reference's), adults aged 16-74
REGIONS = [
    ("AT13", "Wien", 1_450_000),
    ("AT22", "Steiermark", 900_000),
    ("SI04", "Zahodna Slovenija", 800_000),
    ("HR05", "Grad Zagreb", 560_000),
    ("HU11", "Budapest", 1_250_000),
    ("HU22", "Nyugat-Dunántúl", 720_000),
]

# id, name, home region, also works in, helix roles, website
CLUSTERS = [
    ("vienna-ai", "Vienna AI Cluster", "AT13", "", "industry,academia,public"),
    ("vienna-digital-skills", "Vienna Digital Skills Alliance", "AT13", "", "public,society"),
    (
        "styria-ai-manufacturing",
        "Styrian AI in Manufacturing Cluster",
        "AT22",
        "SI04",
        "industry,academia",
    ),
    ("ljubljana-ai", "Ljubljana AI Hub", "SI04", "", "academia,industry"),
    ("zagreb-ict", "Zagreb ICT Cluster", "HR05", "", "industry"),
    ("zagreb-ai-education", "Zagreb AI Education Network", "HR05", "", "academia,society"),
    ("budapest-ai", "Budapest AI Coalition", "HU11", "HU22", "industry,public,academia"),
    ("west-pannon-digital", "West Pannon Digital Cluster", "HU22", "", "industry"),
]

# id, name, cluster, region, level, provider, provider helix, delivery mode, start, end,
# capacity, budget EUR, funding source
PROGRAMMES = [
    ("AT13-B01", "GenAI at Work for Vienna SMEs", "vienna-digital-skills", "AT13", "basic",
     "Vienna Adult Education Network", "society", "blended", (2025, 2), (2026, 12), 1200,
     240_000, "ESF+"),
    ("AT13-B02", "AI Literacy for Public Servants", "vienna-digital-skills", "AT13", "basic",
     "Vienna City Digital Agency", "public", "online", (2025, 4), (2027, 3), 2000, 160_000,
     "Regional budget"),
    ("AT13-I01", "Applied Machine Learning for Integrators", "vienna-ai", "AT13",
     "intermediate", "Vienna AI Academy", "industry", "in-person", (2025, 3), (2026, 6), 120,
     300_000, "Digital Europe"),
    ("AT13-E01", "Trustworthy AI Research Fellowship", "vienna-ai", "AT13", "expert",
     "Vienna Institute of Technology", "academia", "in-person", (2025, 10), (2027, 9), 24,
     540_000, "Horizon Europe"),
    ("AT22-B01", "AI Basics for Manufacturing Crews", "styria-ai-manufacturing", "AT22",
     "basic", "Graz Tech Training", "industry", "blended", (2025, 2), (2026, 12), 800, 150_000,
     "ERDF"),
    ("AT22-I01", "Computer Vision for Industry", "styria-ai-manufacturing", "AT22",
     "intermediate", "Graz University of Applied Sciences", "academia", "in-person", (2025, 9),
     (2026, 8), 80, 220_000, "ERDF"),
    ("AT22-E01", "Industrial PhD in AI", "styria-ai-manufacturing", "AT22", "expert",
     "Graz Institute of Technology", "academia", "in-person", (2025, 10), (2028, 9), 12,
     720_000, "Horizon Europe"),
    ("SI04-B01", "Everyday AI for Citizens", "ljubljana-ai", "SI04", "basic",
     "Ljubljana Public Libraries", "society", "online", (2025, 3), (2026, 12), 1000, 90_000,
     "ESF+"),
    ("SI04-I01", "MLOps Practitioner", "ljubljana-ai", "SI04", "intermediate",
     "Ljubljana Technology Academy", "industry", "blended", (2025, 4), (2026, 3), 60, 140_000,
     "Digital Europe"),
    ("SI04-I02", "AI for Cross-Border Manufacturing Suppliers", "styria-ai-manufacturing",
     "SI04", "intermediate", "Maribor Industry Training Centre", "industry", "in-person",
     (2025, 5), (2026, 10), 90, 180_000, "Interreg"),
    ("SI04-E01", "Advanced Deep Learning Bootcamp", "ljubljana-ai", "SI04", "expert",
     "Ljubljana AI Research Institute", "academia", "in-person", (2025, 9), (2026, 6), 30,
     260_000, "Horizon Europe"),
    ("HR05-B01", "AI Tools for Small Businesses", "zagreb-ict", "HR05", "basic",
     "Zagreb Tech Training", "industry", "blended", (2025, 3), (2026, 12), 700, 110_000,
     "ESF+"),
    ("HR05-B02", "Responsible AI for Teachers", "zagreb-ai-education", "HR05", "basic",
     "Zagreb Teacher Training Network", "society", "blended", (2025, 9), (2027, 6), 900,
     130_000, "ESF+"),
    ("HR05-I01", "Data Engineering for AI", "zagreb-ict", "HR05", "intermediate",
     "Zagreb Polytechnic", "academia", "in-person", (2025, 10), (2026, 9), 70, 160_000,
     "Digital Europe"),
    ("HR05-E01", "MSc Track in Machine Learning", "zagreb-ai-education", "HR05", "expert",
     "Zagreb Faculty of Computing", "academia", "in-person", (2025, 10), (2027, 9), 25,
     380_000, "Regional budget"),
    ("HU11-B01", "Prompting for Office Teams", "budapest-ai", "HU11", "basic",
     "Budapest Digital Agency", "public", "online", (2025, 2), (2026, 12), 1500, 180_000,
     "Regional budget"),
    ("HU11-I01", "GenAI Solutions Architect", "budapest-ai", "HU11", "intermediate",
     "Budapest AI Lab", "industry", "blended", (2025, 6), (2026, 5), 100, 260_000, "Private"),
    ("HU11-E01", "LLM Engineering Residency", "budapest-ai", "HU11", "expert",
     "Budapest Institute of Technology", "academia", "in-person", (2025, 9), (2026, 8), 20,
     300_000, "Horizon Europe"),
    ("HU22-B01", "AI Awareness for Manufacturing Crews", "west-pannon-digital", "HU22",
     "basic", "Győr Adult Education Network", "society", "blended", (2025, 4), (2026, 12), 600,
     95_000, "ESF+"),
    ("HU22-I01", "AI Integrator Course", "west-pannon-digital", "HU22", "intermediate",
     "Győr Tech Training", "industry", "in-person", (2025, 9), (2026, 8), 50, 120_000, "ERDF"),
]  # fmt: skip

# People to train by December 2027 (completed), per region and level: basic, intermediate,
# expert.
TARGETS = {
    "AT13": (2_800, 220, 40),
    "AT22": (700, 140, 20),
    "SI04": (900, 160, 30),
    "HR05": (1_400, 120, 30),
    "HU11": (1_300, 180, 30),
    "HU22": (500, 80, 10),
}
LEVELS = ("basic", "intermediate", "expert")

# id, name, kind, region, cluster, planned opening, opened, status, notes
FACILITIES = [
    ("AT13-F01", "Vienna AI Experience Centre", "demonstration", "AT13", "vienna-ai",
     "2025-03", "2025-05", "operational", None),
    ("AT22-F01", "Styrian AI Test Bed for Production", "testing", "AT22",
     "styria-ai-manufacturing", "2025-06", None, "building",
     "Clean-room fit-out delayed by the equipment supplier."),
    ("SI04-F01", "Ljubljana AI Ideas Lab", "idea_generation", "SI04", "ljubljana-ai",
     "2025-04", "2025-04", "operational", None),
    ("SI04-F02", "Cross-Border Robotics Test Bed", "testing", "SI04",
     "styria-ai-manufacturing", "2026-09", None, "building", "Shared with the Styrian cluster."),
    ("HR05-F01", "Zagreb Co-creation Studio", "idea_generation", "HR05", "zagreb-ict",
     "2025-09", "2025-11", "operational", None),
    ("HR05-F02", "Zagreb AI Showroom", "demonstration", "HR05", None, "2027-01", None,
     "planned", "Run by the city itself."),
    ("HU11-F01", "Budapest AI Demonstration Centre", "demonstration", "HU11", "budapest-ai",
     "2026-03", None, "building", None),
    ("HU22-F01", "Győr Data Sandbox", "testing", "HU22", "west-pannon-digital", "2026-06",
     None, "planned", None),
]  # fmt: skip


def _frame(fields: tuple[Field, ...], rows: list[tuple[object, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[field.key for field in fields])


def _milestones(value: int) -> str:
    return "; ".join(f"{year}: {round(value * share)}" for year, share in MILESTONE_SHARES.items())


def _targets() -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for index, level in enumerate(LEVELS):
        for code, values in TARGETS.items():
            value = values[index]
            rows.append(
                (
                    f"T-{code}-{level}", "region", code, level, "completed", DEADLINE_YEAR,
                    value, BASELINE_YEAR, 0, _milestones(value), None,
                )
            )  # fmt: skip
        total = sum(values[index] for values in TARGETS.values())
        rows.append(
            (
                f"T-network-{level}", "network", None, level, "completed", DEADLINE_YEAR, total,
                BASELINE_YEAR, 0, _milestones(total), None,
            )
        )  # fmt: skip
    return rows


def sample_tables() -> dict[SheetKind, pd.DataFrame]:
    """The sample network, one frame per sheet, values as stored."""
    programmes = [
        (*head, date(*start, 1), _month_end(*end), capacity, float(budget), funding)
        for (*head, start, end, capacity, budget, funding) in PROGRAMMES
    ]
    return {
        SheetKind.REGIONS: _frame(
            REGION_FIELDS,
            [(code, name, None, None, None, adults) for code, name, adults in REGIONS],
        ),
        SheetKind.CLUSTERS: _frame(
            CLUSTER_FIELDS,
            [
                (
                    cluster_id,
                    name,
                    home,
                    also or None,
                    roles,
                    f"https://{cluster_id}.example.org",
                )
                for cluster_id, name, home, also, roles in CLUSTERS
            ],
        ),
        SheetKind.PROGRAMMES: _frame(PROGRAMME_FIELDS, programmes),
        SheetKind.TARGETS: _frame(TARGET_FIELDS, _targets()),
        SheetKind.FACILITIES: _frame(FACILITY_FIELDS, list(FACILITIES)),
    }


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def sample_workbook() -> bytes:
    """The sample network as a network workbook."""
    return write_network_workbook(sample_tables(), created=CREATED)


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else OUT
    out.write_bytes(sample_workbook())
    print(f"sample network written: {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
