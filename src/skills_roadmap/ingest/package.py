"""Find the parts of an Office Open XML workbook (.xlsx, .xlsm, .xlsb) however its zip is laid out.

Excel finds the workbook through the package relationships (``_rels/.rels``), not by a fixed
name, and reads part names case-insensitively; some writers store names with backslashes
(``xl\\workbook.xml``) or put the workbook at the root (``workbook.xml``). The same is done here,
so such files are recognised and read like any other; ``normalised`` rebuilds one with the usual
names for a reader that insists on them.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from defusedxml.ElementTree import fromstring

PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "/officeDocument"  # the end of the relationship type (transitional or strict)
SHARED_STRINGS = "/sharedStrings"
# Where writers that leave out the package relationships put the workbook.
USUAL_WORKBOOKS = ("xl/workbook.xml", "xl/workbook.bin")
XML_HEAD_BYTES = 64 * 1024


def part_key(name: str) -> str:
    """A part name as compared: forward slashes, no leading slash, lower case."""
    return name.replace("\\", "/").lstrip("/").lower()


@dataclass(frozen=True)
class Relationship:
    """One relationship of a part: its type (the end of the URI) and the part it points to."""

    kind: str
    target: str


class Package:
    """An Office Open XML zip: its parts by name, whatever their case or slashes."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self._members = {part_key(info.filename): info.filename for info in archive.infolist()}

    @classmethod
    def of(cls, data: bytes) -> Package:
        return cls(zipfile.ZipFile(io.BytesIO(data)))

    def has(self, part: str) -> bool:
        return part_key(part) in self._members

    def member(self, part: str) -> str | None:
        """The zip member holding ``part`` (``xl/workbook.xml``), or None."""
        return self._members.get(part_key(part))

    def info(self, part: str) -> zipfile.ZipInfo | None:
        member = self.member(part)
        return self.archive.getinfo(member) if member is not None else None

    def read(self, part: str) -> bytes:
        """The whole part (bounded by the zip guards, which ran first)."""
        member = self.member(part)
        if member is None:
            raise KeyError(part)
        return self.archive.read(member)

    def head(self, part: str, size: int = XML_HEAD_BYTES) -> bytes:
        """The first bytes of a part: enough to spot a marker without inflating all of it."""
        member = self.member(part)
        if member is None:
            return b""
        with self.archive.open(member) as stream:
            return stream.read(size)

    def relationships(self, part: str) -> dict[str, Relationship]:
        """The relationships of ``part`` (``""`` for the package), by id."""
        # Targets are relative to the part's folder, spelled as the zip spells it.
        folder, name = posixpath.split((self.member(part) or part).replace("\\", "/").lstrip("/"))
        rels = posixpath.join(folder, "_rels", f"{name}.rels")
        if not self.has(rels):
            return {}
        try:
            root = fromstring(self.read(rels))
        except Exception:  # damaged or hostile: the zip guards and the reader say what is wrong
            return {}
        found = {}
        for relation in root.iter(f"{{{PACKAGE_REL_NS}}}Relationship"):
            target = relation.get("Target", "").replace("\\", "/")
            if relation.get("TargetMode") == "External" or not target:
                continue
            resolved = (
                target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            )
            kind = relation.get("Type", "")
            found[relation.get("Id", "")] = Relationship(
                kind=kind[kind.rfind("/") :], target=posixpath.normpath(resolved)
            )
        return found

    def workbook_part(self) -> str | None:
        """The workbook part (``xl/workbook.xml``, ``xl/workbook.bin``, or wherever the package
        relationships say), or None when there is no workbook."""
        for relation in self.relationships("").values():
            if relation.kind == OFFICE_DOCUMENT and self.has(relation.target):
                return relation.target
        return next((part for part in USUAL_WORKBOOKS if self.has(part)), None)

    def related(self, part: str, kind: str) -> str | None:
        """The first part of relationship type ``kind`` (e.g. ``/sharedStrings``) of ``part``."""
        for relation in self.relationships(part).values():
            if relation.kind == kind and self.has(relation.target):
                return relation.target
        return None

    def worksheet_part(self, sheet_name: str) -> str | None:
        """The part holding worksheet ``sheet_name`` of an .xlsx / .xlsm workbook."""
        workbook = self.workbook_part()
        if workbook is None or not workbook.endswith(".xml"):
            return None
        relation_id = None
        # By local names: strict-conformance workbooks use other namespace URIs.
        for element in fromstring(self.read(workbook)).iter():
            if element.tag.rsplit("}", 1)[-1] == "sheet" and element.get("name") == sheet_name:
                relation_id = next(
                    (value for key, value in element.attrib.items() if key.endswith("}id")), None
                )
        relation = self.relationships(workbook).get(relation_id or "")
        return relation.target if relation is not None and self.has(relation.target) else None

    @property
    def usual(self) -> bool:
        """Whether every part is where readers look for it: forward slashes, the workbook at
        ``xl/``, parts named in the case their relationships use."""
        names = self.archive.namelist()
        if any("\\" in name for name in names):
            return False
        workbook = self.workbook_part()
        return workbook in USUAL_WORKBOOKS and workbook in names


def normalised(data: bytes) -> bytes:
    """The package rebuilt with forward slashes and the part names its relationships use.

    For a reader that looks parts up by their exact names. Parts are stored uncompressed: the
    rebuilt zip lives only in memory, for one read.
    """
    package = Package.of(data)
    wanted = {part_key(name): name for name in _referenced_names(package)}
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_STORED) as rebuilt:
        for info in package.archive.infolist():
            key = part_key(info.filename)
            name = wanted.get(key, info.filename.replace("\\", "/").lstrip("/"))
            if key == "[content_types].xml":
                name = "[Content_Types].xml"
            rebuilt.writestr(name, package.archive.read(info))
    return output.getvalue()


def _referenced_names(package: Package) -> list[str]:
    """Part names as the relationships spell them, from the package down to the worksheets."""
    names = []
    pending = [""]
    seen = set()
    while pending:
        part = pending.pop()
        if part in seen:
            continue
        seen.add(part)
        for relation in package.relationships(part).values():
            names.append(relation.target)
            folder, name = posixpath.split(relation.target)
            names.append(posixpath.join(folder, "_rels", f"{name}.rels"))
            pending.append(relation.target)
    return names
