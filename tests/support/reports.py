"""Builders of the papers an office sends up, for the report tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from thidua.reports.model import (
    AwardGroup,
    ListedNominee,
    OfficeHeading,
    OfficialList,
    Registrant,
    ResultsReport,
    SchoolResult,
)

HEADING = OfficeHeading(
    office="Phòng Giáo dục và Đào tạo",
    superior="UBND huyện Phong Điền",
    place="Phong Điền",
    signer_title="Trưởng phòng",
    signer_name="Nguyễn Văn Bình",
)
CATEGORIES = ("Tập thể", "Cán bộ quản lý", "Giáo viên", "Nhân viên", "Học sinh")
AWARDS = ("Giấy khen của Chủ tịch UBND huyện", "Bằng khen của Giám đốc Sở GD&ĐT")


def official_list() -> OfficialList:
    giay_khen = AwardGroup(
        AWARDS[0],
        (
            ListedNominee(
                "Nguyễn Thị Hồng Nhung",
                False,
                "Giáo viên Ngữ văn",
                "Trường THCS An Bình",
                "Sáng kiến “Dạy học dự án” được công nhận cấp huyện; 2 học sinh giỏi tỉnh",
            ),
            ListedNominee(
                "Tổ Toán - Tin", True, "", "Trường THCS An Bình", "100% học sinh đạt chuẩn; 3 giải nhất"
            ),
            ListedNominee(
                "Trần Văn Đức",
                False,
                "Phó Hiệu trưởng",
                "Trường TH Phong Hiền",
                "Chỉ đạo đổi mới sinh hoạt chuyên môn theo nghiên cứu bài học, 12 chuyên đề",
            ),
        ),
    )
    bang_khen = AwardGroup(
        AWARDS[1],
        (
            ListedNominee(
                "Lê Thị Ánh Tuyết",
                False,
                "Giáo viên Tiếng Anh",
                "Trường THCS Phong An",
                "Giải nhất giáo viên dạy giỏi cấp tỉnh năm 2018",
            ),
        ),
    )
    return OfficialList(
        HEADING,
        date(2018, 3, 15),
        "Quý I năm 2018",
        "Đổi mới, sáng tạo trong dạy và học",
        (giay_khen, bang_khen),
    )


def results_report(*, school_year: bool = True) -> ResultsReport:
    schools = (
        SchoolResult("Trường THCS An Bình", 4, 1, 1, (1, 0, 3, 0, 1), 2, 0, 1, 5, 4, (2, 1)),
        SchoolResult("Trường TH Phong Hiền", 2, 1, 0, (0, 1, 2, 0, 0), 1, 1, 0, 2, 1, (1, 0)),
        SchoolResult("Trường Mầm non Phong An", 3, 0, 0, (0, 0, 0, 0, 0), 0, 0, 0, 0, 0, (0, 0)),
    )
    unreported = (
        Registrant("Trường Mầm non Phong An", "Hồ Thị Lài", "Phương pháp giảng dạy"),
        Registrant("Trường Mầm non Phong An", "Phan Văn Tâm", "Quản lý giáo dục học sinh"),
    )
    return ResultsReport(
        HEADING,
        date(2018, 5, 20),
        "Năm học 2017-2018" if school_year else "Quý I năm 2018",
        "Đổi mới, sáng tạo trong dạy và học",
        CATEGORIES,
        AWARDS,
        schools,
        school_year=school_year,
        unreported=unreported if school_year else (),
    )


def pdf_text(path: Path) -> list[str]:
    """The text of each page, as a reader of the PDF gets it (lines wrapped in a cell joined again)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return [" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document))]
    finally:
        document.close()
