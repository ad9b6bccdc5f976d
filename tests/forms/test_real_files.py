"""Real Word, Excel and PDF files through the readers and then ``understand``."""

from __future__ import annotations

import pytest

builders = pytest.importorskip("tests.support.builders")
documents = pytest.importorskip("thidua.parsers.documents")
filetypes = pytest.importorskip("thidua.parsers.filetypes")
mail = pytest.importorskip("thidua.parsers.mail")

from tests.support.form_docs import is_nfc  # noqa: E402
from thidua.parsers.forms import understand  # noqa: E402
from thidua.parsers.forms.model import REGISTRATION_FIELDS  # noqa: E402

Merge = builders.Merge


def read(name: str, data: bytes):
    item = mail.FileItem(name=name, data=data, detected=filetypes.sniff(data))
    return understand(documents.read_document(item), name)


def expected(values: dict) -> dict:
    out = {}
    for key, value in values.items():
        out[key] = "\n".join(value) if isinstance(value, list) else str(value)
    out["school_year"] = "2023-2024"
    return out


def test_filled_registration_docx():
    understood = read("Đăng ký.docx", builders.registration_docx(**builders.REGISTRATION_EXAMPLE))
    assert understood.kind == "registration"
    assert understood.title == "ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ ĐỔI MỚI, SÁNG TẠO TRONG DẠY VÀ HỌC"
    assert (understood.school, understood.school_year) == ("Trường THCS An Bình", "2023-2024")
    (registration,) = understood.registrations
    assert registration.values == expected(builders.REGISTRATION_EXAMPLE)
    for key, (_, label) in builders.REGISTRATION_LABELS.items():
        assert registration.labels[key] == label.rstrip(".:"), key


@pytest.mark.parametrize("inline", [True, False])
def test_registration_docx_values_inline_or_below(inline):
    understood = read(
        "dk.docx", builders.registration_docx(inline=inline, hint=False, **builders.REGISTRATION_EXAMPLE)
    )
    assert understood.registrations[0].values == expected(builders.REGISTRATION_EXAMPLE)


def test_registration_docx_in_nfd():
    understood = read(
        "dk.docx", builders.registration_docx(normal_form="NFD", **builders.REGISTRATION_EXAMPLE)
    )
    (registration,) = understood.registrations
    assert registration.values == expected(builders.REGISTRATION_EXAMPLE)
    assert all(is_nfc(v) for v in registration.values.values())
    assert is_nfc(understood.title) and is_nfc(understood.school)


def test_blank_registration_docx_has_every_field_missing():
    understood = read("dk.docx", builders.registration_docx())
    assert understood.kind == "registration"
    (registration,) = understood.registrations
    assert registration.values == {key: "" for key in REGISTRATION_FIELDS}


def test_partly_filled_registration_docx():
    values = dict(builders.REGISTRATION_EXAMPLE, objectives="", trial_steps=[])
    (registration,) = read("dk.docx", builders.registration_docx(**values)).registrations
    assert registration.values["objectives"] == "" and registration.values["trial_steps"] == ""
    assert registration.values["expected_results"] == builders.REGISTRATION_EXAMPLE["expected_results"]


def test_nomination_xlsx():
    rows = [
        ["I. TẬP THỂ"],
        {
            "rank": 1,
            "name": "Tổ Toán – Tin",
            "category": "",
            "achievements": "3 giải HSG huyện",
            "evidence": "bien-ban.pdf",
            "award": "Giấy khen",
        },
        ["II. CÁ NHÂN"],
        {
            "rank": 2,
            "name": "Nguyễn Văn An",
            "category": "Giáo viên",
            "position": "Tổ trưởng",
            "achievements": "Giải nhất GVG huyện",
            "evidence": ["giay-khen.pdf", "anh-tiet-day.jpg"],
            "award": "Giấy khen",
        },
        {
            "rank": 3,
            "name": "Lê Thị Bình",
            "category": "",
            "position": "Kế toán",
            "achievements": "Quyết toán đúng hạn 100%",
            "evidence": "quyet-toan.pdf",
            "award": "",
        },
    ]
    understood = read("Danh sach.xlsx", builders.nomination_xlsx(rows, column_numbers=True))
    assert understood.kind == "nomination_list"
    assert understood.school == "TRƯỜNG THCS AN BÌNH"
    assert understood.title.startswith("DANH SÁCH TẬP THỂ, CÁ NHÂN TIÊU BIỂU, XUẤT SẮC")
    got = [(n.rank, n.name, n.category, n.position, n.evidence, n.award) for n in understood.nominees]
    assert got == [
        (1, "Tổ Toán – Tin", "collective", "", ("bien-ban.pdf",), "Giấy khen"),
        (2, "Nguyễn Văn An", "teacher", "Tổ trưởng", ("giay-khen.pdf", "anh-tiet-day.jpg"), "Giấy khen"),
        (3, "Lê Thị Bình", "staff", "Kế toán", ("quyet-toan.pdf",), ""),
    ]
    assert understood.nominees[0].labels == dict(
        zip(
            ("rank", "name", "category", "position", "achievements", "evidence", "award"),
            builders.NOMINATION_HEADER,
        )
    )


