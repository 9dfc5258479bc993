"""Hostile-input guards for zip-based workbooks: decompression bombs and XML entity tricks.

Before any spreadsheet parser sees the archive, its declared sizes are checked (a bomb is
refused without inflating a byte; python-calamine itself refuses a member larger than it
declares), and the XML prolog of every part goes through defusedxml, so a DTD or entity
declaration is refused. Only the head of each part is inflated for that.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import XMLParser

from skills_roadmap.exceptions import UnreadableFileError
from skills_roadmap.i18n.words import N_, _
from skills_roadmap.ingest.shown import one_line, shown
from skills_roadmap.ingest.sniff import human_size

PROLOG_CHUNK_BYTES = 16 * 1024
MAX_MEMBERS = 2_000
# Spreadsheet XML inflates 5-20x; bombs inflate 1,000x and more.
MAX_MEMBER_RATIO = 200
RATIO_CHECKED_ABOVE_BYTES = 1 << 20
# Inflated size allowed per byte of the upload limit (20 MB uploads -> 200 MB of XML at most;
# a 200,000-row progress sheet, the row cap, is about 60 MB of XML).
UNCOMPRESSED_PER_UPLOAD_BYTE = 10
BOMB_MESSAGE = N_(
    "the file inflates to {size} when unpacked, far more than a progress sheet needs "
    "(a decompression bomb?): it was not opened"
)


class _RootReached(Exception):
    """The prolog is over: the first element started without any DTD."""


class _StopAtRoot:
    """An ElementTree parser target that stops parsing at the first element."""

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        raise _RootReached

    def end(self, tag: str) -> None:  # pragma: no cover - never reached
        return None

    def data(self, data: str) -> None:
        return None

    def close(self) -> None:
        return None


def scan_zip(data: bytes, *, max_bytes: int) -> None:
    """Refuse decompression bombs and XML entity tricks in a zip workbook.

    Args:
        data: the uploaded bytes (already known to be a zip archive).
        max_bytes: the upload size limit; the archive may inflate to
            ``UNCOMPRESSED_PER_UPLOAD_BYTE`` times that.

    Raises:
        UnreadableFileError: too many members, declared sizes too large, a damaged member,
            or a DTD / entity declaration in an XML part.
    """
    archive = zipfile.ZipFile(io.BytesIO(data))
    infos = archive.infolist()
    _check_declared_sizes(infos, max_total=max_bytes * UNCOMPRESSED_PER_UPLOAD_BYTE)
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with archive.open(info) as member:
                _refuse_dtd(member, info.filename)
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            EOFError,
            NotImplementedError,
            zlib.error,
        ) as error:
            raise UnreadableFileError(
                _(
                    "part {part} of the workbook is damaged ({reason}): open the file in Excel "
                    "or LibreOffice, save it again and upload the new file",
                    part=shown(info.filename),
                    reason=one_line(str(error)),
                )
            ) from None


def _check_declared_sizes(infos: list[zipfile.ZipInfo], *, max_total: int) -> None:
    if len(infos) > MAX_MEMBERS:
        raise UnreadableFileError(
            _(
                "the workbook holds {parts:,} parts (at most {most:,} are accepted): it was not "
                "opened",
                parts=len(infos),
                most=MAX_MEMBERS,
            )
        )
    total = sum(info.file_size for info in infos)
    if total > max_total:
        raise UnreadableFileError(_(BOMB_MESSAGE, size=human_size(total)))
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECKED_ABOVE_BYTES and ratio > MAX_MEMBER_RATIO:
            raise UnreadableFileError(
                _(
                    BOMB_MESSAGE,
                    size=_("{ratio:,.0f} times its packed size", ratio=ratio),
                )
            )


def _refuse_dtd(member: IO[bytes], name: str) -> None:
    """Parse the prolog with defusedxml until the root element starts (usually in the first KB)."""
    parser = XMLParser(target=_StopAtRoot(), forbid_dtd=True)
    chunk = member.read(PROLOG_CHUNK_BYTES)
    try:
        while chunk:
            parser.feed(chunk)
            chunk = member.read(PROLOG_CHUNK_BYTES)
    except _RootReached:
        return
    except DefusedXmlException:
        raise UnreadableFileError(
            _(
                "part {part} of the workbook declares XML entities or a DTD, which spreadsheet "
                "programs never write (an XML entity attack?): it was not opened",
                part=shown(name),
            )
        ) from None
    except SyntaxError:  # xml.etree.ElementTree.ParseError
        raise UnreadableFileError(
            _(
                "part {part} of the workbook is not well-formed XML: open the file in Excel or "
                "LibreOffice, save it again and upload the new file",
                part=shown(name),
            )
        ) from None
