"""Everything the service reads from and writes to the database, as small functions on a Session.

None of these functions commit: the caller's ``Database.session()`` block is the transaction, so
what must happen together (filing a submission and queueing its reply, say) is written in one block.
Text is normalised to Unicode NFC on the way in and on the way out.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from thidua.errors import ThiduaError
from thidua.parsers.filetypes import MACRO_ENABLED
from thidua.parsers.forms.model import REGISTRATION_FIELDS
from thidua.store.drafts import SubmissionDraft
from thidua.text import fold
from thidua.store.models import (
    CURRENT_STATUSES,
    LEDGER_STATUSES,
    REPLY_KINDS,
    REPLY_STATUSES,
    SUBMISSION_STATUSES,
    DigestRun,
    Document,
    MailLedger,
    Nominee,
    Problem,
    ReceiptCounter,
    Registration,
    Reply,
    School,
    SchoolAddress,
    Submission,
)

MESSAGE_ID_MAX = 998  # bytes (RFC 5322 line limit); longer ids are cut to fit the indexed column
MAX_SCHOOL_NAME = 300
MAX_ADDRESS = 320
CLAIM_LEASE = timedelta(hours=1)  # how long due_replies() keeps a claimed reply away from other senders


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text) if text else ""


def _nfc_or_none(text: str | None) -> str | None:
    return None if text is None else _nfc(text)


def _cap(text: str, max_bytes: int) -> str:
    """``text`` cut to at most ``max_bytes`` of UTF-8 (indexed columns have a size limit)."""
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", errors="ignore")


def _message_id(value: str | None) -> str:
    return _cap((value or "").strip(), MESSAGE_ID_MAX)


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value.isoformat()}")
    return value.astimezone(timezone.utc)


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _upsert(session: Session):
    """The dialect's INSERT that supports ON CONFLICT (both SQLite and PostgreSQL do)."""
    return pg_dialect.insert if _is_postgresql(session) else sqlite_dialect.insert


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


# The statements run for every mail are built once, with bound parameters: building one and
# computing its cache key cost four times its execution on SQLite, and filing a burst is mostly
# these statements.
_P = sa.bindparam


# =================================================================================================
# Schools
# =================================================================================================

@dataclass(frozen=True)
class ImportResult:
    added: int  # schools that were not in the registry
    updated: int  # schools already there whose addresses changed
    addresses: int  # distinct addresses in the input


def normalise_address(address: str) -> str:
    """How addresses are stored and compared: NFC, trimmed, no angle brackets, lower case."""
    return _nfc(address).strip().strip("<>").strip().lower()


def _reply_address(address: str) -> str:
    return _cap(normalise_address(address or ""), MAX_ADDRESS)


def import_schools(session: Session, schools: Iterable[tuple[str, Sequence[str]]]) -> ImportResult:
    """Upsert schools by name; each listed school's addresses become exactly the ones given.

    Addresses are lower-cased; an address registered to another school moves to this one (the
    last school listing it wins). Schools not in ``schools`` are left as they are.
    """
    wanted: dict[str, set[str]] = {}
    owner: dict[str, str] = {}
    for raw_name, raw_addresses in schools:
        name = " ".join(_nfc(raw_name).split())
        if not name:
            raise ThiduaError("a school in the registry has no name")
        if len(name) > MAX_SCHOOL_NAME:
            raise ThiduaError(f"school name too long ({len(name)} characters): {name[:60]}…")
        addresses = wanted.setdefault(name, set())
        for raw in raw_addresses:
            address = normalise_address(raw)
            if not address:
                continue
            if len(address) > MAX_ADDRESS or "@" not in address:
                raise ThiduaError(f"{name}: {address[:80]!r} is not an e-mail address")
            previous = owner.get(address)
            if previous is not None and previous != name:
                wanted[previous].discard(address)
            owner[address] = name
            addresses.add(address)

    existing = {s.name: s for s in session.exec(select(School).options(selectinload(School.addresses))).all()}
    rows_by_address = {a.address: a for a in session.exec(select(SchoolAddress).where(
        col(SchoolAddress.address).in_(list(owner)))).all()} if owner else {}

    added = 0
    changed: set[str] = set()
    targets: dict[str, School] = {}
    for name in wanted:
        school = existing.get(name)
        if school is None:
            school = School(name=name)
            session.add(school)
            added += 1
        targets[name] = school
    session.flush()

    # 1. addresses a listed school no longer has (dropped, or moving to another listed school) go;
    for name, addresses in wanted.items():
        school = targets[name]
        for row in list(school.addresses):
            if row.address not in addresses:
                school.addresses.remove(row)
                rows_by_address.pop(row.address, None)
                changed.add(name)
    session.flush()  # deletes before inserts: the address column is unique
    # 2. every listed address is placed (new, or moved from a school not in the input).
    for address, name in owner.items():
        school = targets[name]
        row = rows_by_address.get(address)
        if row is None:
            session.add(SchoolAddress(school_id=school.id, address=address))
            changed.add(name)
        elif row.school_id != school.id:
            row.school_id = school.id
            changed.add(name)
    session.flush()
    for school in [*existing.values(), *(t for n, t in targets.items() if n not in existing)]:
        session.expire(school, ["addresses"])  # reload on next access: rows moved between schools
    updated = sum(1 for name in changed if name in existing)
    return ImportResult(added=added, updated=updated, addresses=len(owner))


