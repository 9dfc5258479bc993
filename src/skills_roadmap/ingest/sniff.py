"""Tell a spreadsheet's format from its bytes (magic numbers, zip members), never from its name.

Formats the product cannot read (Excel 2003 XML, web pages saved as .xls, SYLK, DIF, Lotus
1-2-3, Quattro Pro, Apple Numbers, …) are recognised too, so the message can say what the file
is and how to save it as .xlsx, instead of reading it as a CSV file without a header.
"""

from __future__ import annotations

import io
from enum import StrEnum

import msoffcrypto
import olefile

from skills_roadmap.exceptions import UnreadableFileError
from skills_roadmap.i18n.words import N_, _
from skills_roadmap.ingest.package import Package
from skills_roadmap.ingest.shown import one_line, shown

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
TEXT_PROBE_BYTES = 64 * 1024
NOT_A_SPREADSHEET = N_(
    "this file is {what}, not a spreadsheet: save it as .xlsx, .ods or .csv and upload that"
)
CANNOT_BE_READ = N_(
    "this file is {what}, which cannot be read here: open it in {where}, save it as an Excel "
    "workbook (.xlsx) and upload that"
)
PASSWORD_HINT = N_(
    "the workbook is protected by a password: open it, remove the password "
    "(File > Info > Protect Workbook > Encrypt with Password, clear it), save, and upload again"
)
# Where to open a spreadsheet of another program to save it as .xlsx.
LIBREOFFICE = N_("LibreOffice")
EXCEL_OR_LIBREOFFICE = N_("Excel or LibreOffice")
GNUMERIC_OR_LIBREOFFICE = N_("Gnumeric or LibreOffice")
WORD_DOCUMENT = N_("a Word document")
POWERPOINT_FILE = N_("a PowerPoint file")

# Well-known files people upload by mistake, so the message can say what the file is.
FOREIGN_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", N_("a PDF document")),
    (b"\x89PNG", N_("a PNG image")),
    (b"\xff\xd8\xff", N_("a JPEG image")),
    (b"GIF8", N_("a GIF image")),
    (b"\x1f\x8b", N_("a gzip archive")),
    (b"Rar!", N_("a RAR archive")),
    (b"7z\xbc\xaf", N_("a 7-Zip archive")),
    (b"{\\rtf", N_("an RTF document")),
)

# Spreadsheets of other programs, recognised by their first bytes: what they are, and where to
# open them to save them as .xlsx.
FOREIGN_SPREADSHEETS: tuple[tuple[bytes, str, str], ...] = (
    # Lotus 1-2-3 (WKS, WK1, WK3, WK4, 123) and Quattro Pro (WQ1, WB1, WB2) begin with a BOF
    # record: type 0, length 2 or 26, then a version word.
    (b"\x00\x00\x02\x00\x04\x04", N_("a Lotus 1-2-3 worksheet (.wks)"), LIBREOFFICE),
    (b"\x00\x00\x02\x00\x06\x04", N_("a Lotus 1-2-3 worksheet (.wk1)"), LIBREOFFICE),
    (b"\x00\x00\x1a\x00\x00\x10", N_("a Lotus 1-2-3 workbook (.wk3)"), LIBREOFFICE),
    (b"\x00\x00\x1a\x00\x02\x10", N_("a Lotus 1-2-3 workbook (.wk4)"), LIBREOFFICE),
    (b"\x00\x00\x1a\x00\x03\x10", N_("a Lotus 1-2-3 workbook (.123)"), LIBREOFFICE),
    (b"\x00\x00\x1a\x00\x05\x10", N_("a Lotus 1-2-3 workbook (.123)"), LIBREOFFICE),
    (b"\x00\x00\x02\x00\x20\x51", N_("a Quattro Pro spreadsheet (.wq1)"), LIBREOFFICE),
    (b"\x00\x00\x02\x00\x21\x51", N_("a Quattro Pro spreadsheet (.wq2)"), LIBREOFFICE),
    (b"\x00\x00\x02\x00\x01\x10", N_("a Quattro Pro spreadsheet (.wb1)"), LIBREOFFICE),
    (b"\x00\x00\x02\x00\x02\x10", N_("a Quattro Pro spreadsheet (.wb2)"), LIBREOFFICE),
    # Excel 2.x to 4.0 (1987-1992) wrote a bare BIFF stream, before the Office container.
    (b"\x09\x00\x04\x00", N_("an Excel 2.x worksheet (1987)"), EXCEL_OR_LIBREOFFICE),
    (b"\x09\x02\x06\x00", N_("an Excel 3.0 worksheet (1990)"), EXCEL_OR_LIBREOFFICE),
    (b"\x09\x04\x06\x00", N_("an Excel 4.0 worksheet (1992)"), EXCEL_OR_LIBREOFFICE),
    (b"ID;P", N_("a SYLK spreadsheet (.slk)"), EXCEL_OR_LIBREOFFICE),
    (b"TABLE\r\n0,1\r\n", N_("a DIF spreadsheet (.dif)"), EXCEL_OR_LIBREOFFICE),
    (b"TABLE\n0,1\n", N_("a DIF spreadsheet (.dif)"), EXCEL_OR_LIBREOFFICE),
)
# Text spreadsheets recognised by markers near their start (lower-cased first kilobytes).
FOREIGN_TEXT: tuple[tuple[bytes, str, str], ...] = (
    (
        b"urn:schemas-microsoft-com:office:spreadsheet",
        N_("an Excel 2003 XML spreadsheet (SpreadsheetML)"),
        EXCEL_OR_LIBREOFFICE,
    ),
    (
        b"application/vnd.oasis.opendocument.spreadsheet",
        N_("a flat OpenDocument spreadsheet (.fods)"),
        LIBREOFFICE,
    ),
    (b"http://www.gnumeric.org/", N_("a Gnumeric workbook"), GNUMERIC_OR_LIBREOFFICE),
    (b"<!doctype html", N_("a web page (HTML), not a workbook"), EXCEL_OR_LIBREOFFICE),
    (b"<html", N_("a web page (HTML), not a workbook"), EXCEL_OR_LIBREOFFICE),
    (b"<table", N_("a web page (HTML) table, not a workbook"), EXCEL_OR_LIBREOFFICE),
    (b"socialcalc:version:", N_("a SocialCalc spreadsheet"), LIBREOFFICE),
)
# Markers come after the XML namespace declarations, which can run to a few kilobytes.
TEXT_MARKER_BYTES = 64 * 1024


