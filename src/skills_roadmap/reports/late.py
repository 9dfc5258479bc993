"""Who is late for a month as a CSV file: the late list of :mod:`skills_roadmap.late`,
written like every other table of the CSV export (:mod:`.csv`)."""

from __future__ import annotations

import pandas as pd

from skills_roadmap.i18n import gettext
from skills_roadmap.reports.columns import Column, Kind, ReportTable, translated_columns
from skills_roadmap.reports.csv import table_csv

__all__ = ["LATE_REPORT_COLUMNS", "late_csv", "late_file_name", "late_table"]

LATE_REPORT_COLUMNS = (
    Column("period", "Month", Kind.TEXT, "The month due, YYYY-MM.", brief=True),
    Column("programme_id", "Programme ID", Kind.TEXT, "The programme's ID.", brief=True),
    Column("name", "Programme", Kind.TEXT, "The programme's name.", brief=True),
    Column("cluster_id", "Cluster ID", Kind.TEXT, "The cluster running the programme."),
    Column("cluster_name", "Cluster", Kind.TEXT, "The cluster's name.", brief=True),
    Column("region_code", "Region", Kind.TEXT, "The region the programme runs in."),
    Column(
        "last_period",
        "Last month reported",
        Kind.TEXT,
        "The latest month before this one that the programme reported; blank: never.",
        brief=True,
    ),
    Column(
        "managers",
        "Managers",
        Kind.TEXT,
        "The cluster's active managers, who report for it, separated by '; '; blank: none.",
        brief=True,
    ),
)


def late_table(late: pd.DataFrame, period: str) -> ReportTable:
    """The late list of ``period`` (:func:`skills_roadmap.late.late_list`) as a report table."""
    frame = late.assign(
        period=period,
        managers=late["managers"].map("; ".join),
        last_period=late["last_period"].astype(object),
    )
    return ReportTable(
        "late",
        gettext("Not reported {month}").format(month=period),
        gettext(
            "The programmes running in {month} that have not reported it, with their managers."
        ).format(month=period),
        translated_columns(LATE_REPORT_COLUMNS),
        frame[[column.key for column in LATE_REPORT_COLUMNS]].reset_index(drop=True),
    )


def late_csv(late: pd.DataFrame, period: str) -> bytes:
    """The late list of ``period`` as one UTF-8 CSV file, header first."""
    return b"".join(table_csv(late_table(late, period)))


def late_file_name(period: str) -> str:
    """The download's name: ``not-reported-YYYY-MM.csv``."""
    return f"not-reported-{period}.csv"
