"""PDF export: the HTML report printed to A4 by headless Chromium, when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import IO

from skills_roadmap.exceptions import SkillsRoadmapError
from skills_roadmap.reports.data import ReportContent
from skills_roadmap.reports.html import render_html
from skills_roadmap.reports.tracking import Tracker, part

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_SECONDS = 180
# Time Chromium's virtual clock may run before printing, so every chart has been drawn.
SCRIPT_BUDGET_MS = 10_000


class ChromiumMissingError(SkillsRoadmapError):
    """No Chromium to print the PDF with."""


class PdfPrintError(SkillsRoadmapError):
    """Chromium was found but did not print the report."""


def find_chromium() -> str:
    """The Chromium (or Chrome) executable on the PATH.

    Raises:
        ChromiumMissingError: none is installed.
    """
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    raise ChromiumMissingError(
        "PDF export needs Chromium: install it (e.g. `apt-get install chromium`), "
        "or export HTML and print it from a browser"
    )


def print_command(chromium: str, page: Path, pdf: Path, profile: Path) -> list[str]:
    """Chromium's command line to print ``page`` to ``pdf``.

    The sandbox is off because Chromium refuses to start with it as root or in most
    containers; the page is the report's own escaped HTML, whose policy forbids every request.
    Page numbers come from the page's CSS, so Chromium's own header and footer are off.
    """
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        "--run-all-compositor-stages-before-draw",
        f"--virtual-time-budget={SCRIPT_BUDGET_MS}",
        f"--print-to-pdf={pdf}",
        page.as_uri(),
    ]


def write_pdf(
    content: ReportContent,
    target: IO[bytes],
    tracker: Tracker | None = None,
    chromium: str | None = None,
) -> None:
    """The report as an A4 PDF written to ``target``: the HTML report printed by Chromium.

    Raises:
        ChromiumMissingError: no Chromium is installed (and ``chromium`` is not given).
        PdfPrintError: Chromium failed or took longer than ``TIMEOUT_SECONDS``.
    """
    browser = chromium or find_chromium()
    with tempfile.TemporaryDirectory(prefix="skills-roadmap-pdf-") as folder:
        work = Path(folder)
        page, pdf = work / "report.html", work / "report.pdf"
        page.write_text(render_html(content), encoding="utf-8")
        part(tracker, 0.0, 0.2)(1.0)
        command = print_command(browser, page, pdf, work / "profile")
        try:
            result = subprocess.run(
                command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            raise PdfPrintError(
                f"Chromium did not print the report within {TIMEOUT_SECONDS} s: "
                "narrow the filters or export HTML instead"
            ) from None
        except OSError as error:
            raise PdfPrintError(
                f"Chromium could not be started ({error}): check {browser}"
            ) from None
        if result.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
            detail = result.stderr.decode(errors="replace").strip().splitlines()[-1:] or [
                "no output"
            ]
            raise PdfPrintError(
                f"Chromium could not print the report ({detail[0]}): export HTML and print it "
                "from a browser instead"
            )
        target.write(pdf.read_bytes())
    part(tracker, 0.2, 1.0)(1.0)
