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

import pytest

from thidua.store.db import Database, open_database

PG_DSN = os.environ.get("THIDUA_TEST_POSTGRES", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")


def _pg_url(dsn: str, dbname: str) -> str:
    import psycopg.conninfo

    params = psycopg.conninfo.conninfo_to_dict(dsn)
    user = params.get("user", "postgres")
    password = params.get("password")
    auth = f"{user}:{password}" if password else user
    return (
        f"postgresql+psycopg://{auth}@{params.get('host', '127.0.0.1')}:{params.get('port', 5432)}/{dbname}"
    )


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
