"""A progress-sheet template pre-filled with a cluster's programmes running in the month to
report (by default the month after the cluster's last report), and the pieces every template
shares: header and cell formats, validation of numbers, the table of columns in the
Instructions sheet."""

from __future__ import annotations

import calendar
import io
from dataclasses import dataclass
from datetime import date

import xlsxwriter
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from skills_roadmap.domain import parse_period
from skills_roadmap.exceptions import NotFoundError, SkillsRoadmapError
from skills_roadmap.fields import Field, FieldKind
from skills_roadmap.i18n import formats, gettext, use_language
from skills_roadmap.i18n.words import N_, _
from skills_roadmap.ingest.contract import PROGRESS, expected
from skills_roadmap.ingest.shown import shown
from skills_roadmap.palette import HEADER_FILL
from skills_roadmap.reference.sheet_terms import (
    DEFAULT_LANGUAGE,
    TermKind,
    checked_language,
    spelling,
)
from skills_roadmap.storage import session_scope
from skills_roadmap.storage.admin_tables import (
    ProgrammeListing,
    cluster_exists,
    cluster_name,
    last_reported_period,
    nearest_running_day,
    programmes_running_between,
)

# Data validation and formats reach this far down: far more rows than a cluster reports.
TEMPLATE_ROWS = 5_000
COLUMN_WIDTHS = {
    FieldKind.IDENTIFIER: 18,
    FieldKind.PERIOD: 10,
    FieldKind.TEXT: 40,
    FieldKind.LIST: 28,
    FieldKind.DATE: 12,
}
# Excel refuses a data validation whose error title is longer.
VALIDATION_TITLE_LENGTH = 32
HEADER_STYLE = {"bold": True, "bg_color": HEADER_FILL, "border": 1}
# What a number cell of each kind accepts: (validate, criteria, bounds).
NUMBER_RULES: dict[FieldKind, tuple[str, str, tuple[float, ...]]] = {
    FieldKind.COUNT: ("integer", ">=", (0,)),
    FieldKind.AMOUNT: ("decimal", ">=", (0,)),
    FieldKind.YEAR: ("integer", "between", (2000, 2100)),
    FieldKind.COORDINATE: ("decimal", "between", (-180, 180)),
}
# The Instructions sheet's text, translated into the template's language where it is written.
INSTRUCTIONS = (
    N_("How to fill in this progress sheet"),
    "",
    N_("One row per programme and month. The rows below are your programmes running in {month}."),
    N_("Numbers are this month's flows, not running totals since the start."),
    N_(
        "Leave an optional cell empty when you do not know the figure: empty means 'not "
        "reported', never zero."
    ),
    N_(
        "Period: a month as YYYY-MM text (e.g. {month}) or a date; the period must lie within "
        "the programme's start and end and not in the future."
    ),
    N_("Certified cannot exceed Completed, and Women cannot exceed Enrolled, in the same row."),
    N_(
        "Men to ISCED 5-8 are the participant breakdowns ESF+ programmes report: fill them in "
        "only if your programme reports them. The bands of one breakdown (gender, age, "
        "labour-market status, education) add up to at most Enrolled; Long-term unemployed are "
        "some of the Unemployed, not added again."
    ),
    N_(
        "Do not rename the headers; you may add rows, title rows above the header, or columns "
        "of your own on the right (they are ignored)."
    ),
    N_(
        "Upload the file as it is: values are read, formulas are never evaluated, macros never run."
    ),
)


class TemplateMonthError(SkillsRoadmapError):
    """A template was asked for a month that is not ``YYYY-MM`` or has not begun."""


@dataclass(frozen=True)
class TemplateMonth:
    """What a progress template holds: a cluster's programmes running in one month.

    Attributes:
        cluster_id: the cluster (``None``: every cluster); ``cluster_name`` its name.
        period: the month to report, ``YYYY-MM``.
        programmes: the programmes running on at least one day of ``period``, by id.
        instead: when none runs in ``period``, the nearest month one runs (the last one
            before, else the first after, never one that has not begun); else None.
        has_programmes: whether the cluster has any programme at all.
    """

    cluster_id: str | None
    cluster_name: str | None
    period: str
    programmes: tuple[ProgrammeListing, ...]
    instead: str | None
    has_programmes: bool

    @property
    def empty(self) -> bool:
        """Whether no programme runs in ``period`` (the template has no rows)."""
        return not self.programmes

    @property
    def owner(self) -> str:
        """Whose programmes: the cluster's name (or id), or every cluster's."""
        return self.cluster_name or self.cluster_id or _("any cluster")

    def empty_reason(self) -> str | None:
        """Why the template has no rows and which month to take instead; None when it has
        rows."""
        if not self.empty:
            return None
        if not self.has_programmes:
            return _(
                "{owner} has no programmes yet: an administrator adds them "
                "(network workbook, Programmes sheet) before progress can be reported.",
                owner=self.owner,
            )
        if self.instead is None:
            return _(
                "No programme of {owner} runs in {month}, and none has begun yet: come back "
                "when its first one starts.",
                owner=self.owner,
                month=formats.month(self.period),
            )
        if self.instead < self.period:
            return _(
                "No programme of {owner} runs in {month}; its programmes last ran in "
                "{instead}: download the template of {instead} instead.",
                owner=self.owner,
                month=formats.month(self.period),
                instead=formats.month(self.instead),
            )
        return _(
            "No programme of {owner} runs in {month}; its programmes start in {instead}: "
            "download the template of {instead} instead.",
            owner=self.owner,
            month=formats.month(self.period),
            instead=formats.month(self.instead),
        )


