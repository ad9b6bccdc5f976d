"""What every container reader yields: its members, each read lazily in chunks."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass


class ContainerError(Exception):
    """The container as a whole cannot be read: ``reason`` is ``corrupt`` or ``encrypted``."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail[:200]


@dataclass(frozen=True)
class Member:
    path: str  # as the container stores it: may hold folders, "..", a drive; shown, never used
    chunks: Callable[[], Iterable[bytes]]  # the content; read it before asking for the next member
    declared_size: int | None = None  # what the headers claim; never trusted
    packed_size: int | None = None  # this member's own compressed size, when the format tells it
    encrypted: bool = False


@dataclass(frozen=True)
class Listing:
    members: Iterator[Member]
    count: int | None = None  # known up front when the format has a central directory
    # In a solid archive the next member is reached only by decompressing the ones before it:
    # once a member is refused for its size, the rest is left unread.
    solid: bool = False


def in_memory(path: str, data: bytes) -> Member:
    """A member already decoded (a message's attachment): stored, not compressed."""
    return Member(path=path, chunks=lambda: (data,), declared_size=len(data), packed_size=len(data))


def listed(paths_and_data: Iterable[tuple[str, bytes]]) -> Listing:
    members = [in_memory(path, data) for path, data in paths_and_data]
    return Listing(members=iter(members), count=len(members))


_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}


def is_junk(path: str) -> bool:
    """Folders, and what macOS and Windows Explorer leave in archives: never a school's file."""
    parts = [part for part in path.replace("\\", "/").split("/") if part]
    if not parts or path.endswith(("/", "\\")) or "__MACOSX" in parts:
        return True
    return parts[-1].lower() in _JUNK_NAMES or parts[-1].startswith("._")
