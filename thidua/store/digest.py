"""What the staff digest and the reminders read: recent submissions, replies and failures,
counts by status, schools without a submission, when the last digest went."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from thidua.parsers.filetypes import MACRO_ENABLED
from thidua.store.models import (
    CURRENT_STATUSES,
    DigestRun,
    Document,
    MailLedger,
    PaperCopy,
    Reply,
    School,
    Submission,
)
from thidua.store.replies import HeldReply, held_replies
from thidua.store.values import aware, nfc


@dataclass(frozen=True)
class DigestSubmission:
    receipt: str
    version: int
    status: str
    school: str
    sender: str
    subject: str
    received_at: datetime  # UTC
    round_id: str | None
    problem_codes: tuple[str, ...]
    macro_files: tuple[str, ...] = ()  # macro-enabled Word/Excel files received (read, macros never run)


@dataclass(frozen=True)
class DigestReply:
    id: int
    submission_id: int | None
    receipt: str  # "" for replies not tied to a submission
    kind: str
    to_address: str
    subject: str
    reason: str
    attempts: int
    updated_at: datetime


@dataclass(frozen=True)
class DigestLedgerEntry:
    source_key: str
    status: str
    attempts: int
    last_error: str
    updated_at: datetime
    sender: str = ""
    subject: str = ""


@dataclass(frozen=True)
class DigestSchool:
    id: int
    name: str
    addresses: tuple[str, ...]


@dataclass(frozen=True)
class DigestData:
    since: datetime | None
    now: datetime
    new: list[DigestSubmission]  # filed in (since, now], oldest first
    late: list[DigestSubmission]  # those of ``new`` with a ``late`` problem
    rejected: list[DigestSubmission]  # those of ``new`` that were rejected
    corrections: list[DigestSubmission]  # every receipt whose newest version needs correction
    failed_replies: list[DigestReply]  # replies that failed for good in (since, now]
    review: list[DigestLedgerEntry]  # mails parked for staff review (all of them)
    missing_schools: list[DigestSchool] = field(default_factory=list)  # for ``round_id``, if given
    round_id: str | None = None
    counts: dict[str, int] = field(default_factory=dict)  # every version not superseded, by status
    held_replies: list[HeldReply] = field(default_factory=list)  # held by the daily cap (all of them)


def _digest_submissions(session: Session, where: Sequence[Any]) -> list[DigestSubmission]:
    rows = session.exec(
        select(Submission)
        .options(selectinload(Submission.problems), selectinload(Submission.documents))
        .where(*where)
        .order_by(col(Submission.received_at), col(Submission.id))
    ).all()
    return [
        DigestSubmission(
            receipt=s.receipt,
            version=s.version,
            status=s.status,
            school=nfc(s.school_name),
            sender=s.sender,
            subject=nfc(s.subject),
            received_at=s.received_at,
            round_id=s.round_id,
            problem_codes=tuple(p.code for p in s.problems),
            macro_files=tuple(d.filename for d in s.documents if d.detected in MACRO_ENABLED),
        )
        for s in rows
    ]


def digest_data(
    session: Session, *, since: datetime | None, now: datetime, round_id: str | None = None
) -> DigestData:
    """What the staff digest reports; ``since`` None means from the beginning."""
    now = aware(now, "now")
    since = aware(since, "since") if since is not None else None
    window = [Submission.created_at <= now] + ([Submission.created_at > since] if since is not None else [])
    new = _digest_submissions(session, window)

    newest = (
        sa.select(Submission.receipt, sa.func.max(Submission.version).label("version"))
        .group_by(Submission.receipt)
        .subquery()
    )
    corrections = _digest_submissions(
        session,
        [
            Submission.status == "needs_correction",
            sa.tuple_(Submission.receipt, Submission.version).in_(
                sa.select(newest.c.receipt, newest.c.version)
            ),
        ],
    )

    reply_window = [Reply.status == "failed", Reply.updated_at <= now]
    if since is not None:
        reply_window.append(Reply.updated_at > since)
    failed = session.exec(
        select(Reply, Submission.receipt)
        .outerjoin(Submission, col(Submission.id) == col(Reply.submission_id))
        .where(*reply_window)
        .order_by(col(Reply.updated_at), col(Reply.id))
    ).all()
    review = session.exec(
        select(MailLedger)
        .where(MailLedger.status == "review")
        .order_by(col(MailLedger.updated_at), col(MailLedger.id))
    ).all()
    return DigestData(
        since=since,
        now=now,
        new=new,
        late=[s for s in new if "late" in s.problem_codes],
        rejected=[s for s in new if s.status == "rejected"],
        corrections=corrections,
        failed_replies=[
            DigestReply(
                id=r.id,
                submission_id=r.submission_id,
                receipt=receipt or "",
                kind=r.kind,
                to_address=r.to_address,
                subject=r.subject,
                reason=r.reason,
                attempts=r.attempts,
                updated_at=r.updated_at,
            )
            for r, receipt in failed
        ],
        review=[
            DigestLedgerEntry(
                source_key=e.source_key,
                status=e.status,
                attempts=e.attempts,
                last_error=e.last_error,
                updated_at=e.updated_at,
                sender=e.sender,
                subject=e.subject,
            )
            for e in review
        ],
        missing_schools=schools_without_submission(session, round_id) if round_id else [],
        round_id=round_id,
        counts=status_counts(session),
        held_replies=held_replies(session),
    )


def awaiting_signed_copy(
    session: Session, *, office: str, round_ids: Sequence[str]
) -> list[DigestSubmission]:
    """Accepted submissions of ``round_ids`` (the rounds that ask for the signed, stamped copy) with
    neither a scan of the signed document in any of their mails nor a paper copy recorded by staff,
    oldest first: what the office still waits for (SPEC "Signed copies"; never an error)."""
    if not round_ids:
        return []
    newest = (
        sa.select(Submission.receipt, sa.func.max(Submission.version).label("version"))
        .group_by(Submission.receipt)
        .subquery()
    )
    scanned = (
        sa.select(Submission.receipt)
        .join(Document, col(Document.submission_id) == col(Submission.id))
        .where(Document.signed_copy_of != "")
    )
    on_paper = sa.select(PaperCopy.receipt).where(PaperCopy.office == office)
    return _digest_submissions(
        session,
        [
            Submission.status == "accepted",
            col(Submission.round_id).in_(list(round_ids)),
            sa.tuple_(Submission.receipt, Submission.version).in_(
                sa.select(newest.c.receipt, newest.c.version)
            ),
            col(Submission.receipt).not_in(scanned),
            col(Submission.receipt).not_in(on_paper),
        ],
    )


def status_counts(session: Session) -> dict[str, int]:
    """How many submission versions are in each status, superseded ones left out."""
    rows = session.execute(
        sa.select(Submission.status, sa.func.count(Submission.id))
        .where(Submission.status != "superseded")
        .group_by(Submission.status)
    ).all()
    return {status: int(count) for status, count in rows}


def schools_without_submission(session: Session, round_id: str) -> list[DigestSchool]:
    """Registered schools with no current (accepted / needs_correction) submission for the round."""
    has_current = (
        sa.select(Submission.id)
        .where(
            Submission.school_id == School.id,
            Submission.round_id == round_id,
            col(Submission.status).in_(CURRENT_STATUSES),
        )
        .exists()
    )
    schools = session.exec(
        select(School).options(selectinload(School.addresses)).where(~has_current).order_by(School.name)
    ).all()
    return [
        DigestSchool(id=s.id, name=s.name, addresses=tuple(a.address for a in s.addresses)) for s in schools
    ]


def record_digest(session: Session, sent_at: datetime) -> DigestRun:
    run = DigestRun(sent_at=aware(sent_at, "sent_at"))
    session.add(run)
    session.flush()
    return run


def last_digest_at(session: Session) -> datetime | None:
    return session.execute(sa.select(sa.func.max(DigestRun.sent_at))).scalar_one_or_none()
