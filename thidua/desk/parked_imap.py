"""A mail parked in the IMAP server's review folder, found again and moved on.

A parked mail's ledger entry keeps its key in the inbox, which the move to the review folder
made stale (IMAP gives the message a new UID there). It is found again among the review folder's
messages from the same sender by its content key, the identity the ledger itself uses, so that
only that very mail is ever taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Self

from thidua.config import Mailbox
from thidua.intake.imap import ImapSource
from thidua.mailhead import content_key

MAX_CANDIDATES = 500  # messages of one sender looked at, newest first
FETCH_CHUNK = 20


@dataclass(frozen=True)
class ParkedMessage:
    uid: int
    raw: bytes
    arrived_at: datetime  # the server's INTERNALDATE (arrival), as the daemon uses it


class ReviewFolder:
    """The review folder of ``mailbox``, opened for the duration of a ``with`` block."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox
        self.source = ImapSource(mailbox)
        self.folder = ""

    def __enter__(self) -> Self:
        try:
            client = self.source.connect()
            # the server's own name of the folder (namespace prefix, delimiter), as the daemon made it
            self.folder = self.source._ensure_folder(self.mailbox.review_folder)
            client.select_folder(self.folder)
        except BaseException:
            self.source.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.source.close()

    def find(self, sender: str, key: str) -> ParkedMessage | None:
        """The message whose content key is ``key`` (None when it is no longer in the folder)."""
        client = self.source.connect()
        criteria: list = ["NOT", "DELETED"]
        if sender and sender.isascii():
            criteria += ["FROM", sender]
        uids = sorted(client.search(criteria), reverse=True)[:MAX_CANDIDATES]
        for start in range(0, len(uids), FETCH_CHUNK):
            fetched = client.fetch(uids[start : start + FETCH_CHUNK], ["BODY.PEEK[]", "INTERNALDATE"])
            for uid, item in fetched.items():
                raw = item.get(b"BODY[]")
                if raw and content_key(raw) == key:
                    arrived = item.get(b"INTERNALDATE")
                    if not isinstance(arrived, datetime) or arrived.tzinfo is None:
                        arrived = datetime.now(UTC)
                    return ParkedMessage(uid, bytes(raw), arrived)
        return None

    def move(self, uid: int, folder_name: str) -> None:
        client = self.source.connect()
        target = self.source._ensure_folder(folder_name)
        client.select_folder(self.folder)
        self.source._move_uids(client, [uid], target)
