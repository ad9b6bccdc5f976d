"""The outbox: replies queued with their submission, claimed by one sender at a time, marked
sent, queued again or failed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from sqlmodel import Session, select

from thidua.clock import utcnow
from thidua.store.models import REPLY_KINDS, REPLY_STATUSES, Reply
from thidua.store.values import CLAIM_LEASE, P, aware, dialect_of, nfc, stored_address, stored_message_id


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
    now = aware(now or utcnow(), "now")
    values = dict(submission_id=submission_id, kind=kind, to_address=stored_address(to_address),
                  subject=nfc(subject), message_id=stored_message_id(message_id), status=status,
                  reason=nfc(reason), attempts=0, created_at=now, updated_at=now, eml_sha256=eml_sha256,
                  sent_at=now if status == "sent" else None, next_attempt_at=None)
    reply_id = session.execute(_ADD_REPLY, values).scalar_one()
    return Reply(id=reply_id, **values)  # a copy of the row: the outbox reads it back when it sends


_ADD_REPLY = sa.insert(Reply.__table__).returning(Reply.__table__.c.id)


def replies_to_address_since(session: Session, address: str, since: datetime) -> int:
    """How many replies (sent or queued) were made to ``address`` since ``since``; for the daily cap."""
    params = {"address": stored_address(address), "since": aware(since, "since")}
    return int(session.execute(_REPLIES_SINCE, params).scalar_one())


_REPLIES_SINCE = sa.select(sa.func.count(Reply.__table__.c.id)).where(
    Reply.__table__.c.to_address == P("address"), Reply.__table__.c.status.in_(("sent", "queued")),
    Reply.__table__.c.created_at >= P("since"))


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
    now = aware(now, "now")
    replies = [DueReply(*row) for row in session.execute(_due_replies(dialect_of(session)), {"now": now, "limit": limit})]
    if lease is not None and replies:
        session.execute(_CLAIM_REPLIES, {"ids": [r.id for r in replies], "until": now + lease})
    return replies


@lru_cache(maxsize=None)
def _due_replies(dialect: str):
    table = Reply.__table__
    now = P("now", type_=table.c.next_attempt_at.type)
    statement = (
        sa.select(table.c.id, table.c.eml_sha256, table.c.attempts, table.c.to_address)
        .where(table.c.status == "queued", sa.or_(table.c.next_attempt_at.is_(None), table.c.next_attempt_at <= now))
        .order_by(table.c.created_at, table.c.id)
        .limit(P("limit", type_=sa.Integer))
    )
    return statement.with_for_update(skip_locked=True) if dialect == "postgresql" else statement


_CLAIM_REPLIES = (sa.update(Reply.__table__).where(Reply.__table__.c.id.in_(P("ids", expanding=True)))
                  .values(next_attempt_at=P("until")))


def mark_reply(session: Session, reply_id: int, status: str, reason: str = "",
               next_attempt_at: datetime | None = None, *, now: datetime | None = None) -> Reply:
    """Record what happened to a reply; returns a copy of its row as it is now.

    ``sent``, ``failed`` and ``queued`` (retry later at ``next_attempt_at``; None = as soon as possible)
    count as one send attempt; ``suppressed`` does not.
    """
    if status not in REPLY_STATUSES:
        raise ValueError(f"unknown reply status {status!r}")
    now = aware(now or utcnow(), "now")
    params = {"reply_id": reply_id, "status": status, "reason": nfc(reason), "updated_at": now,
              "next_attempt_at": aware(next_attempt_at, "next_attempt_at") if next_attempt_at else None}
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
    values = {name: P(name, type_=table.c[name].type) for name in ("status", "reason", "updated_at", "next_attempt_at")}
    if counts:
        values["attempts"] = table.c.attempts + 1
    if sent:
        values["sent_at"] = P("sent_at", type_=table.c.sent_at.type)
    return sa.update(table).where(table.c.id == P("reply_id")).values(values).returning(*table.c)


def reply_with_message_id(session: Session, message_id: str) -> Reply | None:
    """The outbox entry with this Message-ID, if any (reminders use it to be sent once)."""
    return session.exec(select(Reply).where(Reply.message_id == message_id)).first()
