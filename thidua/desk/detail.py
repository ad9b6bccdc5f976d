"""The submission page's read side: one receipt's versions, files, problems with the school's own
labels, replies, and the desk's audit entries (part of ``thidua.desk.queries``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from sqlmodel import Session, col, select

from thidua.desk.records import OFFICE_TZ, load_submissions, school_label, submission_records
from thidua.store import audit
from thidua.store.models import AuditEntry, Document, Reply, Submission


@dataclass(frozen=True)
class FileRow:
    version: int
    filename: str
    container: str
    kind: str
    detected: str  # our own detection of the file type (never the school's claim)
    sha256: str
    size: int
    failure: str
    ocr: bool
    signed_copy_of: str


@dataclass(frozen=True)
class ReplyRow:
    id: int
    version: int | None
    kind: str
    to_address: str
    subject: str
    status: str
    reason: str
    created_at: datetime
    sent_at: datetime | None
    eml_sha256: str


@dataclass(frozen=True)
class ProblemRow:
    code: str
    severity: str
    field: str
    label: str  # the wording the school used in its own file for that field; "" when none
    message: str


@dataclass(frozen=True)
class VersionRow:
    version: int
    status: str
    received_at: datetime
    subject: str
    sender: str
    message_id: str
    mail_sha256: str  # the original mail in the blob store (download as .eml)


@dataclass(frozen=True)
class SubmissionDetail:
    record: dict[
        str, Any
    ]  # the current version's SPEC JSON, plus "versions" (each version's JSON, oldest first)
    versions: tuple[VersionRow, ...]  # oldest first
    files: tuple[FileRow, ...]  # every version's files
    problems: tuple[ProblemRow, ...]  # the current version's, with the school's labels
    replies: tuple[ReplyRow, ...]
    audit: tuple[AuditEntry, ...]

    @property
    def receipt(self) -> str:
        return self.record["receipt"]

    @property
    def current(self) -> VersionRow:
        return self.versions[-1]


def submission_detail(
    session: Session, office: str, receipt: str, tz: tzinfo = OFFICE_TZ
) -> SubmissionDetail | None:
    """Everything the submission page shows; ``tz`` is the office's time zone for the JSON's times."""
    receipt = receipt.strip().upper()
    ids = list(
        session.exec(
            select(Submission.id).where(Submission.receipt == receipt).order_by(col(Submission.version))
        )
    )
    if not ids:
        return None
    versions = load_submissions(session, ids)
    records = submission_records(session, office, versions, tz)
    record = dict(records[-1])
    record["versions"] = records
    current = versions[-1]
    replies = session.exec(
        select(Reply, Submission.version)
        .join(Submission, col(Reply.submission_id) == Submission.id)
        .where(col(Reply.submission_id).in_(ids))
        .order_by(col(Reply.created_at), col(Reply.id))
    )
    return SubmissionDetail(
        record=record,
        versions=tuple(
            VersionRow(s.version, s.status, s.received_at, s.subject, s.sender, s.message_id, s.mail_sha256)
            for s in versions
        ),
        files=tuple(
            FileRow(
                s.version,
                d.filename,
                d.container,
                d.kind,
                d.detected,
                d.sha256,
                d.size,
                d.failure,
                d.ocr,
                d.signed_copy_of,
            )
            for s in versions
            for d in s.documents
        ),
        problems=tuple(
            ProblemRow(p.code, p.severity, p.field, school_label(p.field, current), p.message)
            for p in current.problems
        ),
        replies=tuple(
            ReplyRow(
                r.id,
                version,
                r.kind,
                r.to_address,
                r.subject,
                r.status,
                r.reason,
                r.created_at,
                r.sent_at,
                r.eml_sha256,
            )
            for r, version in replies
        ),
        audit=tuple(audit.entries_for(session, office, "receipt", receipt)),
    )


def file_of_submission(session: Session, office: str, receipt: str, sha256: str) -> Document | None:
    """A file of one of ``receipt``'s versions, by its sha256 (None when it is not one of them): the
    desk serves only blobs a submission names, never an arbitrary hash."""
    return session.exec(
        select(Document)
        .join(Submission, col(Document.submission_id) == Submission.id)
        .where(Submission.receipt == receipt, Document.sha256 == sha256)
    ).first()
