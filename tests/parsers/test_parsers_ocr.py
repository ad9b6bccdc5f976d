"""Scans and photos read by Tesseract's Vietnamese model: a printed registration form, signed,
stamped, scanned or photographed, comes back as the form's fields; bombs and noise do not."""

from __future__ import annotations

import io
import logging
import random
import unicodedata

import pytest
from PIL import Image

from tests.support import scan_builders as scans
from tests.support.builders import NOMINATION_HEADER, NOMINATION_TITLE, make_pdf
from thidua.parsers.content import DocumentText, UnreadableDocument
from thidua.parsers.documents import read_document
from thidua.parsers.filetypes import sniff
from thidua.parsers.forms import understand
from thidua.parsers.mail import FileItem
from thidua.parsers.ocr import recognise_scan
from thidua.parsers.ocr_pages import ocr_image, ocr_pdf
from thidua.parsers.tesseract import OcrLimits, tesseract_ready

needs_tesseract = pytest.mark.skipif(
    not tesseract_ready(),
    reason="Tesseract with its Vietnamese model is not installed "
    "(Debian: apt install tesseract-ocr tesseract-ocr-vie)",
)


def _read(data: bytes, name: str = "scan") -> DocumentText:
    return read_document(FileItem(name=name, data=data, detected=sniff(data)))


@pytest.fixture(scope="module")
def printed_form() -> Image.Image:
    return scans.printed_page(scans.registration_lines())


@pytest.fixture(scope="module")
def signed_form(printed_form) -> Image.Image:
    return scans.signed_and_stamped(printed_form)


SCANS = {
    "png": lambda printed, signed: scans.png(printed),
    "jpeg photo": lambda printed, signed: scans.jpeg(scans.photographed(signed)),
    "image-only pdf": lambda printed, signed: scans.image_pdf(signed),
}


@needs_tesseract
@pytest.mark.parametrize("made_as", list(SCANS))
def test_a_scanned_registration_form_gives_its_fields(made_as, printed_form, signed_form):
    data = SCANS[made_as](printed_form, signed_form)
    text = _read(data)
    assert text.is_scan and text.format == sniff(data) and "ocr" in text.notes
    assert all(unicodedata.is_normalized("NFC", line) for line in text.paragraphs)

    understood = understand(text, "scan")
    assert (understood.kind, understood.ocr) == ("registration", True)
    assert "2023" in understood.school_year and "2024" in understood.school_year
    [registration] = understood.registrations
    values = registration.values
    assert values["full_name"] == "Nguyễn Thị Hoa"
    assert values["assigned_task"].startswith("Giáo viên dạy Toán lớp 8A, 8B")
    assert values["innovation_area"] == "Phương pháp giảng dạy"
    assert values["trial_period"] == "Từ tháng 10/2023 đến tháng 4/2024"
    assert "12 xuống còn 5 em" in values["expected_results"]
    assert values["objectives"].startswith("Vận dụng dạy học theo dự án")
    assert values["trial_steps"].startswith("Bước 1: Khảo sát thực trạng đầu năm.")
    assert "Mục tiêu giải pháp đổi mới" in registration.labels["objectives"]


@needs_tesseract
def test_a_scanned_nomination_list_is_known_by_its_title():
    """OCR gives a table's rows as lines without the grid: the kind is known, the nominees are not."""
    printed = make_pdf(
        ["TRƯỜNG THCS AN BÌNH", NOMINATION_TITLE, "(Sắp xếp theo thứ tự ưu tiên)"],
        [
            list(NOMINATION_HEADER),
            [
                "1",
                "Nguyễn Văn An",
                "Giáo viên",
                "Giáo viên Toán",
                "Có 2 sáng kiến cấp huyện",
                "Giấy khen Nguyễn Văn An.pdf",
                "Giấy khen",
            ],
        ],
    )
    understood = understand(_read(scans.image_pdf(scans.scanned_page(printed))))
    assert (understood.kind, understood.ocr, understood.nominees) == ("nomination_list", True, ())
    assert understood.title.startswith("DANH SÁCH TẬP THỂ, CÁ NHÂN TIÊU BIỂU")


@needs_tesseract
def test_a_text_pdf_is_not_read_by_ocr():
    text = _read(make_pdf(scans.registration_lines()))
    assert not text.is_scan and "ocr" not in text.notes
    assert understand(text).ocr is False


@needs_tesseract
def test_a_phone_photo_taken_upside_down_is_turned_upright():
    picture = scans.picture_of_text(["Họ tên người đăng ký: Trần Văn Đức", "Nhiệm vụ được giao: Dạy Ngữ văn"])
    exif = Image.Exif()
    exif[0x0112] = (
        3  # the phone's orientation sensor: "turn 180° to view" (Tesseract reads sideways text, not this)
    )
    text = _read(scans.jpeg(picture.rotate(180), exif=exif))
    assert "Họ tên người đăng ký: Trần Văn Đức" in text.paragraphs


