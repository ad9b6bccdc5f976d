"""Sending queued replies. Runs after filing commits, so an outage delays replies, never loses them.

Replies are claimed one at a time, each for ``lease`` (long enough for one send), in the name of
this process (``store.reply_claims``): the claim of a daemon killed in the middle of a send is
taken over by the next run at once, and that reply goes once more at most.
When the office's own SMTP server cannot be reached or refuses the login, the run stops at the
first reply that meets it: the others would only wait for the same timeout, and none of them is
given up for a fault that is not its own. Only an answer about the message itself (a 4xx or 5xx
for its recipient or content) counts towards giving it up. The replies an outage held wait for
it, not for their own back-off: the first reply that goes makes them all due, and a pass of
``thidua run --once`` with nothing else due tries the oldest of them to see whether the server
answers again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from email import policy
from email.parser import BytesParser

from thidua.errors import ConfigError, ServiceUnavailable
from thidua.notifier.senders import OutboxNotWritable, PermanentSendError, ReplySender
from thidua.store.blobs import BlobStore
from thidua.store.db import Database
from thidua.store.replies import DueReply, due_replies, mark_reply, release_replies_waiting_for_server
from thidua.store.reply_claims import claimer_for

log = logging.getLogger("thidua.outbox")

MAX_ATTEMPTS = 8
MAX_OUTAGE_RETRY = timedelta(minutes=5)  # a reply held by an outage is tried again at least this often
STEPS_PER_SEND = 10  # connect, greeting, EHLO, STARTTLS, EHLO, AUTH, MAIL, RCPT, DATA, end of data
DEFAULT_LEASE = timedelta(minutes=5)

_OUTAGES = (ServiceUnavailable, ConfigError, OutboxNotWritable)  # the office's side, not the reply's


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


def send_lease(timeout_seconds: float) -> timedelta:
    """How long a claimed reply is kept from other senders: every step of one send timing out."""
    return timedelta(seconds=STEPS_PER_SEND * timeout_seconds)


def drain(
    db: Database,
    blobs: BlobStore,
    sender: ReplySender,
    now: datetime,
    limit: int = 10_000,
    lease: timedelta = DEFAULT_LEASE,
    *,
    probe: bool = False,
) -> int:
    """Send every due reply once (at most ``limit``); returns how many were sent. ``probe``: when
    nothing is due, try the oldest reply waiting for the mail server after an outage all the same."""
    return _drain(db, blobs, sender, now, limit, lease, probe)[0]


def _drain(
    db: Database,
    blobs: BlobStore,
    sender: ReplySender,
    now: datetime,
    limit: int,
    lease: timedelta,
    probe: bool = False,
) -> tuple[int, bool]:
    """How many replies were sent, and whether an outage on the office's side stopped the run.

    What became of one reply and the claim of the next are written in one transaction: the
    claims are still one reply at a time, at half the transactions. The first reply that goes
    makes every reply the last outage held due at once (the server answers again), so they go
    in this run rather than each after its own back-off."""
    started = time.monotonic()
    probed = not probe
    server_answers = False

    def moment() -> datetime:
        return now + timedelta(seconds=time.monotonic() - started)

    def claim(session) -> list[DueReply]:
        nonlocal probed
        claimer = claimer_for(db.engine)
        found = due_replies(session, moment(), 1, lease=lease, claimer=claimer)
        if not found and not probed:
            probed = True  # once a run: if the server is still out, the outage stops the run anyway
            found = due_replies(session, moment(), 1, lease=lease, claimer=claimer, waiting_for_server=True)
        return found

    sent = 0
    with db.session() as session:
        claimed = claim(session)
    for count in range(1, limit + 1):
        if not claimed:
            return sent, False
        when = moment()
        outcome, record = _send_one(sender, blobs, claimed[0], when)
        sent += outcome is _SENT
        with db.session() as session:
            record(session)
            if outcome is _SENT and not server_answers:
                server_answers = True
                release_replies_waiting_for_server(session)
            claimed = claim(session) if outcome is not _OUTAGE and count < limit else []
        if outcome is _OUTAGE:
            return sent, True
    return sent, False


_SENT, _NOT_SENT, _OUTAGE = object(), object(), object()


def _send_one(sender: ReplySender, blobs: BlobStore, reply: DueReply, moment: datetime):
    """Send one claimed reply: what happened, and how to record it (a function of a session)."""
    reply_id, attempts, to = reply.id, reply.attempts, reply.to_address
    try:
        # Headers only: the stored reply is already a finished message, and senders
        # need its addresses, not its parts; parsing the body again cost 6x more.
        data = blobs.get(reply.eml_sha256)
        message = BytesParser(policy=policy.SMTP).parsebytes(data, headersonly=True)
        sender.send(message, data)
    except PermanentSendError as exc:
        log.error("reply to %s refused: %s", to, exc)
        refusal = str(exc)[:300]  # ``exc`` is gone once the except block ends
        return _NOT_SENT, lambda session: mark_reply(session, reply_id, "failed", reason=refusal)
    except _OUTAGES as exc:
        retry = min(backoff(attempts + 1), MAX_OUTAGE_RETRY)
        log.warning("replies wait in the outbox: %s", exc)
        reason = f"{type(exc).__name__}: {exc}"[:300]
        return _OUTAGE, lambda session: mark_reply(
            session, reply_id, "queued", reason=reason, next_attempt_at=moment + retry, waits_for_server=True
        )
    except Exception as exc:  # temporary: keep it queued with a growing delay
        reason = f"{type(exc).__name__}: {exc}"[:300]
        final = attempts + 1 >= MAX_ATTEMPTS
        log.warning("reply to %s not sent (attempt %d): %s", to, attempts + 1, reason)
        return _NOT_SENT, lambda session: mark_reply(
            session,
            reply_id,
            "failed" if final else "queued",
            reason=reason,
            next_attempt_at=None if final else moment + backoff(attempts + 1),
        )
    return _SENT, lambda session: mark_reply(session, reply_id, "sent")


class ReplySending:
    """Replies sent by a thread of their own while mail is being filed: schools get their answer
    while the rest of a burst is still being read, and the wait for the mail server (or the disk,
    for an outbox folder) overlaps the filing. ``nudge()`` after each commit that queued replies;
    leaving the ``with`` block sends what is left and closes the sender.

    One sender (one SMTP connection) serves the whole run. After an outage it stops trying until
    the run ends: the replies wait in the outbox for the daemon's next attempt. An error of the
    database is raised again when the block is left."""

    def __init__(
        self,
        db: Database,
        blobs: BlobStore,
        sender: ReplySender,
        clock: Callable[[], datetime],
        lease: timedelta = DEFAULT_LEASE,
        *,
        probe: bool = False,
    ) -> None:
        self._drain = lambda: _drain(db, blobs, sender, clock(), 10_000, lease, probe)
        self._sender = sender
        self._wake = threading.Event()
        self._finishing = False
        self._held = False
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="thidua-sender", daemon=True)
        self.sent = 0

    def __enter__(self) -> ReplySending:
        self._thread.start()
        return self

    def nudge(self) -> None:
        self._wake.set()

    def __exit__(self, kind, error, traceback) -> None:
        self._finishing = True
        self._wake.set()
        self._thread.join()
        close = getattr(self._sender, "close", None)
        if close is not None:
            close()
        if self._error is not None and error is None:
            raise self._error

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            finishing = self._finishing
            if not self._held and self._error is None:
                try:
                    sent, self._held = self._drain()
                    self.sent += sent
                except Exception as exc:  # the database: the caller hears of it
                    self._error = exc
            if finishing:
                return
