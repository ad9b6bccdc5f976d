"""Registrations linked to the reports that name them, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa

from tests.support.store import T0, make_draft
from thidua.store import registrants as store_registrants
from thidua.store import results
from thidua.store import schools as store_schools
from thidua.store import submissions as store_submissions
from thidua.store.drafts import DocumentDraft

YEAR = ["dang-ky-2017", "q1-2018", "q2-2018"]
REGISTRATION = DocumentDraft(
    filename="Đăng ký.docx", container="", kind="registration", detected="docx", sha256="e" * 64, size=1
)


def _report(*people: str) -> DocumentDraft:
    return DocumentDraft(
        filename="Báo cáo.docx",
        container="",
        kind="report",
        detected="docx",
        sha256="d" * 64,
        size=1,
        people=people,
    )


def _schools(db) -> dict[str, int]:
    with db.session() as session:
        store_schools.import_schools(
            session,
            [
                ("Trường THCS An Bình", ["c2anbinh@example.vn"]),
                ("Trường TH Phong Hòa", ["thphonghoa@example.vn"]),
                ("Trường MN Hoa Sen", ["mnhoasen@example.vn"]),
                ("Trường TH Phong An", ["thphongan@example.vn"]),
            ],
        )
        return dict(session.execute(sa.text("SELECT name, id FROM schools")).all())


def _file(db, n: int, school_id: int, school: str, **changes) -> None:
    draft = make_draft(n, school_id=school_id, school_name=school, nominees=(), **changes)
    with db.session() as session:
        store_submissions.file_submission(session, draft, year=2018)


def _register(db, n: int, school_id: int, school: str, *names: str) -> None:
    _file(
        db,
        n,
        school_id,
        school,
        round_id="dang-ky-2017",
        documents=(REGISTRATION,),
        registrations=tuple({"full_name": name, "innovation_area": "Dạy học STEM"} for name in names),
    )


def _year(db) -> dict[str, int]:
    ids = _schools(db)
    an_binh, phong_hoa, hoa_sen, phong_an = (
        ids["Trường THCS An Bình"],
        ids["Trường TH Phong Hòa"],
        ids["Trường MN Hoa Sen"],
        ids["Trường TH Phong An"],
    )
    _register(db, 1, an_binh, "Trường THCS An Bình", "Lê Thị Bích", "Trần Văn Cường")
    _register(db, 2, phong_hoa, "Trường TH Phong Hòa", "Hồ Thị Lài")
    _register(db, 3, hoa_sen, "Trường MN Hoa Sen", "Đỗ Văn Tú")
    _register(db, 4, phong_an, "Trường TH Phong An", "Vũ Thị Hằng")
    # An Bình's report names one of its two registrants, in capitals and without diacritics
    _file(db, 10, an_binh, "Trường THCS An Bình", documents=(_report("LE THI BICH", "Ngô Văn Lạ"),))
    # Phong Hòa's report names nobody: it covers the school as before
    _file(db, 11, phong_hoa, "Trường TH Phong Hòa", documents=(_report(),), round_id="q2-2018")
    # Phong An's report named its registrant, but a newer version (naming someone else) replaced it
    _file(db, 12, phong_an, "Trường TH Phong An", documents=(_report("Vũ Thị Hằng"),))
    with db.session() as session:
        receipt = session.execute(
            sa.text("SELECT receipt FROM submissions WHERE content_key = :k"), {"k": f"{12:064x}"}
        ).scalar_one()
    _file(
        db,
        13,
        phong_an,
        "Trường TH Phong An",
        documents=(_report("Lương Văn Khác"),),
        thread_receipt=receipt,
        received_at=T0 + timedelta(days=1),
    )
    # Hoa Sen sends nothing after registering
    return ids


def test_a_registration_is_reported_when_a_report_of_its_school_names_the_person(db):
    _year(db)
    with db.session() as session:
        missing = store_registrants.registrations_without_report(session, round_ids=YEAR)
    assert [(r.school, r.full_name) for r in missing] == [
        ("Trường MN Hoa Sen", "Đỗ Văn Tú"),  # no report at all
        ("Trường TH Phong An", "Vũ Thị Hằng"),  # only a superseded report named her
        ("Trường THCS An Bình", "Trần Văn Cường"),  # the report names Lê Thị Bích, not him
    ]
    assert all(r.receipt.startswith("HS-2018-") for r in missing)


def test_the_results_report_lists_the_same_people(db):
    _year(db)
    with db.session() as session:
        got = results.results(session, office="default", round_ids=YEAR, school_year=True)
        missing = store_registrants.registrations_without_report(session, round_ids=YEAR)
    assert got.unreported == missing
    by_name = {s.school: s for s in got.schools}
    assert by_name["Trường THCS An Bình"].registrations == 2 and by_name["Trường THCS An Bình"].reports == 1


def test_only_the_rounds_asked_for_count(db):
    _year(db)
    with db.session() as session:
        # without Q2, Phong Hòa's report (sent in Q2) covers nothing
        missing = store_registrants.registrations_without_report(
            session, round_ids=["dang-ky-2017", "q1-2018"]
        )
    assert ("Trường TH Phong Hòa", "Hồ Thị Lài") in [(r.school, r.full_name) for r in missing]


def test_a_report_stores_the_people_it_names(db):
    ids = _schools(db)
    _file(db, 20, ids["Trường THCS An Bình"], "Trường THCS An Bình", documents=(_report("Lê Thị Bích"),))
    with db.session() as session:
        stored = session.execute(sa.text("SELECT people FROM documents WHERE kind = 'report'")).scalar_one()
    assert (stored if isinstance(stored, list) else json.loads(stored)) == ["Lê Thị Bích"]
