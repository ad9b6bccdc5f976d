"""After intake: reviewing nominees' evidence and selecting them for the campaign's award forms.

A review is a verdict on a nominee's evidence (``ok`` or ``insufficient``, with a note); the
latest stands and earlier ones stay as its history. A selection proposes a nominee for one award
form of its round; an award's ``max`` caps how many nominees the whole office selects for it per
round. The cap is checked under a lock on the office's row for the round in ``selection_rounds``
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already serialises writers),
so two reviewers selecting at the same moment cannot both pass it.

Only nominees of a school's current submissions (accepted / needs correction) can be selected, and
only they count toward a cap. When a school sends a newer list naming the same person again, the
intake calls :func:`thidua.store.carry_over.carry_over` so the verdicts and the selection follow
the person.

Every function filters by ``office`` (the ``[office] code``): several offices may share a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from thidua.campaign import Award
from thidua.errors import ThiduaError
from thidua.store.models import (
    CURRENT_STATUSES,
    REVIEW_VERDICTS,
    Nominee,
    NomineeReview,
    NomineeSelection,
    SelectionRound,
    Submission,
)
from thidua.text import clean, fold

_reviews = NomineeReview.__table__
_selections = NomineeSelection.__table__
_rounds = SelectionRound.__table__
_nominees = Nominee.__table__
_submissions = Submission.__table__


# -- errors (their messages are shown to reviewers as they are) -------------------------------------


class SelectionError(ThiduaError):
    """A review or selection that cannot be made; the message is Vietnamese, for the reviewer."""


class UnknownNominee(SelectionError):
    def __init__(self, nominee_id: int) -> None:
        super().__init__(f"Không tìm thấy người/tập thể được đề nghị số {nominee_id}.")
        self.nominee_id = nominee_id


class InvalidReview(SelectionError):
    pass


class UnknownAward(SelectionError):
    def __init__(self, award_id: str, awards: Sequence[Award]) -> None:
        known = ", ".join(f"{a.id} ({a.label})" for a in awards) or "chưa khai báo hình thức nào"
        super().__init__(
            f"Không có hình thức khen thưởng “{award_id}” trong kế hoạch thi đua; "
            f"các hình thức được đề nghị: {known}."
        )
        self.award_id = award_id


class NomineeNotSelectable(SelectionError):
    pass


class AwardCapReached(SelectionError):
    """The award's ``max`` for the round is already used up (the API answers 409)."""

    def __init__(self, award: Award, round_id: str, selected: int) -> None:
        super().__init__(
            f"Đã chọn đủ {award.max} tập thể, cá nhân cho hình thức “{award.label}” trong đợt "
            f"{round_id} (tối đa {award.max}); hãy bỏ chọn một người khác trước khi chọn thêm."
        )
        self.award = award
        self.round_id = round_id
        self.selected = selected


# -- records ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRecord:
    nominee_id: int
    evidence: str  # "ok" | "insufficient"
    note: str
    by: str
    at: datetime
    carried_from: int | None = None

    def as_json(self, tz: Any = None) -> dict[str, str]:
        """The ``review`` object of a nominee in SPEC's JSON."""
        at = self.at.astimezone(tz) if tz is not None else self.at
        return {"evidence": self.evidence, "note": self.note, "by": self.by, "at": at.isoformat()}


@dataclass(frozen=True)
class SelectionRecord:
    nominee_id: int
    round_id: str
    award_id: str
    by: str
    at: datetime


def nominee_identity(name: str | None, category: str | None, unit: str | None = None) -> tuple[str, str, str]:
    """Who a nominee is across a school's lists: the name compared as :func:`person_key` does
    (SPEC: "the same nominee"), the category, and the unit an office's list named (two of its
    schools may each propose their "Tổ Toán")."""
    return person_key(name), category or "", person_key(unit)


def person_key(name: str | None) -> str:
    """A person's name as compared everywhere (nominees across lists, registrants in reports):
    without case, diacritics, spacing, punctuation or Unicode form."""
    return fold(name)


# -- review -------------------------------------------------------------------------------------


