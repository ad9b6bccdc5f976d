"""The desk's read side. Every function takes the session and the office (``[office] code``) first.

The submissions, schools and mail ledger are the daemon's tables, which predate offices and hold
one office's mail; the desk's own tables (decisions, audit, paper copies) are filtered by office.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload
from sqlmodel import Session, col, select

from thidua.campaign import Campaign
from thidua.desk.detail import (  # noqa: F401 - the submission page's part of the read side
    FileRow,
    ProblemRow,
    ReplyRow,
    SubmissionDetail,
    VersionRow,
    file_of_submission,
    submission_detail,
)
from thidua.desk.records import NEWEST_FIRST, OFFICE_TZ, load_submissions, submission_records
from thidua.store.models import (
    CURRENT_STATUSES,
    Document,
    MailLedger,
    Nominee,
    Problem,
    Registration,
    Reply,
    School,
    Submission,
)
from thidua.text import nfc
from thidua.wording.vocabulary import status_vi

# A school's standing in a round, as the dashboard shows it.
SCHOOL_STATUS_VI = {
    "chua_gui": "Chưa gửi",
    "can_bo_sung": "Cần bổ sung",
    "da_tiep_nhan": "Đã tiếp nhận",
    "gui_muon": "Gửi muộn",
}
MAX_PER_PAGE = 200
HELD_REPLY_STATUS = "held"  # replies held by the daily cap (the status another change introduces)


class UnknownRound(LookupError):
    """The round id is not in the campaign."""


# -- dashboard --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardRow:
    school_id: int
    school: str
    status: str  # a key of SCHOOL_STATUS_VI
    status_label: str
    receipt: str | None  # the school's latest current submission in the round
    received_at: datetime | None  # UTC


@dataclass(frozen=True)
class Dashboard:
    round_id: str
    round_label: str
    deadline: datetime
    rows: tuple[DashboardRow, ...]
    counts: dict[str, int]  # every key of SCHOOL_STATUS_VI, zero included
    labels: dict[str, str]  # SCHOOL_STATUS_VI, for templates


def dashboard(session: Session, office: str, campaign: Campaign, round_id: str) -> Dashboard:
    """Every registered school against its status in the round, in one grouped query.

    A school with a current submission needing correction is ``can_bo_sung``; otherwise one whose
    current paperwork arrived after the deadline (a ``late`` problem) is ``gui_muon``; otherwise
    ``da_tiep_nhan``; a school with nothing current is ``chua_gui``. A mail that carried no file
    (a question, an out-of-office answer) counts only while the school has sent no paperwork with
    files: it must not turn an accepted list into one "needing correction"."""
    round_ = campaign.round_by_id(round_id)
    if round_ is None:
        raise UnknownRound(round_id)
    s, p = Submission.__table__, Problem.__table__
    schools = School.__table__
    late = sa.exists().where(p.c.submission_id == s.c.id, p.c.code == "late")
    with_files = sa.exists().where(Document.__table__.c.submission_id == s.c.id)
    needs = s.c.status == "needs_correction"
    statement = (
        sa.select(
            schools.c.id,
            schools.c.name,
            sa.func.count(s.c.id),
            sa.func.count(sa.case((with_files, s.c.id))),
            sa.func.max(sa.case((sa.and_(needs, with_files), 1), else_=0)),
            sa.func.max(sa.case((needs, 1), else_=0)),
            sa.func.max(sa.case((sa.and_(late, with_files), 1), else_=0)),
            sa.func.max(sa.case((late, 1), else_=0)),
            sa.func.max(s.c.receipt),
            sa.func.max(s.c.received_at),
        )
        .select_from(
            schools.outerjoin(
                s,
                sa.and_(
                    s.c.school_id == schools.c.id, s.c.round_id == round_id, s.c.status.in_(CURRENT_STATUSES)
                ),
            )
        )
        .group_by(schools.c.id, schools.c.name)
        .order_by(schools.c.name)
    )
    rows = []
    counts = dict.fromkeys(SCHOOL_STATUS_VI, 0)
    received_type = Submission.__table__.c.received_at.type
    for row in session.execute(statement):
        (
            school_id,
            name,
            current,
            with_paperwork,
            paperwork_needs,
            any_needs,
            paperwork_late,
            any_late,
            receipt,
            received_at,
        ) = row
        needs = paperwork_needs if with_paperwork else any_needs
        was_late = paperwork_late if with_paperwork else any_late
        status = (
            "chua_gui"
            if not current
            else "can_bo_sung"
            if needs
            else "gui_muon"
            if was_late
            else "da_tiep_nhan"
        )
        counts[status] += 1
        if received_at is not None and not isinstance(received_at, datetime):  # SQLite's max() gives text
            received_at = datetime.fromisoformat(str(received_at))
        if received_at is not None:
            received_at = received_type.process_result_value(received_at, session.get_bind().dialect)
        rows.append(DashboardRow(school_id, name, status, SCHOOL_STATUS_VI[status], receipt, received_at))
    return Dashboard(round_.id, round_.label, round_.deadline, tuple(rows), counts, dict(SCHOOL_STATUS_VI))


# -- submission list --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubmissionRow:
    receipt: str
    version: int
    status: str
    status_label: str
    school: str
    sender: str
    subject: str
    received_at: datetime  # UTC
    round_id: str | None


@dataclass(frozen=True)
class Page:
    items: tuple[SubmissionRow, ...]
    total: int
    page: int
    pages: int
    per_page: int


def _current_versions(*, round_id: str | None, status: str | None, school: str | None, q: str | None):
    """The WHERE clauses selecting each receipt's newest version, filtered."""
    newer = aliased(Submission)
    clauses: list[Any] = [
        ~sa.exists().where(newer.receipt == Submission.receipt, newer.version > Submission.version)
    ]
    if round_id:
        clauses.append(Submission.round_id == round_id)
    if status:
        clauses.append(Submission.status == status)
    if school:
        school = nfc(school).strip()
        clauses.append(
            Submission.school_id == int(school) if school.isdigit() else Submission.school_name == school
        )
    if q and q.strip():
        pattern = f"%{_escape_like(nfc(q).strip())}%"
        # uncorrelated: one pass over the names, not one probe per submission
        names = col(Submission.id).in_(
            sa.select(Nominee.submission_id).where(col(Nominee.name).ilike(pattern, escape="\\"))
        )
        registrants = col(Submission.id).in_(
            sa.select(Registration.submission_id).where(
                sa.cast(Registration.__table__.c["values"], sa.Text).ilike(pattern, escape="\\")
            )
        )
        clauses.append(
            sa.or_(
                col(Submission.school_name).ilike(pattern, escape="\\"),
                col(Submission.sender).ilike(pattern, escape="\\"),
                col(Submission.receipt).ilike(pattern, escape="\\"),
                names,
                registrants,
            )
        )
    return clauses


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_submissions(
    session: Session,
    office: str,
    *,
    round_id: str | None = None,
    status: str | None = None,
    school: str | None = None,
    q: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Page:
    """The current version of each submission, newest first, one page of them; ``q`` searches the
    school, the sender, the receipt and the names of nominees and registrants."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    where = _current_versions(round_id=round_id, status=status, school=school, q=q)
    total = session.execute(sa.select(sa.func.count()).select_from(Submission).where(*where)).scalar_one()
    pages = max(1, math.ceil(total / per_page))
    page = max(1, min(page, pages))
    rows = session.exec(
        select(Submission).where(*where).order_by(*NEWEST_FIRST).offset((page - 1) * per_page).limit(per_page)
    ).all()
    items = tuple(
        SubmissionRow(
            s.receipt,
            s.version,
            s.status,
            status_vi(s.status),
            s.school_name,
            s.sender,
            s.subject,
            s.received_at,
            s.round_id,
        )
        for s in rows
    )
    return Page(items, total, page, pages, per_page)


def submission_records_where(
    session: Session,
    office: str,
    tz: tzinfo = OFFICE_TZ,
    *,
    round_id: str | None = None,
    status: str | None = None,
    school: str | None = None,
) -> list[dict[str, Any]]:
    """The SPEC's JSON of the current version of each submission matching, newest first (the API)."""
    where = _current_versions(round_id=round_id, status=status, school=school, q=None)
    ids = list(session.exec(select(Submission.id).where(*where).order_by(*NEWEST_FIRST)))
    return submission_records(session, office, load_submissions(session, ids), tz)


# -- review queue -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewMail:
    id: int  # the ledger entry's id (the API's {id})
    source_key: str
    sender: str
    subject: str
    error: str
    attempts: int
    updated_at: datetime
    content_key: str = ""  # finds the original again in an IMAP review folder (parked_mail_bytes)


@dataclass(frozen=True)
class HeldReply:
    id: int
    to_address: str
    subject: str
    kind: str
    reason: str
    created_at: datetime
    eml_sha256: str


@dataclass(frozen=True)
class ReviewQueue:
    mails: tuple[ReviewMail, ...]
    held_replies: tuple[HeldReply, ...]


def review_queue(session: Session, office: str) -> ReviewQueue:
    mails = session.exec(
        select(MailLedger)
        .where(MailLedger.status == "review")
        .order_by(col(MailLedger.updated_at), col(MailLedger.id))
    )
    held = session.exec(
        select(Reply)
        .where(Reply.status == HELD_REPLY_STATUS, Reply.office == office)
        .order_by(col(Reply.created_at))
    )
    return ReviewQueue(
        mails=tuple(
            ReviewMail(
                m.id, m.source_key, m.sender, m.subject, m.last_error, m.attempts, m.updated_at, m.content_key
            )
            for m in mails
        ),
        held_replies=tuple(
            HeldReply(r.id, r.to_address, r.subject, r.kind, r.reason, r.created_at, r.eml_sha256)
            for r in held
        ),
    )


def review_mail(session: Session, office: str, ledger_id: int) -> ReviewMail | None:
    m = session.get(MailLedger, ledger_id)
    if m is None or m.status != "review":
        return None
    return ReviewMail(
        m.id, m.source_key, m.sender, m.subject, m.last_error, m.attempts, m.updated_at, m.content_key
    )


# -- schools ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolRow:
    id: int
    name: str
    addresses: tuple[str, ...]


def schools(session: Session, office: str) -> list[SchoolRow]:
    rows = session.exec(select(School).options(selectinload(School.addresses)).order_by(col(School.name)))
    return [SchoolRow(s.id, s.name, tuple(a.address for a in s.addresses)) for s in rows]