@dataclass(frozen=True)
class SchoolRef:
    id: int
    name: str


def school_for_address(session: Session, address: str) -> SchoolRef | None:
    """The registered school that owns ``address`` (case-insensitive), or None."""
    key = normalise_address(address or "")
    if not key:
        return None
    row = session.execute(_SCHOOL_FOR_ADDRESS, {"address": key}).first()
    return SchoolRef(*row) if row is not None else None


_SCHOOL_FOR_ADDRESS = (
    sa.select(School.__table__.c.id, School.__table__.c.name)
    .join(SchoolAddress.__table__, SchoolAddress.__table__.c.school_id == School.__table__.c.id)
    .where(SchoolAddress.__table__.c.address == _P("address"))
)


def list_schools(session: Session) -> list[School]:
    """Every registered school with its ``addresses`` loaded, by name."""
    return list(session.exec(select(School).options(selectinload(School.addresses)).order_by(School.name)).all())


# =================================================================================================
# Submissions: filing and lookups
# =================================================================================================

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
    count = _count_receipt(_dialect(session))
    while True:
        code = format_receipt(year, session.execute(count, {"year": year}).scalar_one())
        if session.execute(_RECEIPT_TAKEN, {"receipt": code}).first() is None:
            return code


@lru_cache(maxsize=None)
def _count_receipt(dialect: str):
    table = ReceiptCounter.__table__
    insert = pg_dialect.insert if dialect == "postgresql" else sqlite_dialect.insert
    return (insert(table).values(year=_P("year"), last_seq=1)
            .on_conflict_do_update(index_elements=[table.c.year], set_={"last_seq": table.c.last_seq + 1})
            .returning(table.c.last_seq))


_RECEIPT_TAKEN = sa.select(sa.literal(1)).select_from(Submission).where(Submission.receipt == _P("receipt")).limit(1)


def latest_version(session: Session, receipt: str) -> Submission | None:
    """The newest version filed under ``receipt``, or None."""
    return session.exec(
        select(Submission).where(Submission.receipt == receipt.strip().upper())
        .order_by(col(Submission.version).desc()).limit(1)
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
    sa.select(*(Submission.__table__.c[name] for name in ("id", "receipt", "version", "school_name", "sender")))
    .where(Submission.__table__.c.content_key == _P("content_key")).order_by(Submission.__table__.c.id).limit(1)
)


def _reference_variants(references: Sequence[str]) -> list[str]:
    """Message-IDs as given and with/without angle brackets, in the given order, no blanks."""
    out: list[str] = []
    for reference in references:
        bare = (reference or "").strip().strip("<>").strip()
        if not bare:
            continue
        for variant in (_message_id(f"<{bare}>"), _message_id(bare)):
            if variant not in out:
                out.append(variant)
    return out


