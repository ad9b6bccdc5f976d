"""`thidua run`: take mail as it arrives, file it, drain the outbox, send the daily digest.

The loop: one pass (every mail waiting in the inbox, then every reply due in the outbox), then
wait for new mail — IMAP IDLE when the server offers it, else polling every
``[mailbox] poll_seconds`` — while retrying due replies every ``REPLY_RETRY_SECONDS``. A lost
connection or a server that is down (the database too, also at start-up) is logged as one line
and retried with exponential backoff, touching no mail meanwhile; after every reconnection the
pass is a full UID catch-up, so nothing that arrived meanwhile is missed. An SMTP outage only
holds the replies in the outbox: mail is still filed. SIGTERM and SIGINT stop it between two steps (a mail being filed is finished first).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from thidua.clock import utcnow
from thidua.errors import ConfigError, ServiceUnavailable
from thidua.intake.app import App
from thidua.intake.records import Outcome
from thidua.intake.sources import MailSource
from thidua.runners.outbox import ReplySending, send_lease

log = logging.getLogger("thidua.daemon")

REPLY_RETRY_SECONDS = 30.0  # how often replies waiting for a retry are looked at while idle
FIRST_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 300.0


def one_pass(
    application: App,
    source: MailSource | None = None,
    stop: threading.Event | None = None,
    *,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> tuple[list[Outcome], int]:
    """Everything waiting in the inbox, then everything due in the outbox: the outcomes, and
    the number of replies sent. What `thidua run --once` and `thidua process` do."""
    source = source if source is not None else application.source()
    with _reply_sending(application, probe=True) as sending:

        def filed(outcome: Outcome) -> None:
            if outcome.reply == "queued":
                sending.nudge()
            if on_outcome is not None:
                on_outcome(outcome)

        outcomes = application.mailroom.process_all(source.pending(), source, stop=stop, on_outcome=filed)
        sending.nudge()  # replies left due from earlier passes
    return outcomes, sending.sent


def drain_outbox(application: App) -> int:
    with _reply_sending(application) as sending:
        sending.nudge()
    return sending.sent


def _reply_sending(application: App, *, probe: bool = False) -> ReplySending:
    """``probe``: a pass looks at replies an outage held even before their back-off ends."""
    return ReplySending(
        application.db,
        application.blobs,
        application.reply_sender(),
        utcnow,
        send_lease(application.settings.outgoing.timeout_seconds),
        probe=probe,
    )


def _schedule_digest(application: App) -> BackgroundScheduler | None:
    """The daily digest to staff and the deadline reminders to schools, at [office] digest_at."""
    office = application.settings.office
    from thidua.runners.digest import send_digest
    from thidua.runners.reminders import queue_reminders

    hour, minute = (int(part) for part in office.digest_at.split(":"))
    scheduler = BackgroundScheduler(timezone=office.tz)
    daily = dict(misfire_grace_time=3600, coalesce=True, max_instances=1)
    if office.staff:
        scheduler.add_job(
            lambda: send_digest(application, utcnow()),
            CronTrigger(hour=hour, minute=minute, timezone=office.tz),
            id="digest",
            **daily,
        )
    else:
        log.info("no [office] staff configured: the daily digest is not sent")
    if any(r.remind_days_before for r in application.campaign.rounds):
        # queued here, sent by the loop's next outbox pass; each reminder is queued once
        scheduler.add_job(
            lambda: queue_reminders(application, utcnow()),
            CronTrigger(hour=hour, minute=minute, timezone=office.tz),
            id="reminders",
            **daily,
        )
    if not scheduler.get_jobs():
        return None
    scheduler.start()
    return scheduler


class _Poller:
    """Waiting for a source that cannot announce new mail (a Maildir): a pass every poll_seconds."""

    def __init__(self, poll_seconds: float, clock: Callable[[], float] = time.monotonic):
        self.poll = poll_seconds
        self.clock = clock
        self.last = clock()

    def wait(self, timeout: float, stop: threading.Event) -> bool:
        due = self.last + self.poll
        stop.wait(max(0.0, min(timeout, due - self.clock())))
        if self.clock() < due:
            return False
        self.last = self.clock()
        return True


def _describe_source(application: App) -> str:
    mailbox = application.settings.mailbox
    if mailbox.kind == "imap":
        return f"IMAP folder {mailbox.folder!r} of {mailbox.username} on {mailbox.host}:{mailbox.port}"
    return f"Maildir {mailbox.path}"


def _install_signal_handlers(stop: threading.Event) -> dict:
    if threading.current_thread() is not threading.main_thread():
        return {}  # only the main thread may; a caller in another thread stops us with `stop`
    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous[signum] = signal.signal(signum, lambda *_: stop.set())
    return previous


def _wait_for_database(application: App, stop: threading.Event) -> bool:
    """Open the database, waiting with backoff while its server is down; False if stopped meanwhile.

    A wrong setting (ConfigError) ends the daemon at once: waiting would not fix it. A server that
    is down (the machine booted before PostgreSQL, a restart) is what a service manager expects
    the daemon to ride out, as it does for the mail servers."""
    delay = FIRST_BACKOFF_SECONDS
    while not stop.is_set():
        try:
            _ = application.db  # opens (and migrates) the database
            return True
        except ServiceUnavailable as exc:
            log.warning("%s; retrying in %.0f s", exc, delay)
            stop.wait(delay)
            delay = min(delay * 2, MAX_BACKOFF_SECONDS)
    return False


def run_forever(
    application: App, stop: threading.Event | None = None, *, reply_retry_seconds: float = REPLY_RETRY_SECONDS
) -> None:
    """Run until ``stop`` is set (or SIGTERM / SIGINT when called from the main thread).

    A configuration error (a refused login, a folder that cannot be created) ends the loop with
    ``ConfigError``: staff must fix it; an unreachable server never does."""
    stop = stop if stop is not None else threading.Event()
    previous = _install_signal_handlers(stop)
    scheduler = source = None
    try:
        if not _wait_for_database(application, stop):
            return
        scheduler = _schedule_digest(application)
        source = application.source()
        _loop(application, source, stop, reply_retry_seconds)
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            try:
                close()
            except Exception:
                pass
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        log.info("stopped")


def _loop(application: App, source: MailSource, stop: threading.Event, reply_retry_seconds: float) -> None:
    waits = getattr(source, "wait_for_mail", None)
    poller = None if waits is not None else _Poller(application.settings.mailbox.poll_seconds)
    log.info("watching %s", _describe_source(application))
    delay = FIRST_BACKOFF_SECONDS
    failing = False
    need_pass = True
    last_drain = 0.0
    while not stop.is_set():
        try:
            if need_pass:
                count = len(one_pass(application, source, stop)[0])
                last_drain = time.monotonic()
                need_pass = False
                if failing:
                    log.info("the servers are reachable again; caught up (%d mail)", count)
                failing, delay = False, FIRST_BACKOFF_SECONDS
                continue
            timeout = max(0.0, last_drain + reply_retry_seconds - time.monotonic())
            if waits is not None:
                arrived = waits(timeout, stop)
            else:
                arrived = poller.wait(timeout, stop)
            if stop.is_set():
                break
            if arrived:
                need_pass = True
            elif time.monotonic() - last_drain >= reply_retry_seconds:
                drain_outbox(application)
                last_drain = time.monotonic()
        except ConfigError:
            raise
        except ServiceUnavailable as exc:
            log.warning("%s; retrying in %.0f s", exc, delay)
            failing, need_pass = True, True
            stop.wait(delay)
            delay = min(delay * 2, MAX_BACKOFF_SECONDS)
        except Exception as exc:  # a bug or a server saying something unexpected: not a storm
            log.error("%s: %s; retrying in %.0f s", type(exc).__name__, exc, delay)
            log.debug("details", exc_info=True)
            failing, need_pass = True, True
            stop.wait(delay)
            delay = min(delay * 2, MAX_BACKOFF_SECONDS)
