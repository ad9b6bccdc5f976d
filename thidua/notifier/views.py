"""What the pipeline hands to the notifier: plain, frozen view models.

The notifier never reads the database or the configuration; whatever a reply or a
digest says is in one of these objects, so rendering stays pure and testable.
Datetimes should be timezone-aware; a naive one is taken to be UTC (what SQLite
hands back for a stored UTC time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


@dataclass(frozen=True)
class ReplyDocument:
    name: str  # display name as the school sent it
    kind: str  # registration | nomination_list | report | evidence | unknown
    summary: str = ""  # e.g. "3 tập thể/cá nhân được đề nghị"; "" when nothing to add
    # (label, value) pairs OCR read off a scan, shown so the school can check what was understood
    read_from_scan: tuple[tuple[str, str], ...] = ()
    scan: bool = False  # a scan or photo, whether or not its text could be read
    macros: bool = False  # a macro-enabled Word/Excel file (.docm, .xlsm): read, its macros never run


@dataclass(frozen=True)
class ReplyProblem:
    code: str
    severity: str  # "error" | "warning"
    field: str  # "objectives", "registrations[1].objectives" (1-based), "nominees[2].evidence", or ""
    label: str  # the wording the school used for that field/column; "" when none
    message: str  # Vietnamese: what is wrong and how to fix it


@dataclass(frozen=True)
class ReplyNominee:
    rank: int | None
    name: str
    category: str  # collective | manager | teacher | staff | student, or "" when not recognised


@dataclass(frozen=True)
class ReplyView:
    office_name: str
    office_address: str
    school: str  # "" when the sender is not a registered school and the files do not say
    sender: str
    receipt: str  # HS-2024-0007
    version: int
    status: str  # accepted | needs_correction | rejected (superseded is answered like accepted)
    mail_subject: str  # the school's subject, as decoded
    received_at: datetime  # arrival at the office's server
    round_label: str  # "" when the mail matched no round
    deadline: datetime | None
    documents: tuple[ReplyDocument, ...]
    registrations: tuple[str, ...]  # full names of the people registered
    nominees: tuple[ReplyNominee, ...]
    problems: tuple[ReplyProblem, ...]
    timezone: str = DEFAULT_TIMEZONE
    # a clerk's decision on the desk: their own words to the school, and what they ask for
    staff_note: str = ""
    staff_items: tuple[str, ...] = ()
    # where the mail went in the school's paperwork for the round: the version it replaces, the
    # list it adds to, an ad-hoc list (sentences of thidua.wording.lists)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DigestSubmission:
    receipt: str
    version: int
    school: str
    sender: str
    status: str
    received_at: datetime
    round_id: str | None
    problem_codes: tuple[str, ...] = ()
    late: bool = False
    macro_files: tuple[str, ...] = ()  # macro-enabled files received (read; macros never run)


@dataclass(frozen=True)
class SilentSchool:
    """A registered school that has sent nothing yet for a round still expected."""

    name: str
    round_label: str
    deadline: datetime
    days_left: int  # whole days until the deadline; 0 on the day itself, negative once past


@dataclass(frozen=True)
class ReviewItem:
    """A mail that could not be processed and waits for staff."""

    subject: str
    sender: str
    reason: str
    since: datetime


@dataclass(frozen=True)
class FailedReply:
    to: str
    subject: str
    reason: str


@dataclass(frozen=True)
class HeldReply:
    """A reply the daily cap holds until staff send or drop it."""

    id: int
    to: str
    subject: str
    reason: str
    since: datetime


@dataclass(frozen=True)
class DigestView:
    office_name: str
    generated_at: datetime
    since: datetime | None  # start of the period the digest covers; None: everything so far
    timezone: str = DEFAULT_TIMEZONE
    counts: dict[str, int] = field(default_factory=dict)  # current submissions by status
    new: tuple[DigestSubmission, ...] = ()
    late: tuple[DigestSubmission, ...] = ()
    outstanding: tuple[DigestSubmission, ...] = ()  # needs_correction, not yet resubmitted
    silent_schools: tuple[SilentSchool, ...] = ()
    rejected: tuple[DigestSubmission, ...] = ()  # unknown or spoofed senders
    review: tuple[ReviewItem, ...] = ()
    failed_replies: tuple[FailedReply, ...] = ()
    held_replies: tuple[HeldReply, ...] = ()
    awaiting_signed_copy: tuple[DigestSubmission, ...] = ()  # accepted, the signed paper copy not yet in
    desk_url: str = ""  # [web] public_url: each submission then links to its page on the desk
