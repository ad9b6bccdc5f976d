"""Containers that mail clients and archivers produce, for the container tests.

7z is written by libarchive (the library behind ``bsdtar --format 7zip``), the way 7-Zip
writes it: LZMA, members compressed together. The others have no free writer on Debian
(RAR is proprietary; only Outlook writes winmail.dat and .msg files), so they are written
here byte by byte after the published formats, small and stored uncompressed:

* ``make_rar``: RAR 5.0 (what WinRAR writes since 5.0) or RAR 1.5–4.x, per RARLAB's
  "RAR 5.0 archive format" and "RAR 4.x technote"; bsdtar lists both.
* ``make_tnef``: winmail.dat per [MS-OXTNEF]; tnefparse reads what it writes.
* ``make_msg``: an Outlook item per [MS-OXMSG], in a compound file per [MS-CFB]
  (``make_compound_file``, with the mini stream real files use); olefile reads it.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping, Sequence

import libarchive

from tests.support.builders import encode_cp1258

# ---------------------------------------------------------------------- 7z


def make_7z(members: Sequence[tuple[str, bytes]]) -> bytes:
    """A 7z archive of ``members`` ``(path, data)``, LZMA-compressed as one solid block."""
    out = bytearray()

    def write(chunk: bytes) -> int:
        out.extend(chunk)
        return len(chunk)

    with libarchive.custom_writer(write, "7zip") as archive:
        for path, data in members:
            archive.add_file_from_memory(path, len(data), data)
    return bytes(out)


# ---------------------------------------------------------------------- RAR

_DOS_TIME = 0x586E4A00  # 14/03/2024 09:16


def make_rar(
    members: Sequence[tuple[str, bytes]], *, version: int = 5, encrypted: Sequence[str] = ()
) -> bytes:
    """A stored (uncompressed) RAR archive. ``encrypted`` members carry RAR 4's "password" flag
    (a RAR 5 archive marks encryption in a record libarchive 3.6 does not read)."""
    if version == 4:
        return _rar4(members, set(encrypted))
    if encrypted:
        raise ValueError("encrypted members need version=4")
    return _rar5(members)


def _vint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte, number = number & 0x7F, number >> 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _rar5_header(kind: int, fields: bytes, data_size: int | None = None) -> bytes:
    body = _vint(kind) + _vint(0x2 if data_size is not None else 0)
    body += (_vint(data_size) if data_size is not None else b"") + fields
    sized = _vint(len(body)) + body
    return struct.pack("<I", zlib.crc32(sized)) + sized


def _rar5(members: Sequence[tuple[str, bytes]]) -> bytes:
    out = bytearray(b"Rar!\x1a\x07\x01\x00")
    out += _rar5_header(1, _vint(0))  # main archive header
    for path, data in members:
        name = path.replace("\\", "/").encode("utf-8")
        fields = (
            _vint(0x2 | 0x4)
            + _vint(len(data))
            + _vint(0x20)  # mtime and CRC32 present; "archive" attribute
            + struct.pack("<II", 1710382560, zlib.crc32(data))
            + _vint(0)
            + _vint(0)
            + _vint(len(name))
            + name
        )  # stored, Windows, name
        out += _rar5_header(2, fields, len(data)) + data
    out += _rar5_header(5, _vint(0))  # end of archive
    return bytes(out)


def _rar4_block(kind: int, flags: int, body: bytes) -> bytes:
    crc_part = struct.pack("<BHH", kind, flags, 7 + len(body)) + body
    return struct.pack("<H", zlib.crc32(crc_part) & 0xFFFF) + crc_part


def _rar4_name(name: str) -> tuple[bytes, int]:
    """WinRAR's way: an ASCII fallback, NUL, then the UTF-16 name in RAR's encoding
    (here every character as a full 16-bit code: mode 2 in each flag byte's two-bit slots)."""
    if name.isascii():
        return name.encode("ascii"), 0
    codes = [ord(ch) for ch in name]
    encoded = bytearray([0])  # the "high byte" shared by mode-1 characters, unused here
    for start in range(0, len(codes), 4):
        group = codes[start : start + 4]
        encoded.append(sum(2 << (6 - 2 * slot) for slot in range(len(group))))
        for code in group:
            encoded += struct.pack("<H", code)
    return name.encode("ascii", "replace") + b"\0" + bytes(encoded), 0x200


def _rar4(members: Sequence[tuple[str, bytes]], encrypted: set[str]) -> bytes:
    out = bytearray(b"Rar!\x1a\x07\x00")
    out += _rar4_block(0x73, 0, b"\0" * 6)  # archive header
    for path, data in members:
        name, unicode_flag = _rar4_name(path.replace("/", "\\"))
        flags = 0x8000 | unicode_flag | (0x4 if path in encrypted else 0)
        body = (
            struct.pack(
                "<IIBIIBBHI", len(data), len(data), 2, zlib.crc32(data), _DOS_TIME, 29, 0x30, len(name), 0x20
            )
            + name
        )  # Win32, RAR 2.9, stored
        out += _rar4_block(0x74, flags, body) + data
    out += _rar4_block(0x7B, 0x4000, b"")  # end of archive
    return bytes(out)


# ---------------------------------------------------------------------- winmail.dat (TNEF)

TNEF_SIGNATURE = 0x223E9F78
_IID_IMESSAGE = bytes.fromhex("0703020000000000c000000000000046")


def _tnef_attribute(level: int, attribute: int, kind: int, data: bytes) -> bytes:
    return (
        struct.pack("<BHHI", level, attribute, kind, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)
    )


def _mapi_string(tag: int, text: str) -> bytes:
    value = text.encode("utf-16-le") + b"\0\0"
    return struct.pack("<HHII", 0x001F, tag, 1, len(value)) + value + b"\0" * (-len(value) % 4)


def _mapi_long(tag: int, number: int) -> bytes:
    return struct.pack("<HHI", 0x0003, tag, number)


def _mapi_binary(tag: int, data: bytes) -> bytes:
    return struct.pack("<HHII", 0x0102, tag, 1, len(data)) + data + b"\0" * (-len(data) % 4)


def _rtf_body(text: str) -> bytes:
    """The body as Outlook keeps it in winmail.dat: RTF in the compressed-RTF wrapper
    ([MS-OXRTFCP]), here with COMPTYPE "MELA", which stores the RTF uncompressed."""
    escaped = "".join(
        ch if ord(ch) < 128 else f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?" for ch in text
    )
    rtf = (
        "{\\rtf1\\ansi\\ansicpg1258\\fromtext \\fbidis \\deff0{\\fonttbl\r\n{\\f0\\fswiss\\fcharset163 Arial;}\r\n"
        "{\\f1\\fmodern Courier New;}\r\n{\\f2\\fnil\\fcharset2 Symbol;}\r\n{\\f3\\fswiss\\fcharset163 Calibri;}}\r\n"
        "{\\colortbl\\red0\\green0\\blue0;\\red0\\green0\\blue255;}\r\n\\uc1\\pard\\plain\\deftab360 \\f0\\fs20 "
        + escaped.replace("\n", "\\par\r\n")
        + "\\par\r\n}"
    ).encode("ascii")
    return struct.pack("<III", len(rtf) + 12, len(rtf), 0x414C454D) + b"\0\0\0\0" + rtf


def make_tnef(
    attachments: Sequence[tuple[str, bytes]],
    *,
    subject: str = "",
    body: str = "",
    codepage: int = 1258,
    embedded: Sequence[tuple[str, bytes]] | None = None,
) -> bytes:
    """winmail.dat as Outlook writes it for a rich-text mail: the message's properties (subject,
    plain and RTF body), then each attachment with an 8-bit title in the OEM ``codepage``, its
    data, and its long file name as a MAPI property. ``embedded``: the files of an Outlook item
    attached to this one (itself TNEF-encoded)."""
    out = bytearray(struct.pack("<IH", TNEF_SIGNATURE, 0x0001))
    out += _tnef_attribute(1, 0x9006, 0x0008, struct.pack("<I", 0x00010000))  # attTnefVersion
    out += _tnef_attribute(1, 0x9007, 0x0006, struct.pack("<II", codepage, 0))  # attOemCodepage
    out += _tnef_attribute(1, 0x8008, 0x0007, b"IPM.Microsoft Mail.Note\0")  # attMessageClass
    if subject or body:
        properties = (
            struct.pack("<I", 4)
            + _mapi_string(0x0037, subject)
            + _mapi_string(0x1000, body)
            + _mapi_long(0x3FDE, 65001)  # PidTagSubject, PidTagBody, PidTagInternetCodepage
            + _mapi_binary(0x1009, _rtf_body(body))
        )  # PidTagRtfCompressed
        out += _tnef_attribute(1, 0x9003, 0x0006, properties)  # attMsgProps
    rendering = struct.pack("<HIHHI", 1, 0xFFFFFFFF, 0xFFFF, 0xFFFF, 0)  # a file, position unknown
    for name, data in attachments:
        title = (encode_cp1258(name) if codepage == 1258 else name.encode(f"cp{codepage}", "replace")) + b"\0"
        properties = (
            struct.pack("<I", 3)
            + _mapi_long(0x3705, 1)  # PidTagAttachMethod: by value
            + _mapi_string(0x3707, name)
            + _mapi_string(0x3001, name)
        )  # long file name, display name
        out += _tnef_attribute(2, 0x9002, 0x0006, rendering)  # attAttachRendData opens the attachment
        out += _tnef_attribute(2, 0x8010, 0x0001, title)  # attAttachTitle
        out += _tnef_attribute(2, 0x800F, 0x0006, data)  # attAttachData
        out += _tnef_attribute(2, 0x9005, 0x0006, properties)  # attAttachment
    if embedded is not None:
        item = _IID_IMESSAGE + make_tnef(embedded, codepage=codepage)
        properties = (
            struct.pack("<I", 2)
            + _mapi_long(0x3705, 5)  # PidTagAttachMethod: embedded message
            + struct.pack("<HHII", 0x000D, 0x3701, 1, len(item))
            + item
            + b"\0" * (-len(item) % 4)
        )
        out += _tnef_attribute(2, 0x9002, 0x0006, rendering)
        out += _tnef_attribute(2, 0x9005, 0x0006, properties)
    return bytes(out)


# ---------------------------------------------------------------------- Outlook .msg (compound file)

_SECTOR, _MINI_SECTOR, _MINI_CUTOFF = 512, 64, 4096
_END, _FREE, _FAT_SECTOR, _NO_STREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF

Tree = Mapping[str, "bytes | Tree"]


def make_compound_file(tree: Tree) -> bytes:
    """An OLE2 compound file (MS-CFB version 3): ``tree`` maps names to stream bytes or to
    storages (nested mappings). Streams under 4096 bytes go in the mini stream, as in real files."""
    entries: list[dict] = [{"name": "Root Entry", "type": 5, "children": []}]

    def add(storage: int, content: Tree) -> None:
        for name, value in content.items():
            entries.append(
                {
                    "name": name,
                    "type": 1 if isinstance(value, Mapping) else 2,
                    "data": b"" if isinstance(value, Mapping) else bytes(value),
                    "children": [],
                }
            )
            entries[storage]["children"].append(len(entries) - 1)
            if isinstance(value, Mapping):
                add(len(entries) - 1, value)

    add(0, tree)
    mini = bytearray()
    mini_fat: list[int] = []
    for entry in entries:
        data = entry.get("data", b"")
        if entry["type"] == 2 and 0 < len(data) < _MINI_CUTOFF:
            count = -(-len(data) // _MINI_SECTOR)
            entry.update(start=len(mini_fat), size=len(data))
            mini_fat += [len(mini_fat) + i + 1 for i in range(count - 1)] + [_END]
            mini += data.ljust(count * _MINI_SECTOR, b"\0")
    # Sector chains, in file order: directory, mini FAT, mini stream, large streams; then the FAT.
    chains: list[tuple[str, bytes]] = [
        ("directory", b""),
        ("minifat", struct.pack(f"<{len(mini_fat)}I", *mini_fat)),
        ("ministream", bytes(mini)),
    ]
    chains += [
        (str(index), entry["data"])
        for index, entry in enumerate(entries)
        if entry["type"] == 2 and len(entry["data"]) >= _MINI_CUTOFF
    ]
    directory_sectors = -(-len(entries) * 128 // _SECTOR)
    sizes = {name: -(-len(data) // _SECTOR) for name, data in chains}
    sizes["directory"] = directory_sectors
    body_sectors = sum(sizes.values())
    fat_sectors = 1
    while fat_sectors * (_SECTOR // 4) < body_sectors + fat_sectors:
        fat_sectors += 1
    if fat_sectors > 109:
        raise ValueError("make_compound_file writes at most 109 FAT sectors (about 7 MB)")
    fat = [_FAT_SECTOR] * fat_sectors
    starts: dict[str, int] = {}
    for name, _data in chains:
        starts[name] = len(fat) if sizes[name] else _END
        fat += [len(fat) + i + 1 for i in range(sizes[name] - 1)] + ([_END] if sizes[name] else [])
    fat += [_FREE] * (fat_sectors * (_SECTOR // 4) - len(fat))
    entries[0].update(start=starts["ministream"], size=len(mini))
    for name, data in chains[3:]:
        entries[int(name)].update(start=starts[name], size=len(data))

    def key(index: int) -> tuple[int, str]:  # MS-CFB orders siblings by name length, then upper case
        return len(entries[index]["name"]), entries[index]["name"].upper()

    right = {index: _NO_STREAM for index in range(len(entries))}
    child = {index: _NO_STREAM for index in range(len(entries))}
    for index, entry in enumerate(entries):
        kids = sorted(entry["children"], key=key)  # a chain of right siblings: a valid, if unbalanced, tree
        if kids:
            child[index] = kids[0]
            for left, following in zip(kids, kids[1:]):
                right[left] = following
    directory = bytearray()
    for index, entry in enumerate(entries):
        name = entry["name"].encode("utf-16-le")[:62] + b"\0\0"
        directory += (
            name.ljust(64, b"\0")
            + struct.pack("<HBB", len(name), entry["type"], 1)
            + struct.pack("<III", _NO_STREAM, right[index], child[index])
            + b"\0" * 36
            + struct.pack("<IQ", entry.get("start", _END if entry["type"] != 1 else 0), entry.get("size", 0))
        )
    chains[0] = ("directory", bytes(directory))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack(
            "<IIIIIIIII",
            0,
            fat_sectors,
            starts["directory"],
            0,
            _MINI_CUTOFF,
            starts["minifat"],
            sizes["minifat"],
            _END,
            0,
        )
        + struct.pack("<109I", *(list(range(fat_sectors)) + [_FREE] * (109 - fat_sectors)))
    )
    body = b"".join(data.ljust(sizes[name] * _SECTOR, b"\0") for name, data in chains)
    return header + struct.pack(f"<{len(fat)}I", *fat) + body


def _string_stream(tag: str, text: str) -> tuple[str, bytes]:
    return f"__substg1.0_{tag}001F", text.encode("utf-16-le")


def _properties(header: bytes, longs: Mapping[int, int]) -> bytes:
    """``__properties_version1.0``: a header, then 16-byte entries (tag, flags, value)."""
    entries = b"".join(struct.pack("<IIQ", (tag << 16) | 0x0003, 0x6, value) for tag, value in longs.items())
    return header + entries


def _message_tree(
    subject: str,
    body: str,
    attachments: Sequence[tuple[str, bytes]],
    embedded: tuple[str, Sequence[tuple[str, bytes]]] | None,
    *,
    top: bool,
) -> dict:
    count = len(attachments) + (1 if embedded else 0)
    header = (
        struct.pack("<8sIIII8s", b"", 0, count, 0, count, b"")
        if top
        else struct.pack("<8sIIII", b"", 0, count, 0, count)
    )
    tree: dict = dict([_string_stream("001A", "IPM.Note"), _string_stream("0037", subject)])
    if body:
        tree.update([_string_stream("1000", body)])
    tree["__properties_version1.0"] = _properties(header, {0x0E07: 0x1})  # PidTagMessageFlags: read
    if top:
        tree["__nameid_version1.0"] = {
            "__substg1.0_00020102": b"",
            "__substg1.0_00030102": b"",
            "__substg1.0_00040102": b"",
        }
    for number, (name, data) in enumerate(attachments):
        short = name if len(name) <= 12 else name[:6] + "~1" + name[name.rfind(".") :]
        tree[f"__attach_version1.0_#{number:08X}"] = dict(
            [
                _string_stream("3707", name),
                _string_stream("3704", short),
                _string_stream("3001", name),
                ("__substg1.0_37010102", data),
                ("__properties_version1.0", _properties(b"\0" * 8, {0x3705: 1, 0x0E20: len(data)})),
            ]
        )  # by value, size
    if embedded:
        inner_subject, inner_files = embedded
        tree[f"__attach_version1.0_#{len(attachments):08X}"] = {
            "__substg1.0_3701000D": _message_tree(inner_subject, "", inner_files, None, top=False),
            "__properties_version1.0": _properties(b"\0" * 8, {0x3705: 5}),  # an embedded message
            **dict([_string_stream("3001", inner_subject)]),
        }
    return tree


def make_msg(
    subject: str,
    attachments: Sequence[tuple[str, bytes]],
    *,
    body: str = "",
    embedded: tuple[str, Sequence[tuple[str, bytes]]] | None = None,
) -> bytes:
    """An Outlook item saved as .msg: ``attachments`` ``(file name, data)``; ``embedded``:
    ``(subject, attachments)`` of an Outlook item attached to it."""
    return make_compound_file(_message_tree(subject, body, attachments, embedded, top=True))
