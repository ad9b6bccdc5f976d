"""Evidence review and selection for award forms, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import unicodedata
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.support.store import T0, make_draft
from thidua.campaign import Award
from thidua.store import selection as sel
from thidua.store import submissions as store_submissions
from thidua.store.carry_over import CarriedOver, carry_over
from thidua.store.drafts import NomineeDraft
from thidua.store.models import NomineeSelection, SelectionRound

GIAY_KHEN = Award("gk", "Giấy khen của Chủ tịch UBND", max=2)
BANG_KHEN = Award("bk", "Bằng khen của Giám đốc Sở", max=None)
AWARDS = (GIAY_KHEN, BANG_KHEN)
OFFICE = "phong-dien"


def _person(rank: int, name: str, category: str = "teacher") -> NomineeDraft:
    return NomineeDraft(
        rank=rank,
        name=name,
        category=category,
        position="Giáo viên",
        achievements="2 giải nhất",
        evidence=("mc.pdf",),
        award="Giấy khen",
    )


def _file(db, n: int, *people: NomineeDraft, school: str = "Trường THCS An Bình", **changes) -> list[int]:
    """File a submission with these nominees; returns their ids in order."""
    draft = make_draft(n, school_name=school, nominees=people or make_draft(n).nominees, **changes)
    with db.session() as session:
        sid = store_submissions.file_submission(session, draft, year=2018).id
        ids = (
            session.execute(
                sa.text("SELECT id FROM nominees WHERE submission_id = :s ORDER BY position"), {"s": sid}
            )
            .scalars()
            .all()
        )
    return list(ids)


def _select(db, nominee_id: int, award: str = "gk", office: str = OFFICE):
    with db.session() as session:
        return sel.select_nominee(
            session, office=office, nominee_id=nominee_id, award_id=award, awards=AWARDS, by="lan", at=T0
        )


# -- review ---------------------------------------------------------------------------------------


def test_latest_review_stands_and_history_is_kept(db):
    a, b = _file(db, 1)
    with db.session() as session:
        sel.record_review(
            session,
            office=OFFICE,
            nominee_id=a,
            evidence="insufficient",
            note="Thiếu  giấy chứng nhận giải nhất",
            by="lan",
            at=T0,
        )
        sel.record_review(
            session,
            office=OFFICE,
            nominee_id=a,
            evidence="ok",
            note="",
            by="hùng",
            at=T0 + timedelta(hours=1),
        )
    with db.session() as session:
        latest = sel.latest_reviews(session, office=OFFICE, nominee_ids=[a, b])
        history = sel.review_history(session, office=OFFICE, nominee_id=a)
    assert set(latest) == {a}
    assert (latest[a].evidence, latest[a].by, latest[a].at) == ("ok", "hùng", T0 + timedelta(hours=1))
    assert [(r.evidence, r.note) for r in history] == [
        ("insufficient", "Thiếu giấy chứng nhận giải nhất"),
        ("ok", ""),
    ]


def test_reviews_of_another_office_are_not_seen(db):
    a, _ = _file(db, 1)
    with db.session() as session:
        sel.record_review(session, office="other", nominee_id=a, evidence="ok", note="", by="x", at=T0)
        assert sel.latest_reviews(session, office=OFFICE, nominee_ids=[a]) == {}
        assert sel.review_history(session, office=OFFICE, nominee_id=a) == []


@pytest.mark.parametrize(
    ("evidence", "note", "expected"),
    [
        ("good", "", "phải là “ok”"),
        ("insufficient", "  ", "ghi rõ còn thiếu gì"),
    ],
)
def test_bad_review_is_refused_in_vietnamese(db, evidence, note, expected):
    a, _ = _file(db, 1)
    with db.session() as session, pytest.raises(sel.InvalidReview, match=expected):
        sel.record_review(session, office=OFFICE, nominee_id=a, evidence=evidence, note=note, by="lan", at=T0)


def test_review_of_unknown_nominee(db):
    with db.session() as session, pytest.raises(sel.UnknownNominee, match="số 999"):
        sel.record_review(session, office=OFFICE, nominee_id=999, evidence="ok", note="", by="lan", at=T0)


# -- selection ------------------------------------------------------------------------------------


def test_select_change_award_and_unselect(db):
    a, b = _file(db, 1)
    record = _select(db, a)
    assert (record.round_id, record.award_id, record.by) == ("q1-2018", "gk", "lan")
    assert _select(db, a).award_id == "gk"  # selecting again is no change
    _select(db, a, "bk")
    with db.session() as session:
        assert sel.award_usage(session, office=OFFICE, round_id="q1-2018") == {"bk": 1}
        fields = sel.outcome_fields(session, office=OFFICE, nominee_ids=[a, b])
    assert fields[a] == {"review": None, "selected": True, "proposed_award": "bk"}
    assert fields[b] == {"review": None, "selected": False, "proposed_award": None}
    with db.session() as session:
        assert sel.unselect_nominee(session, office=OFFICE, nominee_id=a, at=T0) is True
        assert sel.unselect_nominee(session, office=OFFICE, nominee_id=a, at=T0) is False
        assert sel.selections_of(session, office=OFFICE, nominee_ids=[a, b]) == {}


def test_cap_counts_the_whole_office_across_schools(db):
    a, _ = _file(db, 1)
    b, _ = _file(db, 2, school="Trường TH Phong Hiền")
    c, _ = _file(db, 3, school="Trường TH Phong An")
    _select(db, a)
    _select(db, b)
    with pytest.raises(sel.AwardCapReached) as refused:
        _select(db, c)
    assert "Đã chọn đủ 2" in str(refused.value) and "Giấy khen của Chủ tịch UBND" in str(refused.value)
    assert refused.value.selected == 2
    _select(db, c, "bk")  # an award without a cap takes anyone
    _select(db, c, "gk", office="another-office")  # another office has its own cap
    with db.session() as session:
        sel.unselect_nominee(session, office=OFFICE, nominee_id=a, at=T0)
    assert _select(db, c).award_id == "gk"  # a place was freed


def test_cap_counts_each_round_apart(db):
    a, _ = _file(db, 1)
    b, _ = _file(db, 2, school="Trường TH Phong Hiền")
    c, _ = _file(db, 3, round_id="q2-2018")
    _select(db, a)
    _select(db, b)
    assert _select(db, c).round_id == "q2-2018"


def test_unknown_award_and_superseded_nominee_are_refused(db):
    a, _ = _file(db, 1)
    with pytest.raises(sel.UnknownAward, match="“hcb”.*gk \\(Giấy khen"):
        _select(db, a, "hcb")
    with db.session() as session:  # a newer version of the same receipt supersedes the first
        receipt = session.execute(sa.text("SELECT receipt FROM submissions")).scalar_one()
    _file(db, 2, thread_receipt=receipt)
    with pytest.raises(sel.NomineeNotSelectable, match="đã được thay thế"):
        _select(db, a)
    with pytest.raises(sel.UnknownNominee):
        _select(db, 12345)


def test_selection_of_a_person_dropped_from_the_current_list_does_not_count(db):
    a, _ = _file(db, 1)
    b, _ = _file(db, 2, school="Trường TH Phong Hiền")
    _select(db, a)
    _select(db, b)
    with db.session() as session:
        receipt = session.execute(
            sa.text(
                "SELECT receipt FROM submissions WHERE id = "
                "(SELECT submission_id FROM nominees WHERE id = :a)"
            ),
            {"a": a},
        ).scalar_one()
    _file(db, 3, _person(1, "Lê Thị Khác"), thread_receipt=receipt)  # An Bình's new list drops the person
    c, _ = _file(db, 4, school="Trường TH Phong An")
    assert _select(db, c).award_id == "gk"


# -- a school's newer list ------------------------------------------------------------------------


def test_reviews_and_selection_follow_the_person_to_the_newer_list(db):
    a, b = _file(db, 1, _person(1, "Nguyễn Văn An"), _person(2, "Tổ Toán", "collective"))
    with db.session() as session:
        sel.record_review(
            session, office=OFFICE, nominee_id=a, evidence="insufficient", note="thiếu", by="lan", at=T0
        )
        sel.record_review(
            session,
            office=OFFICE,
            nominee_id=a,
            evidence="ok",
            note="đủ",
            by="lan",
            at=T0 + timedelta(minutes=5),
        )
        sel.record_review(session, office=OFFICE, nominee_id=b, evidence="ok", note="", by="lan", at=T0)
        sel.record_review(session, office="other", nominee_id=b, evidence="ok", note="", by="x", at=T0)
    _select(db, a)
    with db.session() as session:
        receipt = session.execute(sa.text("SELECT receipt FROM submissions")).scalar_one()
    # the newer list spells the name in decomposed Unicode, other case and spacing; the collective
    # now appears as a teacher of the same name, which is someone else
    decomposed = unicodedata.normalize("NFD", "NGUYỄN  văn an")
    new_a, new_b, new_c = _file(
        db,
        2,
        _person(2, decomposed),
        _person(1, "Tổ Toán", "teacher"),
        _person(3, "Trần Thị Mới"),
        thread_receipt=receipt,
    )
    with db.session() as session:
        carried = carry_over(session, office=OFFICE, submission_id=_submission_of(session, new_a))
    assert carried == CarriedOver(reviews=2, selections=1)
    with db.session() as session:
        history = sel.review_history(session, office=OFFICE, nominee_id=new_a)
        assert [(r.evidence, r.note, r.carried_from) for r in history] == [
            ("insufficient", "thiếu", a),
            ("ok", "đủ", a),
        ]
        assert sel.latest_reviews(session, office=OFFICE, nominee_ids=[new_b, new_c]) == {}
        assert set(sel.selections_of(session, office=OFFICE, nominee_ids=[a, new_a, new_b])) == {new_a}
        assert sel.award_usage(session, office=OFFICE, round_id="q1-2018") == {"gk": 1}
        again = carry_over(session, office=OFFICE, submission_id=_submission_of(session, new_a))
    assert again == CarriedOver(0, 0)


def test_carry_over_takes_the_latest_entry_and_stays_within_the_school(db):
    (first,) = _file(db, 1, _person(1, "Nguyễn Văn An"))
    (second,) = _file(
        db, 2, _person(1, "Nguyễn Văn An"), subject="Danh sách bổ sung", received_at=T0 + timedelta(days=1)
    )
    (elsewhere,) = _file(db, 3, _person(1, "Nguyễn Văn An"), school="Trường TH Phong Hiền")
    with db.session() as session:
        sel.record_review(session, office=OFFICE, nominee_id=first, evidence="ok", note="cũ", by="lan", at=T0)
        sel.record_review(
            session, office=OFFICE, nominee_id=second, evidence="insufficient", note="mới", by="lan", at=T0
        )
    (third,) = _file(db, 4, _person(1, "Nguyễn Văn An"), received_at=T0 + timedelta(days=2))
    with db.session() as session:
        carry_over(session, office=OFFICE, submission_id=_submission_of(session, third))
        carry_over(session, office=OFFICE, submission_id=_submission_of(session, elsewhere))
        assert [r.note for r in sel.review_history(session, office=OFFICE, nominee_id=third)] == ["mới"]
        assert sel.review_history(session, office=OFFICE, nominee_id=elsewhere) == []


def _submission_of(session, nominee_id: int) -> int:
    return session.execute(
        sa.text("SELECT submission_id FROM nominees WHERE id = :n"), {"n": nominee_id}
    ).scalar_one()


# -- two reviewers at once ------------------------------------------------------------------------


@pytest.mark.postgres
def test_two_concurrent_selections_cannot_both_pass_the_cap(pg_db):
    """Two connections select the last free place at once: the second waits for the first's lock,
    then sees the first selection and is refused."""
    one = Award("gk", "Giấy khen", max=1)
    a, _ = _file(pg_db, 1)
    b, _ = _file(pg_db, 2, school="Trường TH Phong Hiền")
    first_holds_lock = threading.Event()
    release_first = threading.Event()
    outcomes: dict[str, object] = {}

    def first() -> None:
        with pg_db.session() as session:
            sel.select_nominee(
                session, office=OFFICE, nominee_id=a, award_id="gk", awards=(one,), by="lan", at=T0
            )
            first_holds_lock.set()
            release_first.wait(30)
        outcomes["first"] = "selected"

    def second() -> None:
        try:
            with pg_db.session() as session:
                sel.select_nominee(
                    session, office=OFFICE, nominee_id=b, award_id="gk", awards=(one,), by="hùng", at=T0
                )
            outcomes["second"] = "selected"
        except sel.AwardCapReached as refused:
            outcomes["second"] = refused

    one_thread = threading.Thread(target=first)
    one_thread.start()
    assert first_holds_lock.wait(30)
    other_thread = threading.Thread(target=second)
    other_thread.start()
    _wait_until_blocked_on_lock(pg_db)
    release_first.set()
    one_thread.join(30)
    other_thread.join(30)
    assert outcomes["first"] == "selected"
    assert isinstance(outcomes["second"], sel.AwardCapReached)
    with pg_db.session() as session:
        assert session.execute(sa.select(sa.func.count()).select_from(NomineeSelection)).scalar_one() == 1
        assert session.execute(sa.select(SelectionRound.office)).scalars().all() == [OFFICE]


def _wait_until_blocked_on_lock(database) -> None:
    """Return once another connection waits on a row lock (the second selection)."""
    query = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock'"
    )
    for _ in range(600):
        with database.engine.connect() as connection:
            if connection.execute(query).scalar_one():
                return
        threading.Event().wait(0.05)
    raise AssertionError("the second selection never waited for the first one's lock")


def test_sqlite_writers_take_turns_so_the_cap_holds(tmp_path):
    """On SQLite the same two selections from two threads: one is refused."""
    from thidua.store.db import open_database

    database = open_database(f"sqlite:///{tmp_path / 'thidua.db'}")
    database.migrate()
    one = Award("gk", "Giấy khen", max=1)
    a, _ = _file(database, 1)
    b, _ = _file(database, 2, school="Trường TH Phong Hiền")
    results: list[object] = []

    def pick(nominee_id: int) -> None:
        try:
            with database.session() as session:
                sel.select_nominee(
                    session,
                    office=OFFICE,
                    nominee_id=nominee_id,
                    award_id="gk",
                    awards=(one,),
                    by="lan",
                    at=T0,
                )
            results.append("selected")
        except sel.AwardCapReached as refused:
            results.append(refused)

    threads = [threading.Thread(target=pick, args=(n,)) for n in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(map(type, results), key=lambda t: t.__name__) == [sel.AwardCapReached, str]
    database.dispose()
