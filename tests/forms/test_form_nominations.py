"""Nomination lists ("mẫu 2"): headers wherever they are, sections, ranks, categories, evidence."""

from __future__ import annotations

from tests.support.form_docs import doc, is_nfc, nfd, table
from thidua.parsers.forms import extract_nominees, understand

HEADER = (
    "STT",
    "Họ và tên",
    "Chức vụ",
    "Tóm tắt thành tích nổi bật",
    "Minh chứng, sản phẩm",
    "Hình thức đề nghị khen thưởng",
)


def simple(*rows):
    return doc("DANH SÁCH TẬP THỂ, CÁ NHÂN TIÊU BIỂU, XUẤT SẮC", table(HEADER, *rows))


def test_plain_word_table():
    nominees = extract_nominees(
        simple(
            (
                "1",
                "Nguyễn Văn An",
                "Giáo viên",
                "Giải nhất giáo viên giỏi cấp huyện",
                "giay-khen.pdf",
                "Giấy khen",
            ),
            ("2", "Tổ Toán – Tin", "", "100% giáo viên đạt chuẩn", "bien-ban.pdf\nanh.jpg", "Giấy khen"),
        )
    )
    assert len(nominees) == 2
    first, second = nominees
    assert (first.rank, first.rank_text, first.name, first.position) == (1, "1", "Nguyễn Văn An", "Giáo viên")
    assert first.category == "teacher" and first.category_text == ""
    assert first.achievements == "Giải nhất giáo viên giỏi cấp huyện"
    assert first.evidence == ("giay-khen.pdf",)
    assert first.award == "Giấy khen"
    assert first.row == 2
    assert first.labels == {
        "rank": "STT",
        "name": "Họ và tên",
        "position": "Chức vụ",
        "achievements": "Tóm tắt thành tích nổi bật",
        "evidence": "Minh chứng, sản phẩm",
        "award": "Hình thức đề nghị khen thưởng",
    }
    assert second.category == "collective"
    assert second.evidence == ("bien-ban.pdf", "anh.jpg")
    assert second.row == 3