def test_nomination_list_on_a_later_sheet():
    data = builders.make_xlsx(
        {
            "Hướng dẫn": [["Điền danh sách theo thứ tự ưu tiên"]],
            "DS": [
                ["Số TT", "Họ tên", "Chức vụ/nhiệm vụ", "Thành tích", "Minh chứng"],
                [1, "Trần Văn Cường", "Phó hiệu trưởng", "Sáng kiến loại A", "sk.pdf"],
            ],
        }
    )
    understood = read("ds.xlsx", data)
    assert understood.kind == "nomination_list"
    assert [(n.rank, n.name, n.category) for n in understood.nominees] == [(1, "Trần Văn Cường", "manager")]


def test_nomination_docx_with_merged_two_row_header():
    rows = [
        ["STT", "Họ và tên", "Đối tượng", "Thành tích", Merge.LEFT, "Hình thức đề nghị khen thưởng"],
        [Merge.UP, Merge.UP, Merge.UP, "Tóm tắt thành tích nổi bật", "Minh chứng, sản phẩm", Merge.UP],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
        [
            "1",
            "Phạm Thị Dung",
            "Nhân viên",
            "Thư viện xanh: 200 lượt mượn/tháng",
            "anh-thu-vien.jpg; so-muon.pdf",
            "Giấy khen",
        ],
    ]
    understood = read(
        "ds.docx", builders.make_docx([builders.Title("DANH SÁCH CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG"), rows])
    )
    assert understood.kind == "nomination_list"
    (nominee,) = understood.nominees
    assert (nominee.rank, nominee.name, nominee.category) == (1, "Phạm Thị Dung", "staff")
    assert nominee.evidence == ("anh-thu-vien.jpg", "so-muon.pdf")
    assert nominee.labels["achievements"] == "Tóm tắt thành tích nổi bật"
    assert nominee.labels["evidence"] == "Minh chứng, sản phẩm"


def test_nomination_pdf():
    table = [
        list(builders.NOMINATION_HEADER),
        [
            "1",
            "Nguyễn Văn An",
            "Giáo viên",
            "Giáo viên Toán",
            "Giải nhất giáo viên dạy giỏi cấp huyện năm học 2023-2024",
            "giay-khen.pdf\nanh-hoat-dong.jpg",
            "Giấy khen",
        ],
        [
            "2",
            "Tổ Toán – Tin",
            "Tập thể",
            "",
            "100% giáo viên đạt chuẩn; 5 chuyên đề",
            "bien-ban.pdf",
            "Giấy khen",
        ],
    ]
    understood = read(
        "ds.pdf",
        builders.make_pdf(
            ["TRƯỜNG THCS AN BÌNH", "DANH SÁCH TẬP THỂ, CÁ NHÂN TIÊU BIỂU, XUẤT SẮC", "Năm học 2023 - 2024"],
            table,
        ),
    )
    assert understood.kind == "nomination_list"
    assert (understood.school, understood.school_year) == ("TRƯỜNG THCS AN BÌNH", "2023-2024")
    first, second = understood.nominees
    assert (first.name, first.category, first.position) == ("Nguyễn Văn An", "teacher", "Giáo viên Toán")
    assert first.achievements == "Giải nhất giáo viên dạy giỏi cấp huyện năm học 2023-2024"
    assert first.evidence == ("giay-khen.pdf", "anh-hoat-dong.jpg")
    assert (second.name, second.category, second.evidence) == (
        "Tổ Toán – Tin",
        "collective",
        ("bien-ban.pdf",),
    )


def test_registration_pdf():
    understood = read(
        "dk.pdf",
        builders.make_pdf(
            [
                "Cơ sở giáo dục: Trường TH Phong Hiền",
                "ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ",
                "ĐỔI MỚI, SÁNG TẠO TRONG DẠY VÀ HỌC",
                "Thời gian thực hiện: Năm học 2023 – 2024",
                "1. Họ tên người đăng ký: Trần Văn Bảo",
                "2. Nhiệm vụ được giao: Giáo viên",
                "3. Dự kiến thực hiện đổi mới sáng tạo trong lĩnh vực: Phương pháp giảng dạy môn Tiếng Việt lớp 3 theo "
                "hướng phát triển năng lực đọc hiểu cho học sinh",
            ]
        ),
    )
    assert understood.kind == "registration"
    (registration,) = understood.registrations
    assert registration.values == {
        "school": "Trường TH Phong Hiền",
        "school_year": "2023-2024",
        "full_name": "Trần Văn Bảo",
        "assigned_task": "Giáo viên",
        "innovation_area": "Phương pháp giảng dạy môn Tiếng Việt lớp 3 theo hướng phát triển năng lực đọc hiểu cho học sinh",
    }


def test_other_kinds():
    assert read("scan.pdf", builders.make_scan_pdf()).kind == "evidence"
    assert (
        read(
            "gk.docx",
            builders.make_docx(
                [builders.Title("GIẤY KHEN"), "Tặng: Bà Nguyễn Thị Hoa", "Giáo viên Trường THCS An Bình"]
            ),
        ).kind
        == "evidence"
    )
    report = read(
        "bc.docx",
        builders.make_docx(
            [
                builders.Title("BÁO CÁO"),
                "Kết quả thực hiện phong trào thi đua “Đổi mới, sáng tạo trong dạy và học” học kỳ I",
                "1. Kết quả: 12 sáng kiến được công nhận.",
            ]
        ),
    )
    assert report.kind == "report"
    assert (
        read("x.docx", builders.make_docx(["Kính gửi Phòng GD&ĐT, trường gửi kèm hồ sơ."])).kind == "unknown"
    )
