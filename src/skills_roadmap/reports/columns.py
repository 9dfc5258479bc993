"""The report's tables described once: every column's name, header, kind and meaning.

The columns that are fields of a sheet (the Progress table, a programme's own fields) derive
from the catalogue of fields (:mod:`skills_roadmap.fields`); the others are defined here.

The same descriptions become the Excel Notes sheet, the CSV set's ``columns.csv`` and the
HTML tables' headers, so a column means one thing in every format.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import partial

import pandas as pd

from skills_roadmap.analysis.overview import NETWORK_NAME
from skills_roadmap.choice_words import (
    DELIVERY_LABELS,
    HELIX_LABELS,
    LEVEL_LABELS,
    METRIC_LABELS,
    SCOPE_LABELS,
    UPLOAD_KINDS,
    UPLOAD_OUTCOMES,
    choice_words,
    choices_words,
)
from skills_roadmap.domain import TrainingLevel
from skills_roadmap.fields import (
    PROGRAMME_FIELDS,
    PROGRESS_FIELDS,
    TARGET_FIELDS,
    Field,
    FieldKind,
)
from skills_roadmap.i18n import gettext
from skills_roadmap.i18n.formats import Message
from skills_roadmap.status_words import forecast_words


class Kind(StrEnum):
    """How a column's values are stored and shown.

    In the frames: TEXT is ``str`` or missing; COUNT, NUMBER, EUR, SHARE, YEAR are numbers
    (NaN for "not reported" or "no value"); PERIOD is a month index (``year * 12 + month - 1``);
    DATE and DATETIME are pandas timestamps (UTC for DATETIME); STATUS is a status code
    (``on_track``…); FLAG is a boolean.
    """

    TEXT = "text"
    COUNT = "count"
    NUMBER = "number"
    POINTS = "points"
    EUR = "eur"
    SHARE = "share"
    YEAR = "year"
    PERIOD = "period"
    DATE = "date"
    DATETIME = "datetime"
    STATUS = "status"
    FLAG = "flag"


KIND_DESCRIPTIONS = {
    Kind.TEXT: "text",
    Kind.COUNT: "number of people (or items); may be fractional where it is a trajectory value",
    Kind.NUMBER: "number",
    Kind.POINTS: (
        "percentage points of the target: positive behind the trajectory, negative ahead "
        "(Excel and HTML show 'behind' or 'ahead')"
    ),
    Kind.EUR: "amount in euro",
    Kind.SHARE: "share as a fraction (0.62 = 62 %)",
    Kind.YEAR: "calendar year",
    Kind.PERIOD: "month, YYYY-MM",
    Kind.DATE: "date, YYYY-MM-DD",
    Kind.DATETIME: "date and time in UTC, YYYY-MM-DDTHH:MM:SSZ",
    Kind.STATUS: "on_track, at_risk or off_track (Excel and HTML show the words)",
    Kind.FLAG: "true or false",
}


@dataclass(frozen=True)
class Column:
    """One column of a report table.

    Attributes:
        key: the name in the frame and the CSV header.
        header: the header in Excel and HTML.
        kind: how values are stored and formatted.
        description: what the column means (the definition used).
        brief: shown in the HTML and PDF report, which cannot hold every column.
        words: how people read a value in the Excel, HTML and PDF report: a code (a level's
            ``basic``) in words of the current language ("Básico"); ``None``: as it is. The
            CSV set keeps the values as they are, for scripts (see :func:`readable`).
    """

    key: str
    header: str
    kind: Kind
    description: str
    brief: bool = False
    words: Callable[[str], str] | None = None


@dataclass(frozen=True)
class ReportTable:
    """A table of the report: its file or sheet name, documented columns and rows.

    ``frame`` holds exactly the ``columns``' keys, in order, as :class:`Kind` describes.
    """

    key: str
    title: str
    description: str
    columns: tuple[Column, ...]
    frame: pd.DataFrame

    @property
    def brief_columns(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.brief)


# How a sheet field's values are written: amounts are in euro, identifiers and choices text.
FIELD_KINDS = {
    FieldKind.IDENTIFIER: Kind.TEXT,
    FieldKind.PERIOD: Kind.PERIOD,
    FieldKind.COUNT: Kind.COUNT,
    FieldKind.AMOUNT: Kind.EUR,
    FieldKind.TEXT: Kind.TEXT,
    FieldKind.DATE: Kind.DATE,
    FieldKind.YEAR: Kind.YEAR,
    FieldKind.CHOICE: Kind.TEXT,
    FieldKind.COORDINATE: Kind.NUMBER,
    FieldKind.LIST: Kind.TEXT,
}


LEVEL_WORDS = partial(choice_words, LEVEL_LABELS)
SCOPE_WORDS = partial(choice_words, SCOPE_LABELS)
METRIC_WORDS = partial(choice_words, METRIC_LABELS)
HELIX_ROLES_WORDS = partial(choices_words, HELIX_LABELS)
# The words of a sheet field's list values (its ``choices``), by its name in the frames.
FIELD_WORDS: Mapping[str, Callable[[str], str]] = {
    "level": LEVEL_WORDS,
    "delivery_mode": partial(choice_words, DELIVERY_LABELS),
    "provider_helix": partial(choice_words, HELIX_LABELS),
    "helix_roles": HELIX_ROLES_WORDS,
    "scope": SCOPE_WORDS,
    "metric": METRIC_WORDS,
}
_TARGETS_ON_TIME = re.compile(r"(\d+) of (\d+)")  # the headline's forecast of several targets


def forecast_cell(forecast: str) -> str:
    """A forecast as people read it in a table: a month as it is, the pace's phrases in words
    and the headline's "2 of 3" (targets reached in time) in the current language."""
    several = _TARGETS_ON_TIME.fullmatch(forecast)
    if several is None:
        return forecast_words(forecast)
    on_time, count = (int(number) for number in several.groups())
    return Message(gettext("{on_time:,} of {count:,}")).format(on_time=on_time, count=count)


