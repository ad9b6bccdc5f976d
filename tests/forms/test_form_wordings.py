"""Wordings met in real schools' lists, through the real readers."""

from __future__ import annotations

import pytest

from tests.support.builders import make_docx, make_pdf
from thidua.parsers.docx import read_docx
from thidua.parsers.forms import understand
from thidua.parsers.pdf import read_pdf

SECTIONED = [
    ["TT", "Họ và tên", "Chức vụ, đơn vị công tác", "Thành tích nổi bật", "Minh chứng", "Đề nghị"],
    ["I. TẬP THỂ"] * 6,
    [
        "1",
        "Tổ Ngữ văn",
        "Trường THCS Phong An",
        "3 giải học sinh giỏi huyện",
        "QĐ khen tổ văn.pdf",
        "Giấy khen",
    ],
    ["II. CÁ NHÂN"] * 6,
    ["2", "Nguyễn Văn An", "Phó hiệu trưởng", "Chỉ đạo 4 chuyên đề", "GK Nguyen Van An.jpg", "Bằng khen"],
    ["3", "Trần Thị Bé", "Giáo viên Hóa", "Giải Ba giáo viên dạy giỏi tỉnh", "GCN.pdf; anh.jpg", "Giấy khen"],
]


@pytest.mark.parametrize(
    "read, data",
    [
        (read_docx, make_docx(["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", SECTIONED])),
        (read_pdf, make_pdf(["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"], SECTIONED)),
    ],
    ids=["docx", "pdf"],
)
def test_short_headers_and_section_rows(read, data):
    understood = understand(read(data))
    assert understood.kind == "nomination_list"
    assert [(n.rank, n.name, n.category, n.award) for n in understood.nominees] == [
        (1, "Tổ Ngữ văn", "collective", "Giấy khen"),
        (2, "Nguyễn Văn An", "manager", "Bằng khen"),
        (3, "Trần Thị Bé", "teacher", "Giấy khen"),
    ]
    assert understood.nominees[2].evidence == ("GCN.pdf", "anh.jpg")
