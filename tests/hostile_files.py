"""Tiny files with enormous declared sizes, built on demand (a few KB each): the unit tests, the
server test and the hostile-upload benchmark send the same ones."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER_CELLS = (
    '<c r="A1" t="inlineStr"><is><t>Programme ID</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Period</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>Enrolled</t></is></c>'
    '<c r="D1" t="inlineStr"><is><t>Completed</t></is></c>'
)


def zip_of(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def xlsx_with_sheet(
    sheet_data: str, *, root: str = "worksheet", extra: dict[str, str] | None = None
) -> bytes:
    """An .xlsx with one sheet named Progress whose ``<sheetData>`` is ``sheet_data``."""
    prefix = root.split(":")[0] + ":" if ":" in root else ""
    namespace = f'xmlns:{prefix[:-1]}="{MAIN_NS}"' if prefix else f'xmlns="{MAIN_NS}"'
    members: dict[str, bytes | str] = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats'
            '-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook xmlns="{MAIN_NS}" xmlns:r="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Progress" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0"?><{root} {namespace}><{prefix}sheetData>{sheet_data}'
            f"</{prefix}sheetData></{root}>"
        ),
    }
    return zip_of({**members, **(extra or {})})


def xlsx_far_cell() -> bytes:
    """The 1.5 KB .xlsx that made the spreadsheet library ask for 549 GB: cells A1 and
    XFD1048576."""
    return xlsx_with_sheet(
        f'<row r="1">{HEADER_CELLS}</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    )


def xlsx_far_cell_first() -> bytes:
    """The far cell written before the others (rows out of order)."""
    return xlsx_with_sheet(
        f'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row><row r="1">{HEADER_CELLS}</row>'
    )


def xlsx_wide_and_long() -> bytes:
    """Inside both caps (row 200,000, column CV) but 20 million cells once read."""
    return xlsx_with_sheet(
        f'<row r="1">{HEADER_CELLS}</row><row r="200000"><c r="CV200000"><v>1</v></c></row>'
    )


def xlsx_far_column() -> bytes:
    """A value in column XFD of the header row."""
    return xlsx_with_sheet(f'<row r="1">{HEADER_CELLS}<c r="XFD1"><v>1</v></c></row>')


def xlsx_cells_without_references(columns: int) -> bytes:
    """A row of ``columns`` value cells with no ``r`` references (placed one after another)."""
    return xlsx_with_sheet(
        f'<row r="1">{HEADER_CELLS}</row><row>{"<c><v>1</v></c>" * columns}</row>'
    )


def xlsx_prefixed_far_cell() -> bytes:
    """The far cell in a sheet whose writer gave the namespace a prefix (``<x:c>``)."""
    return xlsx_with_sheet(
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Programme ID</x:t></x:is></x:c></x:row>'
        '<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>',
        root="x:worksheet",
    )


def xlsx_formatted_far_cell() -> bytes:
    """An empty, formatted cell at XFD1048576: harmless, and a normal sheet otherwise."""
    return xlsx_with_sheet(
        f'<row r="1">{HEADER_CELLS}</row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>ARA-1</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>2025-03</t></is></c><c r="C2"><v>1</v></c>'
        '<c r="D2"><v>1</v></c></row>'
        '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    )


def xlsx_shared_string_count() -> bytes:
    """A shared-string table declaring four billion strings in a part of a hundred bytes."""
    book = zipfile.ZipFile(io.BytesIO(xlsx_with_sheet(f'<row r="1">{HEADER_CELLS}</row>')))
    members: dict[str, bytes | str] = {name: book.read(name) for name in book.namelist()}
    members["xl/_rels/workbook.xml.rels"] = book.read("xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    members["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0"?><sst xmlns="{MAIN_NS}" count="4000000000" '
        'uniqueCount="4000000000"><si><t>x</t></si></sst>'
    )
    return zip_of(members)


ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:'
    'tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
    'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def ods_with_rows(rows: str) -> bytes:
    """An .ods whose one sheet, Progress, holds the header row and then ``rows``."""
    header = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
        for text in ("Programme ID", "Period", "Enrolled", "Completed")
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Progress">'
        f"<table:table-row>{header}</table:table-row>{rows}"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def ods_repeated_block() -> bytes:
    """The 836-byte kind of .ods that took a server to 3.2 GB: one content row repeated
    200,000 times, its one cell repeated 100 columns."""
    return ods_with_rows(
        '<table:table-row table:number-rows-repeated="200000"><table:table-cell '
        'table:number-columns-repeated="100" office:value-type="float" office:value="1">'
        "<text:p>1</text:p></table:table-cell></table:table-row>"
    )


def ods_gap_before_content() -> bytes:
    """A million empty rows, then one value: the empty rows count."""
    return ods_with_rows(
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell/>'
        '</table:table-row><table:table-row><table:table-cell office:value-type="float" '
        'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'
    )


def ods_value_repeated_to_the_end() -> bytes:
    """A value repeated over 16,384 columns, written self-closing with the value first."""
    return ods_with_rows(
        '<table:table-row><table:table-cell office:value-type="float" office:value="1" '
        'table:number-columns-repeated="16384"/></table:table-row>'
    )


def xls_with_dimensions(rows: int, columns: int, first_row: int = 0) -> bytes:
    """The committed valid .xls with its Progress sheet's DIMENSIONS record rewritten."""
    data = bytearray((FIXTURES / "progress_valid.xls").read_bytes())
    start = data.find(b"\x00\x02\x0e\x00")  # DIMENSIONS, 14 bytes (BIFF8)
    assert start > 0, "no DIMENSIONS record in the fixture"
    struct.pack_into("<IIHH", data, start + 4, first_row, rows, 0, columns)
    return bytes(data)