def find_thread_submission(session: Session, *, receipt_codes: Sequence[str],
                           reference_ids: Sequence[str]) -> str | None:
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
    by_reply = dict(session.exec(
        select(Reply.message_id, Submission.receipt)
        .join(Submission, col(Submission.id) == col(Reply.submission_id))
        .where(col(Reply.message_id).in_(references))
    ).all())
    by_submission = dict(session.exec(
        select(Submission.message_id, Submission.receipt)
        .where(col(Submission.message_id).in_(references))
        .order_by(col(Submission.id))
    ).all())
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


def file_submission(session: Session, draft: SubmissionDraft, *, year: int,
                    now: datetime | None = None) -> Submission:
    """File one mail as a submission version, with its documents, registrations, nominees, problems.

    ``draft.thread_receipt`` naming a filed receipt makes this the next version of it, and every
    earlier version not yet superseded becomes ``superseded``; otherwise a new receipt code is drawn
    for ``year``. Returns a copy of the new row (with ``id``; not attached to the session, so its
    relationships are not loaded), written but not committed.

    Raises DuplicateSubmission when a submission with the same ``content_key`` is already filed
    (checked under the lock, so two processes filing one mail at once cannot both succeed).
    """
    if draft.status not in SUBMISSION_STATUSES:
        raise ValueError(f"unknown submission status {draft.status!r}")
    now = _aware(now or utcnow(), "now")
    received_at = _aware(draft.received_at, "received_at")

    receipt: str | None = None
    version = 1
    if draft.thread_receipt:
        wanted = draft.thread_receipt.strip().upper()
        # Lock the first version of the receipt, then read its versions in a fresh statement: a
        # concurrent filing of the same receipt waits here and then sees the version just committed.
        first = session.exec(
            select(Submission.id).where(Submission.receipt == wanted)
            .order_by(col(Submission.version)).limit(1).with_for_update()
        ).first()
        if first is not None:
            _refuse_duplicate(session, draft.content_key)
            receipt = wanted
            earlier = session.exec(select(Submission).where(Submission.receipt == wanted)
                                   .execution_options(populate_existing=True)).all()
            version = max(s.version for s in earlier) + 1
            for previous in earlier:
                if previous.status != "superseded":
                    previous.status = "superseded"
                    previous.superseded_at = now
            session.flush()  # the next statements of this transaction count current versions
    if receipt is None:
        receipt = next_receipt(session, year)
        _refuse_duplicate(session, draft.content_key)

    values = dict(
        receipt=receipt,
        version=version,
        status=draft.status,
        school_id=draft.school_id,
        school_name=_nfc(draft.school_name).strip(),
        sender=_nfc(draft.sender).strip(),
        subject=_nfc(draft.subject),
        message_id=_message_id(draft.message_id),
        content_key=draft.content_key,
        mail_sha256=draft.mail_sha256,
        received_at=received_at,
        round_id=_nfc_or_none(draft.round_id),
        source_key=draft.source_key,
        created_at=now,
        superseded_at=None,
    )
    # a Core insert: the ORM's unit of work for one row cost as much as the rest of the filing
    sid = session.execute(_INSERT_SUBMISSION, values).scalar_one()
    submission = Submission(id=sid, **values)
    labels = list(draft.registration_labels)
    # Each kind of row in one statement: the ORM would send them one by one.
    _insert_rows(session, Document, [
        dict(submission_id=sid, position=position, filename=_nfc(d.filename), container=_nfc(d.container),
             kind=d.kind, detected=d.detected, sha256=d.sha256, size=d.size, failure=_nfc(d.failure), ocr=d.ocr,
             signed_copy_of=_nfc(d.signed_copy_of))
        for position, d in enumerate(draft.documents)])
    _insert_rows(session, Registration, [
        dict(submission_id=sid, position=position, values={_nfc(k): _nfc(v) for k, v in values.items()},
             labels={_nfc(k): _nfc(v) for k, v in (labels[position] if position < len(labels) else {}).items()})
        for position, values in enumerate(draft.registrations)])
    _insert_rows(session, Nominee, [
        dict(submission_id=sid, position=position, rank=n.rank, name=_nfc(n.name), category=n.category,
             category_text=_nfc(n.category_text), position_title=_nfc(n.position),
             achievements=_nfc(n.achievements), evidence=[_nfc(e) for e in n.evidence], award=_nfc(n.award),
             labels={_nfc(k): _nfc(v) for k, v in n.labels.items()})
        for position, n in enumerate(draft.nominees)])
    _insert_rows(session, Problem, [
        dict(submission_id=sid, position=position, code=p.code, severity=p.severity, field=_nfc(p.field),
             message=_nfc(p.message))
        for position, p in enumerate(draft.problems)])
    return submission


