"""The mapping from what was read and checked in a mail to the draft the store files."""

from __future__ import annotations

from thidua.checks.reading import MAIN_KINDS
from thidua.intake.current_list import Placement
from thidua.intake.examine import Examined
from thidua.intake.intent import MailIntent
from thidua.store.drafts import DocumentDraft, NomineeDraft, ProblemDraft, SubmissionDraft
from thidua.wording import lists as say


def kinds_sent(examined: Examined, intent: MailIntent) -> set[str]:
    """The kinds of document the mail carries, for choosing its round; when none of its files is a
    main document, the ones its subject and body point to ("Danh sách…", "Đăng ký…")."""
    kinds = {f.kind for f in examined.findings}
    if kinds & MAIN_KINDS or not intent.pointed_kinds:
        return kinds
    return set(intent.pointed_kinds)


def placement_notes(submission, placement: Placement, ad_hoc: bool) -> tuple[str, ...]:
    """What the reply says of where the mail went: the version it replaces, the list it adds to."""
    notes: list[str] = []
    if submission.version > 1:
        notes.append(say.replaces(submission.receipt, submission.version, placement.supersedes))
    elif placement.added_to:
        notes.append(say.adds_to(placement.added_to))
    if ad_hoc:
        notes.append(say.AD_HOC)
    return tuple(notes)


def submission_draft(
    mail,
    parsed,
    examined: Examined,
    sha_by_name,
    key,
    mail_sha,
    school,
    round_,
    status,
    problems,
    placement: Placement,
    *,
    ad_hoc: bool = False,
) -> SubmissionDraft:
    """What is filed for a mail: its documents, the records read from them and the problems found,
    in the store's terms."""
    documents, registrations, labels, nominees = [], [], [], []
    for finding, item in zip(examined.findings, examined.files):
        documents.append(
            DocumentDraft(
                filename=finding.name,
                container=item.container,
                kind=finding.kind,
                detected=finding.detected,
                sha256=sha_by_name.get(item.name, ""),
                size=finding.size,
                failure=finding.failure,
                ocr=bool(finding.understood and finding.understood.ocr),
                signed_copy_of=finding.signed_copy_of,
                people=finding.understood.people if finding.understood and finding.kind == "report" else (),
            )
        )
        understood = finding.understood
        if understood is None:
            continue
        if finding.kind == "registration":
            for registration in understood.registrations:
                values = dict(registration.values)
                values["school"] = (
                    values.get("school") or understood.school or (school.name if school else "")
                )
                values["school_year"] = values.get("school_year") or understood.school_year
                registrations.append(values)
                labels.append(dict(registration.labels))
        if finding.kind == "nomination_list":
            nominees.extend(
                NomineeDraft(
                    n.rank,
                    n.name,
                    n.category,
                    n.position,
                    n.achievements,
                    n.evidence,
                    n.award,
                    n.category_text,
                    dict(n.labels),
                    unit=n.unit or None,
                    section=n.section,
                )
                for n in understood.nominees
            )
    return SubmissionDraft(
        sender=parsed.from_address,
        school_id=school.id if school else None,
        # an unregistered sender's file may claim any school: staff must not read it as that school's
        school_name=school.name if school else "",
        subject=parsed.subject,
        message_id=parsed.message_id,
        content_key=key,
        mail_sha256=mail_sha,
        received_at=mail.arrived_at,
        round_id=round_.id if round_ else None,
        status=status,
        documents=tuple(documents),
        registrations=tuple(registrations),
        registration_labels=tuple(labels),
        nominees=tuple(nominees),
        problems=tuple(ProblemDraft(p.code, p.severity, p.field, p.message) for p in problems),
        source_key=mail.source_key,
        thread_receipt=placement.thread_receipt,
        supersedes=placement.supersedes,
        ad_hoc=ad_hoc,
    )
