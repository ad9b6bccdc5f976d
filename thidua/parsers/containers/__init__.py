"""The files inside a container: an archive, or a message that carries files.

One reader per format turns the container's bytes into a ``Listing`` of members read lazily
in chunks, so that ``parsers.archive`` enforces its limits while reading. Readers never write
to disk and never use a member's path as one: it is a display name only.
"""

from __future__ import annotations

from functools import partial

from thidua.parsers.containers import forwarded, outlook, packed, tnef, zipped
from thidua.parsers.containers.model import ContainerError, Listing, Member

__all__ = [
    "ARCHIVE_TYPES",
    "CONTAINER_TYPES",
    "ContainerError",
    "Listing",
    "MESSAGE_TYPES",
    "Member",
    "open_container",
]

ARCHIVE_TYPES = frozenset({"zip", "rar", "7z", "gzip"})
MESSAGE_TYPES = frozenset({"eml", "msg", "tnef"})  # a forwarded mail, an Outlook item, winmail.dat
CONTAINER_TYPES = ARCHIVE_TYPES | MESSAGE_TYPES

_READERS = {
    "zip": zipped.listing,
    "rar": partial(packed.listing, kind="rar"),
    "7z": partial(packed.listing, kind="7z"),
    "gzip": partial(packed.listing, kind="gzip"),
    "eml": forwarded.listing,
    "msg": outlook.listing,
    "tnef": tnef.listing,
}


def open_container(kind: str, data: bytes) -> Listing:
    """The members of ``data``, a container of type ``kind`` (one of CONTAINER_TYPES).

    Raises ContainerError when it cannot be opened; reading a member, or asking for the
    next one, may raise ContainerError too (a truncated archive), and nothing else.
    """
    return _READERS[kind](data)
