"""Scans through the whole mailroom: a printed form, signed, stamped and scanned, read by Tesseract."""

from __future__ import annotations

import pytest

from tests.support import scan_builders as scans
from tests.support.builders import REGISTRATION_EXAMPLE, make_eml, registration_docx
from tests.support.office import BEFORE_DEADLINE, OFFICE
from thidua.parsers.tesseract import tesseract_ready

pytestmark = pytest.mark.skipif(
    not tesseract_ready(),
    reason="Tesseract with its Vietnamese model is not installed "
    "(Debian: apt install tesseract-ocr tesseract-ocr-vie)",
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REGISTRATION_ROUND = BEFORE_DEADLINE.replace(year=2017, month=10, day=1)
VALUES = dict(
    REGISTRATION_EXAMPLE,
    school="Trường THCS An Bình",
    school_year="2017 – 2018",
    trial_period="Từ tháng 10/2017 đến tháng 4/2018",
)


@pytest.fixture(scope="module")
def signed_form():
    """The registration form printed, then signed and stamped on paper."""
    return scans.signed_and_stamped(scans.printed_page(scans.registration_lines(**VALUES)))


@pytest.fixture(scope="module")
def signed_scan(signed_form) -> bytes:
    return scans.image_pdf(signed_form)  # what the office's scanner makes of it


def _mail(*attachments) -> bytes:
    return make_eml(
        sender="c2anbinh@example.vn",
        to=OFFICE,
        subject="Đăng ký đổi mới sáng tạo",
        attachments=list(attachments),
    )


def _text(reply) -> str:
    return reply.get_body(("plain",)).get_content()


def test_a_scan_alone_asks_for_the_editable_file_and_says_what_was_read(mailroom, signed_scan):
    outcome = mailroom.process(
        _mail(("Đăng ký có dấu.pdf", signed_scan, "application/pdf")), REGISTRATION_ROUND
    )
    assert outcome.status == "needs_correction"
    [entry] = mailroom.submissions()
    assert entry["round"] == "dang-ky"
    [document] = entry["documents"]
    assert (document["kind"], document["ocr"]) == ("evidence", True)
    assert "signed_copy_of" not in document
    assert entry["registrations"] == []  # text read off a picture is never filed as the school's data
    [problem] = entry["problems"]
    assert (problem["code"], problem["field"]) == ("unreadable_attachment", "Đăng ký có dấu.pdf")
    assert "phiếu đăng ký thực hiện đổi mới, sáng tạo của Nguyễn Thị Hoa" in problem["message"]
    assert "Word (.docx)" in problem["message"]

    [reply] = mailroom.replies()
    body = _text(reply)
    assert "1. Tệp «Đăng ký có dấu.pdf» là bản chụp/bản quét; thư chưa có tệp Word hoặc Excel" in body
    assert "không đọc được" not in body  # it was read: what is missing is the editable file
    assert (
        "Đăng ký có dấu.pdf: Đăng ký thực hiện đổi mới sáng tạo (bản chụp/bản quét; hệ thống đã đọc chữ trên ảnh)"
        in body
    )
    assert "Nội dung đọc được từ bản quét" in body
    assert "- Họ tên người đăng ký: Nguyễn Thị Hoa" in body
    assert "- Nhiệm vụ được giao: Giáo viên dạy Toán lớp 8A, 8B" in body
    assert "- Năm học: 2017-2018" in body
    assert "Nguyễn Thị Hoa" in reply.get_body(("html",)).get_content()


def test_the_editable_file_with_a_photo_of_its_signed_print_is_accepted(mailroom, signed_form):
    photo = scans.jpeg(scans.photographed(signed_form))
    outcome = mailroom.process(
        _mail(
            ("Đăng ký.docx", registration_docx(**VALUES), DOCX), ("Đăng ký có dấu.jpg", photo, "image/jpeg")
        ),
        REGISTRATION_ROUND,
    )
    assert outcome.status == "accepted"
    [entry] = mailroom.submissions()
    assert entry["problems"] == []
    editable, signed = entry["documents"]
    assert editable == {"filename": "Đăng ký.docx", "kind": "registration", "sha256": editable["sha256"]}
    assert signed["kind"] == "evidence" and signed["ocr"] is True
    assert signed["signed_copy_of"] == "Đăng ký.docx"
    [registration] = entry["registrations"]  # from the Word file only, not twice
    assert registration["full_name"] == "Nguyễn Thị Hoa"

    body = _text(mailroom.replies()[0])
    assert (
        "Đăng ký có dấu.jpg: Đăng ký thực hiện đổi mới sáng tạo (bản ký, đóng dấu của tệp «Đăng ký.docx»)"
        in body
    )
    assert "Nội dung đọc được từ bản quét" not in body  # the Word file says it all


def test_another_teachers_scan_next_to_a_form_stays_evidence(mailroom):
    other = scans.image_pdf(
        scans.printed_page(scans.registration_lines(**dict(VALUES, full_name="Trần Văn Đức")))
    )
    outcome = mailroom.process(
        _mail(("Đăng ký.docx", registration_docx(**VALUES), DOCX), ("Scan.pdf", other, "application/pdf")),
        REGISTRATION_ROUND,
    )
    assert outcome.status == "accepted"
    scan = mailroom.submissions()[0]["documents"][1]
    assert scan["ocr"] is True and "signed_copy_of" not in scan
