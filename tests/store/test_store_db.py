"""Opening the database, migrations, sessions, timestamps, clear errors."""

from __future__ import annotations

import stat
import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from thidua.errors import ConfigError, ServiceUnavailable, ThiduaError
from thidua.store.db import MIGRATIONS, SCHEMA_HEAD, open_database
from thidua.store.models import DigestRun, School, metadata

TABLES = {
    "schools",
    "school_addresses",
    "submissions",
    "documents",
    "registrations",
    "nominees",
    "problems",
    "replies",
    "receipt_counters",
    "mail_ledger",
    "digest_runs",
    "nominee_reviews",
    "nominee_selections",
    "selection_rounds",
    "results_sent",
    "desk_users",
    "desk_sessions",
    "api_tokens",
    "audit_entries",
    "decisions",
    "paper_copies",
}

HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()


def _tables(db) -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def _revision(db) -> str:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_migrate_creates_the_schema_and_is_idempotent(database_url):
    db = open_database(database_url)
    try:
        assert _tables(db) == set()
        db.migrate()
        assert _tables(db) == TABLES
        assert _revision(db) == HEAD
        with db.session() as session:
            session.add(School(name="Trường A"))
        db.migrate()  # a second run changes nothing and keeps the data
        assert _revision(db) == HEAD
        with db.session() as session:
            assert session.exec(sa.select(sa.func.count()).select_from(School)).one()[0] == 1
    finally:
        db.dispose()


def test_the_known_head_is_the_newest_migration():
    assert SCHEMA_HEAD == HEAD


def test_a_current_schema_is_checked_without_loading_alembic(tmp_path):
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'thidua.db'}"
    db = open_database(url)
    db.migrate()
    db.dispose()
    script = (
        "import sys; from thidua.store.db import open_database; "
        f"open_database({url!r}).migrate(); print('alembic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_migration_matches_the_models(db):
    """The hand-reviewed migration creates exactly what the models declare (types, indexes, constraints)."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_schema_details(db):
    inspector = sa.inspect(db.engine)
    uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints("submissions")}
    assert ("receipt", "version") in uniques
    indexes = {tuple(i["column_names"]) for i in inspector.get_indexes("submissions")}
    assert {("content_key",), ("message_id",), ("school_id", "round_id")} <= indexes
    assert {tuple(u["column_names"]) for u in inspector.get_unique_constraints("mail_ledger")} == {
        ("source_key",)
    }
    assert {tuple(u["column_names"]) for u in inspector.get_unique_constraints("school_addresses")} == {
        ("address",)
    }
    columns = {c["name"]: c for c in inspector.get_columns("submissions")}
    assert columns["school_id"]["nullable"] and columns["round_id"]["nullable"]
    assert columns["superseded_at"]["nullable"] and not columns["received_at"]["nullable"]
    if db.dialect == "postgresql":
        assert (
            isinstance(columns["received_at"]["type"], sa.DateTime)
            and columns["received_at"]["type"].timezone
        )


def test_migrate_twice_at_once(database_url):
    """Two processes starting together both migrate; the lock makes one wait and then do nothing."""
    databases = [open_database(database_url) for _ in range(3)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(databases))

    def run(database):
        try:
            barrier.wait()
            database.migrate()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(d,)) for d in databases]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert errors == []
        assert _tables(databases[0]) == TABLES
        assert _revision(databases[0]) == HEAD
    finally:
        for d in databases:
            d.dispose()


def test_session_commits_or_rolls_back(db):
    with db.session() as session:
        session.add(School(name="Trường A"))
    with pytest.raises(RuntimeError):
        with db.session() as session:
            session.add(School(name="Trường B"))
            session.flush()
            raise RuntimeError("boom")
    with db.session() as session:
        names = [s.name for s in session.exec(sa.select(School)).scalars()]
    assert names == ["Trường A"]


def test_timestamps_come_back_aware_in_utc(db):
    hanoi = timezone(timedelta(hours=7))
    with db.session() as session:
        run = DigestRun(sent_at=datetime(2024, 1, 2, 7, 30, tzinfo=hanoi))
        session.add(run)
    with db.session() as session:
        again = session.get(DigestRun, run.id, populate_existing=True)
        assert again.sent_at.tzinfo is not None
        assert again.sent_at.utcoffset() == timedelta(0)
        assert again.sent_at == datetime(2024, 1, 2, 0, 30, tzinfo=UTC)


def test_naive_timestamps_are_refused(db):
    with pytest.raises(Exception) as info:
        with db.session() as session:
            session.add(DigestRun(sent_at=datetime(2024, 1, 2, 7, 30)))
    assert "time zone" in str(info.value)


# -- SQLite specifics ---------------------------------------------------------------------------------


def test_sqlite_file_folder_and_pragmas(tmp_path):
    path = tmp_path / "deep" / "var" / "thidua.db"
    db = open_database(f"sqlite:///{path}")
    try:
        db.migrate()
        assert path.is_file()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
        for companion in (path.with_name("thidua.db-wal"), path.with_name("thidua.db-shm")):
            if companion.exists():
                assert stat.S_IMODE(companion.stat().st_mode) == 0o600
    finally:
        db.dispose()


def test_sqlite_relative_url_is_relative_to_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = open_database("sqlite:///var/thidua.db")
    try:
        db.migrate()
    finally:
        db.dispose()
    assert (tmp_path / "var" / "thidua.db").is_file()


def test_sqlite_foreign_keys_are_enforced(db):
    from thidua.store.models import SchoolAddress

    with pytest.raises(sa.exc.IntegrityError):
        with db.session() as session:
            session.add(SchoolAddress(school_id=424242, address="x@example.vn"))


def test_sqlite_path_that_is_a_folder(tmp_path):
    (tmp_path / "db").mkdir()
    with pytest.raises(ConfigError, match="folder"):
        open_database(f"sqlite:///{tmp_path / 'db'}")


def test_sqlite_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"not a database " * 500)
    with pytest.raises(ConfigError, match="is not a SQLite database"):
        open_database(f"sqlite:///{path}")


def test_sqlite_in_memory(tmp_path):
    db = open_database("sqlite://")
    try:
        db.migrate()
        assert _tables(db) == TABLES
    finally:
        db.dispose()


# -- errors ---------------------------------------------------------------------------------------------


def test_unreachable_postgresql_is_one_clear_line():
    with pytest.raises(ServiceUnavailable) as info:
        open_database("postgresql+psycopg://postgres@127.0.0.1:1/thidua")
    message = str(info.value)
    assert message == "cannot reach the database at 127.0.0.1:1: connection refused — is PostgreSQL running?"
    assert "\n" not in message
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_plain_postgresql_scheme_uses_psycopg():
    with pytest.raises(ServiceUnavailable, match="127.0.0.1:1"):
        open_database("postgresql://postgres@127.0.0.1:1/thidua")


@pytest.mark.parametrize(
    "url, expected",
    [
        ("", "empty"),
        ("not a url", "is not a database URL"),
        ("postgresql+psycopg://u@host:99999/db", "not a database URL|not a TCP port"),
        ("mysql://u@localhost/db", "unsupported database 'mysql'"),
        ("postgresql+asyncpg://u@localhost/db", "driver 'asyncpg' is not supported"),
        ("sqlite+aiosqlite:///x.db", "driver 'aiosqlite' is not supported"),
    ],
)
def test_malformed_urls_are_config_errors(url, expected):
    with pytest.raises(ConfigError, match=expected) as info:
        open_database(url)
    assert "\n" not in str(info.value)


def test_password_is_not_echoed_in_errors():
    with pytest.raises(ConfigError) as info:
        open_database("mssql://user:s3cret@host/db")
    assert "s3cret" not in str(info.value)
    with pytest.raises(ConfigError) as info:
        open_database("::user:s3cret@host/db")
    assert "s3cret" not in str(info.value)


@pytest.mark.postgres
def test_missing_postgresql_database_is_a_config_error(pg_server_url):
    url = pg_server_url.rsplit("/", 1)[0] + "/thidua_no_such_database"
    with pytest.raises(ConfigError) as info:
        open_database(url)
    assert str(info.value).startswith("database 'thidua_no_such_database' does not exist on ")
    assert isinstance(info.value, ThiduaError)


@pytest.mark.postgres
def test_postgresql_sql_errors_are_not_renamed(pg_db):
    with pytest.raises(sa.exc.ProgrammingError):
        with pg_db.session() as session:
            session.execute(sa.text("SELECT * FROM no_such_table"))


def test_schema_from_a_newer_version_is_one_clear_line(db):
    with db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(ConfigError, match="newer version of thidua") as info:
        db.migrate()
    assert "\n" not in str(info.value)
