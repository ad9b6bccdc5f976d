"""An office's consolidated list: the column naming each row's unit (school) is read per row."""

from __future__ import annotations

from tests.support.builders import Title, make_docx, sectioned_xlsx
from thidua.parsers.docx import read_docx
from thidua.parsers.forms import understand
from thidua.parsers.xlsx import read_xlsx

SCHOOLS = ("Trường TH An Bình", "Trường TH An Bình", "Trường THCS Phong Điền")


def _rows():
    return [
        {
            "name": name,
            "unit": unit,
            "category": "Giáo viên",
            "position": "Giáo viên",
            "achievements": "2 giải cấp huyện",
            "evidence": [f"GK {name}.pdf"],
        }
        for name, unit in zip(("Lê Văn A", "Lê Văn B", "Trần Thị C"), SCHOOLS)
    ]


def test_a_workbooks_unit_column_gives_each_nominee_its_unit():
    understood = understand(read_xlsx(sectioned_xlsx(_rows(), unit_header="Tên đơn vị")))
    assert understood.kind == "nomination_list"
    assert [(n.unit, n.name, n.evidence) for n in understood.nominees] == [
        ("Trường TH An Bình", "Lê Văn A", ("GK Lê Văn A.pdf",)),
        ("Trường TH An Bình", "Lê Văn B", ("GK Lê Văn B.pdf",)),
        ("Trường THCS Phong Điền", "Trần Thị C", ("GK Trần Thị C.pdf",)),
    ]
    assert understood.nominees[0].labels["unit"] == "Tên đơn vị"


def test_a_word_tables_unit_column_as_thidua_export_names_it():
    rows = [
        [
            "STT",
            "Trường / đơn vị",
            "Họ và tên",
            "Chức vụ",
            "Tóm tắt thành tích nổi bật",
            "Minh chứng, sản phẩm",
        ],
        ["1", "Trường TH An Bình", "Lê Văn A", "Giáo viên", "2 giải cấp huyện", "GK A.pdf"],
        ["1", "Trường THCS Phong Điền", "Trần Thị C", "Tổ trưởng", "3 giải cấp tỉnh", "GK C.pdf"],
    ]
    data = make_docx([Title("DANH SÁCH TẬP THỂ, CÁ NHÂN TIÊU BIỂU ĐỀ NGHỊ KHEN THƯỞNG"), rows])
    understood = understand(read_docx(data))
    assert [(n.unit, n.rank, n.name, n.position) for n in understood.nominees] == [
        ("Trường TH An Bình", 1, "Lê Văn A", "Giáo viên"),
        ("Trường THCS Phong Điền", 1, "Trần Thị C", "Tổ trưởng"),
    ]


def test_a_school_list_has_no_unit():
    rows = [{k: v for k, v in row.items() if k != "unit"} for row in _rows()]
    understood = understand(read_xlsx(sectioned_xlsx(rows)))
    assert [n.unit for n in understood.nominees] == ["", "", ""]
    assert [n.rank for n in understood.nominees] == [1, 2, 3]


def test_a_unit_alone_on_a_row_is_no_nominee():
    rows = [*_rows(), {"rank": "", "unit": "Trường MN Hoa Sen"}]
    understood = understand(read_xlsx(sectioned_xlsx(rows, unit_header="Đơn vị")))
    assert [n.name for n in understood.nominees] == ["Lê Văn A", "Lê Văn B", "Trần Thị C"]
