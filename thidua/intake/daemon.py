"""`thidua run`: take mail as it arrives, file it, drain the outbox, send the daily digest."""
from __future__ import annotations

import logging
import signal
import threading

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from thidua.app import App, utcnow
from thidua.errors import ServiceUnavailable
from thidua.intake.outbox import drain

log = logging.getLogger("thidua.daemon")


def one_pass(application: App) -> int:
    """Everything waiting in the inbox, then everything due in the outbox."""
    source = application.source()
    count = 0
    for mail in source.pending():
        application.mailroom.process(mail, source)
        count += 1
    drain(application.db, application.blobs, application.reply_sender(), utcnow())
    return count


def _schedule_digest(application: App, stop: threading.Event) -> BackgroundScheduler | None:
    office = application.settings.office
    if not office.staff:
        log.info("no [office] staff configured: the daily digest is not sent")
        return None
    from thidua.intake.digest import send_digest

    hour, minute = (int(part) for part in office.digest_at.split(":"))
    scheduler = BackgroundScheduler(timezone=office.tz)
    scheduler.add_job(lambda: send_digest(application, utcnow()), CronTrigger(hour=hour, minute=minute, timezone=office.tz),
                      id="digest", misfire_grace_time=3600, coalesce=True, max_instances=1)
    scheduler.start()
    return scheduler


def run_forever(application: App) -> None:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    application.db  # fail fast on a bad database before waiting for mail
    scheduler = _schedule_digest(application, stop)
    poll = application.settings.mailbox.poll_seconds
    log.info("watching %s every %d s", application.settings.mailbox.path, poll)
    delay = 1.0
    try:
        while not stop.is_set():
            try:
                one_pass(application)
                delay = 1.0
                stop.wait(poll)
            except ServiceUnavailable as exc:
                log.warning("%s; retrying in %.0f s", exc, delay)
                stop.wait(delay)
                delay = min(delay * 2, 300)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
    log.info("stopped")
