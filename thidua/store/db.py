"""Opening the database (SQLite or PostgreSQL) and bringing its schema up to date.

``open_database(url)`` checks the URL and that the server answers, and turns every failure into
one line for staff (``ConfigError`` for a wrong setting, ``ServiceUnavailable`` for a server that
does not answer). ``Database.session()`` is the unit of work: commit on success, rollback on error.

SQLite: the file (and its folder) is created with owner-only permissions, WAL journal, foreign
keys on, a busy timeout, and every transaction starts with ``BEGIN IMMEDIATE`` so that two
processes writing at once wait for each other instead of failing half-way.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from thidua.errors import ConfigError, ServiceUnavailable

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SCHEMA_HEAD = "0009"  # the newest revision in MIGRATIONS (a test keeps the two in step)
SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_CONNECT_TIMEOUT_S = 10
# pg_advisory_xact_lock key that serialises schema migrations between processes ("thidua" in ASCII)
MIGRATION_LOCK_KEY = 0x746869647561

_URL_EXAMPLE = "e.g. sqlite:///var/thidua.db or postgresql+psycopg://user:password@host:5432/thidua"


class Database:
    """An engine plus the unit-of-work helper. Create it with :func:`open_database`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._migrate_lock = threading.Lock()
        # SQLite has one writer at a time, and every transaction here writes (BEGIN IMMEDIATE).
        # Threads of one process queue on this lock instead: SQLite's own wait for a busy database
        # sleeps in steps of 1 to 100 ms, which cost more than the transactions themselves when
        # a pass files mail in one thread and sends replies in another.
        self._transactions = (
            threading.RLock() if engine.dialect.name == "sqlite" else contextlib.nullcontext()
        )

    @property
    def url(self) -> URL:
        return self.engine.url

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    def describe(self) -> str:
        """The URL with the password hidden, for messages and logs."""
        return self.engine.url.render_as_string(hide_password=True)

    def migrate(self) -> None:
        """Bring the schema to the newest revision (``alembic upgrade head``); a no-op when current.

        Safe when several processes call it at once: PostgreSQL serialises them with a transaction
        advisory lock, SQLite with its write lock (``BEGIN IMMEDIATE``). On PostgreSQL the whole
        upgrade is one transaction.
        """
        if self._schema_is_current():
            return  # the common case on every start: alembic is not even imported (memory, start-up time)
        from alembic import command
        from alembic.config import Config
        from alembic.util import CommandError

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        where = self.describe()
        try:
            with self._migrate_lock, translated_errors(self.engine.url):
                with self.engine.begin() as connection:
                    if self.dialect == "postgresql":
                        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(MIGRATION_LOCK_KEY)))
                    config.attributes["connection"] = connection
                    command.upgrade(config, "head")
        except CommandError as error:
            # typically a schema revision this version does not know: a newer thidua wrote it
            raise ConfigError(
                f"cannot update the database schema at {where}: {_first_line(error)} "
                "— was it created by a newer version of thidua?"
            ) from None
        except exc.DBAPIError as error:
            raise ConfigError(
                f"cannot update the database schema at {where}: {_first_line(error)} "
                "— check that the database user may create tables"
            ) from None

    def _schema_is_current(self) -> bool:
        try:
            with self.engine.connect() as connection:
                versions = (
                    connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
                )
        except exc.DBAPIError:
            return False  # no schema yet (or no answer: the migration says which, in one line)
        return versions == [SCHEMA_HEAD]

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends normally and rolls back on an exception.

        Objects stay readable after the block (``expire_on_commit=False``); lazy relationships
        must be loaded inside it.
        """
        with self._transactions, translated_errors(self.engine.url):
            with Session(self.engine, expire_on_commit=False) as session:
                try:
                    yield session
                    session.commit()
                except BaseException:
                    session.rollback()
                    raise

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str) -> Database:
    """An engine for ``url`` (``sqlite:///path`` or ``postgresql+psycopg://...``), checked to answer.

    Raises ConfigError for a URL that is malformed, names an unsupported database or a database
    that does not exist / refuses the login, and ServiceUnavailable when the server cannot be reached.
    """
    parsed = _parse(url)
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed)
    else:
        engine = _postgresql_engine(parsed)
    with translated_errors(parsed):
        with engine.connect():
            pass
    return Database(engine)


# -- URL --------------------------------------------------------------------------------------------


def _parse(url: str) -> URL:
    text = (url or "").strip()
    if not text:
        raise ConfigError(f"[database] url is empty: set it ({_URL_EXAMPLE})")
    try:
        parsed = make_url(text)
    except (exc.ArgumentError, ValueError):
        raise ConfigError(
            f"[database] url {_redact(text)!r} is not a database URL ({_URL_EXAMPLE})"
        ) from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend == "postgres":
        backend = "postgresql"
    if backend == "sqlite":
        if driver not in ("", "pysqlite"):
            raise ConfigError(
                f"[database] url: SQLite driver {driver!r} is not supported; use sqlite:///path/to/file.db"
            )
        return parsed.set(drivername="sqlite")
    if backend == "postgresql":
        if driver not in ("", "psycopg"):
            raise ConfigError(
                f"[database] url: PostgreSQL driver {driver!r} is not supported; "
                "use postgresql+psycopg://user:password@host:5432/dbname"
            )
        if parsed.port is not None and not 0 < parsed.port < 65536:
            raise ConfigError(f"[database] url: port {parsed.port} is not a TCP port")
        return parsed.set(drivername="postgresql+psycopg")
    raise ConfigError(f"[database] url: unsupported database {backend!r} ({_URL_EXAMPLE})")


def _redact(text: str) -> str:
    """The URL text with anything that may be a password (``:secret@``) hidden."""
    return re.sub(r":[^:@/\s]*@", ":***@", text)


# -- SQLite -----------------------------------------------------------------------------------------


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    memory = database in ("", ":memory:") or database.startswith("file::memory:")
    if memory:
        engine = sa.create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        path = Path(database)
        _create_private_file(path)
        engine = sa.create_engine(
            url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # pragma: no cover - exercised by every test
        # Let SQLAlchemy (not the sqlite3 module) decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            if not memory:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # pragma: no cover - exercised by every test
        # Take the write lock at the start: a read-then-write transaction can then never fail with
        # SQLITE_BUSY half-way, and receipt numbers are handed out one transaction at a time.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _create_private_file(path: Path) -> None:
    """Create the database file (and missing folders) readable by the owner only."""
    try:
        if not path.parent.exists():
            path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        if not path.exists():
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            os.close(fd)
    except OSError as error:
        raise ConfigError(
            f"[database] url: cannot create the SQLite database {path}: "
            f"{error.strerror or error} — check the path and its permissions"
        ) from None
    if path.is_dir():
        raise ConfigError(f"[database] url: {path} is a folder, not a SQLite database file")


# -- PostgreSQL -------------------------------------------------------------------------------------


def _postgresql_engine(url: URL) -> Engine:
    try:
        return sa.create_engine(
            url, pool_pre_ping=True, connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S}
        )
    except (ImportError, exc.NoSuchModuleError) as error:  # pragma: no cover - psycopg is a dependency
        raise ConfigError(f"[database] url: the PostgreSQL driver is not installed ({error})") from None


# -- errors -----------------------------------------------------------------------------------------


def _where(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return f"{url.host or 'localhost'}:{url.port or 5432}"


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def describe_operational_error(url: URL, error: exc.DBAPIError) -> ThiduaErrorType | None:
    """The one-line error for a failure to connect, or None when ``error`` is something else."""
    where = _where(url)
    message = str(error.orig or error)
    lowered = message.lower()
    if url.get_backend_name() == "sqlite":
        if "unable to open database file" in lowered:
            return ServiceUnavailable(
                f"cannot open the SQLite database {where}: check the path and its permissions"
            )
        if "file is not a database" in lowered:
            return ConfigError(f"{where} is not a SQLite database: point [database] url at another file")
        return None
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate and not (
        sqlstate.startswith("08")
        or sqlstate.startswith("57P")
        or sqlstate.startswith("28")
        or sqlstate == "3D000"
    ):
        return None  # a real SQL error (serialization failure, deadlock…): not ours to rename
    database = url.database or url.username or "postgres"
    user = url.username or "(default user)"
    if "does not exist" in lowered and "database" in lowered:
        return ConfigError(
            f"database {database!r} does not exist on {where}: create it "
            f"(createdb {database}) or fix [database] url"
        )
    if (
        "password authentication failed" in lowered
        or "no password supplied" in lowered
        or (sqlstate or "").startswith("28")
        or "authentication failed" in lowered
    ):
        return ConfigError(
            f"the database at {where} refused the login of user {user}: "
            "check the user and password in [database] url"
        )
    if "connection refused" in lowered:
        return ServiceUnavailable(
            f"cannot reach the database at {where}: connection refused — is PostgreSQL running?"
        )
    if "timeout expired" in lowered or "timed out" in lowered:
        return ServiceUnavailable(
            f"cannot reach the database at {where}: no answer within "
            f"{PG_CONNECT_TIMEOUT_S} s — check the host, the port and the firewall"
        )
    if (
        "could not translate host name" in lowered
        or "name or service not known" in lowered
        or "nodename nor servname" in lowered
        or "name resolution" in lowered
    ):
        return ServiceUnavailable(
            f"cannot reach the database at {where}: unknown host name — check [database] url"
        )
    if "no route to host" in lowered or "network is unreachable" in lowered:
        return ServiceUnavailable(
            f"cannot reach the database at {where}: no route to the host — check the network"
        )
    if "the database system is starting up" in lowered or "shutting down" in lowered:
        return ServiceUnavailable(f"the database at {where} is starting or stopping: try again in a moment")
    if sqlstate is None or sqlstate.startswith("08") or sqlstate.startswith("57P"):
        return ServiceUnavailable(f"cannot reach the database at {where}: {_first_line(error)}")
    return None


ThiduaErrorType = ConfigError | ServiceUnavailable


@contextlib.contextmanager
def translated_errors(url: URL) -> Iterator[None]:
    """Connection failures become ConfigError / ServiceUnavailable; everything else passes through."""
    try:
        yield
    except exc.DBAPIError as error:
        connection_level = (exc.OperationalError, exc.InterfaceError)
        if url.get_backend_name() == "sqlite":
            connection_level = (exc.DatabaseError,)  # "file is not a database" is a plain DatabaseError
        if isinstance(error, connection_level) or error.connection_invalidated:
            translated = describe_operational_error(url, error)
            if translated is not None:
                raise translated from None
        raise
