"""One current list per school and round (SPEC): which earlier submissions a new list or a new
registration replaces, and the distinct nominees a school has for a round, for the quota.

Every lookup goes through the index on (school, round) and the per-submission indexes of
documents, nominees and registrations: a school's own submissions for one round, never a scan.
Two daemons filing lists of one school at once must not both find "no current list": the
caller first takes :func:`lock_school_round` (a PostgreSQL advisory lock held to the end of the
transaction; SQLite's ``BEGIN IMMEDIATE`` already lets one writer in at a time).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from thidua.store.models import CURRENT_STATUSES, Document, Nominee, Registration, Submission
from thidua.store.values import P, dialect_of
from thidua.text import fold, nominee_identity

_submissions = Submission.__table__
_documents = Document.__table__
_nominees = Nominee.__table__
_registrations = Registration.__table__


def school_round_lock_key(school_id: int, round_id: str) -> int:
    """The advisory lock key (a signed 64-bit integer) of a school's round."""
    digest = hashlib.blake2b(
        f"{school_id}\x1f{round_id}".encode(), digest_size=8, person=b"thidua-list"
    ).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_school_round(session: Session, *, school_id: int, round_id: str) -> None:
    """Hold the school's round until the transaction ends (PostgreSQL; a no-op on SQLite, whose
    transactions here all begin with the write lock)."""
    if dialect_of(session) == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(school_round_lock_key(school_id, round_id))))


@dataclass(frozen=True)
class CurrentSubmission:
    receipt: str
    version: int
    received_at: datetime


_CURRENT_OF_KIND = (
    sa.select(_submissions.c.receipt, _submissions.c.version, _submissions.c.received_at)
    .where(
        _submissions.c.school_id == P("school_id"),
        _submissions.c.round_id == P("round_id"),
        _submissions.c.status.in_(CURRENT_STATUSES),
        _submissions.c.ad_hoc == P("ad_hoc"),
        sa.exists().where(_documents.c.submission_id == _submissions.c.id, _documents.c.kind == P("kind")),
    )
    .order_by(_submissions.c.received_at, _submissions.c.id)
)


def current_lists(session: Session, *, school_id: int, round_id: str) -> list[CurrentSubmission]:
    """The school's current submissions for the round that carry a nomination list (ad-hoc lists
    aside), oldest first: together they are its current list."""
    params = {"school_id": school_id, "round_id": round_id, "ad_hoc": False, "kind": "nomination_list"}
    return [CurrentSubmission(*row) for row in session.execute(_CURRENT_OF_KIND, params)]


def registrations_replaced(
    session: Session, *, school_id: int, round_id: str, people: Iterable[str]
) -> list[CurrentSubmission]:
    """The school's current registration submissions for the round whose every registered person
    is among ``people`` (full names, compared like nominees' names): a new registration of those
    people replaces them. A submission that also registers someone else stays current."""
    wanted = {fold(name) for name in people if fold(name)}
    if not wanted:
        return []
    params = {"school_id": school_id, "round_id": round_id, "ad_hoc": False, "kind": "registration"}
    found = [CurrentSubmission(*row) for row in session.execute(_CURRENT_OF_KIND, params)]
    if not found:
        return []
    rows = session.execute(
        sa.select(_submissions.c.receipt, _registrations.c["values"])
        .join(_registrations, _registrations.c.submission_id == _submissions.c.id)
        .where(
            _submissions.c.school_id == school_id,
            _submissions.c.round_id == round_id,
            _submissions.c.status.in_(CURRENT_STATUSES),
            _submissions.c.receipt.in_([s.receipt for s in found]),
        )
    ).all()
    people_of: dict[str, set[str]] = {}
    for receipt, values in rows:
        people_of.setdefault(receipt, set()).add(fold((values or {}).get("full_name", "")))
    return [s for s in found if people_of.get(s.receipt) and people_of[s.receipt] <= wanted]


def nominee_identities(
    session: Session, *, school_id: int, round_id: str, excluding_receipts: Sequence[str] = ()
) -> frozenset[tuple[str, str]]:
    """The distinct nominees (see :func:`thidua.text.nominee_identity`) of the school's current
    submissions for the round, ad-hoc lists left out (they never count toward the quota), nor
    the receipts being replaced."""
    query = (
        sa.select(_nominees.c.name, _nominees.c.category)
        .join(_submissions, _submissions.c.id == _nominees.c.submission_id)
        .where(
            _submissions.c.school_id == school_id,
            _submissions.c.round_id == round_id,
            _submissions.c.status.in_(CURRENT_STATUSES),
            _submissions.c.ad_hoc.is_(sa.false()),
        )
    )
    if excluding_receipts:
        query = query.where(_submissions.c.receipt.not_in([r.strip().upper() for r in excluding_receipts]))
    return frozenset(nominee_identity(name, category) for name, category in session.execute(query))


def supersede_receipts(session: Session, receipts: Sequence[str], *, now: datetime) -> int:
    """Mark every current version of ``receipts`` superseded (a full list replaced them)."""
    if not receipts:
        return 0
    return session.execute(
        sa.update(_submissions)
        .where(
            _submissions.c.receipt.in_([r.strip().upper() for r in receipts]),
            _submissions.c.status != "superseded",
        )
        .values(status="superseded", superseded_at=now)
    ).rowcount
