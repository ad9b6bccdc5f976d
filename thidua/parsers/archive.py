"""Attachments to files: every attachment, plus the members of attached zip archives.

Archives come from strangers, so nothing here trusts a zip header: sizes are
checked from the headers first (cheap refusal) and again while decompressing
(a counted read), and nothing is ever written to disk.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from thidua.parsers.content import UnreadableDocument
from thidua.parsers.filetypes import sniff
from thidua.parsers.mail import Attachment, FileItem
from thidua.parsers.names import display_name
from thidua.text import nfc

MiB = 1 << 20
_CHUNK = 64 * 1024
_XML_PART_SUFFIXES = (".xml", ".rels", ".vml")
_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
_ZIP_ENCRYPTED_FLAG = 0x1
_ZIP_UTF8_FLAG = 0x800


@dataclass(frozen=True)
class ArchiveLimits:
    max_members: int = 500
    max_member_bytes: int = 50 * MiB
    max_total_bytes: int = 200 * MiB
    max_ratio: int = 200  # uncompressed / compressed size of one member
    # Small members may compress extremely well (a blank bitmap) yet do no
    # harm; the ratio only marks a bomb once a member is at least this big.
    ratio_floor_bytes: int = 1 * MiB


@dataclass(frozen=True)
class ArchiveIssue:
    container: str  # the archive's display name
    member: str  # the member's display name, "" for the archive as a whole
    reason: str  # one of REASONS
    detail: str = ""

    REASONS = ("encrypted", "too_large", "bomb", "corrupt", "too_many_members")


@dataclass(frozen=True)
class CollectedFiles:
    files: tuple[FileItem, ...]
    issues: tuple[ArchiveIssue, ...]


class _MemberRefused(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def collect_files(attachments: Sequence[Attachment], limits: ArchiveLimits = ArchiveLimits()) -> CollectedFiles:
    """Every attachment as a FileItem; zip archives also opened one level deep."""
    files: list[FileItem] = []
    issues: list[ArchiveIssue] = []
    for attachment in attachments:
        data = bytes(attachment.data)
        detected = sniff(data)
        files.append(FileItem(name=attachment.filename, data=data, detected=detected, size=len(data)))
        if detected == "zip":
            members, found = _open_zip(attachment.filename, data, limits)
            files.extend(members)
            issues.extend(found)
    return CollectedFiles(files=tuple(files), issues=tuple(issues))


def _open_zip(container: str, data: bytes, limits: ArchiveLimits) -> tuple[list[FileItem], list[ArchiveIssue]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [info for info in archive.infolist() if not _is_junk(info)]
    except Exception as error:
        return [], [ArchiveIssue(container, "", "corrupt", _describe(error))]
    if len(infos) > limits.max_members:
        detail = f"{len(infos)} files, at most {limits.max_members} are read"
        return [], [ArchiveIssue(container, "", "too_many_members", detail)]

    files: list[FileItem] = []
    issues: list[ArchiveIssue] = []
    budget = limits.max_total_bytes
    for info in infos:
        name = member_name(info)
        try:
            content = _read_member(archive, info, limits, budget)
        except _MemberRefused as refusal:
            issues.append(ArchiveIssue(container, name, refusal.reason, refusal.detail))
            continue
        except Exception as error:
            issues.append(ArchiveIssue(container, name, "corrupt", _describe(error)))
            continue
        budget -= len(content)
        files.append(FileItem(name=name, data=content, detected=sniff(content), container=container, size=len(content)))
    return files, issues


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ArchiveLimits, budget: int) -> bytes:
    if info.flag_bits & _ZIP_ENCRYPTED_FLAG:
        raise _MemberRefused("encrypted", "password-protected")
    cap = min(limits.max_member_bytes, budget)
    if budget < info.file_size <= limits.max_member_bytes:
        raise _MemberRefused("too_large", f"the archive expands to more than {limits.max_total_bytes} bytes")
    _check_declared(info, limits, cap)
    allowed_by_ratio = max(limits.ratio_floor_bytes, info.compress_size * limits.max_ratio)
    chunks: list[bytes] = []
    count = 0
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            count += len(chunk)
            if count > cap:
                raise _MemberRefused("too_large", f"more than {cap} bytes uncompressed")
            if count > allowed_by_ratio:
                raise _MemberRefused("bomb", f"expands more than {limits.max_ratio} times")
            chunks.append(chunk)
    return b"".join(chunks)


def _check_declared(info: zipfile.ZipInfo, limits: ArchiveLimits, cap: int) -> None:
    if info.file_size > cap:
        raise _MemberRefused("too_large", f"{info.file_size} bytes uncompressed, limit {cap}")
    if info.file_size > limits.ratio_floor_bytes and info.file_size > info.compress_size * limits.max_ratio:
        ratio = info.file_size // max(info.compress_size, 1)
        raise _MemberRefused("bomb", f"expands {ratio} times, limit {limits.max_ratio}")


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's base file name, decoded the way the archiver most likely meant it."""
    return display_name(nfc(_decoded_path(info).replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]))


def _decoded_path(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & _ZIP_UTF8_FLAG:
        return info.filename
    # zipfile decoded the raw bytes as cp437; Windows and many Vietnamese tools
    # wrote UTF-8 without setting the flag, so undo that first.
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _is_junk(info: zipfile.ZipInfo) -> bool:
    if info.is_dir():
        return True
    parts = [part for part in info.filename.replace("\\", "/").split("/") if part]
    if not parts or "__MACOSX" in parts:
        return True
    return parts[-1].lower() in _JUNK_NAMES or parts[-1].startswith("._")


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:200]


def check_office_package(data: bytes, main_part: str, *, max_total_bytes: int = 100 * MiB) -> None:
    """Refuse a Word/Excel package cheaply before a full parser sees it.

    Raises UnreadableDocument: ``encrypted`` for a password-protected file,
    ``too_large`` when it would expand beyond ``max_total_bytes``, ``corrupt``
    when it is no package, lacks ``main_part``, or declares XML entities
    (the billion-laughs family).
    """
    if sniff(data) == "ole_encrypted":
        raise UnreadableDocument("encrypted", "password-protected")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as error:
        raise UnreadableDocument("corrupt", _describe(error)) from None
    if main_part not in {info.filename for info in infos}:
        raise UnreadableDocument("corrupt", f"no {main_part}")
    if sum(info.file_size for info in infos) > max_total_bytes:
        raise UnreadableDocument("too_large", f"expands beyond {max_total_bytes} bytes")
    for info in infos:
        if info.flag_bits & _ZIP_ENCRYPTED_FLAG:
            raise UnreadableDocument("encrypted", info.filename)
        if info.filename.lower().endswith(_XML_PART_SUFFIXES):
            try:
                content = archive.read(info)
            except Exception as error:
                raise UnreadableDocument("corrupt", _describe(error)) from None
            if _declares_entities(content):
                raise UnreadableDocument("corrupt", "xml entities")


def _declares_entities(xml: bytes) -> bool:
    # lxml honours a UTF-16 encoding, so the markers must be looked for in it too.
    for mark, codec in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"), (b"<\x00", "utf-16-le"), (b"\x00<", "utf-16-be")):
        if xml.startswith(mark):
            xml = xml.decode(codec, "replace").encode("utf-8")
            break
    return b"<!DOCTYPE" in xml or b"<!ENTITY" in xml
