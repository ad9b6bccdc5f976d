"""Where mails come from. One small contract, so IMAP plugs in beside the Maildir."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from thidua.clock import utcnow


@dataclass(frozen=True)
class IncomingMail:
    raw: bytes
    arrived_at: datetime  # when the office's server received it (never the Date header)
    source_key: str  # stable identity in its source, for the ledger


class MailSource(Protocol):
    def pending(self) -> Iterator[IncomingMail]:
        """Mails waiting in the inbox, oldest first. Reading must not change the mailbox."""

    def mark_filed(self, *mails: IncomingMail) -> None:
        """Called only after the mails' submissions are committed (several at once after a group)."""

    def mark_for_review(self, mail: IncomingMail, reason: str) -> None:
        """Park a mail that keeps failing, for staff."""


# Maildir names start with the delivery time: "1700000000.M12P34.host" or "1700000000.123_4.host"
_DELIVERY_STAMP = re.compile(r"^(\d{9,11})(?:\.(?:M(\d+))?)?")


def delivery_time(path: Path) -> datetime:
    """A Maildir file's delivery time: the stamp its name starts with, else its mtime."""
    match = _DELIVERY_STAMP.match(path.name)
    if match:
        seconds = int(match.group(1)) + int(match.group(2) or 0) / 1_000_000
        return datetime.fromtimestamp(seconds, tz=UTC)
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def _maildir_folder(root: Path, name: str) -> Path:
    """Maildir++ sub-folder: '.Processed', '.Needs review' beside new/ and cur/."""
    folder = root / ("." + name.replace("/", "."))
    if not (folder / "cur").is_dir():
        for sub in ("tmp", "new", "cur"):
            (folder / sub).mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


class MaildirSource:
    def __init__(self, root: Path, processed_folder: str = "Processed", review_folder: str = "Needs review"):
        self.root = Path(root)
        self.processed_folder = processed_folder
        self.review_folder = review_folder
        self._paths: dict[str, Path] = {}  # where pending() found each mail, to move it without a search

    def ensure(self) -> None:
        for sub in ("tmp", "new", "cur"):
            (self.root / sub).mkdir(parents=True, exist_ok=True, mode=0o700)

    def pending(self) -> Iterator[IncomingMail]:
        self.ensure()
        files = [p for sub in ("new", "cur") for p in (self.root / sub).iterdir() if p.is_file()]
        for path in sorted(files, key=lambda p: (delivery_time(p), p.name)):
            try:
                raw = path.read_bytes()
            except FileNotFoundError:  # taken by another process meanwhile
                continue
            key = f"maildir:{self._key(path)}"
            self._paths[key] = path
            yield IncomingMail(raw=raw, arrived_at=delivery_time(path), source_key=key)

    @staticmethod
    def _key(path: Path) -> str:
        # the part before ":2,flags" is stable when a client moves new/ → cur/
        return path.name.split(":", 1)[0]

    def _find(self, mail: IncomingMail) -> Path | None:
        key = mail.source_key.removeprefix("maildir:")
        for sub in ("new", "cur"):
            for path in (self.root / sub).glob(key + "*"):
                if self._key(path) == key:
                    return path
        return None

    def _move(self, mail: IncomingMail, folder_name: str) -> None:
        target = _maildir_folder(self.root, folder_name) / "cur"
        path = self._paths.pop(mail.source_key, None)
        if path is not None:
            try:
                os.replace(path, target / path.name)
                return
            except FileNotFoundError:  # a mail client moved it from new/ to cur/ meanwhile
                pass
        path = self._find(mail)
        if path is not None:
            os.replace(path, target / path.name)

    def mark_filed(self, *mails: IncomingMail) -> None:
        for mail in mails:
            self._move(mail, self.processed_folder)

    def mark_for_review(self, mail: IncomingMail, reason: str) -> None:
        self._move(mail, self.review_folder)


class FileSource:
    """Mail files given on the command line (`thidua process`): arrival time is now."""

    def __init__(self, paths: list[Path], now: datetime):
        self.paths = paths
        self.now = now

    def pending(self) -> Iterator[IncomingMail]:
        for path in self.paths:
            yield IncomingMail(
                raw=path.read_bytes(), arrived_at=self.now, source_key=f"file:{path.resolve()}"
            )

    def mark_filed(self, *mails: IncomingMail) -> None:
        pass  # the files are the user's own; they are left where they are

    def mark_for_review(self, mail: IncomingMail, reason: str) -> None:
        pass


def deliver_to_maildir(root: Path, raw: bytes, when: datetime | None = None) -> Path:
    """Drop a mail into a Maildir the way an MTA does (tmp → new); used by the demo and tests."""
    import socket
    import uuid

    for sub in ("tmp", "new", "cur"):
        (root / sub).mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = int((when or utcnow()).timestamp())
    name = f"{stamp}.M{uuid.uuid4().int % 1_000_000}P{os.getpid()}.{socket.gethostname()}"
    tmp = root / "tmp" / name
    tmp.write_bytes(raw)
    final = root / "new" / name
    os.replace(tmp, final)
    if when is not None:
        os.utime(final, (when.timestamp(), when.timestamp()))
    return final
