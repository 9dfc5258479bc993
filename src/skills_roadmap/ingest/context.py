"""Who uploads, when, and what each kind of sheet is checked and stored with."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
from sqlalchemy.orm import Session

from skills_roadmap.ingest.contract import SheetKind
from skills_roadmap.ingest.diff import RowDiff
from skills_roadmap.ingest.problems import ProblemLog
from skills_roadmap.ingest.readers import ParsedSheet
from skills_roadmap.users import Permission


@dataclass(frozen=True)
class Checked:
    """The valid rows of a sheet, typed, and how they differ from what is stored."""

    clean: pd.DataFrame
    diff: RowDiff


@dataclass(frozen=True)
class CheckContext:
    """The circumstances of a check.

    Attributes:
        today: the reporting date (later months are in the future).
        manager_clusters: clusters a manager may report for; ``None`` means no limit
            (administrators and the local command line).
        user: who uploads.
        permissions: what the uploader's role may do, each sheet judged by the permission
            its kind needs (``pipeline.permission_for``); ``None`` judges by
            ``manager_clusters`` alone (the command line: a limited uploader may upload
            Progress sheets only).
        sheets: every sheet of the upload, by kind (a network workbook has several).
        checked: the sheets of the upload checked before this one: a row may refer to an ID
            that one of them defines.
    """

    today: date
    manager_clusters: frozenset[str] | None
    user: str
    permissions: frozenset[Permission] | None = None
    sheets: Mapping[SheetKind, ParsedSheet] = field(default_factory=dict)
    checked: Mapping[SheetKind, Checked] = field(default_factory=dict)


@dataclass(frozen=True)
class StoreContext:
    """What a commit records with the data: the upload, who, and when."""

    upload_id: int
    user: str
    now: datetime


@dataclass(frozen=True)
class SheetHandler:
    """How one kind of sheet is checked against the database and stored."""

    check: Callable[[Session, ParsedSheet, ProblemLog, CheckContext], Checked]
    store: Callable[[Session, Checked, StoreContext], None]
    admin_only: bool = False
