"""The figures of a round or a school year, for the results report, the official list and the
outcome each school is told (``thidua report``, ``export --selected``, ``results``).

Everything is read from the current submissions (accepted / needs correction) of the rounds asked
for, in a handful of grouped queries, whatever the number of schools. A school's nominees are the
distinct people of its current lists in a round (SPEC: name and category, the latest entry stands);
reviews and selections are those of ``office``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session

from thidua.store.models import (
    CURRENT_STATUSES,
    Document,
    Nominee,
    NomineeReview,
    NomineeSelection,
    Problem,
    School,
    Submission,
)
from thidua.store.registrants import RegistrantRow, is_reported, registrants, school_key, school_reports
from thidua.text import fold, nominee_identity

_sub = Submission.__table__
_nom = Nominee.__table__
_doc = Document.__table__
_prob = Problem.__table__
_rev = NomineeReview.__table__
_sel = NomineeSelection.__table__
_school = School.__table__


@dataclass(frozen=True)
class NomineeOutcome:
    """One distinct nominee of a school in a round, with what the office decided."""

    id: int
    school_id: int | None
    school: str
    round_id: str
    rank: int | None
    name: str
    category: str | None
    category_text: str
    position: str
    achievements: str
    evidence: str | None  # the verdict that stands: "ok", "insufficient" or None (not reviewed)
    review_note: str
    award_id: str | None  # the award form it is selected for, None when not selected
    unit: str | None = None  # the unit an office's list named on the row (the nominee's school)


@dataclass
class SchoolFigures:
    school_id: int | None
    school: str
    registrations: int = 0  # distinct people who registered
    lists: int = 0  # current submissions carrying a nomination list
    reports: int = 0  # current submissions carrying a results report
    nominees: Counter = field(default_factory=Counter)  # by category key ("" when unknown)
    accepted: int = 0
    needs_correction: int = 0
    late: int = 0
    reviewed: int = 0
    evidence_ok: int = 0
    selected: Counter = field(default_factory=Counter)  # by award id


@dataclass(frozen=True)
class Results:
    schools: list[SchoolFigures]  # every registered school (sent nothing: zeros), by name
    nominees: list[NomineeOutcome]  # by school, then rank
    unreported: list[RegistrantRow]  # people registered whom no report of their school covers


# -- the nominees -------------------------------------------------------------------------------------


def _latest_review(office: str) -> sa.Subquery:
    newest = (
        sa.select(sa.func.max(_rev.c.id).label("id"))
        .where(_rev.c.office == office)
        .group_by(_rev.c.nominee_id)
        .subquery()
    )
    return (
        sa.select(_rev.c.nominee_id, _rev.c.evidence, _rev.c.note)
        .join(newest, newest.c.id == _rev.c.id)
        .subquery()
    )


def nominee_outcomes(session: Session, *, office: str, round_ids: Sequence[str]) -> list[NomineeOutcome]:
    """Each school's distinct nominees in the rounds, with their verdict and selection, by school then rank.

    A person listed again (a corrected or additional list) is one nominee: the latest entry's
    details stand; its verdict and selection, or else those of the latest earlier entry that has one
    (a selection made before the newer list arrived still counts).
    """
    review = _latest_review(office)
    rows = session.execute(
        sa.select(
            _nom.c.id,
            _nom.c.name,
            _nom.c.category,
            _nom.c.category_text,
            _nom.c.rank,
            _nom.c.position_title,
            _nom.c.achievements,
            _nom.c.unit,
            _nom.c.position.label("order"),
            _sub.c.id.label("submission_id"),
            _sub.c.school_id,
            _sub.c.school_name,
            _sub.c.round_id,
            _sub.c.received_at,
            sa.func.coalesce(_school.c.name, _sub.c.school_name).label("school"),
            review.c.evidence,
            review.c.note,
            _sel.c.award_id,
        )
        .join(_sub, _sub.c.id == _nom.c.submission_id)
        .outerjoin(_school, _school.c.id == _sub.c.school_id)
        .outerjoin(review, review.c.nominee_id == _nom.c.id)
        .outerjoin(_sel, sa.and_(_sel.c.nominee_id == _nom.c.id, _sel.c.office == office))
        .where(_sub.c.round_id.in_(list(round_ids)), _sub.c.status.in_(CURRENT_STATUSES))
        .order_by(_sub.c.received_at, _sub.c.id, _nom.c.position)
    ).all()
    people: dict[tuple, dict] = {}
    for row in rows:  # oldest first: a later entry overwrites the details, keeps earlier decisions
        identity = nominee_identity(row.name, row.category, row.unit)
        key = (school_key(row.school_id, row.school_name), row.round_id, identity)
        earlier = people.get(key, {})
        people[key] = dict(
            row=row,
            evidence=(row.evidence, row.note) if row.evidence else earlier.get("evidence"),
            award=row.award_id or earlier.get("award"),
        )
    outcomes = []
    for person in people.values():
        row = person["row"]
        evidence, note = person["evidence"] or (None, "")
        outcomes.append(
            NomineeOutcome(
                id=row.id,
                school_id=row.school_id,
                school=row.school,
                round_id=row.round_id,
                rank=row.rank,
                name=row.name,
                category=row.category,
                category_text=row.category_text,
                position=row.position_title,
                achievements=row.achievements,
                evidence=evidence,
                review_note=note or "",
                award_id=person["award"],
                unit=row.unit,
            )
        )
    outcomes.sort(key=lambda n: (fold(n.school), n.school, n.round_id, n.rank is None, n.rank or 0, n.id))
    return outcomes


def selected_nominees(session: Session, *, office: str, round_id: str) -> list[NomineeOutcome]:
    """The round's nominees selected for an award form (the official list), by school then rank."""
    return [n for n in nominee_outcomes(session, office=office, round_ids=[round_id]) if n.award_id]


