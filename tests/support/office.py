"""A whole office in a temporary folder (configuration, campaign, registered schools), run the way
`thidua run --once` runs it, with helpers to look inside; and the dates and addresses it uses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from thidua.config import load_settings
from thidua.intake.app import App
from thidua.intake.sources import IncomingMail, MaildirSource, deliver_to_maildir
from thidua.runners.daemon import one_pass
from thidua.runners.outbox import drain
from thidua.store.schools import import_schools
from thidua.store.submission_records import submissions_json

VN = timezone(timedelta(hours=7))


OFFICE = "thidua@pgd.example.vn"


BEFORE_DEADLINE = datetime(2018, 3, 10, 9, 0, tzinfo=VN)


AFTER_DEADLINE = datetime(2018, 3, 16, 9, 0, tzinfo=VN)


CAMPAIGN = """
name = "Đổi mới, sáng tạo trong dạy và học"
school_year = "2017-2018"

[[rounds]]
id = "dang-ky"
label = "Đăng ký năm học 2017-2018"
opens = 2017-09-01T00:00:00+07:00
deadline = 2017-10-15T23:59:59+07:00
documents = ["registration"]

[[rounds]]
id = "q1-2018"
label = "Quý I năm 2018"
opens = 2017-12-16T00:00:00+07:00
deadline = 2018-03-15T23:59:59+07:00
documents = ["nomination_list", "report"]
max_nominees = {max_nominees}
"""


SCHOOLS = [
    ("Trường THCS An Bình", ["c2anbinh@example.vn"]),
    ("Trường Tiểu học Phong Hòa", ["thphonghoa@example.vn"]),
]


class Mailroom:
    """The service as `thidua run --once` assembles it, plus helpers to look inside."""

    def __init__(self, root: Path, extra: str = "", max_nominees: int = 5):
        (root / "campaign.toml").write_text(CAMPAIGN.format(max_nominees=max_nominees), encoding="utf-8")
        (root / "thidua.toml").write_text(
            f'[office]\nname = "Phòng GD&ĐT huyện Phong Điền"\naddress = "{OFFICE}"\nstaff = ["cv@pgd.example.vn"]\n'
            + extra,
            encoding="utf-8",
        )
        self.root = root
        self.app = App(load_settings(root / "thidua.toml"))
        with self.app.db.session() as session:
            import_schools(session, SCHOOLS)

    @property
    def inbox(self) -> Path:
        return self.app.settings.mailbox.path

    @property
    def outbox(self) -> Path:
        return self.app.settings.outgoing.path

    def deliver(self, raw: bytes, when: datetime = BEFORE_DEADLINE) -> Path:
        return deliver_to_maildir(self.inbox, raw, when)

    def run_once(self) -> list:
        """What `thidua run --once` does: one pass over the inbox, replies sent alongside."""
        return one_pass(self.app, MaildirSource(self.inbox))[0]

    def process(self, raw: bytes, when: datetime = BEFORE_DEADLINE, key: str = "test:1"):
        outcome = self.app.mailroom.process(IncomingMail(raw, when, key))
        drain(self.app.db, self.app.blobs, self.app.reply_sender(), datetime.now(UTC))
        return outcome

    def submissions(self) -> list[dict]:
        with self.app.db.session() as session:
            return submissions_json(
                session, office=self.app.settings.office.code, tz=self.app.settings.office.tz
            )

    def replies(self) -> list:
        from email import message_from_bytes, policy

        if not self.outbox.exists():
            return []
        return [
            message_from_bytes(p.read_bytes(), policy=policy.default)
            for p in sorted(self.outbox.glob("*.eml"))
        ]
