"""Desk accounts, sessions, API tokens and the audit log, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from thidua.store import accounts, audit

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


def test_users_belong_to_one_office(db):
    with db.session() as session:
        accounts.add_user(session, "pgd-a", "lan", "clerk", "hash-a")
        accounts.add_user(session, "pgd-b", "lan", "viewer", "hash-b")  # the same name in another office
        with pytest.raises(accounts.AccountError):
            accounts.add_user(session, "pgd-a", "lan", "clerk", "x")
        with pytest.raises(accounts.AccountError):
            accounts.add_user(session, "pgd-a", "minh", "boss", "x")
    with db.session() as session:
        assert [u.role for u in accounts.list_users(session, "pgd-a")] == ["clerk"]
        assert accounts.find_user(session, "pgd-b", "lan").password_hash == "hash-b"


def test_a_session_ends_when_its_user_is_disabled_or_it_expires(db):
    with db.session() as session:
        user = accounts.add_user(session, "default", "lan", "clerk", "h")
        accounts.open_session(session, "default", user, "cookie-1", "csrf-1", timedelta(hours=1), now=NOW)
        accounts.open_session(session, "default", user, "cookie-2", "csrf-2", timedelta(hours=1), now=NOW)
    with db.session() as session:
        found = accounts.session_user(session, "default", "cookie-1", now=NOW + timedelta(minutes=5))
        assert found is not None and found[1].username == "lan" and found[0].csrf_token == "csrf-1"
        assert accounts.session_user(session, "other-office", "cookie-1", now=NOW) is None
        assert accounts.session_user(session, "default", "cookie-2", now=NOW + timedelta(hours=2)) is None
        assert accounts.session_user(session, "default", "nope", now=NOW) is None
    with db.session() as session:
        accounts.set_disabled(session, "default", "lan")
    with db.session() as session:
        assert accounts.session_user(session, "default", "cookie-1", now=NOW) is None
        accounts.set_disabled(session, "default", "lan", False)
    with db.session() as session:  # enabled again, the old sessions stay gone
        assert accounts.session_user(session, "default", "cookie-1", now=NOW) is None


def test_expired_sessions_are_deleted_office_by_office(db):
    with db.session() as session:
        ours = accounts.add_user(session, "default", "lan", "clerk", "h")
        theirs = accounts.add_user(session, "pgd-b", "lan", "clerk", "h")
        accounts.open_session(session, "default", ours, "old", "c", timedelta(hours=1), now=NOW)
        accounts.open_session(session, "default", ours, "new", "c", timedelta(hours=9), now=NOW)
        accounts.open_session(session, "pgd-b", theirs, "b-old", "c", timedelta(hours=1), now=NOW)
    with db.session() as session:
        assert accounts.end_expired_sessions(session, "default", now=NOW + timedelta(hours=2)) == 1
    with db.session() as session:
        assert accounts.session_user(session, "default", "new", now=NOW) is not None
        assert accounts.end_expired_sessions(session, "pgd-b", now=NOW + timedelta(hours=2)) == 1


def test_tokens_are_stored_hashed_and_can_be_revoked(db):
    with db.session() as session:
        row = accounts.add_token(session, "default", "script", "viewer", "secret-token")
        assert "secret-token" not in row.token_hash
    with db.session() as session:
        assert accounts.token_for(session, "default", "secret-token").name == "script"
        assert accounts.token_for(session, "pgd-b", "secret-token") is None
        accounts.revoke_token(session, "default", "script", now=NOW)
    with db.session() as session:
        assert accounts.token_for(session, "default", "secret-token") is None
        with pytest.raises(accounts.AccountError):
            accounts.revoke_token(session, "default", "script")


def test_audit_entries_decisions_and_paper_copies(db):
    with db.session() as session:
        audit.record(
            session,
            "default",
            "lan",
            "decision",
            "receipt",
            "HS-2018-0003",
            before={"status": "needs_correction"},
            after={"status": "accepted"},
            note="Đã xem",
        )
        audit.record(session, "pgd-b", "minh", "decision", "receipt", "HS-2018-0003")
        audit.add_decision(session, "default", "HS-2018-0003", 1, "accept", "Đồng ý", ["a"], "lan", now=NOW)
        _, new = audit.record_paper_copy(session, "default", "HS-2018-0003", "lan")
        again, new_again = audit.record_paper_copy(session, "default", "HS-2018-0003", "minh")
        assert new and not new_again and again.recorded_by == "lan"
    with db.session() as session:
        entries = audit.entries_for(session, "default", "receipt", "HS-2018-0003")
        assert [(e.actor, e.after) for e in entries] == [("lan", {"status": "accepted"})]
        decisions = audit.decisions_for(session, "default", ["HS-2018-0003", "HS-2018-0009"])
        assert [d.items for d in decisions["HS-2018-0003"]] == [["a"]] and decisions["HS-2018-0009"] == []
        assert decisions["HS-2018-0003"][0].at == NOW
        assert audit.paper_copies(session, "default", ["HS-2018-0003"]) == {"HS-2018-0003"}
        assert audit.paper_copies(session, "pgd-b", ["HS-2018-0003"]) == set()
