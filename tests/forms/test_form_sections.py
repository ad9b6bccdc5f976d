"""Where a nominee stands: section rows, award headings, sheets and tables, kept as context."""

from __future__ import annotations

from tests.support.form_docs import doc, table
from thidua.parsers.forms import extract_nominees, understand
from thidua.parsers.forms.cells import split_evidence, unwrap_prose

HEADER = (
    "STT",
    "Họ và tên",
    "Chức vụ",
    "Tóm tắt thành tích nổi bật",
    "Minh chứng, sản phẩm",
    "Hình thức đề nghị khen thưởng",
)


def row(rank, name, position="Giáo viên", award="Giấy khen"):
    return (str(rank), name, position, "Giải nhất cấp huyện", "gk.pdf", award)


def test_section_rows_are_context_never_nominees():
    nominees = extract_nominees(
        doc(
            "DANH SÁCH ĐỀ NGHỊ",
            table(
                HEADER,
                ("I. TẬP THỂ",) * 6,
                row(1, "Tổ Toán", ""),
                ("II. CÁ NHÂN",) * 6,
                ("A. Cán bộ quản lý",) * 6,
                row(1, "Lê Thị Bình", "Phó hiệu trưởng"),
                ("B", "Giáo viên", "", "", "", ""),
                row(2, "Trần Văn Cường"),
            ),
        )
    )
    assert [(n.rank, n.name, n.section) for n in nominees] == [
        (1, "Tổ Toán", "I. TẬP THỂ"),
        (1, "Lê Thị Bình", "II. CÁ NHÂN › A. Cán bộ quản lý"),
        (2, "Trần Văn Cường", "II. CÁ NHÂN › B. Giáo viên"),
    ]
    assert [n.category for n in nominees] == ["collective", "manager", "teacher"]


def test_award_heading_fills_an_empty_award_cell():
    nominees = extract_nominees(
        doc(
            "DANH SÁCH ĐỀ NGHỊ",
            table(
                HEADER,
                ("I. ĐỀ NGHỊ TẶNG BẰNG KHEN CỦA UBND TỈNH",) * 6,
                row(1, "Nguyễn Văn An", award=""),
                ("II. ĐỀ NGHỊ TẶNG GIẤY KHEN",) * 6,
                row(1, "Lê Văn Bảo", award=""),
                row(2, "Hồ Thị Cúc", award="Giấy khen của Chủ tịch UBND huyện"),
            ),
        )
    )
    assert [(n.section, n.award) for n in nominees] == [
        ("I. ĐỀ NGHỊ TẶNG BẰNG KHEN CỦA UBND TỈNH", "Bằng khen"),
        ("II. ĐỀ NGHỊ TẶNG GIẤY KHEN", "Giấy khen"),
        ("II. ĐỀ NGHỊ TẶNG GIẤY KHEN", "Giấy khen của Chủ tịch UBND huyện"),
    ]


def test_department_rows_are_context_too():
    nominees = extract_nominees(doc("DANH SÁCH", table(HEADER, ("Tổ Toán",) * 6, row(1, "Văn Thị Xuân"))))
    assert [(n.name, n.section) for n in nominees] == [("Văn Thị Xuân", "Tổ Toán")]


def test_every_sheet_of_a_workbook_is_a_section():
    understood = understand(
        doc(
            table(
                ("DANH SÁCH TẬP THỂ",), HEADER, row(1, "Tổ Toán", ""), row(2, "Tổ Văn", ""), sheet="Tập thể"
            ),
            table(("DANH SÁCH CÁ NHÂN",), HEADER, row(1, "Nguyễn Văn An"), sheet="Cá nhân"),
            format="xlsx",
        )
    )
    assert understood.kind == "nomination_list"
    assert [(n.rank, n.name, n.section) for n in understood.nominees] == [
        (1, "Tổ Toán", "Tập thể"),
        (2, "Tổ Văn", "Tập thể"),
        (1, "Nguyễn Văn An", "Cá nhân"),
    ]


def test_one_sheet_names_no_section():
    understood = understand(doc(table(HEADER, row(1, "Nguyễn Văn An"), sheet="Danh sách"), format="xlsx"))
    assert [n.section for n in understood.nominees] == [""]


def test_word_tables_named_by_the_paragraph_above():
    nominees = extract_nominees(
        doc(
            "DANH SÁCH TẬP THỂ",
            table(HEADER, row(1, "Tổ Toán", "")),
            "DANH SÁCH CÁ NHÂN",
            table(HEADER, row(1, "Nguyễn Văn An")),
        )
    )
    assert [n.section for n in nominees] == ["DANH SÁCH TẬP THỂ", "DANH SÁCH CÁ NHÂN"]


def test_second_list_down_the_same_sheet_is_named_by_its_title_row():
    nominees = extract_nominees(
        doc(
            table(
                ("DANH SÁCH TẬP THỂ",) * 6,
                HEADER,
                row(1, "Tổ Văn phòng", ""),
                ("",) * 6,
                ("DANH SÁCH CÁ NHÂN",) * 6,
                HEADER,
                row(1, "Nguyễn Văn Chiến"),
            )
        )
    )
    assert [(n.rank, n.section) for n in nominees] == [(1, ""), (1, "DANH SÁCH CÁ NHÂN")]


def test_pdf_pages_are_one_list():
    first = table(HEADER, ("I. TẬP THỂ",) * 6, row(1, "Tổ Toán", ""))
    second = table(HEADER, row(2, "Tổ Văn", ""))  # the header repeated on the next page
    nominees = extract_nominees(doc(first, second, format="pdf"))
    assert [(n.rank, n.section) for n in nominees] == [(1, "I. TẬP THỂ"), (2, "I. TẬP THỂ")]


# --- pdf cells rejoined, file names tidied --------------------------------------------


def test_file_names_broken_after_hyphens_are_rejoined():
    assert split_evidence("minh-\nchung-\n1.pdf\nbien-ban-\nhop-\nto.pdf", wrapped=True) == (
        "minh-chung-1.pdf",
        "bien-ban-hop-to.pdf",
    )


def test_stray_blanks_leave_file_names_from_any_reader():
    assert split_evidence("minh- chung-1 .pdf; Ảnh hoạt động - tiết dạy.jpg") == (
        "minh-chung-1.pdf",
        "Ảnh hoạt động - tiết dạy.jpg",
    )
    assert split_evidence("Giấy khen Hoa.pdf") == ("Giấy khen Hoa.pdf",)


def test_prose_is_rejoined_with_blanks_and_items_kept():
    assert unwrap_prose("Tổ có\n4/9 sáng kiến cấp huyện;\n100% giáo viên đạt chuẩn.\nTổ Toán-\nTin") == (
        "Tổ có 4/9 sáng kiến cấp huyện; 100% giáo viên đạt chuẩn. Tổ Toán-Tin"
    )
    assert unwrap_prose("Thành tích:\n- Giải nhất\n- Giải ba") == "Thành tích:\n- Giải nhất\n- Giải ba"


def test_soft_hyphens_resolved():
    assert split_evidence("minh-chung\u00ad\n1.pdf", wrapped=True) == ("minh-chung1.pdf",)
    assert unwrap_prose("sáng\u00adkiến") == "sángkiến"