# -- the figures --------------------------------------------------------------------------------------


def results(session: Session, *, office: str, round_ids: Sequence[str], school_year: bool = False) -> Results:
    """Per school: registrations, lists, reports, nominees by category, submissions by status and
    late, evidence reviewed, selections by award; for a school year also the registrants no report of
    their school covers (see :mod:`thidua.store.registrants`)."""
    rounds = list(round_ids)
    figures: dict[tuple, SchoolFigures] = {}
    for school_id, name in session.execute(sa.select(_school.c.id, _school.c.name)).all():
        figures[(school_id, "")] = SchoolFigures(school_id=school_id, school=name)

    def of(school_id: int | None, name: str) -> SchoolFigures:
        key = (school_id, "") if school_id is not None else (None, fold(name))
        if key not in figures:
            figures[key] = SchoolFigures(school_id=school_id, school=name)
        return figures[key]

    current = sa.and_(_sub.c.round_id.in_(rounds), _sub.c.status.in_(CURRENT_STATUSES))
    has_kind = {
        kind: sa.exists().where(_doc.c.submission_id == _sub.c.id, _doc.c.kind == kind)
        for kind in ("nomination_list", "report")
    }
    is_late = sa.exists().where(_prob.c.submission_id == _sub.c.id, _prob.c.code == "late")
    for row in session.execute(
        sa.select(
            _sub.c.school_id,
            _sub.c.school_name,
            _how_many(_sub.c.status == "accepted").label("accepted"),
            _how_many(_sub.c.status == "needs_correction").label("needs_correction"),
            _how_many(is_late).label("late"),
            _how_many(has_kind["nomination_list"]).label("lists"),
            _how_many(has_kind["report"]).label("reports"),
        )
        .where(current)
        .group_by(_sub.c.school_id, _sub.c.school_name)
    ).all():
        school = of(row.school_id, row.school_name)
        school.accepted += int(row.accepted or 0)
        school.needs_correction += int(row.needs_correction or 0)
        school.late += int(row.late or 0)
        school.lists += int(row.lists or 0)
        school.reports += int(row.reports or 0)

    nominees = nominee_outcomes(session, office=office, round_ids=rounds)
    for nominee in nominees:
        school = of(nominee.school_id, nominee.school)
        school.nominees[nominee.category or ""] += 1
        if nominee.evidence:
            school.reviewed += 1
            school.evidence_ok += nominee.evidence == "ok"
        if nominee.award_id:
            school.selected[nominee.award_id] += 1

    people = registrants(session, rounds)
    for registrant in people:
        of(registrant.school_id, registrant.school).registrations += 1
    unreported = []
    if school_year:
        reports = school_reports(session, rounds)
        unreported = [r for r in people if not is_reported(r, reports)]
    ordered = sorted(figures.values(), key=lambda s: (fold(s.school), s.school))
    return Results(schools=ordered, nominees=nominees, unreported=unreported)


def _how_many(condition) -> sa.ColumnElement:
    """How many rows of the group meet ``condition`` (portable: no FILTER clause on SQLite)."""
    return sa.func.sum(sa.case((condition, 1), else_=0))
