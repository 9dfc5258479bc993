"""A sheet's declared size is checked before it is read: far cell references, ODS repeats, .xls
dimensions and shared-string counts are refused with one line saying what to delete."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_files import (
    ods_gap_before_content,
    ods_repeated_block,
    ods_value_repeated_to_the_end,
    xls_with_dimensions,
    xlsx_cells_without_references,
    xlsx_far_cell,
    xlsx_far_cell_first,
    xlsx_far_column,
    xlsx_formatted_far_cell,
    xlsx_prefixed_far_cell,
    xlsx_shared_string_count,
    xlsx_wide_and_long,
)

from skills_roadmap.exceptions import UnreadableFileError
from skills_roadmap.i18n import PSEUDO_LANGUAGE, use_language
from skills_roadmap.ingest import read_sheet
from skills_roadmap.ingest.extent import Extent, check_ods_content, check_worksheet
from skills_roadmap.ingest.shown import shown

FIXTURES = Path(__file__).parent / "fixtures"
TOO_LONG = (
    "sheet 'Progress' has more than 200,000 data rows, the most one upload may hold (it has "
    "values down to row {row}): delete the rows below your data, or split it into several files"
)
TOO_WIDE = (
    "sheet 'Progress' has values as far right as column {letters} (column {number}); at most "
    "100 columns are read: delete the unused columns on the right"
)
# 200,010 rows (the cap and the header search) × 29 columns (the progress sheet's 22 and 7 of
# the manager's own).
TOO_MANY_CELLS = (
    "sheet 'Progress' spans {rows} rows × {columns} columns ({cells} cells), more than the "
    "5,800,290 cells one upload may hold: delete the columns you do not need and the rows below "
    "your data, or split the file"
)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (xlsx_far_cell, TOO_LONG.format(row="1,048,576")),
        # Written before the header: found by the one pass over the sheet, not by its end.
        (xlsx_far_cell_first, TOO_WIDE.format(letters="XFD", number="16,384")),
        (xlsx_far_column, TOO_WIDE.format(letters="XFD", number="16,384")),
        (xlsx_prefixed_far_cell, TOO_LONG.format(row="1,048,576")),
        # Inside both caps, but A1 to CV200000 is 20 million cells once read.
        (
            xlsx_wide_and_long,
            TOO_MANY_CELLS.format(rows="200,000", columns=100, cells="20,000,000"),
        ),
        # No cell references: cells are placed one after another, as the reader places them.
        (lambda: xlsx_cells_without_references(101), TOO_WIDE.format(letters="CW", number=101)),
        (
            xlsx_shared_string_count,
            "the workbook declares 4,000,000,000 shared strings in a 159-byte part, which "
            "cannot be true (a damaged or forged file): open it in Excel or LibreOffice, save it "
            "again and upload the new file",
        ),
        (
            ods_repeated_block,
            TOO_MANY_CELLS.format(rows="200,001", columns=100, cells="20,000,100"),
        ),
        # The empty rows before a value count: the reader expands them.
        (ods_gap_before_content, TOO_LONG.format(row="1,000,002")),
        # A value repeated to the end of its row, its value written before the repeat.
        (ods_value_repeated_to_the_end, TOO_WIDE.format(letters="XFD", number="16,384")),
        (
            lambda: xls_with_dimensions(0xFFFFFFFF, 0xFFFF),
            "sheet 'Monthly report' of the .xls workbook declares rows 1 to 4,294,967,295 and "
            "65,535 columns, which an .xls file cannot hold (a damaged or forged file): open it "
            "in Excel or LibreOffice, save it as .xlsx and upload that",
        ),
        # A first row after the last: the reader would reserve four billion rows.
        (
            lambda: xls_with_dimensions(10, 5, first_row=20),
            "sheet 'Monthly report' of the .xls workbook declares rows 21 to 10 and 5 columns, "
            "which an .xls file cannot hold (a damaged or forged file): open it in Excel or "
            "LibreOffice, save it as .xlsx and upload that",
        ),
        (
            lambda: xls_with_dimensions(65_536, 256),
            "sheet 'Monthly report' of the .xls workbook spans 65,536 rows × 256 columns "
            "(formatting included), more than one upload may hold: delete the unused rows and "
            "columns, or save the workbook as .xlsx and upload that",
        ),
    ],
    ids=[
        "xlsx-far-cell",
        "xlsx-far-cell-first",
        "xlsx-far-column",
        "xlsx-prefixed",
        "xlsx-wide-and-long",
        "xlsx-no-references",
        "xlsx-shared-strings",
        "ods-repeated-block",
        "ods-gap",
        "ods-value-to-the-end",
        "xls-huge",
        "xls-forged",
        "xls-used-range",
    ],
)
def test_a_tiny_file_declaring_an_enormous_sheet_is_refused_before_it_is_read(
    make: Callable[[], bytes], message: str
) -> None:
    data = make()
    assert len(data) < 10_000
    with pytest.raises(UnreadableFileError) as refused:
        read_sheet(data)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            xlsx_far_cell,
            "⟦shéét 'Progress' hås möré thån 200,000 dåtå röws, thé möst öné üplöåd måy höld (ît "
            "hås vålüés döwn tö röw 1,048,576): délété thé röws bélöw yöür dåtå, ör splît ît "
            "întö sévérål fîlés⟧",
        ),
        (
            xlsx_far_column,
            "⟦shéét 'Progress' hås vålüés ås får rîght ås cölümn XFD (cölümn 16,384); åt möst "
            "100 cölümns åré réåd: délété thé ünüséd cölümns ön thé rîght⟧",
        ),
        (
            xlsx_wide_and_long,
            "⟦shéét 'Progress' spåns 200,000 röws × 100 cölümns (20,000,000 célls), möré thån "
            "thé 5,800,290 célls öné üplöåd måy höld: délété thé cölümns yöü dö nöt nééd ånd thé "
            "röws bélöw yöür dåtå, ör splît thé fîlé⟧",
        ),
        (
            xlsx_shared_string_count,
            "⟦thé wörkböök déclårés 4,000,000,000 shåréd strîngs în å 159-byté pårt, whîch "
            "cånnöt bé trüé (å dåmågéd ör förgéd fîlé): öpén ît în Éxcél ör LîbréÖffîcé, såvé ît "
            "ågåîn ånd üplöåd thé néw fîlé⟧",
        ),
        (
            lambda: xls_with_dimensions(10, 5, first_row=20),
            "⟦shéét 'Monthly report' öf thé .xls wörkböök déclårés röws 21 tö 10 ånd 5 cölümns, "
            "whîch ån .xls fîlé cånnöt höld (å dåmågéd ör förgéd fîlé): öpén ît în Éxcél ör "
            "LîbréÖffîcé, såvé ît ås .xlsx ånd üplöåd thåt⟧",
        ),
        (
            lambda: xls_with_dimensions(65_536, 256),
            "⟦shéét 'Monthly report' öf thé .xls wörkböök spåns 65,536 röws × 256 cölümns "
            "(förmåttîng înclüdéd), möré thån öné üplöåd måy höld: délété thé ünüséd röws ånd "
            "cölümns, ör såvé thé wörkböök ås .xlsx ånd üplöåd thåt⟧",
        ),
    ],
    ids=["too-long", "too-wide", "too-many-cells", "shared-strings", "xls-forged", "xls-huge"],
)
def test_an_enormous_sheet_is_refused_in_the_readers_language(
    make: Callable[[], bytes], message: str
) -> None:
    """Every word is translated (marked in the pseudo-language); the sheet's name is not."""
    with use_language(PSEUDO_LANGUAGE), pytest.raises(UnreadableFileError) as refused:
        read_sheet(make())
    assert str(refused.value) == message


