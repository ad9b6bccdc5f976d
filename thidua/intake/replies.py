"""The reply to a filed mail: its view model (what the school is told), whether it may go, and
its place in the outbox."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

from thidua.checks.context import CheckContext
from thidua.checks.reading import is_trivial
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
from thidua.store.models import HELD
from thidua.store.replies import add_reply, capped_replies_since, documents_answered_since
from thidua.text import strip_placeholder
from thidua.wording import held_replies as say_held
from thidua.wording import publicity as say_publicity

REPLY_KIND = {"accepted": "receipt", "needs_correction": "correction", "rejected": "rejection"}
SCANNED_KINDS = frozenset({"registration", "nomination_list", "report"})
SCAN_VALUE_CHARS = 120  # of each value read off a scan, in the reply
CAP_WINDOW = timedelta(days=1)  # the daily cap counts the replies of the last 24 hours


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
    fields = [
        ("Tiêu đề", understood.title),
        ("Đơn vị", understood.school),
        ("Năm học", understood.school_year),
    ]
    for registration in understood.registrations:
        fields += [
            (
                school_label(registration.labels.get(key, "")) or REGISTRATION_DISPLAY_LABELS[key],
                registration.values.get(key, ""),
            )
            for key in REGISTRATION_FIELDS
            if key not in ("school", "school_year")
        ]
    shown = (
        (label, shorten(header_safe(strip_placeholder(value)), SCAN_VALUE_CHARS)) for label, value in fields
    )
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


def build_reply_view(
    settings: Settings,
    submission,
    draft: SubmissionDraft,
    context: CheckContext,
    examined: Examined,
    notes: tuple[str, ...] = (),
) -> ReplyView:
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
        documents=tuple(
            ReplyDocument(
                f.name,
                _shown_kind(f, kinds_by_name),
                _summary(f),
                _scan_fields(f),
                scan=f.failure == "scan",
                macros=f.detected in MACRO_ENABLED,
            )
            for f in examined.findings
        ),
        registrations=tuple(r.get("full_name", "") for r in draft.registrations),
        nominees=tuple(ReplyNominee(n.rank, n.name, n.category or "") for n in draft.nominees),
        problems=tuple(
            ReplyProblem(p.code, p.severity, p.field, _label_for(p.field, draft), p.message)
            for p in draft.problems
        ),
        timezone=office.timezone,
        notes=notes,
    )


def queue_reply(
    session,
    settings: Settings,
    clock: Callable[[], datetime],
    parsed: ParsedMail,
    submission,
    draft: SubmissionDraft,
    context: CheckContext,
    examined: Examined,
    replies: list[bytes],
    notes: tuple[str, ...] = (),
) -> str:
    """Render the reply and queue it in the outbox (or hold it for staff, over the daily cap);
    its bytes join ``replies`` to be stored. What became of it: "queued", "held: <why>" or
    "suppressed: <why>"."""
    kind = reply_kind(submission.status)
    refusal = reply_withheld(session, settings, parsed, draft)
    key = documents_key(examined, draft)
    capped_because = None if refusal else counts_toward_cap(session, settings, clock, parsed, draft, key)
    held = capped_because is not None and over_cap(session, settings, clock, parsed)
    view = build_reply_view(settings, submission, draft, context, examined, notes)
    # SPEC: the reply goes to the submitting address (From), never to a Reply-To a stranger chose.
    rendered = render_reply_bytes(
        view, to=parsed.from_address, in_reply_to=parsed.message_id, references=parsed.references, now=clock()
    )
    replies.append(rendered.data)
    if refusal:
        status, reason = "suppressed", refusal
    elif held:
        status, reason = HELD, say_held.held_reason(settings.office.max_replies_per_day, capped_because)
    else:
        status, reason = "queued", ""
    add_reply(
        session,
        submission_id=submission.id,
        kind=kind,
        to_address=parsed.from_address,
        subject=rendered.subject,
        message_id=rendered.message_id,
        eml_sha256=hashlib.sha256(rendered.data).hexdigest(),
        status=status,
        reason=reason,
        counts_toward_cap=capped_because is not None,
        documents_key=key,
        office=settings.office.code,
    )
    return f"{status}: {reason}" if reason else status


def reply_withheld(session, settings: Settings, parsed: ParsedMail, draft: SubmissionDraft) -> str | None:
    """Why the reply to ``parsed`` must not go at all (it is kept, marked suppressed), or None."""
    office = settings.office
    codes = {p.code for p in draft.problems}
    if "spoofed_sender" in codes:
        return "spoofed sender"
    refusal = reply_refusal(parsed, [office.address])
    if refusal:
        return refusal
    if "unknown_sender" in codes and not office.reply_to_unknown_senders:
        return "unknown sender"
    return None


def documents_key(examined: Examined, draft: SubmissionDraft) -> str:
    """The mail's documents (signature logos aside) as one key: "" when it carries none; the same
    for two mails with the very same files. From the hashes the files were stored under."""
    hashes = sorted(
        document.sha256 or hashlib.sha256(item.data).hexdigest()
        for finding, item, document in zip(examined.findings, examined.files, draft.documents)
        if not is_trivial(finding)
    )
    return hashlib.sha256("\n".join(hashes).encode()).hexdigest() if hashes else ""


def counts_toward_cap(
    session,
    settings: Settings,
    clock: Callable[[], datetime],
    parsed: ParsedMail,
    draft: SubmissionDraft,
    key: str,
) -> str | None:
    """Why the reply counts toward the daily cap, in staff's words; None for a school's receipt or
    correction request (a document from a registered address), which the cap never holds.

    SPEC: the cap stops loops, never a school's receipts; it counts replies to mails with no
    document of their own (the shape of an auto-responder) and repeats of identical content."""
    if not key:
        return say_held.NO_DOCUMENT
    if "unknown_sender" in {p.code for p in draft.problems}:
        return say_held.UNREGISTERED
    if documents_answered_since(session, parsed.from_address, key, clock() - CAP_WINDOW):
        return say_held.REPEAT
    return None


def over_cap(session, settings: Settings, clock: Callable[[], datetime], parsed: ParsedMail) -> bool:
    """The address already had its day's worth of replies that count toward the cap."""
    since = clock() - CAP_WINDOW
    return capped_replies_since(session, parsed.from_address, since) >= settings.office.max_replies_per_day
