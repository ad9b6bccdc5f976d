"""read_docx(): body paragraphs and tables in order, merges filled, hidden corners read."""

from __future__ import annotations

import io
import unicodedata
import zipfile

import pytest

from tests.support.builders import (
    ENCRYPTED_OFFICE_STREAMS,
    REGISTRATION_EXAMPLE,
    REGISTRATION_HINT,
    ContentControl,
    Merge,
    TextBox,
    Title,
    make_docx,
    make_ole,
    registration_docx,
    rewrite_part,
)
from thidua.parsers.content import DocumentText, Paragraph, Table, UnreadableDocument
from thidua.parsers.docx import read_docx


def test_paragraphs_and_tables_in_document_order():
    data = make_docx(
        [
            Title("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"),
            "Kính gửi: Phòng GD&ĐT",
            "",
            [["STT", "Họ và tên"], ["1", "Nguyễn Văn A"]],
            "Người lập biểu",
        ]
    )
    assert read_docx(data) == DocumentText(
        format="docx",
        blocks=(
            Paragraph("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"),
            Paragraph("Kính gửi: Phòng GD&ĐT"),
            Table(rows=(("STT", "Họ và tên"), ("1", "Nguyễn Văn A"))),
            Paragraph("Người lập biểu"),
        ),
    )


def test_line_breaks_blanks_and_unicode_forms():
    nfd = unicodedata.normalize("NFD", "Họ tên người đăng ký:\u00a0 Nguyễn  Thị Hoa")
    document = read_docx(make_docx([nfd, "Dòng 1\nDòng 2\tcột"]))
    assert document.paragraphs == ("Họ tên người đăng ký: Nguyễn Thị Hoa", "Dòng 1\nDòng 2 cột")
    assert all(unicodedata.is_normalized("NFC", text) for text in document.paragraphs)


def test_horizontal_and_vertical_merges_fill_every_position():
    table = read_docx(
        make_docx(
            [
                [
                    ["STT", "Thông tin", Merge.LEFT, "Ghi chú"],
                    [Merge.UP, "Họ và tên", "Chức vụ", Merge.UP],
                    ["1", "Nguyễn Văn A", "Giáo viên", "Đã có minh chứng"],
                    [Merge.UP, "Lê Thị B", "Nhân viên", Merge.UP],
                ]
            ]
        )
    ).tables[0]
    assert table.rows == (
        ("STT", "Thông tin", "Thông tin", "Ghi chú"),
        ("STT", "Họ và tên", "Chức vụ", "Ghi chú"),
        ("1", "Nguyễn Văn A", "Giáo viên", "Đã có minh chứng"),
        ("1", "Lê Thị B", "Nhân viên", "Đã có minh chứng"),
    )


def test_block_merge():
    table = read_docx(
        make_docx(
            [
                [
                    ["Tổ Toán", Merge.LEFT, "x"],
                    [Merge.UP, Merge.UP, "y"],
                    ["a", "b", "c"],
                ]
            ]
        )
    ).tables[0]
    assert table.rows == (("Tổ Toán", "Tổ Toán", "x"), ("Tổ Toán", "Tổ Toán", "y"), ("a", "b", "c"))


def test_cell_paragraphs_and_nested_tables_become_cell_text():
    table = read_docx(
        make_docx(
            [
                [
                    ["Minh chứng", [["Giấy khen", "gk.pdf"], ["Ảnh", "anh.jpg"]]],
                    ["Ghi chú", "Dòng 1\nDòng 2"],
                ]
            ]
        )
    ).tables[0]
    assert table.rows == (
        ("Minh chứng", "Giấy khen | gk.pdf\nẢnh | anh.jpg"),
        ("Ghi chú", "Dòng 1\nDòng 2"),
    )


def test_text_boxes_are_read_once():
    document = read_docx(make_docx(["Trước", TextBox("Cơ sở giáo dục: Trường TH Số 1\nPhong Điền"), "Sau"]))
    assert document.paragraphs == ("Trước", "Cơ sở giáo dục: Trường TH Số 1", "Phong Điền", "Sau")


