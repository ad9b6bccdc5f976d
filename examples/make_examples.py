"""Makes the bundled example mails in examples/mail/ (run by hand: `make examples`).

Each mail is what a real school sends: Word, Excel and PDF files in Vietnamese, some
complete, some with the mistakes offices chase by phone today. The files are written
with the same libraries schools' software produces (python-docx, openpyxl, reportlab).
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.builders import (  # noqa: E402
    REGISTRATION_EXAMPLE,
    make_docx,
    make_eml,
    make_pdf,
    make_zip,
    nomination_xlsx,
    registration_docx,
)

OUT = ROOT / "examples" / "mail"
OFFICE = "thidua@pgd-phongdien.example.vn"
VN = timezone(timedelta(hours=7))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OCTET = "application/octet-stream"


def certificate(title: str, who: str, what: str) -> bytes:
    return make_pdf([title, f"Tặng: {who}", what, "Phong Điền, ngày 20 tháng 01 năm 2018"])


def an_binh_complete() -> bytes:
    rows = [
        {
            "name": "Tổ Khoa học tự nhiên",
            "category": "Tập thể",
            "position": "",
            "achievements": "Tổ có 3 sáng kiến cấp huyện; 100% giáo viên dạy học theo dự án; 12 học sinh giỏi cấp huyện.",
            "evidence": ["GCN sang kien to KHTN.pdf"],
            "award": "Giấy khen",
        },
        {
            "name": "Nguyễn Thị Hoa",
            "category": "Giáo viên",
            "position": "Giáo viên Toán",
            "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện; 2 học sinh đạt giải Ba cấp tỉnh.",
            "evidence": ["Giấy khen Nguyễn Thị Hoa.pdf"],
            "award": "Giấy khen",
        },
        {
            "name": "Lê Văn Nam",
            "category": "Học sinh",
            "position": "Học sinh lớp 9A",
            "achievements": "Giải Nhì học sinh giỏi Toán cấp tỉnh năm học 2017-2018.",
            "evidence": ["Giấy chứng nhận Lê Văn Nam.pdf"],
            "award": "Giấy khen",
        },
    ]
    evidence = make_zip(
        [
            (
                "minh chung/GCN sang kien to KHTN.pdf",
                certificate("GIẤY CHỨNG NHẬN SÁNG KIẾN", "Tổ Khoa học tự nhiên", "Sáng kiến cấp huyện"),
            ),
            (
                "minh chung/Giấy khen Nguyễn Thị Hoa.pdf",
                certificate("GIẤY KHEN", "Nguyễn Thị Hoa", "Giải Nhất giáo viên dạy giỏi cấp huyện"),
            ),
            (
                "minh chung/Giấy chứng nhận Lê Văn Nam.pdf",
                certificate("GIẤY CHỨNG NHẬN", "Lê Văn Nam", "Giải Nhì học sinh giỏi Toán cấp tỉnh"),
            ),
        ],
        names="utf-8-unflagged",
    )
    return make_eml(
        sender="Trường THCS An Bình <c2anbinh@example.vn>",
        to=OFFICE,
        subject="Danh sách đề nghị khen thưởng quý I năm 2018 - THCS An Bình",
        body="Kính gửi Phòng GD&ĐT,\nTrường THCS An Bình gửi danh sách điển hình tiên tiến quý I và minh chứng kèm theo.\nTrân trọng.",
        attachments=[
            ("Danh sách đề nghị khen thưởng.xlsx", nomination_xlsx(rows), OCTET),
            ("Minh chứng.zip", evidence, "application/zip"),
        ],
        message_id="<anbinh-q1-2018@example.vn>",
        date=datetime(2018, 3, 14, 9, 12, tzinfo=VN),
    )


def phong_hoa_registration() -> bytes:
    """Two teachers register in October; the school's report in March names only one of them."""
    values = dict(
        REGISTRATION_EXAMPLE,
        school="Trường Tiểu học Phong Hòa",
        school_year="2017 – 2018",
        full_name="Trần Văn Bình",
        assigned_task="Giáo viên chủ nhiệm lớp 5A",
    )
    second = dict(
        REGISTRATION_EXAMPLE,
        school="Trường Tiểu học Phong Hòa",
        school_year="2017 – 2018",
        full_name="Đặng Thu Hà",
        assigned_task="Giáo viên Tiếng Anh",
        innovation_area="Dạy học Tiếng Anh qua trò chơi và dự án nhỏ",
    )
    return make_eml(
        sender="Tiểu học Phong Hòa <thphonghoa@example.vn>",
        to=OFFICE,
        subject="Đăng ký thực hiện đổi mới sáng tạo - GV Trần Văn Bình, Đặng Thu Hà",
        body="Trường TH Phong Hòa gửi phiếu đăng ký (Mẫu gợi ý số 1).",
        attachments=[
            ("Dang ky doi moi sang tao - Tran Van Binh.docx", registration_docx(**values), DOCX),
            ("Dang ky doi moi sang tao - Dang Thu Ha.docx", registration_docx(**second), DOCX),
        ],
        filename_style="rfc2047",
        message_id="<phonghoa-dk-1@example.vn>",
        date=datetime(2017, 10, 2, 14, 30, tzinfo=VN),
    )


