"""A school's files typed in the old Vietnamese fonts are filed exactly like their Unicode twins."""

from __future__ import annotations

import unicodedata

from tests.support.builders import (
    REGISTRATION_EXAMPLE,
    make_eml,
    make_pdf,
    nomination_xlsx,
    registration_docx,
)
from tests.support.legacy_fonts import TCVN3_FONT, retype_docx, retype_xlsx, tcvn3_runs
from tests.support.office import OFFICE

OCTET = "application/octet-stream"
ROWS = [
    {
        "name": "Nguyễn Thị Hoa",
        "category": "Giáo viên",
        "position": "Giáo viên Toán",
        "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện; 2 học sinh giỏi tỉnh.",
        "evidence": ["Giấy khen Hoa.pdf"],
        "award": "Giấy khen",
    },
    {
        "name": "Tổ Khoa học tự nhiên",
        "category": "Tập thể",
        "position": "",
        "achievements": "100% giáo viên đạt chuẩn; 3 chuyên đề cấp huyện.",
        "evidence": ["Biên bản tổ.pdf"],
        "award": "Giấy khen",
    },
    {
        "name": "Lê Văn Đức",
        "category": "Nhân viên",
        "position": "Kế toán",
        "achievements": "Quyết toán đúng hạn 100%",
        "evidence": ["Khen thưởng Đức.pdf"],
        "award": "",
    },
]


def _mail(attachments) -> bytes:
    evidence = [
        (name, make_pdf(["GIẤY KHEN", name]), "application/pdf")
        for name in ("Giấy khen Hoa.pdf", "Biên bản tổ.pdf")
    ]
    return make_eml(
        sender="c2anbinh@example.vn",
        to=OFFICE,
        subject="Hồ sơ thi đua quý I",
        message_id="<ho-so-quy-1@example.vn>",
        attachments=[*attachments, *evidence],
    )


def _without_file_hashes(entries: list[dict]) -> list[dict]:
    for entry in entries:
        for document in entry["documents"]:
            document.pop("sha256")
    return entries


def test_tcvn3_files_give_the_same_submission_as_their_unicode_twins(make_mailroom):
    unicode_list = nomination_xlsx(ROWS)
    unicode_form = registration_docx(**REGISTRATION_EXAMPLE)
    attachments = {
        "unicode": [("Danh sách.xlsx", unicode_list, OCTET), ("Đăng ký.docx", unicode_form, OCTET)],
        "tcvn3": [
            ("Danh sách.xlsx", retype_xlsx(unicode_list), OCTET),
            ("Đăng ký.docx", retype_docx(unicode_form, tcvn3_runs, style_font=TCVN3_FONT), OCTET),
        ],
    }
    filed = {}
    for typing, files in attachments.items():
        mailroom = make_mailroom()
        mailroom.process(_mail(files))
        filed[typing] = _without_file_hashes(mailroom.submissions())

    (entry,) = filed["unicode"]
    assert [n["name"] for n in entry["nominees"]] == ["Nguyễn Thị Hoa", "Tổ Khoa học tự nhiên", "Lê Văn Đức"]
    assert entry["registrations"][0]["full_name"] == "Nguyễn Thị Hoa"
    # the third nominee's evidence is missing in both: the same problem, worded the same
    assert [p["field"] for p in entry["problems"] if p["code"] == "missing_evidence"] == [
        "nominees[3].evidence"
    ]
    assert filed["tcvn3"] == filed["unicode"]
    (legacy,) = filed["tcvn3"]
    assert all(unicodedata.is_normalized("NFC", n["achievements"]) for n in legacy["nominees"])
