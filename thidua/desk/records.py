"""Submissions as the desk shows them: loaded with their parts, as the SPEC's JSON (built by the
store's ``complete_records``, the same as ``thidua submissions --json``), and the wording the
school's own file used for a field."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from thidua.notifier.views import DEFAULT_TIMEZONE
from thidua.store.models import Submission
from thidua.store.submission_records import complete_records
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


def school_label(field: str, submission: Submission) -> str:
    """The wording the school's own file used for the field a problem is about ("" when none)."""
    key = field.rsplit(".", 1)[-1]
    for part in (*submission.registrations, *submission.nominees):
        if key in part.labels:
            return nfc(part.labels[key])
    return ""


def submission_records(
    session: Session, office: str, submissions: Sequence[Submission], tz: tzinfo
) -> list[dict[str, Any]]:
    """The SPEC's record of each submission (parts loaded, see ``load_submissions``)."""
    return complete_records(session, office, submissions, tz)
