"""Who registered an innovation in a school year, and whether a report of the school covers it.

A school's results report (a document of kind ``report``) names the people whose registrations it
reports on (``documents.people``, read by ``parsers/forms/people.py``). A registration is reported
when a current report of the same school, in the rounds asked for, names the person (compared by
:func:`thidua.text.person_key`, as nominees are across lists), or when a report of the
school names nobody at all: such a report covers the school as a whole, as before names were read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from thidua.store.models import CURRENT_STATUSES, Document, Registration, School, Submission
from thidua.text import fold, person_key

_sub = Submission.__table__
_reg = Registration.__table__
_doc = Document.__table__
_school = School.__table__


@dataclass(frozen=True)
class RegistrantRow:
    school_id: int | None
    school: str
    full_name: str
    innovation_area: str
    receipt: str = ""  # the submission that carried the (latest) registration


@dataclass(frozen=True)
class SchoolReports:
    """What a school's current reports in the rounds cover."""

    named: frozenset[str]  # person keys of everyone its reports name
    covers_all: bool  # a report of the school names nobody: the school reported as a whole


def school_key(school_id: int | None, school_name: str) -> tuple:
    """A registered school by its id; an unregistered sender's by the name its files gave."""
    return (school_id, "") if school_id is not None else (None, fold(school_name))


def registrants(session: Session, round_ids: Sequence[str]) -> list[RegistrantRow]:
    """Distinct people registered in the rounds (a newer registration of a person replaces hers),
    by school then name."""
    rows = session.execute(
        sa.select(
            _reg.c["values"].label("answers"),
            _sub.c.school_id,
            _sub.c.school_name,
            _sub.c.receipt,
            sa.func.coalesce(_school.c.name, _sub.c.school_name).label("school"),
        )
        .join(_sub, _sub.c.id == _reg.c.submission_id)
        .outerjoin(_school, _school.c.id == _sub.c.school_id)
        .where(_sub.c.round_id.in_(list(round_ids)), _sub.c.status.in_(CURRENT_STATUSES))
        .order_by(_sub.c.received_at, _sub.c.id, _reg.c.position)
    ).all()
    people: dict[tuple, RegistrantRow] = {}
    for row in rows:
        values = row.answers or {}
        name = values.get("full_name", "")
        people[(school_key(row.school_id, row.school_name), person_key(name))] = RegistrantRow(
            school_id=row.school_id,
            school=row.school,
            full_name=name,
            innovation_area=values.get("innovation_area", ""),
            receipt=row.receipt,
        )
    return sorted(people.values(), key=lambda r: (fold(r.school), fold(r.full_name)))


def school_reports(session: Session, round_ids: Sequence[str]) -> dict[tuple, SchoolReports]:
    """Per school (:func:`school_key`) that sent a current report in the rounds: whom its reports name."""
    rows = session.execute(
        sa.select(_sub.c.school_id, _sub.c.school_name, _doc.c.people)
        .join(_sub, _sub.c.id == _doc.c.submission_id)
        .where(
            _doc.c.kind == "report",
            _sub.c.round_id.in_(list(round_ids)),
            _sub.c.status.in_(CURRENT_STATUSES),
        )
    ).all()
    named: dict[tuple, set[str]] = {}
    covers_all: dict[tuple, bool] = {}
    for row in rows:
        key = school_key(row.school_id, row.school_name)
        people = [person_key(p) for p in row.people or [] if person_key(p)]
        named.setdefault(key, set()).update(people)
        covers_all[key] = covers_all.get(key, False) or not people
    return {key: SchoolReports(frozenset(named[key]), covers_all[key]) for key in named}


def is_reported(registrant: RegistrantRow, reports: dict[tuple, SchoolReports]) -> bool:
    found = reports.get(school_key(registrant.school_id, registrant.school))
    if found is None:
        return False
    return found.covers_all or person_key(registrant.full_name) in found.named


def registrations_without_report(session: Session, *, round_ids: Sequence[str]) -> list[RegistrantRow]:
    """The people registered in the rounds (a school year's) whom no report of their school covers,
    by school then name: for the results report and the desk."""
    reports = school_reports(session, round_ids)
    return [r for r in registrants(session, round_ids) if not is_reported(r, reports)]
