"""From a filed submission to the reply's view model (what the school is told)."""
from __future__ import annotations

from thidua.checks.context import CheckContext
from thidua.config import Settings
from thidua.intake.examine import Examined
from thidua.notifier.views import ReplyDocument, ReplyNominee, ReplyProblem, ReplyView
from thidua.store.drafts import SubmissionDraft

REPLY_KIND = {"accepted": "receipt", "needs_correction": "correction", "rejected": "rejection"}


def reply_kind(status: str) -> str:
    return REPLY_KIND.get(status, "receipt")


def _summary(finding) -> str:
    understood = finding.understood
    if finding.failure == "scan":
        return "bản chụp/bản quét"
    if finding.failure:
        return "không đọc được"
    if understood is None:
        return ""
    if finding.kind == "registration":
        return f"{len(understood.registrations)} người đăng ký"
    if finding.kind == "nomination_list":
        return f"{len(understood.nominees)} tập thể/cá nhân được đề nghị"
    return ""


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
                     examined: Examined) -> ReplyView:
    office = settings.office
    round_ = context.round
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
        documents=tuple(ReplyDocument(f.name, f.kind, _summary(f)) for f in examined.findings),
        registrations=tuple(r.get("full_name", "") for r in draft.registrations),
        nominees=tuple(ReplyNominee(n.rank, n.name, n.category or "") for n in draft.nominees),
        problems=tuple(ReplyProblem(p.code, p.severity, p.field, _label_for(p.field, draft), p.message)
                       for p in draft.problems),
        timezone=office.timezone,
    )
