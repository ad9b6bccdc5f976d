"""The mail ledger: every attempt at a mail noted before any work, so that intake is crash-safe
(a mail that kills the process is counted, and parked after too many attempts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlmodel import Session

from thidua.clock import utcnow
from thidua.store.models import LEDGER_STATUSES, MailLedger
from thidua.store.values import P, aware, dialect_of, nfc


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


def ledger_begin(
    session: Session,
    source_key: str,
    content_key: str,
    *,
    behind_others: bool = False,
    now: datetime | None = None,
) -> LedgerEntry:
    """Note an attempt at the mail ``source_key``: create its entry or count one more attempt.

    ``behind_others``: the attempt begins while other mails are still in flight. Should it end
    unfinished (the process killed), the next attempt does not count it: the kill may have been
    any of those mails' doing."""
    params = {
        "source_key": source_key,
        "content_key": content_key,
        "behind_others": behind_others,
        "now": aware(now or utcnow(), "now"),
    }
    return _ledger_entry(session.execute(_ledger_begin(dialect_of(session)), params).one())


@cache
def _ledger_begin(dialect: str):
    insert = pg_dialect.insert if dialect == "postgresql" else sqlite_dialect.insert
    forgiven = sa.and_(_LEDGER.c.status == "processing", _LEDGER.c.behind_others)
    behind_others = P("behind_others", type_=sa.Boolean)
    content_key, now = P("content_key", type_=sa.String), P("now", type_=_LEDGER.c.updated_at.type)
    return (
        insert(_LEDGER)
        .values(
            source_key=P("source_key"),
            content_key=content_key,
            status="processing",
            attempts=1,
            behind_others=behind_others,
            last_error="",
            updated_at=now,
            sender="",
            subject="",
        )
        .on_conflict_do_update(
            index_elements=[_LEDGER.c.source_key],
            set_={
                "attempts": sa.case((forgiven, _LEDGER.c.attempts), else_=_LEDGER.c.attempts + 1),
                "behind_others": behind_others,
                "status": "processing",
                "content_key": content_key,
                "updated_at": now,
            },
        )
        .returning(*_LEDGER_COLUMNS)
    )


def ledger_finish(
    session: Session,
    source_key: str,
    status: str,
    submission_id: int | None = None,
    error: str = "",
    *,
    sender: str = "",
    subject: str = "",
    now: datetime | None = None,
) -> LedgerEntry:
    """Record how the attempt ended (``filed``, ``failed``, ``review``…).

    ``sender`` and ``subject`` (optional) are kept for the digest's list of mails parked for review.
    """
    if status not in LEDGER_STATUSES:
        raise ValueError(f"unknown ledger status {status!r}")
    values = {"status": status, "last_error": nfc(error)[:4000], "updated_at": aware(now or utcnow(), "now")}
    if submission_id is not None:
        values["submission_id"] = submission_id
    if sender:
        values["sender"] = nfc(sender).strip()
    if subject:
        values["subject"] = nfc(subject)
    statement = _ledger_finish(dialect_of(session), tuple(values))
    return _ledger_entry(session.execute(statement, {"source_key": source_key, **values}).one())


@cache
def _ledger_finish(dialect: str, names: tuple[str, ...]):
    insert = pg_dialect.insert if dialect == "postgresql" else sqlite_dialect.insert
    values = {name: P(name, type_=_LEDGER.c[name].type) for name in names}
    # finish without begin (e.g. a mail parked before any attempt) creates the entry
    return (
        insert(_LEDGER)
        .values(
            {
                "source_key": P("source_key"),
                "content_key": "",
                "attempts": 1,
                "sender": "",
                "subject": "",
                **values,
            }
        )
        .on_conflict_do_update(index_elements=[_LEDGER.c.source_key], set_=values)
        .returning(*_LEDGER_COLUMNS)
    )


def ledger_get(session: Session, source_key: str) -> LedgerEntry | None:
    row = session.execute(_LEDGER_GET, {"source_key": source_key}).first()
    return _ledger_entry(row) if row is not None else None


_LEDGER_GET = sa.select(*_LEDGER_COLUMNS).where(_LEDGER.c.source_key == P("source_key"))