def test_spreadsheet_with_title_rows_column_numbers_sections_totals_and_signature():
    rows = (
        ("PHÒNG GD&ĐT PHONG ĐIỀN", "", "", "", "", "", ""),
        ("TRƯỜNG THCS AN BÌNH", "", "", "", "", "", ""),
        ("DANH SÁCH TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG QUÝ I NĂM HỌC 2023-2024",) * 7,
        ("(Sắp xếp theo thứ tự ưu tiên)",) * 7,
        ("", "", "", "", "", "", ""),
        (
            "TT",
            "Họ và tên (tập thể, cá nhân)",
            "Đối tượng",
            "Chức vụ/nhiệm vụ",
            "Tóm tắt thành tích",
            "Minh chứng",
            "Hình thức khen thưởng",
        ),
        ("(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"),
        ("I. TẬP THỂ",) * 7,
        ("1.0", "Tổ Ngữ văn", "", "", "3 giải học sinh giỏi huyện", "giai-hsg.pdf", "Giấy khen"),
        ("II. CÁ NHÂN",) * 7,
        ("A. Cán bộ quản lý",) * 7,
        (
            "2.0",
            "Lê Thị Bình",
            "",
            "Phó hiệu trưởng",
            "Sáng kiến cấp huyện loại A",
            "sang-kien.pdf",
            "Giấy khen",
        ),
        ("", "Giáo viên", "", "", "", "", ""),
        ("3.0", "Trần Văn Cường", "", "Tổ trưởng", "2 tiết dạy tốt", "tiet-day.pdf", "Giấy khen"),
        ("4.0", "Hoàng Thị Dung", "Nhân viên", "Kế toán", "Quyết toán đúng hạn 100%", "", "Giấy khen"),
        ("5.0", "Phạm Văn Em", "Phụ huynh", "Hội trưởng", "Vận động 50 triệu đồng", "thu-cam-on.pdf", ""),
        ("Tổng cộng: 5", "", "", "", "", "", ""),
        ("", "", "", "", "", "", ""),
        ("", "", "", "", "An Bình, ngày 10 tháng 3 năm 2024", "", ""),
        ("NGƯỜI LẬP BIỂU", "", "", "", "HIỆU TRƯỞNG", "", ""),
        ("Nguyễn Văn Lập", "", "", "", "Trần Thị Hiệu", "", ""),
    )
    understood = understand(doc(table(*rows, sheet="DS"), format="xlsx"))
    assert understood.kind == "nomination_list"
    assert understood.school == "TRƯỜNG THCS AN BÌNH"
    assert understood.school_year == "2023-2024"
    assert understood.title == "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG QUÝ I NĂM HỌC 2023-2024"
    assert [n.rank for n in understood.nominees] == [1, 2, 3, 4, 5]
    assert [n.name for n in understood.nominees] == [
        "Tổ Ngữ văn",
        "Lê Thị Bình",
        "Trần Văn Cường",
        "Hoàng Thị Dung",
        "Phạm Văn Em",
    ]
    assert [n.category for n in understood.nominees] == ["collective", "manager", "teacher", "staff", None]
    assert [n.category_text for n in understood.nominees] == [
        "TẬP THỂ",
        "Cán bộ quản lý",
        "Giáo viên",
        "Nhân viên",
        "Phụ huynh",
    ]
    assert [n.position for n in understood.nominees] == [
        "",
        "Phó hiệu trưởng",
        "Tổ trưởng",
        "Kế toán",
        "Hội trưởng",
    ]
    assert understood.nominees[0].rank_text == "1.0"
    assert understood.nominees[3].evidence == ()
    assert understood.nominees[0].row == 9
    assert understood.nominees[0].labels["name"] == "Họ và tên (tập thể, cá nhân)"
    assert understood.nominees[0].labels["category"] == "Đối tượng"


def test_merged_two_row_header_where_the_second_row_refines_the_first():
    nominees = extract_nominees(
        doc(
            table(
                ("STT", "Họ và tên", "Đối tượng", "Thành tích", "Thành tích", "Hình thức đề nghị"),
                (
                    "STT",
                    "Họ và tên",
                    "Đối tượng",
                    "Tóm tắt thành tích nổi bật",
                    "Minh chứng, sản phẩm",
                    "Hình thức đề nghị",
                ),
                ("1", "Nguyễn Thị Giang", "GV", "Giải ba thi GV giỏi tỉnh", "quyet-dinh.pdf", "Bằng khen"),
            )
        )
    )
    (nominee,) = nominees
    assert nominee.category == "teacher" and nominee.category_text == "GV"
    assert nominee.achievements == "Giải ba thi GV giỏi tỉnh"
    assert nominee.evidence == ("quyet-dinh.pdf",)
    assert nominee.award == "Bằng khen"
    assert nominee.labels["achievements"] == "Tóm tắt thành tích nổi bật"
    assert nominee.labels["evidence"] == "Minh chứng, sản phẩm"
    assert nominee.row == 3


def test_group_header_above_the_header_row():
    (nominee,) = extract_nominees(
        doc(
            table(
                ("TT", "Tập thể/cá nhân", "Thông tin đề nghị", "Thông tin đề nghị", "Thông tin đề nghị"),
                ("TT", "Tập thể/cá nhân", "Chức vụ", "Thành tích", "Minh chứng"),
                ("1", "Lớp 5A", "", "Liên đội mạnh", "anh-lop.jpg"),
            )
        )
    )
    assert (nominee.name, nominee.category, nominee.achievements, nominee.evidence) == (
        "Lớp 5A",
        "collective",
        "Liên đội mạnh",
        ("anh-lop.jpg",),
    )