def hoa_sen_incomplete_registration() -> bytes:
    values = dict(
        REGISTRATION_EXAMPLE,
        school="Trường Mầm non Hoa Sen",
        school_year="2017 – 2018",
        full_name="Phạm Thị Lan",
        assigned_task="Giáo viên lớp Lá 2",
    )
    values.pop("objectives")
    values.pop("trial_steps")
    return make_eml(
        sender="MN Hoa Sen <mnhoasen@example.vn>",
        to=OFFICE,
        subject="Phiếu đăng ký đổi mới sáng tạo",
        attachments=[
            ("Phiếu đăng ký - Phạm Thị Lan.docx", registration_docx(normal_form="NFD", **values), DOCX)
        ],
        message_id="<hoasen-dk-1@example.vn>",
        date=datetime(2017, 10, 3, 8, 5, tzinfo=VN),
    )


PHONG_DIEN_ROWS = [
    [
        "STT",
        "Họ và tên",
        "Đối tượng",
        "Chức vụ",
        "Tóm tắt thành tích nổi bật",
        "Minh chứng, sản phẩm",
        "Hình thức đề nghị khen thưởng",
    ],
    [
        "1",
        "Hoàng Văn Tâm",
        "Cán bộ quản lý",
        "Hiệu trưởng",
        "Chỉ đạo 5 chuyên đề đổi mới phương pháp; trường đạt chuẩn quốc gia mức độ 2.",
        "QD cong nhan chuan quoc gia.pdf",
        "Giấy khen",
    ],
    [
        "2",
        "Võ Thị Mai",
        "Giáo viên",
        "Giáo viên Ngữ văn",
        "Nhiệt tình, tích cực đổi mới phương pháp dạy học, được đồng nghiệp tin yêu.",
        "Sáng kiến kinh nghiệm Võ Thị Mai.docx",
        "Giấy khen",
    ],
    [
        "4",
        "Nguyễn Văn Hùng",
        "Nhân viên",
        "Kế toán",
        "Triển khai phần mềm quản lý tài sản cho 100% bộ phận.",
        "Giấy khen Nguyễn Văn Hùng.pdf",
        "Giấy khen",
    ],
]


def phong_dien_with_problems() -> bytes:
    document = make_docx(
        [
            "PHÒNG GD&ĐT PHONG ĐIỀN",
            "TRƯỜNG THCS PHONG ĐIỀN",
            "",
            "DANH SÁCH TẬP THỂ, CÁ NHÂN TIÊU BIỂU, XUẤT SẮC TRONG PHONG TRÀO THI ĐUA",
            "“ĐỔI MỚI, SÁNG TẠO TRONG DẠY VÀ HỌC” QUÝ I NĂM 2018",
            "(Sắp xếp theo thứ tự ưu tiên)",
            PHONG_DIEN_ROWS,
            "Phong Điền, ngày 12 tháng 3 năm 2018",
            "HIỆU TRƯỞNG",
        ]
    )
    return make_eml(
        sender="THCS Phong Điền <thcsphongdien@example.vn>",
        to=OFFICE,
        subject="Gửi danh sách điển hình tiên tiến quý I",
        attachments=[
            ("DS dien hinh quy I.docx", document, DOCX),
            (
                "QD cong nhan chuan quoc gia.pdf",
                make_pdf(["QUYẾT ĐỊNH", "Công nhận trường THCS Phong Điền đạt chuẩn quốc gia mức độ 2"]),
                "application/pdf",
            ),
        ],
        message_id="<phongdien-q1-v1@example.vn>",
        date=datetime(2018, 3, 12, 16, 40, tzinfo=VN),
    )


