"""The official list of selected nominees, read back as Word, Excel and LibreOffice read it."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import date

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm
from openpyxl import load_workbook

from tests.support.reports import HEADING, official_list, pdf_text
from thidua.reports.model import OfficialList, vietnamese_date
from thidua.reports.official_list import write_official_list

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraphs(document) -> list[str]:
    """Every paragraph's text, in the body and inside tables, in document order."""
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in document.element.body.iter(f"{W}p")]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2018, 3, 15), "Phong Điền, ngày 15 tháng 3 năm 2018"),
        (date(2018, 2, 5), "Phong Điền, ngày 05 tháng 02 năm 2018"),
        (date(2018, 12, 1), "Phong Điền, ngày 01 tháng 12 năm 2018"),
    ],
)
def test_place_and_date_as_the_decree_writes_them(day, expected):
    assert vietnamese_date("Phong Điền", day) == expected


def test_docx_heading_title_groups_and_signature(papers):
    document = Document(str(papers.list_docx))
    text = _paragraphs(document)
    heading = document.tables[0]
    left, right = (cell.text for cell in heading.rows[0].cells)
    assert left.split("\n")[:2] == ["UBND HUYỆN PHONG ĐIỀN", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"]
    assert "Số:" in left
    assert right.split("\n") == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Phong Điền, ngày 15 tháng 3 năm 2018",
    ]
    motto = next(
        r for p in heading.rows[0].cells[1].paragraphs for r in p.runs if r.text.startswith("Độc lập")
    )
    assert motto.bold and motto.underline
    national = heading.rows[0].cells[1].paragraphs[0].runs[0]
    assert national.bold
    assert "DANH SÁCH" in text and "Tập thể, cá nhân đề nghị khen thưởng Quý I năm 2018" in text
    assert text.index("I. Giấy khen của Chủ tịch UBND huyện (3 tập thể, cá nhân)") < text.index(
        "II. Bằng khen của Giám đốc Sở GD&ĐT (1 tập thể, cá nhân)"
    )
    signature = document.tables[-1].rows[0].cells
    assert signature[0].text.startswith("Nơi nhận:")
    assert [line for line in signature[1].text.split("\n") if line] == [
        "TRƯỞNG PHÒNG",
        "(Ký tên, đóng dấu)",
        "Nguyễn Văn Bình",
    ]


def test_docx_groups_are_numbered_collectives_first(papers):
    document = Document(str(papers.list_docx))
    giay_khen, bang_khen = document.tables[1], document.tables[2]
    rows = [[c.text for c in row.cells] for row in giay_khen.rows]
    assert rows[0] == ["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị", "Thành tích"]
    assert rows[1][0].startswith("Tập thể (1)")
    assert rows[2][:4] == ["1", "Tổ Toán - Tin", "", "Trường THCS An Bình"]
    assert rows[3][0].startswith("Cá nhân (2)")
    assert [r[:2] for r in rows[4:]] == [["2", "Nguyễn Thị Hồng Nhung"], ["3", "Trần Văn Đức"]]
    assert rows[4][4] == "Sáng kiến “Dạy học dự án” được công nhận cấp huyện; 2 học sinh giỏi tỉnh"
    assert [[c.text for c in row.cells][:2] for row in bang_khen.rows][2] == ["1", "Lê Thị Ánh Tuyết"]
    header = giay_khen.rows[0]._tr
    assert header.find(f"{W}trPr/{W}tblHeader") is not None  # repeated on every page


def test_docx_page_is_a4_with_the_decree_margins(papers):
    section = Document(str(papers.list_docx)).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (297, 210)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m / Mm(1)) for m in margins] == [20, 20, 30, 15]


