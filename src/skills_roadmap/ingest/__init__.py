"""Ingestion of uploaded sheets: read, validate, dry run, commit, annotated copy, template.

Every function takes the uploaded bytes (a web upload gives bytes; the command line reads the
file), so the same calls serve the dashboard and ``skills-roadmap import``:

- ``dry_run(engine, data, file_name, user=..., manager_clusters=...)`` -> ``DryRunReport``
  (``.new``, ``.changed``, ``.unchanged``, ``.errors`` and ``.warnings`` (the first
  ``Settings.report_max_problems``), ``.error_count``, ``.warning_count``,
  ``.problem_counts`` (every problem, per rule), ``.changes()``, ``.to_json_dict()``,
  ``.to_text()``); nothing is stored.
- ``commit_upload(...)`` (same arguments) -> ``CommitResult``: all rows or none.
- ``annotated_workbook(data, report)`` -> .xlsx bytes with the problems marked.
- ``progress_template(engine, cluster_id, today, month)`` -> .xlsx bytes to fill in (the
  month after the cluster's last report unless ``month``); ``template_month`` says what it
  lists and, when empty, why.
- ``network_template()`` -> an empty network workbook; ``network_workbook(engine)`` -> the
  stored network in the same shape, to edit and import again.
- ``permission_for(kind)`` -> the permission a user needs to upload a sheet of that kind;
  ``may_upload(permissions, kind)``; ``UPLOAD_PERMISSIONS``, any of which lets a user upload
  something. ``dry_run`` and ``commit_upload`` take the uploader's ``permissions`` and judge
  every sheet of the file by them.

An upload is one sheet (a Progress sheet, or one sheet of the network), or a network
workbook: any of the sheets Regions, Clusters, Programmes, Targets and Facilities, checked
and stored in that order in one transaction. A report of several sheets counts per sheet
(``.sheets``) and in total.

A file that cannot be read at all raises ``UnreadableFileError`` with a message to show.
"""

from skills_roadmap.ingest.annotate import annotated_workbook
from skills_roadmap.ingest.commit import CommitResult, commit_upload
from skills_roadmap.ingest.contract import (
    CLUSTERS,
    CONTRACTS,
    FACILITIES,
    NETWORK_CONTRACTS,
    PROGRAMMES,
    PROGRESS,
    REGIONS,
    TARGETS,
    SheetKind,
)
from skills_roadmap.ingest.network_workbook import (
    network_template,
    network_workbook,
    write_network_workbook,
)
from skills_roadmap.ingest.pipeline import (
    UPLOAD_PERMISSIONS,
    dry_run,
    may_upload,
    permission_for,
)
from skills_roadmap.ingest.readers import ParsedSheet, read_sheet
from skills_roadmap.ingest.report import DryRunReport, SheetReport
from skills_roadmap.ingest.sniff import FileFormat, sniff_format
from skills_roadmap.ingest.template import (
    TemplateMonth,
    TemplateMonthError,
    progress_template,
    template_month,
    template_workbook,
)
from skills_roadmap.ingest.uploader import upload_scope

__all__ = [
    "CLUSTERS",
    "CONTRACTS",
    "FACILITIES",
    "NETWORK_CONTRACTS",
    "PROGRAMMES",
    "PROGRESS",
    "REGIONS",
    "TARGETS",
    "UPLOAD_PERMISSIONS",
    "CommitResult",
    "DryRunReport",
    "FileFormat",
    "ParsedSheet",
    "SheetKind",
    "SheetReport",
    "TemplateMonth",
    "TemplateMonthError",
    "annotated_workbook",
    "commit_upload",
    "dry_run",
    "may_upload",
    "network_template",
    "network_workbook",
    "permission_for",
    "progress_template",
    "read_sheet",
    "sniff_format",
    "template_month",
    "template_workbook",
    "upload_scope",
    "write_network_workbook",
]
