"""The figures of a round or a school year, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from tests.support.store import T0, make_draft
from thidua.campaign import Award
from thidua.store import results
from thidua.store import schools as store_schools
from thidua.store import selection as sel
from thidua.store import submissions as store_submissions
from thidua.store.carry_over import carry_over
from thidua.store.drafts import DocumentDraft, NomineeDraft, ProblemDraft

OFFICE = "default"
AWARDS = (Award("gk", "Giấy khen", max=10), Award("bk", "Bằng khen", max=None))
LIST = DocumentDraft(
    filename="Danh sách.xlsx", container="", kind="nomination_list", detected="xlsx", sha256="b" * 64, size=1
)
REPORT = DocumentDraft(
    filename="Báo cáo.docx", container="", kind="report", detected="docx", sha256="d" * 64, size=1
)
REGISTRATION = DocumentDraft(
    filename="Đăng ký.docx", container="", kind="registration", detected="docx", sha256="e" * 64, size=1
)
LATE = ProblemDraft("late", "warning", "", "Gửi sau hạn")


def _person(
    rank: int, name: str, category: str = "teacher", achievements: str = "2 giải nhất"
) -> NomineeDraft:
    return NomineeDraft(
        rank=rank,
        name=name,
        category=category,
        position="Giáo viên",
        achievements=achievements,
        evidence=("mc.pdf",),
        award="",
    )


def _file(db, n: int, school_id: int | None, school: str, **changes) -> dict[str, int]:
    """File a submission; returns its nominees' ids by name."""
    draft = make_draft(n, school_id=school_id, school_name=school, **changes)
    with db.session() as session:
        sid = store_submissions.file_submission(session, draft, year=2018).id
        rows = session.execute(
            sa.text("SELECT name, id FROM nominees WHERE submission_id = :s"), {"s": sid}
        ).all()
    return dict(rows)


def _submission_of(session, nominee_id: int) -> int:
    return session.execute(
        sa.text("SELECT submission_id FROM nominees WHERE id = :n"), {"n": nominee_id}
    ).scalar_one()


def _office(db):
    """Three registered schools: An Bình sends a lot, Phong Hiền a little, Phong An only registrations."""
    with db.session() as session:
        store_schools.import_schools(
            session,
            [
                ("Trường THCS An Bình", ["c2anbinh@example.vn"]),
                ("Trường TH Phong Hiền", ["thphonghien@example.vn"]),
                ("Trường Mầm non Phong An", ["mnphongan@example.vn"]),
            ],
        )
        ids = dict(session.execute(sa.text("SELECT name, id FROM schools")).all())
    an_binh, phong_hien, phong_an = (
        ids["Trường THCS An Bình"],
        ids["Trường TH Phong Hiền"],
        ids["Trường Mầm non Phong An"],
    )
    # registrations (a registration round): An Bình registers two people, one of them twice
    for n, (school_id, school, names) in enumerate(
        [
            (an_binh, "Trường THCS An Bình", ("Lê Thị Bích", "Trần Văn Cường")),
            (an_binh, "Trường THCS An Bình", ("LÊ THỊ BÍCH",)),
            (phong_an, "Trường Mầm non Phong An", ("Hồ Thị Lài",)),
        ],
        start=1,
    ):
        _file(
            db,
            n,
            school_id,
            school,
            round_id="dang-ky-2017",
            documents=(REGISTRATION,),
            nominees=(),
            registrations=tuple(
                {"full_name": name, "innovation_area": "Phương pháp giảng dạy"} for name in names
            ),
        )
    # Q1: An Bình's list, late, then a corrected full list (version 2) with the same people and one more
    first = _file(
        db,
        10,
        an_binh,
        "Trường THCS An Bình",
        documents=(LIST,),
        problems=(LATE,),
        nominees=(_person(1, "Nguyễn Văn An"), _person(2, "Tổ Toán", "collective")),
    )
    with db.session() as session:
        receipt = session.execute(
            sa.text("SELECT receipt FROM submissions WHERE content_key = :k"), {"k": f"{10:064x}"}
        ).scalar_one()
        sel.record_review(
            session, office=OFFICE, nominee_id=first["Nguyễn Văn An"], evidence="ok", note="", by="lan", at=T0
        )
        sel.select_nominee(
            session,
            office=OFFICE,
            nominee_id=first["Nguyễn Văn An"],
            award_id="gk",
            awards=AWARDS,
            by="lan",
            at=T0,
        )
    second = _file(
        db,
        11,
        an_binh,
        "Trường THCS An Bình",
        documents=(LIST, REPORT),
        problems=(LATE,),
        thread_receipt=receipt,
        received_at=T0 + timedelta(days=1),
        nominees=(
            _person(1, "nguyễn văn an", achievements="3 giải nhất"),
            _person(2, "Tổ Toán", "collective"),
            _person(3, "Phạm Thị Dung", "student"),
        ),
    )
    with db.session() as session:  # what the intake does when it files a newer list
        carry_over(session, office=OFFICE, submission_id=_submission_of(session, second["Tổ Toán"]))
        sel.record_review(
            session,
            office=OFFICE,
            nominee_id=second["Tổ Toán"],
            evidence="insufficient",
            note="thiếu quyết định",
            by="lan",
            at=T0,
        )
        sel.select_nominee(
            session,
            office=OFFICE,
            nominee_id=second["Phạm Thị Dung"],
            award_id="bk",
            awards=AWARDS,
            by="lan",
            at=T0,
        )
        sel.record_review(
            session,
            office="another",
            nominee_id=second["Phạm Thị Dung"],
            evidence="ok",
            note="",
            by="x",
            at=T0,
        )
    # Phong Hiền: one list needing correction; a rejected mail from nobody counts for nothing
    hien = _file(
        db,
        20,
        phong_hien,
        "Trường TH Phong Hiền",
        documents=(LIST,),
        status="needs_correction",
        nominees=(_person(1, "Trần Văn Đức", "manager"),),
    )
    _file(db, 30, None, "", status="rejected", documents=(LIST,), nominees=(_person(1, "Người Lạ"),))
    # Q2 is another round
    _file(
        db,
        40,
        phong_hien,
        "Trường TH Phong Hiền",
        round_id="q2-2018",
        documents=(LIST,),
        nominees=(_person(1, "Trần Văn Đức", "manager"),),
    )
    return {
        "an_binh": an_binh,
        "phong_hien": phong_hien,
        "phong_an": phong_an,
        "hien": hien,
        "first": first,
        "second": second,
    }