def phong_dien_corrected() -> bytes:
    rows = [list(r) for r in PHONG_DIEN_ROWS]
    rows[2][4] = "Có 2 sáng kiến kinh nghiệm xếp loại A cấp huyện; lớp chủ nhiệm 100% lên lớp."
    rows[3][0] = "3"
    document = make_docx(
        [
            "TRƯỜNG THCS PHONG ĐIỀN",
            "",
            "DANH SÁCH TẬP THỂ, CÁ NHÂN TIÊU BIỂU, XUẤT SẮC TRONG PHONG TRÀO THI ĐUA QUÝ I NĂM 2018",
            rows,
        ]
    )
    skkn = make_docx(
        ["SÁNG KIẾN KINH NGHIỆM", "Đổi mới phương pháp dạy đọc hiểu văn bản lớp 8", "Tác giả: Võ Thị Mai"]
    )
    return make_eml(
        sender="THCS Phong Điền <thcsphongdien@example.vn>",
        to=OFFICE,
        subject="Re: [HS-2018-0001] Bổ sung hồ sơ điển hình tiên tiến quý I",
        body="Trường THCS Phong Điền gửi lại danh sách đã chỉnh sửa và bổ sung minh chứng.",
        attachments=[
            ("DS dien hinh quy I (da sua).docx", document, DOCX),
            (
                "QD cong nhan chuan quoc gia.pdf",
                make_pdf(["QUYẾT ĐỊNH", "Công nhận trường THCS Phong Điền đạt chuẩn quốc gia mức độ 2"]),
                "application/pdf",
            ),
            ("Sáng kiến kinh nghiệm Võ Thị Mai.docx", skkn, DOCX),
            (
                "Giấy khen Nguyễn Văn Hùng.pdf",
                certificate("GIẤY KHEN", "Nguyễn Văn Hùng", "Hoàn thành xuất sắc nhiệm vụ"),
                OCTET,
            ),
        ],
        message_id="<phongdien-q1-v2@example.vn>",
        date=datetime(2018, 3, 14, 10, 0, tzinfo=VN),
    )


def unknown_sender() -> bytes:
    return make_eml(
        sender="Cô Thu <thu.gv1985@gmail.example>",
        to=OFFICE,
        subject="gửi phòng danh sách khen thưởng",
        attachments=[
            (
                "danh sach.xlsx",
                nomination_xlsx(
                    [
                        {
                            "name": "Đỗ Thị Thu",
                            "category": "Giáo viên",
                            "position": "Giáo viên",
                            "achievements": "2 giải cấp huyện",
                            "evidence": ["gk.pdf"],
                        }
                    ]
                ),
                XLSX,
            )
        ],
        message_id="<gmail-thu-1@gmail.example>",
        date=datetime(2018, 3, 13, 21, 0, tzinfo=VN),
    )


