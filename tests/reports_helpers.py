"""A tiny network with hand-computable figures for the report tests.

Two regions, one basic programme each, monthly progress for 2024 and targets for December
2025 with a January 2024 baseline of zero. As of 2024-12 the trajectory expects 11/23 of each
target; Aragón (10 completed a month) is ahead, Nord-Vest (4 a month) is off track.
"""

from __future__ import annotations

import os
import shutil

import numpy as np
import pandas as pd
import pytest

from skills_roadmap.analysis import Frames, build_frames
from skills_roadmap.reports import StoredRecords

MONTHS = [f"2024-{month:02d}" for month in range(1, 13)]
SHEETS = [
    "Summary",
    "Regions",
    "Clusters",
    "Matrix",
    "Programmes",
    "Progress",
    "Targets",
    "Target revisions",
    "Attainment",
    "EU frames",
    "ESF+",
    "Uploads",
    "Notes",
]
"""The Excel report's sheets, in order, in English."""
needs_chromium = pytest.mark.skipif(
    os.environ.get("CI") != "true"
    and (shutil.which("chromium") is None or shutil.which("pdftotext") is None),
    reason="needs chromium and poppler-utils (pdftotext); CI installs both",
)
"""For a PDF test: skipped on a machine without the browser that prints, never in CI."""
FORMULA_NAME = '=HYPERLINK("http://x","y")'


def tiny_frames(
    programme_name: str = "AI literacy for SMEs", cluster_name: str = "Aragón AI Cluster"
) -> Frames:
    """The tiny network; names are parameters so tests can slip hostile text in."""
    regions = pd.DataFrame(
        {
            "region_code": ["ES24", "RO11"],
            "name": ["Aragón", "Nord-Vest"],
            "country": ["ES", "RO"],
            "lat": [41.5, 47.2],
            "lon": [-0.7, 23.4],
        }
    )
    clusters = pd.DataFrame(
        {
            "cluster_id": ["aragon-ai", "cluj-it"],
            "region_code": ["ES24", "RO11"],
            "name": [cluster_name, "Cluj IT"],
            "helix_roles": ["industry,academia", "industry"],
        }
    )
    programmes = pd.DataFrame(
        {
            "programme_id": ["ES24-B001", "RO11-B001"],
            "name": [programme_name, "Digital skills for Cluj"],
            "cluster_id": ["aragon-ai", "cluj-it"],
            "region_code": ["ES24", "RO11"],
            "level": ["basic", "basic"],
            "provider": ["Zaragoza Digital", "Cluj Academy"],
            "provider_helix": ["industry", "academia"],
            "delivery_mode": ["online", "blended"],
            "start": ["2024-01-01", "2024-01-01"],
            "end": ["2025-12-31", "2025-12-31"],
            "capacity": [240, 120],
            "budget_eur": [24_000.0, 12_000.0],
            "funding_source": ["ESF+", "ERDF"],
        }
    )
    targets = pd.DataFrame(
        {
            "target_id": ["network-basic", "region-ES24-basic", "region-RO11-basic"],
            "scope": ["network", "region", "region"],
            "scope_id": [None, "ES24", "RO11"],
            "level": ["basic"] * 3,
            "metric": ["completed"] * 3,
            "deadline_year": [2025] * 3,
            "value": [480, 240, 240],
            "baseline_year": [2024] * 3,
            "baseline_value": [0, 0, 0],
        }
    )
    aragon = pd.DataFrame(
        {
            "programme_id": "ES24-B001",
            "period": MONTHS,
            "enrolled": 12,
            "completed": 10,
            "certified": 5.0,
            "dropped_out": 1.0,
            "women": 6.0,
            "spend_eur": 1_000.0,
        }
    )
    cluj = pd.DataFrame(
        {
            "programme_id": "RO11-B001",
            "period": MONTHS,
            "enrolled": 6,
            "completed": 4,
            "certified": np.nan,
            "dropped_out": np.nan,
            "women": np.nan,
            "spend_eur": 500.0,
        }
    )
    return build_frames(
        regions=regions,
        clusters=clusters,
        programmes=programmes,
        targets=targets,
        progress=pd.concat([aragon, cluj], ignore_index=True),
    )


def tiny_records(note: str = "Cohort started") -> StoredRecords:
    """One committed upload and one note (on Aragón's first month)."""
    uploads = pd.DataFrame(
        {
            "upload_id": [1],
            "file_name": ["progress-2024-12.xlsx"],
            "kind": ["progress"],
            "uploaded_by": ["manager"],
            "uploaded_at": pd.to_datetime(["2025-01-05 09:30"], utc=True),
            "outcome": ["committed"],
            "rows_new": [24],
            "rows_changed": [0],
            "rows_unchanged": [0],
            "errors": [0],
            "warnings": [0],
        }
    )
    notes = pd.DataFrame({"programme_id": ["ES24-B001"], "period": ["2024-01"], "notes": [note]})
    return StoredRecords(uploads=uploads, notes=notes)
