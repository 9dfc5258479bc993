"""The network workbook as a file: an empty template to fill in, or the stored network exported.

Both have the same sheets (Instructions, Regions, Clusters, Programmes, Targets, Facilities and
a Reference sheet of the NUTS-2 regions), the sheet contracts' headers, drop-down lists of the
allowed values and of the workbook's own regions and clusters, and rules on number cells. An
exported workbook imports again without a change; the template shows an example row above
each header, which is never imported.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd
import xlsxwriter
from sqlalchemy import Engine
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from skills_roadmap.fields import LIST_SEPARATOR, Field, FieldKind
from skills_roadmap.i18n import use_language
from skills_roadmap.i18n.words import N_, _
from skills_roadmap.ingest.admin_sheets import PROGRAMME_DTYPES, stored_targets
from skills_roadmap.ingest.cells import plain
from skills_roadmap.ingest.contract import (
    CLUSTERS,
    NETWORK_CONTRACTS,
    REGIONS,
    SheetContract,
    SheetKind,
)
from skills_roadmap.ingest.network_sheets import (
    REGION_DTYPES,
    stored_clusters,
    stored_facilities,
)
from skills_roadmap.ingest.row_rules import split_list
from skills_roadmap.ingest.template import (
    TEMPLATE_ROWS,
    CellFormats,
    validation_messages,
    write_column_table,
    write_columns,
)
from skills_roadmap.palette import MUTED
from skills_roadmap.reference import load_regions
from skills_roadmap.reference.sheet_terms import (
    DEFAULT_LANGUAGE,
    TermKind,
    checked_language,
    spelling,
)
from skills_roadmap.storage import session_scope
from skills_roadmap.storage.admin_tables import stored_rows

INSTRUCTIONS_SHEET = "Instructions"
# A sheet name a formula may give without quotes.
PLAIN_SHEET_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
REFERENCE_SHEET = "Reference"
EXAMPLE_STYLE = {"italic": True, "font_color": MUTED}
INSTRUCTIONS = (
    N_("How to fill in this network workbook"),
    "",
    N_(
        "One workbook sets up your network: its regions, clusters, programmes, targets and "
        "facilities. Fill in the sheets you need; an empty sheet changes nothing."
    ),
    N_(
        "The sheets are stored in this order, all or none of them, and a row may refer to an ID"
        " defined in a sheet before it: Regions, Clusters, Programmes, Targets, Facilities."
    ),
    N_(
        "Regions: a NUTS-2 code of the Reference sheet takes its name, country and coordinates "
        "from the reference when you leave them blank. A region of your own has a code of 2 to "
        "8 capital letters and digits (not shaped like a NUTS-2 code) and needs them all."
    ),
    N_(
        "Clusters: the home region, and the other regions the cluster also works in (across "
        "borders too), separated by ';'. A programme runs in its cluster's home region or in "
        "one it also works in."
    ),
    N_(
        "Importing again updates each row by its ID; unchanged rows stay as they are and "
        "nothing is deleted. A changed target needs a Reason."
    ),
    N_(
        "Keep the headers as they are; you may add columns of your own on the right (they are "
        "ignored). The grey row above a header is an example and is never imported."
    ),
    N_(
        "Check the workbook with `skills-roadmap import FILE --dry-run`, then import it without"
        " --dry-run (administrators only). Values are read; formulas are never evaluated."
    ),
)
# The example row above each header of the template, by field key.
EXAMPLES: dict[SheetKind, dict[str, object]] = {
    SheetKind.REGIONS: {"code": "ES24", "adults": 960_000},
    SheetKind.CLUSTERS: {
        "id": "aragon-ai",
        "name": "Aragón AI Cluster",
        "region_code": "ES24",
        "also_works_in": "ES22; FRJ2",
        "helix_roles": "industry; academia; public",
        "website": "https://aragon-ai.example.org",
    },
    SheetKind.PROGRAMMES: {
        "id": "ES24-B001",
        "name": "AI Literacy for SMEs",
        "cluster_id": "aragon-ai",
        "region_code": "ES24",
        "level": "basic",
        "provider": "Zaragoza Adult Education Network",
        "provider_helix": "society",
        "delivery_mode": "blended",
        "start": date(2025, 1, 1),
        "end": date(2025, 12, 31),
        "capacity": 400,
        "budget_eur": 120_000,
        "funding_source": "ESF+",
    },
    SheetKind.TARGETS: {
        "id": "T-ES24-basic",
        "scope": "region",
        "scope_id": "ES24",
        "level": "basic",
        "metric": "completed",
        "deadline_year": 2027,
        "value": 4_000,
        "baseline_year": 2024,
        "baseline_value": 0,
        "milestones": "2025: 1000; 2026: 2500",
    },
    SheetKind.FACILITIES: {
        "id": "ES24-F01",
        "name": "Zaragoza AI Ideas Lab",
        "kind": "idea generation",
        "region_code": "ES24",
        "cluster_id": "aragon-ai",
        "planned_open": "2025-03",
    },
}
# Columns whose drop-down lists the IDs of another sheet of the workbook (a warning, not a
# refusal, for an ID stored already but not in the workbook).
ID_LISTS: dict[tuple[SheetKind, str], SheetContract] = {
    (SheetKind.CLUSTERS, "region_code"): REGIONS,
    (SheetKind.PROGRAMMES, "region_code"): REGIONS,
    (SheetKind.PROGRAMMES, "cluster_id"): CLUSTERS,
    (SheetKind.FACILITIES, "region_code"): REGIONS,
    (SheetKind.FACILITIES, "cluster_id"): CLUSTERS,
}
REFERENCE_COLUMNS = ("Code", "Name", "Country", "Latitude", "Longitude")


def network_template(language: str = DEFAULT_LANGUAGE) -> bytes:
    """The empty network workbook an administrator fills in: an example row above each header;
    sheet names, headers and drop-down values in ``language``.

    Raises:
        UnknownLanguageError: the sheets are not written in ``language``.
    """
    return _network_workbook({}, examples=True, language=checked_language(language))


def write_network_workbook(
    rows: Mapping[SheetKind, pd.DataFrame], *, created: datetime | None = None
) -> bytes:
    """A network workbook of ``rows``: per sheet, a frame with its fields' keys as columns and
    values as stored (``idea_generation``, ``industry,academia``, dates, ``YYYY-MM`` months).

    ``created`` (default: now) is the workbook's creation time: fixed, the same rows give the
    same bytes.
    """
    return _network_workbook(rows, examples=False, created=created)


def network_workbook(engine: Engine) -> bytes:
    """The stored network as a network workbook: every region, cluster, programme, target and
    facility, in the shape the import reads, so that importing it again changes nothing."""
    with session_scope(engine) as session:
        targets = stored_targets(session).assign(reason=None)
        rows = {
            SheetKind.REGIONS: stored_rows(session, "regions", REGION_DTYPES),
            SheetKind.CLUSTERS: stored_clusters(session),
            SheetKind.PROGRAMMES: stored_rows(session, "programmes", PROGRAMME_DTYPES),
            SheetKind.TARGETS: targets,
            SheetKind.FACILITIES: stored_facilities(session),
        }
    return write_network_workbook(
        {kind: frame.sort_values(frame.columns[0]) for kind, frame in rows.items()}
    )


def _network_workbook(
    rows: Mapping[SheetKind, pd.DataFrame],
    *,
    examples: bool,
    created: datetime | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> bytes:
    """The workbook of ``rows``, its words (instructions, examples, cell messages) in
    ``language``, as its sheet names and headers are."""
    with use_language(language):
        return _written_workbook(rows, examples=examples, created=created, language=language)


def _written_workbook(
    rows: Mapping[SheetKind, pd.DataFrame],
    *,
    examples: bool,
    created: datetime | None,
    language: str,
) -> bytes:
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        output, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    if created is not None:
        workbook.set_properties({"created": created})
    formats = CellFormats(workbook)
    example_format = workbook.add_format(EXAMPLE_STYLE)
    header_row = 2 if examples else 0
    _instructions_sheet(workbook, language)
    for contract in NETWORK_CONTRACTS:
        sheet = workbook.add_worksheet(contract.title(language))
        write_columns(sheet, contract.columns, formats, header_row, language)
        sheet.freeze_panes(header_row + 1, 0)
        _drop_downs(sheet, contract, header_row, language)
        if examples:
            sheet.write_string(
                0, 0, _("Example (never imported): write your rows below the header")
            )
            _write_row(
                sheet,
                1,
                contract.columns,
                EXAMPLES[contract.kind],
                formats,
                example_format,
                language,
            )
        frame = rows.get(contract.kind)
        if frame is not None:
            _write_rows(sheet, header_row + 1, contract.columns, frame, formats)
    _reference_sheet(workbook, formats)
    workbook.close()
    return output.getvalue()


def _instructions_sheet(workbook: xlsxwriter.Workbook, language: str) -> None:
    """The Instructions sheet: the one place its text is written, in the current language
    (the workbook's); each sheet's table names the sheet and its columns in ``language``."""
    sheet = workbook.add_worksheet(INSTRUCTIONS_SHEET)
    bold = workbook.add_format({"bold": True})
    title = workbook.add_format({"bold": True, "font_size": 14})
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, 2, 60)
    sheet.set_column(3, 3, 80)
    for row, line in enumerate(INSTRUCTIONS):
        sheet.write_string(row, 0, _(line) if line else line, title if row == 0 else None)
    row = len(INSTRUCTIONS) + 1
    for contract in NETWORK_CONTRACTS:
        sheet.write_string(row, 0, contract.title(language), title)
        row = write_column_table(sheet, row + 1, contract.columns, bold, language) + 1
    sheet.activate()


def _drop_downs(sheet: Worksheet, contract: SheetContract, header_row: int, language: str) -> None:
    """A list of the allowed values (in ``language``) under each choice column, and of the
    workbook's regions or clusters under a column naming one; the NUTS-2 reference under the
    Regions sheet's code."""
    first, last = header_row + 1, header_row + TEMPLATE_ROWS
    for index, column in enumerate(contract.columns):
        options: dict[str, Any] | None = None
        if column.kind is FieldKind.CHOICE:
            words = [spelling(TermKind.VALUE, choice, language) for choice in column.choices]
            options = {"source": words, "error_type": "stop"}
        elif (contract.kind, column.key) in ID_LISTS:
            target = ID_LISTS[(contract.kind, column.key)].title(language)
            options = {"source": _id_range(target, header_row), "error_type": "warning"}
        elif contract.kind is SheetKind.REGIONS and column.key == "code":
            options = {
                "source": f"={REFERENCE_SHEET}!$A$2:$A${len(load_regions()) + 1}",
                "error_type": "information",
                "error_message": _(
                    "Not a NUTS-2 code of the Reference sheet: fine for a region of your own, "
                    "which needs its name, country and coordinates."
                ),
            }
        if options is not None:
            sheet.data_validation(
                first,
                index,
                last,
                index,
                {
                    "validate": "list",
                    "ignore_blank": True,
                    **validation_messages(contract.header(column, language), column),
                }
                | options,
            )


def _id_range(sheet_name: str, header_row: int) -> str:
    """The first column of ``sheet_name`` below its header, as a list's source (the name
    quoted where it holds more than ASCII letters and digits: spaces, apostrophes, accents,
    other scripts)."""
    name = sheet_name if PLAIN_SHEET_NAME.match(sheet_name) else quoted_sheet_name(sheet_name)
    return f"={name}!$A${header_row + 2}:$A${header_row + 1 + TEMPLATE_ROWS}"


def quoted_sheet_name(sheet_name: str) -> str:
    """``sheet_name`` as a formula names it: in quotes, its apostrophes doubled.

    >>> quoted_sheet_name("Regio's")
    "'Regio''s'"
    """
    return "'" + sheet_name.replace("'", "''") + "'"


def _write_rows(
    sheet: Worksheet,
    first_row: int,
    columns: Sequence[Field],
    frame: pd.DataFrame,
    formats: CellFormats,
) -> None:
    keys = [column.key for column in columns]
    for offset, record in enumerate(frame[keys].itertuples(index=False, name=None)):
        values = dict(zip(keys, record, strict=True))
        _write_row(sheet, first_row + offset, columns, values, formats)


def _write_row(
    sheet: Worksheet,
    row: int,
    columns: Sequence[Field],
    values: Mapping[str, object],
    formats: CellFormats,
    style: Format | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> None:
    """One row of values, each written as its column's kind (never as a formula); values of
    a list in ``language``."""
    for index, column in enumerate(columns):
        value = plain(values.get(column.key))
        cell_format = style or formats.of(column.kind)
        if value is None or value == "":
            continue
        if column.kind is FieldKind.DATE and isinstance(value, date) and style is None:
            sheet.write_datetime(row, index, value, formats.date)
        elif isinstance(value, date):
            sheet.write_string(row, index, value.isoformat(), cell_format)
        elif column.kind in (
            FieldKind.COUNT,
            FieldKind.AMOUNT,
            FieldKind.YEAR,
            FieldKind.COORDINATE,
        ):
            assert isinstance(value, int | float)
            sheet.write_number(row, index, value, cell_format)
        else:
            sheet.write_string(row, index, _sheet_text(column, str(value), language), cell_format)


def _sheet_text(column: Field, value: str, language: str) -> str:
    """A stored value as the sheet spells it in ``language``: choices in words, lists
    separated by '; '."""
    if column.kind is FieldKind.CHOICE:
        return spelling(TermKind.VALUE, value, language)
    if column.kind is FieldKind.LIST:
        words = split_list(value)
        if column.choices:
            words = [spelling(TermKind.VALUE, word, language) for word in words]
        return f"{LIST_SEPARATOR} ".join(words)
    return value


def _reference_sheet(workbook: xlsxwriter.Workbook, formats: CellFormats) -> None:
    sheet = workbook.add_worksheet(REFERENCE_SHEET)
    sheet.write_row(0, 0, REFERENCE_COLUMNS, formats.header)
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 40)
    for row, region in enumerate(load_regions(), start=1):
        sheet.write_row(row, 0, [region.code, region.name, region.country, region.lat, region.lon])
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(load_regions()), len(REFERENCE_COLUMNS) - 1)
