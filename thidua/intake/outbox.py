"""Sending queued replies. Runs after filing commits, so an outage delays replies, never loses them.

Replies are claimed one at a time, each for ``lease`` (long enough for one send): a daemon killed
in the middle of a send delays that one reply until the lease runs out, never the whole queue.
When the office's own SMTP server cannot be reached or refuses the login, the run stops at the
first reply that meets it: the others would only wait for the same timeout, and none of them is
given up for a fault that is not its own. Only an answer about the message itself (a 4xx or 5xx
for its recipient or content) counts towards giving it up.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from email import message_from_bytes, policy

from thidua.errors import ConfigError, ServiceUnavailable
from thidua.notifier.senders import OutboxNotWritable, ReplySender
from thidua.store import repository as repo
from thidua.store.blobs import BlobStore
from thidua.store.db import Database

log = logging.getLogger("thidua.outbox")

MAX_ATTEMPTS = 8
MAX_OUTAGE_RETRY = timedelta(minutes=5)  # a reply held by an outage is tried again at least this often
STEPS_PER_SEND = 10  # connect, greeting, EHLO, STARTTLS, EHLO, AUTH, MAIL, RCPT, DATA, end of data
DEFAULT_LEASE = timedelta(minutes=5)

_OUTAGES = (ServiceUnavailable, ConfigError, OutboxNotWritable)  # the office's side, not the reply's


class PermanentSendError(Exception):
    """The receiving side refused for good (unknown mailbox, policy): retrying will not help."""


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


def send_lease(timeout_seconds: float) -> timedelta:
    """How long a claimed reply is kept from other senders: every step of one send timing out."""
    return timedelta(seconds=STEPS_PER_SEND * timeout_seconds)


def drain(db: Database, blobs: BlobStore, sender: ReplySender, now: datetime, limit: int = 10_000,
          lease: timedelta = DEFAULT_LEASE) -> int:
    """Send every due reply once (at most ``limit``); returns how many were sent."""
    started = time.monotonic()
    sent = 0
    for _ in range(limit):
        moment = now + timedelta(seconds=time.monotonic() - started)
        with db.session() as session:
            claimed = repo.due_replies(session, moment, 1, lease=lease)
            if not claimed:
                return sent
            reply = claimed[0]
            reply_id, eml_sha, attempts, to = reply.id, reply.eml_sha256, reply.attempts, reply.to_address
        try:
            message = message_from_bytes(blobs.get(eml_sha), policy=policy.SMTP)
            sender.send(message)
        except PermanentSendError as exc:
            log.error("reply to %s refused: %s", to, exc)
            with db.session() as session:
                repo.mark_reply(session, reply_id, "failed", reason=str(exc)[:300])
            continue
        except _OUTAGES as exc:
            retry = min(backoff(attempts + 1), MAX_OUTAGE_RETRY)
            with db.session() as session:
                repo.mark_reply(session, reply_id, "queued", reason=f"{type(exc).__name__}: {exc}"[:300],
                                next_attempt_at=moment + retry)
            log.warning("replies wait in the outbox: %s", exc)
            return sent
        except Exception as exc:  # temporary: keep it queued with a growing delay
            reason = f"{type(exc).__name__}: {exc}"[:300]
            final = attempts + 1 >= MAX_ATTEMPTS
            log.warning("reply to %s not sent (attempt %d): %s", to, attempts + 1, reason)
            with db.session() as session:
                repo.mark_reply(session, reply_id, "failed" if final else "queued", reason=reason,
                                next_attempt_at=None if final else moment + backoff(attempts + 1))
            continue
        with db.session() as session:
            repo.mark_reply(session, reply_id, "sent")
        sent += 1
    return sent
