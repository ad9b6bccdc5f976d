"""Mail-client oddities through the whole pipeline: forwarded mails, Outlook's winmail.dat and .msg,
rar and 7z archives. Each is read like the files it carries, within the same limits as zip."""

from __future__ import annotations

import unicodedata

import pytest

from tests.support import hostile
from tests.support.builders import (
    REGISTRATION_EXAMPLE,
    make_eml,
    make_pdf,
    make_zip,
    nomination_xlsx,
    registration_docx,
)
from tests.support.container_builders import make_7z, make_msg, make_rar, make_tnef
from tests.support.office import BEFORE_DEADLINE, OFFICE

OCTET = "application/octet-stream"
SCHOOL = "c2anbinh@example.vn"
REGISTRATION_DAY = BEFORE_DEADLINE.replace(year=2017, month=10, day=1)
BODY = (
    "Kính gửi Phòng Giáo dục và Đào tạo huyện Phong Điền,\n"
    "Trường THCS An Bình gửi hồ sơ thi đua kèm theo thư này.\nTrân trọng."
)


def nominee(name: str, evidence: str, category: str = "Giáo viên") -> dict:
    return {
        "name": name,
        "category": category,
        "position": "Giáo viên Toán",
        "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện; 2 học sinh giỏi tỉnh.",
        "evidence": [evidence],
        "award": "Giấy khen",
    }


def certificate(who: str) -> bytes:
    return make_pdf(["GIẤY KHEN", f"Tặng {who}", "Đã có thành tích xuất sắc"])


LIST = nomination_xlsx([nominee("Nguyễn Thị Hoa", "Giấy khen Hoa.pdf"), nominee("Trần Văn Nam", "GCN Nam")])
EVIDENCE = [
    ("Minh chứng/Giấy khen Hoa.pdf", certificate("Nguyễn Thị Hoa")),
    ("Minh chứng/GCN Nam.pdf", certificate("Trần Văn Nam")),
]


def mail(attachments, subject: str = "Hồ sơ thi đua quý I", sender: str = SCHOOL) -> bytes:
    return make_eml(sender=sender, to=OFFICE, subject=subject, body=BODY, attachments=attachments)


def documents(entry: dict) -> dict[str, str]:
    return {d["filename"]: d["kind"] for d in entry["documents"]}


def codes(entry: dict) -> set[str]:
    return {p["code"] for p in entry["problems"]}


def accepted(mailroom, raw: bytes, when=BEFORE_DEADLINE) -> dict:
    outcome = mailroom.process(raw, when)
    [entry] = mailroom.submissions()
    assert outcome.status == "accepted", entry["problems"]
    assert len(mailroom.replies()) == 1
    return entry


# --------------------------------------------------------------------------- forwarded submissions


@pytest.mark.parametrize("content_type", ["message/rfc822", OCTET])
def test_a_forwarded_registration_is_accepted_as_if_sent_directly(mailroom, content_type):
    values = dict(REGISTRATION_EXAMPLE, school="Trường THCS An Bình", school_year="2017 – 2018")
    original = make_eml(
        sender="nguyenthihoa@example.vn",
        to=SCHOOL,
        subject="Đăng ký đổi mới sáng tạo",
        body="Em gửi bản đăng ký ạ.",
        attachments=[("Đăng ký đổi mới.docx", registration_docx(**values), OCTET)],
    )
    entry = accepted(
        mailroom,
        mail([("Đăng ký đổi mới sáng tạo.eml", original, content_type)], "Fwd: Đăng ký"),
        REGISTRATION_DAY,
    )
    assert documents(entry) == {"Đăng ký đổi mới.docx": "registration"}
    assert [r["full_name"] for r in entry["registrations"]] == ["Nguyễn Thị Hoa"]
    assert entry["sender"] == SCHOOL and entry["school"] == "Trường THCS An Bình"


def test_evidence_in_a_zip_inside_a_forwarded_mail_is_matched(mailroom):
    original = mail(
        [("Danh sách đề nghị.xlsx", LIST, OCTET), ("Minh chứng.zip", make_zip(EVIDENCE), "application/zip")],
        sender="totruong@example.vn",
    )
    entry = accepted(mailroom, mail([("Hồ sơ.eml", original, "message/rfc822")], "Fwd: Hồ sơ thi đua quý I"))
    assert documents(entry) == {
        "Danh sách đề nghị.xlsx": "nomination_list",
        "Giấy khen Hoa.pdf": "evidence",
        "GCN Nam.pdf": "evidence",
    }
    assert [n["name"] for n in entry["nominees"]] == ["Nguyễn Thị Hoa", "Trần Văn Nam"]


def test_a_forwarded_mail_without_files_is_no_document(mailroom):
    original = make_eml(
        sender="totruong@example.vn", to=SCHOOL, subject="Nhắc việc", body="Nộp hồ sơ trước 15/3."
    )
    mailroom.process(mail([("Nhắc việc.eml", original, "message/rfc822")]))
    [entry] = mailroom.submissions()
    assert codes(entry) == {"no_attachment"} and entry["documents"] == []


# --------------------------------------------------------------------------- Outlook


def test_winmail_dat_with_a_nomination_list_and_evidence_is_accepted(mailroom):
    winmail = make_tnef(
        [("Danh sách đề nghị.xlsx", LIST), *[(path.split("/")[-1], data) for path, data in EVIDENCE]],
        subject="Hồ sơ thi đua quý I",
        body=BODY,
    )
    entry = accepted(mailroom, mail([("winmail.dat", winmail, "application/ms-tnef")]))
    assert documents(entry) == {
        "Danh sách đề nghị.xlsx": "nomination_list",
        "Giấy khen Hoa.pdf": "evidence",
        "GCN Nam.pdf": "evidence",
    }
    assert [n["evidence"] for n in entry["nominees"]] == [["Giấy khen Hoa.pdf"], ["GCN Nam"]]


