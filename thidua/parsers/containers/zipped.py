"""Zip archives, read with the standard library (sizes and flags per member, cp437 name repair)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from thidua.parsers.containers.model import ContainerError, Listing, Member, is_junk

_CHUNK = 64 * 1024
_ENCRYPTED_FLAG = 0x1
_UTF8_FLAG = 0x800


def listing(data: bytes) -> Listing:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [info for info in archive.infolist() if not info.is_dir() and not is_junk(info.filename)]
    except Exception as error:
        raise ContainerError("corrupt", f"{type(error).__name__}: {error}") from None
    return Listing(members=_members(archive, infos), count=len(infos))


def _members(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> Iterator[Member]:
    for info in infos:
        yield Member(
            path=decoded_path(info),
            chunks=lambda info=info: _chunks(archive, info),
            declared_size=info.file_size,
            packed_size=info.compress_size,
            encrypted=bool(info.flag_bits & _ENCRYPTED_FLAG),
        )


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    # zipfile stops at the declared size and checks the CRC: a header that lies fails here,
    # as does a local header that is not where the directory says (BadZipFile, ValueError,
    # zlib.error, EOFError…), all of them a damaged member.
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                yield chunk
    except Exception as error:
        raise ContainerError("corrupt", f"{type(error).__name__}: {error}") from None


def decoded_path(info: zipfile.ZipInfo) -> str:
    """The member's path, decoded the way the archiver most likely meant it."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    # zipfile decoded the raw bytes as cp437; Windows and many Vietnamese tools
    # wrote UTF-8 without setting the flag, so undo that first.
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename
