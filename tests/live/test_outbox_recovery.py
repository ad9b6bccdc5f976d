"""Replies never lost, never waiting for no reason, through the real command line over a Maildir
and a real SMTP server: a reply claimed by a killed run is sent by the next ``run --once``, and
every reply an SMTP outage held goes in the first pass after it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from tests.support.builders import REGISTRATION_EXAMPLE, make_eml, registration_docx
from tests.support.live import free_port, smtp_section, wait_until
from tests.support.office import BEFORE_DEADLINE, OFFICE
from thidua.intake.sources import deliver_to_maildir
from thidua.runners.daemon import one_pass
from thidua.store.models import Reply

SCHOOL = "c2anbinh@example.vn"
SHARED_POSTGRES = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
MAILDIR = 'kind = "maildir"\npath = "inbox"'


def registration_mail(n: int) -> bytes:
    document = registration_docx(**dict(REGISTRATION_EXAMPLE, full_name=f"Giáo viên Số {n}"))
    return make_eml(
        sender=SCHOOL,
        to=OFFICE,
        subject=f"Đăng ký số {n}",
        attachments=[(f"Đăng ký {n}.docx", document, "application/octet-stream")],
    )


def deliver(office, count: int) -> None:
    for n in range(1, count + 1):
        deliver_to_maildir(office.app.settings.mailbox.path, registration_mail(n), BEFORE_DEADLINE)


def rows(office) -> list[Reply]:
    with office.app.db.session() as session:
        return list(session.exec(select(Reply).order_by(Reply.id)))


def run_once(office) -> str:
    result = office.cli("run", "--once", timeout=180)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout.rstrip().splitlines()[-1]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request):
    """The ``[database]`` lines: the office's own SQLite file, or a fresh database on the shared PostgreSQL."""
    if request.param == "sqlite":
        yield ""
        return
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(SHARED_POSTGRES, autocommit=True, connect_timeout=5)
    except Exception as error:  # any failure means: no server to test against
        pytest.skip(f"PostgreSQL not reachable ({SHARED_POSTGRES}): {str(error).splitlines()[0]}")
    name = f"thidua_outbox_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f'\n[database]\nurl = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"'
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_a_reply_claimed_by_a_killed_run_is_sent_by_the_next_run_once(
    make_office, make_smtp_server, database
):
    server = make_smtp_server(stall=1)  # the first send stays in flight until the run is killed
    # a long SMTP timeout: the claim's lease (ten of them) runs far past the next run
    office = make_office(mailbox=MAILDIR, outgoing=smtp_section(server.port, timeout_seconds="60") + database)
    deliver(office, 1)
    log = office.root / "killed.log"
    with log.open("w") as output:
        killed = subprocess.Popen(
            [sys.executable, "-m", "thidua.cli", "--config", str(office.config), "run", "--once"],
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=office.root,
            start_new_session=True,
        )
    try:
        assert wait_until(lambda: server.data_started >= 1, 120), log.read_text()
    finally:
        os.killpg(killed.pid, signal.SIGKILL)  # as `systemctl kill -s KILL`: the whole group
        killed.wait(30)
    [claimed] = rows(office)
    assert (claimed.status, claimed.attempts) == ("queued", 0)
    assert claimed.claimed_by and claimed.next_attempt_at > datetime.now(UTC) + timedelta(minutes=5)
    assert server.received == []

    assert run_once(office).endswith(" 1 phản hồi đã gửi.")
    [reply] = server.wait_for(1)
    assert reply.rcpt_tos == [SCHOOL] and "Đăng ký số 1" in str(reply.message["Subject"])
    [sent] = rows(office)
    assert (sent.status, sent.claimed_by) == ("sent", "")
    # had the server delivered the killed run's copy as well, that copy is the one duplicate
    server.go.set()
    wait_until(lambda: len(server.received) >= 2, 2)
    assert len(server.received) <= 2
    assert {r.message["Message-ID"] for r in server.received} == {reply.message["Message-ID"]}


def test_every_reply_an_outage_held_goes_in_the_first_pass_after_it(make_office, make_smtp_server):
    port = free_port()  # the office's mail server is down: nothing listens there yet
    office = make_office(mailbox=MAILDIR, outgoing=smtp_section(port))
    deliver(office, 6)
    assert run_once(office) == "6 thư đã xử lý, 0 phản hồi đã gửi."
    assert run_once(office) == "0 thư đã xử lý, 0 phản hồi đã gửi."  # still down: tried once more
    before = rows(office)
    assert [r.attempts for r in before] == [1, 1, 0, 0, 0, 0]  # each run stopped at the first refusal
    assert all(r.next_attempt_at > datetime.now(UTC) for r in before[:2])  # in their back-off
    assert all(r.waits_for_server for r in before[:2])

    server = make_smtp_server(port)
    assert run_once(office) == "0 thư đã xử lý, 6 phản hồi đã gửi."
    assert len(server.wait_for(6)) == 6
    assert sorted(str(r.message["Subject"]).split("] ", 1)[1] for r in server.received) == sorted(
        f"Đã tiếp nhận hồ sơ: Đăng ký số {n}" for n in range(1, 7)
    )
    assert [(r.status, r.waits_for_server) for r in rows(office)] == [("sent", False)] * 6


def test_a_run_once_looks_whether_the_server_is_back_when_every_reply_waits_for_it(
    make_office, make_smtp_server
):
    port = free_port()
    office = make_office(mailbox=MAILDIR, outgoing=smtp_section(port))
    deliver(office, 3)
    for _ in range(3):  # three passes while the server is down: each reply met the outage once
        one_pass(office.app)
    assert [(r.status, r.attempts) for r in rows(office)] == [("queued", 1)] * 3
    assert all(r.next_attempt_at > datetime.now(UTC) for r in rows(office))  # none is due

    server = make_smtp_server(port)
    assert run_once(office) == "0 thư đã xử lý, 3 phản hồi đã gửi."
    assert len(server.wait_for(3)) == 3
    assert [r.status for r in rows(office)] == ["sent"] * 3
