"""Registrations (Mẫu gợi ý số 1) in paragraphs, in tables, one or many per file."""

from __future__ import annotations

from tests.support.form_docs import (
    BLANK_SEED_BODY,
    SEED_HINT,
    doc,
    filled_seed_form,
    is_nfc,
    nfd,
    seed_form_header,
    table,
)
from thidua.parsers.content import DocumentText, Paragraph, Table
from thidua.parsers.forms import extract_registrations, understand
from thidua.parsers.forms.model import REGISTRATION_FIELDS

SEED_LABELS = {
    "school": "Cơ sở giáo dục",
    "school_year": "Thời gian thực hiện: Năm học",
    "full_name": "Họ tên người đăng ký",
    "assigned_task": "Nhiệm vụ được giao",
    "innovation_area": "Dự kiến thực hiện đổi mới sáng tạo trong lĩnh vực",
    "current_situation": "Thực trạng vấn đề dự kiến đổi mới: (tồn tại)",
    "objectives": "Mục tiêu giải pháp đổi mới",
    "expected_results": "Dự kiến kết quả sẽ đạt được sau khi thực hiện đổi mới",
    "trial_period": "Thời gian dự kiến thử nghiệm thực hiện đổi mới",
    "trial_steps": "Các bước tiến hành thử nghiệm đổi mới",
    "dissemination_scope": "Phạm vi công bố và nhân rộng kết quả đổi mới",
}

FILLED_VALUES = {
    "school": "Trường THCS An Bình",
    "school_year": "2023-2024",
    "full_name": "Nguyễn Thị Lan",
    "assigned_task": "Giáo viên dạy Toán 8, chủ nhiệm lớp 8A",
    "innovation_area": "Phương pháp giảng dạy môn Toán",
    "current_situation": "- Học sinh lớp 8A còn thụ động, 40% học sinh chưa hứng thú với môn Toán.\n"
    "- Giải pháp cũ: giáo viên giảng, học sinh chép.",
    "objectives": "Ứng dụng phần mềm GeoGebra trong dạy hình học.",
    "expected_results": "Tỷ lệ học sinh khá giỏi tăng 15%.",
    "trial_period": "Từ ngày 01 tháng 10 năm 2023 đến tháng 4/2024",
    "trial_steps": "1. Khảo sát thực trạng\n2. Thực hiện giải pháp\n3. Đánh giá kết quả",
    "dissemination_scope": "Tổ Toán – Tin trường THCS An Bình",
}


def only(document: DocumentText):
    registrations = extract_registrations(document)
    assert len(registrations) == 1, registrations
    return registrations[0]


# --- the seed form ------------------------------------------------------------------


def test_blank_seed_form_has_every_field_empty():
    registration = only(doc(*seed_form_header(), *BLANK_SEED_BODY))
    assert registration.values == {key: "" for key in REGISTRATION_FIELDS}
    assert registration.labels == SEED_LABELS


def test_filled_seed_form():
    registration = only(filled_seed_form())
    assert registration.values == FILLED_VALUES
    assert list(registration.values) == list(REGISTRATION_FIELDS)  # in the form's order
    assert registration.labels["school"] == "Cơ sở giáo dục"
    assert registration.labels["current_situation"] == "Thực trạng vấn đề dự kiến đổi mới: (tồn tại)"


def test_nfd_file_gives_the_same_nfc_values():
    original = filled_seed_form()
    decomposed = DocumentText(
        format="docx",
        blocks=tuple(
            Paragraph(nfd(b.text))
            if isinstance(b, Paragraph)
            else Table(tuple(tuple(nfd(c) for c in r) for r in b.rows))
            for b in original.blocks
        ),
    )
    registration = only(decomposed)
    assert registration.values == FILLED_VALUES
    assert registration.labels == only(original).labels
    for text in [*registration.values.values(), *registration.labels.values()]:
        assert is_nfc(text)


def test_understood_registration_carries_title_school_and_year():
    understood = understand(filled_seed_form(), "anything.docx")
    assert understood.kind == "registration"
    assert understood.title == "ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ ĐỔI MỚI, SÁNG TẠO TRONG DẠY VÀ HỌC"
    assert understood.school == "Trường THCS An Bình"
    assert understood.school_year == "2023-2024"
    assert len(understood.registrations) == 1
    assert understood.nominees == ()


# --- wording, numbering, layout of lines ----------------------------------------------


