"""The outcome of a round told to each school (công khai): one mail per school, once, with each of
its nominees' evidence verdict and the award form it was selected for (or not).

The mail answers the school's latest current submission of the round (the latest that may be
answered: not a robot's mail), in its thread (In-Reply-To
and References as the decision replies have them), and goes through the same outbox as every
reply; the daemon's next pass sends it. A school is claimed in ``results_sent`` before its mail is
queued, so pressing the button twice, or from two places at once, sends nothing new. Each mail is
audited on the submission it answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

import sqlalchemy as sa
from sqlmodel import Session

from thidua.campaign import Campaign
from thidua.config import Settings
from thidua.desk.actor import Actor, NotFound
from thidua.desk.decision_reply import original_mail, refusal_reason
from thidua.desk.papers import EVIDENCE_VI
from thidua.notifier.dates import local
from thidua.notifier.headers import (
    mailbox,
    message_id_or_empty,
    new_message_id,
    references_chain,
    set_text_header,
)
from thidua.notifier.render import fill_bodies, render_template, tidy_text
from thidua.parsers.mail import ParsedMail
from thidua.store import audit
from thidua.store import results_sent as store
from thidua.store.blobs import BlobStore
from thidua.store.models import CURRENT_STATUSES, Submission
from thidua.store.replies import add_reply
from thidua.store.results import NomineeOutcome, nominee_outcomes

SUBJECT = "Thông báo kết quả thẩm định, lựa chọn đề nghị khen thưởng"


@dataclass(frozen=True)
class ResultsLine:
    """A nominee as the school reads its outcome."""

    rank: int | None
    name: str
    category: str
    evidence_text: str
    note: str
    outcome_text: str
    selected: bool


@dataclass(frozen=True)
class ResultsSending:
    sent: tuple[str, ...]  # schools whose mail was queued now
    already: tuple[str, ...]  # schools told before: nothing sent again


@dataclass(frozen=True)
class SchoolTally:
    schools: int  # schools with nominees in the round
    sent: int  # of them, told the outcome already


def results_lines(nominees: Sequence[NomineeOutcome], campaign: Campaign) -> list[ResultsLine]:
    lines = []
    for n in nominees:
        award = campaign.award_by_id(n.award_id) if n.award_id else None
        outcome = (
            f"Được lựa chọn đề nghị {award.label if award else n.award_id}"
            if n.award_id
            else "Không được lựa chọn"
        )
        lines.append(
            ResultsLine(
                rank=n.rank,
                name=n.name,
                category=n.category or "",
                evidence_text=EVIDENCE_VI.get(n.evidence, n.evidence or ""),
                note=n.review_note,
                outcome_text=outcome,
                selected=bool(n.award_id),
            )
        )
    return lines


def render_results(
    settings: Settings,
    *,
    school: str,
    to: str,
    receipt: str,
    round_label: str,
    lines: Sequence[ResultsLine],
    in_reply_to: str,
    references: tuple[str, ...],
    now: datetime,
) -> EmailMessage:
    """The school's results mail, Vietnamese text and HTML, threaded under ``in_reply_to``."""
    office = settings.office
    subject = f"[{receipt}] {SUBJECT}" + (f": {round_label}" if round_label else "")
    context = dict(
        office_name=office.name,
        school=school,
        receipt=receipt,
        round_label=round_label,
        nominees=lines,
        selected=sum(line.selected for line in lines),
        subject=subject,
    )
    message = EmailMessage()
    message["From"] = mailbox(office.address, office.name)
    try:
        message["To"] = mailbox(to)
    except ValueError:  # not one address: the loop guard refuses such a mail anyway
        pass
    set_text_header(message, "Subject", subject)
    message["Date"] = format_datetime(local(now, office.timezone))
    message["Message-ID"] = new_message_id(office.address)
    parent = message_id_or_empty(in_reply_to)
    if parent:
        message["In-Reply-To"] = parent
    chain = references_chain(tuple(references), parent)
    if chain:
        message["References"] = chain
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    fill_bodies(
        message,
        tidy_text(render_template("results.txt.j2", **context)),
        render_template("results.html.j2", **context),
    )
    return message


