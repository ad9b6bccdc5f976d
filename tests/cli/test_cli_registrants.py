"""Registrations linked to reports: a school's report names whom it reports on, through
`thidua run` and `thidua report --school-year`."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import openpyxl

from tests.support.builders import REGISTRATION_EXAMPLE, make_docx, make_eml, registration_docx
from tests.support.clitools import OFFICE_ADDRESS, ok

VN = timezone(timedelta(hours=7))
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PHONG_HOA = "thphonghoa@example.vn"


def _registration(name: str, n: int) -> bytes:
    values = dict(
        REGISTRATION_EXAMPLE, school="Trường Tiểu học Phong Hòa", school_year="2017 – 2018", full_name=name
    )
    return make_eml(
        sender=PHONG_HOA,
        to=OFFICE_ADDRESS,
        subject=f"Đăng ký đổi mới sáng tạo - {name}",
        attachments=[(f"Dang ky {n}.docx", registration_docx(**values), DOCX)],
        message_id=f"<dk-{n}@example.vn>",
    )


def _report(*paragraphs: str) -> bytes:
    report = make_docx(
        [
            "TRƯỜNG TIỂU HỌC PHONG HÒA",
            "BÁO CÁO KẾT QUẢ THỰC HIỆN PHONG TRÀO THI ĐUA “ĐỔI MỚI, SÁNG TẠO TRONG DẠY VÀ HỌC” QUÝ II NĂM 2018",
            *paragraphs,
        ]
    )
    return make_eml(
        sender=PHONG_HOA,
        to=OFFICE_ADDRESS,
        subject="Báo cáo kết quả quý II",
        attachments=[("Bao cao quy II.docx", report, DOCX)],
        message_id="<bc-q2@example.vn>",
    )


def _unreported(office, tmp_path) -> list[tuple[str, str]]:
    out = tmp_path / "nam-hoc.xlsx"
    ok(office.cli("report", "--school-year", "2017-2018", "--out", out))
    sheet = openpyxl.load_workbook(out)["Đăng ký chưa báo cáo"]
    return [(row[1], row[2]) for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]]


def _year(office, report: bytes) -> None:
    office.deliver(_registration("Trần Văn Bình", 1), datetime(2017, 10, 2, 14, 0, tzinfo=VN))
    office.deliver(_registration("Lê Thị Hạnh", 2), datetime(2017, 10, 4, 9, 0, tzinfo=VN))
    office.deliver(report, datetime(2018, 5, 20, 8, 0, tzinfo=VN))
    ok(office.cli("run", "--once"))


def test_a_report_naming_one_registrant_leaves_the_other_unreported(registered, tmp_path):
    _year(registered, _report("Kết quả: thầy Trần Van Binh áp dụng sáng kiến dạy học STEM, đạt cấp huyện."))
    statuses = {s["subject"]: s["status"] for s in registered.submissions()}
    assert all(status in ("accepted", "needs_correction") for status in statuses.values()), statuses
    unreported = _unreported(registered, tmp_path)
    assert ("Lê Thị Hạnh", "Trường Tiểu học Phong Hòa") in unreported
    assert all(name != "Trần Văn Bình" for name, _ in unreported)


def test_a_report_naming_nobody_covers_its_school(registered, tmp_path):
    _year(registered, _report("Kết quả: 6 sáng kiến được công nhận cấp trường, 2 cấp huyện."))
    assert all(school != "Trường Tiểu học Phong Hòa" for _, school in _unreported(registered, tmp_path))
