"""What staff did: the audit log, the decisions on submissions, and paper copies received.

Every change made from the desk or the command line records an AuditEntry (who, when, what,
before and after). A Decision is a clerk's ruling on one submission version (accept, request a
correction, reject) with the staff's own words; a PaperCopy notes that the signed, stamped paper
copy of a submission has arrived. All three belong to one office.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, Session, col, select

from thidua.store.models import StoreModel, _utcnow, _when
from thidua.text import nfc

DECISION_ACTIONS = ("accept", "request_correction", "reject")


class AuditEntry(StoreModel, table=True):
    __tablename__ = "audit_entries"
    __table_args__ = (
        sa.Index("ix_audit_entries_office_subject_kind_subject_key", "office", "subject_kind", "subject_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    office: str = Field(default="default", max_length=64)
    at: datetime = _when(default_now=True)
    actor: str = Field(default="", sa_type=sa.Text)
    action: str = Field(max_length=40)
    subject_kind: str = Field(max_length=20)  # receipt | ledger | school | user | token | nominee
    subject_key: str = Field(default="", max_length=200)
    before: Any | None = Field(default=None, sa_type=sa.JSON)
    after: Any | None = Field(default=None, sa_type=sa.JSON)
    note: str = Field(default="", sa_type=sa.Text)


class Decision(StoreModel, table=True):
    __tablename__ = "decisions"
    __table_args__ = (sa.Index("ix_decisions_office_receipt", "office", "receipt"),)

    id: int | None = Field(default=None, primary_key=True)
    office: str = Field(default="default", max_length=64)
    receipt: str = Field(max_length=32)
    version: int
    action: str = Field(max_length=30)
    note: str = Field(default="", sa_type=sa.Text)
    items: list[str] = Field(default_factory=list, sa_type=sa.JSON, sa_column_kwargs={"nullable": False})
    decided_by: str = Field(default="", sa_type=sa.Text)
    at: datetime = _when(default_now=True)


class PaperCopy(StoreModel, table=True):
    __tablename__ = "paper_copies"
    __table_args__ = (sa.UniqueConstraint("office", "receipt"),)

    id: int | None = Field(default=None, primary_key=True)
    office: str = Field(default="default", max_length=64)
    receipt: str = Field(max_length=32)
    recorded_by: str = Field(default="", sa_type=sa.Text)
    at: datetime = _when(default_now=True)


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