def scope_name_words(name: str) -> str:
    """A target's scope by name: the network's in words (the analysis names it in English), a
    region's or a cluster's as it is."""
    return gettext(name) if name == NETWORK_NAME else name


def target_field_words(name: str) -> str:
    """A target's field as the Targets sheet heads it: "Deadline year" for ``deadline_year``."""
    headers = {field.key: field.report_header for field in TARGET_FIELDS}
    return gettext(headers[name]) if name in headers else name


def field_column(field: Field, *, brief: bool = False) -> Column:
    """A field of the catalogue (:mod:`skills_roadmap.fields`) as a report column: its name in
    the frames, its report header, how it is written, what it means and, for a list's codes,
    their words."""
    return Column(
        field.frame_key,
        field.report_header,
        FIELD_KINDS[field.kind],
        field.meaning,
        brief,
        FIELD_WORDS.get(field.frame_key),
    )


# The Programmes table says what a programme is, then when it runs, then its size and money.
_PROGRAMME_FIELD_ORDER = {FieldKind.DATE: 1, FieldKind.COUNT: 2, FieldKind.AMOUNT: 2}
# The programme's fields the HTML and PDF report show.
_BRIEF_PROGRAMME_FIELDS = ("id", "name", "level")
PROGRAMME_FIELD_COLUMNS = tuple(
    field_column(field, brief=field.key in _BRIEF_PROGRAMME_FIELDS)
    for field in sorted(
        PROGRAMME_FIELDS, key=lambda field: _PROGRAMME_FIELD_ORDER.get(field.kind, 0)
    )
)


def _level_columns() -> tuple[Column, ...]:
    columns = []
    for level in TrainingLevel:
        label = level.value.capitalize()
        columns += [
            Column(
                f"{level}_target",
                f"{label} target",
                Kind.COUNT,
                f"The region's headline {level}-level target (people).",
            ),
            Column(
                f"{level}_achieved",
                f"{label} achieved",
                Kind.COUNT,
                f"People counted towards the {level}-level target so far.",
            ),
            Column(
                f"{level}_attainment",
                f"{label} attainment",
                Kind.SHARE,
                f"{label} achieved ÷ {level} target.",
                brief=True,
            ),
            Column(
                f"{level}_status",
                f"{label} status",
                Kind.STATUS,
                f"Whether the {level}-level target is on track against its trajectory.",
                brief=True,
            ),
        ]
    return tuple(columns)