def test_numbers_in_an_extent_refusal_follow_the_readers_language() -> None:
    with use_language("es"), pytest.raises(UnreadableFileError) as refused:
        read_sheet(xlsx_far_cell())
    # Only the numbers: the words read Spanish once the catalog has this message.
    assert "200.000" in str(refused.value) and "1.048.576" in str(refused.value)


@pytest.mark.parametrize(
    "make",
    [
        xlsx_formatted_far_cell,  # a formatted empty cell far away holds no value
        lambda: xlsx_cells_without_references(50),
        lambda: xls_with_dimensions(30, 9),
    ],
    ids=["xlsx-formatted-far-cell", "xlsx-no-references-50", "xls-plain-dimensions"],
)
def test_sheets_inside_the_caps_are_read(make: Callable[[], bytes]) -> None:
    sheet = read_sheet(make())
    assert sheet.sheet in ("Progress", "Monthly report")


def test_libreoffice_repeats_empty_rows_and_columns_to_the_end_and_that_is_accepted() -> None:
    """LibreOffice writes every sheet 1,048,576 rows long and every row 16,384 cells wide, as
    repeated empty rows and cells: not content, so not counted."""
    content = zipfile.ZipFile(FIXTURES / "progress_valid.ods").read("content.xml")
    assert b'table:number-rows-repeated="1048' in content
    assert b'table:number-columns-repeated="163' in content
    check_ods_content(content, Extent.for_rows(200_000))
    assert len(read_sheet((FIXTURES / "progress_valid.ods").read_bytes())) == 4


def test_rows_out_of_order_are_counted_exactly() -> None:
    """A row number lower than one before it (allowed by the format) sends the check down the
    exact path, which still sees the far row."""
    xml = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="300000"><c r="A300000"><v>1</v></c></row>'
        b'<row r="5"><c r="A5"><v>1</v></c></row></sheetData></worksheet>'
    )
    with pytest.raises(UnreadableFileError, match="it has values down to row 300,000"):
        check_worksheet(xml, "Progress", Extent.for_rows(200_000))


def test_shown_values_are_one_line_and_short() -> None:
    """A value quoted in a message never breaks it over lines: control characters escaped,
    long text cut."""
    assert shown("Programme\nID\x00") == "Programme\\nID\\x00"
    assert shown("tab\there\u2028") == "tab\\there\\u2028"
    assert shown("x" * 100) == "x" * 40 + "…"
    assert shown(3.0) == "3"


def test_ods_repeats_are_found_however_the_table_element_is_spaced() -> None:
    content = zipfile.ZipFile(io.BytesIO(ods_repeated_block())).read("content.xml")
    spaced = content.replace(b"<table:table table:name", b"<table:table\n\ttable:name")
    assert spaced != content
    with pytest.raises(UnreadableFileError, match=r"spans 200,001 rows × 100 columns"):
        check_ods_content(spaced, Extent.for_rows(200_000))
