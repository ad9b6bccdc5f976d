"""The processing flow for one mail, in three steps: begin, read, file.

* ``begin`` notes the attempt in the ledger (or finds the mail already filed);
* ``read`` parses the mail, reads and recognises its documents and writes its files to the
  store under temporary names: no database, so that the next mail can be read while this one
  is filed (``pipeline``);
* ``file`` checks, files the submission and queues its reply, for one mail or a group of
  mails read meanwhile, in one transaction, whose files (mails, attachments, replies) are made
  durable together just before the commit; only then is the mailbox touched, and the reply is
  sent later from the outbox.

Order matters for crash safety (after Paperless-ngx and Mailman's queue runners): a crash
anywhere repeats at most the unfinished step: a refiled mail is recognised as a duplicate by
its content key, and a queued reply is sent at least once. The attempt is committed before
any work, so a mail that kills the process counts too: after ``[limits]
failures_before_review`` attempts it is parked for staff, never retried forever.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import replace
from datetime import datetime

from thidua.campaign import Campaign
from thidua.checks import run_checks
from thidua.checks.context import CheckContext, DocumentFinding
from thidua.checks.model import status_for
from thidua.clock import utcnow
from thidua.config import Settings
from thidua.errors import ServiceUnavailable
from thidua.intake.current_list import carries_list, place
from thidua.intake.drafting import kinds_sent, placement_notes, submission_draft
from thidua.intake.examine import Examined, examine
from thidua.intake.intent import mail_intent, own_text
from thidua.intake.pipeline import run_pass
from thidua.intake.publicity import as_publicity, publicity_notes
from thidua.intake.records import Begun, Outcome, Read
from thidua.intake.replies import queue_reply
from thidua.intake.sources import IncomingMail, MailSource
from thidua.intake.spoofing import spoof_failure
from thidua.mailhead import content_key, header_block, headline
from thidua.parsers.documents import READABLE_FORMATS
from thidua.parsers.mail import FileItem, ParsedMail
from thidua.parsers.mime import parse_mail
from thidua.store.blobs import BlobStore
from thidua.store.carry_over import carry_over
from thidua.store.claims import MailClaims
from thidua.store.db import Database
from thidua.store.ledger import ledger_begin, ledger_finish, ledger_get
from thidua.store.schools import school_for_address
from thidua.store.submissions import (
    DuplicateSubmission,
    file_submission,
    find_duplicate,
    find_thread_submission,
    latest_version,
)

log = logging.getLogger("thidua.intake")

RECEIPT_IN_TEXT = re.compile(r"\bHS-(\d{4})-(\d{4,})\b", re.IGNORECASE)


class Mailroom:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        blobs: BlobStore,
        campaign: Campaign,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.settings = settings
        self.db = db
        self.blobs = blobs
        self.campaign = campaign
        self.clock = clock
        self.claims = MailClaims(db.engine)

    def process(self, mail: IncomingMail, source: MailSource | None = None) -> Outcome:
        outcomes = self.process_all([mail], source)
        if not outcomes:
            return Outcome(
                mail.source_key, status="held", error="another thidua process is handling this mail"
            )
        return outcomes[0]

    def process_all(
        self,
        mails: Iterable[IncomingMail],
        source: MailSource | None = None,
        *,
        stop=None,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> list[Outcome]:
        """Every mail of ``mails``, the next read while one is filed (see ``pipeline``)."""
        return run_pass(
            self, mails, source, stop=stop, on_outcome=on_outcome, readers=self.settings.limits.readers
        )

    # -- begin: the ledger ------------------------------------------------------------------------

    def begin(
        self,
        mail: IncomingMail,
        source: MailSource | None = None,
        *,
        behind_others: bool = False,
        before_retry: Callable[[], None] | None = None,
    ) -> Begun | Outcome:
        """Note an attempt at ``mail``; an Outcome when there is nothing to read: the mail is
        filed already, or it has used up its attempts and is parked.

        ``behind_others``: other mails are in flight as this one begins; a kill during this
        attempt is then not held against it. ``before_retry`` is called before an attempt is
        counted for a mail tried before, so that the caller can finish the mails in flight first:
        a retried mail that kills the process is the only one in flight when it does, and the
        attempts counted against it are its own."""
        key = content_key(mail.raw)
        earlier = None
        with self.db.session() as session:
            # Already filed (a second delivery, or a crash or mailbox error after the commit):
            # only the mailbox step is left, and it is not a failed attempt.
            duplicate = find_duplicate(session, key)
            if duplicate is not None:
                ledger_finish(session, mail.source_key, "filed", submission_id=duplicate.id)
                outcome = Outcome(
                    mail.source_key,
                    duplicate.receipt,
                    duplicate.version,
                    "duplicate",
                    duplicate.school_name,
                    duplicate.sender,
                )
            else:
                earlier = ledger_get(session, mail.source_key)
                if earlier is None:
                    attempts, last_error = (
                        ledger_begin(session, mail.source_key, key, behind_others=behind_others).attempts,
                        "",
                    )
        if duplicate is not None:
            if source is not None:
                source.mark_filed(mail)
            return outcome
        if earlier is not None:
            if before_retry is not None:
                before_retry()
            with self.db.session() as session:
                entry = ledger_begin(session, mail.source_key, key)
                attempts, last_error = entry.attempts, entry.last_error
        if attempts > self.settings.limits.failures_before_review:
            # Parked already but not yet moved (the mailbox failed), or the earlier attempts ended
            # without a word because the process died while handling this mail.
            return self._park(
                mail,
                source,
                last_error
                or f"processing stopped unfinished {attempts - 1} times "
                "(the service was killed or crashed while handling this mail)",
            )
        return Begun(mail, key, attempts, retry=earlier is not None)

    def _park(self, mail: IncomingMail, source: MailSource | None, reason: str) -> Outcome:
        with self.db.session() as session:
            outcome = self._note_parked(session, mail, reason)
        if source is not None:
            source.mark_for_review(mail, reason)
        return outcome

    def _note_parked(self, session, mail: IncomingMail, reason: str) -> Outcome:
        self.blobs.put(mail.raw)  # the original is kept even when it cannot be processed
        sender, subject = headline(mail.raw)
        ledger_finish(session, mail.source_key, "review", error=reason, sender=sender, subject=subject)
        log.warning("%s moved to review: %s", mail.source_key, reason)
        return Outcome(mail.source_key, status="review", error=reason)

    # -- read: no database ------------------------------------------------------------------------

    def read(self, begun: Begun) -> Read:
        """Parse the mail, read and recognise its documents, stage the mail and its files in the
        store (``file`` makes them durable). Safe to run in another thread: it touches neither the
        database nor the mailbox."""
        raw = begun.mail.raw
        if len(raw) > self.settings.max_message_bytes:
            # Kept whole in the store, but only its headers are read: enough to file and answer it.
            parsed = parse_mail(header_block(raw))
            examined = Examined(
                (DocumentFinding("(toàn bộ thư)", "eml", len(raw), "unknown", failure="too_large"),),
                (FileItem("(toàn bộ thư)", b"", "eml", size=len(raw)),),
                (),
            )
        else:
            parsed = parse_mail(raw)
            examined = examine(parsed, max_attachment_bytes=self.settings.max_attachment_bytes)
        files = [item for item in examined.files if item.data]
        digests, staged = self.blobs.stage(
            [raw, *(item.data for item in files), *(archive.data for archive in examined.archive_containers)]
        )
        sha_by_name = {item.name: sha for item, sha in zip(files, digests[1:])}
        return Read(parsed, examined, digests[0], sha_by_name, staged)

    def discard(self, reads: Iterable[Future]) -> None:
        """Forget reads that will not be filed (a pass cut short): their staged files go, now or
        when a read still running ends."""

        def drop(future: Future) -> None:
            if not future.cancelled() and future.exception() is None:
                self.blobs.discard([future.result().staged])

        for future in reads:
            future.add_done_callback(drop)

    # -- file: one transaction for a group of mails ------------------------------------------------

    def file(
        self, group: Sequence[tuple[Begun, Read | Exception]], source: MailSource | None = None
    ) -> list[Outcome]:
        """File each mail of ``group`` (or note why it failed) and queue its reply, all in one
        transaction; then move the mails out of the inbox."""
        replies: list[bytes] = []
        staged = [read.staged for _, read in group if isinstance(read, Read)]
        try:
            with self.db.session() as session:
                outcomes = [self._file_or_fail(session, begun, read, replies) for begun, read in group]
                staged.append(self.blobs.stage(replies)[1])
                # every file of the group flushed side by side, durable before the commit that points at them
                self.blobs.finish(staged)
        except BaseException:
            self.blobs.discard(staged)  # nothing points at them: the mails are read again next pass
            raise
        if source is not None:
            for (begun, _), outcome in zip(group, outcomes):
                if outcome.status == "review":
                    source.mark_for_review(begun.mail, outcome.error)
            filed = [
                begun.mail
                for (begun, _), outcome in zip(group, outcomes)
                if outcome.status not in ("failed", "review")
            ]
            if filed:
                source.mark_filed(*filed)
        for outcome in outcomes:
            if outcome.receipt and outcome.status != "duplicate":
                log.info(
                    "filed %s v%d (%s) from %s; reply %s",
                    outcome.receipt,
                    outcome.version,
                    outcome.status,
                    outcome.sender or "?",
                    outcome.reply,
                )
        return outcomes

    def _file_or_fail(self, session, begun: Begun, read: Read | Exception, replies: list[bytes]) -> Outcome:
        mail, limit = begun.mail, self.settings.limits.failures_before_review
        try:
            if isinstance(read, Exception):
                raise read
            with session.begin_nested():
                return self._file(session, begun, read, replies)
        except DuplicateSubmission as duplicate:  # another daemon filed it meanwhile
            ledger_finish(session, mail.source_key, "filed", submission_id=duplicate.submission_id)
            return Outcome(mail.source_key, duplicate.receipt, duplicate.version, "duplicate")
        except ServiceUnavailable:  # the database went away: not this mail's fault; the daemon waits
            raise
        except Exception as exc:  # one bad mail must never stop the mails behind it
            log.error(
                "processing %s failed (attempt %d of %d)",
                mail.source_key,
                begun.attempts,
                limit,
                exc_info=(type(exc), exc, exc.__traceback__),
            )
            error = f"{type(exc).__name__}: {exc}"[:500]
            if begun.attempts >= limit:
                return self._note_parked(session, mail, error)
            ledger_finish(session, mail.source_key, "failed", error=error)
            return Outcome(mail.source_key, status="failed", error=error)

    def _file(self, session, begun: Begun, read: Read, replies: list[bytes]) -> Outcome:
        mail, parsed, examined = begun.mail, read.parsed, read.examined
        school = school_for_address(session, parsed.from_address) if parsed.from_address else None
        thread_receipt = self._thread(session, parsed, school.id if school else None)
        titles = [f.understood.title for f in examined.findings if f.understood and f.understood.title]
        intent = mail_intent(parsed.subject, parsed.text, titles)
        if thread_receipt and not intent.ad_hoc and latest_version(session, thread_receipt).ad_hoc:
            intent = replace(intent, ad_hoc=True)  # a correction of an ad-hoc list is one too
        examined = as_publicity(examined, intent)
        round_ = self.campaign.round_for(
            mail.arrived_at,
            kinds_sent(examined, intent),
            named_in=" | ".join([parsed.subject, *titles, own_text(parsed.text)]),
        )
        placement = place(
            session,
            school_id=school.id if school else None,
            round_=round_,
            thread_receipt=thread_receipt,
            intent=intent,
            examined=examined,
        )
        context = CheckContext(
            documents=examined.findings,
            sender=parsed.from_address,
            sender_school=school.name if school else None,
            received_at=mail.arrived_at,
            round=round_,
            max_attachment_bytes=self.settings.max_attachment_bytes,
            nominees_elsewhere=placement.nominees_elsewhere,
            ad_hoc=intent.ad_hoc and carries_list(examined),
            additional=intent.additional,
            spoof_failure=spoof_failure(parsed, self.settings.mailbox.trusted_authserv_id),
            readable_formats=READABLE_FORMATS,
            pointed_kinds=intent.pointed_kinds,
        )
        problems = run_checks(context)
        status = status_for(problems)
        draft = submission_draft(
            mail,
            parsed,
            examined,
            read.sha_by_name,
            begun.key,
            read.mail_sha,
            school,
            round_,
            status,
            problems,
            placement,
            ad_hoc=context.ad_hoc,
        )
        submission = file_submission(
            session, draft, year=mail.arrived_at.astimezone(self.settings.office.tz).year
        )
        if draft.nominees:  # the office's verdicts and selections follow the same people to this list
            carry_over(session, office=self.settings.office.code, submission_id=submission.id)
        reply_note = queue_reply(
            session,
            self.settings,
            self.clock,
            parsed,
            submission,
            draft,
            context,
            examined,
            replies,
            notes=placement_notes(submission, placement, context.ad_hoc) + publicity_notes(examined),
        )
        ledger_finish(session, mail.source_key, "filed", submission_id=submission.id)
        return Outcome(
            mail.source_key,
            submission.receipt,
            submission.version,
            submission.status,
            draft.school_name,
            draft.sender,
            reply_note,
        )

    def _thread(self, session, parsed: ParsedMail, school_id: int | None) -> str | None:
        codes = [f"HS-{y}-{n}" for y, n in RECEIPT_IN_TEXT.findall(parsed.subject)]
        references = [r for r in (parsed.in_reply_to, *parsed.references) if r]
        receipt = find_thread_submission(session, receipt_codes=codes, reference_ids=references)
        if receipt is None:
            return None
        # A receipt code is not a password, but one school must not replace another's file.
        latest = latest_version(session, receipt)
        if latest is not None and latest.school_id is not None and latest.school_id != school_id:
            return None
        return receipt