def record_review(
    session: Session, *, office: str, nominee_id: int, evidence: str, note: str, by: str, at: datetime
) -> ReviewRecord:
    """Record a verdict on the nominee's evidence; it becomes the one that stands."""
    if evidence not in REVIEW_VERDICTS:
        raise InvalidReview(
            f"Kết quả thẩm định minh chứng phải là “ok” (đạt) hoặc “insufficient” "
            f"(chưa đủ), không phải “{evidence}”."
        )
    note = clean(note)
    if evidence == "insufficient" and not note:
        raise InvalidReview("Minh chứng chưa đủ: hãy ghi rõ còn thiếu gì để nhà trường bổ sung.")
    _nominee_round(session, nominee_id)
    session.execute(
        sa.insert(_reviews).values(
            office=office,
            nominee_id=nominee_id,
            evidence=evidence,
            note=note,
            reviewed_by=clean(by),
            reviewed_at=at,
        )
    )
    return ReviewRecord(nominee_id=nominee_id, evidence=evidence, note=note, by=clean(by), at=at)


def latest_reviews(session: Session, *, office: str, nominee_ids: Iterable[int]) -> dict[int, ReviewRecord]:
    """The verdict that stands for each of the nominees that has one."""
    ids = sorted(set(nominee_ids))
    if not ids:
        return {}
    newest = (
        sa.select(_reviews.c.nominee_id, sa.func.max(_reviews.c.id).label("id"))
        .where(_reviews.c.office == office, _reviews.c.nominee_id.in_(ids))
        .group_by(_reviews.c.nominee_id)
        .subquery()
    )
    rows = session.execute(sa.select(_reviews).join(newest, newest.c.id == _reviews.c.id)).all()
    return {row.nominee_id: _review(row) for row in rows}


def review_history(session: Session, *, office: str, nominee_id: int) -> list[ReviewRecord]:
    """Every verdict on the nominee, oldest first (carried-over ones included)."""
    rows = session.execute(
        sa.select(_reviews)
        .where(_reviews.c.office == office, _reviews.c.nominee_id == nominee_id)
        .order_by(_reviews.c.id)
    ).all()
    return [_review(row) for row in rows]


def _review(row: Any) -> ReviewRecord:
    return ReviewRecord(
        nominee_id=row.nominee_id,
        evidence=row.evidence,
        note=row.note,
        by=row.reviewed_by,
        at=row.reviewed_at,
        carried_from=row.carried_from,
    )


# -- selection ----------------------------------------------------------------------------------


def select_nominee(
    session: Session,
    *,
    office: str,
    nominee_id: int,
    award_id: str,
    awards: Sequence[Award],
    by: str,
    at: datetime,
) -> SelectionRecord:
    """Propose the nominee for ``award_id`` (replacing another award it was selected for).

    Raises UnknownNominee, UnknownAward, NomineeNotSelectable (not in a current submission or
    without a round) and AwardCapReached (the award's ``max`` for the round is used up).
    """
    award = next((a for a in awards if a.id == award_id), None)
    if award is None:
        raise UnknownAward(award_id, awards)
    round_id, status = _nominee_round(session, nominee_id)
    if round_id is None:
        raise NomineeNotSelectable(
            "Hồ sơ của người/tập thể này không thuộc đợt thi đua nào nên chưa thể chọn."
        )
    if status not in CURRENT_STATUSES:
        raise NomineeNotSelectable(
            "Người/tập thể này thuộc một hồ sơ đã được thay thế hoặc bị từ chối; "
            "hãy chọn trong danh sách hiện hành của trường."
        )
    _lock_round(session, office, round_id, at)
    current = session.execute(
        sa.select(_selections.c.award_id).where(
            _selections.c.office == office, _selections.c.nominee_id == nominee_id
        )
    ).scalar_one_or_none()
    if current == award_id:
        return _selection_of(session, office, nominee_id)
    if award.max is not None:
        taken = _selected_count(session, office, round_id, award_id)
        if taken >= award.max:
            raise AwardCapReached(award, round_id, taken)
    values = dict(round_id=round_id, award_id=award_id, selected_by=clean(by), selected_at=at)
    if current is None:
        session.execute(sa.insert(_selections).values(office=office, nominee_id=nominee_id, **values))
    else:
        session.execute(
            sa.update(_selections)
            .where(_selections.c.office == office, _selections.c.nominee_id == nominee_id)
            .values(**values)
        )
    return SelectionRecord(nominee_id=nominee_id, round_id=round_id, award_id=award_id, by=clean(by), at=at)


