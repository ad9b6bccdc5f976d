"""The staff digest: gathered from the store, rendered by the notifier, sent via the outbox."""

from __future__ import annotations

from datetime import datetime
from email import policy

from thidua.campaign import Round
from thidua.intake.app import App
from thidua.notifier import views
from thidua.notifier.digest import render_digest
from thidua.store.digest import (
    DigestSubmission,
    awaiting_signed_copy,
    digest_data,
    last_digest_at,
    record_digest,
)
from thidua.store.replies import add_reply

# the digest names schools still missing for rounds whose deadline is at most this far ahead
UPCOMING_DAYS = 30


def _submission(entry: DigestSubmission) -> views.DigestSubmission:
    return views.DigestSubmission(
        receipt=entry.receipt,
        version=entry.version,
        school=entry.school,
        sender=entry.sender,
        status=entry.status,
        received_at=entry.received_at,
        round_id=entry.round_id,
        problem_codes=tuple(entry.problem_codes),
        late="late" in entry.problem_codes,
        macro_files=tuple(entry.macro_files),
    )


def _next_round(application: App, now: datetime) -> Round | None:
    upcoming = [r for r in application.campaign.rounds if r.opens <= now <= r.deadline]
    return min(upcoming, key=lambda r: r.deadline) if upcoming else None


def build_digest(application: App, now: datetime) -> views.DigestView:
    office = application.settings.office
    round_ = _next_round(application, now)
    with application.db.session() as session:
        since = last_digest_at(session)
        data = digest_data(session, since=since, now=now, round_id=round_.id if round_ else None)
        waiting = awaiting_signed_copy(
            session,
            office=application.settings.office.code,
            round_ids=[r.id for r in application.campaign.rounds if r.signed_copy],
        )
    silent: tuple[views.SilentSchool, ...] = ()
    if round_ is not None and (round_.deadline - now).days <= UPCOMING_DAYS:
        days_left = (round_.deadline.astimezone(office.tz).date() - now.astimezone(office.tz).date()).days
        silent = tuple(
            views.SilentSchool(s.name, round_.label, round_.deadline, days_left) for s in data.missing_schools
        )
    return views.DigestView(
        office_name=office.name,
        generated_at=now,
        since=since,
        timezone=office.timezone,
        counts=dict(data.counts),
        new=tuple(_submission(s) for s in data.new),
        late=tuple(_submission(s) for s in data.late),
        outstanding=tuple(_submission(s) for s in data.corrections),
        silent_schools=silent,
        rejected=tuple(_submission(s) for s in data.rejected),
        review=tuple(views.ReviewItem(e.subject, e.sender, e.last_error, e.updated_at) for e in data.review),
        failed_replies=tuple(
            views.FailedReply(r.to_address, r.subject, r.reason) for r in data.failed_replies
        ),
        held_replies=tuple(
            views.HeldReply(r.id, r.to_address, r.subject, r.reason, r.created_at) for r in data.held_replies
        ),
        awaiting_signed_copy=tuple(_submission(s) for s in waiting),
        desk_url=application.settings.web.public_url,
    )


def send_digest(application: App, now: datetime) -> int:
    """Queue the digest for every staff address and send it; returns the number of recipients."""
    from thidua.errors import ConfigError
    from thidua.runners.outbox import drain

    office = application.settings.office
    if not office.staff:
        raise ConfigError('no digest recipients: set [office] staff = ["..."] in the configuration')
    view = build_digest(application, now)
    message = render_digest(view, to=office.staff, from_address=office.address)
    eml_sha = application.blobs.put(message.as_bytes(policy=policy.SMTP))
    with application.db.session() as session:
        add_reply(
            session,
            submission_id=None,
            kind="digest",
            to_address=", ".join(office.staff),
            subject=str(message["Subject"]),
            message_id=str(message["Message-ID"]),
            eml_sha256=eml_sha,
            office=office.code,
        )
        record_digest(session, now)
    drain(application.db, application.blobs, application.reply_sender(), now)
    return len(office.staff)
