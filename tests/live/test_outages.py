"""Outage proofs: the database, the IMAP server and the SMTP server go away under a running daemon.

Each outage is one clear log line per failed attempt (never a traceback), touches no mail that
cannot be finished, and ends without a person: the daemon retries with backoff and catches up.
The database is a private PostgreSQL started for the test (``pgcluster``), never the shared one.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading

import pytest

from tests.support.builders import make_eml
from tests.support.live import DOVECOT, NO_DOVECOT, free_port, imap_section, smtp_section, wait_until
from tests.support.office import BEFORE_DEADLINE, OFFICE
from tests.support.pgcluster import PgCluster, postgres_bindir
from thidua.runners import daemon

if DOVECOT is None:
    pytest.skip(NO_DOVECOT, allow_module_level=True)

pytestmark = pytest.mark.dovecot

SCHOOL = "c2anbinh@example.vn"


def school_mail(subject: str) -> bytes:
    return make_eml(sender=SCHOOL, to=OFFICE, subject=subject, body="Kính gửi Phòng, trường gửi hồ sơ.")


@pytest.fixture
def postgres():
    if postgres_bindir() is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    cluster = PgCluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.cleanup()


class Running:
    """``run_forever`` in a thread, as `thidua run` runs it; stopped (like SIGTERM) at teardown."""

    def __init__(self, application, **options) -> None:
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=daemon.run_forever, args=(application, self.stop), kwargs=options, daemon=True
        )
        self.thread.start()

    def finish(self) -> None:
        self.stop.set()
        self.thread.join(30)
        assert not self.thread.is_alive()


@pytest.fixture
def running():
    started = []

    def start(application, **options) -> Running:
        started.append(Running(application, **options))
        return started[-1]

    yield start
    for run in started:
        run.stop.set()
        run.thread.join(30)


def problems(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


def assert_one_line_each(records) -> None:
    for record in records:
        assert record.exc_info is None, f"traceback logged: {record.getMessage()}"
        assert "\n" not in record.getMessage()


def inbox(dovecot, user) -> list[bytes]:
    return [m["raw"] for m in dovecot.folders(user)["INBOX"]]


# -- the database --------------------------------------------------------------------------------


def test_the_daemon_waits_out_a_database_outage_touching_no_mail(
    dovecot, smtp_server, make_office, postgres, running, caplog
):
    user = dovecot.new_user()
    office = make_office(
        mailbox=imap_section(dovecot, user),
        outgoing=smtp_section(smtp_server.port) + f'\n[database]\nurl = "{postgres.url}"',
    )
    caplog.set_level(logging.INFO, logger="thidua")
    run = running(office.app)
    dovecot.append(user, school_mail("trước khi mất cơ sở dữ liệu"), BEFORE_DEADLINE)
    assert len(smtp_server.wait_for(1, 30)) == 1, caplog.text

    postgres.stop()
    during = [school_mail(f"trong lúc mất cơ sở dữ liệu {n}") for n in range(3)]
    for raw in during:
        dovecot.append(user, raw, BEFORE_DEADLINE)
    unreachable = (
        f"cannot reach the database at 127.0.0.1:{postgres.port}: connection refused — is PostgreSQL running?"
    )
    # (a connection cut by the stop may say so first: "server closed the connection unexpectedly")
    failures = lambda: [
        r.getMessage() for r in problems(caplog) if f"127.0.0.1:{postgres.port}" in r.getMessage()
    ]
    assert wait_until(lambda: len(failures()) >= 3, 60), caplog.text  # woken by the mail, retried twice
    assert inbox(dovecot, user) == during  # nothing moved, nothing parked
    assert len(smtp_server.received) == 1  # nothing answered
    assert any(unreachable in message for message in failures())
    delays = [int(re.search(r"retrying in (\d+) s$", message).group(1)) for message in failures()]
    assert delays[:3] == [1, 2, 4]  # backoff, not a storm

    postgres.start()
    assert len(smtp_server.wait_for(4, 90)) == 4, caplog.text
    assert wait_until(lambda: inbox(dovecot, user) == [], 30)
    run.finish()

    entries = office.submissions()
    assert sorted(e["subject"] for e in entries) == sorted(
        ["trước khi mất cơ sở dữ liệu"] + [f"trong lúc mất cơ sở dữ liệu {n}" for n in range(3)]
    )
    with office.app.db.session() as session:
        from sqlmodel import select

        from thidua.store.models import MailLedger

        ledger = session.exec(select(MailLedger)).all()
    assert {(e.status, e.attempts) for e in ledger} == {("filed", 1)}  # the outage cost no mail an attempt
    assert_one_line_each(problems(caplog))
    assert all("database" in r.getMessage() for r in problems(caplog))
    assert any("reachable again" in r.getMessage() for r in caplog.records)
    office.app.db.dispose()


def test_run_waits_for_a_database_that_is_down_at_start_and_run_once_says_so(
    dovecot, smtp_server, make_office, postgres
):
    user = dovecot.new_user()
    office = make_office(
        mailbox=imap_section(dovecot, user),
        outgoing=smtp_section(smtp_server.port) + f'\n[database]\nurl = "{postgres.url}"',
    )
    office.app.db.dispose()
    postgres.stop()  # e.g. the machine booted and PostgreSQL is not up yet
    raw = school_mail("gửi khi máy chủ cơ sở dữ liệu chưa chạy")
    dovecot.append(user, raw, BEFORE_DEADLINE)
    unreachable = (
        f"cannot reach the database at 127.0.0.1:{postgres.port}: connection refused — is PostgreSQL running?"
    )

    once = office.cli("run", "--once")
    assert once.returncode == 2
    assert once.stderr.splitlines() == [f"thidua: {unreachable}"]
    assert inbox(dovecot, user) == [raw]

    log = office.root / "daemon.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "thidua.cli", "--config", str(office.config), "run"],
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=office.root,
            env={**os.environ, "COLUMNS": "200"},
        )
    try:
        assert wait_until(lambda: log.read_text().count(unreachable) >= 2, 30), log.read_text()
        assert process.poll() is None  # still there, waiting
        assert inbox(dovecot, user) == [raw]
        postgres.start()
        assert len(smtp_server.wait_for(1, 60)) == 1, log.read_text()
        assert wait_until(lambda: inbox(dovecot, user) == [], 30)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(30)
    assert code == 0, log.read_text()
    text = log.read_text()
    assert "Traceback" not in text
    assert "retrying in 1 s" in text and "retrying in 2 s" in text and "stopped" in text


# -- the IMAP server -----------------------------------------------------------------------------


def test_an_imap_server_down_at_start_is_waited_for(own_dovecot, smtp_server, make_office, running, caplog):
    user = own_dovecot.new_user()
    office = make_office(mailbox=imap_section(own_dovecot, user), outgoing=smtp_section(smtp_server.port))
    own_dovecot.stop()
    caplog.set_level(logging.INFO, logger="thidua")
    run = running(office.app)
    refused = f"cannot reach the IMAP server 127.0.0.1:{own_dovecot.imap_port}: connection refused"
    assert wait_until(lambda: sum(refused in r.getMessage() for r in problems(caplog)) >= 2, 30), caplog.text
    assert run.thread.is_alive()

    own_dovecot.start()
    own_dovecot.deliver_lmtp(user, school_mail("sau khi máy chủ thư chạy lại"))
    assert len(smtp_server.wait_for(1, 60)) == 1, caplog.text
    assert wait_until(lambda: inbox(own_dovecot, user) == [], 30)
    run.finish()
    assert_one_line_each(problems(caplog))
    assert all(refused in r.getMessage() for r in problems(caplog))
    assert any("reachable again" in r.getMessage() for r in caplog.records)


def test_mail_that_arrives_between_a_pass_and_idle_is_heard(dovecot, make_office):
    """Dovecot reports it right behind "+ idling"; imaplib may have buffered that line already
    (after a restart, mail delivered while the daemon starts up arrives just then)."""
    from thidua.intake.imap import ImapSource

    for _ in range(3):
        user = dovecot.new_user()
        office = make_office(mailbox=imap_section(dovecot, user))
        source = ImapSource(office.app.settings.mailbox)
        try:
            assert list(source.pending()) == []
            dovecot.append(user, school_mail("giữa lượt đọc và IDLE"))
            assert source.wait_for_mail(10) is True
            assert len(list(source.pending())) == 1
        finally:
            source.close()


# -- the SMTP server -----------------------------------------------------------------------------


class SilentServer:
    """Accepts TCP connections (the kernel does, into the backlog) and never says a word."""

    def __init__(self, port: int) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", port))
        self.socket.listen(64)

    def close(self) -> None:
        self.socket.close()


def test_an_smtp_server_that_never_answers_holds_replies_while_mail_is_filed(
    dovecot, make_smtp_server, make_office, running, caplog
):
    port = free_port()
    silent = SilentServer(port)
    user = dovecot.new_user()
    office = make_office(
        mailbox=imap_section(dovecot, user), outgoing=smtp_section(port, timeout_seconds="1")
    )
    caplog.set_level(logging.INFO, logger="thidua")
    try:
        run = running(office.app, reply_retry_seconds=1)
        mails = [school_mail(f"khi máy chủ gửi thư im lặng {n}") for n in range(3)]
        for raw in mails:
            dovecot.append(user, raw, BEFORE_DEADLINE)
        # filed and moved all the same: an SMTP outage only holds the replies
        assert wait_until(lambda: len(dovecot.folders(user).get("Processed", [])) == 3, 60), caplog.text
        assert inbox(dovecot, user) == []
        timed_out = f"replies wait in the outbox: cannot reach the SMTP server 127.0.0.1:{port}: timed out"
        assert wait_until(lambda: sum(timed_out in r.getMessage() for r in problems(caplog)) >= 3, 60), (
            caplog.text
        )
        replies = office.replies()
        assert {r["status"] for r in replies} == {"queued"} and len(replies) == 3
    finally:
        silent.close()

    server = make_smtp_server(port)
    # the replies never tried go at the next outbox run; a tried one once its retry time comes
    assert len(server.wait_for(3, 120)) == 3, caplog.text
    run.finish()
    assert sorted(str(r.message["Subject"]).split("] ", 1)[1] for r in server.received) == sorted(
        f"Đề nghị bổ sung, chỉnh sửa hồ sơ: khi máy chủ gửi thư im lặng {n}" for n in range(3)
    )
    assert {r["status"] for r in office.replies()} == {"sent"}
    assert_one_line_each(problems(caplog))
    assert all(timed_out in r.getMessage() for r in problems(caplog))
