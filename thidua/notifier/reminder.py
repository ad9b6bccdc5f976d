"""The reminder a school gets before a round's deadline when it has sent nothing yet."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from thidua.notifier.headers import mailbox, set_text_header
from thidua.notifier.render import render_template, tidy_text


def render_reminder(
    *,
    school: str,
    to: Sequence[str],
    office_name: str,
    office_address: str,
    round_label: str,
    deadline: datetime,
    days_left: int,
    documents: str,
    message_id: str,
    now: datetime,
    timezone: str,
) -> EmailMessage:
    context = dict(
        school=school,
        office_name=office_name,
        office_address=office_address,
        round_label=round_label,
        deadline=deadline,
        days_left=days_left,
        documents=documents,
        tz=timezone,
    )
    message = EmailMessage()
    message["From"] = mailbox(office_address, office_name)
    message["To"] = [mailbox(address) for address in to]
    set_text_header(
        message, "Subject", f"Nhắc hạn gửi hồ sơ thi đua: {round_label} (hạn {deadline.strftime('%d/%m/%Y')})"
    )
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message.set_content(tidy_text(render_template("reminder.txt.j2", **context)))
    message.add_alternative(render_template("reminder.html.j2", **context), subtype="html")
    return message
