"""Exporting: formats, filters from plain values, safe files, and `skills-roadmap export`."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from reports_helpers import tiny_frames

from skills_roadmap import audit
from skills_roadmap.analysis import Filters
from skills_roadmap.audit import AuditAction, AuditQuery
from skills_roadmap.domain import TrainingLevel
from skills_roadmap.reports import (
    ExportError,
    ReportFormat,
    download_name,
    format_for,
    make_filters,
    report_bytes,
    report_content,
    save_report,
)
from skills_roadmap.reports import export as export_module
from skills_roadmap.storage import make_engine


@pytest.mark.parametrize(
    ("name", "chosen", "expected"),
    [
        ("report.xlsx", None, ReportFormat.XLSX),
        ("report.ZIP", None, ReportFormat.CSV),
        ("report.htm", None, ReportFormat.HTML),
        ("report.pdf", None, ReportFormat.PDF),
        ("report.pdf", ReportFormat.HTML, ReportFormat.HTML),  # an explicit format wins
    ],
)
def test_format_follows_the_choice_or_the_suffix(
    name: str, chosen: ReportFormat | None, expected: ReportFormat
) -> None:
    assert format_for(Path(name), chosen) is expected


def test_an_existing_folder_means_the_csv_set(tmp_path: Path) -> None:
    assert format_for(tmp_path, None) is ReportFormat.CSV


def test_an_unknown_suffix_asks_for_a_format() -> None:
    with pytest.raises(ExportError, match="give --format xlsx, csv, html or pdf"):
        format_for(Path("report.txt"), None)


def test_filters_from_plain_values() -> None:
    filters = make_filters(regions=["ES24"], levels=["basic"], as_of="2024-06")

    assert filters == Filters(regions=("ES24",), levels=(TrainingLevel.BASIC,), as_of="2024-06")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"regions": ["es24"]}, "'es24' is not a region code"),
        ({"as_of": "2024-13"}, "'2024-13' is not a month: expected YYYY-MM"),
        ({"levels": ["advanced"]}, "invalid filter: Input should be 'basic', 'intermediate' or"),
    ],
)
def test_malformed_filters_are_named(values: dict[str, object], message: str) -> None:
    with pytest.raises(ExportError, match=message):
        make_filters(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("report_format", "magic"),
    [
        (ReportFormat.XLSX, b"PK"),
        (ReportFormat.CSV, b"PK"),
        (ReportFormat.HTML, b"<!DOCTYPE html>"),
    ],
)
def test_downloads_are_named_after_the_selection(report_format: ReportFormat, magic: bytes) -> None:
    content = report_content(tiny_frames(), Filters(regions=("ES24",)))

    assert report_bytes(content, report_format).startswith(magic)
    assert download_name(content, report_format) == (
        f"skills-roadmap-aragon-2024-12.{report_format.extension}"
    )


def test_a_failed_export_leaves_no_file_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(export_module, "write_xlsx", broken)
    out = tmp_path / "report.xlsx"

    with pytest.raises(ExportError, match="cannot write .*report.xlsx: disk full"):
        save_report(report_content(tiny_frames()), ReportFormat.XLSX, out)
    assert list(tmp_path.iterdir()) == []


def test_a_folder_in_the_way_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "report.xlsx").mkdir()

    with pytest.raises(ExportError, match="cannot write .*report.xlsx: Is a directory"):
        save_report(report_content(tiny_frames()), ReportFormat.XLSX, tmp_path / "report.xlsx")


def test_csv_goes_to_a_folder_or_a_zip(tmp_path: Path) -> None:
    content = report_content(tiny_frames())
    save_report(content, ReportFormat.CSV, tmp_path / "tables")
    save_report(content, ReportFormat.CSV, tmp_path / "tables.zip")

    assert (tmp_path / "tables" / "attainment.csv").exists()
    with zipfile.ZipFile(tmp_path / "tables.zip") as archive:
        assert f"{content.slug}/attainment.csv" in archive.namelist()


@pytest.fixture
def database(demo_database: Path, tmp_path: Path) -> Path:
    """A copy of the demo database: exports write to its audit log."""
    copy = tmp_path / "demo.sqlite"
    shutil.copy(demo_database, copy)
    return copy


def run_export(database: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = os.environ | {
        "SKILLS_ROADMAP_DATA_DIR": str(tmp_path / "data"),
        "SKILLS_ROADMAP_DATABASE_URL": f"sqlite:///{database}",
    }
    return subprocess.run(
        [sys.executable, "-m", "skills_roadmap.cli", "export", *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )


def test_export_command_writes_the_filtered_workbook_and_audits_it(
    database: Path, tmp_path: Path
) -> None:
    out = tmp_path / "aragon.xlsx"
    result = run_export(
        database, tmp_path, "--region", "ES24", "--level", "basic", "--out", str(out)
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"report written: {out}"
    summary = openpyxl.load_workbook(out)["Summary"]
    assert summary["A1"].value == "Skills Roadmap report: Aragón"
    assert str(summary["A4"].value).startswith("Aragón has reached")
    engine = make_engine(f"sqlite:///{database}")
    entries = audit.query(engine, AuditQuery(action=AuditAction.EXPORT))
    engine.dispose()
    assert [entry.object for entry in entries] == ["report skills-roadmap-aragon-2026-10.xlsx"]
    assert '"levels": "basic"' in str(entries[0].detail)


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ["--region", "FR10", "--out", "x.xlsx"],
            "error: unknown region FR10: pick from those in the database",
        ),
        (
            ["--as-of", "2026-1", "--out", "x.html"],
            "error: invalid filter: '2026-1' is not a month",
        ),
        (["--out", "x.txt"], "error: cannot tell the format of 'x.txt'"),
    ],
)
def test_export_command_errors_are_one_line(
    database: Path, tmp_path: Path, args: list[str], error: str
) -> None:
    result = run_export(database, tmp_path, *args)

    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and lines[0].startswith(error), result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / args[-1]).exists()


def test_report_bytes_of_csv_is_a_zip() -> None:
    data = report_bytes(report_content(tiny_frames()), ReportFormat.CSV)

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert len(archive.namelist()) == 11
