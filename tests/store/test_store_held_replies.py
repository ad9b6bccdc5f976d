"""The outbox's newer rules, in the store: what the daily cap counts, replies it holds for staff,
claims taken over from a process that is gone, and replies an outage held made due at once."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.support.store import NOW, queued_reply
from thidua.store.models import Reply
from thidua.store.replies import (
    NotHeld,
    add_reply,
    capped_replies_since,
    documents_answered_since,
    drop_held_reply,
    due_replies,
    held_replies,
    mark_reply,
    release_held_reply,
    release_replies_waiting_for_server,
)
from thidua.store.reply_claims import ReplyClaimer, claimer_for

SCHOOL = "c2anbinh@example.vn"
DAY_AGO = NOW - timedelta(days=1)
LEASE = timedelta(minutes=5)


def reply(session, n, **options):
    defaults = dict(
        submission_id=None,
        kind="receipt",
        to_address=SCHOOL,
        subject=f"reply {n}",
        message_id=f"<reply-{n}@pgd>",
        eml_sha256=f"{n:064x}",
        now=NOW - timedelta(minutes=60 - n),
    )
    return add_reply(session, **{**defaults, **options})


# -- what the daily cap counts ---------------------------------------------------------------


def test_the_cap_counts_only_replies_that_count_toward_it(db):
    with db.session() as session:
        for n in range(5):  # a school's receipts
            reply(session, n, counts_toward_cap=False, documents_key=f"{n:064x}")
        reply(session, 10, counts_toward_cap=True)  # to a mail with no document
        reply(session, 11, counts_toward_cap=True, status="held")  # held: it did not go
        reply(session, 12, counts_toward_cap=True, to_address="other@example.vn")
        reply(session, 13, counts_toward_cap=True, now=NOW - timedelta(days=2))
    with db.session() as session:
        assert capped_replies_since(session, SCHOOL, DAY_AGO) == 1
        assert capped_replies_since(session, SCHOOL.upper(), DAY_AGO) == 1
        assert capped_replies_since(session, SCHOOL, DAY_AGO, office="another") == 0


def test_a_repeat_is_the_same_documents_from_the_same_address_within_the_day(db):
    key = "ab" * 32
    with db.session() as session:
        reply(session, 1, documents_key=key, counts_toward_cap=False)
        reply(session, 2, documents_key="cd" * 32, now=NOW - timedelta(days=2))
    with db.session() as session:
        assert documents_answered_since(session, SCHOOL, key, DAY_AGO)
        assert not documents_answered_since(session, "other@example.vn", key, DAY_AGO)
        assert not documents_answered_since(session, SCHOOL, "cd" * 32, DAY_AGO)  # two days ago
        assert not documents_answered_since(session, SCHOOL, "", DAY_AGO)  # no documents: never a repeat


# -- held replies ----------------------------------------------------------------------------


def test_held_replies_are_listed_oldest_first_and_not_sent(db):
    with db.session() as session:
        first = reply(session, 1, status="held", reason="quá giới hạn").id
        reply(session, 2)
        second = reply(session, 3, status="held", reason="quá giới hạn").id
        reply(session, 4, status="held", office="another")
    with db.session() as session:
        held = held_replies(session)
        assert [(r.id, r.to_address, r.reason, r.receipt) for r in held] == [
            (first, SCHOOL, "quá giới hạn", ""),
            (second, SCHOOL, "quá giới hạn", ""),
        ]
        assert [r.id for r in held_replies(session, limit=1)] == [first]
        assert [r.subject for r in held_replies(session, office="another")] == ["reply 4"]
        assert [r.id for r in due_replies(session, NOW, 10, lease=None)] != []
        assert not {first, second} & {r.id for r in due_replies(session, NOW, 10, lease=None)}


def test_staff_send_or_drop_a_held_reply_once(db):
    with db.session() as session:
        to_send = reply(session, 1, status="held").id
        to_drop = reply(session, 2, status="held").id
        sent = reply(session, 3, status="sent").id
    with db.session() as session:
        released = release_held_reply(session, to_send, "chuyenvien", now=NOW)
        assert (released.status, released.handled_by, released.handled_at) == ("queued", "chuyenvien", NOW)
        dropped = drop_held_reply(session, to_drop, "truongphong", now=NOW)
        assert (dropped.status, dropped.handled_by) == ("dropped", "truongphong")
    with db.session() as session:
        assert [r.id for r in due_replies(session, NOW, 10, lease=None)] == [to_send]  # due at once
        assert held_replies(session) == []
    for reply_id, status in ((to_send, "queued"), (to_drop, "dropped"), (sent, "sent"), (999_999, None)):
        for decide in (release_held_reply, drop_held_reply):
            with db.session() as session, pytest.raises(NotHeld) as refused:
                decide(session, reply_id, "chuyenvien")
            assert (refused.value.reply_id, refused.value.status) == (reply_id, status)
    with db.session() as session, pytest.raises(NotHeld):
        release_held_reply(session, to_send, "chuyenvien", office="another")


# -- claims ----------------------------------------------------------------------------------


def claim(db, claimer, now=NOW):
    with db.session() as session:
        return [r.id for r in due_replies(session, now, 10, lease=LEASE, claimer=claimer)]


def claimed_by(db, reply_id) -> str:
    with db.session() as session:
        return session.get(Reply, reply_id).claimed_by


def test_a_claim_names_its_claimer_and_marking_ends_it(db):
    claimer = claimer_for(db.engine)
    assert claimer_for(db.engine) is claimer  # one per process and database
    with db.session() as session:
        reply_id = queued_reply(session, 1).id
    assert claim(db, claimer) == [reply_id]
    assert claimed_by(db, reply_id) == claimer.identity
    assert claim(db, claimer) == []  # its own claim, alive: kept for its lease
    with db.session() as session:
        mark_reply(session, reply_id, "queued", next_attempt_at=NOW + LEASE, now=NOW)
    assert claimed_by(db, reply_id) == ""


def test_a_claim_of_a_process_that_is_gone_is_taken_over_at_once(db):
    with db.session() as session:
        reply_id = queued_reply(session, 1).id
    if db.dialect == "postgresql":
        dead = ReplyClaimer(db.engine)  # another process: its lock, then its connection, goes
        assert claim(db, dead) == [reply_id]
        dead.close()
    else:
        finished = subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"],
            capture_output=True,
            text=True,
            check=True,
        )
        gone = f"{claimer_for(db.engine).host}/{finished.stdout.strip()}/1/cafe"
        with db.session() as session:
            session.execute(sa.update(Reply).values(claimed_by=gone, next_attempt_at=NOW + LEASE))
    mine = claimer_for(db.engine)
    assert claim(db, mine) == [reply_id]  # well before the lease runs out
    assert claimed_by(db, reply_id) == mine.identity


def test_a_claim_of_a_live_process_is_left_to_it(db):
    with db.session() as session:
        reply_id = queued_reply(session, 1).id
    if db.dialect == "postgresql":
        other = ReplyClaimer(db.engine)  # another daemon, alive, on the same database
        try:
            assert claim(db, other) == [reply_id]
            assert claim(db, claimer_for(db.engine)) == []
        finally:
            other.close()
        return
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        from thidua.store.reply_claims import _start_time

        alive = f"{claimer_for(db.engine).host}/{sleeper.pid}/{_start_time(sleeper.pid)}/beef"
        elsewhere = f"another-host/{sleeper.pid}/1/beef"
        for identity in (alive, elsewhere):
            with db.session() as session:
                session.execute(sa.update(Reply).values(claimed_by=identity, next_attempt_at=NOW + LEASE))
            assert claim(db, claimer_for(db.engine)) == []
    finally:
        sleeper.kill()
        sleeper.wait()


# -- an outage's replies ---------------------------------------------------------------------


def test_when_the_server_answers_the_replies_an_outage_held_are_due_at_once(db):
    with db.session() as session:
        held = [queued_reply(session, n).id for n in (1, 2)]
        other = queued_reply(session, 3).id
        for reply_id in held:
            mark_reply(
                session, reply_id, "queued", next_attempt_at=NOW + LEASE, now=NOW, waits_for_server=True
            )
        mark_reply(session, other, "queued", reason="451 mailbox busy", next_attempt_at=NOW + LEASE, now=NOW)
    with db.session() as session:
        assert due_replies(session, NOW, 10, lease=None) == []
        # nothing due: a pass looks at the oldest reply the outage held
        assert [r.id for r in due_replies(session, NOW, 1, lease=None, waiting_for_server=True)] == held[:1]
    with db.session() as session:
        assert release_replies_waiting_for_server(session) == 2
    with db.session() as session:
        assert [r.id for r in due_replies(session, NOW, 10, lease=None)] == held  # not the 451: its own fault


def test_closing_the_database_lets_go_of_the_claimer(db):
    first = claimer_for(db.engine)
    first.hold()
    db.dispose()
    assert claimer_for(db.engine) is not first  # a new one, should the database be used again
