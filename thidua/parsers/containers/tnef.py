"""Outlook's winmail.dat (TNEF, MS-OXTNEF): the files it carries.

tnefparse is not used on mail from strangers: it loops on counts read from the file without
checking them against the file's length, so a few dozen bytes keep it allocating for minutes.
This reader takes only what a submission needs (each attachment's name and bytes, and those
of an Outlook item attached to it, one level) and never loops beyond the bytes it was given.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from thidua.parsers.containers.model import ContainerError, Listing, listed
from thidua.parsers.mail import Attachment
from thidua.parsers.names import display_name
from thidua.text import nfc

SIGNATURE = 0x223E9F78
_ATTACHMENT_LEVEL = 2
# attribute ids (low word of the attribute id)
_OEM_CODEPAGE, _RENDERING, _TITLE, _DATA, _PROPERTIES = 0x9007, 0x9002, 0x8010, 0x800F, 0x9005
_MAX_ATTRIBUTES = 20_000  # a real winmail.dat has a few dozen, about eight per file
# MAPI property ids (PidTag…) and types (PtypInteger16…)
_WANTED = {0x3707: "long", 0x3704: "short", 0x3001: "display", 0x3701: "object"}
_UNICODE, _STRING8, _BINARY, _OBJECT = 0x001F, 0x001E, 0x0102, 0x000D
_VARIABLE = {_UNICODE, _STRING8, _BINARY, _OBJECT}
_FIXED = {
    0x0002: 2,
    0x000B: 2,
    0x0003: 4,
    0x0004: 4,
    0x000A: 4,
    0x0005: 8,
    0x0006: 8,
    0x0007: 8,
    0x0014: 8,
    0x0040: 8,
    0x0048: 16,
}
_MULTIPLE = 0x1000
_IID_IMESSAGE = bytes.fromhex("0703020000000000c000000000000046")


@dataclass(frozen=True)
class TnefContent:
    attachments: tuple[Attachment, ...]


def listing(data: bytes) -> Listing:
    return listed((attachment.filename, attachment.data) for attachment in read_tnef(data).attachments)


def read_tnef(data: bytes, *, embedded: bool = True) -> TnefContent:
    """The files in a TNEF stream; raises ContainerError when it is none."""
    if len(data) < 6 or struct.unpack_from("<I", data)[0] != SIGNATURE:
        raise ContainerError("corrupt", "no TNEF signature")
    codepage = "cp1252"
    found: list[dict] = []
    for level, attribute, value in _attributes(data):
        if attribute == _OEM_CODEPAGE and len(value) >= 4:
            codepage = _codec(struct.unpack_from("<I", value)[0])
        elif level == _ATTACHMENT_LEVEL and attribute == _RENDERING:
            found.append({})  # attAttachRendData opens each attachment
        elif level == _ATTACHMENT_LEVEL and found:
            if attribute == _TITLE:
                found[-1]["title"] = value.split(b"\0", 1)[0].decode(codepage, "replace")
            elif attribute == _DATA:
                found[-1]["data"] = value
            elif attribute == _PROPERTIES:
                found[-1].update(_properties(value, codepage))
    files: list[Attachment] = []
    for number, attachment in enumerate(found, start=1):
        content = attachment.get("data") or attachment.get("object") or b""
        if attachment.get("iid") == _IID_IMESSAGE:  # an attached Outlook item, itself TNEF-encoded
            if embedded:
                try:
                    files.extend(read_tnef(attachment["object"], embedded=False).attachments)
                except ContainerError:
                    pass
            continue
        if not content:
            continue  # a rendering without data: nothing was attached
        name = next(
            (attachment[key] for key in ("long", "short", "title", "display") if attachment.get(key)), ""
        )
        files.append(
            Attachment(display_name(nfc(name)) or f"attachment-{number}", "application/octet-stream", content)
        )
    return TnefContent(tuple(files))


def _attributes(data: bytes):
    """(level, attribute id, value) of each attribute. Checksums are not checked: Outlook's are not always right."""
    offset, count = 6, 0
    while offset + 11 <= len(data):
        level, attribute, _type, length = struct.unpack_from("<BHHI", data, offset)
        start = offset + 9
        if start + length + 2 > len(data):
            raise ContainerError("corrupt", f"attribute {attribute:#06x} runs past the end")
        count += 1
        if count > _MAX_ATTRIBUTES:
            raise ContainerError("corrupt", f"more than {_MAX_ATTRIBUTES} attributes")
        yield level, attribute, data[start : start + length]
        offset = start + length + 2


def _properties(data: bytes, codepage: str) -> dict[str, object]:
    """The names and data object in an attachment's MAPI property list (MS-OXTNEF 2.1.3.4);
    reading stops, keeping what was found, wherever the list stops making sense."""
    found: dict[str, object] = {}
    try:
        (count,), offset = struct.unpack_from("<I", data), 4
        for _ in range(min(count, len(data) // 8)):
            kind, tag = struct.unpack_from("<HH", data, offset)
            offset += 4
            if tag >= 0x8000:  # a named property: a GUID, then a number or a name
                (by_string,) = struct.unpack_from("<I", data, offset + 16)
                offset += 20
                offset += 4 + _padded(struct.unpack_from("<I", data, offset)[0]) if by_string else 4
            values = 1
            if kind & _MULTIPLE or kind in _VARIABLE:
                (values,) = struct.unpack_from("<I", data, offset)
                kind, offset = kind & ~_MULTIPLE, offset + 4
            for _ in range(min(values, len(data) - offset)):
                value, offset = _value(data, offset, kind)
                if tag in _WANTED and _WANTED[tag] not in found:
                    found.update(_named_value(_WANTED[tag], value, kind, codepage))
            if _FIXED.get(kind) == 2 and values % 2:
                offset += 2
            if offset > len(data):
                break
    except struct.error:
        pass
    return found


def _value(data: bytes, offset: int, kind: int) -> tuple[bytes, int]:
    if kind in _FIXED:
        size = _FIXED[kind]
        return data[offset : offset + size], offset + size
    if kind not in _VARIABLE:
        raise struct.error(f"unknown MAPI type {kind:#06x}")
    (length,) = struct.unpack_from("<I", data, offset)
    offset += 4
    return data[offset : offset + length], offset + _padded(length)


def _named_value(key: str, value: bytes, kind: int, codepage: str) -> dict[str, object]:
    if kind == _UNICODE:
        return {key: value.decode("utf-16-le", "replace").split("\0", 1)[0]}
    if kind == _STRING8:
        return {key: value.split(b"\0", 1)[0].decode(codepage, "replace")}
    if kind == _OBJECT:  # an interface id, then the object
        return {key: value[16:], "iid": value[:16]}
    return {key: value} if kind == _BINARY else {}


def _padded(length: int) -> int:
    return length + (-length % 4)


def _codec(codepage: int) -> str:
    name = {65001: "utf-8", 20127: "ascii", 28591: "latin-1"}.get(codepage, f"cp{codepage}")
    try:
        "".encode(name)
    except LookupError:
        return "cp1252"
    return name
