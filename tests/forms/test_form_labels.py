"""Label matching: wording, case, diacritics, Unicode form, numbering, inline values."""

from __future__ import annotations

import pytest

from tests.support.form_docs import is_nfc, nfd
from thidua.parsers.forms.labels import split_numbering, value_text
from thidua.parsers.forms.roles import NOMINEE_MATCHER, REGISTRATION_MATCHER


def match(text):
    return REGISTRATION_MATCHER.match(text)


@pytest.mark.parametrize(
    "label, key",
    [
        ("Họ tên người đăng ký", "full_name"),
        ("Họ và tên", "full_name"),
        ("Người đăng ký", "full_name"),
        ("Họ và tên người đăng ký", "full_name"),
        ("Họ và tên của người đăng ký", "full_name"),
        ("Nhiệm vụ được giao", "assigned_task"),
        ("Nhiệm vụ", "assigned_task"),
        ("Chức vụ/nhiệm vụ được giao", "assigned_task"),
        ("Dự kiến thực hiện đổi mới sáng tạo trong lĩnh vực", "innovation_area"),
        ("Lĩnh vực đổi mới", "innovation_area"),
        ("Lĩnh vực dự kiến đổi mới sáng tạo", "innovation_area"),
        ("Lĩnh vực dự kiến thực hiện đổi mới, sáng tạo", "innovation_area"),
        ("Thực trạng vấn đề dự kiến đổi mới (tồn tại)", "current_situation"),
        ("Thực trạng", "current_situation"),
        ("Tồn tại", "current_situation"),
        ("Mục tiêu giải pháp đổi mới", "objectives"),
        ("Mục tiêu và giải pháp đổi mới sáng tạo", "objectives"),
        ("Dự kiến kết quả sẽ đạt được sau khi thực hiện đổi mới", "expected_results"),
        ("Kết quả dự kiến đạt được", "expected_results"),
        ("Thời gian dự kiến thử nghiệm thực hiện đổi mới", "trial_period"),
        ("Thời gian thử nghiệm", "trial_period"),
        ("Các bước tiến hành thử nghiệm đổi mới", "trial_steps"),
        ("Các bước thực hiện", "trial_steps"),
        ("Phạm vi công bố và nhân rộng kết quả đổi mới", "dissemination_scope"),
        ("Phạm vi áp dụng", "dissemination_scope"),
        ("Cơ sở giáo dục", "school"),
        ("Trường", "school"),
        ("Đơn vị", "school"),
        ("Thời gian thực hiện: Năm học", "school_year"),
        ("Năm học", "school_year"),
    ],
)
def test_every_wording_finds_its_field(label, key):
    found = match(label)
    assert found is not None, label
    assert found.key == key
    assert found.label == label
    assert found.value == ""


@pytest.mark.parametrize(
    "written",
    [
        "HỌ TÊN NGƯỜI ĐĂNG KÝ",
        "ho ten nguoi dang ky",
        "Ho Ten Nguoi Dang Ky",
        nfd("Họ tên người đăng ký"),
        "1. Họ tên người đăng ký:",
        "1) Họ tên người đăng ký",
        "1/ Họ tên người đăng ký",
        "1.Họ tên người đăng ký",
        "a) Họ tên người đăng ký",
        "I. Họ tên người đăng ký",
        "II - Họ tên người đăng ký",
        "- Họ tên người đăng ký :",
        "+ Họ tên người đăng ký",
        "• Họ tên người đăng ký…",
        "Họ tên người đăng ký .........",
        "Họ, tên người đăng ký",
    ],
)
def test_case_diacritics_normal_form_numbering_and_punctuation_do_not_matter(written):
    found = match(written)
    assert found is not None and found.key == "full_name"
    assert found.value in ("", ":") or value_text(found.value) == ""


def test_label_is_returned_nfc_without_numbering_and_colon():
    found = match(nfd("3. Dự kiến thực hiện đổi mới sáng tạo trong lĩnh vực: ………"))
    assert found.label == "Dự kiến thực hiện đổi mới sáng tạo trong lĩnh vực"
    assert is_nfc(found.label)
    assert found.numbering.style == "number" and found.numbering.number == 3


