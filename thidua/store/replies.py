"""The outbox: replies queued with their submission, claimed by one sender at a time, marked
sent, queued again or failed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa
from sqlmodel import Session, select

from thidua.clock import utcnow
from thidua.store.models import DEFAULT_OFFICE, DROPPED, HELD, REPLY_KINDS, REPLY_STATUSES, Reply, Submission
from thidua.store.reply_claims import ReplyClaimer
from thidua.store.values import CLAIM_LEASE, P, aware, dialect_of, nfc, stored_address, stored_message_id


def add_reply(
    session: Session,
    *,
    submission_id: int | None,
    kind: str,
    to_address: str,
    subject: str,
    message_id: str,
    eml_sha256: str,
    status: str = "queued",
    reason: str = "",
    now: datetime | None = None,
    office: str = DEFAULT_OFFICE,
    counts_toward_cap: bool = True,
    documents_key: str = "",
) -> Reply:
    """Queue (or record as suppressed, or hold for staff) a reply whose rendered message is blob
    ``eml_sha256``.

    ``to_address`` is stored lower-cased (it is only used for counting and for staff to read: the
    message itself, with its headers, is the blob). ``counts_toward_cap`` and ``documents_key``
    are what the daily cap reads (:func:`capped_replies_since`, :func:`documents_answered_since`).
    """
    if kind not in REPLY_KINDS:
        raise ValueError(f"unknown reply kind {kind!r}")
    if status not in REPLY_STATUSES:
        raise ValueError(f"unknown reply status {status!r}")
    now = aware(now or utcnow(), "now")
    values = dict(
        submission_id=submission_id,
        kind=kind,
        to_address=stored_address(to_address),
        subject=nfc(subject),
        message_id=stored_message_id(message_id),
        status=status,
        reason=nfc(reason),
        attempts=0,
        created_at=now,
        updated_at=now,
        eml_sha256=eml_sha256,
        sent_at=now if status == "sent" else None,
        next_attempt_at=None,
        office=office,
        counts_toward_cap=counts_toward_cap,
        documents_key=documents_key,
        claimed_by="",
        waits_for_server=False,
        handled_by="",
        handled_at=None,
    )
    reply_id = session.execute(_ADD_REPLY, values).scalar_one()
    return Reply(id=reply_id, **values)  # a copy of the row: the outbox reads it back when it sends


_ADD_REPLY = sa.insert(Reply.__table__).returning(Reply.__table__.c.id)


def replies_to_address_since(session: Session, address: str, since: datetime) -> int:
    """How many replies (sent or queued) were made to ``address`` since ``since``; for the daily cap."""
    params = {"address": stored_address(address), "since": aware(since, "since")}
    return int(session.execute(_REPLIES_SINCE, params).scalar_one())


_REPLIES_SINCE = sa.select(sa.func.count(Reply.__table__.c.id)).where(
    Reply.__table__.c.to_address == P("address"),
    Reply.__table__.c.status.in_(("sent", "queued")),
    Reply.__table__.c.created_at >= P("since"),
)


def capped_replies_since(
    session: Session, address: str, since: datetime, *, office: str = DEFAULT_OFFICE
) -> int:
    """How many replies that count toward the daily cap went (or wait to go) to ``address`` since
    ``since``: replies to mails with no document of their own, and to repeats."""
    params = {"address": stored_address(address), "since": aware(since, "since"), "office": office}
    return int(session.execute(_CAPPED_SINCE, params).scalar_one())


_CAPPED_SINCE = sa.select(sa.func.count(Reply.__table__.c.id)).where(
    Reply.__table__.c.to_address == P("address"),
    Reply.__table__.c.status.in_(("sent", "queued")),
    Reply.__table__.c.created_at >= P("since"),
    Reply.__table__.c.counts_toward_cap,
    Reply.__table__.c.office == P("office"),
)


def documents_answered_since(
    session: Session, address: str, documents_key: str, since: datetime, *, office: str = DEFAULT_OFFICE
) -> bool:
    """Whether a mail with the very same documents from ``address`` was answered since ``since``."""
    if not documents_key:
        return False
    params = {
        "address": stored_address(address),
        "since": aware(since, "since"),
        "key": documents_key,
        "office": office,
    }
    return session.execute(_ANSWERED_SINCE, params).first() is not None


_ANSWERED_SINCE = (
    sa.select(Reply.__table__.c.id)
    .where(
        Reply.__table__.c.to_address == P("address"),
        Reply.__table__.c.documents_key == P("key"),
        Reply.__table__.c.created_at >= P("since"),
        Reply.__table__.c.office == P("office"),
    )
    .limit(1)
)


@dataclass(frozen=True)
class DueReply:
    id: int
    eml_sha256: str
    attempts: int
    to_address: str


def due_replies(
    session: Session,
    now: datetime,
    limit: int,
    *,
    lease: timedelta | None = CLAIM_LEASE,
    claimer: ReplyClaimer | None = None,
    waiting_for_server: bool = False,
) -> list[DueReply]:
    """Queued replies whose time has come (next_attempt_at empty or past), oldest first.

    On PostgreSQL the rows are locked ``FOR UPDATE SKIP LOCKED``: a second sender running at the
    same moment gets other rows. The rows are also *claimed*: their next_attempt_at is pushed
    ``lease`` ahead, so once this transaction commits no other sender picks them up until the
    lease runs out — the caller must record the outcome with :func:`mark_reply` before then.
    With a ``claimer`` the claim names it, and a claim whose claimer is gone (killed in the
    middle of a send) is due at once instead of after its lease. ``lease=None`` reads without
    claiming. ``waiting_for_server``: also the oldest reply waiting for the office's mail server
    after an outage, due or not (to see whether the server answers again).
    """
    now = aware(now, "now")
    gone: list[str] = []
    if claimer is not None:
        claimer.hold()
        held_elsewhere = session.execute(_CLAIMERS_OF_WAITING, {"now": now}).scalars().all()
        gone = claimer.gone(session, list(held_elsewhere))
    params = {"now": now, "limit": limit, **({"gone": gone} if gone else {})}
    statement = _due_replies(
        dialect_of(session), waiting_for_server=waiting_for_server, taking_over=bool(gone)
    )
    replies = [DueReply(*row) for row in session.execute(statement, params)]
    if lease is not None and replies:
        session.execute(
            _CLAIM_REPLIES,
            {
                "ids": [r.id for r in replies],
                "until": now + lease,
                "claimer": claimer.identity if claimer is not None else "",
            },
        )
    return replies


_CLAIMERS_OF_WAITING = (
    sa.select(Reply.__table__.c.claimed_by)
    .distinct()
    .where(
        Reply.__table__.c.status == "queued",
        Reply.__table__.c.next_attempt_at > P("now"),
        Reply.__table__.c.claimed_by != "",
    )
)


@cache
def _due_replies(dialect: str, *, waiting_for_server: bool, taking_over: bool):
    table = Reply.__table__
    now = P("now", type_=table.c.next_attempt_at.type)
    due = sa.or_(table.c.next_attempt_at.is_(None), table.c.next_attempt_at <= now)
    if taking_over:  # claims of senders that are gone
        due = sa.or_(due, table.c.claimed_by.in_(P("gone", expanding=True)))
    if waiting_for_server:
        due = sa.or_(due, sa.and_(table.c.waits_for_server, table.c.claimed_by == ""))
    statement = (
        sa.select(table.c.id, table.c.eml_sha256, table.c.attempts, table.c.to_address)
        .where(table.c.status == "queued", due)
        .order_by(table.c.created_at, table.c.id)
        .limit(P("limit", type_=sa.Integer))
    )
    return statement.with_for_update(skip_locked=True) if dialect == "postgresql" else statement


_CLAIM_REPLIES = (
    sa.update(Reply.__table__)
    .where(Reply.__table__.c.id.in_(P("ids", expanding=True)))
    .values(next_attempt_at=P("until"), claimed_by=P("claimer"))
)


def mark_reply(
    session: Session,
    reply_id: int,
    status: str,
    reason: str = "",
    next_attempt_at: datetime | None = None,
    *,
    now: datetime | None = None,
    waits_for_server: bool = False,
) -> Reply:
    """Record what happened to a reply (its claim ends); returns a copy of its row as it is now.

    ``sent``, ``failed`` and ``queued`` (retry later at ``next_attempt_at``; None = as soon as possible)
    count as one send attempt; ``suppressed`` does not. ``waits_for_server``: queued because the
    office's mail server is out, not for anything of this reply's own.
    """
    if status not in REPLY_STATUSES:
        raise ValueError(f"unknown reply status {status!r}")
    now = aware(now or utcnow(), "now")
    params = {
        "reply_id": reply_id,
        "status": status,
        "reason": nfc(reason),
        "updated_at": now,
        "next_attempt_at": aware(next_attempt_at, "next_attempt_at") if next_attempt_at else None,
        "waits_for_server": waits_for_server,
    }
    if status == "sent":
        params["sent_at"] = now
    row = session.execute(_mark_reply(counts=status != "suppressed", sent=status == "sent"), params).first()
    if row is None:
        raise LookupError(f"no reply with id {reply_id}")
    session.expire_all()  # rows of this session read before now would show the old status
    return Reply(**row._mapping)


@cache
def _mark_reply(*, counts: bool, sent: bool):
    table = Reply.__table__
    names = ("status", "reason", "updated_at", "next_attempt_at", "waits_for_server")
    values = {name: P(name, type_=table.c[name].type) for name in names}
    values["claimed_by"] = ""
    if counts:
        values["attempts"] = table.c.attempts + 1
    if sent:
        values["sent_at"] = P("sent_at", type_=table.c.sent_at.type)
    return sa.update(table).where(table.c.id == P("reply_id")).values(values).returning(*table.c)


def release_replies_waiting_for_server(session: Session) -> int:
    """The mail server answers again: every reply queued by its outage is due now (those another
    sender has claimed meanwhile excepted). How many were waiting."""
    return session.execute(_RELEASE_WAITING).rowcount


_RELEASE_WAITING = (
    sa.update(Reply.__table__)
    .where(
        Reply.__table__.c.status == "queued",
        Reply.__table__.c.waits_for_server,
        Reply.__table__.c.claimed_by == "",
    )
    .values(next_attempt_at=None, waits_for_server=False)
)


def reply_with_message_id(session: Session, message_id: str) -> Reply | None:
    """The outbox entry with this Message-ID, if any (reminders use it to be sent once)."""
    return session.exec(select(Reply).where(Reply.message_id == message_id)).first()


# -- replies held by the daily cap, for staff to send or drop -----------------------------------


@dataclass(frozen=True)
class HeldReply:
    id: int
    receipt: str  # "" for a reply not tied to a submission
    kind: str
    to_address: str
    subject: str
    reason: str  # why it is held, in staff's words
    created_at: datetime
    eml_sha256: str  # the message as it would go


def held_replies(
    session: Session, *, office: str = DEFAULT_OFFICE, limit: int | None = None
) -> list[HeldReply]:
    """Replies held by the daily cap, oldest first."""
    table, submissions = Reply.__table__, Submission.__table__
    statement = (
        sa.select(
            table.c.id,
            sa.func.coalesce(submissions.c.receipt, ""),
            table.c.kind,
            table.c.to_address,
            table.c.subject,
            table.c.reason,
            table.c.created_at,
            table.c.eml_sha256,
        )
        .select_from(table.outerjoin(submissions, submissions.c.id == table.c.submission_id))
        .where(table.c.status == HELD, table.c.office == office)
        .order_by(table.c.created_at, table.c.id)
    )
    if limit is not None:
        statement = statement.limit(limit)
    return [HeldReply(*row) for row in session.execute(statement)]


class NotHeld(LookupError):
    """No reply ``reply_id`` is held: ``status`` is what it is instead (None: there is no such reply)."""

    def __init__(self, reply_id: int, status: str | None) -> None:
        super().__init__(f"reply {reply_id} is not held" if status else f"no reply with id {reply_id}")
        self.reply_id = reply_id
        self.status = status


def release_held_reply(
    session: Session, reply_id: int, actor: str, *, office: str = DEFAULT_OFFICE, now: datetime | None = None
) -> Reply:
    """Staff let a held reply go: it is queued, due at once (the caller's outbox sends it).
    Raises :class:`NotHeld` when the reply is unknown or not held (sent or dropped meanwhile)."""
    return _decide(session, reply_id, "queued", actor, office, now)


def drop_held_reply(
    session: Session, reply_id: int, actor: str, *, office: str = DEFAULT_OFFICE, now: datetime | None = None
) -> Reply:
    """Staff discard a held reply; it stays in the outbox as ``dropped``, with who and when.
    Raises :class:`NotHeld` when the reply is unknown or not held."""
    return _decide(session, reply_id, DROPPED, actor, office, now)


def _decide(
    session: Session, reply_id: int, status: str, actor: str, office: str, now: datetime | None
) -> Reply:
    now = aware(now or utcnow(), "now")
    params = {
        "reply_id": reply_id,
        "for_office": office,
        "new_status": status,
        "actor": nfc(actor),
        "now": now,
    }
    # One statement: of two staff deciding at once, the second finds it no longer held.
    row = session.execute(_DECIDE, params).first()
    if row is None:
        found = session.execute(_STATUS_OF, params).scalar_one_or_none()
        raise NotHeld(reply_id, found)
    session.expire_all()
    return Reply(**row._mapping)


_DECIDE = (
    sa.update(Reply.__table__)
    .where(
        Reply.__table__.c.id == P("reply_id"),
        Reply.__table__.c.status == HELD,
        Reply.__table__.c.office == P("for_office"),
    )
    .values(
        status=P("new_status"),
        handled_by=P("actor"),
        handled_at=P("now"),
        updated_at=P("now"),
        next_attempt_at=None,
    )
    .returning(*Reply.__table__.c)
)
_STATUS_OF = sa.select(Reply.__table__.c.status).where(
    Reply.__table__.c.id == P("reply_id"), Reply.__table__.c.office == P("for_office")
)
