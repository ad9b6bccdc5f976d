"""A corrected list sent as a new mail (not a reply) replaces the school's list, through a real
IMAP server (Dovecot) and a real SMTP server."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.live import DOVECOT, NO_DOVECOT, imap_section, smtp_section
from tests.support.mails import list_with_evidence
from tests.support.office import BEFORE_DEADLINE

if DOVECOT is None:
    pytest.skip(NO_DOVECOT, allow_module_level=True)

pytestmark = pytest.mark.dovecot

PEOPLE = [
    "Nguyễn Thị Hoa",
    "Trần Văn Bình",
    "Lê Thị Mai",
    "Phạm Văn Nam",
    "Hoàng Thị Lan",
    "Võ Văn Tùng",
    "Đặng Thị Thu",
]


def test_a_corrected_list_in_a_new_mail_replaces_the_list_over_quota(dovecot, smtp_server, make_office):
    user = dovecot.new_user()
    office = make_office(mailbox=imap_section(dovecot, user), outgoing=smtp_section(smtp_server.port))
    dovecot.append(user, list_with_evidence(PEOPLE), BEFORE_DEADLINE)
    assert office.cli("run", "--once").returncode == 0
    [first] = office.submissions()
    assert (first["status"], [p["code"] for p in first["problems"]]) == (
        "needs_correction",
        ["quota_exceeded"],
    )

    corrected = list_with_evidence(PEOPLE[:5], subject="Danh sách khen thưởng quý I đã chỉnh sửa")
    dovecot.append(user, corrected, BEFORE_DEADLINE + timedelta(hours=2))
    done = office.cli("run", "--once")
    assert done.returncode == 0, done.stderr

    new, old = office.submissions()  # newest first
    assert (old["receipt"], old["version"], old["status"]) == (first["receipt"], 1, "superseded")
    assert (new["receipt"], new["version"], new["status"], new["problems"]) == (
        first["receipt"],
        2,
        "accepted",
        [],
    )
    assert dovecot.folders(user)["INBOX"] == []
    _, reply = smtp_server.wait_for(2)
    assert reply.message["Subject"].startswith(f"[{first['receipt']}]")
    text = reply.message.get_body(("plain",)).get_content()
    assert (
        f"Bản gửi này (lần gửi thứ 2) thay thế bản gửi lần thứ 1 của hồ sơ {first['receipt']}; "
        "bản trước không còn được dùng để xét."
    ) in text
