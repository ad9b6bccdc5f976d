"""The results report, read back as Word, Excel and LibreOffice read it."""

from __future__ import annotations

import re
import zipfile

from docx import Document
from openpyxl import load_workbook

from tests.support.reports import pdf_text, results_report
from thidua.reports.model import SchoolResult
from thidua.reports.results_report import summary, write_results_report


def test_total_adds_up_every_column():
    total = results_report().total
    assert total == SchoolResult(
        "Tổng cộng",
        registrations=9,
        lists=2,
        reports=1,
        nominees=(1, 1, 5, 0, 1),
        accepted=3,
        needs_correction=1,
        late=1,
        reviewed=7,
        evidence_ok=5,
        selected=(3, 1),
    )
    assert (total.nominee_total, total.selected_total) == (8, 4)


def test_summary_in_words():
    lines = summary(results_report())
    assert (
        lines[0]
        == "Số đơn vị gửi hồ sơ: 3/3; đăng ký thực hiện: 9; danh sách đề nghị: 2; báo cáo kết quả: 1."
    )
    assert (
        lines[1]
        == "Tập thể, cá nhân được đề nghị: 8 (tập thể: 1, cán bộ quản lý: 1, giáo viên: 5, học sinh: 1)."
    )
    assert lines[3] == "Đã thẩm định minh chứng: 7/8 (đạt: 5)."
    assert lines[4].startswith("Được lựa chọn đề nghị khen thưởng: 4 (Giấy khen của Chủ tịch UBND huyện: 3;")
    assert lines[-1].endswith("chưa báo cáo kết quả: 2.")
    assert not any("chưa báo cáo" in line for line in summary(results_report(school_year=False)))


def test_docx_table_per_school_with_total_and_the_unreported(papers):
    document = Document(str(papers.report_docx))
    heading, schools, unreported = document.tables[0], document.tables[1], document.tables[2]
    assert "Phong Điền, ngày 20 tháng 5 năm 2018" in heading.rows[0].cells[1].text
    top = [c.text for c in schools.rows[0].cells]
    assert top[0] == "STT" and top[1] == "Đơn vị" and "Tập thể, cá nhân được đề nghị" in top
    assert [c.text for c in schools.rows[1].cells][5:10] == [
        "Tập thể",
        "Cán bộ quản lý",
        "Giáo viên",
        "Nhân viên",
        "Học sinh",
    ]
    body = [[c.text for c in row.cells] for row in schools.rows[2:]]
    assert [row[1] for row in body] == [
        "Trường THCS An Bình",
        "Trường TH Phong Hiền",
        "Trường Mầm non Phong An",
        "Tổng cộng",
    ]
    assert body[0][2:] == ["4", "1", "1", "1", "0", "3", "0", "1", "2", "0", "1", "5", "4", "2", "1"]
    assert body[-1][2:] == ["9", "2", "1", "1", "1", "5", "0", "1", "3", "1", "1", "7", "5", "3", "1"]
    assert all(run.bold for cell in schools.rows[-1].cells for p in cell.paragraphs for run in p.runs)
    assert [[c.text for c in row.cells] for row in unreported.rows][1:] == [
        ["1", "Hồ Thị Lài", "Trường Mầm non Phong An", "Phương pháp giảng dạy"],
        ["2", "Phan Văn Tâm", "Trường Mầm non Phong An", "Quản lý giáo dục học sinh"],
    ]


def test_a_round_report_has_no_unreported_section(tmp_path):
    document = Document(str(write_results_report(results_report(school_year=False), tmp_path / "quy-1.docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "KẾT QUẢ THEO ĐƠN VỊ" in text and "CHƯA CÓ BÁO CÁO" not in text
    assert len(document.tables) == 3  # heading, schools, signature


def test_xlsx_figures_charts_and_unreported_sheet(papers):
    book = load_workbook(papers.report_xlsx)
    assert book.sheetnames == ["Tổng hợp", "Biểu đồ", "Đăng ký chưa báo cáo"]
    sheet = book["Tổng hợp"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    names = [row[1] for row in rows]
    first = names.index("Trường THCS An Bình")
    assert rows[first][2:] == [4, 1, 1, 1, 0, 3, 0, 1, 2, 0, 1, 5, 4, 2, 1]
    assert rows[first + 3][1:] == ["Tổng cộng", 9, 2, 1, 1, 1, 5, 0, 1, 3, 1, 1, 7, 5, 3, 1]
    assert sheet.cell(row=first + 4, column=2).font.b
    assert sheet.page_setup.orientation == "landscape"
    charts = book["Biểu đồ"]
    assert [c.value for c in charts["A"]][:4] == [
        "Đơn vị",
        "Trường THCS An Bình",
        "Trường TH Phong Hiền",
        "Trường Mầm non Phong An",
    ]
    assert [[c.value for c in book["Đăng ký chưa báo cáo"][2]]] == [
        [1, "Hồ Thị Lài", "Trường Mầm non Phong An", "Phương pháp giảng dạy"]
    ]
    with zipfile.ZipFile(papers.report_xlsx) as package:
        drawn = sorted(n for n in package.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        xml = [package.read(n).decode("utf-8") for n in drawn]
    assert len(drawn) == 2
    assert all('<barDir val="bar"/>' in chart for chart in xml)  # one bar per school
    assert "'Biểu đồ'!$A$2:$A$4" in xml[0]  # the schools are the categories
    assert '<grouping val="stacked"/>' in xml[1]


def test_libreoffice_prints_both(pdfs):
    report_page = pdf_text(pdfs["bao-cao"])[0]
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN PHONG TRÀO THI ĐUA" in report_page
    assert "Trường Mầm non Phong An" in report_page
    workbook_pages = "\n".join(pdf_text(pdfs["bao-cao-bang"]))
    assert "Tổng cộng" in workbook_pages and "Hồ Thị Lài" in workbook_pages
