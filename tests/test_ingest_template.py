"""The progress template: this month's active programmes of a cluster, ready to fill in."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from ingest_helpers import HEADERS, TODAY, add_network, programme
from sqlalchemy import Engine

from skills_roadmap.exceptions import NotFoundError
from skills_roadmap.fields import BREAKDOWN_MEASURES
from skills_roadmap.ingest import dry_run, progress_template


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture
def cluster_engine(engine: Engine) -> Engine:
    """aragon-ai runs ARA-1 (active), ARA-OLD (ended May 2025) and ARA-NEW (starts 30 June)."""
    add_network(
        engine,
        programme("ARA-1"),
        programme("ARA-OLD", start=date(2024, 1, 1), end=date(2025, 5, 31)),
        programme("ARA-NEW", start=date(2025, 6, 30), end=date(2026, 6, 30)),
        programme("CLJ-1", "cluj-it"),
    )
    return engine


def test_template_lists_the_clusters_programmes_active_this_month(cluster_engine: Engine) -> None:
    sheet = load(progress_template(cluster_engine, "aragon-ai", TODAY))["Progress"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [*HEADERS, *(f.header for f in BREAKDOWN_MEASURES)]
    assert [row[:2] for row in rows[1:]] == [("ARA-1", "2025-06"), ("ARA-NEW", "2025-06")]


def test_template_without_a_cluster_lists_every_cluster(cluster_engine: Engine) -> None:
    sheet = load(progress_template(cluster_engine, None, TODAY))["Progress"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "ARA-1",
        "ARA-NEW",
        "CLJ-1",
    ]


def test_template_has_a_frozen_header_validation_and_instructions(cluster_engine: Engine) -> None:
    workbook = load(progress_template(cluster_engine, "aragon-ai", TODAY))
    assert workbook.sheetnames == ["Progress", "Instructions"]
    sheet = workbook["Progress"]
    assert sheet.freeze_panes == "A2"
    rules = {
        str(v.sqref): (v.type, v.operator, v.formula1)
        for v in sheet.data_validations.dataValidation
    }
    assert rules == {
        "C2:C5001": ("whole", "greaterThanOrEqual", "0"),
        "D2:D5001": ("whole", "greaterThanOrEqual", "0"),
        "E2:E5001": ("whole", "greaterThanOrEqual", "0"),
        "F2:F5001": ("whole", "greaterThanOrEqual", "0"),
        "G2:G5001": ("whole", "greaterThanOrEqual", "0"),
        "H2:H5001": ("decimal", "greaterThanOrEqual", "0"),
        # the ESF+ bands, J (Men) to V (ISCED 5-8), after Notes
        **{
            f"{column}2:{column}5001": ("whole", "greaterThanOrEqual", "0")
            for column in "JKLMNOPQRSTUV"
        },
    }
    instructions = [row for row in workbook["Instructions"].iter_rows(values_only=True)]
    assert instructions[0][0] == "How to fill in this progress sheet"
    assert any(
        str(row[0]).startswith("Men to ISCED 5-8 are the participant") for row in instructions
    )
    explained = {
        row[0]: row[1:4] for row in instructions if row[0] in ("Under 18", "Long-term unemployed")
    }
    assert explained == {
        "Under 18": (
            "no",
            "a whole number of 0 or more; the age bands together at most Enrolled",
            "Enrolled aged under 18; blank: not reported.",
        ),
        "Long-term unemployed": (
            "no",
            "a whole number of 0 or more, at most Unemployed",
            "Of the unemployed enrolled, those long-term unemployed; blank: not reported.",
        ),
    }
    assert ("ARA-1", "basic", "Programme ARA-1", "2024-01-01", "2026-12-31", 500) in [
        row[:6] for row in instructions
    ]


def test_unknown_cluster_is_refused(cluster_engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="no cluster has the ID 'nowhere'"):
        progress_template(cluster_engine, "nowhere", TODAY)


def test_an_unfilled_template_is_not_accepted_as_zeros(cluster_engine: Engine) -> None:
    data = progress_template(cluster_engine, "aragon-ai", TODAY)
    report = dry_run(cluster_engine, data, "template.xlsx", today=TODAY)
    assert [(p["cell"], p["message"]) for p in report.errors] == [
        ("C2", "a value is required here"),
        ("D2", "a value is required here"),
        ("C3", "a value is required here"),
        ("D3", "a value is required here"),
    ]
