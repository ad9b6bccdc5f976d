"""Whole mails with Word 97-2003 and Excel 97-2003 files, through the real pipeline.

The .doc and .xls files are what LibreOffice saves from the builders' .docx/.xlsx.
"""

from __future__ import annotations

import pytest

from tests.support.builders import (
    REGISTRATION_EXAMPLE,
    make_docx,
    make_eml,
    make_pdf,
    nomination_xlsx,
    registration_docx,
)
from tests.support.legacy_builders import damaged_stream, libreoffice_twin, libreoffice_twins
from tests.support.office import BEFORE_DEADLINE, OFFICE

OCTET = "application/octet-stream"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
REGISTRATION_ROUND = BEFORE_DEADLINE.replace(year=2017, month=10, day=1)

NOMINEE = {
    "name": "Nguyễn Thị Hoa",
    "category": "Giáo viên",
    "position": "Giáo viên Toán",
    "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện; 2 học sinh giỏi tỉnh.",
    "evidence": ["Giấy khen Hoa.pdf"],
    "award": "Giấy khen",
}
REPORT = [
    "PHÒNG GD&ĐT HUYỆN PHONG ĐIỀN",
    "TRƯỜNG THCS AN BÌNH",
    "BÁO CÁO",
    "Kết quả thực hiện phong trào thi đua “Đổi mới, sáng tạo trong dạy và học” quý I năm 2018",
    "I. THỰC TRẠNG",
    "Nhà trường có 30 giáo viên, 12 lớp.",
    "II. GIẢI PHÁP",
    "Tổ chức 4 chuyên đề dạy học theo dự án.",
    "III. KẾT QUẢ ĐẠT ĐƯỢC",
    "Có 3 sáng kiến được công nhận cấp huyện; 95% học sinh tham gia dự án.",
]


@pytest.fixture(scope="module")
def legacy_files():
    return {
        "list.xls": libreoffice_twin(nomination_xlsx([NOMINEE]), "xlsx", "xls"),
        **{
            f"{name}.doc": data
            for name, data in libreoffice_twins(
                {"report": make_docx(REPORT), "registration": registration_docx(**REGISTRATION_EXAMPLE)},
                "docx",
                "doc",
            ).items()
        },
    }


def mail(attachments, subject="Hồ sơ thi đua"):
    return make_eml(sender="c2anbinh@example.vn", to=OFFICE, subject=subject, attachments=attachments)


def test_a_doc_report_and_an_xls_list_are_accepted_with_their_kinds(mailroom, legacy_files):
    outcome = mailroom.process(
        mail(
            [
                ("Danh sách đề nghị khen thưởng.xls", legacy_files["list.xls"], XLS),
                ("Báo cáo quý I.doc", legacy_files["report.doc"], OCTET),
                ("Giấy khen Hoa.pdf", make_pdf(["GIẤY KHEN", "Tặng Nguyễn Thị Hoa"]), "application/pdf"),
            ]
        )
    )
    [entry] = mailroom.submissions()
    assert outcome.status == "accepted", entry["problems"]
    assert {d["filename"]: d["kind"] for d in entry["documents"]} == {
        "Danh sách đề nghị khen thưởng.xls": "nomination_list",
        "Báo cáo quý I.doc": "report",
        "Giấy khen Hoa.pdf": "evidence",
    }
    assert [(n["name"], n["category"], n["evidence"]) for n in entry["nominees"]] == [
        ("Nguyễn Thị Hoa", "teacher", ["Giấy khen Hoa.pdf"])
    ]


def test_a_registration_saved_as_doc_is_filed_with_its_fields(mailroom, legacy_files):
    outcome = mailroom.process(
        mail([("Phiếu đăng ký.doc", legacy_files["registration.doc"], DOC)]), REGISTRATION_ROUND
    )
    [entry] = mailroom.submissions()
    assert outcome.status == "accepted", entry["problems"]
    assert entry["documents"][0]["kind"] == "registration"
    [registration] = entry["registrations"]
    assert registration["full_name"] == "Nguyễn Thị Hoa"
    assert registration["innovation_area"] == REGISTRATION_EXAMPLE["innovation_area"]


def test_without_libreoffice_a_doc_gets_a_request_to_save_it_as_docx(
    mailroom, legacy_files, tmp_path, monkeypatch
):
    empty = tmp_path / "no-office"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    outcome = mailroom.process(
        mail([("Phiếu đăng ký.doc", legacy_files["registration.doc"], DOC)]), REGISTRATION_ROUND
    )
    assert outcome.status == "needs_correction"
    [entry] = mailroom.submissions()
    [problem] = [p for p in entry["problems"] if p["code"] == "unsupported_format"]
    assert problem["field"] == "Phiếu đăng ký.doc"
    message = problem["message"]
    for words in (
        "“Phiếu đăng ký.doc”",
        "Word 97-2003",
        "Microsoft Word (bản 2007 trở lên)",
        "Tệp (File)",
        "Lưu thành (Save As)",
        "“Word Document (*.docx)”",
    ):
        assert words in message
    assert ".doc," not in message and ".doc)" not in message.split("Các định dạng đọc được:")[1]
    [reply] = mailroom.replies()
    assert "Word Document (*.docx)" in reply.get_body(("plain",)).get_content()


def test_a_damaged_doc_is_named_as_unreadable(mailroom, legacy_files):
    damaged = damaged_stream(legacy_files["report.doc"], "WordDocument")
    outcome = mailroom.process(mail([("Báo cáo quý I.doc", damaged, DOC)]))
    assert outcome.status == "needs_correction"
    [entry] = mailroom.submissions()
    [problem] = [p for p in entry["problems"] if p["code"] == "unreadable_attachment"]
    assert problem["field"] == "Báo cáo quý I.doc"
    assert "“Báo cáo quý I.doc”" in problem["message"]
