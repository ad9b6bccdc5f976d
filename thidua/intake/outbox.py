"""Sending queued replies. Runs after filing commits, so an outage delays replies, never loses them."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from email import message_from_bytes, policy

from thidua.notifier.senders import ReplySender
from thidua.store import repository as repo
from thidua.store.blobs import BlobStore
from thidua.store.db import Database

log = logging.getLogger("thidua.outbox")

MAX_ATTEMPTS = 8


class PermanentSendError(Exception):
    """The receiving side refused for good (unknown mailbox, policy): retrying will not help."""


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


def drain(db: Database, blobs: BlobStore, sender: ReplySender, now: datetime, limit: int = 200) -> int:
    """Send every due reply once; returns how many were sent."""
    sent = 0
    while True:
        with db.session() as session:
            batch = [(r.id, r.eml_sha256, r.attempts, r.to_address) for r in repo.due_replies(session, now, limit)]
        if not batch:
            return sent
        for reply_id, eml_sha, attempts, to in batch:
            try:
                message = message_from_bytes(blobs.get(eml_sha), policy=policy.SMTP)
                sender.send(message)
            except PermanentSendError as exc:
                log.error("reply to %s refused: %s", to, exc)
                with db.session() as session:
                    repo.mark_reply(session, reply_id, "failed", reason=str(exc)[:300])
                continue
            except Exception as exc:  # temporary: keep it queued with a growing delay
                reason = f"{type(exc).__name__}: {exc}"[:300]
                final = attempts + 1 >= MAX_ATTEMPTS
                log.warning("reply to %s not sent (attempt %d): %s", to, attempts + 1, reason)
                with db.session() as session:
                    repo.mark_reply(session, reply_id, "failed" if final else "queued", reason=reason,
                                    next_attempt_at=None if final else now + backoff(attempts + 1))
                continue
            with db.session() as session:
                repo.mark_reply(session, reply_id, "sent")
            sent += 1
        if len(batch) < limit:
            return sent
