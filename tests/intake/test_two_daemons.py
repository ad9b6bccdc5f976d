"""Two mailrooms sharing one PostgreSQL database never file or answer a mail twice."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

import pytest

from tests.support.mails import certificate, nomination_mail, nominee
from tests.support.office import BEFORE_DEADLINE
from thidua.intake.sources import IncomingMail
from thidua.runners.outbox import drain
from thidua.store.ledger import ledger_get

pytestmark = pytest.mark.postgres


@pytest.fixture
def shared_postgres():
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True, connect_timeout=5
        )
    except Exception as error:
        pytest.skip(f"PostgreSQL not reachable: {str(error).splitlines()[0]}")
    name = f"thidua_pair_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_the_same_mails_raced_by_two_mailrooms_are_filed_and_answered_once(make_mailroom, shared_postgres):
    config = f'[database]\nurl = "{shared_postgres}"\n'
    first, second = make_mailroom(config), make_mailroom(config)
    second.app.settings.outgoing.path = first.outbox  # one outbox to count replies in
    second.app.settings.storage.path = first.app.settings.storage.path
    second.app.__dict__.pop("blobs", None)
    mails = [
        IncomingMail(
            nomination_mail(
                [nominee(f"Giáo viên {i}", evidence=(f"GK {i}.pdf",))],
                [(f"GK {i}.pdf", certificate(str(i)), "application/pdf")],
                subject=f"Danh sách bổ sung {i}",
            ),
            BEFORE_DEADLINE,
            f"imap:INBOX:1:{i}",
        )
        for i in range(8)
    ]  # each adds to the school's list: eight receipts
    outcomes: list = []
    barrier = threading.Barrier(2)

    def work(room):
        barrier.wait()
        for mail in mails:
            outcomes.append(room.app.mailroom.process(mail))
        drain(room.app.db, room.app.blobs, room.app.reply_sender(), datetime.now(UTC))

    threads = [threading.Thread(target=work, args=(room,)) for room in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    submissions = first.submissions()
    assert len(submissions) == 8
    assert len({s["receipt"] for s in submissions}) == 8
    statuses = [o.status for o in outcomes]
    # the second to come to a mail finds it filed, or still in the first one's hands
    assert statuses.count("duplicate") + statuses.count("held") == 8
    assert len(first.replies()) == 8


def test_a_mail_held_by_another_daemon_is_left_to_it_and_taken_once_released(make_mailroom, shared_postgres):
    config = f'[database]\nurl = "{shared_postgres}"\n'
    first, second = make_mailroom(config), make_mailroom(config)
    mails = [
        IncomingMail(
            nomination_mail([nominee(f"Giáo viên {i}")], subject=f"Danh sách {i}"),
            BEFORE_DEADLINE,
            f"imap:INBOX:1:{i}",
        )
        for i in range(4)
    ]
    assert first.app.mailroom.claims.take("imap:INBOX:1:2")
    outcomes = second.app.mailroom.process_all(mails)
    assert [o.source_key for o in outcomes] == ["imap:INBOX:1:0", "imap:INBOX:1:1", "imap:INBOX:1:3"]
    assert all(o.receipt and o.status not in ("held", "duplicate") for o in outcomes)
    assert second.app.mailroom.process(mails[2]).status == "held"
    with second.app.db.session() as session:  # left alone: not even an attempt noted
        assert ledger_get(session, "imap:INBOX:1:2") is None
    first.app.mailroom.claims.release("imap:INBOX:1:2")
    filed = second.app.mailroom.process(mails[2])
    assert filed.receipt and filed.status not in ("held", "duplicate")
    assert first.app.mailroom.claims.take("imap:INBOX:1:0")  # released by the second once filed
    assert [o.status for o in first.app.mailroom.process_all(mails)] == ["duplicate"] * 4
    assert len(first.submissions()) == 4


def test_lists_of_one_school_raced_by_two_mailrooms_leave_one_current_list(make_mailroom, shared_postgres):
    """Each full list replaces the one before: whichever daemon files a list, the school ends with
    one receipt whose versions follow each other, and one current version."""
    config = f'[database]\nurl = "{shared_postgres}"\n'
    first, second = make_mailroom(config), make_mailroom(config)
    second.app.settings.storage.path = first.app.settings.storage.path
    second.app.__dict__.pop("blobs", None)
    mails = [
        IncomingMail(
            nomination_mail(
                [nominee(f"Giáo viên {i}", evidence=(f"GK {i}.pdf",))],
                [(f"GK {i}.pdf", certificate(str(i)), "application/pdf")],
                subject=f"Danh sách khen thưởng quý I, lần {i}",
            ),
            BEFORE_DEADLINE,
            f"imap:INBOX:1:{i}",
        )
        for i in range(8)
    ]
    barrier = threading.Barrier(2)

    def work(room, order):
        barrier.wait()
        for mail in order:
            room.app.mailroom.process(mail)

    threads = [
        threading.Thread(target=work, args=(first, mails)),
        threading.Thread(target=work, args=(second, mails[::-1])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    submissions = first.submissions()
    assert len(submissions) == 8
    assert len({s["receipt"] for s in submissions}) == 1
    assert sorted(s["version"] for s in submissions) == list(range(1, 9))
    [current] = [s for s in submissions if s["status"] != "superseded"]
    assert current["version"] == 8
