"""Attachments to files: every attachment, plus the files inside the containers among them.

A container is an archive (zip, rar, 7z, gzip) or a message that carries files (a forwarded
mail, an Outlook .msg, winmail.dat); ``parsers.containers`` reads each format. Containers come
from strangers, so nothing here trusts their headers: sizes are checked from the headers first
(cheap refusal) and again while decompressing (a counted read), the limits hold for the whole
mail, and nothing is ever written to disk. Nesting is bounded: files at most ``max_depth``
containers deep, and an archive inside an archive is listed but never opened.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from thidua.parsers.containers import (
    ARCHIVE_TYPES,
    CONTAINER_TYPES,
    ContainerError,
    Listing,
    Member,
    open_container,
)
from thidua.parsers.content import UnreadableDocument
from thidua.parsers.filetypes import sniff
from thidua.parsers.mail import Attachment, FileItem
from thidua.parsers.names import display_name
from thidua.text import nfc

MiB = 1 << 20
_XML_PART_SUFFIXES = (".xml", ".rels", ".vml")
_ZIP_ENCRYPTED_FLAG = 0x1


@dataclass(frozen=True)
class ArchiveLimits:
    """What the containers of one mail may hold, all together."""

    max_members: int = 500
    max_member_bytes: int = 50 * MiB
    max_total_bytes: int = 200 * MiB
    max_ratio: int = 200  # uncompressed / compressed size of one member
    # Small members may compress extremely well (a blank bitmap) yet do no
    # harm; the ratio only marks a bomb once a member is at least this big.
    ratio_floor_bytes: int = 1 * MiB
    # A zip in a forwarded mail is opened (2); whatever lies deeper is listed, not opened.
    max_depth: int = 2


@dataclass(frozen=True)
class ArchiveIssue:
    container: str  # the container's display path ("Hồ sơ.zip", "Fwd.eml/Hồ sơ.zip")
    member: str  # the member's display name, "" for the container as a whole
    reason: str  # one of REASONS
    detail: str = ""

    REASONS = ("encrypted", "too_large", "bomb", "corrupt", "too_many_members")


@dataclass(frozen=True)
class CollectedFiles:
    files: tuple[FileItem, ...]  # every attachment and every member read, containers first
    issues: tuple[ArchiveIssue, ...]
    opened: tuple[str, ...] = ()  # display paths of the containers looked into (see issues for failures)


def display_path(item: FileItem) -> str:
    """Where a file sits: "Hồ sơ.zip" for an attachment, "Fwd.eml/Hồ sơ.zip" for a member."""
    return f"{item.container}/{item.name}" if item.container else item.name


class _Refused(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def collect_files(
    attachments: Sequence[Attachment], limits: ArchiveLimits = ArchiveLimits()
) -> CollectedFiles:
    """Every attachment as a FileItem, followed by what its containers hold."""
    walk = _Walk(limits)
    for attachment in attachments:
        data = bytes(attachment.data)
        walk.add(
            FileItem(name=attachment.filename, data=data, detected=sniff(data), size=len(data)), 0, False
        )
    return CollectedFiles(tuple(walk.files), tuple(walk.issues), tuple(walk.opened))


class _Walk:
    """One mail's walk through its containers, with what is left of the limits."""

    def __init__(self, limits: ArchiveLimits) -> None:
        self.limits = limits
        self.members_left = limits.max_members
        self.bytes_left = limits.max_total_bytes
        self.files: list[FileItem] = []
        self.issues: list[ArchiveIssue] = []
        self.opened: list[str] = []

    def add(self, item: FileItem, depth: int, in_archive: bool) -> None:
        self.files.append(item)
        if item.detected not in CONTAINER_TYPES or depth >= self.limits.max_depth:
            return
        if in_archive and item.detected in ARCHIVE_TYPES:
            return
        path = display_path(item)
        self.opened.append(path)
        members = self._open(path, item)
        for member in members:
            self.add(member, depth + 1, in_archive or item.detected in ARCHIVE_TYPES)

    def _open(self, path: str, item: FileItem) -> list[FileItem]:
        try:
            listing = open_container(item.detected, item.data)
        except ContainerError as error:
            self.issues.append(ArchiveIssue(path, "", error.reason, error.detail))
            return []
        except Exception as error:  # a reader's bug costs this container, never the mail
            self.issues.append(ArchiveIssue(path, "", "corrupt", describe_error(error)))
            return []
        if listing.count is not None and listing.count > self.members_left:
            self.issues.append(ArchiveIssue(path, "", "too_many_members", self.too_many(listing.count)))
            return []
        read = _Container(path, item, listing, self)
        found = read.members()
        if read.issue is not None:
            self.issues.append(read.issue)
        if read.issue is not None and read.issue.reason == "too_many_members":
            return []  # as when the count is known up front: none of it
        self.issues.extend(read.member_issues)
        if not found and read.issue is None and item.detected in ARCHIVE_TYPES and not read.member_issues:
            self.issues.append(ArchiveIssue(path, "", "corrupt", "no file inside"))
        self.members_left -= len(found)
        self.bytes_left -= sum(member.size for member in found)
        return found

    def too_many(self, count: int | None) -> str:
        counted = f"{count} files" if count is not None else f"more than {self.members_left} files"
        return f"{counted}, at most {self.limits.max_members} are read"


