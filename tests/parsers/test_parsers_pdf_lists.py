"""Lists and forms saved as PDF read as well as the Word and Excel files they were saved from.

Each PDF is what LibreOffice's "Save as PDF" makes of a list typed in Excel (no grid lines)
or in Word (a bordered table), long enough to run over pages, with its header row repeated
on every page or not, its header labels wrapping over several lines, cells wrapping file
names and summaries, section rows, and the signature block under it; and what a
"Print to PDF" printer draws (text only). The nominees read from the PDF must be those read
from its source.
"""

from __future__ import annotations

import io
import unicodedata

import pdfplumber
import pytest

from tests.support.builders import REGISTRATION_EXAMPLE, registration_docx
from tests.support.legacy_builders import libreoffice_twins
from tests.support.pdf_list_builders import excel_list_xlsx, printed_list_pdf, word_list_docx
from thidua.parsers.documents import read_form
from thidua.parsers.filetypes import sniff
from thidua.parsers.mail import FileItem


def nominee(i: int, category: str, position: str) -> dict:
    name = f"Tổ chuyên môn Toán – Tin số {i}" if category == "Tập thể" else f"Nguyễn Thị Hoa {i}"
    return {
        "name": name,
        "category": category,
        "position": position,
        "achievements": f"Tổ có 4/9 sáng kiến được công nhận cấp huyện; 100% giáo viên đạt chuẩn nghề "
        f"nghiệp; {i} học sinh giỏi cấp tỉnh, 2 giải Khoa học kỹ thuật.",
        "evidence": [f"minh-chung-{i}.pdf", f"bien-ban-hop-to-{i}.pdf"],
        "award": "Giấy khen",
    }


SECTIONS = {
    "I. TẬP THỂ": [nominee(i, "Tập thể", "") for i in range(1, 4)],
    "II. CÁ NHÂN": [nominee(i, "Giáo viên", "Giáo viên Toán") for i in range(4, 10)],
}
FIELDS = ("rank", "name", "category", "position", "achievements", "evidence", "award", "section")


@pytest.fixture(scope="module")
def sources() -> dict[str, tuple[str, bytes]]:
    """name -> (format, bytes) of the lists as typed."""
    return {
        "excel": ("xlsx", excel_list_xlsx(SECTIONS)),
        "excel-no-repeated-header": ("xlsx", excel_list_xlsx(SECTIONS, repeat_header=False)),
        "excel-bottom-aligned": ("xlsx", excel_list_xlsx(SECTIONS, vertical="bottom")),
        "excel-centred": ("xlsx", excel_list_xlsx(SECTIONS, vertical="center")),
        "excel-header-over-two-rows": (
            "xlsx",
            excel_list_xlsx(SECTIONS, group_header=True, vertical="bottom"),
        ),
        "word": ("docx", word_list_docx(SECTIONS)),
        "word-no-repeated-header": ("docx", word_list_docx(SECTIONS, repeat_header=False)),
    }


@pytest.fixture(scope="module")
def pdfs(sources) -> dict[str, bytes]:
    """The same lists saved as PDF by LibreOffice (one run per source format), and printed."""
    saved: dict[str, bytes] = {}
    for kind in ("xlsx", "docx"):
        saved.update(libreoffice_twins({n: d for n, (k, d) in sources.items() if k == kind}, kind, "pdf"))
    saved["print-to-pdf"] = printed_list_pdf(SECTIONS, rows_per_page=4)
    return saved


def understood(data: bytes, name: str):
    reading = read_form(FileItem(name=name, data=data, detected=sniff(data), size=len(data)))
    return reading.text, reading.understood


def records(document) -> list[tuple]:
    return [tuple(getattr(n, key) for key in FIELDS) for n in document.nominees]


@pytest.mark.parametrize(
    "name",
    [
        "excel",
        "excel-no-repeated-header",
        "excel-bottom-aligned",
        "excel-centred",
        "excel-header-over-two-rows",
        "word",
        "word-no-repeated-header",
    ],
)
def test_a_list_saved_as_pdf_gives_the_nominees_of_its_source(sources, pdfs, name):
    kind, source = sources[name]
    _, typed = understood(source, f"danh-sach.{kind}")
    text, saved = understood(pdfs[name], "danh-sach.pdf")
    assert text.pages >= 2  # the list runs over a page break
    assert saved.kind == typed.kind == "nomination_list"
    assert saved.school == "TRƯỜNG THCS AN BÌNH"
    assert records(saved) == records(typed)
    assert len(saved.nominees) == 9  # no signature, heading or header row read as a nominee
    first = saved.nominees[0]
    assert first.evidence == ("minh-chung-1.pdf", "bien-ban-hop-to-1.pdf")
    assert "\n" not in first.achievements
    # header labels wrapped over several lines in narrow columns are read whole
    labels = dict(typed.nominees[0].labels)
    if name == "excel-header-over-two-rows":
        # without the grid, "Thành tích" over two columns reads as the start of the first one's label
        labels["achievements"] = "Thành tích Tóm tắt thành tích nổi bật"
    assert first.labels == labels


def test_excel_prints_no_ruling_lines(pdfs):
    with pdfplumber.open(io.BytesIO(pdfs["excel"])) as pdf:
        page = pdf.pages[0]
        assert page.find_tables() == [] and not page.lines


def test_a_list_printed_to_pdf_reads_from_where_its_words_stand(sources, pdfs):
    _, typed = understood(sources["excel"][1], "danh-sach.xlsx")
    text, printed = understood(pdfs["print-to-pdf"], "danh-sach.pdf")
    assert text.pages >= 3  # the header only on the first page
    assert printed.kind == "nomination_list"
    assert records(printed) == records(typed)


def test_sections_are_kept_and_ranked_from_one_in_each(pdfs):
    _, saved = understood(pdfs["excel"], "danh-sach.pdf")
    assert [(n.section, n.rank) for n in saved.nominees] == [("I. TẬP THỂ", r) for r in (1, 2, 3)] + [
        ("II. CÁ NHÂN", r) for r in range(1, 7)
    ]
    assert [n.category for n in saved.nominees] == ["collective"] * 3 + ["teacher"] * 6


@pytest.mark.parametrize("name", ["excel", "word", "print-to-pdf"])
def test_text_is_nfc(pdfs, name):
    _, saved = understood(pdfs[name], "danh-sach.pdf")
    for n in saved.nominees:
        for text in (n.name, n.position, n.achievements, n.award, n.section, *n.evidence):
            assert unicodedata.is_normalized("NFC", text)


def test_a_registration_form_saved_as_pdf_gives_the_fields_of_its_source():
    # the header's two columns share a pdf line; the template's long hint under label 3 wraps
    source = registration_docx(**REGISTRATION_EXAMPLE)
    pdf = libreoffice_twins({"dang-ky": source}, "docx", "pdf")["dang-ky"]
    _, typed = understood(source, "dang-ky.docx")
    text, saved = understood(pdf, "dang-ky.pdf")
    assert text.tables == ()  # "1. Họ tên người đăng ký: …" opens no list
    assert saved.kind == typed.kind == "registration"
    assert (
        (saved.school, saved.school_year)
        == (typed.school, typed.school_year)
        == ("Trường THCS An Bình", "2023-2024")
    )
    assert [r.values for r in saved.registrations] == [r.values for r in typed.registrations]