LEVEL = Column(
    "level",
    "Level",
    Kind.TEXT,
    "Training level: basic, intermediate or expert.",
    True,
    LEVEL_WORDS,
)
METRIC = Column(
    "metric",
    "Metric",
    Kind.TEXT,
    "What the target counts: enrolled, completed or certified.",
    words=METRIC_WORDS,
)
DEADLINE = Column("deadline_year", "Deadline", Kind.YEAR, "December of this year.", True)
TARGET = Column("target", "Target", Kind.COUNT, "People to train by the deadline.", True)
ACHIEVED = Column(
    "achieved",
    "Achieved",
    Kind.COUNT,
    "Baseline value plus the target's metric summed over the programmes in its scope and "
    "level from January of the baseline year through the as-of month.",
    True,
)
EXPECTED = Column(
    "expected",
    "Expected by now",
    Kind.COUNT,
    "The value on the target's trajectory at the as-of month.",
    True,
)
ATTAINMENT = Column("attainment", "Attainment", Kind.SHARE, "Achieved ÷ target.", True)
STATUS = Column(
    "status",
    "Status",
    Kind.STATUS,
    "On track when achieved ÷ expected reaches the on-track threshold, at risk when it "
    "reaches the at-risk threshold, else off track; never on track when the forecast is "
    "'not before the deadline'.",
    True,
)
RUN_RATE = Column(
    "run_rate",
    "Run rate / month",
    Kind.NUMBER,
    "The metric per month averaged over the recent run-rate window.",
)
REQUIRED_RUN_RATE = Column(
    "required_run_rate",
    "Needed / month",
    Kind.NUMBER,
    "Remaining people ÷ months left to the deadline.",
)
FORECAST = Column(
    "forecast",
    "Forecast",
    Kind.TEXT,
    "The month the target is reached at the recent run rate, 'already reached' or "
    "'not before the deadline'; for several targets, how many are reached in time.",
    True,
    forecast_cell,
)
SCOPE = Column(
    "scope", "Scope", Kind.TEXT, "Whose target: network, region or cluster.", True, SCOPE_WORDS
)
SCOPE_ID = Column(
    "scope_id", "Scope id", Kind.TEXT, "Region code or cluster id; empty for the network."
)
SCOPE_NAME = Column(
    "scope_name",
    "Name",
    Kind.TEXT,
    "Name of the network, region or cluster.",
    True,
    scope_name_words,
)
TARGET_ID = Column("target_id", "Target id", Kind.TEXT, "Identifier of the target.")
BASELINE_YEAR = Column("baseline_year", "Baseline year", Kind.YEAR, "Year the counting starts.")
BASELINE_VALUE = Column(
    "baseline_value", "Baseline", Kind.COUNT, "People already trained at the baseline."
)
ENROLLED = Column("enrolled", "Enrolled", Kind.COUNT, "People enrolled, summed over months.", True)
COMPLETED = Column(
    "completed", "Completed", Kind.COUNT, "People who completed, summed over months.", True
)
CERTIFIED = Column(
    "certified", "Certified", Kind.COUNT, "People certified, over the months that reported it."
)
DROPPED_OUT = Column(
    "dropped_out",
    "Dropped out",
    Kind.COUNT,
    "People who dropped out, over the months that reported it.",
)
BUDGET = Column("budget_eur", "Budget EUR", Kind.EUR, "The programmes' whole budgets.")
SPEND = Column("spend_eur", "Spend EUR", Kind.EUR, "Spend reported so far.")
ABSORPTION = Column("absorption", "Absorption", Kind.SHARE, "Spend ÷ budget.", True)
PROGRAMMES = Column("programmes", "Programmes", Kind.COUNT, "Programmes in the selection.")
CAPACITY = Column("capacity", "Capacity", Kind.COUNT, "Places planned over the programmes' runs.")
CAPACITY_USE = Column(
    "capacity_use",
    "Capacity use",
    Kind.SHARE,
    "Enrolled ÷ the capacity expected to be used by now (capacity × elapsed share of each "
    "programme's run).",
    True,
)
COMPLETION_RATE = Column("completion_rate", "Completion rate", Kind.SHARE, "Completed ÷ enrolled.")