class _Container:
    """Reading the members of one container within what is left of the limits."""

    def __init__(self, path: str, item: FileItem, listing: Listing, walk: _Walk) -> None:
        self.path, self.item, self.listing, self.walk = path, item, listing, walk
        limits = walk.limits
        # When a format does not tell each member's compressed size, the archive's own size bounds them all.
        self.expansion_left = max(limits.ratio_floor_bytes, len(item.data) * limits.max_ratio)
        self.issue: ArchiveIssue | None = None
        self.member_issues: list[ArchiveIssue] = []

    def members(self) -> list[FileItem]:
        found: list[FileItem] = []
        members = iter(self.listing.members)
        bytes_left = self.walk.bytes_left
        try:
            while True:
                try:
                    member = next(members)
                except StopIteration:
                    break
                except ContainerError as error:
                    self.issue = ArchiveIssue(self.path, "", error.reason, error.detail)
                    break
                if len(found) >= self.walk.members_left:
                    self.issue = ArchiveIssue(self.path, "", "too_many_members", self.walk.too_many(None))
                    break
                name = member_name(member.path) or _unnamed(member.path, self.item.name, len(found) + 1)
                try:
                    content = self._read(member, bytes_left)
                except (_Refused, ContainerError) as refusal:  # ContainerError: the reader's own word on it
                    self.member_issues.append(ArchiveIssue(self.path, name, refusal.reason, refusal.detail))
                    if self.listing.solid and refusal.reason in ("too_large", "bomb"):
                        break  # the members after it sit behind it in the compressed stream
                    continue
                except Exception as error:
                    self.member_issues.append(ArchiveIssue(self.path, name, "corrupt", describe_error(error)))
                    continue
                bytes_left -= len(content)
                found.append(
                    FileItem(
                        name=name,
                        data=content,
                        detected=sniff(content),
                        container=self.path,
                        size=len(content),
                    )
                )
        except Exception as error:  # a reader's bug: keep what was read
            self.issue = ArchiveIssue(self.path, "", "corrupt", describe_error(error))
        finally:
            close = getattr(members, "close", None)
            if close is not None:
                close()
        return found

    def _read(self, member: Member, bytes_left: int) -> bytes:
        limits = self.walk.limits
        if member.encrypted:
            raise _Refused("encrypted", "password-protected")
        cap = min(limits.max_member_bytes, bytes_left)
        declared = member.declared_size
        if declared is not None:
            if bytes_left < declared <= limits.max_member_bytes:
                raise _Refused(
                    "too_large", f"the archive expands to more than {limits.max_total_bytes} bytes"
                )
            if declared > cap:
                raise _Refused("too_large", f"{declared} bytes uncompressed, limit {cap}")
            if (
                member.packed_size is not None
                and declared > limits.ratio_floor_bytes
                and declared > member.packed_size * limits.max_ratio
            ):
                ratio = declared // max(member.packed_size, 1)
                raise _Refused("bomb", f"expands {ratio} times, limit {limits.max_ratio}")
        if member.packed_size is not None:
            allowed_by_ratio = max(limits.ratio_floor_bytes, member.packed_size * limits.max_ratio)
        else:
            allowed_by_ratio = self.expansion_left
        chunks: list[bytes] = []
        count = 0
        for chunk in member.chunks():
            count += len(chunk)
            if count > cap:
                raise _Refused("too_large", f"more than {cap} bytes uncompressed")
            if count > allowed_by_ratio:
                raise _Refused("bomb", f"expands more than {limits.max_ratio} times")
            chunks.append(chunk)
        if member.packed_size is None:
            self.expansion_left -= count
        return b"".join(chunks)


def member_name(path: str) -> str:
    """A member's display name: the last part of its path, NFC, without anything that could act as a path."""
    return display_name(nfc(path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]))


def _unnamed(path: str, container: str, number: int) -> str:
    if not path:  # gzip keeps no name: "Danh sách.xlsx.gz" holds "Danh sách.xlsx"
        stem, dot, _extension = container.rpartition(".")
        if dot and stem:
            return stem
    return f"attachment-{number}"


def describe_error(error: BaseException) -> str:
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
        raise UnreadableDocument("corrupt", describe_error(error)) from None
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
                raise UnreadableDocument("corrupt", describe_error(error)) from None
            if declares_entities(content):
                raise UnreadableDocument("corrupt", "xml entities")


def declares_entities(xml: bytes) -> bool:
    """Whether an XML part declares a document type or entities (the billion-laughs family)."""
    # lxml honours a UTF-16 encoding, so the markers must be looked for in it too.
    for mark, codec in (
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
        (b"<\x00", "utf-16-le"),
        (b"\x00<", "utf-16-be"),
    ):
        if xml.startswith(mark):
            xml = xml.decode(codec, "replace").encode("utf-8")
            break
    return b"<!DOCTYPE" in xml or b"<!ENTITY" in xml
