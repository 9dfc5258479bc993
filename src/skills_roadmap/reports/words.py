"""The reports' declared words (column headers and meanings, definitions), for the catalogs."""

from __future__ import annotations

from collections.abc import Iterator

from skills_roadmap.reports import columns
from skills_roadmap.reports.late import LATE_REPORT_COLUMNS
from skills_roadmap.reports.plan_workbook import PLAN_TABLES

__all__ = ["translatable"]


def _tables() -> Iterator[tuple[columns.Column, ...]]:
    for value in vars(columns).values():
        if isinstance(value, columns.Column):
            yield (value,)
        elif isinstance(value, tuple) and value and isinstance(value[0], columns.Column):
            yield value
    yield LATE_REPORT_COLUMNS
    for _title, plan_columns in PLAN_TABLES.values():
        yield plan_columns


def translatable() -> Iterator[str]:
    """Every column header, meaning, value type and definition a report shows.

    They are declared as data (:class:`~skills_roadmap.reports.columns.Column`), not as
    ``gettext`` calls, so ``babel.cfg`` gathers them from here; the reports translate them
    where they are written (:func:`~skills_roadmap.reports.columns.translated_columns`).
    """
    for table in _tables():
        for column in table:
            yield column.header
            yield column.description
    yield from columns.KIND_DESCRIPTIONS.values()
    for term, text in columns.DEFINITIONS:
        yield term
        yield text