RATIO = Column("ratio", "Achieved ÷ expected", Kind.SHARE, "Achieved ÷ expected by now.")
GAP = Column("gap", "Gap", Kind.COUNT, "Expected by now − achieved (negative: ahead).")

# The headline of the selection (``skills_roadmap.analysis.headline.LEVEL_COLUMNS``): the
# numbers of the dashboard's cards and of /api/v1/summary, in the same order.
LEVELS_COLUMNS = (
    LEVEL,
    Column("targets", "Targets", Kind.COUNT, "How many headline targets the row sums."),
    Column(
        "part",
        "Part",
        Kind.FLAG,
        "The selection is part of the programmes behind the targets (a funding source, a "
        "delivery mode, a cluster inside a region): achieved is its contribution since the "
        "baseline, and the whole targets' expected value, status and forecast are left blank.",
    ),
    METRIC,
    DEADLINE,
    TARGET,
    ACHIEVED,
    EXPECTED,
    ATTAINMENT,
    Column(
        "expected_attainment",
        "Expected attainment",
        Kind.SHARE,
        "Expected by now ÷ target: where the trajectory says attainment should be.",
    ),
    Column(
        "points_behind",
        "Against the trajectory (points)",
        Kind.POINTS,
        "Percentage points of the target between the trajectory and the achievement: "
        "behind it when positive, ahead of it when negative.",
        True,
    ),
    RATIO,
    GAP,
    STATUS,
    FORECAST,
    Column("on_time", "On time", Kind.COUNT, "Headline targets forecast to be reached in time."),
    RUN_RATE,
    REQUIRED_RUN_RATE,
    Column(
        "completed",
        "Completed",
        Kind.COUNT,
        "People the selection completed at this level, summed over months.",
    ),
)

ATTAINMENT_COLUMNS = (
    TARGET_ID,
    SCOPE,
    SCOPE_ID,
    SCOPE_NAME,
    LEVEL,
    METRIC,
    BASELINE_YEAR,
    BASELINE_VALUE,
    DEADLINE,
    TARGET,
    ACHIEVED,
    EXPECTED,
    ATTAINMENT,
    RATIO,
    GAP,
    STATUS,
    RUN_RATE,
    REQUIRED_RUN_RATE,
    FORECAST,
)

TARGETS_COLUMNS = (
    TARGET_ID,
    SCOPE,
    SCOPE_ID,
    SCOPE_NAME,
    LEVEL,
    METRIC,
    BASELINE_YEAR,
    BASELINE_VALUE,
    DEADLINE,
    Column("target", "Target", Kind.COUNT, "People to train by December of the deadline year."),
    Column(
        "milestones",
        "Milestones",
        Kind.TEXT,
        "Interim milestones as 'year: people' (December of that year), separated by '; '.",
    ),
)

TARGET_REVISIONS_COLUMNS = (
    TARGET_ID,
    SCOPE,
    SCOPE_ID,
    LEVEL,
    Column(
        "field",
        "Field",
        Kind.TEXT,
        "Which field of the target changed (value, deadline_year…).",
        words=target_field_words,
    ),
    Column("old_value", "Was", Kind.TEXT, "Its value before the change (blank: none)."),
    Column("new_value", "Now", Kind.TEXT, "Its value after the change (blank: none)."),
    Column("reason", "Reason", Kind.TEXT, "Why the target changed, as given with the change."),
    Column("changed_by", "By", Kind.TEXT, "Who changed it."),
    Column("changed_at", "At (UTC)", Kind.DATETIME, "When it changed."),
    Column("upload_id", "Upload", Kind.COUNT, "The upload of the Targets sheet that changed it."),
)