_INSERT_SUBMISSION = sa.insert(Submission.__table__).returning(Submission.__table__.c.id)


def _insert_rows(session: Session, model, rows: list[dict]) -> None:
    if rows:
        session.execute(sa.insert(model.__table__), rows)


def current_nominee_count(session: Session, *, school_id: int, round_id: str,
                          excluding_receipt: str | None) -> int:
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
    .where(Submission.__table__.c.school_id == _P("school_id"), Submission.__table__.c.round_id == _P("round_id"),
           Submission.__table__.c.status.in_(CURRENT_STATUSES))
)
_NOMINEES_OTHER_THAN = _NOMINEES.where(Submission.__table__.c.receipt != _P("receipt"))


# =================================================================================================
# `thidua submissions --json`
# =================================================================================================

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
    return [_submission_record(s, tz) for s in rows]


def _submission_record(s: Submission, tz: tzinfo) -> dict[str, Any]:
    return {
        "receipt": s.receipt,
        "version": s.version,
        "status": s.status,
        "school": _nfc(s.school_name),
        "sender": _nfc(s.sender),
        "subject": _nfc(s.subject),
        "message_id": s.message_id,
        "received_at": s.received_at.astimezone(tz).isoformat(timespec="seconds"),
        "round": _nfc_or_none(s.round_id),
        "documents": [_document_record(d) for d in s.documents],
        "registrations": [{key: _nfc(str(r.values.get(key) or "")) for key in REGISTRATION_FIELDS}
                          for r in s.registrations],
        "nominees": [
            {
                "rank": n.rank,
                "name": _nfc(n.name),
                "category": n.category,
                "position": _nfc(n.position_title),
                "achievements": _nfc(n.achievements),
                "evidence": [_nfc(e) for e in n.evidence],
                "award": _nfc(n.award),
            }
            for n in s.nominees
        ],
        "problems": [{"code": p.code, "severity": p.severity, "field": _nfc(p.field), "message": _nfc(p.message)}
                     for p in s.problems],
    }


def _document_record(d: Document) -> dict[str, Any]:
    """SPEC's three keys, then, only when they apply, ``ocr`` (read by OCR off a scan or photo)
    and ``signed_copy_of`` (the editable file a scan is the signed, stamped copy of)."""
    record: dict[str, Any] = {"filename": _nfc(d.filename), "kind": d.kind, "sha256": d.sha256}
    if d.ocr:
        record["ocr"] = True
    if d.signed_copy_of:
        record["signed_copy_of"] = _nfc(d.signed_copy_of)
    return record


# =================================================================================================
# Replies (the outbox)
# =================================================================================================

def add_reply(session: Session, *, submission_id: int | None, kind: str, to_address: str, subject: str,
              message_id: str, eml_sha256: str, status: str = "queued", reason: str = "",
              now: datetime | None = None) -> Reply:
    """Queue (or record as suppressed) a reply whose rendered message is blob ``eml_sha256``.

    ``to_address`` is stored lower-cased (it is only used for counting and for staff to read: the
    message itself, with its headers, is the blob).
    """
    if kind not in REPLY_KINDS:
        raise ValueError(f"unknown reply kind {kind!r}")
    if status not in REPLY_STATUSES:
        raise ValueError(f"unknown reply status {status!r}")
    now = _aware(now or utcnow(), "now")
    values = dict(submission_id=submission_id, kind=kind, to_address=_reply_address(to_address),
                  subject=_nfc(subject), message_id=_message_id(message_id), status=status,
                  reason=_nfc(reason), attempts=0, created_at=now, updated_at=now, eml_sha256=eml_sha256,
                  sent_at=now if status == "sent" else None, next_attempt_at=None)
    reply_id = session.execute(_ADD_REPLY, values).scalar_one()
    return Reply(id=reply_id, **values)  # a copy of the row: the outbox reads it back when it sends


