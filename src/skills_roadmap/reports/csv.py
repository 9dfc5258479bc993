"""CSV export: a folder (or zip) of tidy UTF-8 tables, their data dictionary and a README.

Plain RFC 4180 CSV without a byte-order mark, ``\\n`` line ends, ISO dates, months as
``YYYY-MM``, amounts in euro with two decimals, blanks for "not reported", status codes
(``on_track``…) and text cells that could be read as a formula prefixed with an apostrophe
(see :mod:`.safety`).
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

import pandas as pd

from skills_roadmap.i18n import gettext
from skills_roadmap.reports.cells import (
    Renderer,
    each,
    numbers_text,
    period_text,
    render_distinct,
    utc,
)
from skills_roadmap.reports.columns import Kind, ReportTable, documentation
from skills_roadmap.reports.data import ReportContent
from skills_roadmap.reports.safety import neutralise
from skills_roadmap.reports.tracking import Tracker, ignore

ROWS_PER_CHUNK = 100_000
README = "README.txt"
_NEEDS_QUOTES = frozenset(',"\n\r')


def quoted(text: str) -> str:
    """``text`` as one CSV field: in double quotes (doubled inside) when it needs them."""
    if _NEEDS_QUOTES.isdisjoint(text):
        return text
    return '"' + text.replace('"', '""') + '"'


def _text_cell(value: object) -> str:
    return quoted(neutralise(str(value)))


_RENDER: dict[Kind, Renderer] = {
    Kind.TEXT: each(_text_cell),
    Kind.COUNT: numbers_text,
    Kind.NUMBER: numbers_text,
    Kind.POINTS: numbers_text,
    Kind.EUR: lambda values: list(map("%.2f".__mod__, values)),  # euro and cent
    Kind.SHARE: numbers_text,
    Kind.YEAR: numbers_text,
    Kind.PERIOD: each(period_text),
    Kind.DATE: each(lambda value: f"{pd.Timestamp(value):%Y-%m-%d}"),
    Kind.DATETIME: each(lambda value: f"{utc(value):%Y-%m-%dT%H:%M:%SZ}"),
    Kind.STATUS: each(str),
    Kind.FLAG: each(lambda value: "true" if value else "false"),
}


def csv_cells(values: pd.Series, kind: Kind) -> list[str]:
    """Every value of a column as CSV field text (blank when missing)."""
    return render_distinct(values, _RENDER[kind], "")


def table_csv(table: ReportTable, *, header: bool = True) -> Iterator[bytes]:
    """A table as UTF-8 CSV, header first (unless ``header`` is false: a later slice of a
    longer table), in chunks of rows."""
    if header:
        yield (",".join(column.key for column in table.columns) + "\n").encode()
    cells = [csv_cells(table.frame[column.key], column.kind) for column in table.columns]
    for start in range(0, len(table.frame), ROWS_PER_CHUNK):
        rows = zip(*(column[start : start + ROWS_PER_CHUNK] for column in cells), strict=True)
        yield ("\n".join(map(",".join, rows)) + "\n").encode()


def readme(content: ReportContent, files: Iterable[str]) -> str:
    """What the folder holds, for whom and as of when, with the executive summary, in the
    current language (the files' names and CSV headers are the columns' names, the same in
    every language, so scripts that read them work for every reader)."""
    lines = [content.title, "=" * len(content.title), ""]
    lines += [f"{gettext(label)}: {value}" for label, value in content.facts]
    lines += ["", gettext("Filters:")]
    lines += [f"  {gettext(label)}: {value}" for label, value in content.filter_lines]
    lines += ["", gettext("Executive summary:"), *(f"  {line}" for line in content.summary)]
    lines += ["", gettext("Files (columns.csv describes every column):")]
    lines += [f"  {name}" for name in files]
    lines += ["", gettext("Definitions:")]
    lines += [f"  {gettext(term)}: {text}" for term, text in content.definitions]
    return "\n".join(lines) + "\n"


def csv_documents(content: ReportContent) -> list[tuple[str, ReportTable | str]]:
    """The files of the CSV set, in order: one per table, ``columns.csv`` and the README."""
    tables = content.documented_tables
    files: list[tuple[str, ReportTable | str]] = [(f"{table.key}.csv", table) for table in tables]
    files.append(("columns.csv", documentation(tables)))
    files.append((README, readme(content, [name for name, _ in files])))
    return files


def _chunks(document: ReportTable | str) -> Iterator[bytes]:
    if isinstance(document, str):
        yield document.encode()
    else:
        yield from table_csv(document)


def _rows(document: ReportTable | str) -> int:
    return 1 if isinstance(document, str) else len(document.frame) + 1


def _write_documents(
    content: ReportContent, sink: Callable[[str, Iterator[bytes]], None], tracker: Tracker | None
) -> None:
    """Hand each file of the CSV set to ``sink`` as a name and chunks of bytes."""
    documents = csv_documents(content)
    total, done = sum(_rows(document) for _, document in documents), 0
    report = tracker or ignore
    for name, document in documents:
        sink(name, _chunks(document))
        done += _rows(document)
        report(done / total)


def write_csv_zip(
    content: ReportContent, target: IO[bytes], tracker: Tracker | None = None
) -> None:
    """The CSV set as one zip archive (a folder named after the report inside) on ``target``."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:

        def put(name: str, chunks: Iterator[bytes]) -> None:
            with archive.open(f"{content.slug}/{name}", "w", force_zip64=True) as handle:
                for chunk in chunks:
                    handle.write(chunk)

        _write_documents(content, put, tracker)


def write_csv_folder(content: ReportContent, folder: Path, tracker: Tracker | None = None) -> None:
    """The CSV set as files in ``folder`` (created if needed); a file of the same name is
    replaced only once the new one is complete."""
    folder.mkdir(parents=True, exist_ok=True)

    def put(name: str, chunks: Iterator[bytes]) -> None:
        partial = folder / f".{name}.partial"
        with partial.open("wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        os.replace(partial, folder / name)

    _write_documents(content, put, tracker)
