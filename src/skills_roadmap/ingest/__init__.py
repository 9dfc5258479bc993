"""Ingestion of uploaded sheets: read, validate, dry-run report, commit, annotated workbook, template."""

from skills_roadmap.ingest.annotate import annotated_workbook
from skills_roadmap.ingest.commit import CommitResult, commit_upload
from skills_roadmap.ingest.contract import CONTRACTS, PROGRAMMES, PROGRESS, TARGETS, SheetKind
from skills_roadmap.ingest.pipeline import dry_run
from skills_roadmap.ingest.readers import ParsedSheet, read_sheet
from skills_roadmap.ingest.report import DryRunReport
from skills_roadmap.ingest.sniff import FileFormat, sniff_format
from skills_roadmap.ingest.template import progress_template
from skills_roadmap.ingest.uploader import upload_scope

__all__ = [
    "CONTRACTS",
    "PROGRAMMES",
    "PROGRESS",
    "TARGETS",
    "CommitResult",
    "DryRunReport",
    "FileFormat",
    "ParsedSheet",
    "SheetKind",
    "annotated_workbook",
    "commit_upload",
    "dry_run",
    "progress_template",
    "read_sheet",
    "sniff_format",
    "upload_scope",
]
