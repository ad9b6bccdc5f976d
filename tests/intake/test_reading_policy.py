"""What is read and what is only kept: evidence a nominee names is stored, not parsed or OCR'd;
photos that show no sheet of paper are not OCR'd; the rest is read as before."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from tests.support import scan_builders as scans
from tests.support.builders import make_eml, make_pdf, nomination_xlsx
from tests.support.office import OFFICE
from thidua.parsers.ocr_pages import looks_like_paper, ocr_image
from thidua.parsers.tesseract import tesseract_ready

needs_tesseract = pytest.mark.skipif(
    not tesseract_ready(), reason="Tesseract with its Vietnamese model is not installed"
)
OCTET = "application/octet-stream"
FORM_LINES = [
    "ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ ĐỔI MỚI, SÁNG TẠO TRONG DẠY VÀ HỌC",
    "Họ tên người đăng ký: Trần Văn Đức",
    "Nhiệm vụ được giao: Dạy Ngữ văn lớp 8",
]


def _row(evidence: list[str]) -> dict:
    return {
        "name": "Nguyễn Thị Hoa",
        "category": "Giáo viên",
        "position": "Giáo viên Toán",
        "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện",
        "evidence": evidence,
        "award": "Giấy khen",
    }


def _mail(*attachments) -> bytes:
    return make_eml(
        sender="c2anbinh@example.vn",
        to=OFFICE,
        subject="Danh sách đề nghị khen thưởng",
        attachments=list(attachments),
    )


def _photo_of_a_scene(seed: int = 1, size: tuple[int, int] = (1200, 900)) -> bytes:
    """A phone photo of people in a room: many colours and tones, no sheet of paper."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, (90, 120, 80))
    pixels = image.load()
    for _ in range(400):  # blotches of every colour, as a crowd in a yard looks at thumbnail scale
        x, y, r = rng.randrange(size[0]), rng.randrange(size[1]), rng.randrange(10, 60)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        for dx in range(-r, r, 3):
            for dy in range(-r, r, 3):
                if 0 <= x + dx < size[0] and 0 <= y + dy < size[1]:
                    pixels[x + dx, y + dy] = colour
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


# -- the paper check ---------------------------------------------------------------------------


def test_printed_scanned_and_photographed_pages_look_like_paper():
    page = scans.printed_page(FORM_LINES)
    assert looks_like_paper(page)
    assert looks_like_paper(scans.signed_and_stamped(page))
    assert looks_like_paper(scans.photographed(page))
    assert looks_like_paper(Image.open(io.BytesIO(scans.jpeg(scans.photographed(page), quality=60))))


def test_photos_of_scenes_and_dark_pictures_do_not():
    assert not looks_like_paper(Image.open(io.BytesIO(_photo_of_a_scene())))
    assert not looks_like_paper(Image.open(io.BytesIO(_photo_of_a_scene(seed=2, size=(900, 1600)))))
    assert not looks_like_paper(Image.new("L", (500, 700), 40))  # a photo taken with the lens covered
    gradient = Image.linear_gradient("L").resize((600, 800))  # a sky from dusk to noon
    assert not looks_like_paper(gradient)


def test_a_photo_that_is_no_page_is_not_given_to_tesseract():
    text = ocr_image(_photo_of_a_scene())
    assert text.is_scan and text.blocks == () and text.notes == ("not a page",)


# -- through the mailroom ---------------------------------------------------------------------


@needs_tesseract
def test_a_picture_named_as_evidence_is_kept_not_read(mailroom):
    """A picture of a form that a nominee names as its evidence stays evidence: OCR never sees it."""
    picture = scans.jpeg(scans.printed_page(FORM_LINES))
    mailroom.process(
        _mail(
            ("Danh sách.xlsx", nomination_xlsx([_row(["Ảnh minh chứng.jpg"])]), OCTET),
            ("Ảnh minh chứng.jpg", picture, "image/jpeg"),
        )
    )
    [entry] = mailroom.submissions()
    assert entry["status"] == "accepted", entry["problems"]
    listing, evidence = entry["documents"]
    assert evidence["kind"] == "evidence" and "ocr" not in evidence


@needs_tesseract
def test_the_same_picture_not_named_is_read_by_ocr(mailroom):
    picture = scans.jpeg(scans.printed_page(FORM_LINES))
    mailroom.process(
        _mail(
            ("Danh sách.xlsx", nomination_xlsx([_row(["Giấy khen.pdf"])]), OCTET),
            ("Giấy khen.pdf", make_pdf(["GIẤY KHEN"]), "application/pdf"),
            ("Ảnh.jpg", picture, "image/jpeg"),
        )
    )
    [entry] = mailroom.submissions()
    assert entry["documents"][2]["ocr"] is True


def test_a_photo_of_an_activity_beside_a_report_is_evidence_without_ocr(mailroom):
    report = make_pdf(
        [
            "BÁO CÁO KẾT QUẢ THỰC HIỆN PHONG TRÀO THI ĐUA",
            "Năm học 2017 – 2018",
            "Nhà trường đã tổ chức 12 chuyên đề đổi mới phương pháp dạy học.",
        ]
    )
    mailroom.process(
        _mail(("Báo cáo.pdf", report, "application/pdf"), ("Hoạt động.jpg", _photo_of_a_scene(), OCTET))
    )
    [entry] = mailroom.submissions()
    assert [(d["filename"], d["kind"]) for d in entry["documents"]] == [
        ("Báo cáo.pdf", "report"),
        ("Hoạt động.jpg", "evidence"),
    ]
    assert "ocr" not in entry["documents"][1]


def test_a_damaged_certificate_named_as_evidence_is_still_reported(mailroom):
    certificate = make_pdf(["GIẤY KHEN", "Tặng cô Nguyễn Thị Hoa"])
    damaged = certificate[:40] + b"\0" * 200  # the header survives; the body is gone
    mailroom.process(
        _mail(
            ("Danh sách.xlsx", nomination_xlsx([_row(["Giấy khen.pdf"])]), OCTET),
            ("Giấy khen.pdf", damaged, "application/pdf"),
        )
    )
    [entry] = mailroom.submissions()
    assert entry["status"] == "needs_correction"
    assert [(p["code"], p["field"]) for p in entry["problems"]] == [
        ("unreadable_attachment", "Giấy khen.pdf")
    ]


def test_a_locked_certificate_named_as_evidence_asks_for_an_unprotected_copy(mailroom):
    locked = make_pdf(["GIẤY KHEN", "Tặng cô Nguyễn Thị Hoa"], password="123456")
    mailroom.process(
        _mail(
            ("Danh sách.xlsx", nomination_xlsx([_row(["Giấy khen.pdf"])]), OCTET),
            ("Giấy khen.pdf", locked, "application/pdf"),
        )
    )
    [entry] = mailroom.submissions()
    [problem] = entry["problems"]
    assert (problem["code"], problem["field"]) == ("unreadable_attachment", "Giấy khen.pdf")
    assert "mật khẩu" in problem["message"]


def test_a_named_certificate_that_opens_is_evidence(mailroom):
    mailroom.process(
        _mail(
            ("Danh sách.xlsx", nomination_xlsx([_row(["Giấy khen.pdf"])]), OCTET),
            ("Giấy khen.pdf", make_pdf(["GIẤY KHEN"]), "application/pdf"),
        )
    )
    [entry] = mailroom.submissions()
    assert entry["status"] == "accepted" and entry["documents"][1]["kind"] == "evidence"
