"""Which schools have been told the outcome of a round (công khai), each once.

A school is claimed for a round before its mail is queued, with an insert that does nothing when
the row is already there, so two clerks pressing the button at the same moment (or the desk and
``thidua results --send``) send one mail. Every function filters by ``office``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from thidua.store.models import ResultsSent
from thidua.text import nfc

_sent = ResultsSent.__table__


@dataclass(frozen=True)
class SentResults:
    school_id: int
    school_name: str
    sent_at: datetime
    reply_id: int | None


def sent_for_round(session: Session, *, office: str, round_id: str) -> dict[int, SentResults]:
    """The schools already told the outcome of ``round_id``, by school id."""
    rows = session.execute(
        sa.select(_sent).where(_sent.c.office == office, _sent.c.round_id == round_id)
    ).all()
    return {
        row.school_id: SentResults(row.school_id, row.school_name, row.sent_at, row.reply_id) for row in rows
    }


def claim_school(
    session: Session, *, office: str, round_id: str, school_id: int, school_name: str, at: datetime
) -> bool:
    """Mark the school as told for the round; False when it already was (then send nothing)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    done = session.execute(
        insert(_sent)
        .values(
            office=office, round_id=round_id, school_id=school_id, school_name=nfc(school_name), sent_at=at
        )
        .on_conflict_do_nothing(index_elements=["office", "round_id", "school_id"])
        .returning(_sent.c.id)
    )
    return done.scalar_one_or_none() is not None  # rowcount is not reliable here on psycopg


def set_reply(session: Session, *, office: str, round_id: str, school_id: int, reply_id: int) -> None:
    """The reply that carried the school's outcome (queued in the outbox)."""
    session.execute(
        sa.update(_sent)
        .where(_sent.c.office == office, _sent.c.round_id == round_id, _sent.c.school_id == school_id)
        .values(reply_id=reply_id)
    )
