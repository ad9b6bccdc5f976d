"""Deadline reminders: to schools with nothing filed for the round, on the configured days, once."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.support.office import VN
from thidua.runners.outbox import drain
from thidua.runners.reminders import due_reminders, queue_reminders


def reminding(make_mailroom):
    mailroom = make_mailroom()
    campaign = mailroom.root / "campaign.toml"
    campaign.write_text(
        campaign.read_text(encoding="utf-8").replace(
            "max_nominees = 5", "max_nominees = 5\nremind_days_before = [7, 1]"
        ),
        encoding="utf-8",
    )
    mailroom.app.__dict__.pop("campaign", None)
    return mailroom


def test_reminders_are_due_on_the_configured_days_only(make_mailroom):
    mailroom = reminding(make_mailroom)
    rounds = mailroom.app.campaign.rounds
    tz = mailroom.app.settings.office.tz
    assert [(r.id, d) for r, d in due_reminders(rounds, datetime(2018, 3, 8, 7, 0, tzinfo=VN), tz)] == [
        ("q1-2018", 7)
    ]
    assert [(r.id, d) for r, d in due_reminders(rounds, datetime(2018, 3, 14, 23, 0, tzinfo=VN), tz)] == [
        ("q1-2018", 1)
    ]
    assert due_reminders(rounds, datetime(2018, 3, 10, 7, 0, tzinfo=VN), tz) == []
    assert due_reminders(rounds, datetime(2018, 3, 16, 7, 0, tzinfo=VN), tz) == []


def test_each_silent_school_is_reminded_once(make_mailroom):
    from tests.support.mails import certificate, nomination_mail, nominee

    mailroom = reminding(make_mailroom)
    mailroom.process(
        nomination_mail([nominee()], [("Giấy khen Hoa.pdf", certificate("Hoa"), "application/pdf")])
    )
    now = datetime(2018, 3, 8, 7, 0, tzinfo=VN)
    assert queue_reminders(mailroom.app, now) == 1  # An Bình has filed; Phong Hòa has not
    assert queue_reminders(mailroom.app, now + timedelta(hours=3)) == 0  # same day again: nothing new
    drain(mailroom.app.db, mailroom.app.blobs, mailroom.app.reply_sender(), now)
    reminders = [m for m in mailroom.replies() if m["Subject"].startswith("Nhắc hạn")]
    assert len(reminders) == 1
    [reminder] = reminders
    assert reminder["To"] == "thphonghoa@example.vn"
    assert reminder["Auto-Submitted"] == "auto-generated"
    body = reminder.get_body(("plain",)).get_content()
    assert "Quý I năm 2018" in body and "15/03/2018" in body and "còn 7 ngày" in body