_ADD_REPLY = sa.insert(Reply.__table__).returning(Reply.__table__.c.id)


def replies_to_address_since(session: Session, address: str, since: datetime) -> int:
    """How many replies (sent or queued) were made to ``address`` since ``since``; for the daily cap."""
    params = {"address": _reply_address(address), "since": _aware(since, "since")}
    return int(session.execute(_REPLIES_SINCE, params).scalar_one())


_REPLIES_SINCE = sa.select(sa.func.count(Reply.__table__.c.id)).where(
    Reply.__table__.c.to_address == _P("address"), Reply.__table__.c.status.in_(("sent", "queued")),
    Reply.__table__.c.created_at >= _P("since"))


@dataclass(frozen=True)
class DueReply:
    id: int
    eml_sha256: str
    attempts: int
    to_address: str


def due_replies(session: Session, now: datetime, limit: int, *,
                lease: timedelta | None = CLAIM_LEASE) -> list[DueReply]:
    """Queued replies whose time has come (next_attempt_at empty or past), oldest first.

    On PostgreSQL the rows are locked ``FOR UPDATE SKIP LOCKED``: a second sender running at the
    same moment gets other rows. The rows are also *claimed*: their next_attempt_at is pushed
    ``lease`` ahead, so once this transaction commits no other sender picks them up until the
    lease runs out — the caller must record the outcome with :func:`mark_reply` before then
    (a crash before that only delays the reply; it is retried after the lease). ``lease=None``
    reads without claiming.
    """
    now = _aware(now, "now")
    replies = [DueReply(*row) for row in session.execute(_due_replies(_dialect(session)), {"now": now, "limit": limit})]
    if lease is not None and replies:
        session.execute(_CLAIM_REPLIES, {"ids": [r.id for r in replies], "until": now + lease})
    return replies


@lru_cache(maxsize=None)
def _due_replies(dialect: str):
    table = Reply.__table__
    now = _P("now", type_=table.c.next_attempt_at.type)
    statement = (
        sa.select(table.c.id, table.c.eml_sha256, table.c.attempts, table.c.to_address)
        .where(table.c.status == "queued", sa.or_(table.c.next_attempt_at.is_(None), table.c.next_attempt_at <= now))
        .order_by(table.c.created_at, table.c.id)
        .limit(_P("limit", type_=sa.Integer))
    )
    return statement.with_for_update(skip_locked=True) if dialect == "postgresql" else statement


_CLAIM_REPLIES = (sa.update(Reply.__table__).where(Reply.__table__.c.id.in_(_P("ids", expanding=True)))
                  .values(next_attempt_at=_P("until")))


def mark_reply(session: Session, reply_id: int, status: str, reason: str = "",
               next_attempt_at: datetime | None = None, *, now: datetime | None = None) -> Reply:
    """Record what happened to a reply; returns a copy of its row as it is now.

    ``sent``, ``failed`` and ``queued`` (retry later at ``next_attempt_at``; None = as soon as possible)
    count as one send attempt; ``suppressed`` does not.
    """
    if status not in REPLY_STATUSES:
        raise ValueError(f"unknown reply status {status!r}")
    now = _aware(now or utcnow(), "now")
    params = {"reply_id": reply_id, "status": status, "reason": _nfc(reason), "updated_at": now,
              "next_attempt_at": _aware(next_attempt_at, "next_attempt_at") if next_attempt_at else None}
    if status == "sent":
        params["sent_at"] = now
    row = session.execute(_mark_reply(counts=status != "suppressed", sent=status == "sent"), params).first()
    if row is None:
        raise LookupError(f"no reply with id {reply_id}")
    session.expire_all()  # rows of this session read before now would show the old status
    return Reply(**row._mapping)


