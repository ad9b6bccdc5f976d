"""``ImapSource`` against an IMAP server object (tests.support.fake_imap): reconnecting after a lost
connection, MOVE and its COPY fallbacks, IDLE. The same behaviour against Dovecot is in
tests/live/test_imap_live.py; these need no server and show each branch on its own."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from imapclient.exceptions import IMAPClientError

from tests.support.builders import make_eml
from tests.support.fake_imap import PASSWORD, FakeImapServer
from thidua.config import Mailbox
from thidua.errors import ConfigError, ServiceUnavailable
from thidua.intake.imap import ImapSource

VN = timezone(timedelta(hours=7))
ARRIVED = datetime(2018, 3, 10, 9, 0, tzinfo=VN)


def mailbox(**changes) -> Mailbox:
    settings = {"kind": "imap", "host": "imap.pgd.example.vn", "username": "thidua", "password": PASSWORD}
    return Mailbox(**(settings | changes))


def source_for(server: FakeImapServer, **changes) -> ImapSource:
    return ImapSource(mailbox(**changes), clock=server.clock, new_client=server.new_client)


def school_mail(subject: str) -> bytes:
    return make_eml(
        sender="c2anbinh@example.vn",
        to="thidua@pgd.example.vn",
        subject=subject,
        body="Kính gửi Phòng, trường gửi hồ sơ.",
    )


def subjects(mails) -> list[str]:
    return [mail.raw.split(b"Subject: ", 1)[1].split(b"\r\n", 1)[0].decode() for mail in mails]


# -- reading and reconnecting -------------------------------------------------------------------


def test_pending_gives_every_mail_oldest_first_at_its_internaldate():
    server = FakeImapServer()
    server.deliver(school_mail("Thu 1"), ARRIVED)
    server.deliver(school_mail("Thu 2"), ARRIVED + timedelta(hours=1))

    mails = list(source_for(server).pending())

    assert subjects(mails) == ["Thu 1", "Thu 2"]
    assert [mail.arrived_at for mail in mails] == [ARRIVED, ARRIVED + timedelta(hours=1)]
    assert mails[0].source_key == f"imap:INBOX:{server.uidvalidity}:1"


def test_a_connection_lost_in_a_pass_is_one_line_and_the_next_pass_reconnects():
    server = FakeImapServer()
    server.deliver(school_mail("Thu 1"), ARRIVED)
    source = source_for(server)
    assert len(list(source.pending())) == 1

    server.fail_next("SEARCH", ConnectionResetError(104, "Connection reset by peer"))
    with pytest.raises(ServiceUnavailable) as lost:
        list(source.pending())
    assert str(lost.value) == (
        "lost the connection to the IMAP server imap.pgd.example.vn:993 while searching "
        "the inbox: connection reset by the server"
    )
    assert not source.connected

    assert subjects(source.pending()) == ["Thu 1"]
    assert source.connections == 2
    assert len(server.connections) == 2 and not server.connections[0].alive


def test_a_refused_login_is_a_configuration_error_and_no_connection_is_kept():
    server = FakeImapServer()
    source = ImapSource(mailbox(password="sai-mat-khau"), clock=server.clock, new_client=server.new_client)

    with pytest.raises(
        ConfigError, match=r"IMAP login failed for thidua: check \[mailbox\] username/password"
    ):
        list(source.pending())
    assert not source.connected


# -- moving mail out of the inbox ---------------------------------------------------------------


def filed_with(capabilities) -> FakeImapServer:
    server = FakeImapServer(capabilities=capabilities)
    server.deliver(school_mail("Thu 1"), ARRIVED)
    server.deliver(school_mail("Thu 2"), ARRIVED)
    source = source_for(server)
    source.mark_filed(*source.pending())
    return server


def test_with_move_the_filed_mails_are_moved_in_one_command():
    server = filed_with(("IMAP4REV1", "MOVE", "UIDPLUS", "NAMESPACE"))
    assert server.uids("INBOX") == []
    assert len(server.uids("Processed")) == 2
    assert server.used("MOVE") == 1 and server.used("COPY") == 0
    assert "Processed" in server.subscribed


def test_without_move_they_are_copied_flagged_and_expunged_by_uid():
    server = filed_with(("IMAP4REV1", "UIDPLUS"))
    assert server.uids("INBOX") == [] and len(server.uids("Processed")) == 2
    assert (server.used("MOVE"), server.used("COPY"), server.used("STORE"), server.used("UID EXPUNGE")) == (
        0,
        1,
        1,
        1,
    )
    assert server.used("EXPUNGE") == 0


def test_without_uidplus_a_plain_expunge_ends_the_copy():
    server = filed_with(("IMAP4REV1",))
    assert server.uids("INBOX") == [] and len(server.uids("Processed")) == 2
    assert (server.used("COPY"), server.used("UID EXPUNGE"), server.used("EXPUNGE")) == (1, 0, 1)


def test_a_mail_for_review_goes_to_its_own_folder():
    server = FakeImapServer()
    server.deliver(school_mail("Thu hong"), ARRIVED)
    source = source_for(server)
    (mail,) = source.pending()
    source.mark_for_review(mail, "unreadable")
    assert server.uids("INBOX") == [] and len(server.uids("Needs review")) == 1


def test_mails_another_daemon_moved_first_are_left_to_it_and_the_rest_moved():
    server = FakeImapServer(capabilities=("IMAP4REV1", "MOVE"))
    server.deliver(school_mail("Thu 1"), ARRIVED)
    server.deliver(school_mail("Thu 2"), ARRIVED)
    source = source_for(server)
    mails = list(source.pending())
    del server.folders["INBOX"][1]  # the other daemon's MOVE of the first mail
    server.folders["Processed"] = {}
    server.fail_next(
        "MOVE", IMAPClientError("b'[EXPUNGEISSUED] Some of the requested messages no longer exist'")
    )

    source.mark_filed(*mails)

    assert server.uids("INBOX") == []
    assert server.used("MOVE") == 2  # the group, refused; then the mail still there


# -- waiting for mail ---------------------------------------------------------------------------


def test_idle_a_new_connection_answers_at_once_then_idle_waits_for_exists():
    server = FakeImapServer()
    source = source_for(server)
    assert source.wait_for_mail(30) is True  # nothing looked at yet on a new connection
    assert server.used("IDLE") == 0

    assert source.wait_for_mail(30) is False  # nothing came: the IDLE is still running
    assert server.used("IDLE") == 1 and server.used("DONE") == 0

    server.deliver(school_mail("Thu moi"), ARRIVED)
    assert source.wait_for_mail(30) is True
    assert server.used("IDLE") == 1 and server.used("DONE") == 1  # ended, ready for the pass
    assert subjects(source.pending()) == ["Thu moi"]


def test_a_running_idle_is_renewed_after_the_refresh_interval():
    server = FakeImapServer()
    source = ImapSource(mailbox(), clock=server.clock, new_client=server.new_client, idle_refresh_seconds=60)
    source.wait_for_mail(0)
    assert source.wait_for_mail(150) is False
    assert server.used("IDLE") == 3 and server.used("DONE") == 2  # renewed at 60 s and 120 s


def test_mail_announced_before_idle_starts_is_not_lost():
    server = FakeImapServer()
    source = source_for(server)
    source.wait_for_mail(0)
    server.connections[0]._imap.untagged_responses["EXISTS"] = [b"1"]  # kept by imaplib from a MOVE's answer
    assert source.wait_for_mail(30) is True
    assert server.used("IDLE") == 0


def test_the_server_saying_bye_while_idling_drops_the_connection():
    server = FakeImapServer()
    source = source_for(server)
    source.wait_for_mail(0)
    source.wait_for_mail(1)  # idling now
    server.connections[0].untold.append((b"BYE", b"Server shutting down."))
    with pytest.raises(ServiceUnavailable, match="closed the connection"):
        source.wait_for_mail(30)
    assert not source.connected
    assert source.wait_for_mail(30) is True and source.connections == 2


def test_without_idle_the_source_polls_with_noop():
    server = FakeImapServer(capabilities=("IMAP4REV1", "MOVE"))
    source = source_for(server, poll_seconds=60)
    assert source.wait_for_mail(0) is True  # the new connection
    assert source.wait_for_mail(0) is False  # not due yet
    server.clock.advance(61)
    assert source.wait_for_mail(0) is True
    assert server.used("NOOP") == 1 and server.used("IDLE") == 0