def test_reworded_unnumbered_labels_with_inline_values():
    registration = only(
        doc(
            "TRƯỜNG TIỂU HỌC PHONG HIỀN",
            "PHIẾU ĐĂNG KÝ ĐỔI MỚI, SÁNG TẠO",
            "Năm học: 2024-2025",
            "Họ và tên: Trần Văn Bình",
            "Chức vụ/nhiệm vụ được giao: Phó hiệu trưởng",
            "Lĩnh vực đổi mới: Quản lý nhà trường",
            "Thực trạng: Hồ sơ còn giấy tờ, tra cứu chậm.",
            "Mục tiêu, giải pháp: Số hóa hồ sơ trên phần mềm.",
            "Kết quả dự kiến: 100% hồ sơ được số hóa.",
            "Thời gian thử nghiệm: Học kỳ I",
            "Các bước thực hiện: Khảo sát; triển khai; đánh giá.",
            "Phạm vi áp dụng: Toàn trường.",
        )
    )
    assert registration.values == {
        "school": "TRƯỜNG TIỂU HỌC PHONG HIỀN",
        "school_year": "2024-2025",
        "full_name": "Trần Văn Bình",
        "assigned_task": "Phó hiệu trưởng",
        "innovation_area": "Quản lý nhà trường",
        "current_situation": "Hồ sơ còn giấy tờ, tra cứu chậm.",
        "objectives": "Số hóa hồ sơ trên phần mềm.",
        "expected_results": "100% hồ sơ được số hóa.",
        "trial_period": "Học kỳ I",
        "trial_steps": "Khảo sát; triển khai; đánh giá.",
        "dissemination_scope": "Toàn trường.",
    }
    assert registration.labels["full_name"] == "Họ và tên"
    assert registration.labels["assigned_task"] == "Chức vụ/nhiệm vụ được giao"
    assert registration.labels["objectives"] == "Mục tiêu, giải pháp"
    assert registration.labels["school_year"] == "Năm học"


def test_labels_without_diacritics_and_in_capitals():
    registration = only(
        doc(
            "1. HO TEN NGUOI DANG KY: Le Thi Hoa",
            "2. NHIEM VU DUOC GIAO: Giao vien",
            "3. LĨNH VỰC ĐỔI MỚI: Bồi dưỡng học sinh giỏi",
        )
    )
    assert registration.values == {
        "full_name": "Le Thi Hoa",
        "assigned_task": "Giao vien",
        "innovation_area": "Bồi dưỡng học sinh giỏi",
    }
    assert registration.labels["full_name"] == "HO TEN NGUOI DANG KY"


def test_letter_and_roman_numbering():
    registration = only(
        doc(
            "a) Họ tên người đăng ký: Phạm Văn Cường",
            "b) Nhiệm vụ được giao: Nhân viên thư viện",
            "c) Thực trạng:",
            "Sách ít được mượn.",
            "II. Mục tiêu giải pháp đổi mới: Thư viện xanh",
            "- Mục tiêu: 100% học sinh đọc sách mỗi tuần",
        )
    )
    assert registration.values == {
        "full_name": "Phạm Văn Cường",
        "assigned_task": "Nhân viên thư viện",
        "current_situation": "Sách ít được mượn.",
        "objectives": "Thư viện xanh\n- Mục tiêu: 100% học sinh đọc sách mỗi tuần",
    }


def test_bullet_labels_with_values_below():
    registration = only(
        doc(
            "- Họ và tên: Mai Thị Quế",
            "- Thực trạng:",
            "Học sinh yếu kỹ năng đọc.",
            "Chỉ 20% đọc lưu loát.",
            "- Giải pháp:",
            "Đọc sách 15 phút đầu giờ.",
        )
    )
    assert registration.values == {
        "full_name": "Mai Thị Quế",
        "current_situation": "Học sinh yếu kỹ năng đọc.\nChỉ 20% đọc lưu loát.",
        "objectives": "Đọc sách 15 phút đầu giờ.",
    }


