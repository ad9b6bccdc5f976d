"""Reminders before a round's deadline (campaign `remind_days_before = [7, 1]`), each sent once."""

from __future__ import annotations

import logging
from datetime import datetime
from email import policy

from thidua.campaign import Round
from thidua.intake.app import App
from thidua.notifier.headers import domain_of
from thidua.notifier.reminder import render_reminder
from thidua.store.digest import schools_without_submission
from thidua.store.replies import add_reply, reply_with_message_id
from thidua.wording.findings import DOCUMENT_WORDS

log = logging.getLogger("thidua.reminders")


def due_reminders(rounds: tuple[Round, ...], now: datetime, tz) -> list[tuple[Round, int]]:
    """(round, days before its deadline) for every reminder due today in the office's calendar."""
    today = now.astimezone(tz).date()
    due = []
    for round_ in rounds:
        if not (round_.opens <= now <= round_.deadline):
            continue
        days = (round_.deadline.astimezone(tz).date() - today).days
        if days in round_.remind_days_before:
            due.append((round_, days))
    return due


def queue_reminders(application: App, now: datetime) -> int:
    """Queue today's reminders; a reminder's Message-ID names round, day and school, so it is
    queued once however often this runs."""
    office = application.settings.office
    domain = domain_of(office.address)
    queued = 0
    for round_, days in due_reminders(application.campaign.rounds, now, office.tz):
        documents = "; ".join(DOCUMENT_WORDS[k] for k in round_.documents if k in DOCUMENT_WORDS)
        with application.db.session() as session:
            for school in schools_without_submission(session, round_.id):
                if not school.addresses:
                    continue
                message_id = f"<reminder.{round_.id}.{days}d.{school.id}@{domain}>"
                if reply_with_message_id(session, message_id) is not None:
                    continue
                message = render_reminder(
                    school=school.name,
                    to=school.addresses,
                    office_name=office.name,
                    office_address=office.address,
                    round_label=round_.label,
                    deadline=round_.deadline,
                    days_left=days,
                    documents=documents,
                    message_id=message_id,
                    now=now,
                    timezone=office.timezone,
                )
                add_reply(
                    session,
                    submission_id=None,
                    kind="reminder",
                    to_address=", ".join(school.addresses),
                    subject=str(message["Subject"]),
                    message_id=message_id,
                    eml_sha256=application.blobs.put(message.as_bytes(policy=policy.SMTP)),
                    office=office.code,
                )
                queued += 1
    if queued:
        log.info("queued %d deadline reminders", queued)
    return queued
