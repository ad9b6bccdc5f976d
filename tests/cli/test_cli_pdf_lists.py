"""Lists sent as PDF, in sections, or over sheets, through `thidua process` and `submissions --json`.

A school saves its list as PDF from Excel (no grid lines) or Word (a bordered table), or
prints it to PDF; it splits the list into sections or sheets ranked from 1 in each; it sends
the scan of the signed list with the PDF. Each mail carries the evidence files the list names,
so each must be accepted with nothing to correct.
"""

from __future__ import annotations

import pytest

from tests.support import scan_builders as scans
from tests.support.builders import make_eml, make_pdf
from tests.support.clitools import OFFICE_ADDRESS, make_office, ok
from tests.support.legacy_builders import libreoffice_twins
from tests.support.pdf_list_builders import excel_list_xlsx, printed_list_pdf, word_list_docx
from thidua.parsers.tesseract import tesseract_ready

SENDER = "Trường THCS An Bình <c2anbinh@example.vn>"
PDF_TYPE = "application/pdf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# One round open for lists until far ahead, with room for every nominee: no late or quota warning.
CAMPAIGN = """name = "Đổi mới, sáng tạo trong dạy và học"
school_year = "2023-2024"

[[rounds]]
id = "q1-2024"
label = "Quý I năm 2024"
opens = 2023-12-16T00:00:00+07:00
deadline = 2099-03-15T23:59:59+07:00
documents = ["nomination_list"]
max_nominees = 30
"""


def nominee(i: int, category: str, position: str) -> dict:
    return {
        "name": f"Tổ chuyên môn Toán – Tin số {i}" if category == "Tập thể" else f"Nguyễn Thị Hoa {i}",
        "category": category,
        "position": position,
        "achievements": f"Tổ có 4/9 sáng kiến được công nhận cấp huyện; {i} học sinh giỏi cấp tỉnh.",
        "evidence": [f"minh-chung-{i}.pdf", f"bien-ban-hop-to-{i}.pdf"],
        "award": "Giấy khen",
    }


COLLECTIVES = [nominee(i, "Tập thể", "") for i in range(1, 3)]
INDIVIDUALS = [nominee(i, "Giáo viên", "Giáo viên Toán") for i in range(3, 7)]
SECTIONS = {"I. TẬP THỂ": COLLECTIVES, "II. CÁ NHÂN": INDIVIDUALS}
EVIDENCE = [name for n in COLLECTIVES + INDIVIDUALS for name in n["evidence"]]


@pytest.fixture(scope="module")
def lists() -> dict[str, tuple[str, bytes, str]]:
    """name -> (file name, bytes, content type) of each list as the school sends it."""
    excel, word = excel_list_xlsx(SECTIONS), word_list_docx(SECTIONS)
    saved = {
        **libreoffice_twins({"excel": excel}, "xlsx", "pdf"),
        **libreoffice_twins({"word": word}, "docx", "pdf"),
    }
    by_sheet = excel_list_xlsx({}, sheets={"Tập thể": {"": COLLECTIVES}, "Cá nhân": {"": INDIVIDUALS}})
    return {
        "excel-pdf": ("Danh sách đề nghị.pdf", saved["excel"], PDF_TYPE),
        "word-pdf": ("Danh sach de nghi khen thuong.pdf", saved["word"], PDF_TYPE),
        "print-to-pdf": ("DS khen thuong.pdf", printed_list_pdf(SECTIONS, rows_per_page=3), PDF_TYPE),
        "word-sections": ("Danh sách.docx", word, DOCX_TYPE),
        "sheets": ("Danh sách.xlsx", by_sheet, XLSX_TYPE),
    }


@pytest.fixture
def office(tmp_path):
    office = make_office(tmp_path / "office", campaign=CAMPAIGN)
    ok(office.cli("schools", "import", office.root / "schools.csv"))
    return office


def send(office, tmp_path, *files) -> dict:
    certificate = make_pdf(["GIẤY CHỨNG NHẬN", "Minh chứng thành tích"])
    attachments = [*files, *((name, certificate, PDF_TYPE) for name in EVIDENCE)]
    raw = make_eml(
        sender=SENDER,
        to=OFFICE_ADDRESS,
        subject="Danh sách đề nghị khen thưởng quý I",
        attachments=attachments,
    )
    path = tmp_path / "thu.eml"
    path.write_bytes(raw)
    ok(office.cli("process", path))
    [submission] = office.submissions()
    return submission


@pytest.mark.parametrize("name", ["excel-pdf", "word-pdf", "print-to-pdf", "word-sections", "sheets"])
def test_a_list_in_sections_or_as_pdf_is_accepted(office, tmp_path, lists, name):
    submission = send(office, tmp_path, lists[name])
    assert submission["status"] == "accepted", submission["problems"]
    assert submission["problems"] == []
    [listed] = [d for d in submission["documents"] if d["filename"] == lists[name][0]]
    assert listed["kind"] == "nomination_list"
    nominees = submission["nominees"]
    # ranked from 1 in each section (or sheet)
    assert [n["rank"] for n in nominees] == [1, 2, 1, 2, 3, 4]
    assert [n["name"] for n in nominees] == [n["name"] for n in COLLECTIVES + INDIVIDUALS]
    assert [n["category"] for n in nominees] == ["collective"] * 2 + ["teacher"] * 4
    assert [n["evidence"] for n in nominees] == [n["evidence"] for n in COLLECTIVES + INDIVIDUALS]
    assert (
        nominees[2]["achievements"]
        == "Tổ có 4/9 sáng kiến được công nhận cấp huyện; 3 học sinh giỏi cấp tỉnh."
    )
    assert all(n["position"] == "Giáo viên Toán" for n in nominees[2:])


def test_a_pdf_list_with_a_wrong_rank_in_one_section_names_that_section(office, tmp_path):
    wrong = {
        "I. TẬP THỂ": COLLECTIVES,
        "II. CÁ NHÂN": [dict(n, rank=r) for n, r in zip(INDIVIDUALS, (1, 2, 2, 4))],
    }
    pdf = libreoffice_twins({"wrong": excel_list_xlsx(wrong)}, "xlsx", "pdf")["wrong"]
    submission = send(office, tmp_path, ("Danh sách.pdf", pdf, PDF_TYPE))
    assert submission["status"] == "needs_correction"
    [problem] = submission["problems"]
    assert (problem["code"], problem["field"]) == ("bad_rank", "nominees.rank")
    assert "phần “II. CÁ NHÂN”: số 2 bị trùng" in problem["message"]
    assert "thiếu số 3" in problem["message"] and "I. TẬP THỂ" not in problem["message"]


@pytest.mark.skipif(not tesseract_ready(), reason="Tesseract with its Vietnamese model is not installed")
def test_the_scan_of_the_signed_list_beside_its_pdf_is_its_signed_copy(office, tmp_path, lists):
    name, pdf, _ = lists["print-to-pdf"]
    signed = scans.image_pdf(scans.signed_and_stamped(scans.scanned_page(pdf)))
    submission = send(office, tmp_path, lists["print-to-pdf"], ("Danh sách có dấu.pdf", signed, PDF_TYPE))
    assert submission["status"] == "accepted", submission["problems"]
    [scan] = [d for d in submission["documents"] if d["filename"] == "Danh sách có dấu.pdf"]
    assert scan["signed_copy_of"] == name and scan["ocr"] is True
    assert len(submission["nominees"]) == 6  # the scan adds no nominee of its own
