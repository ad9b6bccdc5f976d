"""`thidua export --round ID --out FILE.xlsx`: the consolidated list for the level above."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import openpyxl
import pytest

from tests.support.builders import make_eml, make_pdf, nomination_xlsx
from tests.support.clitools import OFFICE_ADDRESS, OFFICE_NAME, ok

VN = timezone(timedelta(hours=7))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE = "DANH SÁCH TẬP THỂ, CÁ NHÂN TIÊU BIỂU, XUẤT SẮC ĐỀ NGHỊ KHEN THƯỞNG"
HEADER = (
    "Trường / đơn vị",
    "STT ưu tiên",
    "Họ và tên / Tên tập thể",
    "Đối tượng",
    "Chức vụ / nhiệm vụ",
    "Tóm tắt thành tích nổi bật",
    "Minh chứng, sản phẩm",
    "Hình thức đề nghị khen thưởng",
    "Mã hồ sơ",
    "Tình trạng hồ sơ",
)


def read_sheet(path) -> tuple[list[tuple], int, list[tuple]]:
    """All rows, the header row's index, and the data rows below it."""
    book = openpyxl.load_workbook(path)
    assert len(book.worksheets) == 1
    rows = list(book.active.iter_rows(values_only=True))
    [header_index] = [i for i, row in enumerate(rows) if row[0] == HEADER[0]]
    return rows, header_index, [row for row in rows[header_index + 1 :] if any(v is not None for v in row)]