def test_content_controls_block_and_inline():
    document = read_docx(
        make_docx(
            [
                ContentControl("Nguyễn Thị Hoa"),
                ContentControl("Giáo viên Toán", label="2. Nhiệm vụ được giao: "),
            ]
        )
    )
    assert document.paragraphs == ("Nguyễn Thị Hoa", "2. Nhiệm vụ được giao: Giáo viên Toán")


def test_registration_form_reads_like_the_seed():
    document = read_docx(registration_docx(**REGISTRATION_EXAMPLE))
    header = document.blocks[0]
    assert header == Table(
        rows=(
            (
                "Cơ sở giáo dục Trường THCS An Bình",
                "ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ\nĐỔI MỚI, SÁNG TẠO TRONG DẠY VÀ HỌC",
            ),
        )
    )
    paragraphs = document.paragraphs
    assert paragraphs[0] == "Thời gian thực hiện: Năm học 2023 – 2024"
    assert paragraphs[1] == "1. Họ tên người đăng ký: Nguyễn Thị Hoa"
    assert paragraphs[4] == REGISTRATION_HINT
    position = paragraphs.index("8. Các bước tiến hành thử nghiệm đổi mới")
    assert paragraphs[position + 1 : position + 5] == tuple(REGISTRATION_EXAMPLE["trial_steps"])


def test_empty_registration_form_keeps_the_template_dots():
    paragraphs = read_docx(registration_docx()).paragraphs
    assert paragraphs[0] == "Thời gian thực hiện: Năm học 20. . . – 20. . ."
    assert paragraphs[1] == "1. Họ tên người đăng ký:………………………..…………………"
    assert "4. Thực trạng vấn đề dự kiến đổi mới: (tồn tại)" in paragraphs


def test_nfd_registration_form_reads_as_nfc():
    nfd = registration_docx(normal_form="NFD", **REGISTRATION_EXAMPLE)
    assert unicodedata.normalize("NFD", "Họ tên").encode() in zipfile.ZipFile(io.BytesIO(nfd)).read(
        "word/document.xml"
    )
    assert read_docx(nfd) == read_docx(registration_docx(**REGISTRATION_EXAMPLE))


def test_macro_enabled_document_is_read_with_a_note():
    docm = rewrite_part(
        make_docx(["Báo cáo"]),
        "[Content_Types].xml",
        lambda xml: xml.replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            b"application/vnd.ms-word.document.macroEnabled.main+xml",
        ),
    )
    document = read_docx(docm)
    assert document.paragraphs == ("Báo cáo",)
    assert document.notes == ("macros",)
    assert document.format == "docx"


def _reason(data: bytes) -> tuple[str, str]:
    with pytest.raises(UnreadableDocument) as caught:
        read_docx(data)
    return caught.value.reason, caught.value.detail


def test_corrupt_and_truncated_files():
    data = make_docx(["Báo cáo"])
    for cut in (len(data) // 2, len(data) - 10, 100, 0):
        assert _reason(data[:cut])[0] == "corrupt"
    assert _reason(b"Ho va ten: Nguyen Van A")[0] == "corrupt"
    no_document = rewrite_part(data, "word/document.xml", lambda xml: xml)
    no_document = zipfile.ZipFile(io.BytesIO(no_document))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in no_document.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info, no_document.read(info))
    assert _reason(buffer.getvalue()) == ("corrupt", "no word/document.xml")
    broken_xml = rewrite_part(data, "word/document.xml", lambda xml: xml[: len(xml) // 2])
    assert _reason(broken_xml)[0] == "corrupt"


def test_xml_entities_are_refused():
    bomb = rewrite_part(
        make_docx(["x"]),
        "word/document.xml",
        lambda xml: xml.replace(
            b"?>", b'?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>', 1
        ),
    )
    assert _reason(bomb) == ("corrupt", "xml entities")
    in_styles = rewrite_part(
        make_docx(["x"]),
        "word/styles.xml",
        lambda xml: xml.replace(b"?>", b'?><!DOCTYPE s [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1),
    )
    assert _reason(in_styles) == ("corrupt", "xml entities")


def test_password_protected_document():
    assert _reason(make_ole(ENCRYPTED_OFFICE_STREAMS))[0] == "encrypted"