REGIONS_COLUMNS = (
    Column("region_code", "Code", Kind.TEXT, "NUTS code of the region.", True),
    Column("name", "Region", Kind.TEXT, "Name of the region.", True),
    Column("country", "Country", Kind.TEXT, "ISO 3166 country code."),
    PROGRAMMES,
    ENROLLED,
    COMPLETED,
    CERTIFIED,
    DROPPED_OUT,
    COMPLETION_RATE,
    Column(
        "women_share",
        "Women share",
        Kind.SHARE,
        "Women ÷ enrolled, over the months that reported women.",
    ),
    BUDGET,
    SPEND,
    ABSORPTION,
    Column("cost_per_completer", "Cost per completer EUR", Kind.EUR, "Spend ÷ completed."),
    *_level_columns(),
)

EU_FRAMES_COLUMNS = (
    Column("region_code", "Code", Kind.TEXT, "NUTS code of the region.", True),
    Column("name", "Region", Kind.TEXT, "Name of the region.", True),
    Column("country", "Country", Kind.TEXT, "ISO 3166 country code."),
    Column(
        "adults",
        "Adults",
        Kind.COUNT,
        "People aged 16-74 in the region, from the Regions sheet; blank: not known.",
    ),
    Column(
        "reached",
        "Basic level completed",
        Kind.COUNT,
        "People who completed a basic-level programme through the as-of month.",
        True,
    ),
    Column(
        "share_of_adults",
        "Share of adults",
        Kind.SHARE,
        "Basic level completed ÷ adults; blank where the adults are not known.",
        True,
    ),
    Column(
        "share_of_goal",
        "Share of the goal of 80%",
        Kind.SHARE,
        "Basic level completed ÷ (0.8 × adults): the Digital Decade's goal of at least basic "
        "digital skills for 80 percent of people aged 16-74 by 2030 (docs/eu-frames.md).",
        True,
    ),
)

# The ESF+ common output indicators on participants, as such reports list them.
ESF_COLUMNS = (
    Column(
        "breakdown",
        "Indicator",
        Kind.TEXT,
        "The ESF+ participant breakdown: gender, age, labour-market status or education.",
        True,
        gettext,  # the catalogue's words (skills_roadmap.fields)
    ),
    Column(
        "header", "Band", Kind.TEXT, "The band, as headed in the progress sheet.", True, gettext
    ),
    Column(
        "people",
        "Participants",
        Kind.COUNT,
        "Enrolled in the band, over the months that reported it; blank: never reported.",
        True,
    ),
    Column(
        "share",
        "Share of participants",
        Kind.SHARE,
        "Participants ÷ the enrolled of the months that reported the band.",
        True,
    ),
    Column(
        "enrolled_reporting",
        "Enrolled reported on",
        Kind.COUNT,
        "The enrolled of the months that reported the band.",
    ),
    Column(
        "reported_share",
        "Share reported",
        Kind.SHARE,
        "Enrolled reported on ÷ all enrolled: how far the band can be trusted.",
        True,
    ),
)

CLUSTERS_COLUMNS = (
    Column("cluster_id", "Cluster id", Kind.TEXT, "Identifier of the cluster."),
    Column("name", "Cluster", Kind.TEXT, "Name of the cluster.", True),
    Column("region_code", "Region", Kind.TEXT, "NUTS code of the cluster's home region.", True),
    Column(
        "helix_roles",
        "Helix roles",
        Kind.TEXT,
        "Quadruple-helix roles of the cluster.",
        words=HELIX_ROLES_WORDS,
    ),
    PROGRAMMES,
    ENROLLED,
    COMPLETED,
    CERTIFIED,
    CAPACITY,
    Column(
        "expected_enrolled",
        "Expected enrolled",
        Kind.COUNT,
        "Capacity × elapsed share of each programme's run, summed.",
    ),
    CAPACITY_USE,
    Column(
        "completed_share",
        "Share of completions",
        Kind.SHARE,
        "The cluster's completed ÷ all completed in the selection.",
        True,
    ),
    Column(
        "carries",
        "Carries",
        Kind.FLAG,
        "Among the fewest largest contributors that together make 80 percent of the completions.",
    ),
    BUDGET,
    SPEND,
    ABSORPTION,
)