def xlsb_far_cell() -> bytes:
    """An .xlsb (no declared-size check reads its binary records) with a second cell at
    XFD1048576: the reader aborts on a 549 GB allocation, in the parse's child process."""
    sample = zipfile.ZipFile(FIXTURES / "corpus" / "xlrd-sample.xlsb")
    members: dict[str, bytes | str] = {name: sample.read(name) for name in sample.namelist()}
    sheet = sample.read("xl/worksheets/sheet1.bin")
    row_header, cell = sheet.index(b"\x00\x19"), sheet.index(b"\x02\x0c")  # BrtRowHdr, BrtCellRk
    far_row, far_cell = bytearray(sheet[row_header:cell]), bytearray(sheet[cell : cell + 14])
    struct.pack_into("<I", far_row, 2, 1_048_575)
    struct.pack_into("<I", far_cell, 2, 16_383)
    end = cell + 14
    members["xl/worksheets/sheet1.bin"] = sheet[:end] + far_row + far_cell + sheet[end:]
    return zip_of(members)


def zip_bomb() -> bytes:
    """A worksheet that inflates a thousandfold: refused before it is inflated."""
    return xlsx_with_sheet("", extra={"xl/worksheets/sheet2.xml": " " * (200 << 20)})


# What the server test and the benchmark send: (name, bytes maker).
HOSTILE_UPLOADS: tuple[tuple[str, Callable[[], bytes]], ...] = (
    ("far-cell.xlsx", xlsx_far_cell),
    ("far-cell-first.xlsx", xlsx_far_cell_first),
    ("wide-and-long.xlsx", xlsx_wide_and_long),
    ("shared-strings.xlsx", xlsx_shared_string_count),
    ("repeated-block.ods", ods_repeated_block),
    ("gap-before-content.ods", ods_gap_before_content),
    ("huge-dimensions.xls", lambda: xls_with_dimensions(0xFFFFFFFF, 0xFFFF)),
    ("bomb.xlsx", zip_bomb),
    ("far-cell.xlsb", xlsb_far_cell),
)
