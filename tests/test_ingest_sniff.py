"""File type by content, and every kind of hostile upload refused with a clear message."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from skills_roadmap.exceptions import UnreadableFileError
from skills_roadmap.i18n import PSEUDO_LANGUAGE, use_language
from skills_roadmap.ingest import FileFormat, read_sheet, sniff_format
from skills_roadmap.ingest.guards import scan_zip
from skills_roadmap.ingest.sniff import PASSWORD_HINT, human_size
from skills_roadmap.settings import get_settings

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("progress_valid.xlsx", FileFormat.XLSX),
        ("progress_valid.xlsm", FileFormat.XLSM),
        ("progress_valid.xls", FileFormat.XLS),
        ("progress_valid.ods", FileFormat.ODS),
        ("progress_valid.csv", FileFormat.CSV),
        ("progress_semicolon_cp1252.csv", FileFormat.CSV),
    ],
)
def test_format_is_judged_by_content(name: str, expected: FileFormat) -> None:
    """Each accepted format is recognised from its bytes alone."""
    assert sniff_format(fixture(name)) is expected


def test_a_workbook_renamed_to_csv_is_still_read_as_a_workbook(tmp_path: Path) -> None:
    """The file name plays no part: an .xlsx called .csv is an .xlsx."""
    renamed = tmp_path / "march.csv"
    renamed.write_bytes(fixture("progress_valid.xlsx"))
    assert read_sheet(renamed.read_bytes()).file_format is FileFormat.XLSX


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty: upload the progress workbook itself"),
        (
            fixture("hostile_pdf_renamed.xlsx"),
            "this file is a PDF document, not a spreadsheet: save it as .xlsx, .ods or .csv "
            "and upload that",
        ),
        (
            b"\x89PNG\r\n\x1a\n" + bytes(100),
            "this file is a PNG image, not a spreadsheet: save it as .xlsx, .ods or .csv and "
            "upload that",
        ),
        (
            zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
            "this file is a Word document, not a spreadsheet: save it as .xlsx, .ods or .csv "
            "and upload that",
        ),
        (
            zip_of({"notes.txt": b"hello"}),
            "this file is a zip archive, not a spreadsheet: save it as .xlsx, .ods or .csv and "
            "upload that",
        ),
        (
            # .xlsb is read (tests/test_ingest_corpus.py); this one is only a name in a zip.
            zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x00"}),
            "the .xlsb workbook cannot be read (Cannot detect file format): open it in Excel or "
            "LibreOffice, save it again and upload the new file",
        ),
        (
            zip_of({"mimetype": b"application/vnd.oasis.opendocument.text"}),
            "this is an OpenDocument file of type application/vnd.oasis.opendocument.text, "
            "not a spreadsheet: save it as .xlsx, .ods or .csv and upload that",
        ),
        (
            bytes(range(256)) * 4,
            "the file is not a spreadsheet or a text (CSV) file: save it as .xlsx, .ods or "
            ".csv and upload that",
        ),
        (
            "Programme ID,Period\n".encode("utf-16"),
            "the file is UTF-16 text: save it as 'CSV UTF-8 (comma delimited)' or as .xlsx",
        ),
        (fixture("hostile_encrypted.xlsx"), PASSWORD_HINT),
        (
            zip_of(
                {
                    "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                    "META-INF/manifest.xml": b"<manifest><encryption-data/></manifest>",
                }
            ),
            PASSWORD_HINT,
        ),
    ],
    ids=[
        "empty",
        "pdf",
        "png",
        "word",
        "zip",
        "damaged-xlsb",
        "odt",
        "binary",
        "utf16",
        "encrypted-xlsx",
        "encrypted-ods",
    ],
)
def test_what_is_not_an_accepted_spreadsheet_is_refused_by_content(
    data: bytes, message: str
) -> None:
    """Wrong type, empty or encrypted: one message saying what the file is and what to do."""
    with pytest.raises(UnreadableFileError) as refused:
        read_sheet(data)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "⟦thé fîlé îs émpty: üplöåd thé prögréss wörkböök îtsélf⟧"),
        # what the file is: a marked name inside the marked message
        (
            fixture("hostile_pdf_renamed.xlsx"),
            "⟦thîs fîlé îs ⟦å PDF döcümént⟧, nöt å spréådshéét: såvé ît ås .xlsx, .öds ör .csv "
            "ånd üplöåd thåt⟧",
        ),
        (
            b"\x00\x00\x02\x00\x04\x04" + bytes(100),
            "⟦thîs fîlé îs ⟦å Lötüs 1-2-3 wörkshéét (.wks)⟧, whîch cånnöt bé réåd héré: öpén ît "
            "în ⟦LîbréÖffîcé⟧, såvé ît ås ån Éxcél wörkböök (.xlsx) ånd üplöåd thåt⟧",
        ),
        (
            zip_of({"mimetype": b"application/vnd.oasis.opendocument.text"}),
            "⟦thîs îs ån ÖpénDöcümént fîlé öf typé application/vnd.oasis.opendocument.text, nöt "
            "å spréådshéét: såvé ît ås .xlsx, .öds ör .csv ånd üplöåd thåt⟧",
        ),
        (
            fixture("hostile_encrypted.xlsx"),
            "⟦thé wörkböök îs prötéctéd by å påsswörd: öpén ît, rémövé thé påsswörd (Fîlé > "
            "Înfö > Prötéct Wörkböök > Éncrypt wîth Påsswörd, cléår ît), såvé, ånd üplöåd "
            "ågåîn⟧",
        ),
        (
            "Programme ID,Period\n".encode("utf-16"),
            "⟦thé fîlé îs ÜTF-16 téxt: såvé ît ås 'CSV ÜTF-8 (cömmå délîmîtéd)' ör ås .xlsx⟧",
        ),
    ],
    ids=["empty", "pdf", "lotus", "odt", "encrypted-xlsx", "utf16"],
)
def test_a_refused_file_is_explained_in_the_readers_language(data: bytes, message: str) -> None:
    """The file is read in a child process, which is handed the reader's language: every word
    of the refusal is translated (the pseudo-language marks each), the file's own values not."""
    with use_language(PSEUDO_LANGUAGE), pytest.raises(UnreadableFileError) as refused:
        read_sheet(data)
    assert str(refused.value) == message