def test_a_label_that_goes_on_after_its_colon_keeps_its_words():
    found = match("Thời gian thực hiện: Năm học 2023 – 2024")
    assert (found.key, found.label, found.value) == (
        "school_year",
        "Thời gian thực hiện: Năm học",
        "2023 – 2024",
    )


def test_template_hint_after_the_colon_belongs_to_the_label():
    found = match("4. Thực trạng vấn đề dự kiến đổi mới: (tồn tại)")
    assert found.key == "current_situation"
    assert found.label == "Thực trạng vấn đề dự kiến đổi mới: (tồn tại)"
    assert found.value == ""
    found = match("4. Thực trạng vấn đề dự kiến đổi mới: (tồn tại) Học sinh còn thụ động")
    assert found.value == "Học sinh còn thụ động"


@pytest.mark.parametrize(
    "line, key, value",
    [
        ("1. Họ tên người đăng ký: Nguyễn Văn An", "full_name", "Nguyễn Văn An"),
        ("1. Họ tên người đăng ký:………Nguyễn Văn An………", "full_name", "Nguyễn Văn An"),
        ("Họ tên người đăng ký……………Nguyễn Văn An", "full_name", "Nguyễn Văn An"),
        ("Họ tên người đăng ký . . . . . Nguyễn Văn An . . . .", "full_name", "Nguyễn Văn An"),
        ("Họ và tên: ……Trần Thị Bích", "full_name", "Trần Thị Bích"),
        ("Họ tên người đăng ký Nguyễn Văn An", "full_name", "Nguyễn Văn An"),
        ("Họ và tên Lê Văn Cường", "full_name", "Lê Văn Cường"),
        ("2. Nhiệm vụ được giao: Giáo viên chủ nhiệm lớp 9A", "assigned_task", "Giáo viên chủ nhiệm lớp 9A"),
        ("Nhiệm vụ: Tổng phụ trách Đội", "assigned_task", "Tổng phụ trách Đội"),
        ("Thời gian thực hiện: Năm học 2023 – 2024", "school_year", "2023 – 2024"),
        ("Thời gian thực hiện: 2023 – 2024", "school_year", "2023 – 2024"),
        ("Cơ sở giáo dục: Trường THCS An Bình", "school", "Trường THCS An Bình"),
        (
            "Lĩnh vực: Phương pháp giảng dạy: dạy học dự án",
            "innovation_area",
            "Phương pháp giảng dạy: dạy học dự án",
        ),
    ],
)
def test_value_inline_after_the_label(line, key, value):
    found = match(line)
    assert found is not None
    assert found.key == key
    assert value_text(found.value) == value


def test_the_short_alias_truong_never_claims_a_longer_line():
    assert match("Trường hợp học sinh yếu kém cần phụ đạo thêm") is None
    assert match("Trường học kết nối") is None
    assert match("TRƯỜNG THCS AN BÌNH") is None
    assert match("Trường: THCS An Bình").key == "school"


def test_the_most_specific_alias_wins():
    # "Thời gian thực hiện" heads the form (school year); with "thử nghiệm" it is the trial period
    assert match("Thời gian thực hiện").key == "school_year"
    assert match("Thời gian thực hiện thử nghiệm").key == "trial_period"
    assert match("Thời gian dự kiến").key == "trial_period"
    # "Mục tiêu" alone, and the full label, both objectives; "Kết quả dự kiến" is not objectives
    assert match("Kết quả dự kiến").key == "expected_results"


def test_value_lines_are_not_labels():
    for line in [
        "Học sinh lớp 8A còn thụ động, 40% học sinh chưa hứng thú với môn Toán.",
        "Ứng dụng phần mềm GeoGebra trong dạy hình học.",
        "Khảo sát thực trạng",
        "Đánh giá kết quả",
        "Thời gian: từ tháng 10",
        "Phong Điền, ngày 15 tháng 9 năm 2023",
        "Ký, ghi rõ họ tên",
        "……………………………",
        "",
    ]:
        assert match(line) is None, line


def test_dots_only_values_are_empty():
    assert value_text("…………………") == ""
    assert value_text(". . . . . . .") == ""
    assert value_text("____________") == ""
    assert value_text(":") == ""
    assert value_text(None) == ""
    assert value_text("……Nguyễn Văn An……") == "Nguyễn Văn An"
    assert value_text("- Ý 1\n……………\n- Ý 2") == "- Ý 1\n- Ý 2"
    assert value_text("Nâng cao chất lượng.") == "Nâng cao chất lượng."
    assert value_text(nfd("Nguyễn Thị Lan")) == "Nguyễn Thị Lan"
    assert is_nfc(value_text(nfd("Nguyễn Thị Lan")))