def test_docx_every_run_names_times_new_roman_for_all_scripts(papers):
    with zipfile.ZipFile(papers.list_docx) as package:
        body = package.read("word/document.xml").decode("utf-8")
        styles = package.read("word/styles.xml").decode("utf-8")
    from lxml import etree

    runs = etree.fromstring(body.encode()).iter(f"{W}r")
    for run in runs:
        fonts = run.find(f"{W}rPr/{W}rFonts")
        assert fonts is not None, etree.tostring(run)[:200]
        assert {fonts.get(f"{W}{slot}") for slot in ("ascii", "hAnsi", "cs", "eastAsia")} == {
            "Times New Roman"
        }
    assert 'w:eastAsia="Times New Roman"' in styles and 'w:cs="Times New Roman"' in styles
    sizes = {run.get(f"{W}val") for run in etree.fromstring(body.encode()).iter(f"{W}sz")}
    assert {"24", "26", "28"} <= sizes  # 12 pt in tables, 13 and 14 pt in the text (half-points)


def test_xlsx_heading_groups_and_print_setup(papers):
    sheet = load_workbook(papers.list_xlsx).active
    assert (sheet["A1"].value, sheet["A2"].value) == ("UBND HUYỆN PHONG ĐIỀN", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO")
    assert (sheet["D1"].value, sheet["D2"].value, sheet["D3"].value) == (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Phong Điền, ngày 15 tháng 3 năm 2018",
    )
    assert sheet["D2"].font.underline == "single" and sheet["D2"].font.b
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    firsts = [row[0] for row in values]
    group = firsts.index("I. Giấy khen của Chủ tịch UBND huyện (3 tập thể, cá nhân)")
    assert values[group + 1] == ["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị", "Thành tích"]
    assert firsts[group + 2] == "Tập thể (1)" and values[group + 3][:2] == [1, "Tổ Toán - Tin"]
    assert firsts[group + 4] == "Cá nhân (2)" and [r[:2] for r in values[group + 5 : group + 7]] == [
        [2, "Nguyễn Thị Hồng Nhung"],
        [3, "Trần Văn Đức"],
    ]
    assert "II. Bằng khen của Giám đốc Sở GD&ĐT (1 tập thể, cá nhân)" in firsts
    flat = [v for row in values for v in row if v]
    assert flat[-3:] == ["TRƯỞNG PHÒNG", "(Ký tên, đóng dấu)", "Nguyễn Văn Bình"]
    assert {c.font.name for row in sheet.iter_rows() for c in row if c.value} == {"Times New Roman"}
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert round(sheet.page_margins.left * 25.4) == 30 and round(sheet.page_margins.right * 25.4) == 15


def test_an_empty_list_still_has_its_heading_and_signature(tmp_path):
    empty = OfficialList(HEADING, date(2018, 3, 15), "Quý I năm 2018", "", ())
    document = Document(str(write_official_list(empty, tmp_path / "trong.docx")))
    text = _paragraphs(document)
    assert "Chưa có tập thể, cá nhân nào được lựa chọn." in text
    assert "Danh sách có 0 tập thể, cá nhân./." in text
    assert load_workbook(write_official_list(empty, tmp_path / "trong.xlsx")).active["D1"].value


def test_other_formats_are_refused(tmp_path):
    with pytest.raises(ValueError, match=".docx or .xlsx, not .pdf"):
        write_official_list(official_list(), tmp_path / "danh-sach.pdf")


def test_libreoffice_prints_both_with_vietnamese_text_intact(pdfs):
    for stem in ("danh-sach", "danh-sach-bang"):
        first_page = pdf_text(pdfs[stem])[0]
        for expected in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Phong Điền, ngày 15 tháng 3 năm 2018",
            "Nguyễn Thị Hồng Nhung",
            "Lê Thị Ánh Tuyết",
            "Giấy khen của Chủ tịch UBND huyện",
        ):
            assert expected in first_page, (stem, expected)
    pages = pdf_text(pdfs["danh-sach"])
    signed = [page for page in pages if "TRƯỞNG PHÒNG" in page]
    assert len(signed) == 1 and "Nguyễn Văn Bình" in signed[0]  # title and name never on two pages


def test_first_page_renders_to_an_image(pdfs, tmp_path):
    """The picture in the README is made this way (Debian poppler-utils' pdftoppm)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed")
    from PIL import Image

    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdfs["danh-sach"]),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=60,
    )
    with Image.open(tmp_path / "page.png") as image:
        assert image.width > image.height  # landscape A4
        dark = sum(1 for pixel in image.convert("L").getdata() if pixel < 128)
    assert dark > 2000  # text, rules and table borders were drawn