def unselect_nominee(session: Session, *, office: str, nominee_id: int, at: datetime) -> bool:
    """Withdraw the nominee's selection; False when it was not selected."""
    round_id, _ = _nominee_round(session, nominee_id)
    if round_id is not None:
        _lock_round(session, office, round_id, at)
    deleted = session.execute(
        sa.delete(_selections).where(_selections.c.office == office, _selections.c.nominee_id == nominee_id)
    )
    return bool(deleted.rowcount)


def selections_of(session: Session, *, office: str, nominee_ids: Iterable[int]) -> dict[int, SelectionRecord]:
    ids = sorted(set(nominee_ids))
    if not ids:
        return {}
    rows = session.execute(
        sa.select(_selections).where(_selections.c.office == office, _selections.c.nominee_id.in_(ids))
    ).all()
    return {row.nominee_id: _selection(row) for row in rows}


def award_usage(session: Session, *, office: str, round_id: str) -> dict[str, int]:
    """How many current nominees of the round are selected for each award (to show "3 / 15")."""
    rows = session.execute(
        _current_selections(office)
        .where(_submissions.c.round_id == round_id)
        .with_only_columns(_selections.c.award_id, sa.func.count())
        .group_by(_selections.c.award_id)
    ).all()
    return {award_id: int(count) for award_id, count in rows}


def outcome_fields(
    session: Session, *, office: str, nominee_ids: Iterable[int], tz: Any = None
) -> dict[int, dict[str, Any]]:
    """SPEC's ``review``, ``selected`` and ``proposed_award`` of each nominee, for its JSON."""
    ids = sorted(set(nominee_ids))
    reviews = latest_reviews(session, office=office, nominee_ids=ids)
    selections = selections_of(session, office=office, nominee_ids=ids)
    return {
        i: {
            "review": reviews[i].as_json(tz) if i in reviews else None,
            "selected": i in selections,
            "proposed_award": selections[i].award_id if i in selections else None,
        }
        for i in ids
    }


def _selection_of(session: Session, office: str, nominee_id: int) -> SelectionRecord:
    row = session.execute(
        sa.select(_selections).where(_selections.c.office == office, _selections.c.nominee_id == nominee_id)
    ).one()
    return _selection(row)


def _selection(row: Any) -> SelectionRecord:
    return SelectionRecord(
        nominee_id=row.nominee_id,
        round_id=row.round_id,
        award_id=row.award_id,
        by=row.selected_by,
        at=row.selected_at,
    )


def _nominee_round(session: Session, nominee_id: int) -> tuple[str | None, str]:
    row = session.execute(
        sa.select(_submissions.c.round_id, _submissions.c.status)
        .join(_nominees, _nominees.c.submission_id == _submissions.c.id)
        .where(_nominees.c.id == nominee_id)
    ).one_or_none()
    if row is None:
        raise UnknownNominee(nominee_id)
    return row.round_id, row.status


def _lock_round(session: Session, office: str, round_id: str, at: datetime) -> None:
    """Take the office's lock for the round (created on first use), held until the transaction ends."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(
        insert(_rounds)
        .values(office=office, round_id=round_id, changed_at=at)
        .on_conflict_do_nothing(index_elements=["office", "round_id"])
    )
    session.execute(
        sa.select(_rounds.c.office)
        .where(_rounds.c.office == office, _rounds.c.round_id == round_id)
        .with_for_update()
    )
    session.execute(
        sa.update(_rounds)
        .where(_rounds.c.office == office, _rounds.c.round_id == round_id)
        .values(changed_at=at)
    )


def _current_selections(office: str) -> sa.Select:
    """Selections of nominees in current submissions (a person dropped from a newer list no longer counts)."""
    return (
        sa.select(_selections.c.id)
        .join(_nominees, _nominees.c.id == _selections.c.nominee_id)
        .join(_submissions, _submissions.c.id == _nominees.c.submission_id)
        .where(_selections.c.office == office, _submissions.c.status.in_(CURRENT_STATUSES))
    )


def _selected_count(session: Session, office: str, round_id: str, award_id: str) -> int:
    query = _current_selections(office).where(
        _submissions.c.round_id == round_id, _selections.c.award_id == award_id
    )
    return int(session.execute(query.with_only_columns(sa.func.count())).scalar_one())