def month_bounds(period: str) -> tuple[date, date]:
    """The first and last day of the ``YYYY-MM`` month ``period``."""
    first = parse_period(period)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def next_period(period: str) -> str:
    """The month after ``period``.

    >>> next_period("2026-12")
    '2027-01'
    """
    first = parse_period(period)
    return f"{first.year + first.month // 12}-{first.month % 12 + 1:02d}"


def default_template_period(session: Session, cluster_id: str | None, today: date) -> str:
    """The month a template is for unless one is chosen: the month after the last one the
    cluster (or, with no cluster, any cluster) reported, but not one that has not begun;
    before any report, ``today``'s month.

    The calendar month is wrong at month's end: on 3 December a manager reports November.
    """
    current = f"{today:%Y-%m}"
    last = last_reported_period(session, cluster_id)
    return current if last is None else min(next_period(last), current)


def checked_template_period(month: str, today: date) -> str:
    """``month`` when it is a ``YYYY-MM`` month that has begun by ``today``.

    Raises:
        TemplateMonthError: it is not such a month.
    """
    try:
        parse_period(month)
    except ValueError:
        raise TemplateMonthError(
            _("'{month}' is not a month: expected YYYY-MM, e.g. '2025-03'", month=shown(month))
        ) from None
    current = f"{today:%Y-%m}"
    if month > current:
        raise TemplateMonthError(
            _(
                "{month} has not begun: progress is reported for months that have begun; "
                "choose {current} or earlier",
                month=month,
                current=current,
            )
        )
    return month


def template_month(
    engine: Engine, cluster_id: str | None, month: str | None = None, today: date | None = None
) -> TemplateMonth:
    """The month a cluster's template is for and the programmes it lists.

    Args:
        engine: the database holding the programmes.
        cluster_id: the cluster whose programmes to list; ``None`` lists every cluster's.
        month: the month to report, ``YYYY-MM``; default: the month after the cluster's last
            report (:func:`default_template_period`).
        today: the reporting date (default: today); no month after its month is offered.

    Raises:
        NotFoundError: ``cluster_id`` is not a known cluster.
        TemplateMonthError: ``month`` is malformed or has not begun.
    """
    today = today or date.today()
    with session_scope(engine) as session:
        if cluster_id is not None and not cluster_exists(session, cluster_id):
            raise NotFoundError(
                _(
                    "no cluster has the ID '{cluster}': check the spelling, or leave out the "
                    "cluster to list every cluster's programmes",
                    cluster=shown(cluster_id),
                )
            )
        period = (
            checked_template_period(month, today)
            if month
            else default_template_period(session, cluster_id, today)
        )
        first, last = month_bounds(period)
        programmes = tuple(programmes_running_between(session, first, last, cluster_id))
        nearest = None if programmes else nearest_running_day(session, first, last, cluster_id)
        name = cluster_name(session, cluster_id) if cluster_id is not None else None
    instead = f"{nearest:%Y-%m}" if nearest is not None else None
    return TemplateMonth(
        cluster_id=cluster_id,
        cluster_name=name,
        period=period,
        programmes=programmes,
        instead=instead if instead is not None and instead <= f"{today:%Y-%m}" else None,
        has_programmes=bool(programmes) or nearest is not None,
    )


