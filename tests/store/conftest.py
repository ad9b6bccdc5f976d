"""Fixtures for the store tests: every database test runs on SQLite and on PostgreSQL.

PostgreSQL: one uniquely named database is created for the test session (on the server named by
THIDUA_TEST_POSTGRES, default host=127.0.0.1 port=5432 user=postgres) and dropped at the end;
each test starts from an empty ``public`` schema and runs the migrations. When the server cannot
be reached the PostgreSQL variants are skipped with the reason.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timezone

import pytest

from thidua.store.db import Database, open_database
from thidua.store.drafts import DocumentDraft, NomineeDraft, SubmissionDraft

PG_DSN = os.environ.get("THIDUA_TEST_POSTGRES", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")


def _pg_url(dsn: str, dbname: str) -> str:
    import psycopg.conninfo

    params = psycopg.conninfo.conninfo_to_dict(dsn)
    user = params.get("user", "postgres")
    password = params.get("password")
    auth = f"{user}:{password}" if password else user
    return f"postgresql+psycopg://{auth}@{params.get('host', '127.0.0.1')}:{params.get('port', 5432)}/{dbname}"


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """A PostgreSQL database made for this test session (dropped afterwards), as a SQLAlchemy URL."""
    try:
        import psycopg

        admin = psycopg.connect(PG_DSN, autocommit=True, connect_timeout=5)
    except Exception as error:  # any failure means: no server to test against
        pytest.skip(f"PostgreSQL not reachable ({PG_DSN}): {str(error).splitlines()[0]}")
    name = f"thidua_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _pg_url(PG_DSN, name)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _reset_pg_schema(url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """The URL of an empty database (no tables yet)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'var' / 'thidua.db'}"
    url = request.getfixturevalue("pg_server_url")
    _reset_pg_schema(url)
    return url


@pytest.fixture
def db(database_url) -> Iterator[Database]:
    """A migrated, empty database."""
    database = open_database(database_url)
    database.migrate()
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def pg_db(pg_server_url) -> Iterator[Database]:
    """A migrated, empty PostgreSQL database (for PostgreSQL-only behaviour)."""
    _reset_pg_schema(pg_server_url)
    database = open_database(pg_server_url)
    database.migrate()
    try:
        yield database
    finally:
        database.dispose()


# -- drafts -----------------------------------------------------------------------------------------

T0 = datetime(2018, 3, 14, 2, 12, tzinfo=timezone.utc)  # 09:12 in Asia/Ho_Chi_Minh


def make_draft(n: int = 1, **changes) -> SubmissionDraft:
    draft = SubmissionDraft(
        sender="c2anbinh@example.vn",
        school_id=None,
        school_name="Trường THCS An Bình",
        subject="Danh sách đề nghị khen thưởng quý I",
        message_id=f"<mail-{n}@example.vn>",
        content_key=f"{n:064x}",
        mail_sha256="a" * 64,
        received_at=T0,
        round_id="q1-2018",
        status="accepted",
        documents=(
            DocumentDraft(filename="Danh sách.xlsx", container="", kind="nomination_list", detected="xlsx",
                          sha256="b" * 64, size=1234),
            DocumentDraft(filename="hoso.zip/minh-chung-1.pdf", container="hoso.zip", kind="evidence",
                          detected="pdf", sha256="c" * 64, size=99),
        ),
        registrations=(),
        registration_labels=(),
        nominees=(
            NomineeDraft(rank=1, name="Nguyễn Văn A", category="teacher", position="Giáo viên Toán",
                         achievements="2 giải nhất cấp huyện", evidence=("minh-chung-1.pdf",), award="Giấy khen",
                         category_text="Giáo viên", labels={"name": "Họ và tên"}),
            NomineeDraft(rank=2, name="Tổ Toán", category="collective", position="",
                         achievements="100% học sinh đạt", evidence=(), award="",
                         category_text="Tập thể"),
        ),
        problems=(),
        source_key=f"maildir:{n}",
    )
    return replace(draft, **changes)
