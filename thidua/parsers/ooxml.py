"""An Office Open XML package (.docx, .xlsx…), opened for the few parts a reader needs.

python-docx's ``Package.open`` loads and parses every part of a package (styles, numbering,
settings, themes, headers…): three quarters of the time it took to read a registration form
that needs only its main document and, for legacy fonts, its styles. Here the package is a
zip whose relationships lead to those parts; each is parsed on request with python-docx's
own XML layer, so the readers work on the same elements.

The checks ``archive.check_office_package`` makes before a full parser sees a package are
made here too, on the parts that are actually parsed: no encrypted members, a bounded
expansion, no XML entity declarations (the billion-laughs family).
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml

from thidua.parsers.archive import MiB, declares_entities, describe_error
from thidua.parsers.content import UnreadableDocument
from thidua.parsers.filetypes import sniff

_PACKAGE_RELS = "_rels/.rels"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_ENCRYPTED_FLAG = 0x1
MAX_TOTAL_BYTES = 100 * MiB
MAX_PART_BYTES = 50 * MiB


class OfficePackage:
    """Raises UnreadableDocument (``corrupt``, ``encrypted``, ``too_large``) for a package that
    cannot or must not be read."""

    def __init__(self, data: bytes) -> None:
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except Exception as error:
            if sniff(data) == "ole_encrypted":  # a password-protected package is an OLE file, not a zip
                raise UnreadableDocument("encrypted", "password-protected") from None
            raise UnreadableDocument("corrupt", describe_error(error)) from None
        self._infos = {info.filename: info for info in infos}
        if any(info.flag_bits & _ENCRYPTED_FLAG for info in infos):
            raise UnreadableDocument("encrypted", "encrypted package members")
        if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
            raise UnreadableDocument("too_large", f"expands beyond {MAX_TOTAL_BYTES} bytes")

    def names_under(self, folder: str) -> list[str]:
        """The XML parts in ``folder`` (not in its sub-folders), by name."""
        return sorted(
            name
            for name in self._infos
            if name.startswith(folder) and "/" not in name[len(folder) :] and name.endswith(".xml")
        )

    def main_part(self) -> str:
        """The name of the package's main part (word/document.xml in nearly every file)."""
        found = self._target(_PACKAGE_RELS, "", RELATIONSHIP_TYPE.OFFICE_DOCUMENT)
        if found is None:
            raise UnreadableDocument("corrupt", "no main document part")
        return found

    def related(self, part: str, relationship_type: str) -> str | None:
        """The internal part that ``part`` relates to by ``relationship_type``, or None."""
        folder, name = posixpath.split(part)
        target = self._target(posixpath.join(folder, "_rels", f"{name}.rels"), folder, relationship_type)
        return target if target in self._infos else None

    def _target(self, rels: str, folder: str, relationship_type: str) -> str | None:
        if rels not in self._infos:
            return None
        for relationship in self.xml(rels).iter(_REL):
            if relationship.get("Type") == relationship_type and relationship.get("TargetMode") != "External":
                return _resolve(folder, relationship.get("Target") or "")
        return None

    def read(self, name: str) -> bytes:
        """The bytes of the part ``name``, checked to be safe to parse."""
        info = self._infos.get(name)
        if info is None:
            raise UnreadableDocument("corrupt", f"no {name}")
        if info.file_size > MAX_PART_BYTES:
            raise UnreadableDocument("too_large", f"{name} expands beyond {MAX_PART_BYTES} bytes")
        try:
            content = self._zip.read(info)
        except Exception as error:
            raise UnreadableDocument("corrupt", describe_error(error)) from None
        if declares_entities(content):
            raise UnreadableDocument("corrupt", "xml entities")
        return content

    def xml(self, name: str):
        """The part ``name`` parsed (python-docx's element classes)."""
        content = self.read(name)
        try:
            return parse_xml(content)
        except Exception as error:
            raise UnreadableDocument("corrupt", describe_error(error)) from None


def _resolve(folder: str, target: str) -> str:
    """A relationship's target as a part name: absolute ("/word/document.xml"), or relative to
    the folder of the part the relationship belongs to."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(folder, target))
