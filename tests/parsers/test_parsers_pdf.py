"""read_pdf(): lines in reading order, tables on request, scans and locks recognised."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.builders import Merge, make_pdf, make_scan_pdf
from thidua.parsers.content import DocumentText, Paragraph, Table, UnreadableDocument
from thidua.parsers.pdf import read_pdf

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "pdf"
NEEDS_CORPUS = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared/corpus is not beside the repository")
LINES = [
    "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
    "DANH SÁCH TẬP THỂ, CÁ NHÂN TIÊU BIỂU, XUẤT SẮC",
    "Kính gửi: Phòng GD&ĐT huyện Phong Điền",
]
TABLE = [
    ["STT", "Họ và tên", "Đối tượng", "Minh chứng"],
    ["1", "Nguyễn Văn A", "Giáo viên", "gk.pdf"],
    ["2", "Tổ Toán", Merge.LEFT, "bao-cao.docx"],
    ["3", "Lê Thị B", "Nhân viên", Merge.UP],
]


def test_lines_in_reading_order():
    document = read_pdf(make_pdf(LINES))
    assert document == DocumentText(format="pdf", blocks=tuple(map(Paragraph, LINES)), is_scan=False, pages=1)


def test_tables_follow_the_page_text_with_merged_cells_filled():
    document = read_pdf(make_pdf(LINES, TABLE))
    assert document.paragraphs[:3] == tuple(LINES)
    assert isinstance(document.blocks[-1], Table)
    assert document.tables == (
        Table(
            rows=(
                ("STT", "Họ và tên", "Đối tượng", "Minh chứng"),
                ("1", "Nguyễn Văn A", "Giáo viên", "gk.pdf"),
                ("2", "Tổ Toán", "Tổ Toán", "bao-cao.docx"),
                ("3", "Lê Thị B", "Nhân viên", "bao-cao.docx"),
            )
        ),
    )


def test_tables_only_on_request():
    document = read_pdf(make_pdf(LINES, TABLE), tables=False)
    assert document.tables == ()
    assert "1 Nguyễn Văn A Giáo viên gk.pdf" in document.paragraphs


def test_scanned_pages():
    document = read_pdf(make_scan_pdf(pages=2))
    assert document == DocumentText(format="pdf", blocks=(), is_scan=True, pages=2)


def test_page_limit():
    lines = [f"Dòng số {i}" for i in range(150)]  # several pages
    full = read_pdf(make_pdf(lines), max_pages=300)
    assert full.pages > 2 and full.notes == () and len(full.paragraphs) == 150
    cut = read_pdf(make_pdf(lines), max_pages=1)
    assert cut.pages == full.pages and cut.notes == ("truncated",)
    assert cut.paragraphs == full.paragraphs[: len(cut.paragraphs)] and 0 < len(cut.paragraphs) < 150


def _reason(data: bytes) -> str:
    with pytest.raises(UnreadableDocument) as caught:
        read_pdf(data)
    return caught.value.reason


def test_password_protected():
    assert _reason(make_pdf(["Bí mật"], password="123456")) == "encrypted"


@NEEDS_CORPUS
def test_password_protected_real_file():
    assert _reason((CORPUS / "password-example.pdf").read_bytes()) == "encrypted"


def test_corrupt():
    data = make_pdf(LINES, TABLE)
    assert _reason(data[: len(data) // 3]) == "corrupt"
    assert _reason(b"%PDF-1.4\n garbage") == "corrupt"
    assert _reason(b"") == "corrupt"


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.pdf")), ids=lambda path: path.name)
def test_every_corpus_pdf_reaches_a_result(path):
    try:
        document = read_pdf(path.read_bytes())
    except UnreadableDocument as error:
        assert error.reason in ("encrypted", "corrupt")
    else:
        assert isinstance(document, DocumentText) and document.pages >= 1


@NEEDS_CORPUS
def test_corpus_table_and_text():
    document = read_pdf((CORPUS / "nics-background-checks-2015-11-rotated.pdf").read_bytes())
    assert len(document.tables) == 1 and len(document.tables[0].rows) > 20
    assert len({len(row) for row in document.tables[0].rows}) == 1
    word = read_pdf((CORPUS / "word365_structure.pdf").read_bytes(), tables=False)
    assert word.paragraphs[:2] == ("Titre", "Lorem ipsum dolor")