@needs_tesseract
def test_a_transparent_screenshot_is_read_on_white():
    picture = scans.picture_of_text(
        ["Nhiệm vụ được giao: Tổng phụ trách Đội"], mode="RGBA", background=(0, 0, 0, 0), ink=(0, 0, 0, 255)
    )
    assert "Nhiệm vụ được giao: Tổng phụ trách Đội" in _read(scans.png(picture)).paragraphs


@needs_tesseract
def test_every_page_of_a_multipage_tiff():
    pages = [scans.picture_of_text([f"Trang {n}: Báo cáo kết quả thi đua"]) for n in (1, 2)]
    buffer = io.BytesIO()
    pages[0].save(buffer, format="TIFF", save_all=True, append_images=pages[1:])
    text = _read(buffer.getvalue())
    assert text.format == "tiff" and text.pages == 2
    assert [line[:7] for line in text.paragraphs] == ["Trang 1", "Trang 2"]


@needs_tesseract
def test_pages_beyond_the_cap_are_left_out_and_said():
    pages = [scans.picture_of_text([f"Trang số {n}"], size=(1654, 2339)) for n in (1, 2, 3)]
    text = ocr_pdf(scans.image_pdf(*pages), OcrLimits(max_pages=2))
    assert text.pages == 3 and text.notes == ("ocr", "truncated")
    assert text.paragraphs == ("Trang số 1", "Trang số 2")


@needs_tesseract
@pytest.mark.parametrize(
    "picture",
    [
        Image.new("L", (1654, 2339), 255),  # a blank page
        Image.frombytes("L", (500, 700), random.Random(7).randbytes(500 * 700)),  # noise, no text at all
        Image.new("RGB", (4, 4)),  # a tracking pixel
    ],
    ids=["blank", "noise", "tiny"],
)
def test_pictures_without_text_give_no_fields(picture):
    text = _read(scans.png(picture))
    assert text == DocumentText(format="png", blocks=(), is_scan=True)
    assert understand(text).kind == "evidence" and not understand(text).registrations


@needs_tesseract
def test_a_page_not_recognised_in_time_is_given_up():
    page = scans.png(scans.picture_of_text(["Họ tên người đăng ký: Lê Thị Mai"]))
    with pytest.raises(UnreadableDocument) as refused:
        ocr_image(page, OcrLimits(page_seconds=0.001))  # Tesseract cannot even start in a millisecond
    assert refused.value.reason == "too_large" and "no page recognised" in refused.value.detail
    assert _read(page).paragraphs == ("Họ tên người đăng ký: Lê Thị Mai",)  # the daemon's limits are ample


def test_an_image_claiming_too_many_pixels_is_refused_before_decoding():
    # 80 megapixels in a few kilobytes: under Pillow's own bomb limit, over ours.
    buffer = io.BytesIO()
    Image.new("1", (10_000, 8_000), 1).save(buffer, format="PNG")
    with pytest.raises(UnreadableDocument) as refused:
        ocr_image(buffer.getvalue())
    assert refused.value.reason == "too_large" and "10000 x 8000" in refused.value.detail
    # Through the daemon's entry point it stays a scan without text, as before OCR existed.
    assert _read(buffer.getvalue()) == DocumentText(format="png", blocks=(), is_scan=True)


@needs_tesseract
def test_a_huge_jpeg_is_decoded_at_a_reduced_scale():
    buffer = io.BytesIO()
    Image.new("L", (12_000, 6_000), 255).save(buffer, format="JPEG")  # 72 megapixels
    text = ocr_image(buffer.getvalue(), OcrLimits(max_pixels=20_000_000))
    assert text.pages == 1 and text.blocks == ()  # read at 1/2 or 1/4 scale, not refused


def test_files_pillow_cannot_decode_stay_scans():
    heic_like = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    with pytest.raises(UnreadableDocument) as refused:
        ocr_image(heic_like)
    assert refused.value.reason == "unsupported"
    assert _read(heic_like) == DocumentText(format="heic", blocks=(), is_scan=True)


def test_without_tesseract_a_scan_keeps_todays_behaviour(monkeypatch, tmp_path, caplog, printed_form):
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine where tesseract-ocr is not installed
    scan = DocumentText(format="png", blocks=(), is_scan=True)
    with caplog.at_level(logging.WARNING, logger="thidua.parsers"):
        assert recognise_scan(scan, scans.png(printed_form)) == scan
    assert "tesseract" in caplog.text and "not found" in caplog.text


@needs_tesseract
def test_without_the_vietnamese_model_nothing_is_recognised(caplog):
    with caplog.at_level(logging.WARNING, logger="thidua.parsers"):
        assert not tesseract_ready(language="khm-missing")
    assert "no 'khm-missing' model" in caplog.text


@needs_tesseract
def test_an_item_number_read_with_a_comma_keeps_its_label():
    """OCR reads "5." as "5," now and then (here the page itself says so): the label behind it is still found."""
    lines = [line.replace("5. Mục", "5, Mục") for line in scans.registration_lines()]
    assert "5, Mục tiêu giải pháp đổi mới" in lines
    text = _read(scans.png(scans.printed_page(lines)))
    assert "5. Mục tiêu giải pháp đổi mới" in text.paragraphs
    assert understand(text).registrations[0].values["objectives"].startswith("Vận dụng dạy học theo dự án")
