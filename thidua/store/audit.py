"""What staff did: the audit log, the decisions on submissions, and paper copies received.

Every change made from the desk or the command line records an AuditEntry (who, when, what,
before and after). A Decision is a clerk's ruling on one submission version (accept, request a
correction, reject) with the staff's own words; a PaperCopy notes that the signed, stamped paper
copy of a submission has arrived. All three belong to one office.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from thidua.store.models import AuditEntry, Decision, PaperCopy, _utcnow
from thidua.text import nfc

DECISION_ACTIONS = ("accept", "request_correction", "reject")


def record(
    session: Session,
    office: str,
    actor: str,
    action: str,
    subject_kind: str,
    subject_key: str,
    *,
    before: Any = None,
    after: Any = None,
    note: str = "",
    now: datetime | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        office=office,
        at=now or _utcnow(),
        actor=nfc(actor),
        action=action,
        subject_kind=subject_kind,
        subject_key=nfc(subject_key)[:200],
        before=before,
        after=after,
        note=nfc(note),
    )
    session.add(entry)
    return entry


def entries_for(session: Session, office: str, subject_kind: str, subject_key: str) -> list[AuditEntry]:
    return list(
        session.exec(
            select(AuditEntry)
            .where(
                AuditEntry.office == office,
                AuditEntry.subject_kind == subject_kind,
                AuditEntry.subject_key == subject_key,
            )
            .order_by(col(AuditEntry.at), col(AuditEntry.id))
        )
    )


def add_decision(
    session: Session,
    office: str,
    receipt: str,
    version: int,
    action: str,
    note: str,
    items: list[str],
    decided_by: str,
    now: datetime | None = None,
) -> Decision:
    if action not in DECISION_ACTIONS:
        raise ValueError(f"unknown decision {action!r}")
    decision = Decision(
        office=office,
        receipt=receipt,
        version=version,
        action=action,
        note=nfc(note),
        items=[nfc(item) for item in items],
        decided_by=nfc(decided_by),
        at=now or _utcnow(),
    )
    session.add(decision)
    session.flush()
    return decision


def decisions_for(session: Session, office: str, receipts: list[str]) -> dict[str, list[Decision]]:
    """Each receipt's decisions, oldest first (one query for any number of receipts)."""
    found: dict[str, list[Decision]] = {receipt: [] for receipt in receipts}
    if not receipts:
        return found
    rows = session.exec(
        select(Decision)
        .where(Decision.office == office, col(Decision.receipt).in_(receipts))
        .order_by(col(Decision.at), col(Decision.id))
    )
    for row in rows:
        found[row.receipt].append(row)
    return found


def record_paper_copy(
    session: Session, office: str, receipt: str, recorded_by: str, now: datetime | None = None
) -> tuple[PaperCopy, bool]:
    """The paper copy of ``receipt``, and whether it is newly recorded (a second call changes nothing)."""
    existing = session.exec(
        select(PaperCopy).where(PaperCopy.office == office, PaperCopy.receipt == receipt)
    ).first()
    if existing is not None:
        return existing, False
    row = PaperCopy(office=office, receipt=receipt, recorded_by=nfc(recorded_by), at=now or _utcnow())
    session.add(row)
    session.flush()
    return row, True


def paper_copies(session: Session, office: str, receipts: list[str]) -> set[str]:
    if not receipts:
        return set()
    return set(
        session.exec(
            select(PaperCopy.receipt).where(PaperCopy.office == office, col(PaperCopy.receipt).in_(receipts))
        )
    )