def test_values_over_several_bullet_paragraphs_until_next_label_or_signature():
    registration = only(
        doc(
            "4. Thực trạng vấn đề dự kiến đổi mới: (tồn tại)",
            "- Học sinh ngại phát biểu;",
            "+ 30% học sinh chưa đạt yêu cầu;",
            "• Phụ huynh ít quan tâm.",
            "5. Mục tiêu giải pháp đổi mới",
            "- Giải pháp 1: Dạy học theo nhóm.",
            "- Thực trạng sau khi áp dụng: cải thiện.",
            "Phong Điền, ngày 12 tháng 9 năm 2023",
            "Người đăng ký",
            "Hồ Văn Dũng",
        )
    )
    assert registration.values == {
        "current_situation": "- Học sinh ngại phát biểu;\n+ 30% học sinh chưa đạt yêu cầu;\n• Phụ huynh ít quan tâm.",
        "objectives": "- Giải pháp 1: Dạy học theo nhóm.\n- Thực trạng sau khi áp dụng: cải thiện.",
    }


def test_sub_steps_numbered_under_a_later_label_stay_in_its_value():
    registration = only(
        doc(
            "7. Thời gian dự kiến thử nghiệm thực hiện đổi mới: Học kỳ II",
            "8. Các bước tiến hành thử nghiệm đổi mới:",
            "1. Họp tổ thống nhất nội dung",
            "2. Mục tiêu: dạy thử 4 tiết",
            "3. Dự kiến kết quả: rút kinh nghiệm",
            "9. Phạm vi công bố và nhân rộng kết quả đổi mới: Cụm trường",
        )
    )
    assert (
        registration.values["trial_steps"]
        == "1. Họp tổ thống nhất nội dung\n2. Mục tiêu: dạy thử 4 tiết\n3. Dự kiến kết quả: rút kinh nghiệm"
    )
    assert registration.values["dissemination_scope"] == "Cụm trường"
    assert "objectives" not in registration.values and "expected_results" not in registration.values


def test_value_on_the_line_after_a_dotted_label():
    registration = only(
        doc("1. Họ tên người đăng ký:…………………", "Nguyễn Văn Em", "2. Nhiệm vụ được giao: …………", "……………………")
    )
    assert registration.values == {"full_name": "Nguyễn Văn Em", "assigned_task": ""}


def test_template_dots_and_hints_are_never_values():
    registration = only(
        doc(
            "3. Dự kiến thực hiện đổi mới sáng tạo trong lĩnh vực: …………………",
            SEED_HINT,
            "……………………………………………",
            ". . . . . . . . . . . . . . .",
            "4. Thực trạng vấn đề dự kiến đổi mới: (tồn tại) ………………",
        )
    )
    assert registration.values == {"innovation_area": "", "current_situation": ""}


def test_thoi_gian_thuc_hien_inside_the_body_is_the_trial_period():
    registration = only(
        doc(
            "Thời gian thực hiện: Năm học 2023-2024",
            "1. Họ và tên: Đỗ Thị Giang",
            "7. Thời gian thực hiện: tháng 10/2023 đến tháng 3/2024",
        )
    )
    assert registration.values["school_year"] == "2023-2024"
    assert registration.values["trial_period"] == "tháng 10/2023 đến tháng 3/2024"
    assert registration.labels["trial_period"] == "Thời gian thực hiện"


def test_label_words_starting_a_sentence_do_not_start_a_form():
    assert (
        extract_registrations(
            doc(
                "3.2. Tiêu chí đánh giá đối với cá nhân",
                "Giải pháp đổi mới trong công tác quản lý đơn vị (bộ môn, tổ, trường…) được tập thể ghi nhận",
                "Thực trạng cơ sở vật chất còn thiếu thốn nhiều mặt",
            )
        )
        == ()
    )
    # after a registration title the same wording is a label with its value
    (registration,) = extract_registrations(
        doc("ĐĂNG KÝ ĐỔI MỚI, SÁNG TẠO", "Họ tên người đăng ký Nguyễn Văn An")
    )
    assert registration.values == {"full_name": "Nguyễn Văn An"}


def test_no_label_no_registration():
    assert extract_registrations(doc("Kính gửi: Phòng GD&ĐT", "Trường xin gửi danh sách.")) == ()
    assert extract_registrations(doc()) == ()


# --- tables -------------------------------------------------------------------------


