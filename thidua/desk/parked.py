"""Mails parked for review: where their original is, and putting them back in the daemon's path.

A mail that failed ``failures_before_review`` times is moved to the mailbox's review folder and
its ledger entry says ``review``. To process it again, the desk moves it back to the inbox, gives
its ledger entry a fresh count of attempts and runs the daemon's own mailroom on it; when it
fails again it is parked again the same way. Discarding keeps the original where it is (the
review folder and the file store) and only takes the entry off the queue.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from thidua.config import Settings
from thidua.store.models import MailLedger

DISCARDED = "discarded"  # a ledger status of the desk's: parked, looked at, and set aside by staff
MAILDIR_PREFIX = "maildir:"


def maildir_folder(root: Path, name: str) -> Path:
    """A Maildir++ sub-folder as the intake names it ('.Needs review' beside new/ and cur/)."""
    return root / ("." + name.replace("/", "."))


def parked_file(settings: Settings, source_key: str) -> Path | None:
    """The parked mail's file in the Maildir review folder; None for another kind of mailbox or
    when it is not there (moved away by hand)."""
    mailbox = settings.mailbox
    if mailbox.kind != "maildir" or not source_key.startswith(MAILDIR_PREFIX):
        return None
    name = source_key.removeprefix(MAILDIR_PREFIX)
    if not name or "/" in name or name.startswith("."):
        return None
    folder = maildir_folder(Path(mailbox.path), mailbox.review_folder)
    for sub in ("cur", "new"):
        directory = folder / sub
        if not directory.is_dir():
            continue
        for path in directory.iterdir():
            if path.name.split(":", 1)[0] == name and path.is_file():
                return path
    return None


def parked_mail_bytes(
    settings: Settings, source_key: str, *, sender: str = "", content_key: str = ""
) -> bytes | None:
    """The parked mail's original bytes: from the Maildir review folder, or (given the entry's
    ``sender`` and ``content_key``) from the IMAP server's review folder; None when not found."""
    path = parked_file(settings, source_key)
    if path is not None:
        return path.read_bytes()
    if settings.mailbox.kind == "imap" and content_key:
        from thidua.desk.parked_imap import ReviewFolder

        with ReviewFolder(settings.mailbox) as folder:
            found = folder.find(sender, content_key)
        return found.raw if found is not None else None
    return None


def back_to_inbox(settings: Settings, path: Path) -> Path:
    """Move a parked mail file back into the inbox's new/ folder, under its own name."""
    target = Path(settings.mailbox.path) / "new" / path.name.split(":", 1)[0]
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.replace(path, target)
    return target


def fresh_attempts(session: Session, ledger_id: int, now: datetime) -> None:
    """The entry starts over: the next attempt is the first (and it is no longer in review)."""
    session.execute(
        sa.update(MailLedger)
        .where(MailLedger.id == ledger_id)
        .values(attempts=0, status="failed", behind_others=False, updated_at=now)
    )


def set_aside(session: Session, ledger_id: int, now: datetime) -> None:
    session.execute(
        sa.update(MailLedger).where(MailLedger.id == ledger_id).values(status=DISCARDED, updated_at=now)
    )


def back_to_review(session: Session, ledger_id: int, error: str, now: datetime) -> None:
    session.execute(
        sa.update(MailLedger)
        .where(MailLedger.id == ledger_id)
        .values(status="review", last_error=error[:4000], updated_at=now)
    )