def test_winmail_dat_without_attachments_is_no_unsupported_file(mailroom):
    values = dict(REGISTRATION_EXAMPLE, school="Trường THCS An Bình", school_year="2017 – 2018")
    raw = mail(
        [
            ("Đăng ký.docx", registration_docx(**values), OCTET),
            ("winmail.dat", make_tnef([], subject="Đăng ký", body=BODY), "application/ms-tnef"),
        ]
    )
    entry = accepted(mailroom, raw, REGISTRATION_DAY)
    assert documents(entry) == {"Đăng ký.docx": "registration"}


def test_an_outlook_msg_attached_with_the_list_and_its_evidence(mailroom):
    item = make_msg(
        "Hồ sơ thi đua quý I",
        [("Danh sách đề nghị.xlsx", LIST)],
        body=BODY,
        embedded=("Minh chứng", [(path.split("/")[-1], data) for path, data in EVIDENCE]),
    )
    entry = accepted(mailroom, mail([("Hồ sơ thi đua.msg", item, "application/vnd.ms-outlook")]))
    assert documents(entry) == {
        "Danh sách đề nghị.xlsx": "nomination_list",
        "Giấy khen Hoa.pdf": "evidence",
        "GCN Nam.pdf": "evidence",
    }


# --------------------------------------------------------------------------- rar and 7z


@pytest.mark.parametrize("build, name", [(make_rar, "Hồ sơ thi đua.rar"), (make_7z, "Hồ sơ thi đua.7z")])
def test_a_nomination_list_and_its_evidence_in_a_rar_or_7z_are_accepted(mailroom, build, name):
    archive = build(
        [("Hồ sơ/Danh sách đề nghị.xlsx", LIST), *[(f"Hồ sơ/{path}", data) for path, data in EVIDENCE]]
    )
    entry = accepted(mailroom, mail([(name, archive, OCTET)]))
    assert documents(entry) == {
        "Danh sách đề nghị.xlsx": "nomination_list",
        "Giấy khen Hoa.pdf": "evidence",
        "GCN Nam.pdf": "evidence",
    }
    assert [(n["rank"], n["name"]) for n in entry["nominees"]] == [(1, "Nguyễn Thị Hoa"), (2, "Trần Văn Nam")]


def test_a_rar4_with_decomposed_names_is_filed_in_nfc(mailroom):
    members = [("Danh sách đề nghị.xlsx", LIST), *EVIDENCE]
    archive = make_rar([(unicodedata.normalize("NFD", path), data) for path, data in members], version=4)
    entry = accepted(mailroom, mail([("Hồ sơ.rar", archive, OCTET)]))
    assert documents(entry) == {
        "Danh sách đề nghị.xlsx": "nomination_list",
        "Giấy khen Hoa.pdf": "evidence",
        "GCN Nam.pdf": "evidence",
    }


@pytest.mark.parametrize(
    "name, build",
    [
        ("Minh chứng.rar", lambda: hostile.many_member_rar(600)),
        ("Minh chứng.7z", lambda: hostile.sevenzip_bomb(16)),
        ("Minh chứng.zip", lambda: hostile.many_member_zip(600)),
    ],
)
def test_archive_limits_give_the_same_problem_for_every_format(mailroom, name, build):
    outcome = mailroom.process(mail([("Danh sách đề nghị.xlsx", LIST, OCTET), (name, build(), OCTET)]))
    assert outcome.status == "needs_correction"
    [entry] = mailroom.submissions()
    [problem] = [p for p in entry["problems"] if p["code"] == "unreadable_attachment"]
    assert problem["field"] == name
    assert problem["message"].startswith(f"Không mở hết được tệp nén “{name}”")


def test_a_password_protected_rar_member_is_named(mailroom):
    archive = make_rar(
        [("Hồ sơ/Danh sách đề nghị.xlsx", LIST), ("Hồ sơ/Giấy khen Hoa.pdf", certificate("Hoa"))],
        version=4,
        encrypted=["Hồ sơ/Giấy khen Hoa.pdf"],
    )
    mailroom.process(mail([("Hồ sơ.rar", archive, OCTET)]))
    [entry] = mailroom.submissions()
    messages = [p["message"] for p in entry["problems"] if p["code"] == "unreadable_attachment"]
    assert messages == [
        "Tệp “Giấy khen Hoa.pdf” trong tệp nén “Hồ sơ.rar” được đặt mật khẩu nên không mở được. "
        "Thầy/cô vui lòng gỡ mật khẩu (hoặc nén lại không đặt mật khẩu) rồi gửi lại."
    ]


def test_hostile_names_in_a_rar_never_become_paths(mailroom, tmp_path):
    archive = make_rar(
        [
            ("Hồ sơ/Danh sách đề nghị.xlsx", LIST),
            ("../../../../tmp/passwd", b"root:x:0:0"),
            ("/etc/cron.d/job", b"* * * * * root id"),
            ("Giấy khen\u202eHoa.pdf", certificate("Hoa")),
        ]
    )
    mailroom.process(mail([("Hồ sơ.rar", archive, OCTET)]))
    [entry] = mailroom.submissions()
    names = [d["filename"] for d in entry["documents"]]
    assert names == ["Danh sách đề nghị.xlsx", "passwd", "job", "Giấy khenHoa.pdf"]
    assert not [p for p in tmp_path.rglob("*") if p.name in ("passwd", "job")]
