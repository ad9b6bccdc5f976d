"""Password protection of Word 97-2003, Excel 97-2003 and OpenDocument files, seen from their bytes.

These formats encrypt inside the file (unlike .docx/.xlsx, which become an
``EncryptedPackage`` that ``filetypes`` already names). The readers would only
report a damaged file; telling the school "remove the password" needs this check.
"""

from __future__ import annotations

import io
import struct
import zipfile

from thidua.parsers.content import UnreadableDocument
from thidua.parsers.filetypes import open_compound_file

# [MS-DOC] FibBase: the flags word at offset 10; bit 8 is fEncrypted.
_DOC_FLAGS_OFFSET = 10
_DOC_ENCRYPTED = 0x0100
# [MS-XLS] a FILEPASS record in the workbook globals, before their EOF, means encrypted.
_XLS_FILEPASS = 0x002F
_XLS_EOF = 0x000A
_XLS_RECORDS_LOOKED_AT = 64  # FILEPASS follows BOF directly; a few records suffice
_ODF_MANIFEST = "META-INF/manifest.xml"
_ODF_MANIFEST_LIMIT = 1 << 20


def check_not_encrypted(data: bytes, kind: str) -> None:
    """Raise UnreadableDocument("encrypted") for a password-protected ``kind`` file
    ("doc", "xls", "odt", "ods"); anything else, damaged files included, passes."""
    try:
        encrypted = _CHECKS[kind](data) if kind in _CHECKS else False
    except Exception:  # a damaged file is the reader's to judge
        encrypted = False
    if encrypted:
        raise UnreadableDocument("encrypted", "password-protected")


def _ole_stream_head(data: bytes, name: str, size: int) -> bytes:
    with open_compound_file(data) as ole:  # olefile alone may fill memory on a hostile file
        if not ole.exists(name):
            return b""
        with ole.openstream(name) as stream:
            return stream.read(size)


def _doc_encrypted(data: bytes) -> bool:
    head = _ole_stream_head(data, "WordDocument", 32)
    if len(head) < _DOC_FLAGS_OFFSET + 2:
        return False
    (flags,) = struct.unpack_from("<H", head, _DOC_FLAGS_OFFSET)
    return bool(flags & _DOC_ENCRYPTED)


def _xls_encrypted(data: bytes) -> bool:
    stream = _ole_stream_head(data, "Workbook", 1 << 16) or _ole_stream_head(data, "Book", 1 << 16)
    position = 0
    for _ in range(_XLS_RECORDS_LOOKED_AT):
        if position + 4 > len(stream):
            return False
        record, length = struct.unpack_from("<HH", stream, position)
        if record == _XLS_FILEPASS:
            return True
        if record == _XLS_EOF:
            return False
        position += 4 + length
    return False


def _odf_encrypted(data: bytes) -> bool:
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo(_ODF_MANIFEST)
    if info.file_size > _ODF_MANIFEST_LIMIT:
        return False
    return b"encryption-data" in archive.read(info)


_CHECKS = {"doc": _doc_encrypted, "xls": _xls_encrypted, "odt": _odf_encrypted, "ods": _odf_encrypted}