@lru_cache(maxsize=None)
def _mark_reply(*, counts: bool, sent: bool):
    table = Reply.__table__
    values = {name: _P(name, type_=table.c[name].type) for name in ("status", "reason", "updated_at", "next_attempt_at")}
    if counts:
        values["attempts"] = table.c.attempts + 1
    if sent:
        values["sent_at"] = _P("sent_at", type_=table.c.sent_at.type)
    return sa.update(table).where(table.c.id == _P("reply_id")).values(values).returning(*table.c)


# =================================================================================================
# Mail ledger (crash-safe intake)
# =================================================================================================

@dataclass(frozen=True)
class LedgerEntry:
    """One mail's line in the ledger, as read (a copy: changing it changes nothing)."""

    source_key: str
    content_key: str
    status: str
    attempts: int
    behind_others: bool
    last_error: str
    submission_id: int | None
    updated_at: datetime
    sender: str
    subject: str


_LEDGER = MailLedger.__table__
_LEDGER_COLUMNS = [_LEDGER.c[name] for name in LedgerEntry.__dataclass_fields__]


def _ledger_entry(row) -> LedgerEntry:
    return LedgerEntry(*row)  # the column types give aware UTC times back


def ledger_begin(session: Session, source_key: str, content_key: str, *, behind_others: bool = False,
                 now: datetime | None = None) -> LedgerEntry:
    """Note an attempt at the mail ``source_key``: create its entry or count one more attempt.

    ``behind_others``: the attempt begins while other mails are still in flight. Should it end
    unfinished (the process killed), the next attempt does not count it: the kill may have been
    any of those mails' doing."""
    params = {"source_key": source_key, "content_key": content_key, "behind_others": behind_others,
              "now": _aware(now or utcnow(), "now")}
    return _ledger_entry(session.execute(_ledger_begin(_dialect(session)), params).one())


@lru_cache(maxsize=None)
def _ledger_begin(dialect: str):
    insert = pg_dialect.insert if dialect == "postgresql" else sqlite_dialect.insert
    forgiven = sa.and_(_LEDGER.c.status == "processing", _LEDGER.c.behind_others)
    behind_others = _P("behind_others", type_=sa.Boolean)
    content_key, now = _P("content_key", type_=sa.String), _P("now", type_=_LEDGER.c.updated_at.type)
    return (
        insert(_LEDGER)
        .values(source_key=_P("source_key"), content_key=content_key, status="processing", attempts=1,
                behind_others=behind_others, last_error="", updated_at=now, sender="", subject="")
        .on_conflict_do_update(
            index_elements=[_LEDGER.c.source_key],
            set_={"attempts": sa.case((forgiven, _LEDGER.c.attempts), else_=_LEDGER.c.attempts + 1),
                  "behind_others": behind_others, "status": "processing", "content_key": content_key,
                  "updated_at": now},
        )
        .returning(*_LEDGER_COLUMNS)
    )


def ledger_finish(session: Session, source_key: str, status: str, submission_id: int | None = None,
                  error: str = "", *, sender: str = "", subject: str = "",
                  now: datetime | None = None) -> LedgerEntry:
    """Record how the attempt ended (``filed``, ``failed``, ``review``…).

    ``sender`` and ``subject`` (optional) are kept for the digest's list of mails parked for review.
    """
    if status not in LEDGER_STATUSES:
        raise ValueError(f"unknown ledger status {status!r}")
    values = {"status": status, "last_error": _nfc(error)[:4000], "updated_at": _aware(now or utcnow(), "now")}
    if submission_id is not None:
        values["submission_id"] = submission_id
    if sender:
        values["sender"] = _nfc(sender).strip()
    if subject:
        values["subject"] = _nfc(subject)
    statement = _ledger_finish(_dialect(session), tuple(values))
    return _ledger_entry(session.execute(statement, {"source_key": source_key, **values}).one())


@lru_cache(maxsize=None)
def _ledger_finish(dialect: str, names: tuple[str, ...]):
    insert = pg_dialect.insert if dialect == "postgresql" else sqlite_dialect.insert
    values = {name: _P(name, type_=_LEDGER.c[name].type) for name in names}
    # finish without begin (e.g. a mail parked before any attempt) creates the entry
    return (
        insert(_LEDGER)
        .values({"source_key": _P("source_key"), "content_key": "", "attempts": 1, "sender": "", "subject": "", **values})
        .on_conflict_do_update(index_elements=[_LEDGER.c.source_key], set_=values)
        .returning(*_LEDGER_COLUMNS)
    )


