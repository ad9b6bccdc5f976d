"""An Outlook item saved as a file (.msg, MS-OXMSG): its subject, body and attached files.

The format is an OLE compound file read with olefile: each attachment is a storage
``__attach_version1.0_#XXXXXXXX`` holding its name and bytes as property streams; an
attached Outlook item is a further message storage inside it, read one level deep.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import olefile

from thidua.parsers.containers.model import ContainerError, Listing, listed
from thidua.parsers.mail import Attachment
from thidua.parsers.names import display_name
from thidua.text import nfc

_ATTACHMENT = "__attach_version1.0_#"
_EMBEDDED = "__substg1.0_3701000d"  # names are compared in lower case
_DATA = "__substg1.0_37010102"
_NAMES = ("3707", "3704", "3001")  # long file name, short file name, display name
_SUBJECT, _BODY = "0037", "1000"
_MAX_ATTACHMENTS = 2_000


@dataclass(frozen=True)
class OutlookMessage:
    subject: str
    body: str
    attachments: tuple[Attachment, ...]


def listing(data: bytes) -> Listing:
    return listed((attachment.filename, attachment.data) for attachment in read_msg(data).attachments)


def read_msg(data: bytes) -> OutlookMessage:
    """Raises ContainerError when ``data`` is no readable .msg."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:  # bytes under 1536 would be taken for a path
            return _message(ole, [], embedded=True)
    except ContainerError:
        raise
    except Exception as error:
        raise ContainerError("corrupt", f"{type(error).__name__}: {error}") from None


def _message(ole: olefile.OleFileIO, base: list[str], *, embedded: bool) -> OutlookMessage:
    every = [[part.lower() for part in path] for path in ole.listdir(streams=True, storages=True)]
    entries = [path[len(base):] for path in every if path[:len(base)] == base]
    storages = sorted({entry[0] for entry in entries if len(entry) > 1 and entry[0].startswith(_ATTACHMENT)})
    if len(storages) > _MAX_ATTACHMENTS:
        raise ContainerError("corrupt", f"{len(storages)} attachments")
    files: list[Attachment] = []
    for number, storage in enumerate(storages, start=1):
        path = [*base, storage]
        if ole.exists("/".join([*path, _EMBEDDED])):
            if embedded:
                files.extend(_message(ole, [*path, _EMBEDDED], embedded=False).attachments)
            continue
        if not ole.exists("/".join([*path, _DATA])):
            continue  # an attachment by reference or an OLE object: no file to read
        name = next(filter(None, (_text(ole, path, tag) for tag in _NAMES)), "")
        content = ole.openstream("/".join([*path, _DATA])).read()
        files.append(Attachment(display_name(nfc(name)) or f"attachment-{number}", "application/octet-stream", content))
    return OutlookMessage(_text(ole, base, _SUBJECT), _text(ole, base, _BODY), tuple(files))


def _text(ole: olefile.OleFileIO, base: list[str], tag: str) -> str:
    """A string property: UTF-16 (type 001F), else 8-bit (001E) in UTF-8 or the Vietnamese code page."""
    for kind, codec in (("001F", "utf-16-le"), ("001E", None)):
        stream = "/".join([*base, f"__substg1.0_{tag}{kind}"])
        if ole.exists(stream):
            raw = ole.openstream(stream).read()
            if codec:
                return nfc(raw.decode(codec, "replace").split("\0", 1)[0])
            raw = raw.split(b"\0", 1)[0]
            try:
                return nfc(raw.decode("utf-8"))
            except UnicodeDecodeError:
                return nfc(raw.decode("cp1258", "replace"))
    return ""