def test_sizes_in_a_refusal_are_written_the_readers_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLS_ROADMAP_UPLOAD_MAX_BYTES", "4000")
    get_settings.cache_clear()
    data = bytes(5_500)
    with use_language(PSEUDO_LANGUAGE), pytest.raises(UnreadableFileError) as refused:
        read_sheet(data)
    assert str(refused.value) == (
        "⟦thé fîlé îs ⟦6 KB⟧, övér thé ⟦4 KB⟧ lîmît: splît ît întö smållér fîlés ör åsk ån "
        "ådmînîstråtör tö råîsé thé lîmît⟧"
    )
    with use_language("es"):
        assert (human_size(1_234_567), human_size(1_500)) == ("1,2 MB", "2 KB")


def test_file_over_the_size_limit_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SKILLS_ROADMAP_UPLOAD_MAX_BYTES", "4000")
    get_settings.cache_clear()
    data = fixture("progress_valid.xlsx")
    with pytest.raises(UnreadableFileError) as refused:
        read_sheet(data)
    assert str(refused.value) == (
        f"the file is {human_size(len(data))}, over the 4 KB limit: split it into smaller "
        "files or ask an administrator to raise the limit"
    )


def test_xml_entity_declarations_are_refused() -> None:
    """A billion-laughs DTD in workbook.xml is refused before any parser expands it."""
    with pytest.raises(UnreadableFileError) as refused:
        read_sheet(fixture("hostile_entities.xlsx"))
    assert str(refused.value) == (
        "part xl/workbook.xml of the workbook declares XML entities or a DTD, which "
        "spreadsheet programs never write (an XML entity attack?): it was not opened"
    )