def ledger_get(session: Session, source_key: str) -> LedgerEntry | None:
    row = session.execute(_LEDGER_GET, {"source_key": source_key}).first()
    return _ledger_entry(row) if row is not None else None


_LEDGER_GET = sa.select(*_LEDGER_COLUMNS).where(_LEDGER.c.source_key == _P("source_key"))


# =================================================================================================
# Digest
# =================================================================================================

@dataclass(frozen=True)
class DigestSubmission:
    receipt: str
    version: int
    status: str
    school: str
    sender: str
    subject: str
    received_at: datetime  # UTC
    round_id: str | None
    problem_codes: tuple[str, ...]
    macro_files: tuple[str, ...] = ()  # macro-enabled Word/Excel files received (read, macros never run)


@dataclass(frozen=True)
class DigestReply:
    id: int
    submission_id: int | None
    receipt: str  # "" for replies not tied to a submission
    kind: str
    to_address: str
    subject: str
    reason: str
    attempts: int
    updated_at: datetime


@dataclass(frozen=True)
class DigestLedgerEntry:
    source_key: str
    status: str
    attempts: int
    last_error: str
    updated_at: datetime
    sender: str = ""
    subject: str = ""


@dataclass(frozen=True)
class DigestSchool:
    id: int
    name: str
    addresses: tuple[str, ...]


@dataclass(frozen=True)
class DigestData:
    since: datetime | None
    now: datetime
    new: list[DigestSubmission]  # filed in (since, now], oldest first
    late: list[DigestSubmission]  # those of ``new`` with a ``late`` problem
    rejected: list[DigestSubmission]  # those of ``new`` that were rejected
    corrections: list[DigestSubmission]  # every receipt whose newest version needs correction
    failed_replies: list[DigestReply]  # replies that failed for good in (since, now]
    review: list[DigestLedgerEntry]  # mails parked for staff review (all of them)
    missing_schools: list[DigestSchool] = field(default_factory=list)  # for ``round_id``, if given
    round_id: str | None = None
    counts: dict[str, int] = field(default_factory=dict)  # every version not superseded, by status


def _digest_submissions(session: Session, where: Sequence[Any]) -> list[DigestSubmission]:
    rows = session.exec(
        select(Submission).options(selectinload(Submission.problems), selectinload(Submission.documents))
        .where(*where).order_by(col(Submission.received_at), col(Submission.id))
    ).all()
    return [
        DigestSubmission(receipt=s.receipt, version=s.version, status=s.status, school=_nfc(s.school_name),
                         sender=s.sender, subject=_nfc(s.subject), received_at=s.received_at, round_id=s.round_id,
                         problem_codes=tuple(p.code for p in s.problems),
                         macro_files=tuple(d.filename for d in s.documents if d.detected in MACRO_ENABLED))
        for s in rows
    ]


