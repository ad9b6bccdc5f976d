"""The mailroom against a real IMAP server (Dovecot) and a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import logging
import signal
import statistics
import subprocess
import sys
import threading
import time

import pytest

from tests.support.builders import make_eml, make_pdf, nomination_xlsx
from tests.support.live import DOVECOT, NO_DOVECOT, PASSWORD, imap_section, smtp_section
from tests.support.office import AFTER_DEADLINE, BEFORE_DEADLINE, OFFICE
from thidua.errors import ConfigError, ServiceUnavailable
from thidua.intake.imap import ImapSource
from thidua.runners import daemon

if DOVECOT is None:
    pytest.skip(NO_DOVECOT, allow_module_level=True)

pytestmark = pytest.mark.dovecot

OCTET = "application/octet-stream"
SCHOOL = "c2anbinh@example.vn"


def nomination_mail(subject: str = "Danh sách khen thưởng quý I", *, evidence: bool = True, **kw) -> bytes:
    rows = [
        {
            "name": "Nguyễn Thị Hoa",
            "category": "Giáo viên",
            "position": "Giáo viên Toán",
            "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện; 2 học sinh giỏi tỉnh.",
            "evidence": ["Giấy khen Hoa.pdf"],
            "award": "Giấy khen",
        }
    ]
    files = [("Danh sách đề nghị khen thưởng.xlsx", nomination_xlsx(rows), OCTET)]
    if evidence:
        files.append(("Giấy khen Hoa.pdf", make_pdf(["GIẤY KHEN", "Tặng Nguyễn Thị Hoa"]), "application/pdf"))
    return make_eml(sender=SCHOOL, to=OFFICE, subject=subject, attachments=files, **kw)


def simple_mail(subject: str) -> bytes:
    """A mail without files: filed and answered (a correction request) quickly."""
    return make_eml(
        sender=SCHOOL, to=OFFICE, subject=subject, body="Kính gửi Phòng, trường gửi hồ sơ.", date=None
    )


@pytest.fixture
def imap_office(dovecot, smtp_server, make_office):
    def make(**mailbox):
        user = dovecot.new_user()
        office = make_office(
            mailbox=imap_section(dovecot, user, **mailbox), outgoing=smtp_section(smtp_server.port)
        )
        office.user = user
        return office

    return make


# -- one pass ----------------------------------------------------------------------------------


def test_run_once_files_each_mail_at_its_internaldate_and_moves_it_to_processed(
    dovecot, smtp_server, imap_office
):
    office = imap_office()
    on_time = nomination_mail(date=BEFORE_DEADLINE)
    late = nomination_mail("Danh sách bổ sung", date=BEFORE_DEADLINE)  # the Date header claims it was on time
    dovecot.append(office.user, on_time, BEFORE_DEADLINE)
    dovecot.append(office.user, late, AFTER_DEADLINE)
    assert set(dovecot.folders(office.user)) == {"INBOX"}  # no Processed folder yet

    done = office.cli("run", "--once")

    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    entries = sorted(office.submissions(), key=lambda e: e["receipt"])
    assert [e["received_at"] for e in entries] == ["2018-03-10T09:00:00+07:00", "2018-03-16T09:00:00+07:00"]
    assert {p["code"] for p in entries[1]["problems"]} >= {"late"}
    folders = dovecot.folders(office.user)
    assert folders["INBOX"] == []
    assert [m["raw"] for m in folders["Processed"]] == [on_time, late]  # created, and every byte kept
    assert all(b"\\Seen" not in m["flags"] for m in folders["Processed"])  # read with BODY.PEEK[]
    replies = smtp_server.wait_for(2)
    assert len(replies) == 2
    for reply in replies:
        assert reply.mail_from == "<>"  # MAIL FROM:<> (RFC 3834; aiosmtpd keeps the brackets)
        assert reply.rcpt_tos == [SCHOOL]
        assert reply.message["Auto-Submitted"] == "auto-replied"
        assert reply.message["To"] == SCHOOL
    assert sorted(r.message["Subject"][:14] for r in replies) == ["[HS-2018-0001]", "[HS-2018-0002]"]
    assert [r["status"] for r in office.replies()] == ["sent", "sent"]


def test_a_mail_that_fails_three_times_ends_in_needs_review(dovecot, smtp_server, imap_office, monkeypatch):
    from thidua.intake import flow

    real_parse = flow.parse_mail

    def parse_mail(raw: bytes):
        if b"X-Test-Breaks: yes" in raw:
            raise RuntimeError("the reader cannot cope with this mail")
        return real_parse(raw)

    monkeypatch.setattr(flow, "parse_mail", parse_mail)
    office = imap_office()
    broken = make_eml(
        sender=SCHOOL, to=OFFICE, subject="Hồ sơ lỗi", body="...", headers={"X-Test-Breaks": "yes"}
    )
    dovecot.append(office.user, broken, BEFORE_DEADLINE)
    dovecot.append(office.user, simple_mail("Hồ sơ bình thường"), BEFORE_DEADLINE)

    source = office.app.source()
    try:
        statuses = []
        for _ in range(3):
            statuses.append([office.app.mailroom.process(mail, source).status for mail in source.pending()])
            if len(statuses) < 3:
                assert [m["raw"] for m in dovecot.folders(office.user)["INBOX"]] == [broken]
    finally:
        source.close()

    assert statuses[0][0] == "failed" and statuses[1] == ["failed"] and statuses[2] == ["review"]
    folders = dovecot.folders(office.user)
    assert folders["INBOX"] == []
    assert [m["raw"] for m in folders["Needs review"]] == [broken]
    assert len(folders["Processed"]) == 1


def test_imap_source_reads_oldest_first_with_keys_and_leaves_deleted_mail(dovecot, make_office):
    user = dovecot.new_user()
    office = make_office(mailbox=imap_section(dovecot, user))
    dovecot.append(user, simple_mail("thứ hai"), AFTER_DEADLINE)
    dovecot.append(user, simple_mail("thứ nhất"), BEFORE_DEADLINE)
    dovecot.append(user, simple_mail("đã xoá"), BEFORE_DEADLINE)
    with dovecot.client(user) as client:  # a clerk deleted one in her mail program, not yet expunged
        client.select_folder("INBOX")
        client.add_flags([3], [b"\\Deleted"])
    source = ImapSource(office.app.settings.mailbox, batch_count=1)
    try:
        mails = list(source.pending())
    finally:
        source.close()
    assert [m.arrived_at for m in mails] == [BEFORE_DEADLINE, AFTER_DEADLINE]
    assert all(m.arrived_at.tzinfo is not None for m in mails)
    validity = source._uidvalidity
    assert [m.source_key for m in mails] == [f"imap:INBOX:{validity}:2", f"imap:INBOX:{validity}:1"]


def test_mail_bodies_are_not_formatted_for_a_protocol_log_nobody_keeps(dovecot, make_office, caplog):
    """imapclient asks imaplib to echo the whole protocol, bodies included, to a logger that
    drops it: formatting a burst's bodies for nothing cost two thirds of fetching them."""
    user = dovecot.new_user()
    office = make_office(mailbox=imap_section(dovecot, user))
    dovecot.append(user, nomination_mail(), BEFORE_DEADLINE)

    def fetch_all() -> tuple[int, list]:
        source = ImapSource(office.app.settings.mailbox)
        try:
            level = source.connect()._imap.debug
            return level, list(source.pending())
        finally:
            source.close()

    caplog.set_level(logging.WARNING, logger="imapclient")
    level, mails = fetch_all()
    assert level == 0 and len(mails) == 1
    assert not [r for r in caplog.records if r.name == "imapclient.imaplib"]

    caplog.set_level(
        logging.DEBUG, logger="imapclient.imaplib"
    )  # someone debugging the protocol still sees it
    level, mails = fetch_all()
    assert level == 5 and len(mails) == 1
    echoed = " ".join(r.getMessage() for r in caplog.records if r.name == "imapclient.imaplib")
    assert "FETCH" in echoed and PASSWORD not in echoed


