"""Recognising documents by content: title, labels, table headers — never the file name."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.form_docs import (
    BLANK_SEED_BODY,
    doc,
    filled_seed_form,
    is_nfc,
    nfd,
    seed_form_header,
    table,
)
from thidua.kinds import KINDS
from thidua.parsers.content import DocumentText, Paragraph, Table
from thidua.parsers.forms import classify, understand
from thidua.parsers.forms.model import CATEGORIES

NOMINEE_TABLE = table(
    ("STT", "Họ và tên", "Nhiệm vụ được giao", "Tóm tắt thành tích nổi bật", "Minh chứng, sản phẩm"),
    ("1", "Nguyễn Văn An", "Giáo viên", "Giải nhất cấp huyện", "giay-khen.pdf"),
    ("2", "Lê Thị Bình", "Nhân viên", "Hoàn thành 100% hồ sơ", "bao-cao.pdf"),
)


def test_registration_filled_and_blank():
    assert classify(filled_seed_form()) == "registration"
    assert classify(doc(*seed_form_header(), *BLANK_SEED_BODY)) == "registration"


def test_registration_without_title_by_its_labels():
    understood = understand(
        doc(
            "Họ và tên: Trần Văn Cường",
            "Nhiệm vụ: Giáo viên",
            "Lĩnh vực đổi mới: Dạy học STEM",
            "Giải pháp: Dự án",
        )
    )
    assert understood.kind == "registration"
    assert understood.registrations[0].values["full_name"] == "Trần Văn Cường"


def test_title_alone_in_nfd_and_without_diacritics():
    assert (
        classify(doc(nfd("ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ ĐỔI MỚI, SÁNG TẠO"), "1. Họ tên người đăng ký: A"))
        == "registration"
    )
    assert (
        classify(doc("DANG KY THUC HIEN NHIEM VU DOI MOI, SANG TAO", "1. Ho ten nguoi dang ky: A"))
        == "registration"
    )


def test_nomination_list_by_its_header_row():
    understood = understand(doc("Danh sách gửi Phòng", NOMINEE_TABLE), "dang-ky-doi-moi.docx")
    assert understood.kind == "nomination_list"
    assert [n.name for n in understood.nominees] == ["Nguyễn Văn An", "Lê Thị Bình"]
    assert understood.registrations == ()


def test_nomination_list_with_a_registration_like_header_is_still_a_nomination_list():
    for title in (
        "DANH SÁCH CÁ NHÂN TIÊU BIỂU",
        "ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ ĐỔI MỚI, SÁNG TẠO TRONG DẠY VÀ HỌC",
    ):
        understood = understand(
            doc(
                table(("Cơ sở giáo dục: Trường THCS An Bình", "Thời gian thực hiện: Năm học 2023 – 2024")),
                title,
                NOMINEE_TABLE,
            )
        )
        assert understood.kind == "nomination_list", title
        assert understood.school == "Trường THCS An Bình"
        assert understood.school_year == "2023-2024"
        assert len(understood.nominees) == 2


def test_nomination_title_with_a_table_whose_header_is_not_recognised():
    understood = understand(
        doc(
            "DANH SÁCH",
            "TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG ĐỘT XUẤT",
            table(("Số", "Người"), ("1", "Nguyễn Văn An")),
        )
    )
    assert understood.kind == "nomination_list"
    assert understood.title == "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG ĐỘT XUẤT"
    assert understood.nominees == ()
    # the same title with no table at all is a letter about a list, not the list
    assert classify(doc("DANH SÁCH TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG")) == "unknown"


def test_report():
    understood = understand(
        doc(
            table(
                (
                    "PHÒNG GD&ĐT PHONG ĐIỀN\nTRƯỜNG THCS AN BÌNH",
                    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
                )
            ),
            "BÁO CÁO",
            "Kết quả thực hiện phong trào thi đua “Đổi mới, sáng tạo trong dạy và học” năm học 2023 - 2024",
            "I. THỰC TRẠNG",
            "Nhà trường có 30 giáo viên.",
            "II. GIẢI PHÁP",
            "Mục tiêu: nâng cao chất lượng.",
            "III. KẾT QUẢ ĐẠT ĐƯỢC",
            "Phạm vi áp dụng: toàn trường.",
        )
    )
    assert understood.kind == "report"
    assert understood.title.startswith("BÁO CÁO Kết quả thực hiện phong trào thi đua")
    assert understood.school == "TRƯỜNG THCS AN BÌNH"
    assert understood.school_year == "2023-2024"
    assert understood.registrations == () and understood.nominees == ()


@pytest.mark.parametrize(
    "blocks",
    [
        (
            "UBND HUYỆN PHONG ĐIỀN",
            "CHỦ TỊCH",
            "GIẤY KHEN",
            "Tặng: Bà Nguyễn Thị Lan",
            "Giáo viên Trường THCS An Bình",
        ),
        ("GIẤY CHỨNG NHẬN", "Đạt giải Nhì Hội thi giáo viên dạy giỏi cấp huyện"),
        ("BẰNG KHEN", "Đã có thành tích xuất sắc"),
        ("QUYẾT ĐỊNH", "Về việc công nhận sáng kiến kinh nghiệm", "Điều 1. Công nhận 12 sáng kiến"),
        (
            "SÁNG KIẾN KINH NGHIỆM",
            "ĐỀ TÀI: Ứng dụng GeoGebra trong dạy hình học 8",
            "I. Thực trạng",
            "II. Giải pháp",
        ),
        ("KẾ HOẠCH BÀI DẠY", "Môn Toán lớp 8", "Tiết 12: Hình thang"),
    ],
)
def test_evidence_by_its_title(blocks):
    assert classify(doc(*blocks)) == "evidence"


@pytest.mark.parametrize(
    "blocks",
    [
        (
            "TRƯỜNG THCS AN BÌNH",
            "BÀI VIẾT",
            "Hội giảng chào mừng ngày 8/3",
            "Sáng 6/3, trường tổ chức 12 tiết dạy.",
        ),
        ("TIN BÀI", "Trường Tiểu học Phong Hòa ra quân tháng an toàn giao thông"),
        ("BẢN TIN THI ĐUA THÁNG 3", "Các trường hưởng ứng phong trào đổi mới, sáng tạo."),
    ],
)
def test_an_article_for_the_website_by_its_title(blocks):
    assert classify(doc(*blocks)) == "publicity"


def test_a_report_on_publicity_work_is_a_report():
    assert (
        classify(doc("BÁO CÁO KẾT QUẢ THỰC HIỆN PHONG TRÀO THI ĐUA", "Công tác tuyên truyền: 12 bài viết"))
        == "report"
    )


def test_scans_and_pictures_are_evidence():
    assert classify(DocumentText(format="pdf", blocks=(), is_scan=True)) == "evidence"
    assert classify(DocumentText(format="jpeg", blocks=(), is_scan=True)) == "evidence"
    assert classify(DocumentText(format="png", blocks=())) == "evidence"
    assert classify(doc("Danh sách", NOMINEE_TABLE, format="pdf", is_scan=True)) == "evidence"


@pytest.mark.parametrize(
    "document",
    [
        DocumentText(format="docx", blocks=()),
        doc(""),
        doc(table(("", ""), ("", ""))),
        doc("Kính gửi thầy cô,", "Nhà trường gửi kèm hồ sơ thi đua quý I."),
        doc(
            " KẾ HOẠCH",
            "Phối hợp giữa nhà trường và Công đoàn về việc thực hiện phong trào thi đua",
            "I. MỤC ĐÍCH",
        ),
        doc(
            " HƯỚNG DẪN ",
            "Thực hiện Phong trào thi đua “Đổi mới, sáng tạo trong dạy và học”",
            "I. MỤC ĐÍCH, YÊU CẦU",
            "- Tổ chức cho cá nhân và tập thể đăng ký thực hiện (theo mẫu gợi ý 1).",
            *seed_form_header(),
            *BLANK_SEED_BODY,
        ),
        doc(table(("STT", "Họ và tên", "Chức vụ"), ("1", "Nguyễn Văn An", "Giáo viên"))),
    ],
)
def test_unknown(document):
    assert classify(document) == "unknown"


def test_the_file_name_is_never_used():
    for name in ("danh-sach-de-nghi-khen-thuong.xlsx", "bao-cao.docx", "giay-khen.pdf", ""):
        assert classify(filled_seed_form()) == understand(filled_seed_form(), name).kind == "registration"


def test_a_long_two_page_form_is_still_one_registration():
    def two_page_form(n: int) -> DocumentText:
        base = filled_seed_form()
        blocks = list(base.blocks)
        # more value lines, as a real two-page form has; texts differ per run so no cache helps
        extra = [
            Paragraph(f"- Biện pháp {i}.{n}: tổ chức hoạt động nhóm, {n + i} học sinh tham gia.")
            for i in range(40)
        ]
        return DocumentText(format="docx", blocks=tuple(blocks[:11] + extra + blocks[11:]))

    understand(two_page_form(-1))
    for n in range(15):
        document = two_page_form(n)
        understood = understand(document)
        assert understood.kind == "registration"
        [registration] = understood.registrations
        assert registration.values["full_name"]


# --- whatever arrives, understand answers --------------------------------------------

_PIECES = [
    "1. Họ tên người đăng ký:",
    "Nhiệm vụ",
    "(tồn tại)",
    "……",
    ". . .",
    "STT",
    "Họ và tên",
    "Thành tích",
    "Minh chứng",
    "I. TẬP THỂ",
    "Tổng cộng",
    "ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ",
    "DANH SÁCH",
    "BÁO CÁO",
    "GIẤY KHEN",
    "Năm học 2023-2024",
    "20.. – 20..",
    "Trường THCS An Bình",
    "Người đăng ký",
    "ngày 5 tháng 3 năm 2024",
    "Giáo viên",
    "a.pdf; b.jpg",
    "1.0",
    nfd("Đối tượng"),
    "",
    "-",
    ":",
    "\n",
    "(1)",
    "Cộng",
]
_cell = st.one_of(st.sampled_from(_PIECES), st.text(max_size=15), st.none())
_line = st.lists(st.sampled_from(_PIECES) | st.text(max_size=10), max_size=4).map(" ".join)
_table = st.lists(st.lists(_cell, min_size=0, max_size=6), max_size=8).map(
    lambda rows: Table(tuple(tuple(r) for r in rows))
)
_blocks = st.lists(st.one_of(_line.map(Paragraph), _table), max_size=12)


@settings(max_examples=300, deadline=None)
@given(_blocks, st.sampled_from(["docx", "xlsx", "pdf"]))
def test_any_document_is_understood_without_error_and_in_nfc(blocks, format):
    understood = understand(DocumentText(format=format, blocks=tuple(blocks)))
    assert understood.kind in KINDS
    texts = [understood.title, understood.school, understood.school_year]
    for registration in understood.registrations:
        texts += [*registration.values.values(), *registration.labels.values()]
    for nominee in understood.nominees:
        texts += [
            nominee.name,
            nominee.position,
            nominee.achievements,
            nominee.award,
            nominee.rank_text,
            nominee.category_text,
            *nominee.evidence,
            *nominee.labels.values(),
        ]
        assert nominee.category is None or nominee.category in CATEGORIES
    assert all(isinstance(t, str) and is_nfc(t) for t in texts)
