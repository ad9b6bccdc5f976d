"""Sample papers for the writers' tests, and their LibreOffice conversions to PDF."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from thidua.reports.model import (
    AwardGroup,
    ListedNominee,
    OfficeHeading,
    OfficialList,
    Registrant,
    ResultsReport,
    SchoolResult,
)
from thidua.reports.official_list import write_official_list
from thidua.reports.results_report import write_results_report

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


@dataclass(frozen=True)
class Papers:
    list_docx: Path
    list_xlsx: Path
    report_docx: Path
    report_xlsx: Path


@pytest.fixture(scope="module")
def papers(tmp_path_factory) -> Papers:
    folder = tmp_path_factory.mktemp("papers")
    return Papers(
        list_docx=write_official_list(official_list(), folder / "danh-sach.docx"),
        list_xlsx=write_official_list(official_list(), folder / "danh-sach-bang.xlsx"),
        report_docx=write_results_report(results_report(), folder / "bao-cao.docx"),
        report_xlsx=write_results_report(results_report(), folder / "bao-cao-bang.xlsx"),
    )


def soffice() -> str:
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return program


@pytest.fixture(scope="module")
def pdfs(papers, tmp_path_factory) -> dict[str, Path]:
    """The four papers converted by LibreOffice (one run, a private profile), by file stem."""
    program = soffice()
    folder = tmp_path_factory.mktemp("pdf")
    sources = [papers.list_docx, papers.list_xlsx, papers.report_docx, papers.report_xlsx]
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return {source.stem: folder / f"{source.stem}.pdf" for source in sources}


def pdf_text(path: Path) -> list[str]:
    """The text of each page, as a reader of the PDF gets it (lines wrapped in a cell joined again)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return [" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document))]
    finally:
        document.close()
