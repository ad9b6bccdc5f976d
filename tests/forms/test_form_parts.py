"""The small readers: template lines, school header, rank, evidence, categories."""

from __future__ import annotations

import pytest

from tests.support.form_docs import SEED_HINT, nfd
from thidua.parsers.forms.categories import (
    category_of,
    collective_from_name,
    individual_from_position,
    resolve_category,
    section_of,
)
from thidua.parsers.forms.cells import parse_rank, split_evidence, unwrap
from thidua.parsers.forms.header import normalise_school_year, read_header, school_heading, school_year_in
from thidua.parsers.forms.template import is_column_numbers, is_signature_line, is_template_hint, is_total

# --- template ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        SEED_HINT,
        "(quản lý tổ, nhà trường; quản lý giáo dục học sinh; phương pháp giảng dạy…)",
        "(tồn tại)",
        "(Tồn tại)",
        "(Ký, ghi rõ họ tên)",
        nfd(SEED_HINT),
    ],
)
def test_template_hints(line):
    assert is_template_hint(line)


@pytest.mark.parametrize(
    "line", ["(phương pháp dạy học tích cực)", "Tồn tại", "quản lý tổ, nhà trường", "(40% học sinh yếu)"]
)
def test_not_template_hints(line):
    assert not is_template_hint(line)


@pytest.mark.parametrize(
    "line",
    [
        ". . . . . . . . . .  . . , ngày      tháng     năm 20. . . .",
        "Phong Điền, ngày 15 tháng 9 năm 2023",
        "An Bình, ngày 05 tháng 3 năm 2024",
        "Ngày 10 tháng 9 năm 2023",
        "…………, ngày … tháng … năm 20…",
        "Ký, ghi rõ họ tên",
        "(Ký và ghi rõ họ tên)",
        "NGƯỜI ĐĂNG KÝ",
        "Người đăng ký",
        "XÁC NHẬN CỦA HIỆU TRƯỞNG",
        "XÁC NHẬN CỦA NHÀ TRƯỜNG NGƯỜI ĐĂNG KÝ",
        "NGƯỜI LẬP BIỂU HIỆU TRƯỞNG",
        "KT. HIỆU TRƯỞNG",
        nfd("Người đăng ký"),
    ],
)
def test_signature_lines(line):
    assert is_signature_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Từ ngày 01 tháng 10 năm 2023",
        "ngày 15 tháng 3 năm 2024 tổ chức chuyên đề cấp trường",
        "Nguyễn Thị Lan",
        "Giáo viên chủ nhiệm lớp 9A",
        "Phạm vi: toàn trường",
    ],
)
def test_values_are_not_signature_lines(line):
    assert not is_signature_line(line)


def test_column_number_rows():
    assert is_column_numbers(("(1)", "(2)", "(3)", "(4)"))
    assert is_column_numbers(("1", "2", "3", "4", "5"))
    assert is_column_numbers(("(A)", "(B)", "", "(C)"))
    assert not is_column_numbers(("1", "Nguyễn Văn An", "Giáo viên"))
    assert not is_column_numbers(("1", "", ""))


@pytest.mark.parametrize(
    "text, total",
    [
        ("Tổng cộng", True),
        ("Tổng cộng: 5 tập thể, 3 cá nhân", True),
        ("Cộng", True),
        ("Tổng số", True),
        ("Tổng 8", True),
        ("Tổng phụ trách Đội", False),
        ("Tổ Toán", False),
    ],
)
def test_total_rows(text, total):
    assert is_total(text) is total


# --- header -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, year",
    [
        ("Năm học 2023 – 2024", "2023-2024"),
        ("2023-2024", "2023-2024"),
        ("2023 - 2024", "2023-2024"),
        ("2023—2024", "2023-2024"),
        ("năm học 2023/2024", "2023-2024"),
        ("2023-24", "2023-2024"),
        ("Năm học 2017 - 2018", "2017-2018"),
        (nfd("Năm học 2023 – 2024"), "2023-2024"),
        ("20. . . – 20. . .", ""),
        ("Năm học 20.. – 20..", ""),
        ("20…-20…", ""),
        ("Năm học", ""),
        ("", ""),
        ("……………", ""),
    ],
)
def test_school_year_normalised(written, year):
    assert normalise_school_year(written) == year


def test_school_year_in_running_text():
    assert school_year_in("DANH SÁCH TẬP THỂ, CÁ NHÂN TIÊU BIỂU NĂM HỌC 2023 - 2024") == "2023-2024"
    assert school_year_in("giai đoạn 2016 - 2020") == ""


