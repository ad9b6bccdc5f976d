"""Passwords never reach a log line or an error, even with the most detailed logging."""

from __future__ import annotations

import pytest

from tests.support.builders import make_eml
from tests.support.live import DOVECOT, NO_DOVECOT, PASSWORD, imap_section, smtp_section
from tests.support.office import BEFORE_DEADLINE, OFFICE

pytestmark = pytest.mark.skipif(DOVECOT is None, reason=NO_DOVECOT)

WRONG = "Sai-Mat-Khau-7391"


def test_a_verbose_pass_over_imap_logs_no_password(dovecot, smtp_server, make_office):
    user = dovecot.new_user()
    office = make_office(mailbox=imap_section(dovecot, user), outgoing=smtp_section(smtp_server.port))
    dovecot.append(
        user,
        make_eml(sender="c2anbinh@example.vn", to=OFFICE, subject="Hồ sơ", body="Kính gửi Phòng."),
        BEFORE_DEADLINE,
    )
    done = office.cli("--verbose", "run", "--once")
    assert done.returncode == 0, done.stderr
    assert "1 thư đã xử lý" in done.stdout
    output = done.stdout + done.stderr
    assert "connected to 127.0.0.1" in output  # logging at debug level was on
    assert PASSWORD not in output


def test_a_refused_password_is_not_repeated_in_the_error(dovecot, make_office):
    user = dovecot.new_user()
    office = make_office(mailbox=imap_section(dovecot, user, password=WRONG))
    done = office.cli("--verbose", "run", "--once")
    assert done.returncode != 0
    assert f"IMAP login failed for {user}" in done.stderr
    assert WRONG not in done.stdout + done.stderr


def test_a_database_password_is_hidden_in_errors(make_office, tmp_path):
    office = make_office(office_extra="")
    config = office.config.read_text(encoding="utf-8")
    office.config.write_text(
        config + f'\n[database]\nurl = "postgresql+psycopg://thidua:{WRONG}@127.0.0.1:1/thidua"\n',
        encoding="utf-8",
    )
    done = office.cli("--verbose", "run", "--once")
    assert done.returncode != 0
    assert "127.0.0.1:1" in done.stderr
    assert WRONG not in done.stdout + done.stderr
