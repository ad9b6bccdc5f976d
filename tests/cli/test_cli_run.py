"""`thidua run --once` over a Maildir holding the bundled example mails."""

from __future__ import annotations

import email.utils
import re
from datetime import datetime, timedelta, timezone

from tests.support.clitools import EXAMPLE_MAIL, OFFICE_ADDRESS, ok, read_eml, run_cli, table_rows

VN = timezone(timedelta(hours=7))

# (receipt, version, status, school, sender) in arrival order: what the demo must file
EXPECTED_ROWS = [
    ("HS-2017-0001", "1", "accepted", "Trường Tiểu học Phong Hòa", "thphonghoa@example.vn"),
    ("HS-2017-0002", "1", "needs_correction", "Trường Mầm non Hoa Sen", "mnhoasen@example.vn"),
    ("HS-2018-0001", "1", "needs_correction", "Trường THCS Phong Điền", "thcsphongdien@example.vn"),
    ("HS-2018-0002", "1", "rejected", None, "thu.gv1985@gmail.example"),
    ("HS-2018-0003", "1", "accepted", "Trường THCS An Bình", "c2anbinh@example.vn"),
    ("HS-2018-0004", "1", "needs_correction", "Trường THCS An Bình", "c2anbinh@example.vn"),
    ("HS-2018-0001", "2", "accepted", "Trường THCS Phong Điền", "thcsphongdien@example.vn"),
    ("HS-2018-0005", "1", "needs_correction", "Trường Mầm non Hoa Sen", "mnhoasen@example.vn"),
    ("HS-2018-0006", "1", "accepted", "Trường Tiểu học Phong Hòa", "thphonghoa@example.vn"),
]
AUTO_REPLY_RECEIPT = "HS-2018-0004"  # 08-tra-loi-tu-dong.eml: Auto-Submitted, gets no answer


def test_run_once_prints_the_table_and_exits_0(demo):
    result = ok(demo.run)
    rows = table_rows(result.out)
    assert len(rows) == 9, result.out
    for row, (receipt, version, status, school, sender) in zip(rows, EXPECTED_ROWS):
        assert row[:3] == [receipt, version, status]
        if school is not None:  # the unknown sender's school is only what its file claims
            assert row[3] == school
        assert row[4] == sender
    assert result.out.rstrip().splitlines()[-1] == "9 thư đã xử lý, 8 phản hồi đã gửi."
    assert result.err == ""


def test_the_inbox_is_emptied_into_processed(demo):
    inbox = demo.office.inbox
    assert list((inbox / "new").iterdir()) == []
    assert list((inbox / "cur").iterdir()) == []
    assert sorted(p.name for p in (inbox / ".Processed" / "cur").iterdir()) == list(demo.delivered)
    assert not (inbox / ".Needs review").exists() or not list((inbox / ".Needs review" / "cur").iterdir())


def test_one_reply_per_answered_mail(demo):
    replies = demo.office.replies()
    assert len(replies) == 8
    receipts = sorted(re.search(r"\[(HS-\d{4}-\d{4})\]", str(r["Subject"])).group(1) for r in replies)
    expected = sorted(row[0] for row in EXPECTED_ROWS if row[0] != AUTO_REPLY_RECEIPT)
    assert receipts == expected  # HS-2018-0001 twice (two versions), the auto-reply never
    originals = {}
    for name in sorted(p.name for p in EXAMPLE_MAIL.glob("*.eml")):
        mail = read_eml(EXAMPLE_MAIL / name)
        originals[mail["Message-ID"]] = email.utils.parseaddr(mail["From"])[1].lower()
    answered = set()
    for reply in replies:
        assert reply["Auto-Submitted"] == "auto-replied"
        assert reply["From"].addresses[0].addr_spec == OFFICE_ADDRESS
        assert reply["In-Reply-To"] in originals
        assert [a.addr_spec for a in reply["To"].addresses] == [originals[reply["In-Reply-To"]]]
        answered.add(reply["In-Reply-To"])
    assert len(answered) == 8
    assert "<anbinh-ooo@example.vn>" not in answered


def test_arrival_times_are_the_maildir_delivery_times(demo):
    received = {(s["receipt"], s["version"]): s["received_at"] for s in demo.office.submissions()}
    assert received[("HS-2018-0001", 1)] == "2018-03-12T16:41:00+07:00"  # not the Date header (16:40)
    assert received[("HS-2018-0006", 1)] == "2018-03-16T07:31:00+07:00"


def test_second_run_processes_and_sends_nothing(demo_copy):
    outbox_before = sorted(p.name for p in demo_copy.outbox.iterdir())
    submissions_before = demo_copy.submissions()
    result = ok(demo_copy.cli("run", "--once"))
    assert table_rows(result.out) == []
    assert result.out.strip() == "0 thư đã xử lý, 0 phản hồi đã gửi."
    assert sorted(p.name for p in demo_copy.outbox.iterdir()) == outbox_before
    assert demo_copy.submissions() == submissions_before


def test_a_mail_delivered_again_is_filed_once_and_not_answered_again(demo_copy):
    raw = (EXAMPLE_MAIL / "03-danh-sach-an-binh.eml").read_bytes()
    redelivered = demo_copy.deliver(
        b"Received: from mx2.example.vn by pgd; Wed, 14 Mar 2018 10:00:00 +0700\r\n" + raw,
        datetime(2018, 3, 14, 10, 0, tzinfo=VN),
    )
    result = ok(demo_copy.cli("run", "--once"))
    [row] = table_rows(result.out)
    assert row[:3] == ["HS-2018-0003", "1", "duplicate"]
    assert result.out.rstrip().splitlines()[-1] == "1 thư đã xử lý, 0 phản hồi đã gửi."
    assert len(demo_copy.replies()) == 8
    assert len(demo_copy.submissions()) == 9
    assert not redelivered.exists()
    assert (demo_copy.inbox / ".Processed" / "cur" / redelivered.name).exists()


def test_in_process_run_matches_the_console_script(office):
    """The same flow through ``thidua.cli.main``: both ways of calling are one program."""
    ok(office.cli("schools", "import", office.root / "schools.csv"))
    office.deliver_examples()
    result = ok(run_cli("--config", office.config, "run", "--once"))
    assert [row[:3] for row in table_rows(result.out)] == [list(r[:3]) for r in EXPECTED_ROWS]
    assert len(office.replies()) == 8
