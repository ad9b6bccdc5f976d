"""Processing a parked mail again now, through the daemon's own mailroom.

Maildir: the file goes back from the review folder to the inbox and the mailroom takes it from
there with the Maildir source, exactly as a daemon's pass would (filed: moved to the processed
folder; failing again: retried by the daemon, then parked again). IMAP: the message is found in
the review folder (``parked_imap``), processed from there, and moved to the processed folder once
filed; if it fails again it stays in the review folder and in the review queue.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from thidua.campaign import Campaign
from thidua.config import Settings
from thidua.desk import parked
from thidua.desk.actor import Actor, DeskError, NotFound
from thidua.store import audit
from thidua.store.blobs import BlobStore
from thidua.store.models import MailLedger

UNFILED = ("failed", "review", "held")  # outcomes that leave the mail where it is


def _parked_entry(session, ledger_id: int) -> MailLedger:
    entry = session.get(MailLedger, ledger_id)
    if entry is None or entry.status != "review":
        raise NotFound(f"Không có thư số {ledger_id} trong danh sách chờ xem xét.")
    return entry


def _result(ledger_id: int, outcome) -> dict[str, Any]:
    return {
        "id": ledger_id,
        "status": outcome.status,
        "receipt": outcome.receipt or None,
        "version": outcome.version or None,
        "reply": outcome.reply,
        "error": outcome.error,
    }


def reprocess(
    settings: Settings, actor: Actor, ledger_id: int, *, db, blobs: BlobStore, campaign: Campaign
) -> dict[str, Any]:
    """What became of the parked mail ``ledger_id`` processed again now (NotFound: not parked;
    DeskError: its original is no longer in the review folder)."""
    from thidua.intake.flow import Mailroom

    office = settings.office.code
    mailroom = Mailroom(settings, db, blobs, campaign)
    if settings.mailbox.kind == "imap":
        outcome = _imap(settings, actor, ledger_id, db, mailroom)
    else:
        outcome = _maildir(settings, actor, ledger_id, db, mailroom)
    result = _result(ledger_id, outcome)
    with db.session() as session:
        audit.record(session, office, actor.name, "reprocessed", "ledger", str(ledger_id), after=result)
    return result


def _start(session, settings: Settings, actor: Actor, entry: MailLedger, now: datetime) -> None:
    before = {"status": entry.status, "attempts": entry.attempts, "error": entry.last_error}
    parked.fresh_attempts(session, entry.id, now)
    audit.record(
        session,
        settings.office.code,
        actor.name,
        "reprocess",
        "ledger",
        str(entry.id),
        before=before,
        after={"status": "processing"},
        now=now,
    )


def _gone(settings: Settings) -> DeskError:
    return DeskError(
        f"Không tìm thấy thư này trong thư mục «{settings.mailbox.review_folder}» của hộp thư "
        "(có thể đã được chuyển đi bằng phần mềm thư)."
    )


def _maildir(settings: Settings, actor: Actor, ledger_id: int, db, mailroom):
    from thidua.intake.sources import IncomingMail, MaildirSource, delivery_time

    with db.session() as session:
        entry = _parked_entry(session, ledger_id)
        source_key = entry.source_key
        path = parked.parked_file(settings, source_key)
        if path is None:
            raise _gone(settings)
        _start(session, settings, actor, entry, datetime.now(UTC))
        inbox_path = parked.back_to_inbox(settings, path)
    mailbox = settings.mailbox
    source = MaildirSource(mailbox.path, mailbox.processed_folder, mailbox.review_folder)
    mail = IncomingMail(
        raw=inbox_path.read_bytes(), arrived_at=delivery_time(inbox_path), source_key=source_key
    )
    return mailroom.process(mail, source)


def _imap(settings: Settings, actor: Actor, ledger_id: int, db, mailroom):
    from thidua.desk.parked_imap import ReviewFolder
    from thidua.intake.sources import IncomingMail

    with db.session() as session:
        entry = _parked_entry(session, ledger_id)
        source_key, sender, key = entry.source_key, entry.sender, entry.content_key
    with ReviewFolder(settings.mailbox) as folder:
        found = folder.find(sender, key)
        if found is None:
            raise _gone(settings)
        with db.session() as session:
            _start(session, settings, actor, _parked_entry(session, ledger_id), datetime.now(UTC))
        outcome = mailroom.process(IncomingMail(found.raw, found.arrived_at, source_key), None)
        if outcome.status in UNFILED:
            with db.session() as session:  # still in the review folder: it stays in the queue
                parked.back_to_review(session, ledger_id, outcome.error, datetime.now(UTC))
        else:
            folder.move(found.uid, settings.mailbox.processed_folder)
    return outcome
