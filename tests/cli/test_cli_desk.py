"""`thidua users`, `thidua tokens` and `thidua signed-copy`: accounts, tokens printed once, paper copies.

The commands are added to the main command as thidua/cli.py will (``cli_desk.register``)."""

from __future__ import annotations

import io
import sys

import pytest

import thidua.cli
from tests.support.clitools import assert_one_line_error, ok, table_rows
from thidua.cli_desk import register
from thidua.config import load_settings


def _registered_once() -> None:
    if not getattr(thidua.cli.app, "_desk_registered", False):
        register(thidua.cli.app, lambda: load_settings(thidua.cli.State.config))
        thidua.cli.app._desk_registered = True


_registered_once()


@pytest.fixture
def stdin(monkeypatch):
    def feed(text: str) -> None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(text))

    return feed


def _settings_and_db(office):
    from thidua.store.db import open_database

    settings = load_settings(office.config)
    return settings, open_database(settings.database.url)


def test_users_added_listed_disabled_with_the_password_from_stdin(office, stdin):
    from thidua.desk.passwords import verify_password
    from thidua.store import accounts, audit

    stdin("mat-khau-cua-lan-2018\n")
    ok(office.cli("users", "add", "lan", "--role", "clerk", "--display-name", "Nguyễn Thị Lan"))
    stdin("mat-khau-cua-minh-2018\n")
    ok(office.cli("users", "add", "minh", "--role", "viewer"))
    rows = table_rows(ok(office.cli("users", "list")).out)
    assert [row[:3] for row in rows] == [["lan", "Nguyễn Thị Lan", "clerk"], ["minh", "", "viewer"]]
    settings, db = _settings_and_db(office)
    with db.session() as session:
        lan = accounts.find_user(session, settings.office.code, "lan")
        assert verify_password(lan.password_hash, "mat-khau-cua-lan-2018")
        assert "mat-khau" not in lan.password_hash
    stdin("mat-khau-moi-cua-lan\n")
    ok(office.cli("users", "passwd", "lan"))
    ok(office.cli("users", "disable", "minh"))
    assert table_rows(ok(office.cli("users", "list")).out)[1][3] == "đã khóa"
    with db.session() as session:
        assert verify_password(
            accounts.find_user(session, settings.office.code, "lan").password_hash, "mat-khau-moi-cua-lan"
        )
        assert [e.action for e in audit.entries_for(session, settings.office.code, "user", "minh")] == [
            "user_add",
            "user_disable",
        ]
    db.dispose()


def test_account_mistakes_are_one_line(office, stdin):
    stdin("ngan\n")
    assert_one_line_error(office.cli("users", "add", "lan", "--role", "clerk"), "at least 10 characters")
    stdin("mat-khau-du-dai-2018\n")
    assert_one_line_error(office.cli("users", "add", "lan", "--role", "boss"), "unknown role 'boss'")
    stdin("mat-khau-du-dai-2018\n")
    ok(office.cli("users", "add", "lan", "--role", "clerk"))
    stdin("mat-khau-du-dai-2018\n")
    assert_one_line_error(office.cli("users", "add", "lan", "--role", "clerk"), "exists already")
    assert_one_line_error(office.cli("users", "disable", "ghost"), "no user 'ghost'")


def test_a_token_is_printed_once_and_can_be_revoked(office):
    from thidua.store import accounts

    result = ok(office.cli("tokens", "add", "bao-cao", "--role", "viewer"))
    token = result.out.strip()
    assert len(token) >= 40 and "Bearer" in result.err
    settings, db = _settings_and_db(office)
    with db.session() as session:
        assert accounts.token_for(session, settings.office.code, token).name == "bao-cao"
    assert token not in ok(office.cli("tokens", "list")).out
    ok(office.cli("tokens", "revoke", "bao-cao"))
    with db.session() as session:
        assert accounts.token_for(session, settings.office.code, token) is None
    db.dispose()
    assert_one_line_error(office.cli("tokens", "revoke", "bao-cao"), "no token named")


def test_signed_copy_of_a_processed_submission(office):
    ok(office.cli("schools", "import", office.root / "schools.csv"))
    office.deliver_examples()
    ok(office.cli("run", "--once"))
    receipt = office.submissions()[0]["receipt"]
    result = ok(office.cli("signed-copy", receipt))
    assert receipt in result.out and "bản giấy" in result.out
    assert_one_line_error(office.cli("signed-copy", "HS-1999-0001"), "no submission 'HS-1999-0001'")


def test_web_refuses_a_bad_listen_address_in_one_line(office):
    assert_one_line_error(office.cli("web", "--listen", "nowhere"), "--listen 'nowhere'", "host:port")