def test_the_next_batch_is_fetched_while_the_mails_of_this_one_are_filed(dovecot, make_office, monkeypatch):
    user = dovecot.new_user()
    office = make_office(mailbox=imap_section(dovecot, user))
    sent = [simple_mail(f"thư {n}") for n in range(3)]
    for raw in sent:
        dovecot.append(user, raw, BEFORE_DEADLINE)
    fetched: dict[int, threading.Event] = {uid: threading.Event() for uid in (1, 2, 3)}
    real_fetch = ImapSource._fetch_bodies

    def fetch_bodies(self, client, folder, validity, batch):
        bodies = real_fetch(self, client, folder, validity, batch)
        for info in batch:
            fetched[info.uid].set()
        return bodies

    monkeypatch.setattr(ImapSource, "_fetch_bodies", fetch_bodies)
    source = ImapSource(office.app.settings.mailbox, batch_count=1)
    try:
        mails = source.pending()
        first = next(mails)
        assert fetched[2].wait(10), "the second mail was not fetched ahead"
        assert not fetched[3].is_set()  # one batch ahead, not the whole inbox
        source.mark_filed(first)  # the connection is shared: commands take turns
        rest = list(mails)
        assert [m.raw for m in [first, *rest]] == sent
        cut_short = source.pending()
        next(cut_short)
        cut_short.close()  # a pass cut short: the batch ahead is dropped, its thread ended
        assert not [t for t in threading.enumerate() if t.name.startswith("thidua-imap-fetch")]
        assert source.wait_for_mail(0) is False  # and the connection is free for IDLE
    finally:
        source.close()
    folders = dovecot.folders(user)
    assert len(folders["Processed"]) == 1 and len(folders["INBOX"]) == 2


