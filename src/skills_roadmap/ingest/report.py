"""The dry-run report: what an upload would change and what is wrong with it, before storing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import pandas as pd

from skills_roadmap.i18n import ngettext
from skills_roadmap.i18n.formats import Message, number
from skills_roadmap.i18n.words import N_, _
from skills_roadmap.ingest.cells import display, plain
from skills_roadmap.ingest.contract import SheetKind
from skills_roadmap.ingest.diff import RowDiff
from skills_roadmap.ingest.problems import PROBLEM_FIELDS, ROW_ID, RuleCount, Severity

# How many items of each list the text report prints; --json and the annotated workbook list
# up to Settings.report_max_problems problems, and every change.
TEXT_LIST_LIMIT = 50
# The first line of a one-sheet report, per kind of sheet: whole sentences, so that a
# translator names the kind in their own words and order.
HEADINGS: dict[SheetKind, str] = {
    SheetKind.PROGRESS: N_(
        "progress sheet '{sheet}' in {file} ({format}, header on row {header_row}, {rows})"
    ),
    SheetKind.REGIONS: N_(
        "regions sheet '{sheet}' in {file} ({format}, header on row {header_row}, {rows})"
    ),
    SheetKind.CLUSTERS: N_(
        "clusters sheet '{sheet}' in {file} ({format}, header on row {header_row}, {rows})"
    ),
    SheetKind.PROGRAMMES: N_(
        "programmes sheet '{sheet}' in {file} ({format}, header on row {header_row}, {rows})"
    ),
    SheetKind.TARGETS: N_(
        "targets sheet '{sheet}' in {file} ({format}, header on row {header_row}, {rows})"
    ),
    SheetKind.FACILITIES: N_(
        "facilities sheet '{sheet}' in {file} ({format}, header on row {header_row}, {rows})"
    ),
}


def data_rows(count: int) -> str:
    """ "1 data row", "1,200 data rows": the noun in the language's form for ``count``."""
    return Message(ngettext("{count:,} data row", "{count:,} data rows", count)).format(count=count)