@pytest.mark.parametrize(
    "line, school",
    [
        ("TRƯỜNG TIỂU HỌC PHONG HIỀN", "TRƯỜNG TIỂU HỌC PHONG HIỀN"),
        ("Trường THCS An Bình", "Trường THCS An Bình"),
        ("TRƯỜNG THCS AN BÌNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TRƯỜNG THCS AN BÌNH"),
        (nfd("Trường Mầm non Hoa Sen"), "Trường Mầm non Hoa Sen"),
        ("Trường học kết nối", ""),
        ("TRƯỞNG PHÒNG", ""),
        ("Trưởng ban thi đua", ""),
        ("TRUONG THCS AN BINH", "TRUONG THCS AN BINH"),
        ("Trường hợp đặc biệt", ""),
        ("UBND HUYỆN PHONG ĐIỀN", ""),
        ("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", ""),
    ],
)
def test_school_heading(line, school):
    assert school_heading(line) == school


def test_header_school_on_the_line_after_an_empty_label():
    header = read_header(["Cơ sở giáo dục ……….", "Trường THCS An Bình", "ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ"])
    assert header.school == "Trường THCS An Bình"
    assert header.school_label == "Cơ sở giáo dục"
    assert header.school_found


def test_header_label_left_with_dots_is_found_but_empty():
    header = read_header(
        ["Cơ sở giáo dục ……….", "………………………", "Thời gian thực hiện: Năm học 20. . . – 20. . ."]
    )
    assert (header.school, header.school_found) == ("", True)
    assert (header.school_year, header.school_year_found) == ("", True)
    assert header.school_year_label == "Thời gian thực hiện: Năm học"


def test_header_after_the_bare_label_truong():
    assert read_header(["Trường: THCS An Bình"]).school == "Trường THCS An Bình"
    assert read_header(["Đơn vị: Trường TH Phong Hiền"]).school == "Trường TH Phong Hiền"


def test_header_values_in_the_cell_after_their_labels():
    # a header table "Đơn vị | Tiểu học Phong Hiền", "Năm học | 2023-2024" read cell by cell
    header = read_header(
        ["Đơn vị", "Tiểu học Phong Hiền", "Năm học", "2023-2024", "ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ"]
    )
    assert (header.school, header.school_label, header.school_year, header.school_year_label) == (
        "Tiểu học Phong Hiền",
        "Đơn vị",
        "2023-2024",
        "Năm học",
    )
    # the title beside an empty label is no school
    header = read_header(
        ["Cơ sở giáo dục ……….", "………………", "ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ", "Thời gian thực hiện:", "Giáo viên"]
    )
    assert (header.school, header.school_found, header.school_year, header.school_year_found) == (
        "",
        True,
        "",
        True,
    )


def test_header_without_school():
    header = read_header(["ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ"])
    assert not header.school_found and not header.school_year_found


# --- cells ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, rank",
    [
        ("1", 1),
        ("1.", 1),
        ("01", 1),
        ("1.0", 1),
        ("12", 12),
        (" 3 ", 3),
        ("2)", 2),
        ("", None),
        ("I", None),
        ("a", None),
        ("1a", None),
        ("Tổng", None),
    ],
)
def test_rank(text, rank):
    assert parse_rank(text) == rank


@pytest.mark.parametrize(
    "cell, items",
    [
        ("minh-chung-1.pdf", ("minh-chung-1.pdf",)),
        ("a.pdf\nb.jpg", ("a.pdf", "b.jpg")),
        ("a.pdf; b.jpg;", ("a.pdf", "b.jpg")),
        ("- Giấy khen cấp huyện\n- Ảnh hoạt động", ("Giấy khen cấp huyện", "Ảnh hoạt động")),
        ("+ Giấy khen\n+ Kế hoạch bài dạy.docx", ("Giấy khen", "Kế hoạch bài dạy.docx")),
        ("• giay-khen.pdf • anh-1.jpg", ("giay-khen.pdf", "anh-1.jpg")),
        ("1. giay-khen.pdf\n2. anh-1.jpg", ("giay-khen.pdf", "anh-1.jpg")),
        ("giay-khen.pdf, anh-1.JPG, ke-hoach.docx", ("giay-khen.pdf", "anh-1.JPG", "ke-hoach.docx")),
        ("Giấy khen, ảnh hoạt động", ("Giấy khen, ảnh hoạt động",)),
        ("Giấy khen.pdf, ảnh hoạt động", ("Giấy khen.pdf, ảnh hoạt động",)),
        ("Ảnh hoạt động - tiết dạy mẫu", ("Ảnh hoạt động - tiết dạy mẫu",)),
        ("", ()),
        (nfd("Giấy khen.pdf"), ("Giấy khen.pdf",)),
    ],
)
def test_evidence_split(cell, items):
    assert split_evidence(cell) == items