def test_form_as_two_column_table():
    registration = only(
        doc(
            table(
                (
                    "Cơ sở giáo dục: Trường THCS Lộc An",
                    "ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ ĐỔI MỚI, SÁNG TẠO TRONG DẠY VÀ HỌC",
                )
            ),
            "Thời gian thực hiện: Năm học 2023 – 2024",
            table(
                ("Nội dung", "Đăng ký"),
                ("1. Họ tên người đăng ký", "Võ Thị Hạnh"),
                ("2. Nhiệm vụ được giao", "Giáo viên Ngữ văn"),
                ("3. Lĩnh vực đổi mới", "Phương pháp giảng dạy"),
                ("4. Thực trạng (tồn tại)", "- Học sinh ngại đọc\n- Ít sách tham khảo"),
                ("5. Mục tiêu giải pháp đổi mới", "……………"),
                ("6. Dự kiến kết quả", ""),
            ),
        )
    )
    assert registration.values == {
        "school": "Trường THCS Lộc An",
        "school_year": "2023-2024",
        "full_name": "Võ Thị Hạnh",
        "assigned_task": "Giáo viên Ngữ văn",
        "innovation_area": "Phương pháp giảng dạy",
        "current_situation": "- Học sinh ngại đọc\n- Ít sách tham khảo",
        "objectives": "",
        "expected_results": "",
    }
    assert registration.labels["current_situation"] == "Thực trạng (tồn tại)"


def test_form_table_with_school_and_year_rows_above_the_body():
    registration = only(
        doc(
            "PHIẾU ĐĂNG KÝ THỰC HIỆN ĐỔI MỚI SÁNG TẠO",
            table(
                ("Đơn vị", "Tiểu học Phong Hiền"),
                ("Năm học", "2024 - 2025"),
                ("Họ và tên", "Đào Thị Lụa"),
                ("Nhiệm vụ", "Giáo viên lớp 2"),
            ),
        )
    )
    assert registration.values == {
        "school": "Tiểu học Phong Hiền",
        "school_year": "2024-2025",
        "full_name": "Đào Thị Lụa",
        "assigned_task": "Giáo viên lớp 2",
    }
    assert registration.labels["school"] == "Đơn vị" and registration.labels["school_year"] == "Năm học"


def test_form_table_with_number_column_and_value_in_the_next_row():
    registration = only(
        doc(
            table(
                ("1", "Họ tên người đăng ký", "Lý Văn Khoa"),
                ("2", "Nhiệm vụ được giao", "Kế toán"),
                ("3", "Mục tiêu giải pháp đổi mới", "Mục tiêu giải pháp đổi mới"),  # merged across
                ("", "Dùng phần mềm quản lý tài sản.", "Dùng phần mềm quản lý tài sản."),
                ("", "Lập sổ theo dõi điện tử.", "Lập sổ theo dõi điện tử."),
                ("4", "Phạm vi công bố và nhân rộng kết quả đổi mới", "Toàn huyện"),
            )
        )
    )
    assert registration.values == {
        "full_name": "Lý Văn Khoa",
        "assigned_task": "Kế toán",
        "objectives": "Dùng phần mềm quản lý tài sản.\nLập sổ theo dõi điện tử.",
        "dissemination_scope": "Toàn huyện",
    }


def test_one_table_with_a_row_per_person():
    registrations = extract_registrations(
        doc(
            table(
                ("TRƯỜNG TIỂU HỌC HƯƠNG SƠN", "", "", "", "", ""),
                ("DANH SÁCH ĐĂNG KÝ THỰC HIỆN ĐỔI MỚI SÁNG TẠO NĂM HỌC 2023-2024",) * 6,
                (
                    "STT",
                    "Họ và tên",
                    "Nhiệm vụ được giao",
                    "Lĩnh vực đổi mới",
                    "Thực trạng",
                    "Mục tiêu giải pháp đổi mới",
                ),
                ("(1)", "(2)", "(3)", "(4)", "(5)", "(6)"),
                ("1", "Ngô Thị Mai", "GV lớp 1A", "Dạy đọc", "Học sinh đọc chậm", "Trò chơi đọc"),
                ("2", nfd("Đinh Văn Nam"), "GV Tiếng Anh", "Giao tiếp", "Ngại nói", "Câu lạc bộ tiếng Anh"),
                ("", "", "", "", "", ""),
                ("3", "Phan Thị Oanh", "Nhân viên y tế", "Y tế học đường", "……", ""),
                ("4", "", "", "", "", ""),
            ),
            "Hương Sơn, ngày 20 tháng 9 năm 2023",
        )
    )
    assert [r.values["full_name"] for r in registrations] == ["Ngô Thị Mai", "Đinh Văn Nam", "Phan Thị Oanh"]
    first = registrations[0]
    assert first.values == {
        "school": "TRƯỜNG TIỂU HỌC HƯƠNG SƠN",
        "school_year": "2023-2024",
        "full_name": "Ngô Thị Mai",
        "assigned_task": "GV lớp 1A",
        "innovation_area": "Dạy đọc",
        "current_situation": "Học sinh đọc chậm",
        "objectives": "Trò chơi đọc",
    }
    assert first.labels["full_name"] == "Họ và tên"
    assert first.labels["objectives"] == "Mục tiêu giải pháp đổi mới"
    assert registrations[2].values["current_situation"] == ""
    assert registrations[2].values["objectives"] == ""
    assert is_nfc(registrations[1].values["full_name"])