@dataclass(frozen=True)
class SheetReport:
    """What one sheet of an upload would change and what is wrong with it.

    Attributes:
        kind: what the sheet holds.
        sheet: the sheet read; ``header_row`` its header's row number.
        rows: the number of non-empty data rows read.
        problems: one record per problem listed (``PROBLEM_FIELDS``), errors and warnings:
            the first ``Settings.report_max_problems`` in sheet order, errors first.
        problem_counts: every problem counted per severity, column and rule.
        diff: the valid rows split into new, changed and unchanged.
        key: the columns identifying a row (``programme_id``, ``period`` for progress).
        clean: the valid rows, typed, ready to store.
    """

    kind: SheetKind
    sheet: str
    header_row: int
    rows: int
    problems: pd.DataFrame
    problem_counts: tuple[RuleCount, ...]
    diff: RowDiff
    key: tuple[str, ...]
    clean: pd.DataFrame = field(repr=False)

    @property
    def new(self) -> int:
        return len(self.diff.new)

    @property
    def changed(self) -> int:
        return len(self.diff.changed)

    @property
    def unchanged(self) -> int:
        return len(self.diff.unchanged)

    def counts(self) -> dict[str, Any]:
        """The sheet's line of a report's ``sheets``: sheet, kind, new, changed, unchanged."""
        return {
            "sheet": self.sheet,
            "kind": self.kind.value,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
        }

    def keyed(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` (records with this sheet's key columns) keyed as in a report of several
        sheets: the sheet's name, and the row's ID as one value."""
        (key,) = self.key  # every sheet of a network workbook has a one-column key
        keyed = frame.drop(columns=key).assign(sheet=self.sheet, id=frame[key])
        return keyed[["sheet", "id", *frame.columns.drop(key)]]


@dataclass(frozen=True)
class DryRunReport:
    """Everything a user sees before confirming an upload: one sheet, or several (a network
    workbook), with counts per sheet and in total.

    Attributes:
        file_name: the name the file was uploaded under (shown only, never used as a path).
        sha256: the hash of the uploaded bytes; the same file twice is recognised by it.
        file_format: the format judged from the content.
        sheets: each sheet read, in the order they are checked and stored.
        max_listed: how many problems the report lists at most (``problems``).

    A report of one sheet is that sheet's (``kind``, ``sheet``, ``key``, ``changes()``
    …); one of several has the kind ``network``, and its changes and new rows are keyed by
    ``sheet`` and ``id``.
    """

    file_name: str
    sha256: str
    file_format: str
    sheets: tuple[SheetReport, ...]
    max_listed: int

    @property
    def _single(self) -> SheetReport | None:
        return self.sheets[0] if len(self.sheets) == 1 else None

    def _only(self) -> SheetReport:
        if self._single is None:
            raise ValueError("a report of several sheets: look at each of .sheets")
        return self._single

    @property
    def kind(self) -> SheetKind:
        """The sheet's kind; ``network`` for a workbook of several sheets."""
        return self._single.kind if self._single is not None else SheetKind.NETWORK

    @property
    def sheet(self) -> str:
        """The sheet read, or the sheets read, separated by commas."""
        return ", ".join(part.sheet for part in self.sheets)

    @property
    def header_row(self) -> int:
        """The header's row number (of the first sheet, when there are several)."""
        return self.sheets[0].header_row

    @property
    def rows(self) -> int:
        return sum(part.rows for part in self.sheets)

    @property
    def key(self) -> tuple[str, ...]:
        """The columns keying a row of ``changes()`` and ``new_rows()``."""
        return self._single.key if self._single is not None else ("sheet", "id")

    @property
    def diff(self) -> RowDiff:
        """The one sheet's diff."""
        return self._only().diff

    @property
    def clean(self) -> pd.DataFrame:
        """The one sheet's valid rows."""
        return self._only().clean

    @property
    def new(self) -> int:
        return sum(part.new for part in self.sheets)

    @property
    def changed(self) -> int:
        return sum(part.changed for part in self.sheets)

    @property
    def unchanged(self) -> int:
        return sum(part.unchanged for part in self.sheets)

    @cached_property
    def problems(self) -> pd.DataFrame:
        """The problems listed: the first ``max_listed`` of all sheets, errors first, each
        severity in sheet order (sheets in the order they are stored)."""
        if self._single is not None:
            return self._single.problems
        parts = [
            part.problems[part.problems["severity"] == severity.value]
            for severity in Severity
            for part in self.sheets
        ]
        listed = [part for part in parts if len(part)]
        if not listed:
            return self.sheets[0].problems.iloc[0:0]
        return pd.concat(listed, ignore_index=True).head(self.max_listed)

    @property
    def problem_counts(self) -> tuple[RuleCount, ...]:
        """Every problem counted per severity, column and rule (and sheet, when several)."""
        if self._single is not None:
            return self._single.problem_counts
        counts = [
            replace(count, sheet=part.sheet)
            for severity in Severity
            for part in self.sheets
            for count in part.problem_counts
            if count.severity is severity
        ]
        return tuple(counts)

    def _problems(
        self, severity: Severity, fields: tuple[str, ...] = PROBLEM_FIELDS
    ) -> list[dict[str, Any]]:
        subset = self.problems[self.problems["severity"] == severity.value]
        return [
            {name: plain(value) for name, value in zip(fields, record, strict=True)}
            for record in subset[list(fields)].itertuples(index=False, name=None)
        ]

    def identified(self, severity: Severity) -> list[dict[str, Any]]:
        """The problems of ``severity`` listed, as ``errors`` gives them plus ``row_id``: the
        ID their row holds (a progress row's Programme ID, as written; "" for none), so a
        report can say which programme each is about."""
        return self._problems(severity, (*PROBLEM_FIELDS, ROW_ID))

    @property
    def errors(self) -> list[dict[str, Any]]:
        """Error records listed: sheet, row, column, cell, value, expected, message, severity."""
        return self._problems(Severity.ERROR)

    @property
    def warnings(self) -> list[dict[str, Any]]:
        """Warning records listed, same fields as ``errors``."""
        return self._problems(Severity.WARNING)

    @property
    def error_count(self) -> int:
        """Every error, listed or not."""
        return sum(c.count for c in self.problem_counts if c.severity is Severity.ERROR)

    @property
    def warning_count(self) -> int:
        """Every warning, listed or not."""
        return sum(c.count for c in self.problem_counts if c.severity is Severity.WARNING)

    @property
    def not_listed(self) -> int:
        """How many problems are counted but not listed (beyond ``report_max_problems``)."""
        return self.error_count + self.warning_count - len(self.problems)

    @property
    def ok(self) -> bool:
        """Whether the upload may be committed (no errors)."""
        return self.error_count == 0

    def new_rows(self) -> list[dict[str, Any]]:
        """The keys and row numbers of the new rows."""
        if self._single is not None:
            return _records(self._single.diff.new[[*self._single.key, "row"]])
        return _records(
            _concat(part.keyed(part.diff.new[[*part.key, "row"]]) for part in self.sheets)
        )

    def changes(self) -> list[dict[str, Any]]:
        """One record per changed field: key, row, field, old, new."""
        if self._single is not None:
            return _records(self._single.diff.changes)
        return _records(_concat(part.keyed(part.diff.changes) for part in self.sheets))

    def to_json_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data: counts as integers, problems and changes as lists.

        ``new``, ``changed`` and ``unchanged`` count every sheet; ``sheets`` gives them per
        sheet. ``errors`` and ``warnings`` list at most ``Settings.report_max_problems``
        problems; ``error_count``, ``warning_count`` and ``problem_counts`` count every one,
        and ``problems_not_listed`` says how many are left out.
        """
        return {
            "file_name": self.file_name,
            "sha256": self.sha256,
            "kind": self.kind.value,
            "format": self.file_format,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "rows": self.rows,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "sheets": [part.counts() for part in self.sheets],
            "error_count": self.error_count,
            "warning_count": self.warning_count,
            "problem_counts": [count.to_dict() for count in self.problem_counts],
            "problems_not_listed": self.not_listed,
            "errors": self.errors,
            "warnings": self.warnings,
            "changes": self.changes(),
            "new_rows": self.new_rows(),
        }

    def _heading(self) -> list[str]:
        if self._single is not None:
            return [
                _(
                    HEADINGS[self.kind],
                    sheet=self.sheet,
                    file=self.file_name,
                    format=self.file_format,
                    header_row=self.header_row,
                    rows=data_rows(self.rows),
                )
            ]
        lines = [
            _(
                "network workbook {file} ({format}, {sheets}, {rows})",
                file=self.file_name,
                format=self.file_format,
                sheets=Message(
                    ngettext("{count} sheet", "{count} sheets", len(self.sheets))
                ).format(count=len(self.sheets)),
                rows=data_rows(self.rows),
            ),
            f"  {_('sheet'):<14}{_('new'):>8}{_('changed'):>10}{_('unchanged'):>11}",
        ]
        lines += [
            f"  {part.sheet:<14}{number(part.new):>8}{number(part.changed):>10}"
            f"{number(part.unchanged):>11}"
            for part in self.sheets
        ]
        return lines

    def to_text(self) -> str:
        """The report for a terminal: counts first, then errors, warnings and changes."""
        lines = [
            *self._heading(),
            _(
                "new: {new:,}   changed: {changed:,}   unchanged: {unchanged:,}   "
                "errors: {errors:,}   warnings: {warnings:,}",
                new=self.new,
                changed=self.changed,
                unchanged=self.unchanged,
                errors=self.error_count,
                warnings=self.warning_count,
            ),
        ]
        listed = len(self.problems)
        several = self._single is None
        problem_lists = (
            (_("Errors"), self.errors, self.error_count),
            (_("Warnings"), self.warnings, self.warning_count),
        )
        if any(count > TEXT_LIST_LIMIT for _title, _records, count in problem_lists):
            lines += ["", _("Problems per rule:")]
            lines += [_count_line(count) for count in self.problem_counts]
        for title, records, count in problem_lists:
            if count:
                shown = records[:TEXT_LIST_LIMIT]
                lines += ["", f"{title}:", *(_problem_line(r, several) for r in shown)]
                hint = (
                    _("use --json or --errors OUT.xlsx")
                    if len(records) == count
                    else _(
                        "--json and --errors OUT.xlsx list the first {listed:,} problems",
                        listed=listed,
                    )
                )
                lines += _more(len(shown), count, hint)
        changes = self.changes()
        if changes:
            shown_changes = changes[:TEXT_LIST_LIMIT]
            lines += ["", _("Changed (old -> new):")]
            lines += [_change_line(c, self.key) for c in shown_changes]
            lines += _more(len(shown_changes), len(changes), _("use --json"))
        return "\n".join(lines)


def _concat(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    parts = [frame for frame in frames if len(frame)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    columns = list(frame.columns)
    return [
        {name: plain(value) for name, value in zip(columns, record, strict=True)}
        for record in frame.itertuples(index=False, name=None)
    ]


def _problem_line(record: dict[str, Any], with_sheet: bool = False) -> str:
    where = _("row {row}, {column}", row=record["row"], column=record["column"])
    if with_sheet:
        where = f"{record['sheet']} {where}"
    if record["cell"]:
        where += f" ({record['cell']})"
    if record["value"]:
        said = _(
            "found '{value}'; expected {expected}",
            value=record["value"],
            expected=record["expected"],
        )
    else:
        said = _("expected {expected}", expected=record["expected"])
    return f"  {where}: {record['message']} ({said})"


def _change_line(change: dict[str, Any], key: tuple[str, ...]) -> str:
    label = " ".join(str(change[name]) for name in key)
    old = display(change["old"]) or _("(blank)")
    new = display(change["new"]) or _("(blank)")
    where = _("row {row}, {column}", row=change["row"], column=label)
    return f"  {where}: {change['field']} {old} -> {new}"


def _count_line(count: RuleCount) -> str:
    return f"  {number(count.count):>9}  {_(count.severity.value):<8} {count.where}: {count.rule}"


def _more(shown: int, count: int, hint: str) -> list[str]:
    if count <= shown:
        return []
    return ["  " + _("... and {count:,} more ({hint})", count=count - shown, hint=hint)]
