"""An Outlook item saved as a file (.msg, MS-OXMSG): its subject, body and attached files.

The format is an OLE compound file read with olefile: each attachment is a storage
``__attach_version1.0_#XXXXXXXX`` holding its name and bytes as property streams; an
attached Outlook item is a further message storage inside it, read one level deep.

Every stream is stored once in the file, so all that is read adds up to no more than the
file's size; streams whose chains share sectors could make a small file read as gigabytes
(thousands of attachments, each the whole file), and are refused when they go beyond it.
"""

from __future__ import annotations

from dataclasses import dataclass

import olefile

from thidua.parsers.containers.model import ContainerError, Listing, listed
from thidua.parsers.filetypes import open_compound_file
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
        with open_compound_file(data) as ole:
            return _message(_Streams(ole, len(data)), [], embedded=True)
    except ContainerError:
        raise
    except Exception as error:
        raise ContainerError("corrupt", f"{type(error).__name__}: {error}") from None


class _Streams:
    """The message's compound file, read within a budget of bytes: the file's size."""

    def __init__(self, ole: olefile.OleFileIO, budget: int) -> None:
        self.ole, self.left = ole, budget

    def exists(self, path: str) -> bool:
        return self.ole.exists(path)

    def listdir(self) -> list[list[str]]:
        return self.ole.listdir(streams=True, storages=True)

    def read(self, path: str) -> bytes:
        size = self.ole.get_size(path)  # olefile reads a whole stream as it opens it: check first
        if size > self.left:
            raise ContainerError("corrupt", "its streams add up to more than the file")
        self.left -= size
        return self.ole.openstream(path).read()


def _message(ole: _Streams, base: list[str], *, embedded: bool) -> OutlookMessage:
    every = [[part.lower() for part in path] for path in ole.listdir()]
    entries = [path[len(base) :] for path in every if path[: len(base)] == base]
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
        content = ole.read("/".join([*path, _DATA]))
        files.append(
            Attachment(display_name(nfc(name)) or f"attachment-{number}", "application/octet-stream", content)
        )
    return OutlookMessage(_text(ole, base, _SUBJECT), _text(ole, base, _BODY), tuple(files))


def _text(ole: _Streams, base: list[str], tag: str) -> str:
    """A string property: UTF-16 (type 001F), else 8-bit (001E) in UTF-8 or the Vietnamese code page."""
    for kind, codec in (("001F", "utf-16-le"), ("001E", None)):
        stream = "/".join([*base, f"__substg1.0_{tag}{kind}"])
        if ole.exists(stream):
            raw = ole.read(stream)
            if codec:
                return nfc(raw.decode(codec, "replace").split("\0", 1)[0])
            raw = raw.split(b"\0", 1)[0]
            try:
                return nfc(raw.decode("utf-8"))
            except UnicodeDecodeError:
                return nfc(raw.decode("cp1258", "replace"))
    return ""
