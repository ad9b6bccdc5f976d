"""Building DocumentText values the way the readers return them."""

from __future__ import annotations

import unicodedata

from thidua.parsers.content import DocumentText, Paragraph, Table

SEED_HINT = (
    "(quản lý tổ, nhà trường; quản lý giáo dục học sinh; phương pháp giảng dạy; bồi dưỡng học sinh giỏi; "
    "chất lượng học tập của học sinh; chất lượng giảng dạy chuyên môn….)"
)


def doc(*blocks, format: str = "docx", is_scan: bool = False) -> DocumentText:
    """Strings become paragraphs; lists of rows become tables."""
    built = []
    for block in blocks:
        if isinstance(block, str):
            built.append(Paragraph(block))
        elif isinstance(block, (Paragraph, Table)):
            built.append(block)
        else:
            built.append(table(*block))
    return DocumentText(format=format, blocks=tuple(built), is_scan=is_scan)


def table(*rows, sheet: str = "") -> Table:
    width = max(len(r) for r in rows)
    return Table(rows=tuple(tuple(r) + ("",) * (width - len(r)) for r in rows), sheet=sheet)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def seed_form_header(school: str = "……….\n………………………", year: str = "20. . . – 20. . .") -> list:
    """The header of "Mẫu gợi ý số 1" as a Word layout table, the way seed 01 prints it."""
    return [
        "Mẫu gợi ý số 1",
        table(
            (
                f"Cơ sở giáo dục {school}",
                f"ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ\nĐỔI MỚI, SÁNG TẠO TRONG DẠY VÀ HỌC\n\nThời gian thực hiện: Năm học {year}",
            )
        ),
    ]


BLANK_SEED_BODY = [
    "1. Họ tên người đăng ký:………………………..…………………",
    "2. Nhiệm vụ được giao:…………………………………………………",
    "3. Dự kiến thực hiện đổi mới sáng tạo trong lĩnh vực: …………………",
    SEED_HINT,
    "4. Thực trạng vấn đề dự kiến đổi mới: (tồn tại)",
    "5. Mục tiêu giải pháp đổi mới",
    "6. Dự kiến kết quả sẽ đạt được sau khi thực hiện đổi mới",
    "7. Thời gian dự kiến thử nghiệm thực hiện đổi mới",
    "8. Các bước tiến hành thử nghiệm đổi mới",
    "9. Phạm vi công bố và nhân rộng kết quả đổi mới.",
    ". . . . . . . . . .  . . , ngày      tháng     năm 20. . . .",
    "Ký, ghi rõ họ tên",
]


def filled_seed_form() -> DocumentText:
    """Seed 01's form as a teacher fills it in: values inline, under labels, over bullets."""
    return doc(
        *seed_form_header("……….\nTrường THCS An Bình", "2023 – 2024"),
        "1. Họ tên người đăng ký: Nguyễn Thị Lan……………………",
        "2. Nhiệm vụ được giao:……Giáo viên dạy Toán 8, chủ nhiệm lớp 8A……",
        "3. Dự kiến thực hiện đổi mới sáng tạo trong lĩnh vực: …………………",
        SEED_HINT,
        "Phương pháp giảng dạy môn Toán",
        "4. Thực trạng vấn đề dự kiến đổi mới: (tồn tại)",
        "- Học sinh lớp 8A còn thụ động, 40% học sinh chưa hứng thú với môn Toán.",
        "- Giải pháp cũ: giáo viên giảng, học sinh chép.",
        "5. Mục tiêu giải pháp đổi mới",
        "Ứng dụng phần mềm GeoGebra trong dạy hình học.",
        "6. Dự kiến kết quả sẽ đạt được sau khi thực hiện đổi mới",
        "Tỷ lệ học sinh khá giỏi tăng 15%.",
        "7. Thời gian dự kiến thử nghiệm thực hiện đổi mới",
        "Từ ngày 01 tháng 10 năm 2023 đến tháng 4/2024",
        "8. Các bước tiến hành thử nghiệm đổi mới",
        "1. Khảo sát thực trạng",
        "2. Thực hiện giải pháp",
        "3. Đánh giá kết quả",
        "9. Phạm vi công bố và nhân rộng kết quả đổi mới.",
        "Tổ Toán – Tin trường THCS An Bình",
        "An Bình, ngày 15 tháng 9 năm 2023",
        "Ký, ghi rõ họ tên",
        "Nguyễn Thị Lan",
    )
