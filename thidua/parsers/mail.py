"""What reading a mail yields. Filled by ``parsers.mime.parse_mail`` (pure: bytes in)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Attachment:
    """A file as the mail carried it. ``filename`` is decoded (RFC 2047/2231), NFC,
    and only a display name: never use it as a path."""

    filename: str
    claimed_type: str  # the Content-Type the mail claims; never trusted
    data: bytes


@dataclass(frozen=True)
class ParsedMail:
    message_id: str  # with angle brackets; "" when the mail has none
    subject: str  # decoded, NFC, one line
    from_address: str  # lower-case addr-spec of the single From; "" when absent/invalid
    from_name: str
    from_count: int  # number of addresses in From: (more than one is suspicious)
    reply_to: str
    to: tuple[str, ...]
    date_header: datetime | None  # the sender's claim; never used for deadlines
    in_reply_to: str
    references: tuple[str, ...]
    return_path: str | None  # None when the header is absent, "" for <>
    auto_submitted: str  # lower-case value of Auto-Submitted, "" when absent
    precedence: str  # lower-case
    list_id: str
    authentication_results: tuple[str, ...]  # every Authentication-Results header, raw
    text: str  # the plain-text body (from HTML when only HTML), NFC
    attachments: tuple[Attachment, ...]
    defects: tuple[str, ...] = field(default=())  # malformed MIME noted, not fatal
    headers: tuple[tuple[str, str], ...] = field(default=())  # all headers, decoded


@dataclass(frozen=True)
class FileItem:
    """A file to be recognised: an attachment, or a member of an attached archive."""

    name: str  # display name, NFC; for archive members "archive.zip/inner/name.docx"
    data: bytes
    detected: str  # type from the bytes: docx xlsx pdf zip doc xls odt ods rtf jpeg png … or "unknown"
    container: str = ""  # name of the archive it came from, "" for direct attachments
    size: int = 0
