"""Crash proofs: `thidua run` killed with SIGKILL at random moments over a real Dovecot and SMTP server.

Whatever moment the daemon dies at, after a restart every mail is filed exactly once, answered at
least once (a kill costs at most one duplicate reply: the one being sent), and moved out of the
inbox. A mail that the daemon dies on three times is parked for staff and listed in the digest,
and the mails behind it are filed.

The kill moments come from a seeded generator; the seed is printed and recorded in the test's
properties, and ``THIDUA_FAULT_SEED=<seed>`` replays the same schedule of kills (which step each
kill meets still depends on the machine's speed).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.support import hostile
from tests.support.builders import (
    REGISTRATION_EXAMPLE,
    make_eml,
    make_pdf,
    nomination_xlsx,
    registration_docx,
)
from tests.support.live import DOVECOT, NO_DOVECOT, imap_section, smtp_section, wait_until
from tests.support.office import BEFORE_DEADLINE, OFFICE
from thidua.mailhead import content_key

if DOVECOT is None:
    pytest.skip(NO_DOVECOT, allow_module_level=True)

pytestmark = pytest.mark.dovecot

SCHOOL = "c2anbinh@example.vn"
OCTET = "application/octet-stream"
SHARED_POSTGRES = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
SMTP_TIMEOUT = 2  # seconds; a reply claimed by a killed daemon is taken over by the next one at once
SETTLE_SECONDS = 180  # generous: a slow machine, and replies waiting for the next outbox run


# -- mails ---------------------------------------------------------------------------------------


def registration_mail(n: int) -> bytes:
    values = dict(REGISTRATION_EXAMPLE, full_name=f"Giáo viên Số {n}")
    return make_eml(
        sender=SCHOOL,
        to=OFFICE,
        subject=f"Đăng ký đổi mới sáng tạo số {n}",
        body="Kính gửi Phòng, trường gửi phiếu đăng ký.",
        attachments=[(f"Đăng ký {n}.docx", registration_docx(**values), OCTET)],
    )


def nomination_mail(n: int) -> bytes:
    evidence = f"Giấy khen {n}.pdf"
    rows = [
        {
            "name": f"Nguyễn Thị Hoa {n}",
            "category": "Giáo viên",
            "position": "Giáo viên Toán",
            "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện; 2 học sinh giỏi tỉnh.",
            "evidence": [evidence],
            "award": "Giấy khen",
        }
    ]
    return make_eml(
        sender=SCHOOL,
        to=OFFICE,
        subject=f"Danh sách khen thưởng số {n}",
        attachments=[
            (f"Danh sách {n}.xlsx", nomination_xlsx(rows), OCTET),
            (evidence, make_pdf(["GIẤY KHEN", f"Tặng Nguyễn Thị Hoa {n}"]), "application/pdf"),
        ],
    )


def school_mails(count: int) -> list[bytes]:
    return [registration_mail(n) if n % 2 else nomination_mail(n) for n in range(1, count + 1)]


def slow_mail() -> bytes:
    """Tables ruled into thousands of cells: seconds of reading, long enough to be caught in flight."""
    tables = hostile.slow_table_pdf(12_000)
    return make_eml(
        sender=SCHOOL,
        to=OFFICE,
        subject="Hồ sơ đọc rất lâu",
        attachments=[("Danh sách.pdf", tables, OCTET), ("Báo cáo.pdf", tables + b"\n", OCTET)],
    )


def message_id(raw: bytes) -> str:
    from email import message_from_bytes, policy

    return str(message_from_bytes(raw, policy=policy.default)["Message-ID"]).strip()


# -- the office and its daemon -------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'var' / 'thidua.db'}"
        return
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(SHARED_POSTGRES, autocommit=True, connect_timeout=5)
    except Exception as error:  # any failure means: no server to test against
        pytest.skip(f"PostgreSQL not reachable ({SHARED_POSTGRES}): {str(error).splitlines()[0]}")
    name = f"thidua_faults_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def seed(record_property):
    value = int(os.environ.get("THIDUA_FAULT_SEED") or random.SystemRandom().randrange(1 << 32))
    record_property("fault_seed", value)
    print(f"\nfault injection seed: {value} (replay with THIDUA_FAULT_SEED={value})")
    return value


class Daemon:
    """`thidua run` as a service manager runs it; killed like `systemctl kill -s KILL` (the whole group)."""

    def __init__(self, office) -> None:
        self.office = office
        self.log = office.root / "daemon.log"
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        with self.log.open("a") as output:
            output.write(f"--- start {self.starts + 1}\n")
            output.flush()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "thidua.cli", "--config", str(self.office.config), "run"],
                stdout=output,
                stderr=subprocess.STDOUT,
                cwd=self.office.root,
                start_new_session=True,
                env={**os.environ, "COLUMNS": "200"},
            )
        self.starts += 1

    def kill(self) -> None:
        process, self.process = self.process, None
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(30)

    def stop(self) -> int:
        """SIGTERM once it is up (before that, Python's default action ends it), as `systemctl stop`
        does; the exit code."""
        assert wait_until(lambda: "watching" in self.text().rsplit("--- start", 1)[-1], 60), self.text()[
            -3000:
        ]
        process, self.process = self.process, None
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(30)
        finally:
            try:
                os.killpg(process.pid, signal.SIGKILL)  # the reader worker, should it outlive the daemon
            except ProcessLookupError:
                pass

    def text(self) -> str:
        return self.log.read_text(errors="replace")


class Ledger:
    """Reads the daemon's database from outside, as staff's tools would (never takes a write lock)."""

    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(url)

    def rows(self, sql: str, **params) -> list:
        with self.engine.connect() as connection:
            return list(connection.execute(sa.text(sql), params))

    def filed(self) -> int:
        return self.rows("SELECT count(*) FROM mail_ledger WHERE status = 'filed'")[0][0]

    def entry(self, key: str):
        found = self.rows(
            "SELECT status, attempts, last_error FROM mail_ledger WHERE content_key = :key", key=key
        )
        return tuple(found[0]) if found else None

    def submissions_by_message_id(self) -> Counter:
        return Counter(row[0] for row in self.rows("SELECT message_id FROM submissions"))

    def reply_statuses(self) -> Counter:
        return Counter(row[0] for row in self.rows("SELECT status FROM replies"))

    def close(self) -> None:
        self.engine.dispose()


@pytest.fixture
def office_with(dovecot, smtp_server, make_office):
    made = []

    def make(database_url: str):
        user = dovecot.new_user()
        office = make_office(
            mailbox=imap_section(dovecot, user),
            outgoing=smtp_section(smtp_server.port, timeout_seconds=str(SMTP_TIMEOUT))
            + f'\n[database]\nurl = "{database_url}"',
            office_extra="max_replies_per_day = 100",
        )  # one school sends them all
        office.user = user
        office.daemon = Daemon(office)
        office.ledger = Ledger(database_url)
        made.append(office)
        return office

    yield make
    for office in made:
        if office.daemon.process is not None:
            office.daemon.kill()
        office.ledger.close()
        office.app.db.dispose()


def replies_by_parent(smtp_server) -> Counter:
    return Counter(str(r.message["In-Reply-To"]).strip() for r in smtp_server.received)


# -- random kills --------------------------------------------------------------------------------


def test_sigkill_at_random_moments_files_every_mail_once_and_answers_it(
    dovecot, smtp_server, office_with, database_url, seed
):
    rng = random.Random(seed)
    office = office_with(database_url)
    daemon, ledger = office.daemon, office.ledger
    mails = school_mails(20)
    first, later = mails[:14], mails[14:]
    for raw in first:
        dovecot.append(office.user, raw, BEFORE_DEADLINE)
    delivered = len(first)
    kills = 5
    moments = []
    for kill in range(kills):
        daemon.start()
        if kill in (1, 3):  # mail that arrives while the daemon runs (IDLE) and between two kills
            for raw in later[:3]:
                dovecot.deliver_lmtp(office.user, raw)
            later, delivered = later[3:], delivered + 3
        filed, sent = ledger.filed(), len(smtp_server.received)
        # Progress since the restart first (or nothing left to do), then a random moment: every
        # kill lands somewhere new, and no mail can be in flight at three kills in a row.
        # While filing: after one more mail is filed. While answering: after one more reply is
        # received, when the next is being sent and marked (the moment for a duplicate reply);
        # replies go out while mail is still being filed, so one more mail filed too.
        phase = rng.choice(["filing", "answering"])
        one_more_filed = lambda: ledger.filed() > filed or ledger.filed() >= delivered
        if phase == "filing":
            progress = one_more_filed
            moment = rng.uniform(0.0, 1.5)
        else:
            progress = lambda: (
                one_more_filed()
                and (len(smtp_server.received) > sent or len(smtp_server.received) >= delivered)
            )
            moment = rng.uniform(0.0, 0.2)
        assert wait_until(progress, 120), (
            f"seed {seed}: no progress after start {daemon.starts}\n{daemon.text()[-3000:]}"
        )
        moments.append(f"{phase} +{moment:.2f} s")
        time.sleep(moment)
        daemon.kill()
    for raw in later:
        dovecot.deliver_lmtp(office.user, raw)
    daemon.start()
    ids = [message_id(raw) for raw in mails]
    context = f"seed {seed}, kills {moments}"

    def settled() -> bool:
        answered = replies_by_parent(smtp_server)
        # the outbox settled too: a reply sent just before a kill, but not marked, goes again
        return (
            ledger.filed() == len(mails)
            and all(answered[i] >= 1 for i in ids)
            and ledger.reply_statuses() == Counter(sent=len(mails))
        )

    assert wait_until(settled, SETTLE_SECONDS, 0.2), f"{context}\n{daemon.text()[-4000:]}"
    assert wait_until(lambda: dovecot.folders(office.user)["INBOX"] == [], 30), context
    assert daemon.stop() == 0, daemon.text()[-3000:]

    filed = ledger.submissions_by_message_id()
    assert sorted(filed) == sorted(ids), context
    assert set(filed.values()) == {1}, f"{context}: filed twice: {[i for i, n in filed.items() if n > 1]}"
    answered = replies_by_parent(smtp_server)
    assert set(answered) == set(ids), context
    duplicates = sum(n - 1 for n in answered.values())
    print(f"{context}: {daemon.starts} starts, {duplicates} duplicate replies")
    assert duplicates <= kills, f"{context}: {duplicates} duplicate replies for {kills} kills"
    assert max(answered.values()) <= 2, f"{context}: a mail was answered more than twice"
    assert ledger.reply_statuses() == Counter(sent=len(mails)), context
    folders = dovecot.folders(office.user)
    assert folders["INBOX"] == [], context
    assert sorted(message_id(m["raw"]) for m in folders["Processed"]) == sorted(ids), context
    assert not folders.get("Needs review"), context
    assert {row[0] for row in ledger.rows("SELECT status FROM mail_ledger")} == {"filed"}, context
    assert max(row[0] for row in ledger.rows("SELECT attempts FROM mail_ledger")) <= 2, context
    assert "Traceback" not in daemon.text(), context


# -- a mail the daemon dies on -------------------------------------------------------------------


def test_a_mail_the_daemon_dies_on_three_times_is_parked_and_the_mails_behind_it_are_filed(
    dovecot, smtp_server, office_with, tmp_path
):
    office = office_with(f"sqlite:///{tmp_path / 'var' / 'thidua.db'}")
    daemon, ledger = office.daemon, office.ledger
    poison = slow_mail()
    behind = school_mails(3)
    dovecot.append(office.user, poison, BEFORE_DEADLINE)  # the oldest: taken first on every start
    for raw in behind:
        dovecot.append(office.user, raw, BEFORE_DEADLINE + timedelta(minutes=5))
    key = content_key(poison)
    for attempt in (1, 2, 3):
        daemon.start()
        # killed while reading this mail, as the kernel's OOM killer or a crash in C code would
        in_flight = wait_until(
            lambda: (ledger.entry(key) or (None, 0))[:2] == ("processing", attempt), 120, 0.01
        )
        assert in_flight, f"attempt {attempt} not seen: {ledger.entry(key)}\n{daemon.text()[-3000:]}"
        daemon.kill()
        assert dovecot.folders(office.user)["INBOX"][0]["raw"] == poison  # still there, untouched
    daemon.start()
    ids = [message_id(raw) for raw in behind]

    def settled() -> bool:
        answered = replies_by_parent(smtp_server)
        return ledger.filed() == len(behind) and all(answered[i] >= 1 for i in ids)

    assert wait_until(settled, SETTLE_SECONDS, 0.2), daemon.text()[-4000:]
    assert wait_until(lambda: dovecot.folders(office.user)["INBOX"] == [], 30)
    assert daemon.stop() == 0, daemon.text()[-3000:]

    status, attempts, reason = ledger.entry(key)
    assert (status, attempts) == ("review", 4)
    assert reason == (
        "processing stopped unfinished 3 times (the service was killed or crashed while handling this mail)"
    )
    folders = dovecot.folders(office.user)
    assert [m["raw"] for m in folders["Needs review"]] == [poison]
    assert sorted(message_id(m["raw"]) for m in folders["Processed"]) == sorted(ids)
    assert message_id(poison) not in replies_by_parent(smtp_server)  # staff answer it, not the daemon
    assert "moved to review" in daemon.text()

    digest = office.cli("digest")
    assert digest.returncode == 0, digest.stderr
    review = digest.stdout.split("6. THƯ CẦN CÁN BỘ XEM XÉT (1)", 1)[1].split("7. ", 1)[0]
    assert "Hồ sơ đọc rất lâu" in review and SCHOOL in review
    assert "processing stopped unfinished 3 times" in review