@pytest.mark.parametrize(
    "missing", [{b"MOVE"}, {b"MOVE", b"UIDPLUS"}], ids=["copy-uid-expunge", "copy-expunge"]
)
def test_servers_without_move_get_copy_delete_expunge(dovecot, make_office, monkeypatch, missing):
    user = dovecot.new_user()
    office = make_office(mailbox=imap_section(dovecot, user))
    first, second = simple_mail("một"), simple_mail("hai")
    dovecot.append(user, first, BEFORE_DEADLINE)
    dovecot.append(user, second, AFTER_DEADLINE)
    real_connect = ImapSource.connect

    def connect(self):
        client = real_connect(self)
        self._capabilities = tuple(c for c in self._capabilities if c not in missing)
        return client

    monkeypatch.setattr(ImapSource, "connect", connect)
    source = office.app.source()
    try:
        mail = next(iter(source.pending()))
        source.mark_filed(mail)
    finally:
        source.close()
    folders = dovecot.folders(user)
    assert [m["raw"] for m in folders["INBOX"]] == [second]
    assert [m["raw"] for m in folders["Processed"]] == [first]
    assert all(b"\\Deleted" not in m["flags"] for m in folders["Processed"])


def test_a_mail_over_the_size_limit_is_still_fetched_alone(dovecot, make_office, caplog):
    user = dovecot.new_user()
    office = make_office(mailbox=imap_section(dovecot, user))
    big = nomination_mail()
    dovecot.append(user, big, BEFORE_DEADLINE)
    dovecot.append(user, simple_mail("nhỏ"), AFTER_DEADLINE)
    source = ImapSource(office.app.settings.mailbox, max_bytes=len(big) // 2)
    try:
        mails = list(source.pending())
    finally:
        source.close()
    assert [m.raw for m in mails][0] == big and len(mails) == 2
    assert any("over the" in r.getMessage() and "limit" in r.getMessage() for r in caplog.records)


# -- logging in ----------------------------------------------------------------------------------


def test_a_wrong_password_is_one_line_and_a_config_error(dovecot, smtp_server, imap_office):
    office = imap_office(password="not-the-password")
    source = office.app.source()
    with pytest.raises(ConfigError) as caught:
        list(source.pending())
    assert str(caught.value) == f"IMAP login failed for {office.user}: check [mailbox] username/password"

    done = office.cli("run", "--once")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"thidua: IMAP login failed for {office.user}: check [mailbox] username/password"
    ]


def test_an_unreachable_server_is_one_line(dovecot, make_office):
    from tests.support.live import free_port

    port = free_port()
    office = make_office(
        mailbox=imap_section(dovecot, dovecot.new_user()).replace(
            f"port = {dovecot.imap_port}", f"port = {port}"
        )
    )
    with pytest.raises(ServiceUnavailable) as caught:
        list(office.app.source().pending())
    assert str(caught.value) == f"cannot reach the IMAP server 127.0.0.1:{port}: connection refused"