def _current_submissions(session: Session, round_id: str) -> dict[int, list[Submission]]:
    """Each school's current submissions of the round, newest first."""
    rows = session.execute(
        sa.select(Submission)
        .where(Submission.round_id == round_id, Submission.status.in_(CURRENT_STATUSES))
        .order_by(Submission.received_at.desc(), Submission.id.desc())
    ).scalars()
    found: dict[int, list[Submission]] = {}
    for submission in rows:
        if submission.school_id is not None:
            found.setdefault(submission.school_id, []).append(submission)
    return found


def _thread(
    settings: Settings, blobs: BlobStore, submissions: list[Submission]
) -> tuple[Submission, ParsedMail | None, str | None]:
    """The submission the results answer: the school's latest one that may be answered (not a
    robot's mail, not a forged sender), else the latest with the reason it is not answered."""
    fallback = None
    for submission in submissions:
        original = original_mail(blobs, submission)
        refusal = refusal_reason(settings, submission, original)
        if refusal is None:
            return submission, original, None
        fallback = fallback or (submission, original, refusal)
    return fallback


def _by_school(session: Session, office: str, round_id: str) -> dict[int, list[NomineeOutcome]]:
    schools: dict[int, list[NomineeOutcome]] = {}
    for nominee in nominee_outcomes(session, office=office, round_ids=[round_id]):
        if nominee.school_id is not None:
            schools.setdefault(nominee.school_id, []).append(nominee)
    return schools


def tally(session: Session, office: str, round_id: str) -> SchoolTally:
    """How many schools have nominees in the round, and how many were told their outcome."""
    schools = _by_school(session, office, round_id)
    sent = store.sent_for_round(session, office=office, round_id=round_id)
    return SchoolTally(schools=len(schools), sent=len(set(schools) & set(sent)))


def send_results(
    session: Session,
    settings: Settings,
    actor: Actor,
    round_id: str,
    *,
    campaign: Campaign,
    blobs: BlobStore,
    now: datetime | None = None,
) -> ResultsSending:
    """Queue the outcome of ``round_id`` for every school with nominees not told yet."""
    round_ = campaign.round_by_id(round_id)
    if round_ is None:
        raise NotFound(f"Không có đợt {round_id[:60]} trong kế hoạch thi đua.")
    now = now or datetime.now(UTC)
    office = settings.office.code
    current = _current_submissions(session, round_id)
    sent, already = [], []
    for school_id, nominees in _by_school(session, office, round_id).items():
        school = nominees[0].school
        if school_id not in current:
            continue
        claimed = store.claim_school(
            session, office=office, round_id=round_id, school_id=school_id, school_name=school, at=now
        )
        if not claimed:
            already.append(school)
            continue
        submission, original, refusal = _thread(settings, blobs, current[school_id])
        message = render_results(
            settings,
            school=school,
            to=submission.sender,
            receipt=submission.receipt,
            round_label=round_.label,
            lines=results_lines(nominees, campaign),
            in_reply_to=submission.message_id,
            references=original.references if original else (),
            now=now,
        )
        reply = add_reply(
            session,
            submission_id=submission.id,
            kind="results",
            to_address=submission.sender,
            subject=str(message["Subject"]),
            message_id=str(message["Message-ID"]),
            eml_sha256=blobs.put(message.as_bytes(policy=policy.SMTP)),
            status="suppressed" if refusal else "queued",
            reason=refusal or "",
            now=now,
        )
        store.set_reply(session, office=office, round_id=round_id, school_id=school_id, reply_id=reply.id)
        audit.record(
            session,
            office,
            actor.name,
            "results_sent",
            "receipt",
            submission.receipt,
            after={
                "round": round_id,
                "nominees": len(nominees),
                "selected": sum(bool(n.award_id) for n in nominees),
                "reply": {"id": reply.id, "status": reply.status, "message_id": reply.message_id},
            },
            now=now,
        )
        sent.append(school)
    session.flush()
    return ResultsSending(sent=tuple(sent), already=tuple(already))