def test_a_registration_table_without_title_is_a_registration():
    understood = understand(
        doc(
            table(
                ("STT", "Họ và tên", "Lĩnh vực đổi mới", "Giải pháp", "Kết quả dự kiến"),
                ("1", "Lê Văn Sơn", "Dạy học STEM", "Dự án STEM lớp 8", "3 sản phẩm"),
                ("2", "Vũ Thị Tâm", "Chủ nhiệm", "Sổ liên lạc điện tử", "100% phụ huynh"),
            )
        )
    )
    assert understood.kind == "registration"
    assert [r.values for r in understood.registrations] == [
        {
            "full_name": "Lê Văn Sơn",
            "innovation_area": "Dạy học STEM",
            "objectives": "Dự án STEM lớp 8",
            "expected_results": "3 sản phẩm",
        },
        {
            "full_name": "Vũ Thị Tâm",
            "innovation_area": "Chủ nhiệm",
            "objectives": "Sổ liên lạc điện tử",
            "expected_results": "100% phụ huynh",
        },
    ]


def test_several_forms_one_after_another():
    registrations = extract_registrations(
        doc(
            *seed_form_header("Trường THCS An Bình", "2023-2024"),
            "1. Họ tên người đăng ký: Người Một",
            "2. Nhiệm vụ được giao: Giáo viên",
            "An Bình, ngày 1 tháng 9 năm 2023",
            "Người đăng ký",
            "Người Một",
            "ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ",
            "1. Họ tên người đăng ký: Người Hai",
            "2. Nhiệm vụ được giao: Nhân viên",
            "1. Họ tên người đăng ký: Người Ba",
        )
    )
    assert [(r.values["full_name"], r.values.get("assigned_task")) for r in registrations] == [
        ("Người Một", "Giáo viên"),
        ("Người Hai", "Nhân viên"),
        ("Người Ba", None),
    ]
    assert all(r.values["school"] == "Trường THCS An Bình" for r in registrations)


def test_school_from_heading_beside_the_motto_in_a_layout_table():
    registration = only(
        doc(
            table(
                (
                    "PHÒNG GD&ĐT PHONG ĐIỀN\nTRƯỜNG TIỂU HỌC PHONG HIỀN",
                    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc",
                ),
            ),
            "ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ ĐỔI MỚI, SÁNG TẠO",
            "Năm học 2023 - 2024",
            "1. Họ tên người đăng ký: Hà Văn Phúc",
        )
    )
    assert registration.values["school"] == "TRƯỜNG TIỂU HỌC PHONG HIỀN"
    assert registration.labels["school"] == "Cơ sở giáo dục"  # no label written: the form's own
    assert registration.values["school_year"] == "2023-2024"


def test_missing_header_fields_are_absent_not_empty():
    registration = only(doc("1. Họ tên người đăng ký: Nguyễn Văn Quang"))
    assert "school" not in registration.values and "school_year" not in registration.values


def test_pdf_lines_of_one_value_are_joined_back():
    registration = only(
        doc(
            "3. Dự kiến thực hiện đổi mới sáng tạo trong lĩnh vực: Phương pháp giảng dạy môn",
            "Tiếng Việt lớp 3 theo hướng phát triển năng lực",
            "4. Thực trạng vấn đề dự kiến đổi mới: (tồn tại)",
            "- 30% học sinh đọc chậm,",
            "chưa hiểu bài.",
            "- Thư viện ít sách.",
            format="pdf",
        )
    )
    assert registration.values == {
        "innovation_area": "Phương pháp giảng dạy môn Tiếng Việt lớp 3 theo hướng phát triển năng lực",
        "current_situation": "- 30% học sinh đọc chậm, chưa hiểu bài.\n- Thư viện ít sách.",
    }
