"""Macro-enabled files are read and flagged (reply and digest, no problem code of their own), and a
file refused because reading it needed more than the limits allow is told apart from one that is
simply over the size limit."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from tests.support import hostile
from tests.support.builders import (
    REGISTRATION_EXAMPLE,
    make_eml,
    make_pdf,
    nomination_xlsx,
    registration_docx,
)
from tests.support.office import OFFICE
from thidua.checks.model import SEVERITY
from thidua.notifier.digest import digest_html, digest_text
from thidua.runners.digest import build_digest

OCTET = "application/octet-stream"
SCHOOL = "c2anbinh@example.vn"
MACRO_NOTE = "có chứa macro. Vì lý do an toàn, hệ thống đã đọc nội dung tệp nhưng không mở và không chạy macro trong tệp."


def xlsm(xlsx: bytes) -> bytes:
    """The same workbook saved as macro-enabled (.xlsm): only the main part's content type differs."""
    types = zipfile.ZipFile(io.BytesIO(xlsx)).read("[Content_Types].xml")
    types = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    return hostile.replace_part(xlsx, "[Content_Types].xml", types)


def reply_text(message) -> str:
    return message.get_body(("plain",)).get_content()


def reply_html(message) -> str:
    return message.get_body(("html",)).get_content()


def nomination_files(workbook_name: str, workbook: bytes) -> list:
    row = {
        "name": "Nguyễn Thị Hoa",
        "category": "Giáo viên",
        "position": "Giáo viên Toán",
        "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện; 2 học sinh giỏi tỉnh.",
        "evidence": ["Giấy khen Hoa.pdf"],
        "award": "Giấy khen",
    }
    return [
        (workbook_name, workbook([row]), OCTET),
        ("Giấy khen Hoa.pdf", make_pdf(["GIẤY KHEN", "Tặng Nguyễn Thị Hoa"]), "application/pdf"),
    ]


def test_a_macro_enabled_list_is_filed_and_the_school_told_its_macros_were_not_run(mailroom):
    files = nomination_files("Danh sách khen thưởng.xlsm", lambda rows: xlsm(nomination_xlsx(rows)))
    outcome = mailroom.process(make_eml(sender=SCHOOL, to=OFFICE, subject="Danh sách", attachments=files))

    assert outcome.status == "accepted"  # a note, not a problem: nothing for the school to correct
    [entry] = mailroom.submissions()
    assert entry["problems"] == [] and [n["name"] for n in entry["nominees"]] == ["Nguyễn Thị Hoa"]
    [reply] = mailroom.replies()
    text = reply_text(reply)
    assert f"Tệp «Danh sách khen thưởng.xlsm» {MACRO_NOTE}" in text
    assert "Word (.docx)" in text and "Excel (.xlsx)" in text
    assert text.index("LƯU Ý") < text.index(MACRO_NOTE)
    assert MACRO_NOTE in reply_html(reply)


def test_a_macro_enabled_registration_with_a_problem_gets_the_note_beside_the_correction(mailroom):
    values = dict(REGISTRATION_EXAMPLE, objectives="")
    docm = hostile.docm(registration_docx(**values))
    mailroom.process(
        make_eml(
            sender=SCHOOL, to=OFFICE, subject="Đăng ký", attachments=[("Đăng ký Hoa.docm", docm, OCTET)]
        ),
        datetime(2017, 10, 1, 9, 0, tzinfo=UTC),
    )
    [entry] = mailroom.submissions()
    assert entry["status"] == "needs_correction"
    assert {p["code"] for p in entry["problems"]} == {"missing_field"}  # no code is made up for macros
    assert set(p["code"] for p in entry["problems"]) <= set(SEVERITY)
    text = reply_text(mailroom.replies()[0])
    assert f"Tệp «Đăng ký Hoa.docm» {MACRO_NOTE}" in text
    assert "NỘI DUNG CẦN BỔ SUNG, CHỈNH SỬA (1)" in text  # the note is not counted as a correction


def test_plain_office_files_get_no_macro_note(mailroom):
    mailroom.process(
        make_eml(
            sender=SCHOOL,
            to=OFFICE,
            subject="Danh sách",
            attachments=nomination_files("Danh sách.xlsx", nomination_xlsx),
        )
    )
    text = reply_text(mailroom.replies()[0])
    assert "macro" not in text and "LƯU Ý" not in text


def test_staff_see_macro_enabled_files_in_the_digest(mailroom):
    mailroom.process(
        make_eml(
            sender=SCHOOL,
            to=OFFICE,
            subject="Danh sách có macro",
            attachments=nomination_files("DS.xlsm", lambda rows: xlsm(nomination_xlsx(rows))),
        ),
        key="test:1",
    )
    mailroom.process(
        make_eml(
            sender=SCHOOL,
            to=OFFICE,
            subject="Danh sách thường",
            attachments=nomination_files("DS thường.xlsx", nomination_xlsx),
        ),
        key="test:2",
    )
    view = build_digest(mailroom.app, datetime.now(UTC))
    assert [s.macro_files for s in view.new] == [("DS.xlsm",), ()]
    text = digest_text(view)
    assert text.count("Tệp có macro") == 1
    assert "Tệp có macro (đã đọc nội dung, macro không được mở, không chạy): DS.xlsm" in text
    assert "Tệp có macro (macro không được mở, không chạy): DS.xlsm" in digest_html(view)


# -- too large, too complex ----------------------------------------------------------------------


def test_a_small_file_too_complex_to_read_is_not_called_too_large(mailroom):
    mailroom.process(
        make_eml(
            sender=SCHOOL,
            to=OFFICE,
            subject="Danh sách",
            attachments=[("Danh sách.xlsx", hostile.giant_merge_xlsx(), OCTET)],
        )
    )
    [entry] = mailroom.submissions()
    [problem] = [p for p in entry["problems"] if p["code"] == "attachment_too_large"]
    assert problem["message"].startswith("Tệp “Danh sách.xlsx” quá lớn hoặc quá phức tạp")
    assert "chia nội dung thành nhiều tệp nhỏ hơn" in problem["message"]
    assert "Word (.docx), Excel (.xlsx) hoặc PDF, mỗi tệp không quá 25 MB" in problem["message"]
    assert "vượt quá dung lượng" not in problem["message"]  # it is a few kilobytes
    text = reply_text(mailroom.replies()[0])
    assert "Tệp «Danh sách.xlsx» quá lớn hoặc quá phức tạp, hệ thống không đọc được." in text


def test_a_file_over_the_size_limit_says_how_big_it_is(make_mailroom):
    mailroom = make_mailroom("[limits]\nmax_attachment_mb = 0.1\n")
    evidence = make_pdf(["GIẤY KHEN"]) + b"%" * 200_000  # a scan's worth of bytes
    mailroom.process(
        make_eml(
            sender=SCHOOL,
            to=OFFICE,
            subject="Minh chứng",
            attachments=[("Giấy khen.pdf", evidence, "application/pdf")],
        )
    )
    [entry] = mailroom.submissions()
    [problem] = [p for p in entry["problems"] if p["code"] == "attachment_too_large"]
    assert "(0,2 MB) vượt quá dung lượng tối đa 0,1 MB" in problem["message"]
    assert "quá phức tạp" not in problem["message"]
