"""`make demo` end to end: the year's mails filed, the council's decisions, the papers that go up."""

from __future__ import annotations

import subprocess
import sys

import openpyxl
import pytest
from docx import Document

from tests.support.clitools import EXAMPLES


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("make-demo") / "demo"
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "run_demo.py"), str(folder)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return folder, result.stdout


def test_the_mails_are_filed_and_the_table_printed(demo_run):
    _folder, out = demo_run
    assert "Hồ sơ đã xử lý" in out
    assert "9 thư đã xử lý, 8 phản hồi đã gửi." in out


def test_where_the_papers_were_written_is_printed(demo_run):
    folder, out = demo_run
    papers = [
        folder / "danh-sach-de-nghi-q1-2018.docx",
        folder / "danh-sach-de-nghi-q1-2018.xlsx",
        folder / "bao-cao-ket-qua-2017-2018.xlsx",
        folder / "bao-cao-ket-qua-2017-2018.docx",
    ]
    for paper in papers:
        assert paper.is_file() and str(paper) in out


def test_the_official_list_holds_the_selected_by_award_form(demo_run):
    folder, _out = demo_run
    text = [p.text for p in Document(str(folder / "danh-sach-de-nghi-q1-2018.docx")).paragraphs]
    assert "I. Giấy khen của Chủ tịch UBND huyện (3 tập thể, cá nhân)" in text
    assert "II. Bằng khen của Giám đốc Sở GD&ĐT (1 tập thể, cá nhân)" in text
    rows = list(
        openpyxl.load_workbook(folder / "danh-sach-de-nghi-q1-2018.xlsx").active.iter_rows(values_only=True)
    )
    names = {cell for row in rows for cell in row if cell}
    assert {"Nguyễn Thị Hoa", "Tổ Khoa học tự nhiên", "Hoàng Văn Tâm", "Trần Văn Bình"} <= names
    assert "Võ Thị Mai" not in names  # her evidence was found insufficient and she was not selected


def test_the_results_report_lists_registrations_no_report_names(demo_run):
    folder, _out = demo_run
    book = openpyxl.load_workbook(folder / "bao-cao-ket-qua-2017-2018.xlsx")
    unreported = [row[1:3] for row in book["Đăng ký chưa báo cáo"].iter_rows(min_row=2, values_only=True)]
    # Phong Hòa's report names Trần Văn Bình but not Đặng Thu Hà; Hoa Sen sent no report
    assert sorted(unreported) == [
        ("Phạm Thị Lan", "Trường Mầm non Hoa Sen"),
        ("Đặng Thu Hà", "Trường Tiểu học Phong Hòa"),
    ]
