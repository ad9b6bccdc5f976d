"""read_document(): the reader is chosen by the detected type, never by the name."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from tests.support.builders import (
    ENCRYPTED_OFFICE_STREAMS,
    encode_cp1258,
    make_docx,
    make_ole,
    make_pdf,
    make_scan_pdf,
    make_xlsx,
    make_zip,
)
from thidua.parsers.content import DocumentText, Paragraph, Table, UnreadableDocument
from thidua.parsers.documents import READABLE_FORMATS, read_document
from thidua.parsers.filetypes import sniff
from thidua.parsers.mail import FileItem


def _item(data: bytes, name: str = "tep") -> FileItem:
    return FileItem(name=name, data=data, detected=sniff(data), size=len(data))


def test_readable_formats():
    # .doc, .odt and .rtf need LibreOffice, which the tests install (see test_parsers_legacy.py).
    assert READABLE_FORMATS == ("docx", "doc", "xlsx", "xls", "pdf", "odt", "ods", "rtf")


def test_word_and_excel():
    assert read_document(_item(make_docx(["Báo cáo"]), "bao-cao.pdf")).paragraphs == ("Báo cáo",)
    document = read_document(_item(make_xlsx({"Danh sách": [["STT", "Họ và tên"]]}), "ds.docx"))
    assert document.tables == (Table(rows=(("STT", "Họ và tên"),), sheet="Danh sách"),)


def test_pdf_tables_only_when_the_text_suggests_a_list():
    table = [["STT", "Họ và tên"], ["1", "Nguyễn Văn A"]]
    listed = read_document(_item(make_pdf(["DANH SÁCH ĐỀ NGHỊ"], table)))
    assert listed.tables == (Table(rows=(("STT", "Họ và tên"), ("1", "Nguyễn Văn A"))),)
    spelled_without_marks = read_document(_item(make_pdf(["Ho ten: Nguyen Van A"], [["a", "b"], ["c", "d"]])))
    assert len(spelled_without_marks.tables) == 1
    report = read_document(
        _item(make_pdf(["BÁO CÁO KẾT QUẢ"], [["Nội dung", "Kết quả"], ["Dạy học", "Tốt"]]))
    )
    assert report.tables == ()
    assert "Dạy học Tốt" in report.paragraphs
    # "stt" only counts as a word: "sttx" is no list heading.
    assert read_document(_item(make_pdf(["Mã sttx"], [["a", "b"], ["c", "d"]]))).tables == ()


def test_images_are_scans():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="JPEG")
    assert read_document(_item(buffer.getvalue(), "giay-khen.pdf")) == DocumentText(
        format="jpeg", blocks=(), is_scan=True
    )
    assert read_document(_item(make_scan_pdf())).is_scan


def test_text_files_in_utf8_and_windows_1258():
    expected = (Paragraph("Họ và tên: Nguyễn Văn A"), Paragraph("Chức vụ: Giáo viên"))
    utf8 = "Họ và tên: Nguyễn Văn A\r\n\r\nChức vụ: Giáo viên\r\n".encode()
    assert read_document(_item(utf8, "bao-cao.docx")) == DocumentText(format="text", blocks=expected)
    legacy = encode_cp1258("Họ và tên: Nguyễn Văn A\r\nChức vụ: Giáo viên")
    assert read_document(_item(legacy)).blocks == expected


@pytest.mark.parametrize(
    "data, reason, detail",
    [
        (make_ole(ENCRYPTED_OFFICE_STREAMS), "encrypted", "password-protected"),
        (make_zip([("a.pdf", b"%PDF-1.4")]), "unsupported", "zip"),
        (b"\x00\x01\x02garbage", "unsupported", "unknown"),
    ],
)
def test_refusals(data, reason, detail):
    with pytest.raises(UnreadableDocument) as caught:
        read_document(_item(data))
    assert (caught.value.reason, caught.value.detail) == (reason, detail)


def test_reader_failures_are_unreadable_documents():
    truncated = make_docx(["x"])
    item = FileItem(name="x.docx", data=truncated[:200], detected="docx", size=200)
    with pytest.raises(UnreadableDocument) as caught:
        read_document(item)
    assert caught.value.reason == "corrupt"


def _mutations(data: bytes, count: int, seed: int):
    rng = random.Random(seed)
    for _ in range(count):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 12)):
            position = rng.randrange(len(mutated))
            if rng.random() < 0.7:
                mutated[position] = rng.randrange(256)
            else:
                del mutated[position : position + rng.randint(1, 40)]
        yield bytes(mutated)


@pytest.mark.parametrize(
    "original",
    [
        make_docx(["Họ và tên", [["STT", "Tên"], ["1", "A"]]]),
        make_xlsx({"Danh sách": [["STT", "Họ và tên"], [1, "Nguyễn Văn A"]]}, {"Danh sách": ["A1:A2"]}),
        make_pdf(["STT Họ và tên"], [["STT", "Họ và tên"], ["1", "Nguyễn Văn A"]]),
    ],
    ids=["docx", "xlsx", "pdf"],
)
def test_damaged_files_only_ever_raise_unreadable_document(original):
    for data in _mutations(original, 25, seed=len(original)):
        try:
            result = read_document(_item(data))
        except UnreadableDocument as error:
            assert error.reason in UnreadableDocument.REASONS
        else:
            assert isinstance(result, DocumentText)
