"""What the processing flow hands to the store to file one mail (one submission version)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class DocumentDraft:
    filename: str  # display name as sent ("hoso.zip/Danh sách.xlsx" style names allowed)
    container: str  # archive it came from, "" for a direct attachment
    kind: str
    detected: str
    sha256: str  # of the file bytes, already put in the blob store
    size: int
    failure: str = ""
    ocr: bool = False  # text recognised by OCR off a scan or photo
    signed_copy_of: str = ""  # the editable file this scan is the signed, stamped copy of
    people: tuple[str, ...] = ()  # the people a results report names


@dataclass(frozen=True)
class NomineeDraft:
    rank: int | None
    name: str
    category: str | None
    position: str
    achievements: str
    evidence: tuple[str, ...]
    award: str
    category_text: str = ""
    labels: dict[str, str] = field(default_factory=dict, compare=False)
    unit: str | None = None  # the unit a consolidated list names on the row
    section: str = ""  # the sheet and section rows above the nominee


@dataclass(frozen=True)
class ProblemDraft:
    code: str
    severity: str
    field: str
    message: str


@dataclass(frozen=True)
class SubmissionDraft:
    sender: str
    school_id: int | None  # None: unknown sender
    school_name: str  # registered name, else what the documents say, else ""
    subject: str
    message_id: str
    content_key: str  # sha256 identifying "the same mail" (Message-ID + body), for de-duplication
    mail_sha256: str  # the original raw mail in the blob store
    received_at: datetime  # timezone-aware arrival time
    round_id: str | None
    status: str
    documents: tuple[DocumentDraft, ...]
    registrations: tuple[dict[str, str], ...]  # values per REGISTRATION_FIELDS
    registration_labels: tuple[dict[str, str], ...]
    nominees: tuple[NomineeDraft, ...]
    problems: tuple[ProblemDraft, ...]
    source_key: str = ""  # where it came from (maildir file name, imap folder/uidvalidity/uid)
    thread_receipt: str | None = None  # receipt code this mail continues, if any
    # other receipts the mail replaces (a full list replacing the earlier list and its additions)
    supersedes: tuple[str, ...] = ()
    ad_hoc: bool = False  # an ad-hoc (đột xuất) list
