"""The consolidated list shows a person a school listed twice once: the latest entry stands."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.support.store import make_draft
from thidua.store.drafts import NomineeDraft
from thidua.store.export import nominees_for_round
from thidua.store.models import School
from thidua.store.schools import import_schools
from thidua.store.submissions import file_submission


def nominee(rank: int, name: str, achievements: str) -> NomineeDraft:
    return NomineeDraft(
        rank=rank,
        name=name,
        category="teacher",
        position="Giáo viên",
        achievements=achievements,
        evidence=("a.pdf",),
        award="",
    )


def test_a_person_in_a_list_and_its_addition_is_exported_once_as_last_sent(db):
    with db.session() as session:
        import_schools(session, [("Trường THCS An Bình", ["c2anbinh@example.vn"])])
        school_id = session.execute(sa.select(School.id)).scalar_one()
    with db.session() as session:
        first = make_draft(
            1,
            school_id=school_id,
            nominees=(nominee(1, "Lê Thị Mai", "1 giải"), nominee(2, "Trần B", "2 giải")),
        )
        file_submission(session, first, year=2018)
        later = make_draft(
            2,
            school_id=school_id,
            received_at=first.received_at + timedelta(days=1),
            nominees=(nominee(1, "LE THI MAI", "3 giải"), nominee(2, "Phạm C", "4 giải")),
        )
        file_submission(session, later, year=2018)
    with db.session() as session:
        rows = nominees_for_round(session, "q1-2018")
    assert sorted((r.name, r.achievements) for r in rows) == [
        ("LE THI MAI", "3 giải"),
        ("Phạm C", "4 giải"),
        ("Trần B", "2 giải"),
    ]