class FileFormat(StrEnum):
    """The spreadsheet formats the product accepts."""

    XLSX = "xlsx"
    XLSM = "xlsm"
    XLSB = "xlsb"
    XLS = "xls"
    ODS = "ods"
    CSV = "csv"

    @property
    def is_zip(self) -> bool:
        return self in (FileFormat.XLSX, FileFormat.XLSM, FileFormat.XLSB, FileFormat.ODS)


def save_as_xlsx(what: str, where: str) -> str:
    """The message for a spreadsheet the product cannot read: what it is, how to convert it
    (``what`` and ``where`` are English messages, translated here)."""
    return _(CANNOT_BE_READ, what=_(what), where=_(where))


def not_a_spreadsheet(what: str) -> str:
    """The message for a file that is no spreadsheet at all (``what``: an English message
    naming it, ``a PDF document``)."""
    return _(NOT_A_SPREADSHEET, what=_(what))


def check_size(data: bytes, max_bytes: int) -> None:
    """Refuse empty files and files over the upload limit before any parsing."""
    if not data:
        raise UnreadableFileError(_("the file is empty: upload the progress workbook itself"))
    if len(data) > max_bytes:
        raise UnreadableFileError(
            _(
                "the file is {size}, over the {limit} limit: split it into smaller files or ask "
                "an administrator to raise the limit",
                size=human_size(len(data)),
                limit=human_size(max_bytes),
            )
        )


def human_size(size: int) -> str:
    """A byte count for messages, in the current language: ``850 KB``, ``20.0 MB``."""
    if size >= 1_000_000:
        return _("{megabytes:,.1f} MB", megabytes=size / 1e6)
    return _("{kilobytes:,.0f} KB", kilobytes=max(size / 1e3, 1))


def sniff_format(data: bytes) -> FileFormat:
    """The format of ``data`` judged by content: a renamed PDF is refused whatever its name.

    Raises:
        UnreadableFileError: the bytes are not a spreadsheet the product accepts, or the
            workbook is encrypted.
    """
    if data.startswith(ZIP_MAGIC):
        return _zip_format(data)
    if data.startswith(OLE_MAGIC):
        return _ole_format(data)
    for magic, what in FOREIGN_MAGIC:
        if data.startswith(magic):
            raise UnreadableFileError(not_a_spreadsheet(what))
    for magic, what, where in FOREIGN_SPREADSHEETS:
        if data.startswith(magic):
            raise UnreadableFileError(save_as_xlsx(what, where))
    _check_foreign_text(data[:TEXT_MARKER_BYTES])
    _check_text(data[:TEXT_PROBE_BYTES])
    return FileFormat.CSV


def _check_foreign_text(head: bytes) -> None:
    """Refuse a spreadsheet saved as text in a format other than CSV (XML, HTML, …)."""
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(b"<?xml") or lowered.startswith(b"<"):
        for marker, what, where in FOREIGN_TEXT:
            if marker in lowered:
                raise UnreadableFileError(save_as_xlsx(what, where))
        if lowered.startswith(b"<?xml"):
            raise UnreadableFileError(not_a_spreadsheet(N_("an XML document")))