def test_round_figures_per_school(db):
    ids = _office(db)
    with db.session() as session:
        got = results.results(session, office=OFFICE, round_ids=["q1-2018"])
    by_name = {s.school: s for s in got.schools}
    assert list(by_name) == ["Trường Mầm non Phong An", "Trường TH Phong Hiền", "Trường THCS An Bình"]
    an_binh = by_name["Trường THCS An Bình"]
    assert (an_binh.lists, an_binh.reports, an_binh.accepted, an_binh.needs_correction, an_binh.late) == (
        1,
        1,
        1,
        0,
        1,
    )
    assert an_binh.nominees == Counter({"teacher": 1, "collective": 1, "student": 1})
    # An's verdict and selection were made on the first list and carried to the corrected one
    assert (an_binh.reviewed, an_binh.evidence_ok) == (2, 1)
    assert an_binh.selected == Counter({"gk": 1, "bk": 1})
    hien = by_name["Trường TH Phong Hiền"]
    assert (hien.lists, hien.accepted, hien.needs_correction, hien.reviewed) == (1, 0, 1, 0)
    assert hien.nominees == Counter({"manager": 1})
    phong_an = by_name["Trường Mầm non Phong An"]
    assert (phong_an.lists, phong_an.registrations, sum(phong_an.nominees.values())) == (0, 0, 0)
    assert got.unreported == []
    an = next(n for n in got.nominees if n.name == "nguyễn văn an")
    assert (an.id, an.achievements, an.evidence, an.award_id) == (
        ids["second"]["nguyễn văn an"],
        "3 giải nhất",
        "ok",
        "gk",
    )
    assert [n.name for n in got.nominees if n.school_id == ids["an_binh"]] == [
        "nguyễn văn an",
        "Tổ Toán",
        "Phạm Thị Dung",
    ]


def test_school_year_counts_registrations_and_lists_who_never_reported(db):
    _office(db)
    with db.session() as session:
        got = results.results(
            session, office=OFFICE, round_ids=["dang-ky-2017", "q1-2018", "q2-2018"], school_year=True
        )
    by_name = {s.school: s for s in got.schools}
    assert by_name["Trường THCS An Bình"].registrations == 2  # Lê Thị Bích registered twice: one person
    assert by_name["Trường TH Phong Hiền"].lists == 2  # one list in each round
    assert sum(by_name["Trường TH Phong Hiền"].nominees.values()) == 2  # a nominee per round
    assert [(r.school, r.full_name) for r in got.unreported] == [("Trường Mầm non Phong An", "Hồ Thị Lài")]


def test_selected_nominees_of_a_round(db):
    _office(db)
    with db.session() as session:
        chosen = results.selected_nominees(session, office=OFFICE, round_id="q1-2018")
        elsewhere = results.selected_nominees(session, office="another", round_id="q1-2018")
    assert [(n.name, n.award_id, n.school) for n in chosen] == [
        ("nguyễn văn an", "gk", "Trường THCS An Bình"),
        ("Phạm Thị Dung", "bk", "Trường THCS An Bình"),
    ]
    assert elsewhere == []


def test_an_empty_database_has_no_figures(db):
    with db.session() as session:
        got = results.results(session, office=OFFICE, round_ids=["q1-2018"], school_year=True)
    assert got == results.Results(schools=[], nominees=[], unreported=[])


def test_a_person_in_an_additional_list_is_one_nominee_keeping_earlier_decisions(db):
    first = _file(
        db, 1, None, "Trường THCS An Bình", documents=(LIST,), nominees=(_person(1, "Nguyễn Văn An"),)
    )
    with db.session() as session:
        sel.record_review(
            session, office=OFFICE, nominee_id=first["Nguyễn Văn An"], evidence="ok", note="", by="lan", at=T0
        )
        sel.select_nominee(
            session,
            office=OFFICE,
            nominee_id=first["Nguyễn Văn An"],
            award_id="gk",
            awards=AWARDS,
            by="lan",
            at=T0,
        )
    later = _file(
        db,
        2,
        None,
        "Trường THCS An Bình",
        documents=(LIST,),
        subject="Danh sách bổ sung",
        received_at=T0 + timedelta(hours=2),
        nominees=(_person(1, "NGUYỄN VĂN AN", achievements="5 giải"), _person(2, "Lò Văn Bảo")),
    )
    with db.session() as session:
        got = results.results(session, office=OFFICE, round_ids=["q1-2018"])
    (school,) = got.schools
    assert (school.lists, sum(school.nominees.values()), school.reviewed, school.selected) == (
        2,
        2,
        1,
        Counter({"gk": 1}),
    )
    an = got.nominees[0]
    assert (an.id, an.achievements, an.evidence, an.award_id) == (
        later["NGUYỄN VĂN AN"],
        "5 giải",
        "ok",
        "gk",
    )
