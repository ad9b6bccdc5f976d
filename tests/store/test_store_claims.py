"""Mail claims: one process at a time holds a mail; a killed holder lets go at once."""

from __future__ import annotations

import multiprocessing

import pytest

from thidua.errors import ServiceUnavailable
from thidua.store.claims import MailClaims, lock_key
from thidua.store.db import open_database


def test_lock_keys_are_stable_signed_64_bit_and_distinct():
    keys = {lock_key(f"imap:INBOX:7:{uid}") for uid in range(10_000)}
    assert len(keys) == 10_000
    assert all(-(2**63) <= key < 2**63 for key in keys)
    assert lock_key("imap:INBOX:7:1") == lock_key("imap:INBOX:7:1")
    assert lock_key("maildir:cur/x\udcff") != lock_key("maildir:cur/x")  # undecodable names still get a key


def test_on_sqlite_every_mail_is_free(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'thidua.db'}")
    first, second = MailClaims(database.engine), MailClaims(database.engine)
    assert first.take("imap:INBOX:1:1") and second.take("imap:INBOX:1:1")
    first.release("imap:INBOX:1:1")
    first.release_all()


@pytest.mark.postgres
def test_a_mail_held_by_one_process_is_refused_to_another_until_released(pg_db):
    other_database = open_database(str(pg_db.url.render_as_string(hide_password=False)))
    mine, theirs = MailClaims(pg_db.engine), MailClaims(other_database.engine)
    try:
        assert mine.take("imap:INBOX:1:1")
        assert mine.take("imap:INBOX:1:1")  # taken twice by its holder: still one lock
        assert not theirs.take("imap:INBOX:1:1")
        assert theirs.take("imap:INBOX:1:2")
        assert not mine.take("imap:INBOX:1:2")
        mine.release("imap:INBOX:1:1")
        assert theirs.take("imap:INBOX:1:1")
        theirs.release_all()
        assert mine.take("imap:INBOX:1:1") and mine.take("imap:INBOX:1:2")
        mine.release("imap:INBOX:1:1", "imap:INBOX:1:2", "never:taken")
        assert theirs.take("imap:INBOX:1:2")
    finally:
        mine.close()
        theirs.close()
        other_database.dispose()


def _hold_until_killed(url: str, key: str, ready) -> None:
    import time

    claims = MailClaims(open_database(url).engine)
    assert claims.take(key)
    ready.set()
    time.sleep(120)


@pytest.mark.postgres
def test_a_killed_holder_lets_go_of_its_mails(pg_db):
    url = pg_db.url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    holder = context.Process(target=_hold_until_killed, args=(url, "imap:INBOX:1:9", ready))
    holder.start()
    claims = MailClaims(pg_db.engine)
    try:
        assert ready.wait(60)
        assert not claims.take("imap:INBOX:1:9")
        holder.kill()
        holder.join(30)
        # The server notices the closed socket at once, but ends the backend a moment later.
        import time

        deadline = time.monotonic() + 10
        while not claims.take("imap:INBOX:1:9"):
            assert time.monotonic() < deadline, "the killed process's lock was never released"
            time.sleep(0.05)
    finally:
        if holder.is_alive():
            holder.kill()
        claims.close()


@pytest.mark.postgres
def test_a_dropped_connection_is_replaced_and_its_locks_are_gone(pg_db):
    claims = MailClaims(pg_db.engine)
    try:
        assert claims.take("imap:INBOX:1:1")
        with pg_db.engine.connect() as admin:  # what a server restart does to every connection
            admin.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_locks "
                "WHERE locktype = 'advisory' AND pid <> pg_backend_pid()"
            )
        assert claims.take("imap:INBOX:1:2")  # on a fresh connection
        other = MailClaims(pg_db.engine)
        try:
            assert other.take("imap:INBOX:1:1")  # the lock died with the old connection
            assert not other.take("imap:INBOX:1:2")
        finally:
            other.close()
    finally:
        claims.close()


def test_an_unreachable_server_is_reported_as_unavailable():
    import sqlalchemy as sa

    engine = sa.create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:1/postgres", connect_args={"connect_timeout": 2}
    )
    claims = MailClaims(engine)
    with pytest.raises(ServiceUnavailable, match="connection refused"):
        claims.take("imap:INBOX:1:1")
    claims.close()