def _zip_format(data: bytes) -> FileFormat:
    try:
        package = Package.of(data)
    except Exception as error:  # zipfile raises many kinds of error on a damaged archive
        raise UnreadableFileError(
            _(
                "the file is a damaged zip archive ({reason}): open it in Excel or LibreOffice, "
                "save it again and upload the new file",
                reason=one_line(str(error)),
            )
        ) from None
    archive = package.archive
    if "mimetype" in archive.namelist():
        mimetype = archive.open("mimetype").read(200).strip()
        if mimetype != ODS_MIMETYPE:
            raise UnreadableFileError(
                _(
                    "this is an OpenDocument file of type {type}, not a spreadsheet: save it as "
                    ".xlsx, .ods or .csv and upload that",
                    type=shown(mimetype.decode("ascii", "replace")),
                )
            )
        if b"encryption-data" in package.head("META-INF/manifest.xml"):
            raise UnreadableFileError(_(PASSWORD_HINT))
        return FileFormat.ODS
    workbook = package.workbook_part()
    if workbook is not None and workbook.endswith(".bin"):
        return FileFormat.XLSB
    if workbook is not None:
        macro = package.has("xl/vbaProject.bin") or b"macroenabled" in (
            package.head("[Content_Types].xml").lower()
        )
        return FileFormat.XLSM if macro else FileFormat.XLSX
    if package.has("word/document.xml"):
        raise UnreadableFileError(not_a_spreadsheet(WORD_DOCUMENT))
    if package.has("ppt/presentation.xml"):
        raise UnreadableFileError(not_a_spreadsheet(POWERPOINT_FILE))
    if package.has("Index/Document.iwa") or package.has("index.xml"):
        raise UnreadableFileError(
            _(
                "this file is an Apple Numbers spreadsheet, which cannot be read here: open it "
                "in Numbers, choose File > Export To > Excel, and upload the .xlsx file"
            )
        )
    raise UnreadableFileError(not_a_spreadsheet(N_("a zip archive")))


def _ole_format(data: bytes) -> FileFormat:
    try:
        container = olefile.OleFileIO(io.BytesIO(data))
    except Exception as error:  # olefile raises many kinds of error on a damaged container
        raise UnreadableFileError(
            _(
                "the file is a damaged Office file ({reason}): open it in Excel, save it as "
                ".xlsx and upload that",
                reason=one_line(str(error)),
            )
        ) from None
    with container:
        if container.exists("EncryptionInfo") or container.exists("EncryptedPackage"):
            raise UnreadableFileError(_(PASSWORD_HINT))
        if container.exists("WordDocument"):
            raise UnreadableFileError(not_a_spreadsheet(WORD_DOCUMENT))
        if container.exists("PowerPoint Document"):
            raise UnreadableFileError(not_a_spreadsheet(POWERPOINT_FILE))
        if container.exists("NativeContent_MAIN"):
            raise UnreadableFileError(
                save_as_xlsx(N_("a Quattro Pro spreadsheet (.qpw)"), LIBREOFFICE)
            )
        # Excel 97 and later: "Workbook"; Excel 5.0/95: "Book" (olefile ignores case).
        if not (container.exists("Workbook") or container.exists("Book")):
            raise UnreadableFileError(
                _(
                    "this Office file holds no Excel workbook, so it is not a spreadsheet: save "
                    "it as .xlsx, .ods or .csv and upload that"
                )
            )
    if _encrypted(data):
        raise UnreadableFileError(_(PASSWORD_HINT))
    return FileFormat.XLS


def _encrypted(data: bytes) -> bool:
    """Whether an Excel 97+ workbook is encrypted. msoffcrypto knows only that format; for an
    Excel 5.0/95 "Book" stream or a damaged file it fails, and the reader then finds any
    password record itself."""
    try:
        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:  # any failure of this probe leaves the decision to the reader
        return False


def _check_text(probe: bytes) -> None:
    """Accept bytes that read as UTF-8 or cp1252 text; anything else is not a CSV file."""
    if probe.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFileError(
            _("the file is UTF-16 text: save it as 'CSV UTF-8 (comma delimited)' or as .xlsx")
        )
    if b"\x00" in probe or decode_text(probe, strict=False) is None:
        raise UnreadableFileError(
            _(
                "the file is not a spreadsheet or a text (CSV) file: save it as .xlsx, .ods or "
                ".csv and upload that"
            )
        )


def decode_text(data: bytes, *, strict: bool = True) -> str | None:
    """Text of a CSV file: UTF-8 with or without BOM, else Windows-1252 (Excel's 'CSV' on Windows).

    With ``strict=False`` (a probe cut at an arbitrary byte) a multi-byte character split at the
    end is tolerated.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if not strict and error.start >= len(data) - 3 and error.reason == "unexpected end of data":
            return data[: error.start].decode("utf-8")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None
