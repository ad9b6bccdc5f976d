"""An office for the desk's page and browser tests: the bundled example mails and a hostile one,
run through the real pipeline (`thidua run --once`), with one desk account per role.

The hostile mail comes from a registered school and carries a real .xlsx nomination list with a
nominee named like a script, a very long Vietnamese name, and an evidence PDF named ``../../x``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tests.support.builders import make_eml, make_pdf, nomination_xlsx
from tests.support.clitools import Office, make_office, ok

VN = timezone(timedelta(hours=7))
ROLES = ("admin", "clerk", "reviewer", "viewer")
DISPLAY_NAMES = {
    "admin": "Trần Văn Minh",
    "clerk": "Nguyễn Thị Lan",
    "reviewer": "Lê Thu Hà",
    "viewer": "Phạm Quốc Bảo",
}
PASSWORD = "mat-khau-thu-nghiem-2018"
HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_FILE = "../../x"
LONG_NAME = (
    "Tổ chuyên môn Khoa học Xã hội và Nhân văn kiêm Đoàn Thanh niên Cộng sản Hồ Chí Minh "
    "Trường Tiểu học Phong An huyện Phong Điền"
)
HOSTILE_SENDER = "thphongan@example.vn"
WEB_CONFIG = "\n[web]\ncookie_secure = false\n"


def hostile_mail() -> bytes:
    rows = [
        {
            "name": HOSTILE_NAME,
            "category": "Giáo viên",
            "position": "Giáo viên <b>chủ nhiệm</b>",
            "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện; 3 học sinh giỏi cấp tỉnh.",
            "evidence": [HOSTILE_FILE],
            "award": "Giấy khen",
        },
        {
            "name": LONG_NAME,
            "category": "Tập thể",
            "position": "",
            "achievements": "100% giáo viên đạt chuẩn; 2 sáng kiến cấp huyện.",
            "evidence": [],
            "award": "Giấy khen",
        },
    ]
    return make_eml(
        sender=f"Trường Tiểu học Phong An <{HOSTILE_SENDER}>",
        to="thidua@pgd-phongdien.example.vn",
        subject="Danh sách đề nghị khen thưởng quý I <img src=x onerror=alert(2)>",
        body="Kính gửi Phòng GD&ĐT,\nTrường gửi danh sách đề nghị khen thưởng quý I.\nTrân trọng.",
        attachments=[
            (
                "Danh sách <quý I>.xlsx",
                nomination_xlsx(rows, school="TRƯỜNG TIỂU HỌC PHONG AN"),
                "application/octet-stream",
            ),
            (HOSTILE_FILE, make_pdf(["GIẤY KHEN", "Tặng: giáo viên"]), "application/pdf"),
        ],
        message_id="<phongan-q1-2018@example.vn>",
        date=datetime(2018, 3, 13, 15, 0, tzinfo=VN),
    )


@dataclass(frozen=True)
class DeskOffice:
    office: Office

    @property
    def root(self) -> Path:
        return self.office.root

    def settings(self):
        from thidua.config import load_settings

        return load_settings(self.office.config)


def add_accounts(office: Office) -> None:
    """One account per role, named after it (``admin``, ``clerk``, …), all with ``PASSWORD``."""
    from thidua.config import load_settings
    from thidua.desk.passwords import hash_password
    from thidua.intake.app import App
    from thidua.store import accounts

    settings = load_settings(office.config)
    app = App(settings)
    with app.db.session() as session:
        for role in ROLES:
            if accounts.find_user(session, settings.office.code, role) is None:
                accounts.add_user(
                    session,
                    settings.office.code,
                    role,
                    role,
                    hash_password(PASSWORD),
                    display_name=DISPLAY_NAMES[role],
                )
    app.db.dispose()


def parked_mail() -> bytes:
    return make_eml(
        sender="Trường Mầm non Hoa Sen <mnhoasen@example.vn>",
        to="thidua@pgd-phongdien.example.vn",
        subject="Báo cáo thi đua quý I (gửi lại)",
        body="Kính gửi Phòng GD&ĐT.",
        attachments=[("Báo cáo.pdf", make_pdf(["BÁO CÁO", "Quý I năm 2018"]), "application/pdf")],
        message_id="<hoasen-parked@example.vn>",
        date=datetime(2018, 3, 14, 8, 0, tzinfo=VN),
    )


def park(office: Office, raw: bytes) -> None:
    """Park a mail exactly as the daemon does after its last failed attempt."""
    from thidua.config import load_settings
    from thidua.intake.app import App
    from thidua.intake.sources import MaildirSource

    settings = load_settings(office.config)
    mailbox = settings.mailbox
    office.deliver(raw, datetime(2018, 3, 14, 8, 1, tzinfo=VN))
    source = MaildirSource(mailbox.path, mailbox.processed_folder, mailbox.review_folder)
    app = App(settings)
    for mail in list(source.pending()):
        app.mailroom._park(mail, source, "Tiến trình đọc tệp bị dừng đột ngột (3 lần).")
    app.db.dispose()


def build_desk_office(root: Path) -> DeskOffice:
    office = make_office(root, config_extra=WEB_CONFIG)
    ok(office.cli("schools", "import", office.root / "schools.csv"))
    office.deliver_examples()
    office.deliver(hostile_mail(), datetime(2018, 3, 13, 15, 2, tzinfo=VN))
    ok(office.cli("run", "--once"))
    park(office, parked_mail())
    add_accounts(office)
    return DeskOffice(office)


def copy_desk_office(source: DeskOffice, root: Path) -> DeskOffice:
    shutil.copytree(source.root, root)
    return DeskOffice(Office(root))