def progress_template(
    engine: Engine,
    cluster_id: str | None,
    today: date | None = None,
    month: str | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> bytes:
    """The .xlsx template a programme manager fills in for ``month`` (default: the month
    after the cluster's last report), in ``language``; see :func:`template_month` and
    :func:`template_workbook`."""
    return template_workbook(template_month(engine, cluster_id, month, today), language)


def template_workbook(chosen: TemplateMonth, language: str = DEFAULT_LANGUAGE) -> bytes:
    """The .xlsx template of ``chosen``: a Progress sheet with the contract's headers
    (frozen), one row per programme with Programme ID and Period filled in, whole-number /
    number validation on the numeric columns, and an Instructions sheet listing the columns
    and the programmes; an empty template says why in its Instructions, and which month to
    take instead.

    The sheet's name and headers are written in ``language`` (one of
    ``sheet_terms.LANGUAGES``), so a manager keeps the words of their own sheets; the import
    reads every language, and the Instructions and cell messages are in it too.

    Raises:
        UnknownLanguageError: the sheets are not written in ``language``.
    """
    code = checked_language(language)  # the pseudo-language writes English sheets
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet(PROGRESS.title(code))
    with use_language(language):
        _progress_sheet(workbook, sheet, [p.id for p in chosen.programmes], chosen.period, code)
        _instructions_sheet(workbook, chosen, code)
    workbook.close()
    return output.getvalue()


class CellFormats:
    """The cell formats of a template's data sheets, made once per workbook."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.header = workbook.add_format(HEADER_STYLE)
        self.text = workbook.add_format({"num_format": "@"})
        self.count = workbook.add_format({"num_format": "0"})
        self.amount = workbook.add_format({"num_format": "#,##0.00"})
        self.number = workbook.add_format({"num_format": "General"})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})

    def of(self, kind: FieldKind) -> Format:
        """The format of a column of ``kind``."""
        return {
            FieldKind.COUNT: self.count,
            FieldKind.YEAR: self.count,
            FieldKind.AMOUNT: self.amount,
            FieldKind.COORDINATE: self.number,
            FieldKind.DATE: self.date,
        }.get(kind, self.text)


def write_columns(
    sheet: Worksheet,
    columns: tuple[Field, ...],
    formats: CellFormats,
    header_row: int = 0,
    language: str = DEFAULT_LANGUAGE,
) -> None:
    """The header row of ``columns`` in ``language``, each column's width and cell format,
    and the number rule of each number column down to ``TEMPLATE_ROWS``."""
    for index, column in enumerate(columns):
        header = spelling(TermKind.HEADER, column.header, language)
        sheet.set_column(index, index, COLUMN_WIDTHS.get(column.kind, 12), formats.of(column.kind))
        sheet.write_string(header_row, index, header, formats.header)
        rule = NUMBER_RULES.get(column.kind)
        if rule is None:
            continue
        validate, criteria, bounds = rule
        limits = (
            {"value": bounds[0]}
            if len(bounds) == 1
            else {"minimum": bounds[0], "maximum": bounds[1]}
        )
        sheet.data_validation(
            header_row + 1,
            index,
            header_row + TEMPLATE_ROWS,
            index,
            {
                "validate": validate,
                "criteria": criteria,
                **limits,
                "ignore_blank": True,
                **validation_messages(header, column),
            },
        )


def validation_messages(header: str, column: Field) -> dict[str, str]:
    """The title and message Excel shows when a cell breaks its rule (a title holds at most
    32 characters)."""
    return {
        "error_title": header[:VALIDATION_TITLE_LENGTH],
        "error_message": _("{column}: {expected}.", column=header, expected=expected(column)),
    }


def write_column_table(
    sheet: Worksheet,
    row: int,
    columns: tuple[Field, ...],
    bold: Format,
    language: str = DEFAULT_LANGUAGE,
) -> int:
    """A table of ``columns`` from ``row``: header (in ``language``, as the sheet writes it),
    required, what to enter, what it means; the next row."""
    sheet.write_row(
        row, 0, [_("Column"), _("Required"), _("What to enter"), _("What it means")], bold
    )
    for column in columns:
        row += 1
        sheet.write_row(
            row,
            0,
            [
                spelling(TermKind.HEADER, column.header, language),
                _("yes") if column.required else _("no"),
                expected(column),
                gettext(column.meaning),
            ],
        )
    return row + 1


def _progress_sheet(
    workbook: xlsxwriter.Workbook,
    sheet: Worksheet,
    programme_ids: list[str],
    period: str,
    language: str,
) -> None:
    formats = CellFormats(workbook)
    text = formats.text
    write_columns(sheet, PROGRESS.columns, formats, language=language)
    for row, programme_id in enumerate(programme_ids, start=1):
        sheet.write_string(row, 0, programme_id, text)
        sheet.write_string(row, 1, period, text)
    sheet.freeze_panes(1, 0)
    sheet.activate()


def _instructions_sheet(
    workbook: xlsxwriter.Workbook, chosen: TemplateMonth, language: str
) -> None:
    """The Instructions sheet: the one place its text is written, in the current language
    (the template's); the column table names the columns in ``language``, as the Progress
    sheet does."""
    sheet = workbook.add_worksheet("Instructions")
    bold = workbook.add_format({"bold": True})
    title = workbook.add_format({"bold": True, "font_size": 14})
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 12)
    sheet.set_column(2, 2, 60)
    row = 0
    for line_number, line in enumerate(INSTRUCTIONS):
        if line:
            sheet.write_string(row, 0, _(line, month=chosen.period), title if row == 0 else None)
        row += 1
        if line_number == 0 and chosen.empty:
            sheet.write_string(row, 0, chosen.empty_reason() or "", bold)
            row += 1
    row = write_column_table(sheet, row + 1, PROGRESS.columns, bold, language) + 1
    listed = ("Programme ID", "Level", "Name", "Start", "End", "Capacity")
    sheet.write_row(row, 0, [spelling(TermKind.HEADER, h, language) for h in listed], bold)
    for programme in chosen.programmes:
        row += 1
        sheet.write_row(
            row,
            0,
            [
                programme.id,
                spelling(TermKind.VALUE, programme.level, language),
                programme.name,
                programme.start.isoformat(),
                programme.end.isoformat(),
                programme.capacity,
            ],
        )