def test_password_file_and_oauth2_token_command_log_in(dovecot, make_office, tmp_path):
    secret = tmp_path / "imap-password"
    secret.write_text(PASSWORD + "\n")
    for mailbox in ({"password_file": f'"{secret}"'}, {"oauth2_token_command": f'"printf %s {PASSWORD}"'}):
        user = dovecot.new_user()
        dovecot.append(user, simple_mail("đăng nhập"), BEFORE_DEADLINE)
        office = make_office(
            mailbox=imap_section(
                dovecot, user, **{k: v for k, v in mailbox.items() if k != "password"}, password=None
            )
        )
        source = office.app.source()
        try:
            assert len(list(source.pending())) == 1
        finally:
            source.close()
    assert "method=XOAUTH2" in dovecot.log


def test_a_failing_token_command_says_so(dovecot, make_office):
    office = make_office(
        mailbox=imap_section(
            dovecot,
            dovecot.new_user(),
            password=None,
            oauth2_token_command='"echo no token here >&2; exit 3"',
        )
    )
    with pytest.raises(ConfigError, match=r"oauth2_token_command failed \(exit 3\): no token here"):
        list(office.app.source().pending())


def test_waiting_stays_in_one_idle_across_timeouts_and_wakes_on_new_mail(dovecot, make_office):
    user = dovecot.new_user()
    office = make_office(mailbox=imap_section(dovecot, user))
    source = ImapSource(office.app.settings.mailbox)
    try:
        assert list(source.pending()) == []
        assert source.wait_for_mail(0.3) is False
        started = source._idle_started
        assert started is not None
        assert source.wait_for_mail(0.3) is False
        assert source._idle_started == started  # no DONE / IDLE round trip between two waits
        dovecot.append(user, simple_mail("mới đến"))
        began = time.monotonic()
        assert source.wait_for_mail(10) is True
        assert time.monotonic() - began < 5
        assert source._idle_started is None  # out of IDLE, ready for the pass
        [mail] = list(source.pending())
        source.mark_filed(mail)
        assert source.wait_for_mail(0.2) is False
    finally:
        source.close()
    assert [m["raw"] for m in dovecot.folders(user)["Processed"]] == [mail.raw]


def test_idle_is_renewed_and_still_hears_new_mail(dovecot, make_office):
    user = dovecot.new_user()
    office = make_office(mailbox=imap_section(dovecot, user))
    source = ImapSource(office.app.settings.mailbox, idle_refresh_seconds=0.4)
    try:
        assert source.wait_for_mail(0.1) is True  # connected just now: the folder is to be read
        assert source.wait_for_mail(0.1) is False
        first = source._idle_started
        assert source.wait_for_mail(1.0) is False
        assert source._idle_started > first  # DONE and a new IDLE, on the same connection
        assert source.connections == 1
        dovecot.append(user, simple_mail("sau khi gia hạn"))
        assert source.wait_for_mail(10) is True
    finally:
        source.close()


# -- the daemon ------------------------------------------------------------------------------------


def test_the_daemon_answers_mail_appended_while_it_idles(dovecot, smtp_server, imap_office, record_property):
    """`thidua run` as offices run it; seconds from APPEND to the reply at the SMTP server."""
    office = imap_office()
    log = office.root / "daemon.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "thidua.cli", "--config", str(office.config), "run"],
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=office.root,
        )
    try:
        dovecot.append(office.user, simple_mail("thư khởi động"))  # answered by the first pass or after IDLE
        assert len(smtp_server.wait_for(1, 20)) == 1, log.read_text()
        latencies = []
        for n in range(5):
            time.sleep(0.3)  # back in IDLE after the previous pass
            count = len(smtp_server.received)
            started = time.monotonic()
            dovecot.append(office.user, simple_mail(f"thư số {n + 1}"))
            assert len(smtp_server.wait_for(count + 1, 20)) == count + 1, log.read_text()
            latencies.append(smtp_server.received[count].at - started)
        median = statistics.median(latencies)
        record_property("idle_latency_seconds", latencies)
        print(
            f"\nIDLE latency APPEND → reply: median {median:.2f} s over {len(latencies)} runs: "
            + ", ".join(f"{s:.2f}" for s in latencies)
        )
        assert median < 5, latencies  # the target is 2 s; CI machines are slower than a desk
        assert [m["raw"] for m in dovecot.folders(office.user)["INBOX"]] == []
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
    assert code == 0, log.read_text()
    text = log.read_text()
    assert "stopped" in text and "Traceback" not in text


