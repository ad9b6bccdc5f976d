"""The outbox: replies claimed a few at a time, sent by a thread of their own during a pass."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from tests.support.builders import REGISTRATION_EXAMPLE, make_eml, registration_docx
from tests.support.office import BEFORE_DEADLINE, OFFICE
from thidua.errors import ServiceUnavailable
from thidua.intake.sources import IncomingMail
from thidua.notifier.senders import DirectoryOutbox
from thidua.runners.outbox import ReplySending, drain
from thidua.store.models import Reply

OCTET = "application/octet-stream"


def queue_replies(mailroom, count: int) -> None:
    """``count`` filed mails whose replies wait in the outbox."""
    for n in range(count):
        raw = make_eml(
            sender="c2anbinh@example.vn",
            to=OFFICE,
            subject=f"Đăng ký số {n}",
            attachments=[("Đăng ký.docx", registration_docx(**REGISTRATION_EXAMPLE), OCTET)],
        )
        mailroom.app.mailroom.process(IncomingMail(raw, BEFORE_DEADLINE, f"test:{n}"))


def reply_rows(mailroom) -> list:
    with mailroom.app.db.session() as session:
        return [
            (r.status, r.attempts, r.next_attempt_at) for r in session.exec(select(Reply).order_by(Reply.id))
        ]


class FailingFirst:
    """The office's mail server: down for the first send, then up."""

    def __init__(
        self, folder, error=ServiceUnavailable("cannot reach the SMTP server 127.0.0.1:25: timed out")
    ):
        self.delivered = DirectoryOutbox(folder)
        self.error = error
        self.calls = 0

    def send(self, message, data=None):
        self.calls += 1
        if self.calls == 1:
            raise self.error
        self.delivered.send(message, data)


def test_an_outage_stops_the_run_and_the_reply_that_met_it_goes_with_the_others_once_the_server_answers(
    mailroom,
):
    queue_replies(mailroom, 3)
    now = datetime.now(UTC)
    sender = FailingFirst(mailroom.outbox)
    assert drain(mailroom.app.db, mailroom.app.blobs, sender, now) == 0
    assert sender.calls == 1  # the others would only wait for the same timeout
    rows = reply_rows(mailroom)
    assert rows[0][0:2] == ("queued", 1) and rows[0][2] > now
    assert [row[0:3] for row in rows[1:]] == [("queued", 0, None)] * 2  # never tried: due at the next run
    # the next run: the first reply that goes shows the server answers; the one the outage
    # held goes too, in the same run, not after its back-off
    assert drain(mailroom.app.db, mailroom.app.blobs, sender, now) == 3
    assert [row[0:2] for row in reply_rows(mailroom)] == [("sent", 2), ("sent", 1), ("sent", 1)]


def test_a_pass_tries_a_reply_the_outage_held_when_nothing_else_is_due(mailroom):
    queue_replies(mailroom, 1)
    now = datetime.now(UTC)
    sender = FailingFirst(mailroom.outbox)
    assert drain(mailroom.app.db, mailroom.app.blobs, sender, now) == 0
    assert drain(mailroom.app.db, mailroom.app.blobs, sender, now) == 0  # the daemon's retries wait
    assert sender.calls == 1
    assert drain(mailroom.app.db, mailroom.app.blobs, sender, now, probe=True) == 1  # a pass looks
    assert [row[0:2] for row in reply_rows(mailroom)] == [("sent", 2)]


class FakeDatabase:
    """A database whose server went away."""

    def session(self):
        raise ServiceUnavailable("the database server 127.0.0.1:5432 does not answer")


def test_a_database_outage_in_the_sending_thread_is_raised_to_the_pass(tmp_path):
    sending = ReplySending(FakeDatabase(), None, DirectoryOutbox(tmp_path), lambda: datetime.now(UTC))
    with pytest.raises(ServiceUnavailable, match="does not answer"):
        with sending:
            sending.nudge()


def test_after_an_outage_the_thread_waits_for_the_next_run(mailroom):
    queue_replies(mailroom, 2)
    sender = FailingFirst(mailroom.outbox)
    with ReplySending(mailroom.app.db, mailroom.app.blobs, sender, lambda: datetime.now(UTC)) as sending:
        sending.nudge()
        for _ in range(3):
            sending.nudge()
    assert sender.calls == 1 and sending.sent == 0  # not tried again and again during the same run
    assert [row[0] for row in reply_rows(mailroom)] == ["queued", "queued"]


def test_the_sender_is_closed_when_the_run_ends(tmp_path, mailroom):
    closed = threading.Event()

    class Closing(DirectoryOutbox):
        def close(self):
            closed.set()

    with ReplySending(mailroom.app.db, mailroom.app.blobs, Closing(tmp_path), lambda: datetime.now(UTC)):
        pass
    assert closed.is_set()