@pytest.mark.parametrize(
    "cell, items",
    [
        ("giay-khen.p\ndf\nanh-hoat-do\nng.jpg", ("giay-khen.pdf", "anh-hoat-dong.jpg")),
        ("bien-ban.pd\nf", ("bien-ban.pdf",)),
        ("bien-ban.pdf\nanh.jpg", ("bien-ban.pdf", "anh.jpg")),
        ("- Giấy khen cấp\nhuyện\n- Ảnh hoạt\nđộng.jpg", ("Giấy khen cấp huyện", "Ảnh hoạt động.jpg")),
        ("Quyết định số 12;\nẢnh", ("Quyết định số 12", "Ảnh")),
    ],
)
def test_evidence_split_in_pdf_cells(cell, items):
    assert split_evidence(cell, wrapped=True) == items


def test_unwrap_pdf_lines():
    assert unwrap("Giải nhất\ngiáo viên\ndạy giỏi cấp\nhuyện") == "Giải nhất giáo viên dạy giỏi cấp huyện"
    assert unwrap("năm học 2023-2024\nđạt giải") == "năm học 2023-2024 đạt giải"
    assert unwrap("Tăng 15%.\nGiảm 5 em") == "Tăng 15%.\nGiảm 5 em"
    assert unwrap("Bước 1: khảo sát\n2. dạy thử\n- đánh giá") == "Bước 1: khảo sát\n2. dạy thử\n- đánh giá"


# --- categories -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, category",
    [
        ("Tập thể", "collective"),
        ("Tổ", "collective"),
        ("Khối", "collective"),
        ("Trường", "collective"),
        ("Lớp", "collective"),
        ("Liên đội", "collective"),
        ("TẬP THỂ", "collective"),
        ("Cán bộ quản lý", "manager"),
        ("CBQL", "manager"),
        ("Hiệu trưởng", "manager"),
        ("Phó hiệu trưởng", "manager"),
        ("Giáo viên", "teacher"),
        ("GV", "teacher"),
        ("Nhà giáo", "teacher"),
        ("Tổng phụ trách Đội", "teacher"),
        ("Tổ trưởng", "teacher"),
        ("Nhân viên", "staff"),
        ("NV", "staff"),
        ("Người lao động", "staff"),
        ("Kế toán", "staff"),
        ("Văn thư", "staff"),
        ("Học sinh", "student"),
        ("HS", "student"),
        ("hoc sinh", "student"),
        (nfd("Học sinh"), "student"),
        ("Phụ huynh", None),
        ("Cá nhân", None),
        ("", None),
        ("Khác", None),
    ],
)
def test_category_words(text, category):
    assert category_of(text) == category


def test_position_decides_for_individuals_and_names_for_collectives():
    assert individual_from_position("Phó Hiệu trưởng") == "manager"
    assert individual_from_position("Giáo viên, Tổ trưởng chuyên môn") == "teacher"
    assert individual_from_position("Tổ trưởng tổ Toán") == "teacher"
    assert individual_from_position("Nhân viên thư viện") == "staff"
    assert individual_from_position("Quản lý thiết bị") == "staff"
    assert individual_from_position("Học sinh lớp 9A") == "student"
    assert individual_from_position("Trường THCS An Bình") is None  # collective words say nothing of a person
    assert collective_from_name("Tổ Toán – Tin")
    assert collective_from_name("Lớp 9A")
    assert not collective_from_name("Nguyễn Văn Tổ")


def test_sections():
    assert section_of("I. TẬP THỂ").category == "collective"
    assert section_of("II. CÁ NHÂN").category is None and section_of("II. CÁ NHÂN").individual
    assert section_of("A. Cán bộ quản lý").category == "manager"
    assert section_of("Giáo viên").category == "teacher"
    assert section_of("III. HỌC SINH").text == "HỌC SINH"
    assert section_of("Tổ Toán") is None
    assert section_of("Nguyễn Văn An") is None


def test_resolve_category_order():
    teachers = section_of("B. Giáo viên")
    # the Đối tượng cell first
    assert resolve_category("Nhân viên", teachers, "Giáo viên", "Nguyễn") == ("staff", "Nhân viên")
    # an unknown word in the cell: unknown, as written
    assert resolve_category("Phụ huynh", teachers, "Giáo viên", "Nguyễn") == (None, "Phụ huynh")
    # "Cá nhân" says individual, the position says which
    assert resolve_category("Cá nhân", None, "Kế toán", "Nguyễn") == ("staff", "Cá nhân")
    # then the section
    assert resolve_category("", teachers, "Hiệu trưởng", "Nguyễn") == ("teacher", "Giáo viên")
    # then the name or position
    assert resolve_category("", None, "", "Tổ Toán – Tin") == ("collective", "")
    assert resolve_category("", None, "Hiệu trưởng", "Nguyễn Văn An") == ("manager", "")
    assert resolve_category("", None, "", "Nguyễn Văn An") == (None, "")
