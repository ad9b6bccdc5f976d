"""Which process holds which mail, when several daemons share one mailbox and one PostgreSQL.

Two daemons listing one inbox see the same mails. Without a word between them both would read
each one, and the second to begin it would take the first's unfinished attempt for a crash and
read the mail again, alone (see ``intake.pipeline``). So a daemon takes a mail before it begins
it: a PostgreSQL session advisory lock on the mail's source key, held on a connection of its
own. The lock lives as long as that connection, so a daemon that is killed lets go of its mails
at once, and the ledger's counting of unfinished attempts works as with one daemon. A mail held
elsewhere is left to its holder for this pass.

SQLite is one host's, one writer's database: there every mail is free to take.
"""

from __future__ import annotations

import hashlib
import logging
import threading

import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.engine import Connection, Engine

from thidua.errors import ServiceUnavailable
from thidua.store.db import translated_errors

log = logging.getLogger("thidua.store")


def lock_key(source_key: str) -> int:
    """The advisory lock key (a signed 64-bit integer) of a mail's source key."""
    digest = hashlib.blake2b(
        source_key.encode("utf-8", "surrogatepass"), digest_size=8, person=b"thidua-mail"
    ).digest()
    return int.from_bytes(digest, "big", signed=True)


class MailClaims:
    """``take`` a mail before working on it, ``release`` it once it is filed or given up."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._shared = engine.dialect.name == "postgresql"
        self._connection: Connection | None = None
        self._held: set[str] = set()
        self._lock = threading.Lock()

    def take(self, source_key: str) -> bool:
        """True when this process now holds ``source_key`` (or held it already); False when
        another process does. Database errors pass through, like any other on the way to filing."""
        if not self._shared:
            return True
        with self._lock:
            if source_key in self._held:
                return True
            try:
                taken = self._try_lock(source_key)
            except (exc.DBAPIError, ServiceUnavailable):
                # A connection held for hours may have been dropped (the server restarted): its
                # locks went with it. One fresh connection; a server still away is then reported.
                self._forget_connection()
                try:
                    taken = self._try_lock(source_key)
                except Exception:
                    self._forget_connection()
                    raise
            if taken:
                self._held.add(source_key)
            return bool(taken)

    def release(self, *source_keys: str) -> None:
        if not self._shared:
            return
        with self._lock:
            keys = [key for key in source_keys if key in self._held]
            if not keys or self._connection is None:
                return
            self._held.difference_update(keys)
            try:
                for key in keys:
                    self._connection.execute(sa.select(sa.func.pg_advisory_unlock(lock_key(key))))
            except exc.DBAPIError as error:
                # The connection is gone, and its locks with it: nothing is left held.
                log.debug("releasing mail claims: %s", error)
                self._forget_connection()

    def release_all(self) -> None:
        self.release(*list(self._held))

    def close(self) -> None:
        with self._lock:
            self._forget_connection()

    def _try_lock(self, source_key: str) -> bool:
        with translated_errors(self._engine.url):
            connection = self._connect()
            return connection.execute(sa.select(sa.func.pg_try_advisory_lock(lock_key(source_key)))).scalar()

    def _connect(self) -> Connection:
        if self._connection is None:
            self._connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        return self._connection

    def _forget_connection(self) -> None:
        self._held.clear()
        if self._connection is not None:
            try:
                self._connection.invalidate()  # never back to the pool with locks on it
                self._connection.close()
            except exc.SQLAlchemyError:
                pass
            self._connection = None
