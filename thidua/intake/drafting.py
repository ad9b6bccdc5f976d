"""The mapping from what was read and checked in a mail to the draft the store files."""
from __future__ import annotations

from thidua.intake.examine import Examined
from thidua.store.drafts import DocumentDraft, NomineeDraft, ProblemDraft, SubmissionDraft


def submission_draft(mail, parsed, examined: Examined, sha_by_name, key, mail_sha, school, round_, status,
                     problems, thread_receipt) -> SubmissionDraft:
    """What is filed for a mail: its documents, the records read from them and the problems found,
    in the store's terms."""
    documents, registrations, labels, nominees = [], [], [], []
    for finding, item in zip(examined.findings, examined.files):
        documents.append(DocumentDraft(
            filename=finding.name, container=item.container, kind=finding.kind, detected=finding.detected,
            sha256=sha_by_name.get(item.name, ""), size=finding.size, failure=finding.failure,
            ocr=bool(finding.understood and finding.understood.ocr), signed_copy_of=finding.signed_copy_of,
            people=finding.understood.people if finding.understood and finding.kind == "report" else ()))
        understood = finding.understood
        if understood is None:
            continue
        if finding.kind == "registration":
            for registration in understood.registrations:
                values = dict(registration.values)
                values["school"] = values.get("school") or understood.school or (school.name if school else "")
                values["school_year"] = values.get("school_year") or understood.school_year
                registrations.append(values)
                labels.append(dict(registration.labels))
        if finding.kind == "nomination_list":
            nominees.extend(
                NomineeDraft(n.rank, n.name, n.category, n.position, n.achievements, n.evidence, n.award,
                             n.category_text, dict(n.labels), unit=n.unit or None, section=n.section)
                for n in understood.nominees)
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
        thread_receipt=thread_receipt,
    )
