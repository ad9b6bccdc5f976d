"""A school's newer list keeps what the office decided about the same people in its earlier lists.

The intake calls :func:`carry_over` after filing a nomination list (a new version of a receipt or
an additional list): each nominee who is the same person as an entry of the school's earlier lists
for the round (:func:`thidua.text.nominee_identity`) gets that entry's evidence verdicts
and selection.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from thidua.store.models import Nominee, NomineeReview, NomineeSelection, Submission
from thidua.text import nominee_identity

_reviews = NomineeReview.__table__
_selections = NomineeSelection.__table__
_nominees = Nominee.__table__
_submissions = Submission.__table__


@dataclass(frozen=True)
class CarriedOver:
    reviews: int  # verdicts copied to the newer entries
    selections: int  # selections moved to the newer entries


def carry_over(session: Session, *, office: str, submission_id: int) -> CarriedOver:
    """Give the nominees of a newly filed submission the verdicts and selection of the same person
    (name, category and unit, see :func:`nominee_identity`) in the school's earlier lists for the round.

    The most recent earlier entry that has any wins. Verdicts are copied with their history (each
    marked ``carried_from``); a selection moves to the newer entry, so it counts once toward the cap.
    Nominees that already have a verdict or a selection of their own are left alone, so calling
    this twice changes nothing.
    """
    filed = session.execute(
        sa.select(_submissions.c.school_id, _submissions.c.school_name, _submissions.c.round_id).where(
            _submissions.c.id == submission_id
        )
    ).one_or_none()
    if filed is None or filed.round_id is None:
        return CarriedOver(0, 0)
    newer = session.execute(
        sa.select(_nominees.c.id, _nominees.c.name, _nominees.c.category, _nominees.c.unit).where(
            _nominees.c.submission_id == submission_id
        )
    ).all()
    if not newer:
        return CarriedOver(0, 0)
    same_school = (
        _submissions.c.school_id == filed.school_id
        if filed.school_id is not None
        else sa.and_(_submissions.c.school_id.is_(None), _submissions.c.school_name == filed.school_name)
    )
    has_review = sa.exists().where(_reviews.c.nominee_id == _nominees.c.id, _reviews.c.office == office)
    has_selection = sa.exists().where(
        _selections.c.nominee_id == _nominees.c.id, _selections.c.office == office
    )
    earlier = session.execute(
        sa.select(_nominees.c.id, _nominees.c.name, _nominees.c.category, _nominees.c.unit)
        .join(_submissions, _submissions.c.id == _nominees.c.submission_id)
        .where(
            same_school,
            _submissions.c.round_id == filed.round_id,
            _submissions.c.id != submission_id,
            sa.or_(has_review, has_selection),
        )
        .order_by(_submissions.c.received_at.desc(), _submissions.c.id.desc(), _nominees.c.id.desc())
    ).all()
    source: dict[tuple[str, str], int] = {}
    for row in earlier:
        source.setdefault(nominee_identity(row.name, row.category, row.unit), row.id)
    newer_ids = [row.id for row in newer]
    own_reviews = set(
        session.execute(
            sa.select(_reviews.c.nominee_id).where(
                _reviews.c.office == office, _reviews.c.nominee_id.in_(newer_ids)
            )
        ).scalars()
    )
    own_selections = set(
        session.execute(
            sa.select(_selections.c.nominee_id).where(
                _selections.c.office == office, _selections.c.nominee_id.in_(newer_ids)
            )
        ).scalars()
    )
    pairs = {
        row.id: source[key]
        for row in newer
        if (key := nominee_identity(row.name, row.category, row.unit)) in source
    }
    pairs = {new: old for new, old in pairs.items() if new not in own_reviews and new not in own_selections}
    if not pairs:
        return CarriedOver(0, 0)
    old_to_new = {old: new for new, old in pairs.items()}
    history = session.execute(
        sa.select(_reviews)
        .where(_reviews.c.office == office, _reviews.c.nominee_id.in_(list(old_to_new)))
        .order_by(_reviews.c.id)
    ).all()
    copies = [
        dict(
            office=office,
            nominee_id=old_to_new[r.nominee_id],
            evidence=r.evidence,
            note=r.note,
            reviewed_by=r.reviewed_by,
            reviewed_at=r.reviewed_at,
            carried_from=r.nominee_id,
        )
        for r in history
    ]
    if copies:
        session.execute(sa.insert(_reviews), copies)
    moved = 0
    for old, new in old_to_new.items():
        moved += session.execute(
            sa.update(_selections)
            .where(_selections.c.office == office, _selections.c.nominee_id == old)
            .values(nominee_id=new, round_id=filed.round_id)
        ).rowcount
    return CarriedOver(reviews=len(copies), selections=moved)
