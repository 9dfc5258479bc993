"""Tell a spreadsheet's format from its bytes (magic numbers, zip members), never from its name."""

from __future__ import annotations

import io
import zipfile
from enum import StrEnum

import msoffcrypto
import olefile

from skills_roadmap.exceptions import UnreadableFileError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
TEXT_PROBE_BYTES = 64 * 1024
SAVE_AS = "save it as .xlsx, .ods or .csv and upload that"
PASSWORD_HINT = (
    "the workbook is protected by a password: open it, remove the password "
    "(File > Info > Protect Workbook > Encrypt with Password, clear it), save, and upload again"
)

# Well-known files people upload by mistake, so the message can say what the file is.
FOREIGN_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
)


class FileFormat(StrEnum):
    """The spreadsheet formats the product accepts."""

    XLSX = "xlsx"
    XLSM = "xlsm"
    XLS = "xls"
    ODS = "ods"
    CSV = "csv"

    @property
    def is_zip(self) -> bool:
        return self in (FileFormat.XLSX, FileFormat.XLSM, FileFormat.ODS)


def check_size(data: bytes, max_bytes: int) -> None:
    """Refuse empty files and files over the upload limit before any parsing."""
    if not data:
        raise UnreadableFileError("the file is empty: upload the progress workbook itself")
    if len(data) > max_bytes:
        raise UnreadableFileError(
            f"the file is {human_size(len(data))}, over the {human_size(max_bytes)} limit: "
            "split it into smaller files or ask an administrator to raise the limit"
        )


def human_size(size: int) -> str:
    """A byte count for messages: ``850 KB``, ``20.0 MB``."""
    return f"{size / 1e6:,.1f} MB" if size >= 1_000_000 else f"{max(size / 1e3, 1):,.0f} KB"


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
            raise UnreadableFileError(f"this file is {what}, not a spreadsheet: {SAVE_AS}")
    _check_text(data[:TEXT_PROBE_BYTES])
    return FileFormat.CSV


def _zip_format(data: bytes) -> FileFormat:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise UnreadableFileError(
            f"the file is a damaged zip archive ({error}): open it in Excel or LibreOffice, "
            "save it again and upload the new file"
        ) from None
    names = set(archive.namelist())
    if "mimetype" in names:
        mimetype = archive.open("mimetype").read(200).strip()
        if mimetype != ODS_MIMETYPE:
            raise UnreadableFileError(
                f"this is an OpenDocument file of type {mimetype.decode('ascii', 'replace')}, "
                f"not a spreadsheet: {SAVE_AS}"
            )
        if "META-INF/manifest.xml" in names and b"encryption-data" in _head(
            archive, "META-INF/manifest.xml"
        ):
            raise UnreadableFileError(PASSWORD_HINT)
        return FileFormat.ODS
    if "xl/workbook.bin" in names:
        raise UnreadableFileError(f"binary Excel workbooks (.xlsb) are not accepted: {SAVE_AS}")
    if "xl/workbook.xml" in names:
        macro = "xl/vbaProject.bin" in names or b"macroEnabled" in _head(
            archive, "[Content_Types].xml"
        )
        return FileFormat.XLSM if macro else FileFormat.XLSX
    if "word/document.xml" in names:
        raise UnreadableFileError(f"this file is a Word document, not a spreadsheet: {SAVE_AS}")
    if "ppt/presentation.xml" in names:
        raise UnreadableFileError(f"this file is a PowerPoint file, not a spreadsheet: {SAVE_AS}")
    raise UnreadableFileError(f"this file is a zip archive, not a spreadsheet: {SAVE_AS}")


def _head(archive: zipfile.ZipFile, name: str, size: int = 64 * 1024) -> bytes:
    """The first bytes of a member: enough to spot a marker without inflating a huge part."""
    if name not in archive.namelist():
        return b""
    with archive.open(name) as member:
        return member.read(size)


def _ole_format(data: bytes) -> FileFormat:
    try:
        container = olefile.OleFileIO(io.BytesIO(data))
    except OSError as error:
        raise UnreadableFileError(
            f"the file is a damaged Office file ({error}): open it in Excel, save it as .xlsx "
            "and upload that"
        ) from None
    with container:
        if container.exists("EncryptionInfo") or container.exists("EncryptedPackage"):
            raise UnreadableFileError(PASSWORD_HINT)
        if container.exists("WordDocument"):
            raise UnreadableFileError(f"this file is a Word document, not a spreadsheet: {SAVE_AS}")
        if not (container.exists("Workbook") or container.exists("Book")):
            raise UnreadableFileError(
                f"this Office file holds no Excel workbook, so it is not a spreadsheet: {SAVE_AS}"
            )
    if msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted():
        raise UnreadableFileError(PASSWORD_HINT)
    return FileFormat.XLS


def _check_text(probe: bytes) -> None:
    """Accept bytes that read as UTF-8 or cp1252 text; anything else is not a CSV file."""
    if probe.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFileError(
            "the file is UTF-16 text: save it as 'CSV UTF-8 (comma delimited)' or as .xlsx"
        )
    if b"\x00" in probe or decode_text(probe, strict=False) is None:
        raise UnreadableFileError(f"the file is not a spreadsheet or a text (CSV) file: {SAVE_AS}")


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
