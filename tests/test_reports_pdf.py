"""The PDF report: the HTML printed by headless Chromium, read back by pdftotext."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from reports_helpers import needs_chromium, tiny_frames, tiny_records

from skills_roadmap.reports import ChromiumMissingError, report_content, write_pdf
from skills_roadmap.reports import pdf as pdf_module


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    content = report_content(tiny_frames(), records=tiny_records())
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    with path.open("wb") as handle:
        write_pdf(content, handle)
    return content, path


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


@needs_chromium
def test_pdf_holds_the_summary_and_the_figures(printed: tuple[object, Path]) -> None:
    content, path = printed
    text = " ".join(pdf_text(path).split())  # words as read, lines joined

    assert path.read_bytes().startswith(b"%PDF")
    for sentence in content.summary:  # type: ignore[attr-defined]
        assert sentence in text
    assert "Basic 2025 480 168 230 35.0%" in text


@needs_chromium
def test_pdf_is_a4_with_numbered_pages(printed: tuple[object, Path]) -> None:
    _, path = printed
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))

    assert "(A4)" in info
    text = pdf_text(path)
    assert [f"Page {page} of {pages}" in text for page in range(1, pages + 1)] == [True] * pages


def test_missing_chromium_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module.shutil, "which", lambda _name: None)

    with pytest.raises(ChromiumMissingError, match="PDF export needs Chromium: install it"):
        write_pdf(report_content(tiny_frames()), io.BytesIO())


def test_a_failing_chromium_is_reported_in_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n")
    broken.chmod(0o755)

    with pytest.raises(pdf_module.PdfPrintError, match=r"\(cannot open display\): export HTML"):
        write_pdf(report_content(tiny_frames()), io.BytesIO(), chromium=str(broken))