def test_pdfplumber_tables_with_none_split_headers_and_a_page_break():
    page_one = table(
        (
            "STT",
            "Họ và\ntên",
            "Chức vụ,\nđơn vị công tác",
            "Tóm tắt thành tích",
            "Minh chứng,",
            "Hình thức đề\nnghị",
        ),
        (None, None, None, "nổi bật", "sản phẩm", None),
        (
            "1",
            "Đặng Văn Hải",
            "Giáo viên",
            "Giải nhì\nthi KHKT tỉnh",
            "giai-nhi.p\ndf\nanh-hoat-do\nng.jpg",
            "Giấy khen",
        ),
        ("2", "Bùi Thị Yến", None, "Tập huấn 3 chuyên đề", None, None),
        (None, None, None, "cho 40 giáo viên", "chuyen-de.pdf", None),
    )
    page_two = table(("3", "Lưu Văn Khải", "Bảo vệ", "Giữ an toàn 100%", "xac-nhan.pdf", "Giấy khen"))
    nominees = extract_nominees(doc(page_one, "Trang 1", page_two, format="pdf"))
    assert [n.name for n in nominees] == ["Đặng Văn Hải", "Bùi Thị Yến", "Lưu Văn Khải"]
    first = nominees[0]
    assert first.labels["name"] == "Họ và tên"
    assert first.labels["achievements"] == "Tóm tắt thành tích nổi bật"
    assert first.labels["evidence"] == "Minh chứng, sản phẩm"
    assert first.labels["award"] == "Hình thức đề nghị"
    # a pdf cell's line breaks are its width: lines rejoined, file names made whole
    assert first.achievements == "Giải nhì thi KHKT tỉnh"
    assert first.evidence == ("giai-nhi.pdf", "anh-hoat-dong.jpg")
    second = nominees[1]
    assert second.position == "" and second.category is None
    assert second.achievements == "Tập huấn 3 chuyên đề cho 40 giáo viên"
    assert second.evidence == ("chuyen-de.pdf",)
    third = nominees[2]
    assert (third.rank, third.category, third.row) == (3, "staff", 1)


def test_word_cells_keep_their_line_breaks():
    (nominee,) = extract_nominees(
        simple(("1", "Đặng Văn\nHải", "Giáo viên", "Giải nhì\nthi KHKT tỉnh", "a.pdf", "Giấy\nkhen"))
    )
    assert nominee.achievements == "Giải nhì\nthi KHKT tỉnh"
    assert (nominee.name, nominee.award) == ("Đặng Văn Hải", "Giấy khen")


def test_pdf_header_whose_words_are_broken_over_two_rows():
    nominees = extract_nominees(
        doc(
            table(
                ("STT", "Họ và", "Tóm tắt", "Minh", "Hình thức"),
                (None, "tên", "thành tích", "chứng", "khen thưởng"),
                ("1", "Hồ Văn Lâm", "Giải ba", "gb.pdf", ""),
            ),
            format="pdf",
        )
    )
    assert [(n.rank, n.name, n.achievements, n.evidence) for n in nominees] == [
        (1, "Hồ Văn Lâm", "Giải ba", ("gb.pdf",))
    ]
    assert nominees[0].labels == {
        "rank": "STT",
        "name": "Họ và tên",
        "achievements": "Tóm tắt thành tích",
        "evidence": "Minh chứng",
        "award": "Hình thức khen thưởng",
    }


def test_first_row_without_a_rank_is_not_taken_for_the_header():
    nominees = extract_nominees(
        doc(
            table(
                ("STT", "Họ và tên", "Đối tượng", "Chức vụ", "Thành tích", "Minh chứng", "Ghi chú"),
                ("", "Nguyễn Văn An", "GV", "Tổ trưởng", "", "", ""),
                ("2", "Lê Văn Bình", "GV", "", "Giải nhì", "a.pdf", ""),
            )
        )
    )
    assert [(n.rank, n.name) for n in nominees] == [(None, "Nguyễn Văn An"), (2, "Lê Văn Bình")]
    assert nominees[0].labels["name"] == "Họ và tên"


