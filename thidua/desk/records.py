"""A submission version as the SPEC's JSON (``thidua submissions --json``), with what the desk adds:
each nominee's ``id``, ``signed_copy`` (``"scan"``, ``"paper"`` or null) and ``decisions``.

The base record is the store's own (one home for the JSON); this module only completes it, with
one query per kind of addition whatever the number of submissions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from thidua.notifier.views import DEFAULT_TIMEZONE
from thidua.store import audit
from thidua.store.selection import outcome_fields
from thidua.store.models import Decision
from thidua.store.models import Submission
from thidua.store.submission_records import submission_record
from thidua.text import nfc

NEWEST_FIRST = (col(Submission.received_at).desc(), col(Submission.id).desc())


def load_submissions(session: Session, ids: Sequence[int]) -> list[Submission]:
    """The submissions ``ids`` with their parts loaded, in the order of ``ids``."""
    if not ids:
        return []
    rows = session.exec(
        select(Submission)
        .where(col(Submission.id).in_(list(ids)))
        .options(
            selectinload(Submission.documents),
            selectinload(Submission.registrations),
            selectinload(Submission.nominees),
            selectinload(Submission.problems),
        )
    ).all()
    by_id = {row.id: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


OFFICE_TZ = ZoneInfo(DEFAULT_TIMEZONE)  # the JSON's times when the caller names no time zone
NO_OUTCOME = {"review": None, "selected": False, "proposed_award": None}


def nominee_outcomes(session: Session, office: str, nominee_ids: list[int], tz: tzinfo) -> dict[int, dict]:
    """Each nominee's ``review``, ``selected`` and ``proposed_award`` (SPEC)."""
    return outcome_fields(session, office=office, nominee_ids=nominee_ids, tz=tz)


def school_label(field: str, submission: Submission) -> str:
    """The wording the school's own file used for the field a problem is about ("" when none)."""
    key = field.rsplit(".", 1)[-1]
    for part in (*submission.registrations, *submission.nominees):
        if key in part.labels:
            return nfc(part.labels[key])
    return ""


def decision_record(decision: Decision, tz: tzinfo) -> dict[str, Any]:
    return {
        "action": decision.action,
        "note": decision.note,
        "items": list(decision.items),
        "by": decision.decided_by,
        "at": decision.at.astimezone(tz).isoformat(timespec="seconds"),
        "version": decision.version,
    }


def submission_records(
    session: Session, office: str, submissions: Sequence[Submission], tz: tzinfo
) -> list[dict[str, Any]]:
    """The SPEC's record of each submission (parts loaded, see ``load_submissions``)."""
    receipts = sorted({s.receipt for s in submissions})
    decisions = audit.decisions_for(session, office, receipts)
    on_paper = audit.paper_copies(session, office, receipts)
    outcomes = nominee_outcomes(session, office, [n.id for s in submissions for n in s.nominees], tz)
    records = []
    for submission in submissions:
        record = submission_record(submission, tz)
        for entry, nominee in zip(record["nominees"], submission.nominees):
            entry["id"] = nominee.id
            entry.update(outcomes.get(nominee.id, NO_OUTCOME))
        if any(d.signed_copy_of for d in submission.documents):
            record["signed_copy"] = "scan"
        else:
            record["signed_copy"] = "paper" if submission.receipt in on_paper else None
        record["decisions"] = [decision_record(d, tz) for d in decisions[submission.receipt]]
        records.append(record)
    return records
