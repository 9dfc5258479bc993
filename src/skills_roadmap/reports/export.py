"""One entry point for every export, used by the command line and the dashboard alike."""

from __future__ import annotations

import io
import os
from collections.abc import Collection, Iterable
from enum import StrEnum
from pathlib import Path
from typing import IO

from pydantic import ValidationError
from sqlalchemy import Engine

from skills_roadmap import audit
from skills_roadmap.analysis import AnalysisSettings, Filters, Frames, load_frames
from skills_roadmap.audit import AuditAction
from skills_roadmap.exceptions import SkillsRoadmapError
from skills_roadmap.reports.csv import write_csv_folder, write_csv_zip
from skills_roadmap.reports.data import ReportContent, report_content
from skills_roadmap.reports.html import render_html
from skills_roadmap.reports.pdf import write_pdf
from skills_roadmap.reports.records import load_records
from skills_roadmap.reports.tracking import Tracker, part
from skills_roadmap.reports.xlsx import write_xlsx
from skills_roadmap.users import Permission


class ReportFormat(StrEnum):
    """The formats a report is exported in."""

    XLSX = "xlsx"
    CSV = "csv"
    HTML = "html"
    PDF = "pdf"

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self]

    @property
    def extension(self) -> str:
        """The file extension of a download; the CSV set downloads as a zip."""
        return "zip" if self is ReportFormat.CSV else self.value


MEDIA_TYPES = {
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.CSV: "application/zip",
    ReportFormat.HTML: "text/html",
    ReportFormat.PDF: "application/pdf",
}
SUFFIXES = {
    ".xlsx": ReportFormat.XLSX,
    ".zip": ReportFormat.CSV,
    ".html": ReportFormat.HTML,
    ".htm": ReportFormat.HTML,
    ".pdf": ReportFormat.PDF,
}


class ExportError(SkillsRoadmapError):
    """An export was asked for in a way that cannot work (unknown format, bad filter)."""


def format_for(out: Path, chosen: ReportFormat | None) -> ReportFormat:
    """The format asked for, or the one the output's suffix names; a folder means CSV.

    Raises:
        ExportError: no format is given and the suffix names none.
    """
    if chosen is not None:
        return chosen
    if out.suffix.lower() in SUFFIXES:
        return SUFFIXES[out.suffix.lower()]
    if out.is_dir():
        return ReportFormat.CSV
    raise ExportError(
        f"cannot tell the format of '{out}': give --format xlsx, csv, html or pdf, or end "
        "the file name in .xlsx, .zip, .html or .pdf"
    )


def make_filters(
    *,
    regions: Iterable[str] = (),
    clusters: Iterable[str] = (),
    levels: Iterable[str] = (),
    funding_sources: Iterable[str] = (),
    delivery_modes: Iterable[str] = (),
    as_of: str | None = None,
) -> Filters:
    """:class:`Filters` from plain values (command-line options, dashboard controls).

    Raises:
        ExportError: a value is malformed (a region code, level or month), naming it.
    """
    try:
        return Filters(
            regions=tuple(regions),
            clusters=tuple(clusters),
            levels=tuple(levels),
            funding_sources=tuple(funding_sources),
            delivery_modes=tuple(delivery_modes),
            as_of=as_of or None,
        )
    except ValidationError as error:
        problems = "; ".join(
            str(problem["msg"]).removeprefix("Value error, ") for problem in error.errors()
        )
        raise ExportError(f"invalid filter: {problems}") from None


def write_report(
    content: ReportContent,
    report_format: ReportFormat,
    target: IO[bytes],
    tracker: Tracker | None = None,
) -> None:
    """Write the report in one file's worth of bytes to ``target`` (the CSV set as a zip)."""
    if report_format is ReportFormat.XLSX:
        write_xlsx(content, target, tracker)
    elif report_format is ReportFormat.CSV:
        write_csv_zip(content, target, tracker)
    elif report_format is ReportFormat.HTML:
        target.write(render_html(content).encode("utf-8"))
    else:
        write_pdf(content, target, tracker)


def report_bytes(
    content: ReportContent, report_format: ReportFormat, tracker: Tracker | None = None
) -> bytes:
    """The report as bytes, for a download."""
    buffer = io.BytesIO()
    write_report(content, report_format, buffer, tracker)
    return buffer.getvalue()


def download_name(content: ReportContent, report_format: ReportFormat) -> str:
    """A file name for the download, e.g. ``skills-roadmap-aragon-2026-10.xlsx``."""
    return f"{content.slug}.{report_format.extension}"


def save_report(
    content: ReportContent, report_format: ReportFormat, out: Path, tracker: Tracker | None = None
) -> Path:
    """Write the report to ``out``: a file, or for CSV a folder (a zip if ``out`` ends in
    ``.zip``). A file appears only once complete, so a failed export leaves nothing behind.

    Raises:
        ExportError: ``out`` cannot be written (no permission, no space, a folder in the way).
    """
    try:
        if report_format is ReportFormat.CSV and out.suffix.lower() != ".zip":
            write_csv_folder(content, out, tracker)
            return out
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(f".{out.name}.partial")
        try:
            with partial.open("wb") as handle:
                write_report(content, report_format, handle, tracker)
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    except OSError as error:
        raise ExportError(f"cannot write {out}: {error.strerror or error}") from None
    return out


def build_report(
    engine: Engine,
    filters: Filters,
    settings: AnalysisSettings | None = None,
    *,
    frames: Frames | None = None,
    tracker: Tracker | None = None,
    reader: tuple[str, Collection[Permission]] | None = None,
) -> ReportContent:
    """Load what a report needs from the database and assemble its content.

    ``frames`` (unfiltered) saves loading them again when the caller holds them already,
    as the dashboard does. ``reader``, the name and permissions of whoever exports, limits
    the Uploads table to what they may see (see :mod:`skills_roadmap.reports.records`);
    without it every upload is listed (the command line).
    """
    if frames is None:
        share = (settings or AnalysisSettings()).complete_month_share
        frames = load_frames(engine, complete_month_share=share)
    records = load_records(engine)
    if reader is not None:
        records = records.for_reader(*reader)
    part(tracker, 0.0, 0.5)(1.0)
    return report_content(
        frames, filters, settings, records=records, tracker=part(tracker, 0.5, 1.0)
    )


def record_export(
    engine: Engine, user: str, report_format: ReportFormat, content: ReportContent, where: str
) -> None:
    """Note the export in the audit log: who exported what selection, as what, from where."""
    detail = {
        "format": report_format.value,
        "via": where,
        "as_of": content.as_of,
        **{label.lower(): value for label, value in content.filter_lines},
    }
    audit.record(
        engine, user, AuditAction.EXPORT, f"report {content.slug}.{report_format.extension}", detail
    )
