"""Filing a submission (a new version of a receipt) and looking submissions up: duplicates,
threads, the nominees already filed, and the records of ``thidua submissions --json``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlmodel import Session, col, select

from thidua.clock import utcnow
from thidua.store.current_lists import supersede_receipts
from thidua.store.drafts import SubmissionDraft
from thidua.store.models import (
    CURRENT_STATUSES,
    SUBMISSION_STATUSES,
    Document,
    Nominee,
    Problem,
    ReceiptCounter,
    Registration,
    Reply,
    Submission,
)
from thidua.store.values import P, aware, dialect_of, nfc, nfc_or_none, stored_message_id


def format_receipt(year: int, seq: int) -> str:
    return f"HS-{year}-{seq:04d}"


def next_receipt(session: Session, year: int) -> str:
    """A new receipt code ``HS-<year>-<seq:04d>`` (five digits and more after 9999).

    The counter row for the year is incremented with one atomic upsert, which holds the row lock
    (PostgreSQL) or the database write lock (SQLite, ``BEGIN IMMEDIATE``) until the caller's
    transaction ends: two transactions can never hold the same number at once. If a transaction
    rolls back, its number was never filed and may be handed out again. A code already used by a
    filed submission (say, after a restore of an older counter) is skipped.
    """
    if not 1000 <= year <= 9999:
        raise ValueError(f"receipt year must have four digits, got {year}")
    count = _count_receipt(dialect_of(session))
    while True:
        code = format_receipt(year, session.execute(count, {"year": year}).scalar_one())
        if session.execute(_RECEIPT_TAKEN, {"receipt": code}).first() is None:
            return code


@cache
def _count_receipt(dialect: str):
    table = ReceiptCounter.__table__
    insert = pg_dialect.insert if dialect == "postgresql" else sqlite_dialect.insert
    return (
        insert(table)
        .values(year=P("year"), last_seq=1)
        .on_conflict_do_update(index_elements=[table.c.year], set_={"last_seq": table.c.last_seq + 1})
        .returning(table.c.last_seq)
    )


_RECEIPT_TAKEN = (
    sa.select(sa.literal(1)).select_from(Submission).where(Submission.receipt == P("receipt")).limit(1)
)


def latest_version(session: Session, receipt: str) -> Submission | None:
    """The newest version filed under ``receipt``, or None."""
    return session.exec(
        select(Submission)
        .where(Submission.receipt == receipt.strip().upper())
        .order_by(col(Submission.version).desc())
        .limit(1)
    ).first()


@dataclass(frozen=True)
class FiledRef:
    """What a lookup tells of a filed submission version."""

    id: int
    receipt: str
    version: int
    school_name: str
    sender: str


def find_duplicate(session: Session, content_key: str) -> FiledRef | None:
    """The submission already filed for the same mail (same content key), or None."""
    if not content_key:
        return None
    row = session.execute(_FIND_DUPLICATE, {"content_key": content_key}).first()
    return FiledRef(*row) if row is not None else None


_FIND_DUPLICATE = (
    sa.select(
        *(Submission.__table__.c[name] for name in ("id", "receipt", "version", "school_name", "sender"))
    )
    .where(Submission.__table__.c.content_key == P("content_key"))
    .order_by(Submission.__table__.c.id)
    .limit(1)
)


def _reference_variants(references: Sequence[str]) -> list[str]:
    """Message-IDs as given and with/without angle brackets, in the given order, no blanks."""
    out: list[str] = []
    for reference in references:
        bare = (reference or "").strip().strip("<>").strip()
        if not bare:
            continue
        for variant in (stored_message_id(f"<{bare}>"), stored_message_id(bare)):
            if variant not in out:
                out.append(variant)
    return out


def find_thread_submission(
    session: Session, *, receipt_codes: Sequence[str], reference_ids: Sequence[str]
) -> str | None:
    """The receipt code the mail continues, or None.

    First a receipt code from the subject that exists (in the order given), then the first
    Message-ID of In-Reply-To/References (in the order given) that is one of our replies
    (its submission's receipt) or the Message-ID of a filed submission.
    """
    codes = [c.strip().upper() for c in receipt_codes if c and c.strip()]
    if codes:
        found = set(session.exec(select(Submission.receipt).where(col(Submission.receipt).in_(codes))).all())
        for code in codes:
            if code in found:
                return code

    references = _reference_variants(reference_ids)
    if not references:
        return None
    by_reply = dict(
        session.exec(
            select(Reply.message_id, Submission.receipt)
            .join(Submission, col(Submission.id) == col(Reply.submission_id))
            .where(col(Reply.message_id).in_(references))
        ).all()
    )
    by_submission = dict(
        session.exec(
            select(Submission.message_id, Submission.receipt)
            .where(col(Submission.message_id).in_(references))
            .order_by(col(Submission.id))
        ).all()
    )
    for reference in references:
        if reference in by_reply:
            return by_reply[reference]
        if reference in by_submission:
            return by_submission[reference]
    return None


class DuplicateSubmission(Exception):
    """The same mail was filed meanwhile (by another process): treat it like find_duplicate()."""

    def __init__(self, submission: FiledRef) -> None:
        self.submission_id: int = submission.id
        self.receipt: str = submission.receipt
        self.version: int = submission.version
        super().__init__(f"this mail is already filed as {self.receipt} version {self.version}")


def _refuse_duplicate(session: Session, content_key: str) -> None:
    # Called with the receipt's lock held, so a concurrent filing of the same mail is visible here.
    existing = find_duplicate(session, content_key)
    if existing is not None:
        raise DuplicateSubmission(existing)


def file_submission(
    session: Session, draft: SubmissionDraft, *, year: int, now: datetime | None = None
) -> Submission:
    """File one mail as a submission version, with its documents, registrations, nominees, problems.

    ``draft.thread_receipt`` naming a filed receipt makes this the next version of it, and every
    earlier version not yet superseded becomes ``superseded``; otherwise a new receipt code is drawn
    for ``year``. The receipts of ``draft.supersedes`` become ``superseded`` too. Returns a copy of
    the new row (with ``id``; not attached to the session, so its relationships are not loaded),
    written but not committed.

    Raises DuplicateSubmission when a submission with the same ``content_key`` is already filed
    (checked under the lock, so two processes filing one mail at once cannot both succeed).
    """
    if draft.status not in SUBMISSION_STATUSES:
        raise ValueError(f"unknown submission status {draft.status!r}")
    now = aware(now or utcnow(), "now")
    received_at = aware(draft.received_at, "received_at")

    receipt: str | None = None
    version = 1
    if draft.thread_receipt:
        wanted = draft.thread_receipt.strip().upper()
        # Lock the first version of the receipt, then read its versions in a fresh statement: a
        # concurrent filing of the same receipt waits here and then sees the version just committed.
        first = session.exec(
            select(Submission.id)
            .where(Submission.receipt == wanted)
            .order_by(col(Submission.version))
            .limit(1)
            .with_for_update()
        ).first()
        if first is not None:
            _refuse_duplicate(session, draft.content_key)
            receipt = wanted
            earlier = session.exec(
                select(Submission)
                .where(Submission.receipt == wanted)
                .execution_options(populate_existing=True)
            ).all()
            version = max(s.version for s in earlier) + 1
            for previous in earlier:
                if previous.status != "superseded":
                    previous.status = "superseded"
                    previous.superseded_at = now
            session.flush()  # the next statements of this transaction count current versions
    if receipt is None:
        receipt = next_receipt(session, year)
        _refuse_duplicate(session, draft.content_key)
    supersede_receipts(session, [r for r in draft.supersedes if r.strip().upper() != receipt], now=now)

    values = dict(
        receipt=receipt,
        version=version,
        status=draft.status,
        school_id=draft.school_id,
        school_name=nfc(draft.school_name).strip(),
        sender=nfc(draft.sender).strip(),
        subject=nfc(draft.subject),
        message_id=stored_message_id(draft.message_id),
        content_key=draft.content_key,
        mail_sha256=draft.mail_sha256,
        received_at=received_at,
        round_id=nfc_or_none(draft.round_id),
        source_key=draft.source_key,
        created_at=now,
        superseded_at=None,
        ad_hoc=draft.ad_hoc,
    )
    # a Core insert: the ORM's unit of work for one row cost as much as the rest of the filing
    sid = session.execute(_INSERT_SUBMISSION, values).scalar_one()
    submission = Submission(id=sid, **values)
    labels = list(draft.registration_labels)
    # Each kind of row in one statement: the ORM would send them one by one.
    _insert_rows(
        session,
        Document,
        [
            dict(
                submission_id=sid,
                position=position,
                filename=nfc(d.filename),
                container=nfc(d.container),
                kind=d.kind,
                detected=d.detected,
                sha256=d.sha256,
                size=d.size,
                failure=nfc(d.failure),
                ocr=d.ocr,
                signed_copy_of=nfc(d.signed_copy_of),
                people=[nfc(p) for p in d.people],
            )
            for position, d in enumerate(draft.documents)
        ],
    )
    _insert_rows(
        session,
        Registration,
        [
            dict(
                submission_id=sid,
                position=position,
                values={nfc(k): nfc(v) for k, v in values.items()},
                labels={
                    nfc(k): nfc(v) for k, v in (labels[position] if position < len(labels) else {}).items()
                },
            )
            for position, values in enumerate(draft.registrations)
        ],
    )
    _insert_rows(
        session,
        Nominee,
        [
            dict(
                submission_id=sid,
                position=position,
                rank=n.rank,
                name=nfc(n.name),
                category=n.category,
                category_text=nfc(n.category_text),
                position_title=nfc(n.position),
                achievements=nfc(n.achievements),
                evidence=[nfc(e) for e in n.evidence],
                award=nfc(n.award),
                labels={nfc(k): nfc(v) for k, v in n.labels.items()},
                unit=nfc(n.unit) if n.unit else None,
                section=nfc(n.section),
            )
            for position, n in enumerate(draft.nominees)
        ],
    )
    _insert_rows(
        session,
        Problem,
        [
            dict(
                submission_id=sid,
                position=position,
                code=p.code,
                severity=p.severity,
                field=nfc(p.field),
                message=nfc(p.message),
            )
            for position, p in enumerate(draft.problems)
        ],
    )
    return submission


_INSERT_SUBMISSION = sa.insert(Submission.__table__).returning(Submission.__table__.c.id)


def _insert_rows(session: Session, model, rows: list[dict]) -> None:
    if rows:
        session.execute(sa.insert(model.__table__), rows)


def current_nominee_count(
    session: Session, *, school_id: int, round_id: str, excluding_receipt: str | None
) -> int:
    """Nominees in the school's current (accepted / needs_correction) submissions for the round.

    ``excluding_receipt`` leaves out the submission being replaced by a new version.
    """
    params = {"school_id": school_id, "round_id": round_id}
    if excluding_receipt:
        params["receipt"] = excluding_receipt.strip().upper()
        return int(session.execute(_NOMINEES_OTHER_THAN, params).scalar_one())
    return int(session.execute(_NOMINEES, params).scalar_one())


_NOMINEES = (
    sa.select(sa.func.count(Nominee.__table__.c.id))
    .select_from(Nominee.__table__)
    .join(Submission.__table__, Submission.__table__.c.id == Nominee.__table__.c.submission_id)
    .where(
        Submission.__table__.c.school_id == P("school_id"),
        Submission.__table__.c.round_id == P("round_id"),
        Submission.__table__.c.status.in_(CURRENT_STATUSES),
    )
)
_NOMINEES_OTHER_THAN = _NOMINEES.where(Submission.__table__.c.receipt != P("receipt"))
