"""Replies and digests through a real SMTP server (aiosmtpd on 127.0.0.1), with a Maildir inbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.builders import make_eml
from tests.support.live import free_port, smtp_section
from tests.support.office import BEFORE_DEADLINE, OFFICE
from thidua.intake.sources import deliver_to_maildir
from thidua.runners.daemon import drain_outbox, one_pass
from thidua.runners.outbox import drain

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

SCHOOL = "c2anbinh@example.vn"
STAFF = ["chuyenvien@pgd.example.vn", "truongphong@pgd.example.vn"]


def school_mail(subject: str = "Hồ sơ thi đua") -> bytes:
    return make_eml(sender=SCHOOL, to=OFFICE, subject=subject, body="Kính gửi Phòng, trường gửi hồ sơ.")


@pytest.fixture
def smtp_office(make_office):
    def make(port: int, office_extra: str = "", **outgoing):
        return make_office(
            mailbox='kind = "maildir"\npath = "inbox"',
            outgoing=smtp_section(port, **outgoing),
            office_extra=office_extra,
        )

    return make


def receive(office, raw: bytes | None = None) -> None:
    deliver_to_maildir(office.app.settings.mailbox.path, raw or school_mail(), BEFORE_DEADLINE)
    one_pass(office.app)


def later(minutes: int) -> datetime:
    return datetime.now(UTC) + timedelta(minutes=minutes)


def test_replies_go_from_the_null_sender_and_the_digest_from_the_office(smtp_server, smtp_office):
    from thidua.runners.digest import send_digest

    office = smtp_office(smtp_server.port, office_extra=f"staff = {STAFF!r}".replace("'", '"'))
    receive(office)
    [reply] = smtp_server.wait_for(1)
    assert (reply.mail_from, reply.rcpt_tos) == ("<>", [SCHOOL])
    assert reply.message["To"] == SCHOOL and reply.message["Auto-Submitted"] == "auto-replied"
    assert reply.content.endswith(b"\r\n") and b"\r\n\r\n" in reply.content

    assert send_digest(office.app, datetime.now(UTC)) == 2
    _, digest = smtp_server.wait_for(2)
    assert digest.mail_from == OFFICE  # a bounce for a mistyped staff address reaches the office
    assert digest.rcpt_tos == STAFF
    assert [r["status"] for r in office.replies()] == ["sent", "sent"]


def test_auto_reply_envelope_sender_can_be_set_and_login_uses_password_file(
    make_smtp_server, smtp_office, tmp_path
):
    server = make_smtp_server(login=("thidua@pgd.example.vn", "mat-khau-smtp"))
    secret = tmp_path / "smtp-password"
    secret.write_text("mat-khau-smtp\n")
    office = smtp_office(
        server.port,
        username='"thidua@pgd.example.vn"',
        password_file=f'"{secret}"',
        auto_reply_envelope_from='"bounces@pgd.example.vn"',
    )
    receive(office)
    [reply] = server.wait_for(1)
    assert (reply.mail_from, reply.rcpt_tos) == ("bounces@pgd.example.vn", [SCHOOL])


def test_a_refused_smtp_login_keeps_replies_queued(make_smtp_server, smtp_office):
    server = make_smtp_server(login=("thidua@pgd.example.vn", "mat-khau-smtp"))
    office = smtp_office(server.port, username='"thidua@pgd.example.vn"', password='"sai"')
    receive(office)
    [reply] = office.replies()
    assert (reply["status"], reply["attempts"]) == ("queued", 1)
    assert (
        "SMTP login failed for thidua@pgd.example.vn: check [outgoing] username/password" in reply["reason"]
    )
    assert server.received == []


def test_replies_wait_while_the_smtp_server_is_down_and_go_when_it_is_back(make_smtp_server, smtp_office):
    port = free_port()  # nothing listens there yet
    office = smtp_office(port)
    receive(office, school_mail("thứ nhất"))
    receive(office, school_mail("thứ hai"))
    replies = office.replies()
    assert [(r["status"], r["attempts"]) for r in replies] == [("queued", 1), ("queued", 1)]
    assert (
        replies[0]["reason"]
        == f"ServiceUnavailable: cannot reach the SMTP server 127.0.0.1:{port}: connection refused"
    )
    assert drain_outbox(office.app) == 0  # not due yet: the outbox backs off

    server = make_smtp_server(port)
    assert drain(office.app.db, office.app.blobs, office.app.reply_sender(), later(2)) == 2
    assert [r["status"] for r in office.replies()] == ["sent", "sent"]
    assert [r.rcpt_tos for r in server.wait_for(2)] == [[SCHOOL], [SCHOOL]]


def test_a_550_refusal_fails_the_reply_for_good_without_retrying(make_smtp_server, smtp_office):
    server = make_smtp_server(
        refuse_rcpt="550 5.1.1 <c2anbinh@example.vn>: Recipient address rejected: User unknown"
    )
    office = smtp_office(server.port)
    receive(office)
    [reply] = office.replies()
    assert (reply["status"], reply["attempts"]) == ("failed", 1)
    assert "550 5.1.1" in reply["reason"] and "User unknown" in reply["reason"]
    assert drain(office.app.db, office.app.blobs, office.app.reply_sender(), later(600)) == 0
    assert server.rcpt_attempts == 1  # never tried again


def test_a_550_after_data_is_permanent_too(make_smtp_server, smtp_office):
    server = make_smtp_server(refuse_data="554 5.7.1 Message refused by policy")
    office = smtp_office(server.port)
    receive(office)
    [reply] = office.replies()
    assert reply["status"] == "failed" and "554 5.7.1" in reply["reason"]


def test_a_4xx_answer_is_retried_later(make_smtp_server, smtp_office):
    server = make_smtp_server(refuse_rcpt="451 4.3.0 Mailbox temporarily unavailable")
    office = smtp_office(server.port)
    receive(office)
    [reply] = office.replies()
    assert (reply["status"], reply["attempts"]) == ("queued", 1)
    assert "451 4.3.0" in reply["reason"]
    server.refuse_rcpt = ""
    assert drain(office.app.db, office.app.blobs, office.app.reply_sender(), later(2)) == 1
    assert len(server.received) == 1


def test_one_connection_carries_the_messages_sent_in_a_row(smtp_server, smtp_office, monkeypatch):
    from thidua.notifier.smtp import SmtpSender

    office = smtp_office(smtp_server.port)
    for n in range(3):
        deliver_to_maildir(office.app.settings.mailbox.path, school_mail(f"hồ sơ {n}"), BEFORE_DEADLINE)
    source = office.app.source()
    for mail in source.pending():
        office.app.mailroom.process(mail, source)
    connections = []
    original = SmtpSender._open

    async def counting_open(self):
        connections.append(1)
        return await original(self)

    monkeypatch.setattr(SmtpSender, "_open", counting_open)
    with SmtpSender(office.app.settings.outgoing) as sender:
        assert drain(office.app.db, office.app.blobs, sender, datetime.now(UTC)) == 3
    assert len(connections) == 1 and len(smtp_server.wait_for(3)) == 3