def test_the_daemon_reconnects_after_dovecot_restarts(own_dovecot, smtp_server, make_office, caplog):
    user = own_dovecot.new_user()
    office = make_office(mailbox=imap_section(own_dovecot, user), outgoing=smtp_section(smtp_server.port))
    stop = threading.Event()
    caplog.set_level(logging.INFO, logger="thidua")
    thread = threading.Thread(target=daemon.run_forever, args=(office.app, stop), daemon=True)
    thread.start()
    try:
        own_dovecot.append(user, simple_mail("trước khi khởi động lại"))
        assert len(smtp_server.wait_for(1, 20)) == 1
        time.sleep(0.5)  # idling
        own_dovecot.restart()
        own_dovecot.deliver_lmtp(user, simple_mail("sau khi khởi động lại"))
        assert len(smtp_server.wait_for(2, 30)) == 2, caplog.text
        assert [m["raw"] for m in own_dovecot.folders(user)["INBOX"]] == []
    finally:
        stop.set()
        thread.join(15)
    assert not thread.is_alive()
    # Whether the restart cut an open connection depends on timing (the daemon may have been
    # between two connections); what must hold: no traceback, at most one line per attempt,
    # and a recovery line whenever a failure was logged.
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in problems)
    assert len(problems) <= 6  # one line per failed attempt, not a storm
    if problems:
        assert any("reachable again" in r.getMessage() for r in caplog.records)


def test_the_daemon_polls_a_server_without_idle(dovecot, smtp_server, imap_office, monkeypatch):
    """Servers without IDLE are polled every poll_seconds (5 s here)."""
    office = imap_office()
    real_connect = ImapSource.connect

    def connect(self):
        client = real_connect(self)
        self._capabilities = tuple(c for c in self._capabilities if c != b"IDLE")
        return client

    monkeypatch.setattr(ImapSource, "connect", connect)
    stop = threading.Event()
    thread = threading.Thread(target=daemon.run_forever, args=(office.app, stop), daemon=True)
    thread.start()
    try:
        time.sleep(0.5)
        dovecot.append(office.user, simple_mail("thư khi thăm dò"))
        assert len(smtp_server.wait_for(1, 12)) == 1
    finally:
        stop.set()
        thread.join(15)
    assert not thread.is_alive()


def test_a_mail_already_moved_by_another_daemon_is_not_an_error(dovecot, make_office):
    user = dovecot.new_user()
    office = make_office(mailbox=imap_section(dovecot, user))
    dovecot.append(user, simple_mail("hai tiến trình"))
    first, second = ImapSource(office.app.settings.mailbox), ImapSource(office.app.settings.mailbox)
    try:
        [mail] = list(first.pending())
        assert [m.source_key for m in second.pending()] == [mail.source_key]
        first.mark_filed(mail)
        second.mark_filed(mail)  # the other daemon got there first: nothing to do, no error
        folders = dovecot.folders(user)
        assert folders["INBOX"] == [] and len(folders["Processed"]) == 1
    finally:
        first.close()
        second.close()


def test_mails_filed_together_leave_the_inbox_in_one_move_even_when_some_were_moved_already(
    dovecot, make_office
):
    user = dovecot.new_user()
    office = make_office(mailbox=imap_section(dovecot, user))
    for n in range(4):
        dovecot.append(user, simple_mail(f"nhóm thư {n}"))
    first, second = ImapSource(office.app.settings.mailbox), ImapSource(office.app.settings.mailbox)
    try:
        mails = list(first.pending())
        assert len(list(second.pending())) == 4
        second.mark_filed(mails[1], mails[3])  # another daemon moved two of them first
        first.mark_filed(*mails)
        folders = dovecot.folders(user)
        assert folders["INBOX"] == [] and len(folders["Processed"]) == 4
    finally:
        first.close()
        second.close()