def test_rank_formats():
    nominees = extract_nominees(
        simple(
            ("1", "A1", "Giáo viên", "x 1", "a.pdf", ""),
            ("2.", "A2", "Giáo viên", "x 2", "a.pdf", ""),
            ("03", "A3", "Giáo viên", "x 3", "a.pdf", ""),
            ("4.0", "A4", "Giáo viên", "x 4", "a.pdf", ""),
            ("", "A5", "Giáo viên", "x 5", "a.pdf", ""),
            ("một", "A6", "Giáo viên", "x 6", "a.pdf", ""),
        )
    )
    assert [(n.rank, n.rank_text) for n in nominees] == [
        (1, "1"),
        (2, "2."),
        (3, "03"),
        (4, "4.0"),
        (None, ""),
        (None, "một"),
    ]


def test_category_column_words_and_unknown_words():
    nominees = extract_nominees(
        doc(
            table(
                ("STT", "Họ tên", "Đối tượng khen", "Thành tích"),
                ("1", "Tổ Tự nhiên", "Tập thể", "t 1"),
                ("2", "Ngô Văn Lợi", "CBQL", "t 2"),
                ("3", "Mạc Thị Mận", "Học sinh", "t 3"),
                ("4", "Chu Văn Nam", "Cá nhân", "t 4"),
                ("5", "Tạ Thị Oanh", "Khách mời", "t 5"),
            )
        )
    )
    assert [(n.category, n.category_text) for n in nominees] == [
        ("collective", "Tập thể"),
        ("manager", "CBQL"),
        ("student", "Học sinh"),
        (None, "Cá nhân"),  # individual, but no position says which kind
        (None, "Khách mời"),
    ]


def test_category_inferred_when_there_is_no_category_column():
    nominees = extract_nominees(
        simple(
            ("1", "Tổ Toán – Tin", "", "t", "a.pdf", ""),
            ("2", "Liên đội Trường TH Hòa Bình", "", "t", "a.pdf", ""),
            ("3", "Trương Văn Phú", "Hiệu trưởng", "t", "a.pdf", ""),
            ("4", "Đoàn Thị Quyên", "Tổng phụ trách Đội", "t", "a.pdf", ""),
            ("5", "Lại Văn Rạng", "Nhân viên văn thư", "t", "a.pdf", ""),
            ("6", "Hứa Thị Sen", "Học sinh lớp 9B", "t", "a.pdf", ""),
            ("7", "Kiều Văn Tài", "", "t", "a.pdf", ""),
        )
    )
    assert [n.category for n in nominees] == [
        "collective",
        "collective",
        "manager",
        "teacher",
        "staff",
        "student",
        None,
    ]
    assert all(n.category_text == "" for n in nominees)


def test_section_rows_split_over_number_and_name_columns():
    nominees = extract_nominees(
        simple(
            ("I", "TẬP THỂ", "", "", "", ""),
            ("1", "Khối 5", "", "t", "a.pdf", ""),
            ("II", "CÁ NHÂN", "", "", "", ""),
            ("2", "Âu Văn Uy", "Kế toán", "t", "a.pdf", ""),
            ("3", "Âu Thị Vân", "", "t", "a.pdf", ""),
        )
    )
    assert [(n.name, n.category, n.category_text) for n in nominees] == [
        ("Khối 5", "collective", "TẬP THỂ"),
        ("Âu Văn Uy", "staff", "CÁ NHÂN"),
        ("Âu Thị Vân", None, "CÁ NHÂN"),
    ]


def test_rows_grouped_by_department_are_not_nominees():
    nominees = extract_nominees(
        simple(
            ("Tổ Toán",) * 6,
            ("1", "Văn Thị Xuân", "Giáo viên", "t", "a.pdf", ""),
        )
    )
    assert [n.name for n in nominees] == ["Văn Thị Xuân"]
    assert nominees[0].category == "teacher"


