"""rar, 7z and gzip, read with libarchive while streaming from memory.

Only the formats the bytes were sniffed as are enabled: libarchive's "all" would also
accept formats such as mtree, whose entries name files on this machine. Encrypted
entries are refused before their data is read. A rar or 7z member's own compressed size
is not known (7-Zip compresses members together), so the caller bounds expansion by the
archive's size; and since skipping a member of a solid archive means decompressing it,
the listing is marked solid.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager

import libarchive
from libarchive import ffi
from libarchive.read import ArchiveRead

from thidua.parsers.containers.model import ContainerError, Listing, Member, is_junk

_FORMATS = {"rar": ("rar", "rar5"), "7z": ("7zip",), "gzip": ("raw",)}  # gzip: one compressed file
_FILTERS = {"rar": ("none",), "7z": ("none",), "gzip": ("gzip",)}
_CHUNK = 64 * 1024
_ENCRYPTION_WORDS = ("encrypt", "passphrase", "password")


def _entry_function(name: str, restype):
    function = getattr(ffi.libarchive, f"archive_entry_{name}")
    function.argtypes = [ctypes.c_void_p]
    function.restype = restype
    return function


_pathname_utf8 = _entry_function("pathname_utf8", ctypes.c_char_p)
_is_data_encrypted = _entry_function("is_data_encrypted", ctypes.c_int)


def listing(data: bytes, kind: str) -> Listing:
    return Listing(members=_members(bytes(data), kind), solid=True)


def _members(data: bytes, kind: str) -> Iterator[Member]:
    try:
        with _reader(data, kind) as archive:
            for entry in archive:
                path = _path(entry, kind) if entry.isreg else ""
                if not entry.isreg or (path and is_junk(path)):
                    continue
                yield Member(
                    path=path,
                    chunks=lambda entry=entry: _chunks(entry),
                    declared_size=entry.size if ffi.entry_size_is_set(entry._entry_p) else None,
                    encrypted=bool(_is_data_encrypted(entry._entry_p)),
                )
    except libarchive.ArchiveError as error:
        raise _refusal(error) from None


def _chunks(entry) -> Iterator[bytes]:
    try:
        yield from entry.get_blocks(_CHUNK)
    except libarchive.ArchiveError as error:
        raise _refusal(error) from None


@contextmanager
def _reader(data: bytes, kind: str):
    archive_p = ffi.read_new()
    try:
        for name in _FILTERS[kind]:
            ffi.get_read_filter_function(name)(archive_p)
        for name in _FORMATS[kind]:
            ffi.get_read_format_function(name)(archive_p)
        ffi.read_open_memory(archive_p, ctypes.cast(data, ctypes.c_void_p), len(data))
        yield ArchiveRead(archive_p)
    finally:
        ffi.read_free(archive_p)


def _path(entry, kind: str) -> str:
    raw = _pathname_utf8(entry._entry_p)
    if raw is None:  # a legacy name libarchive could not convert: the raw bytes
        raw = ffi.entry_pathname(entry._entry_p) or b""
    try:
        path = raw.decode("utf-8")
    except UnicodeDecodeError:
        path = raw.decode("cp1258", "replace")  # rar 2-4 without Unicode names: the Windows code page
    # gzip has no names: libarchive calls its one member "data"; the caller names it after the archive
    return "" if kind == "gzip" and path == "data" else path


def _refusal(error: libarchive.ArchiveError) -> ContainerError:
    message = error.msg or "unreadable"
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    reason = "encrypted" if any(word in message.lower() for word in _ENCRYPTION_WORDS) else "corrupt"
    return ContainerError(reason, message)
