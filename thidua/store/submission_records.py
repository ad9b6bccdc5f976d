"""The records of `thidua submissions --json` (SPEC's JSON array): every version of every
submission, newest first, with its documents, nominees, registrations and problems."""
from __future__ import annotations

from datetime import tzinfo
from typing import Any

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from thidua.parsers.forms.model import REGISTRATION_FIELDS
from thidua.store.models import Document, Submission
from thidua.store.values import nfc, nfc_or_none


def submissions_json(session: Session, *, tz: tzinfo) -> list[dict[str, Any]]:
    """SPEC's JSON for every submission version, newest first (received_at, then id, descending).

    ``received_at`` is ISO 8601 with the offset of ``tz`` (the office's time zone). Five queries
    whatever the number of submissions (the parts are loaded with ``selectinload``).
    """
    rows = session.exec(
        select(Submission)
        .options(selectinload(Submission.documents), selectinload(Submission.registrations),
                 selectinload(Submission.nominees), selectinload(Submission.problems))
        .order_by(col(Submission.received_at).desc(), col(Submission.id).desc())
    ).all()
    return [submission_record(s, tz) for s in rows]


def submission_record(s: Submission, tz: tzinfo) -> dict[str, Any]:
    return {
        "receipt": s.receipt,
        "version": s.version,
        "status": s.status,
        "school": nfc(s.school_name),
        "sender": nfc(s.sender),
        "subject": nfc(s.subject),
        "message_id": s.message_id,
        "received_at": s.received_at.astimezone(tz).isoformat(timespec="seconds"),
        "round": nfc_or_none(s.round_id),
        "documents": [_document_record(d) for d in s.documents],
        "registrations": [{key: nfc(str(r.values.get(key) or "")) for key in REGISTRATION_FIELDS}
                          for r in s.registrations],
        "nominees": [
            {
                "rank": n.rank,
                "name": nfc(n.name),
                "category": n.category,
                "position": nfc(n.position_title),
                "achievements": nfc(n.achievements),
                "evidence": [nfc(e) for e in n.evidence],
                "award": nfc(n.award),
                "unit": nfc_or_none(n.unit),
                "section": nfc(n.section),
            }
            for n in s.nominees
        ],
        "problems": [{"code": p.code, "severity": p.severity, "field": nfc(p.field), "message": nfc(p.message)}
                     for p in s.problems],
    }


def _document_record(d: Document) -> dict[str, Any]:
    """SPEC's three keys, then, only when they apply, ``ocr`` (read by OCR off a scan or photo)
    and ``signed_copy_of`` (the editable file a scan is the signed, stamped copy of)."""
    record: dict[str, Any] = {"filename": nfc(d.filename), "kind": d.kind, "sha256": d.sha256}
    if d.ocr:
        record["ocr"] = True
    if d.signed_copy_of:
        record["signed_copy_of"] = nfc(d.signed_copy_of)
    return record