@pytest.mark.parametrize(
    "text, style, number, rest",
    [
        ("1. Họ tên", "number", 1, "Họ tên"),
        ("10) Họ tên", "number", 10, "Họ tên"),
        ("3.1. Họ tên", "number", 3, "Họ tên"),
        ("II. TẬP THỂ", "roman", None, "TẬP THỂ"),
        ("b) Họ tên", "letter", None, "Họ tên"),
        ("đ) Họ tên", "letter", None, "Họ tên"),
        ("- Họ tên", "bullet", None, "Họ tên"),
        ("+Họ tên", "bullet", None, "Họ tên"),
        ("Họ tên", "", None, "Họ tên"),
        ("2023 - 2024", "", None, "2023 - 2024"),
        ("15", "", None, "15"),
    ],
)
def test_split_numbering(text, style, number, rest):
    numbering, body = split_numbering(text)
    assert (numbering.style, numbering.number, body) == (style, number, rest)


@pytest.mark.parametrize(
    "header, key",
    [
        ("STT", "rank"),
        ("Số TT", "rank"),
        ("TT", "rank"),
        ("Thứ tự ưu tiên", "rank"),
        ("STT (theo thứ tự ưu tiên)", "rank"),
        ("Họ và tên", "name"),
        ("Họ tên", "name"),
        ("Tên tập thể", "name"),
        ("Tập thể/cá nhân", "name"),
        ("Họ và tên (tập thể, cá nhân)", "name"),
        ("Đối tượng", "category"),
        ("Đối tượng khen", "category"),
        ("Chức vụ", "position"),
        ("Chức vụ/nhiệm vụ", "position"),
        ("Nhiệm vụ được giao", "position"),
        ("Chức vụ, đơn vị công tác", "position"),
        ("Tóm tắt thành tích nổi bật", "achievements"),
        ("Thành tích", "achievements"),
        ("Tóm tắt thành tích", "achievements"),
        ("Tóm tắt thành tích nổi bật (lượng hóa cụ thể)", "achievements"),
        ("Minh chứng, sản phẩm", "evidence"),
        ("Minh chứng", "evidence"),
        ("Sản phẩm", "evidence"),
        ("Minh chứng kèm theo", "evidence"),
        ("Hồ sơ minh chứng", "evidence"),
        ("Hình thức đề nghị khen thưởng", "award"),
        ("Hình thức khen thưởng", "award"),
        ("Đề nghị khen thưởng", "award"),
        ("Hình thức đề nghị", "award"),
        ("HÌNH THỨC ĐỀ NGHỊ KHEN THƯỞNG", "award"),
        (nfd("Tóm tắt thành tích nổi bật"), "achievements"),
        ("Hinh thuc de nghi khen thuong", "award"),
        # pdf tables break header cells over lines, sometimes inside a word
        ("Họ và\ntên", "name"),
        ("Tóm tắt thành\ntích nổi bật", "achievements"),
        ("Hình thức đề nghị khen thư\nởng", "award"),
        # a consolidated list's unit column, as `thidua export` writes it and as offices name it
        ("Trường / đơn vị", "unit"),
        ("Đơn vị", "unit"),
        ("Tên đơn vị", "unit"),
        ("Tên đơn vị, cá nhân", "name"),
        ("Chức vụ, đơn vị công tác", "position"),
    ],
)
def test_nominee_column_headers(header, key):
    found = NOMINEE_MATCHER.match_cell(header)
    assert found is not None and found.key == key


@pytest.mark.parametrize(
    "header",
    [
        "Ghi chú",
        "Năm sinh",
        "Đơn vị gửi danh sách",
        "Ngày tháng năm sinh",
        "",
        "DANH SÁCH TẬP THỂ, CÁ NHÂN TIÊU BIỂU, XUẤT SẮC NĂM HỌC 2023-2024",
    ],
)
def test_other_columns_are_not_nominee_fields(header):
    assert NOMINEE_MATCHER.match_cell(header) is None
