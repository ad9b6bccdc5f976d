"""sniff() judges files by their bytes alone."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest
from PIL import Image

from tests.support.builders import (
    ENCRYPTED_OFFICE_STREAMS,
    encode_cp1258,
    make_docx,
    make_eml,
    make_ole,
    make_pdf,
    make_scan_pdf,
    make_xlsx,
    make_zip,
)
from thidua.parsers.filetypes import TYPES, sniff


def _with_content_type(package: bytes, old: str, new: str) -> bytes:
    """The same Office package with its main part's content type replaced (e.g. made macro-enabled)."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "[Content_Types].xml":
                assert old.encode() in content
                content = content.replace(old.encode(), new.encode())
            target.writestr(info, content)
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format=kind)
    return buffer.getvalue()


DOCX = make_docx(["Báo cáo"])
XLSX = make_xlsx({"Danh sách": [["STT", "Họ và tên"]]})


def test_office_packages_by_their_content_types():
    assert sniff(DOCX) == "docx"
    assert sniff(XLSX) == "xlsx"
    docm = _with_content_type(
        DOCX,
        "wordprocessingml.document.main+xml",
        "../application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    assert sniff(docm) == "docm"
    xlsm = _with_content_type(
        XLSX,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    assert sniff(xlsm) == "xlsm"
    pptx = _zip(
        {
            "[Content_Types].xml": b'<Override ContentType="application/vnd.openxmlformats-officedocument.'
            b'presentationml.presentation.main+xml"/>',
            "ppt/presentation.xml": b"<p/>",
        }
    )
    assert sniff(pptx) == "pptx"


def test_office_parts_without_content_types_still_count():
    assert sniff(_zip({"word/document.xml": b"<w:document/>"})) == "docx"
    assert sniff(_zip({"xl/workbook.xml": b"<workbook/>"})) == "xlsx"


def test_unreadable_office_package_kinds_are_not_archives():
    xlsb = _zip(
        {
            "[Content_Types].xml": b'<Override ContentType="application/vnd.ms-excel.sheet.binary.'
            b'macroEnabled.main"/>',
            "xl/workbook.bin": b"\x00",
        }
    )
    assert sniff(xlsb) == "unknown"


def test_open_document():
    assert (
        sniff(_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})) == "odt"
    )
    assert sniff(_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})) == "ods"


def test_plain_zip_and_truncated_zips():
    archive = make_zip([("Minh chứng.pdf", make_pdf(["x"]))])
    assert sniff(archive) == "zip"
    for cut in (len(DOCX) // 2, len(DOCX) - 30, 10, 4):
        assert sniff(DOCX[:cut]) in ("zip", "unknown")


def test_xlsx_claimed_as_octet_stream_is_still_xlsx():
    # The type never depends on a name or a claimed type: sniff only takes bytes.
    assert sniff(XLSX) == "xlsx"


def test_pdf_even_with_junk_before_the_header():
    assert sniff(make_pdf(["Danh sách"])) == "pdf"
    assert sniff(make_scan_pdf()) == "pdf"
    assert sniff(b"\r\n\x00junk" + make_pdf(["x"])) == "pdf"


def test_ole_containers_by_stream_names():
    assert sniff(make_ole(ENCRYPTED_OFFICE_STREAMS)) == "ole_encrypted"
    assert sniff(make_ole({"WordDocument": b"w", "1Table": b"t"})) == "doc"
    assert sniff(make_ole({"Workbook": b"x"})) == "xls"
    assert sniff(make_ole({"Book": b"x"})) == "xls"
    assert sniff(make_ole({"PowerPoint Document": b"p"})) == "ppt"
    assert sniff(make_ole({"__substg1.0_0037001F": b"s", "__properties_version1.0": b"p"})) == "msg"
    assert sniff(make_ole({"Contents": b"c"})) == "ole"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100) == "ole"


@pytest.mark.parametrize(
    "kind, pil_format",
    [
        ("jpeg", "JPEG"),
        ("png", "PNG"),
        ("gif", "GIF"),
        ("tiff", "TIFF"),
        ("bmp", "BMP"),
        ("webp", "WEBP"),
    ],
)
def test_images(kind, pil_format):
    assert sniff(_image(pil_format)) == kind


def test_other_magic_numbers():
    assert sniff(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic") == "heic"
    assert sniff(b"Rar!\x1a\x07\x01\x00" + b"\x00" * 20) == "rar"
    assert sniff(b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 20) == "7z"
    assert sniff(gzip.compress(b"hello")) == "gzip"
    assert sniff(b"{\\rtf1\\ansi Bao cao}") == "rtf"
    assert sniff(b"\x78\x9f\x3e\x22\x00\x00\x01\x06\x90\x08\x00") == "tnef"


def test_markup_and_mail():
    assert sniff(b"<!DOCTYPE html><html><body>B\xc3\xa1o c\xc3\xa1o</body></html>") == "html"
    assert sniff(b"\n  <html>\n<p>x</p>") == "html"
    mail = make_eml(sender="a@example.vn", to="b@example.vn", subject="Thử", body="Nội dung")
    assert sniff(mail) == "eml"


def test_text_in_the_encodings_schools_use():
    assert sniff("Danh sách đề nghị khen thưởng".encode()) == "text"
    assert sniff("\ufeffBáo cáo".encode("utf-8")) == "text"
    assert sniff("Báo cáo".encode("utf-16")) == "text"
    assert sniff(encode_cp1258("Trường THCS An Bình, Thừa Thiên Huế")) == "text"
    # A .txt renamed .docx: the name plays no part, so it is text.
    assert sniff(b"Ho va ten: Nguyen Van A\r\nChuc vu: Giao vien\r\n") == "text"


def test_unknown_and_never_raises():
    assert sniff(b"") == "unknown"
    assert sniff(bytes(range(256)) * 4) == "unknown"
    assert sniff(b"\x00\x01\x02\x03") == "unknown"
    for data in (DOCX, XLSX, make_pdf(["x"]), make_ole(ENCRYPTED_OFFICE_STREAMS)):
        for cut in range(0, min(len(data), 3000), 97):
            assert sniff(data[:cut]) in TYPES
