"""Who is sending a reply, and whether that process is still alive.

A sender claims a reply before sending it (``store.replies.due_replies``): the row is kept from
other senders for a lease and names its claimer. A claimer killed in the middle of a send leaves
its claim behind; waiting out the lease would leave that school without its reply for minutes
(and a ``thidua run --once`` would exit with it unsent). So a claim names the process that made
it, and a claim whose process is gone is taken over at once: the reply goes once more at most
(if the dead process had sent it but not yet marked it).

How a claimer is known to be alive:

- PostgreSQL (several daemons, perhaps on several hosts): each claimer holds a session advisory
  lock on its identity, on a connection of its own, for as long as it lives. The server drops
  the lock with the connection when the process dies; another sender that can take the lock
  (shared, for the rest of its transaction) knows the claimer is gone.
- SQLite (one host): the claimer's process id and start time; a process id that no longer runs,
  or that now belongs to a newer process, is gone. A claim from another host is left to its lease.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import socket
import threading
import weakref

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from thidua.store.db import translated_errors

log = logging.getLogger("thidua.store")


def _start_time(pid: int) -> str:
    """When process ``pid`` started (clock ticks since boot, from /proc), "" when unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return ""
    return fields[19].decode() if len(fields) > 19 else ""


def _running(pid: int, started: str) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    return not started or _start_time(pid) in ("", started)


def identity_key(identity: str) -> int:
    """The advisory lock key (a signed 64-bit integer) of a claimer's identity."""
    digest = hashlib.blake2b(identity.encode(), digest_size=8, person=b"thidua-sender").digest()
    return int.from_bytes(digest, "big", signed=True)


class ReplyClaimer:
    """This process as a sender of replies. Get it with :func:`claimer_for`."""

    def __init__(self, engine: Engine) -> None:
        pid = os.getpid()
        self.host = socket.gethostname()
        self.identity = f"{self.host}/{pid}/{_start_time(pid)}/{secrets.token_hex(6)}"
        self._engine = engine
        self._shared = engine.dialect.name == "postgresql"
        self._connection: Connection | None = None
        self._lock = threading.Lock()

    def hold(self) -> None:
        """Make sure others can tell this process is alive before it claims anything (PostgreSQL:
        the identity's lock, taken again on a new connection when the old one was lost)."""
        if not self._shared:
            return
        with self._lock:
            if self._connection is not None:
                try:
                    self._connection.execute(sa.select(1))
                    return
                except exc.DBAPIError as error:  # the server restarted: the lock went with it
                    log.debug("reply claimer's connection lost: %s", error)
                    self._forget_connection()
            with translated_errors(self._engine.url):
                connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                try:
                    connection.execute(sa.select(sa.func.pg_advisory_lock(identity_key(self.identity))))
                except BaseException:
                    connection.invalidate()
                    connection.close()
                    raise
            self._connection = connection

    def gone(self, session: Session, identities: list[str]) -> list[str]:
        """Those of ``identities`` (claimers of replies) whose process is no longer alive."""
        return [identity for identity in identities if identity and not self._alive(session, identity)]

    def _alive(self, session: Session, identity: str) -> bool:
        if identity == self.identity:
            return True
        if self._shared:
            # Taken only if the claimer's connection (and so the claimer) is gone; a shared
            # transaction lock, so two senders may look at once, and it ends with the transaction.
            free = session.execute(
                sa.select(sa.func.pg_try_advisory_xact_lock_shared(identity_key(identity)))
            )
            return not free.scalar()
        host, _, rest = identity.partition("/")
        pid, _, rest = rest.partition("/")
        started = rest.partition("/")[0]
        if host != self.host or not pid.isdigit():
            return True  # not ours to judge: its lease decides
        return _running(int(pid), started)

    def close(self) -> None:
        with self._lock:
            self._forget_connection()

    def _forget_connection(self) -> None:
        if self._connection is not None:
            try:
                self._connection.invalidate()  # never back to the pool with the lock on it
                self._connection.close()
            except exc.SQLAlchemyError:
                pass
            self._connection = None


_CLAIMERS: weakref.WeakKeyDictionary[Engine, ReplyClaimer] = weakref.WeakKeyDictionary()
_CLAIMERS_LOCK = threading.Lock()


def claimer_for(engine: Engine) -> ReplyClaimer:
    """The one claimer of this process for the database of ``engine``."""
    with _CLAIMERS_LOCK:
        claimer = _CLAIMERS.get(engine)
        if claimer is None:
            claimer = _CLAIMERS[engine] = ReplyClaimer(engine)
            event.listen(engine, "engine_disposed", _forget)
        return claimer


def _forget(engine: Engine) -> None:
    """The database is closed (``Database.dispose``): so is the claimer's connection."""
    with _CLAIMERS_LOCK:
        claimer = _CLAIMERS.pop(engine, None)
    if claimer is not None:
        claimer.close()