PROGRAMMES_COLUMNS = (
    *PROGRAMME_FIELD_COLUMNS,
    ENROLLED,
    COMPLETED,
    CERTIFIED,
    DROPPED_OUT,
    Column("women", "Women", Kind.COUNT, "Women enrolled, over the months that reported it."),
    SPEND,
    COMPLETION_RATE,
    ABSORPTION,
    CAPACITY_USE,
    Column("last_period", "Last reported", Kind.PERIOD, "Latest month with a progress report."),
    Column(
        "months_late",
        "Months late",
        Kind.COUNT,
        "Months between the month due (the as-of month or the programme's end) and its last "
        "report.",
        True,
    ),
)

PROGRESS_COLUMNS = tuple(field_column(field) for field in PROGRESS_FIELDS)

UPLOADS_COLUMNS = (
    Column("upload_id", "Upload", Kind.COUNT, "Number of the upload."),
    Column("file_name", "File", Kind.TEXT, "Name of the uploaded file."),
    Column(
        "kind",
        "Kind",
        Kind.TEXT,
        "What the file held (progress, programmes, targets), or revert: an upload undone.",
        words=partial(choice_words, UPLOAD_KINDS),
    ),
    Column("uploaded_by", "By", Kind.TEXT, "Who uploaded it."),
    Column("uploaded_at", "At (UTC)", Kind.DATETIME, "When it was uploaded."),
    Column(
        "outcome",
        "Outcome",
        Kind.TEXT,
        "dry_run, committed, rejected or duplicate.",
        words=partial(choice_words, UPLOAD_OUTCOMES),
    ),
    Column("rows_new", "New rows", Kind.COUNT, "Rows added."),
    Column("rows_changed", "Changed rows", Kind.COUNT, "Rows whose values changed."),
    Column("rows_unchanged", "Unchanged rows", Kind.COUNT, "Rows already stored as they are."),
    Column("errors", "Errors", Kind.COUNT, "Errors found."),
    Column("warnings", "Warnings", Kind.COUNT, "Warnings found."),
)

DEFINITIONS = (
    (
        "Attainment",
        "People achieved ÷ the target. Achieved is the target's baseline value plus its metric "
        "(completed, enrolled or certified) summed over the programmes in its scope and level, "
        "from January of the baseline year through the as-of month.",
    ),
    (
        "Trajectory and expected",
        "A straight line from the baseline (January of the baseline year) through each interim "
        "milestone (December of its year) to the target (December of the deadline year); "
        "'expected' is its value at the as-of month.",
    ),
    (
        "Status",
        "Achieved ÷ expected at or above the on-track threshold is on track, at or above the "
        "at-risk threshold at risk, below it off track; on track while nothing is expected yet.",
    ),
    (
        "Against the trajectory",
        "(Expected − achieved) ÷ target, in percentage points: behind the trajectory when "
        "positive, ahead of it when negative (Excel and HTML say which).",
    ),
    (
        "Run rate and forecast",
        "The run rate is the metric per month averaged over the recent window (months without "
        "reports count as zero). The forecast is the month the rest would be reached at that "
        "rate, if before the end of the deadline year.",
    ),
    (
        "Headline target",
        "Where a scope has several targets for a level, the summary and the regions table use "
        "the earliest deadline not yet past (else the latest).",
    ),
    (
        "Groups of targets",
        "A group's attainment is the sum of achieved over the sum of targets, never an average "
        "of percentages.",
    ),
    (
        "Blank values",
        "A blank count or amount means 'not reported', never zero; sums skip it.",
    ),
    (
        "Filters",
        "Filters choose which programmes count and which targets are shown; they never change "
        "a definition. A region target seen through a cluster, funding-source or delivery-mode "
        "filter counts only that part's contribution.",
    ),
    (
        "Text that looks like a formula",
        "Text beginning with =, +, -, @, a tab or a carriage return is always stored as text: "
        "Excel cells are text cells marked like a leading apostrophe, and CSV cells start "
        "with an apostrophe (drop it to get the exact text).",
    ),
)


