"""The records of `thidua submissions --json` and of the desk's API (SPEC's JSON): every version of
every submission, newest first, with its documents, nominees (their ids, evidence reviews and
selections), registrations, problems, the signed copy and the staff's decisions.

One home for the JSON: the command line and the API both print what ``complete_records`` builds,
with one query per kind of addition whatever the number of submissions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from thidua.parsers.forms.model import REGISTRATION_FIELDS
from thidua.store import audit, selection
from thidua.store.models import Decision, Document, Submission
from thidua.store.values import nfc, nfc_or_none

NO_OUTCOME = {"review": None, "selected": False, "proposed_award": None}


def submissions_json(session: Session, *, office: str, tz: tzinfo) -> list[dict[str, Any]]:
    """SPEC's JSON for every submission version, newest first (received_at, then id, descending).

    ``received_at`` is ISO 8601 with the offset of ``tz`` (the office's time zone). Five queries
    whatever the number of submissions (the parts are loaded with ``selectinload``).
    """
    rows = session.exec(
        select(Submission)
        .options(
            selectinload(Submission.documents),
            selectinload(Submission.registrations),
            selectinload(Submission.nominees),
            selectinload(Submission.problems),
        )
        .order_by(col(Submission.received_at).desc(), col(Submission.id).desc())
    ).all()
    return complete_records(session, office, rows, tz)


def complete_records(
    session: Session, office: str, submissions: Sequence[Submission], tz: tzinfo
) -> list[dict[str, Any]]:
    """The SPEC's whole record of each submission (its parts loaded): the version's own fields,
    each nominee's ``id``, ``review``, ``selected`` and ``proposed_award``, the ``signed_copy``
    (``"scan"`` when a scan in the mail is the signed copy, ``"paper"`` once staff recorded the
    paper copy, else null) and the office's ``decisions`` on the receipt."""
    receipts = sorted({s.receipt for s in submissions})
    decisions = audit.decisions_for(session, office, receipts)
    on_paper = audit.paper_copies(session, office, receipts)
    outcomes = selection.outcome_fields(
        session, office=office, nominee_ids=[n.id for s in submissions for n in s.nominees], tz=tz
    )
    records = []
    for submission in submissions:
        record = submission_record(submission, tz)
        for entry, nominee in zip(record["nominees"], submission.nominees, strict=True):
            entry["id"] = nominee.id
            entry.update(outcomes.get(nominee.id, NO_OUTCOME))
        if any(d.signed_copy_of for d in submission.documents):
            record["signed_copy"] = "scan"
        else:
            record["signed_copy"] = "paper" if submission.receipt in on_paper else None
        record["decisions"] = [decision_record(d, tz) for d in decisions[submission.receipt]]
        record["problems"] = record.pop("problems")  # last, as the SPEC lists the keys
        records.append(record)
    return records


def decision_record(decision: Decision, tz: tzinfo) -> dict[str, Any]:
    return {
        "action": decision.action,
        "note": decision.note,
        "items": list(decision.items),
        "by": decision.decided_by,
        "at": decision.at.astimezone(tz).isoformat(timespec="seconds"),
        "version": decision.version,
    }


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
        "registrations": [
            {key: nfc(str(r.values.get(key) or "")) for key in REGISTRATION_FIELDS} for r in s.registrations
        ],
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
        "ad_hoc": bool(s.ad_hoc),
        "problems": [
            {"code": p.code, "severity": p.severity, "field": nfc(p.field), "message": nfc(p.message)}
            for p in s.problems
        ],
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
