"""The reply to a filed mail: its view model (what the school is told), whether it may go, and
its place in the outbox."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

from thidua.checks.context import CheckContext
from thidua.config import Settings
from thidua.intake.examine import Examined
from thidua.notifier.headers import header_safe, shorten
from thidua.notifier.loopguard import reply_refusal
from thidua.notifier.problem_text import school_label
from thidua.notifier.render import render_reply_bytes
from thidua.notifier.views import ReplyDocument, ReplyNominee, ReplyProblem, ReplyView
from thidua.parsers.documents import IMAGE_TYPES
from thidua.parsers.filetypes import MACRO_ENABLED
from thidua.parsers.forms.definitions import REGISTRATION_DISPLAY_LABELS
from thidua.parsers.forms.model import REGISTRATION_FIELDS
from thidua.parsers.mail import ParsedMail
from thidua.store.drafts import SubmissionDraft
from thidua.store.replies import add_reply, replies_to_address_since
from thidua.text import strip_placeholder
from thidua.wording import publicity as say_publicity

REPLY_KIND = {"accepted": "receipt", "needs_correction": "correction", "rejected": "rejection"}
SCANNED_KINDS = frozenset({"registration", "nomination_list", "report"})
SCAN_VALUE_CHARS = 120  # of each value read off a scan, in the reply


def reply_kind(status: str) -> str:
    return REPLY_KIND.get(status, "receipt")


def _summary(finding) -> str:
    understood = finding.understood
    if finding.signed_copy_of:
        return f"bản ký, đóng dấu của tệp «{finding.signed_copy_of}»"
    if _read_by_ocr(finding):
        return "bản chụp/bản quét; hệ thống đã đọc chữ trên ảnh"
    if finding.failure == "scan":
        return "bản chụp/bản quét"
    if finding.failure:
        return "không đọc được"
    if finding.kind == "publicity":
        return say_publicity.PHOTO if finding.detected in IMAGE_TYPES else say_publicity.ARTICLE
    if understood is None:
        return ""
    if finding.kind == "registration":
        return f"{len(understood.registrations)} người đăng ký"
    if finding.kind == "nomination_list":
        return f"{len(understood.nominees)} tập thể/cá nhân được đề nghị"
    return ""


def _read_by_ocr(finding) -> bool:
    """A scan on which OCR recognised a registration, nomination list or report (OCR runs on scans only)."""
    understood = finding.understood
    return understood is not None and understood.ocr and understood.kind in SCANNED_KINDS


def _shown_kind(finding, kinds_by_name: dict[str, str]) -> str:
    """A signed copy shows as the kind of the file it signs, a recognised scan as what OCR read."""
    if finding.signed_copy_of:
        return kinds_by_name.get(finding.signed_copy_of, finding.kind)
    return finding.understood.kind if _read_by_ocr(finding) else finding.kind


def _scan_fields(finding) -> tuple[tuple[str, str], ...]:
    """What OCR read off a scan that is not the signed copy of a file received with it."""
    if finding.signed_copy_of or not _read_by_ocr(finding):
        return ()
    understood = finding.understood
    fields = [("Tiêu đề", understood.title), ("Đơn vị", understood.school), ("Năm học", understood.school_year)]
    for registration in understood.registrations:
        fields += [(school_label(registration.labels.get(key, "")) or REGISTRATION_DISPLAY_LABELS[key],
                    registration.values.get(key, ""))
                   for key in REGISTRATION_FIELDS if key not in ("school", "school_year")]
    shown = ((label, shorten(header_safe(strip_placeholder(value)), SCAN_VALUE_CHARS)) for label, value in fields)
    return tuple((label, value) for label, value in shown if value)


def _label_for(field: str, draft: SubmissionDraft) -> str:
    """The wording the school itself used for the field a problem is about."""
    key = field.rsplit(".", 1)[-1]
    for labels in draft.registration_labels:
        if key in labels:
            return labels[key]
    for nominee in draft.nominees:
        if key in nominee.labels:
            return nominee.labels[key]
    return ""


def build_reply_view(settings: Settings, submission, draft: SubmissionDraft, context: CheckContext,
                     examined: Examined, notes: tuple[str, ...] = ()) -> ReplyView:
    office = settings.office
    round_ = context.round
    kinds_by_name = {f.name: f.kind for f in examined.findings}
    return ReplyView(
        office_name=office.name,
        office_address=office.address,
        school=draft.school_name,
        sender=draft.sender,
        receipt=submission.receipt,
        version=submission.version,
        status=submission.status,
        mail_subject=draft.subject,
        received_at=draft.received_at,
        round_label=round_.label if round_ else "",
        deadline=round_.deadline if round_ else None,
        documents=tuple(ReplyDocument(f.name, _shown_kind(f, kinds_by_name), _summary(f), _scan_fields(f),
                                      scan=f.failure == "scan", macros=f.detected in MACRO_ENABLED)
                        for f in examined.findings),
        registrations=tuple(r.get("full_name", "") for r in draft.registrations),
        nominees=tuple(ReplyNominee(n.rank, n.name, n.category or "") for n in draft.nominees),
        problems=tuple(ReplyProblem(p.code, p.severity, p.field, _label_for(p.field, draft), p.message)
                       for p in draft.problems),
        timezone=office.timezone,
        notes=notes,
    )


def queue_reply(session, settings: Settings, clock: Callable[[], datetime], parsed: ParsedMail, submission,
                draft: SubmissionDraft, context: CheckContext, examined: Examined, replies: list[bytes],
                notes: tuple[str, ...] = ()) -> str:
    """Render the reply and queue it in the outbox; its bytes join ``replies`` to be stored."""
    kind = reply_kind(submission.status)
    refusal = reply_withheld(session, settings, clock, parsed, draft)
    view = build_reply_view(settings, submission, draft, context, examined, notes)
    # SPEC: the reply goes to the submitting address (From), never to a Reply-To a stranger chose.
    rendered = render_reply_bytes(view, to=parsed.from_address, in_reply_to=parsed.message_id,
                                  references=parsed.references, now=clock())
    replies.append(rendered.data)
    add_reply(session, submission_id=submission.id, kind=kind,
                   to_address=parsed.from_address, subject=rendered.subject,
                   message_id=rendered.message_id, eml_sha256=hashlib.sha256(rendered.data).hexdigest(),
                   status="suppressed" if refusal else "queued", reason=refusal or "")
    return f"suppressed: {refusal}" if refusal else "queued"

def reply_withheld(session, settings: Settings, clock: Callable[[], datetime], parsed: ParsedMail,
                   draft: SubmissionDraft) -> str | None:
    """Why the reply to ``parsed`` must not go (it is kept, marked suppressed), or None."""
    office = settings.office
    codes = {p.code for p in draft.problems}
    if "spoofed_sender" in codes:
        return "spoofed sender"
    refusal = reply_refusal(parsed, [office.address])
    if refusal:
        return refusal
    if "unknown_sender" in codes and not office.reply_to_unknown_senders:
        return "unknown sender"
    address = parsed.from_address
    since = clock() - timedelta(days=1)
    if replies_to_address_since(session, address, since) >= office.max_replies_per_day:
        return f"daily cap of {office.max_replies_per_day} replies reached"
    return None