def digest_data(session: Session, *, since: datetime | None, now: datetime,
                round_id: str | None = None) -> DigestData:
    """What the staff digest reports; ``since`` None means from the beginning."""
    now = _aware(now, "now")
    since = _aware(since, "since") if since is not None else None
    window = [Submission.created_at <= now] + ([Submission.created_at > since] if since is not None else [])
    new = _digest_submissions(session, window)

    newest = (sa.select(Submission.receipt, sa.func.max(Submission.version).label("version"))
              .group_by(Submission.receipt).subquery())
    corrections = _digest_submissions(session, [
        Submission.status == "needs_correction",
        sa.tuple_(Submission.receipt, Submission.version).in_(sa.select(newest.c.receipt, newest.c.version)),
    ])

    reply_window = [Reply.status == "failed", Reply.updated_at <= now]
    if since is not None:
        reply_window.append(Reply.updated_at > since)
    failed = session.exec(
        select(Reply, Submission.receipt).outerjoin(Submission, col(Submission.id) == col(Reply.submission_id))
        .where(*reply_window).order_by(col(Reply.updated_at), col(Reply.id))
    ).all()
    review = session.exec(select(MailLedger).where(MailLedger.status == "review")
                          .order_by(col(MailLedger.updated_at), col(MailLedger.id))).all()
    return DigestData(
        since=since,
        now=now,
        new=new,
        late=[s for s in new if "late" in s.problem_codes],
        rejected=[s for s in new if s.status == "rejected"],
        corrections=corrections,
        failed_replies=[DigestReply(id=r.id, submission_id=r.submission_id, receipt=receipt or "", kind=r.kind,
                                    to_address=r.to_address, subject=r.subject, reason=r.reason,
                                    attempts=r.attempts, updated_at=r.updated_at) for r, receipt in failed],
        review=[DigestLedgerEntry(source_key=e.source_key, status=e.status, attempts=e.attempts,
                                  last_error=e.last_error, updated_at=e.updated_at, sender=e.sender,
                                  subject=e.subject) for e in review],
        missing_schools=schools_without_submission(session, round_id) if round_id else [],
        round_id=round_id,
        counts=status_counts(session),
    )


def status_counts(session: Session) -> dict[str, int]:
    """How many submission versions are in each status, superseded ones left out."""
    rows = session.execute(
        sa.select(Submission.status, sa.func.count(Submission.id))
        .where(Submission.status != "superseded").group_by(Submission.status)
    ).all()
    return {status: int(count) for status, count in rows}


def schools_without_submission(session: Session, round_id: str) -> list[DigestSchool]:
    """Registered schools with no current (accepted / needs_correction) submission for the round."""
    has_current = (
        sa.select(Submission.id)
        .where(Submission.school_id == School.id, Submission.round_id == round_id,
               col(Submission.status).in_(CURRENT_STATUSES))
        .exists()
    )
    schools = session.exec(select(School).options(selectinload(School.addresses))
                           .where(~has_current).order_by(School.name)).all()
    return [DigestSchool(id=s.id, name=s.name, addresses=tuple(a.address for a in s.addresses)) for s in schools]


def record_digest(session: Session, sent_at: datetime) -> DigestRun:
    run = DigestRun(sent_at=_aware(sent_at, "sent_at"))
    session.add(run)
    session.flush()
    return run


def last_digest_at(session: Session) -> datetime | None:
    return session.execute(sa.select(sa.func.max(DigestRun.sent_at))).scalar_one_or_none()


# =================================================================================================
# Export
# =================================================================================================

@dataclass(frozen=True)
class ExportRow:
    school: str
    receipt: str
    version: int
    status: str
    rank: int | None
    name: str
    category: str | None
    category_text: str
    position: str
    achievements: str
    evidence: tuple[str, ...]
    award: str


def nominees_for_round(session: Session, round_id: str) -> list[ExportRow]:
    """Nominees of the round from current versions (accepted / needs_correction), by school then rank."""
    rows = session.exec(
        select(Nominee, Submission)
        .join(Submission, col(Submission.id) == col(Nominee.submission_id))
        .where(Submission.round_id == round_id, col(Submission.status).in_(CURRENT_STATUSES))
    ).all()
    keyed = []
    for n, s in rows:
        school = _nfc(s.school_name)
        row = ExportRow(school=school, receipt=s.receipt, version=s.version, status=s.status, rank=n.rank,
                        name=_nfc(n.name), category=n.category, category_text=_nfc(n.category_text),
                        position=_nfc(n.position_title), achievements=_nfc(n.achievements),
                        evidence=tuple(_nfc(e) for e in n.evidence), award=_nfc(n.award))
        keyed.append(((fold(school), school, n.rank is None, n.rank or 0, s.receipt, n.position), row))
    keyed.sort(key=lambda pair: pair[0])
    out = [row for _, row in keyed]
    return out


def reply_with_message_id(session: Session, message_id: str) -> Reply | None:
    """The outbox entry with this Message-ID, if any (reminders use it to be sent once)."""
    return session.exec(select(Reply).where(Reply.message_id == message_id)).first()
