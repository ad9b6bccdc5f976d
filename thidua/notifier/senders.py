"""Where finished messages go. Rendering never sends; a sender only delivers.

``ReplySender`` is the whole contract: an SMTP sender or a test double plugs in by
having ``send``. A sender raises on failure; the outbox decides whether to retry.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from email import policy
from email.message import Message
from pathlib import Path
from typing import Protocol

from thidua.clock import utcnow

DIRECTORY_MODE = 0o750
FILE_MODE = 0o640
_RECEIPT = re.compile(r"\[\s*(HS-\d{4}-\d{4,})\s*\]", re.IGNORECASE)


class ReplySender(Protocol):
    def send(self, message: Message, data: bytes | None = None) -> None:
        """Deliver ``message``; ``data`` is the same message as stored, ready for the wire
        (CRLF line ends, folded headers), to be sent as it is instead of serialising again."""


class PermanentSendError(Exception):
    """The receiving side refused for good (unknown mailbox, policy): retrying will not help."""


class OutboxNotWritable(OSError):
    """The outbox folder cannot be created or written: a configuration problem for staff."""


def eml_name(message: Message, moment: datetime) -> str:
    """ "20180314T021200Z-HS-2018-0003-1a2b3c4d5e.eml": sorts by time, says which
    submission it answers, and the same message always gets the same name (a retried
    send overwrites instead of duplicating)."""
    subject = str(message.get("Subject", "") or "")
    found = _RECEIPT.search(subject)
    tag = found.group(1).upper() if found else "digest"
    message_id = str(message.get("Message-ID", "") or "").strip()
    digest = hashlib.sha256(message_id.encode("utf-8", "replace")).hexdigest()[:10] if message_id else "noid"
    stamp = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{tag}-{digest}.eml"


class DirectoryOutbox:
    """Writes each message as one .eml file (CRLF, as it would go over SMTP), for
    offices that hand mail to another program, and for demos and tests.

    Files appear atomically: a reader never sees half a message, because it is written
    to a hidden temporary file in the same folder and renamed into place."""

    def __init__(self, path: Path | str, *, clock: Callable[[], datetime] | None = None) -> None:
        self.path = Path(path)
        self._clock = clock or utcnow

    def send(self, message: Message, data: bytes | None = None) -> None:
        self.write(message, data)

    def write(self, message: Message, data: bytes | None = None) -> Path:
        """Write ``message`` (as ``data`` when given) and return the file's path."""
        data = data if data is not None else message.as_bytes(policy=policy.SMTP)
        target = self.path / eml_name(message, self._clock())
        try:
            self.path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=self.path)
        except OSError as exc:
            raise self._not_writable(exc) from exc
        try:
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), FILE_MODE)
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except OSError as exc:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise self._not_writable(exc) from exc
        return target

    def _not_writable(self, exc: OSError) -> OutboxNotWritable:
        error = OutboxNotWritable(
            f"cannot write to the outbox folder {self.path}: {exc.strerror or exc}; "
            "check [outgoing] path and that the service's user may write there"
        )
        error.errno = exc.errno
        return error