DOCUMENTATION_COLUMNS = (
    Column("table", "Table", Kind.TEXT, "Sheet or file the column belongs to."),
    Column("column", "Column", Kind.TEXT, "Column name in CSV."),
    Column("header", "Header", Kind.TEXT, "Column header in Excel and HTML."),
    Column("type", "Type", Kind.TEXT, "How values are written."),
    Column("meaning", "Meaning", Kind.TEXT, "What the column holds: the definition used."),
)


def documentation(tables: tuple[ReportTable, ...]) -> ReportTable:
    """One row per column of ``tables``: the data dictionary of the Notes sheet and
    ``columns.csv``."""
    rows = [
        {
            "table": table.key,
            "column": column.key,
            "header": column.header,
            "type": gettext(KIND_DESCRIPTIONS[column.kind]),
            "meaning": column.description,
        }
        for table in tables
        for column in table.columns
    ]
    return ReportTable(
        "columns",
        gettext("Columns"),
        gettext("Every column of every table, with its meaning."),
        translated_columns(DOCUMENTATION_COLUMNS),
        pd.DataFrame(rows, columns=[column.key for column in DOCUMENTATION_COLUMNS]),
    )


MATRIX_COLUMNS = (
    Column("region_code", "Region", Kind.TEXT, "NUTS code of the region.", True),
    Column("region_name", "Region name", Kind.TEXT, "Name of the region.", True),
    Column("cluster_id", "Cluster id", Kind.TEXT, "Identifier of a cluster working in the region."),
    Column("cluster_name", "Cluster", Kind.TEXT, "Name of the cluster.", True),
    Column("home_region", "Home region", Kind.TEXT, "NUTS code of the cluster's home region."),
    Column("home_region_name", "Based in", Kind.TEXT, "Name of the cluster's home region.", True),
    Column(
        "based_here",
        "Based here",
        Kind.FLAG,
        "The region is the cluster's home (false: it also works here, maybe across a border).",
        True,
    ),
    LEVEL,
    Column(
        "programmes",
        "Programmes",
        Kind.COUNT,
        "Programmes the cluster runs in the region at this level.",
    ),
    Column(
        "completed",
        "Completed",
        Kind.COUNT,
        "People who completed them through the as-of month (blank: none reported).",
        True,
    ),
    Column("target_id", "Target id", Kind.TEXT, "The region's headline target at this level."),
    METRIC,
    Column("target", "Region's target", Kind.COUNT, "Value of the region's headline target."),
    Column(
        "counted",
        "Counted",
        Kind.COUNT,
        "The target's metric summed over the cluster's programmes here, from January of the "
        "target's baseline year through the as-of month.",
    ),
    Column(
        "attainment",
        "Contribution",
        Kind.SHARE,
        "Counted ÷ the region's target: the cluster's contribution to it, never a status.",
        True,
    ),
)


def translated_columns(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """``columns`` with their headers and meanings in the current language: the columns are
    declared once, in English, and a report is laid out in its reader's language."""
    return tuple(
        replace(column, header=gettext(column.header), description=gettext(column.description))
        for column in columns
    )


def _worded(values: pd.Series, words: Callable[[str], str]) -> pd.Series:
    """``values`` through ``words``, once per distinct value; blanks stay blank."""
    named = {value: words(str(value)) for value in pd.unique(values.dropna())}
    return values.astype(object).map(named)


def readable(table: ReportTable) -> ReportTable:
    """``table`` as people read it in the Excel, HTML and PDF report: each column that
    declares ``words`` holds them instead of its codes ("Básico" for ``basic``), so an Excel
    filter or sort works on the words. The CSV set keeps the codes: scripts read them."""
    worded = {
        column.key: _worded(table.frame[column.key], column.words)
        for column in table.columns
        if column.words is not None
    }
    return replace(table, frame=table.frame.assign(**worded)) if worded else table