def late_report() -> bytes:
    report = make_docx(
        [
            "TRƯỜNG TIỂU HỌC PHONG HÒA",
            "",
            "BÁO CÁO KẾT QUẢ THỰC HIỆN PHONG TRÀO THI ĐUA “ĐỔI MỚI, SÁNG TẠO TRONG DẠY VÀ HỌC” QUÝ I NĂM 2018",
            "1. Công tác triển khai: 100% cán bộ, giáo viên đăng ký thực hiện.",
            "2. Kết quả: 6 sáng kiến được công nhận cấp trường, 2 cấp huyện; thầy Trần Văn Bình (lớp 5A) "
            "áp dụng sáng kiến dạy học theo góc, được công nhận cấp huyện.",
        ]
    )
    rows = [
        {
            "name": "Trần Văn Bình",
            "category": "Giáo viên",
            "position": "Giáo viên chủ nhiệm lớp 5A",
            "achievements": "Sáng kiến cấp huyện; lớp đạt 100% hoàn thành chương trình.",
            "evidence": ["SK Tran Van Binh.pdf"],
            "award": "Giấy khen",
        }
    ]
    return make_eml(
        sender="Tiểu học Phong Hòa <thphonghoa@example.vn>",
        to=OFFICE,
        subject="Báo cáo và danh sách quý I (gửi muộn)",
        attachments=[
            ("Bao cao quy I.docx", report, DOCX),
            ("Danh sach quy I.xlsx", nomination_xlsx(rows, school="TRƯỜNG TIỂU HỌC PHONG HÒA"), XLSX),
            (
                "SK Tran Van Binh.pdf",
                certificate("GIẤY CHỨNG NHẬN SÁNG KIẾN", "Trần Văn Bình", "Cấp huyện"),
                "application/pdf",
            ),
        ],
        message_id="<phonghoa-q1@example.vn>",
        date=datetime(2018, 3, 16, 7, 30, tzinfo=VN),
    )


def corrupt_attachment() -> bytes:
    good = nomination_xlsx(
        [
            {
                "name": "Lê Thị Hạnh",
                "category": "Nhân viên",
                "position": "Văn thư",
                "achievements": "Số hóa 1.200 hồ sơ lưu trữ.",
                "evidence": ["Giay khen Le Thi Hanh.pdf"],
            }
        ]
    )
    return make_eml(
        sender="MN Hoa Sen <mnhoasen@example.vn>",
        to=OFFICE,
        subject="Danh sách khen thưởng quý I - MN Hoa Sen",
        attachments=[("Danh sách quý I.xlsx", good[: len(good) // 2], XLSX)],
        message_id="<hoasen-q1@example.vn>",
        date=datetime(2018, 3, 15, 10, 0, tzinfo=VN),
    )


def auto_reply() -> bytes:
    return make_eml(
        sender="THCS An Bình <c2anbinh@example.vn>",
        to=OFFICE,
        subject="Trả lời tự động: Danh sách đề nghị khen thưởng",
        body="Tôi đang đi công tác đến hết ngày 20/3.",
        headers=[("Auto-Submitted", "auto-replied")],
        message_id="<anbinh-ooo@example.vn>",
        date=datetime(2018, 3, 14, 9, 20, tzinfo=VN),
    )


# (file name, arrival time at the office's server, builder)
MAILS = [
    ("01-dang-ky-phong-hoa.eml", datetime(2017, 10, 2, 14, 31, tzinfo=VN), phong_hoa_registration),
    ("02-dang-ky-hoa-sen-thieu.eml", datetime(2017, 10, 3, 8, 6, tzinfo=VN), hoa_sen_incomplete_registration),
    ("03-danh-sach-an-binh.eml", datetime(2018, 3, 14, 9, 13, tzinfo=VN), an_binh_complete),
    ("04-danh-sach-phong-dien-loi.eml", datetime(2018, 3, 12, 16, 41, tzinfo=VN), phong_dien_with_problems),
    ("05-danh-sach-phong-dien-sua.eml", datetime(2018, 3, 14, 10, 1, tzinfo=VN), phong_dien_corrected),
    ("06-nguoi-gui-la.eml", datetime(2018, 3, 13, 21, 1, tzinfo=VN), unknown_sender),
    ("07-tep-hong.eml", datetime(2018, 3, 15, 10, 1, tzinfo=VN), corrupt_attachment),
    ("08-tra-loi-tu-dong.eml", datetime(2018, 3, 14, 9, 21, tzinfo=VN), auto_reply),
    ("09-bao-cao-muon.eml", datetime(2018, 3, 16, 7, 31, tzinfo=VN), late_report),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.eml"):
        old.unlink()
    for name, _arrival, build in MAILS:
        (OUT / name).write_bytes(build())
        print(f"examples/mail/{name}")


if __name__ == "__main__":
    main()