@pytest.fixture(scope="module")
def q1(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "tong-hop quý I.xlsx"
    result = ok(demo.office.cli("export", "--round", "q1-2018", "--out", out))
    return result, read_sheet(out)


def test_title_rows_and_header(q1):
    result, (rows, header_index, _data) = q1
    assert rows[0][0] == TITLE
    assert rows[1][0] == f"Quý I năm 2018 — {OFFICE_NAME}"
    assert rows[header_index] == HEADER
    assert header_index < 6
    assert result.out.startswith("7 tập thể/cá nhân → ")


def test_rows_by_school_then_rank_from_current_versions(q1):
    _result, (_rows, _header, data) = q1
    assert [(r[0], r[1], r[2], r[3], r[8], r[9]) for r in data] == [
        ("Trường THCS An Bình", 1, "Tổ Khoa học tự nhiên", "Tập thể", "HS-2018-0003", "Đã tiếp nhận"),
        ("Trường THCS An Bình", 2, "Nguyễn Thị Hoa", "Giáo viên", "HS-2018-0003", "Đã tiếp nhận"),
        ("Trường THCS An Bình", 3, "Lê Văn Nam", "Học sinh", "HS-2018-0003", "Đã tiếp nhận"),
        ("Trường THCS Phong Điền", 1, "Hoàng Văn Tâm", "Cán bộ quản lý", "HS-2018-0001", "Đã tiếp nhận"),
        ("Trường THCS Phong Điền", 2, "Võ Thị Mai", "Giáo viên", "HS-2018-0001", "Đã tiếp nhận"),
        ("Trường THCS Phong Điền", 3, "Nguyễn Văn Hùng", "Nhân viên", "HS-2018-0001", "Đã tiếp nhận"),
        ("Trường Tiểu học Phong Hòa", 1, "Trần Văn Bình", "Giáo viên", "HS-2018-0006", "Đã tiếp nhận"),
    ]
    vo_thi_mai = data[4]
    assert vo_thi_mai[4] == "Giáo viên Ngữ văn"
    # the corrected achievement of version 2, not the superseded wording of version 1
    assert vo_thi_mai[5] == "Có 2 sáng kiến kinh nghiệm xếp loại A cấp huyện; lớp chủ nhiệm 100% lên lớp."
    assert vo_thi_mai[6] == "Sáng kiến kinh nghiệm Võ Thị Mai.docx"
    assert vo_thi_mai[7] == "Giấy khen"


def test_superseded_and_rejected_are_not_exported(q1):
    _result, (_rows, _header, data) = q1
    names = [r[2] for r in data]
    assert "Đỗ Thị Thu" not in names  # the unknown sender's list (rejected)
    assert not any("Nhiệt tình" in (r[5] or "") for r in data)  # version 1 of HS-2018-0001 (superseded)
    assert len([r for r in data if r[8] == "HS-2018-0001"]) == 3


def test_empty_round_still_writes_a_valid_file(demo, tmp_path):
    out = tmp_path / "q2.xlsx"
    result = ok(demo.office.cli("export", "--round", "q2-2018", "--out", out))
    assert result.out.startswith("0 tập thể/cá nhân → ")
    rows, header_index, data = read_sheet(out)
    assert rows[0][0] == TITLE
    assert rows[1][0] == f"Quý II năm 2018 — {OFFICE_NAME}"
    assert rows[header_index] == HEADER
    assert data == []


def test_export_creates_missing_folders(demo, tmp_path):
    out = tmp_path / "bao cao" / "2018" / "q1.xlsx"
    ok(demo.office.cli("export", "--round", "q1-2018", "--out", out))
    assert len(read_sheet(out)[2]) == 7


def _list_mail(sender: str, school: str, rows: list[dict], evidence: list[str], message_id: str) -> bytes:
    files = [(name, make_pdf(["GIẤY CHỨNG NHẬN", name]), "application/pdf") for name in evidence]
    return make_eml(
        sender=sender,
        to=OFFICE_ADDRESS,
        subject="Danh sách đề nghị khen thưởng quý II năm 2018",
        attachments=[("Danh sách quý II.xlsx", nomination_xlsx(rows, school=school), XLSX), *files],
        message_id=message_id,
    )


def test_evidence_joined_and_rows_sorted_by_rank(registered, tmp_path):
    phong_an = [
        {
            "rank": 2,
            "name": "Lý Thị Thanh",
            "category": "Nhân viên",
            "position": "Thư viện",
            "achievements": "Xây dựng thư viện xanh với 1.500 đầu sách.",
            "evidence": ["QD thu vien xanh.pdf"],
        },
        {
            "rank": 1,
            "name": "Khối 5",
            "category": "Tập thể",
            "position": "",
            "achievements": "100% học sinh hoàn thành chương trình; 4 giải cấp huyện.",
            "evidence": ["GCN khoi 5.pdf", "Anh hoat dong khoi 5.pdf"],
            "award": "Giấy khen",
        },
    ]
    an_binh = [
        {
            "name": "Phan Văn Đức",
            "category": "Giáo viên",
            "position": "Giáo viên Vật lý",
            "achievements": "2 học sinh đạt giải Nhì cấp tỉnh.",
            "evidence": ["GK Duc.pdf"],
            "award": "Bằng khen",
        }
    ]
    # Phong An arrives first; An Bình sorts first
    registered.deliver(
        _list_mail(
            "thphongan@example.vn",
            "TRƯỜNG TIỂU HỌC PHONG AN",
            phong_an,
            ["GCN khoi 5.pdf", "Anh hoat dong khoi 5.pdf", "QD thu vien xanh.pdf"],
            "<phongan-q2@example.vn>",
        ),
        datetime(2018, 5, 2, 8, 0, tzinfo=VN),
    )
    registered.deliver(
        _list_mail(
            "c2anbinh@example.vn", "TRƯỜNG THCS AN BÌNH", an_binh, ["GK Duc.pdf"], "<anbinh-q2@example.vn>"
        ),
        datetime(2018, 5, 3, 8, 0, tzinfo=VN),
    )
    ok(registered.cli("run", "--once"))
    assert {s["status"] for s in registered.submissions()} == {"accepted"}
    out = tmp_path / "q2.xlsx"
    ok(registered.cli("export", "--round", "q2-2018", "--out", out))
    _rows, _header, data = read_sheet(out)
    assert [(r[0], r[1], r[2], r[3], r[4], r[6], r[7]) for r in data] == [
        (
            "Trường THCS An Bình",
            1,
            "Phan Văn Đức",
            "Giáo viên",
            "Giáo viên Vật lý",
            "GK Duc.pdf",
            "Bằng khen",
        ),
        (
            "Trường Tiểu học Phong An",
            1,
            "Khối 5",
            "Tập thể",
            None,
            "GCN khoi 5.pdf\nAnh hoat dong khoi 5.pdf",
            "Giấy khen",
        ),
        (
            "Trường Tiểu học Phong An",
            2,
            "Lý Thị Thanh",
            "Nhân viên",
            "Thư viện",
            "QD thu vien xanh.pdf",
            None,
        ),
    ]
