"""The people a results report names, in its text or in a table's name column."""

from __future__ import annotations

import pytest

from tests.support.builders import make_docx, make_xlsx
from thidua.parsers.docx import read_docx
from thidua.parsers.forms import understand
from thidua.parsers.forms.people import names_in_text
from thidua.parsers.xlsx import read_xlsx

TITLE = "BÁO CÁO KẾT QUẢ THỰC HIỆN PHONG TRÀO THI ĐUA “ĐỔI MỚI, SÁNG TẠO TRONG DẠY VÀ HỌC” NĂM HỌC 2017-2018"


def test_a_report_in_prose_names_its_teachers():
    data = make_docx(
        [
            "TRƯỜNG TIỂU HỌC PHONG HÒA",
            TITLE,
            "1. Công tác triển khai: học tập tư tưởng, đạo đức, phong cách Hồ Chí Minh; 100% giáo viên đăng ký.",
            "2. Kết quả: thầy Trần Văn Bình (lớp 5A) áp dụng sáng kiến dạy học STEM, được công nhận cấp huyện; "
            "cô PHẠM THỊ LAN và cô Nguyễn Thị Hoa-Tổ 1 hoàn thành đề tài.",
            "Trường TH Nguyễn Du và Trường TH Phong Hòa phối hợp tổ chức chuyên đề tại Hà Nội.",
            "Trần Văn Bình đạt giải Nhì.",
        ]
    )
    understood = understand(read_docx(data))
    assert understood.kind == "report"
    assert understood.people == ("Trần Văn Bình", "PHẠM THỊ LAN", "Nguyễn Thị Hoa")


def test_a_reports_table_gives_its_name_column():
    data = make_docx(
        [
            "TRƯỜNG THCS AN BÌNH",
            TITLE,
            [
                ["STT", "Họ và tên", "Tên sáng kiến, đổi mới", "Kết quả"],
                ["(1)", "(2)", "(3)", "(4)"],
                ["1", "Lê Thị Bích", "Dạy học theo dự án môn Ngữ văn", "Cấp huyện"],
                ["2", "dương văn tùng", "Ứng dụng phần mềm GeoGebra", "Cấp trường"],
            ],
            "Nhà trường đề nghị khen thưởng đồng chí Lê Thị Bích.",
        ]
    )
    assert understand(read_docx(data)).people == ("Lê Thị Bích", "dương văn tùng")


def test_a_workbook_report_with_a_name_column():
    data = make_xlsx(
        {
            "Báo cáo": [
                ["TRƯỜNG MẦM NON HOA SEN"],
                [TITLE],
                [],
                ["STT", "Họ tên người thực hiện", "Nội dung đổi mới", "Kết quả đạt được"],
                [1, "Phạm Thị Lan", "Làm đồ dùng dạy học từ vật liệu tái chế", "Cấp trường"],
            ]
        }
    )
    understood = understand(read_xlsx(data))
    assert understood.kind == "report"
    assert understood.people == ("Phạm Thị Lan",)


def test_a_report_naming_nobody():
    data = make_docx(["TRƯỜNG TIỂU HỌC PHONG HÒA", TITLE, "Kết quả: 6 sáng kiến cấp trường, 2 cấp huyện."])
    assert understand(read_docx(data)).people == ()


def test_other_documents_name_no_people():
    data = make_docx(["SÁNG KIẾN KINH NGHIỆM", "Đổi mới phương pháp dạy đọc hiểu", "Tác giả: Võ Thị Mai"])
    assert understand(read_docx(data)).people == ()


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("đ/c Lê Văn Nam, Phạm Thị Lan.", ["Lê Văn Nam", "Phạm Thị Lan"]),
        ("Nguyễn Văn A và Tô Thị Bé", ["Nguyễn Văn A", "Tô Thị Bé"]),
        ("Tổ Toán và Tổ Văn", []),  # a department, though "Tô" is a family name
        ("đường Trần Phú, xã Phong Hòa, Trường THCS Lê Lợi", []),
        ("Lê, Trần và Nguyễn", []),  # family names alone
        ("“Nguyễn Thị Hạnh” đạt giải", ["Nguyễn Thị Hạnh"]),
    ],
)
def test_names_in_text(text, names):
    assert list(names_in_text(text)) == names
