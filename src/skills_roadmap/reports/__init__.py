"""Reports for analysts: one content for any filter, exported as Excel, CSV, HTML or PDF.

:func:`report_content` assembles every figure once from the analysis layer; the writers only
lay it out, so all four formats (and the dashboard) show the same numbers.
"""

from skills_roadmap.reports.columns import Column, Kind, ReportTable
from skills_roadmap.reports.csv import write_csv_folder, write_csv_zip
from skills_roadmap.reports.data import ReportContent, report_content
from skills_roadmap.reports.export import (
    ExportError,
    ReportFormat,
    build_report,
    download_name,
    format_for,
    make_filters,
    record_export,
    report_bytes,
    save_report,
    write_report,
)
from skills_roadmap.reports.html import render_html
from skills_roadmap.reports.pdf import ChromiumMissingError, PdfPrintError, find_chromium, write_pdf
from skills_roadmap.reports.records import StoredRecords, load_records
from skills_roadmap.reports.safety import is_formula_like, neutralise
from skills_roadmap.reports.tracking import Tracker
from skills_roadmap.reports.xlsx import write_xlsx

__all__ = [
    "ChromiumMissingError",
    "Column",
    "ExportError",
    "Kind",
    "PdfPrintError",
    "ReportContent",
    "ReportFormat",
    "ReportTable",
    "StoredRecords",
    "Tracker",
    "build_report",
    "download_name",
    "find_chromium",
    "format_for",
    "is_formula_like",
    "load_records",
    "make_filters",
    "neutralise",
    "record_export",
    "render_html",
    "report_bytes",
    "report_content",
    "save_report",
    "write_csv_folder",
    "write_csv_zip",
    "write_pdf",
    "write_report",
    "write_xlsx",
]
