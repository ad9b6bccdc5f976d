"""Which schools were told a round's outcome: each claimed once per office and round, on SQLite and
PostgreSQL, also when two senders claim it at the same moment (PostgreSQL)."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from tests.support.store import T0
from thidua.store import results_sent
from thidua.store import schools as store_schools


def _school(db) -> int:
    with db.session() as session:
        store_schools.import_schools(session, [("Trường THCS An Bình", ["c2anbinh@example.vn"])])
        return session.execute(sa.text("SELECT id FROM schools")).scalar_one()


def _claim(db, school_id: int, office: str = "phong-dien", round_id: str = "q1-2018") -> bool:
    with db.session() as session:
        return results_sent.claim_school(
            session, office=office, round_id=round_id, school_id=school_id, school_name="THCS An Bình", at=T0
        )


def test_a_school_is_claimed_once_per_office_and_round(db):
    school = _school(db)
    assert _claim(db, school) is True
    assert _claim(db, school) is False
    assert _claim(db, school, round_id="q2-2018") is True
    assert _claim(db, school, office="a-luoi") is True
    with db.session() as session:
        sent = results_sent.sent_for_round(session, office="phong-dien", round_id="q1-2018")
    assert list(sent) == [school] and sent[school].sent_at == T0 and sent[school].reply_id is None
    with db.session() as session:
        assert results_sent.sent_for_round(session, office="other", round_id="q1-2018") == {}


def test_two_senders_at_once_claim_the_school_once(pg_db):
    """The second claim waits on the first's uncommitted row, then finds it and claims nothing."""
    school = _school(pg_db)
    first_holds = threading.Event()
    release_first = threading.Event()
    outcomes: dict[str, bool] = {}

    def first() -> None:
        outcomes["first"] = _claim_holding(pg_db, school, first_holds, release_first)

    def second() -> None:
        first_holds.wait(30)
        outcomes["second"] = _claim(pg_db, school)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_holds.wait(30)
    release_first.set()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes == {"first": True, "second": False}


def _claim_holding(db, school_id: int, holding: threading.Event, release: threading.Event) -> bool:
    with db.session() as session:
        claimed = results_sent.claim_school(
            session, office="phong-dien", round_id="q1-2018", school_id=school_id, school_name="x", at=T0
        )
        holding.set()
        release.wait(30)
    return claimed