def _bomb_members(sheet: bytes) -> dict[str, bytes]:
    return {
        "[Content_Types].xml": b"<Types/>",
        "xl/workbook.xml": b"<workbook/>",
        "xl/worksheets/sheet1.xml": sheet,
    }


def test_decompression_bomb_is_refused_from_its_declared_sizes() -> None:
    """50 MB of zeros packed into ~50 KB inflates 1,000 times: refused without inflating it."""
    bomb = zip_of(_bomb_members(b"<worksheet>" + bytes(50_000_000)))
    assert len(bomb) < 100_000
    with pytest.raises(UnreadableFileError) as refused:
        read_sheet(bomb)
    assert str(refused.value).startswith("the file inflates to ")
    assert str(refused.value).endswith(
        "times its packed size when unpacked, far more than a progress sheet needs "
        "(a decompression bomb?): it was not opened"
    )


def test_total_inflated_size_is_limited_relative_to_the_upload_limit() -> None:
    """Members that compress normally but add up to more than 10x the upload limit."""
    text = ("".join(f"<c>{i * 7919 % 100003}</c>" for i in range(60_000))).encode()
    archive = zip_of(_bomb_members(b"<worksheet>" + text))
    with pytest.raises(UnreadableFileError, match="inflates to .* when unpacked"):
        scan_zip(archive, max_bytes=len(text) // 30)


def test_zip_member_larger_than_it_declares_is_refused() -> None:
    """Declared sizes that lie are caught while inflating: the member fails its size check."""
    source = zipfile.ZipFile(io.BytesIO(fixture("progress_errors.xlsx")))
    name = "xl/worksheets/sheet1.xml"
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 50_000))
    members = {info.filename: source.read(info) for info in source.infolist()}
    members[name] = (
        members[name].split(b"<sheetData>")[0] + b"<sheetData>" + rows + b"</sheetData></worksheet>"
    )
    archive = bytearray(zip_of(members))
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := archive.find(signature, start)) != -1:
            name_offset = start + (30 if signature == b"PK\x03\x04" else 46)
            if archive[name_offset : name_offset + len(name)] == name.encode():
                struct.pack_into("<I", archive, start + size_offset, 1000)
            start += 4
    # Refused by the guard's CRC check if it inflates the whole (declared) member, else by
    # the reader, which stops at the declared size.
    with pytest.raises(
        UnreadableFileError,
        match=r"sheet1.xml of the workbook is damaged|larger than its declared uncompressed size",
    ):
        read_sheet(bytes(archive))


def test_more_rows_than_the_row_cap_are_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SKILLS_ROADMAP_UPLOAD_MAX_ROWS", "1000")
    get_settings.cache_clear()
    path = tmp_path / "big.xlsx"
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = workbook.add_worksheet("Progress")
    sheet.write_row(0, 0, ["Programme ID", "Period", "Enrolled", "Completed"])
    for row in range(1, 1_020):
        sheet.write_row(row, 0, ["ARA-1", "2025-01", 1, 1])
    workbook.close()
    with pytest.raises(UnreadableFileError) as refused:
        read_sheet(path.read_bytes())
    assert str(refused.value) == (
        "sheet 'Progress' has more than 1,000 data rows, the most one upload may hold (it has "
        "values down to row 1,020): delete the rows below your data, or split it into several "
        "files"
    )


def test_rows_at_the_cap_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLS_ROADMAP_UPLOAD_MAX_ROWS", "19")
    get_settings.cache_clear()
    assert len(read_sheet(fixture("progress_errors.xlsx"))) == 19


def test_csv_rows_over_the_cap_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLS_ROADMAP_UPLOAD_MAX_ROWS", "5")
    get_settings.cache_clear()
    data = ("Programme ID,Period,Enrolled,Completed\n" + "ARA-1,2025-01,1,1\n" * 30).encode()
    with pytest.raises(UnreadableFileError, match="sheet 'CSV' has more than 5 data rows"):
        read_sheet(data)