def test_empty_and_template_rows_are_skipped():
    nominees = extract_nominees(
        simple(
            ("", "", "", "", "", ""),
            ("1", "Yên Văn An", "Giáo viên", "t", "a.pdf", ""),
            ("2", "……", "……", "……", "……", "……"),
            ("3", "", "", "", "", ""),
        )
    )
    assert [n.name for n in nominees] == ["Yên Văn An"]


def test_evidence_cells_split():
    nominees = extract_nominees(
        simple(
            ("1", "A", "GV", "t", "giay-khen.pdf, anh-1.jpg", ""),
            ("2", "B", "GV", "t", "Giấy khen, ảnh hoạt động", ""),
            ("3", "C", "GV", "t", "- Quyết định số 12\n- Ảnh.png", ""),
            ("4", "D", "GV", "t", "a.pdf; b.pdf", ""),
        )
    )
    assert [n.evidence for n in nominees] == [
        ("giay-khen.pdf", "anh-1.jpg"),
        ("Giấy khen, ảnh hoạt động",),
        ("Quyết định số 12", "Ảnh.png"),
        ("a.pdf", "b.pdf"),
    ]


def test_list_on_the_second_sheet_of_a_workbook():
    guide = table(("Hướng dẫn điền danh sách",), ("Ghi rõ thành tích, có số liệu",), sheet="HD")
    sheet = table(
        ("Số TT", "Họ tên", "Nhiệm vụ được giao", "Thành tích", "Sản phẩm", "Đề nghị khen thưởng"),
        ("1", "Cao Văn Bảo", "Giáo viên", "t", "a.pdf", "Giấy khen"),
        sheet="Danh sách",
    )
    understood = understand(doc(guide, sheet, format="xlsx"))
    assert understood.kind == "nomination_list"
    assert [(n.name, n.position, n.award) for n in understood.nominees] == [
        ("Cao Văn Bảo", "Giáo viên", "Giấy khen")
    ]


def test_second_list_further_down_the_same_sheet():
    nominees = extract_nominees(
        doc(
            table(
                ("DANH SÁCH TẬP THỂ",) * 4,
                ("STT", "Tên tập thể", "Thành tích", "Minh chứng"),
                ("1", "Tổ Văn phòng", "t", "a.pdf"),
                ("", "", "", ""),
                ("DANH SÁCH CÁ NHÂN",) * 4,
                ("STT", "Họ và tên", "Thành tích", "Minh chứng"),
                ("1", "Nguyễn Văn Chiến", "t", "b.pdf"),
            )
        )
    )
    assert [(n.rank, n.name, n.labels["name"]) for n in nominees] == [
        (1, "Tổ Văn phòng", "Tên tập thể"),
        (1, "Nguyễn Văn Chiến", "Họ và tên"),
    ]


def test_nfd_cells_give_nfc_text():
    (nominee,) = extract_nominees(
        doc(
            table(
                tuple(nfd(h) for h in HEADER),
                tuple(
                    nfd(c)
                    for c in ("1", "Đỗ Thị Hằng", "Giáo viên", "Giải nhất", "Giấy khen.pdf", "Giấy khen")
                ),
            )
        )
    )
    assert (
        nominee.name == "Đỗ Thị Hằng"
        and nominee.category == "teacher"
        and nominee.evidence == ("Giấy khen.pdf",)
    )
    for text in (
        nominee.name,
        nominee.position,
        nominee.achievements,
        nominee.award,
        *nominee.evidence,
        *nominee.labels.values(),
    ):
        assert is_nfc(text)


def test_tables_without_a_nominee_header_give_nothing():
    assert (
        extract_nominees(doc(table(("STT", "Họ và tên", "Chức vụ"), ("1", "Nguyễn Văn An", "Giáo viên"))))
        == ()
    )
    assert extract_nominees(doc("Không có bảng")) == ()
