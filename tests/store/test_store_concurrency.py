"""Two daemons (threads, processes) using one database at once."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.support.store import NOW, make_draft, queued_reply
from thidua.store.db import open_database
from thidua.store.ledger import ledger_begin, ledger_get
from thidua.store.models import ReceiptCounter, Reply, Submission
from thidua.store.replies import due_replies
from thidua.store.submissions import DuplicateSubmission, file_submission


def _run_threads(count, target):
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def run(index):
        try:
            barrier.wait()
            target(index)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []


def test_concurrent_filing_never_shares_a_receipt_threads(db):
    per_thread, threads = 10, 6
    receipts: list[str] = []
    lock = threading.Lock()

    def file_some(index):
        for i in range(per_thread):
            with db.session() as session:
                s = file_submission(session, make_draft(index * 1000 + i), year=2024)
                code = s.receipt
            with lock:
                receipts.append(code)

    _run_threads(threads, file_some)
    assert len(receipts) == len(set(receipts)) == per_thread * threads
    assert sorted(receipts) == [f"HS-2024-{n:04d}" for n in range(1, per_thread * threads + 1)]
    with db.session() as session:
        assert session.get(ReceiptCounter, 2024).last_seq == per_thread * threads


def _file_in_process(url: str, start: int, count: int, queue) -> None:
    database = open_database(url)
    try:
        codes = []
        for i in range(count):
            with database.session() as session:
                codes.append(file_submission(session, make_draft(start + i), year=2024).receipt)
        queue.put(codes)
    except BaseException as error:
        queue.put(error)
    finally:
        database.dispose()


def test_concurrent_filing_never_shares_a_receipt_processes(db):
    url = db.engine.url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    processes = [context.Process(target=_file_in_process, args=(url, p * 1000, 8, queue)) for p in range(3)]
    for p in processes:
        p.start()
    results = [queue.get(timeout=120) for _ in processes]
    for p in processes:
        p.join(60)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    receipts = [code for codes in results for code in codes]
    assert len(receipts) == len(set(receipts)) == 24
    with db.session() as session:
        filed = session.exec(sa.select(Submission.receipt)).scalars().all()
    assert sorted(filed) == sorted(receipts)


def test_concurrent_new_versions_of_one_receipt(db):
    with db.session() as session:
        receipt = file_submission(session, make_draft(1), year=2024).receipt

    def new_version(index):
        with db.session() as session:
            file_submission(session, make_draft(100 + index, thread_receipt=receipt), year=2024)

    _run_threads(4, new_version)
    with db.session() as session:
        rows = session.exec(sa.select(Submission).where(Submission.receipt == receipt)).scalars().all()
    assert sorted(r.version for r in rows) == [1, 2, 3, 4, 5]
    assert Counter(r.status for r in rows) == {"superseded": 4, "accepted": 1}
    assert max(rows, key=lambda r: r.version).status == "accepted"


def test_one_mail_filed_by_two_daemons_at_once_is_filed_once(db):
    outcomes: list[str] = []
    lock = threading.Lock()

    def file_it(index):
        try:
            with db.session() as session:
                file_submission(session, make_draft(7, source_key=f"daemon-{index}"), year=2024)
            outcome = "filed"
        except DuplicateSubmission:
            outcome = "duplicate"
        with lock:
            outcomes.append(outcome)

    _run_threads(4, file_it)
    assert sorted(outcomes) == ["duplicate", "duplicate", "duplicate", "filed"]
    with db.session() as session:
        assert session.exec(sa.select(sa.func.count()).select_from(Submission)).one()[0] == 1


def test_concurrent_ledger_begin_counts_every_attempt(db):
    def begin(index):
        with db.session() as session:
            ledger_begin(session, "imap:INBOX/1/7", "a" * 64)

    _run_threads(5, begin)
    with db.session() as session:
        assert ledger_get(session, "imap:INBOX/1/7").attempts == 5


def test_two_senders_never_get_the_same_reply(db):
    with db.session() as session:
        ids = {queued_reply(session, n, created=NOW - timedelta(minutes=60 - n)).id for n in range(12)}
    taken: list[int] = []
    lock = threading.Lock()

    def sender(index):
        while True:
            with db.session() as session:
                batch = [r.id for r in due_replies(session, NOW, 3)]
            if not batch:
                return
            with lock:
                taken.extend(batch)

    _run_threads(3, sender)
    assert sorted(taken) == sorted(ids)


@pytest.mark.postgres
def test_due_replies_skips_rows_locked_by_another_sender(pg_db):
    with pg_db.session() as session:
        ids = [queued_reply(session, n, created=NOW - timedelta(minutes=10 - n)).id for n in range(4)]
    with pg_db.session() as first:
        mine = [r.id for r in due_replies(first, NOW, 2)]
        assert mine == ids[:2]
        # while the first sender's transaction is open, a second one skips its rows without waiting
        other: list[int] = []

        def second_sender(_):
            with pg_db.session() as session:
                session.execute(sa.text("SET LOCAL lock_timeout = '2s'"))
                other.extend(r.id for r in due_replies(session, NOW, 10, lease=None))

        _run_threads(1, second_sender)
        assert other == ids[2:]
    # committed: the claim keeps them away from everyone until the lease ends
    with pg_db.session() as session:
        assert [r.id for r in due_replies(session, NOW, 10, lease=None)] == ids[2:]
        for reply_id in ids:
            assert session.get(Reply, reply_id).status == "queued"
