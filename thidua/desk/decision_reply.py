"""The reply a clerk's decision sends: rendered like the daemon's (same templates, same headers,
threaded under the school's mail) with the clerk's own words, and queued in the same outbox.

The reply is built from what was filed (the original mail is only read again for its References,
so the answer stays in the school's thread).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session

from thidua.campaign import Campaign
from thidua.config import Settings
from thidua.desk.records import school_label
from thidua.notifier.loopguard import reply_refusal
from thidua.notifier.render import render_reply_bytes
from thidua.notifier.views import ReplyDocument, ReplyNominee, ReplyProblem, ReplyView
from thidua.parsers.filetypes import MACRO_ENABLED
from thidua.parsers.mail import ParsedMail
from thidua.parsers.mime import parse_mail
from thidua.store.blobs import BlobStore
from thidua.store.models import Reply, Submission
from thidua.store.replies import add_reply

log = logging.getLogger("thidua.desk")

REPLY_KIND_OF_STATUS = {"accepted": "receipt", "needs_correction": "correction"}


def _summary(document) -> str:
    if document.signed_copy_of:
        return f"bản ký, đóng dấu của tệp «{document.signed_copy_of}»"
    if document.failure == "scan":
        return "bản chụp/bản quét; hệ thống đã đọc chữ trên ảnh" if document.ocr else "bản chụp/bản quét"
    return "không đọc được" if document.failure else ""


def decision_view(
    settings: Settings,
    submission: Submission,
    campaign: Campaign | None,
    status: str,
    note: str,
    items: tuple[str, ...],
) -> ReplyView:
    """The reply's view of ``submission`` (parts loaded) under its new ``status``. An accepted
    submission's reply lists no errors (the office accepted it despite them), only the warnings."""
    office = settings.office
    round_ = campaign.round_by_id(submission.round_id) if campaign and submission.round_id else None
    kinds = {d.filename: d.kind for d in submission.documents}
    problems = [p for p in submission.problems if status != "accepted" or p.severity != "error"]
    return ReplyView(
        office_name=office.name,
        office_address=office.address,
        school=submission.school_name,
        sender=submission.sender,
        receipt=submission.receipt,
        version=submission.version,
        status=status,
        mail_subject=submission.subject,
        received_at=submission.received_at,
        round_label=round_.label if round_ else "",
        deadline=round_.deadline if round_ else None,
        documents=tuple(
            ReplyDocument(
                d.filename,
                kinds.get(d.signed_copy_of, d.kind),
                _summary(d),
                scan=d.failure == "scan",
                macros=d.detected in MACRO_ENABLED,
            )
            for d in submission.documents
        ),
        registrations=tuple(str(r.values.get("full_name") or "") for r in submission.registrations),
        nominees=tuple(ReplyNominee(n.rank, n.name, n.category or "") for n in submission.nominees),
        problems=tuple(
            ReplyProblem(p.code, p.severity, p.field, school_label(p.field, submission), p.message)
            for p in problems
        ),
        timezone=office.timezone,
        staff_note=note,
        staff_items=items,
    )


def original_mail(blobs: BlobStore, submission: Submission) -> ParsedMail | None:
    """The school's mail as filed, for its References and the loop guard (None when not kept)."""
    if not submission.mail_sha256 or not blobs.exists(submission.mail_sha256):
        return None
    try:
        return parse_mail(blobs.get(submission.mail_sha256))
    except Exception as error:  # noqa: BLE001 - filed once, it parses again; if not, no thread
        log.warning("the original mail of %s cannot be read again: %s", submission.receipt, error)
        return None


def refusal_reason(settings: Settings, submission: Submission, original: ParsedMail | None) -> str | None:
    """The daemon's reasons never to answer (a forged sender, a robot, our own address)."""
    if any(p.code == "spoofed_sender" for p in submission.problems):
        return "spoofed sender"
    if not submission.sender:
        return "no sender address"
    if original is not None:
        return reply_refusal(original, [settings.office.address])
    return None


def queue_decision_reply(
    session: Session,
    settings: Settings,
    blobs: BlobStore,
    submission: Submission,
    campaign: Campaign | None,
    note: str,
    items: tuple[str, ...],
    now: datetime,
) -> Reply:
    """Render the reply to ``submission`` under its new status and queue it in the outbox."""
    kind = REPLY_KIND_OF_STATUS[submission.status]
    original = original_mail(blobs, submission)
    view = decision_view(settings, submission, campaign, submission.status, note, items)
    rendered = render_reply_bytes(
        view,
        to=submission.sender,
        in_reply_to=submission.message_id,
        references=original.references if original else (),
        now=now,
    )
    sha = blobs.put(rendered.data)
    refusal = refusal_reason(settings, submission, original)
    return add_reply(
        session,
        submission_id=submission.id,
        kind=kind,
        to_address=submission.sender,
        subject=rendered.subject,
        message_id=rendered.message_id,
        eml_sha256=sha,
        status="suppressed" if refusal else "queued",
        reason=refusal or "",
        now=now,
        office=settings.office.code,
    )
