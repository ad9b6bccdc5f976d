"""Per-document reading time: thidua's reader + form recognition against the bare library calls."""

from __future__ import annotations

import io

from bench.common import Row, median_time, ms, report_pdf, verdict

DOCX_TARGET = 0.010
XLSX_TARGET = 0.010
PDF_PAGE_TARGET = 0.005


def _nominees(count: int) -> list[dict]:
    return [
        {
            "name": f"Giáo viên {i}",
            "category": "Giáo viên",
            "position": "Giáo viên Toán",
            "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện; 2 học sinh giỏi tỉnh.",
            "evidence": [f"Giấy khen {i}.pdf"],
            "award": "Giấy khen",
        }
        for i in range(count)
    ]


def _thidua(name: str, data: bytes, detected: str):
    """What the daemon does with one form: read and recognised in the reader pool."""
    from thidua.parsers.documents import read_form
    from thidua.parsers.mail import FileItem

    item = FileItem(name=name, data=data, detected=detected, size=len(data))

    def run():
        return read_form(item).understood

    return run


def _pdf_pages(data: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def run(quick: bool = False) -> list[Row]:
    import docx
    import openpyxl
    import pypdfium2 as pdfium

    from tests.support.builders import REGISTRATION_EXAMPLE, nomination_xlsx, registration_docx
    from tests.support.pdf_list_builders import printed_list_pdf

    runs = 7 if quick else 25
    rows: list[Row] = []

    registration = registration_docx(**REGISTRATION_EXAMPLE)
    nomination = nomination_xlsx(_nominees(20))
    pdf = report_pdf(10)
    pages = _pdf_pages(pdf)

    # what each document is understood as, so a fast wrong answer is not a result
    kinds = {}
    for name, data, detected in (
        ("dang-ky.docx", registration, "docx"),
        ("danh-sach.xlsx", nomination, "xlsx"),
        ("bao-cao.pdf", pdf, "pdf"),
    ):
        kinds[detected] = _thidua(name, data, detected)()

    def bare_docx():
        document = docx.Document(io.BytesIO(registration))
        return [p.text for p in document.paragraphs]

    def bare_xlsx():
        return openpyxl.load_workbook(io.BytesIO(nomination), data_only=True)

    def bare_pdf():
        document = pdfium.PdfDocument(pdf)
        try:
            texts = []
            for page in document:
                textpage = page.get_textpage()
                texts.append(textpage.get_text_range())
                textpage.close()
                page.close()
            return texts
        finally:
            document.close()

    t = median_time(_thidua("dang-ky.docx", registration, "docx"), runs)
    b = median_time(bare_docx, runs)
    rows.append(
        Row(
            "parse: registration .docx (Mẫu 1)",
            ms(t),
            f"≤ {ms(DOCX_TARGET)}",
            f"python-docx {ms(b)}",
            verdict(t <= DOCX_TARGET),
            f"{len(registration) / 1e3:.0f} KB, understood as {kinds['docx'].kind}, "
            f"{len(kinds['docx'].registrations)} registration(s); median of {runs}",
        )
    )

    t = median_time(_thidua("danh-sach.xlsx", nomination, "xlsx"), runs)
    b = median_time(bare_xlsx, runs)
    rows.append(
        Row(
            "parse: nomination .xlsx (Mẫu 2, 20 rows)",
            ms(t),
            f"≤ {ms(XLSX_TARGET)}",
            f"openpyxl {ms(b)}",
            verdict(t <= XLSX_TARGET),
            f"{len(nomination) / 1e3:.0f} KB, understood as {kinds['xlsx'].kind}, "
            f"{len(kinds['xlsx'].nominees)} nominees; median of {runs}",
        )
    )

    pdf_runs = max(5, runs // 3)
    t = median_time(_thidua("bao-cao.pdf", pdf, "pdf"), pdf_runs) / pages
    b = median_time(bare_pdf, pdf_runs) / pages
    rows.append(
        Row(
            f"parse: text PDF report, per page ({pages} pages)",
            ms(t),
            f"≤ {ms(PDF_PAGE_TARGET)}/page",
            f"pypdfium2 {ms(b)}/page",
            verdict(t <= PDF_PAGE_TARGET),
            f"{len(pdf) / 1e3:.0f} KB, understood as {kinds['pdf'].kind}; median of {pdf_runs}",
        )
    )

    # A list printed to PDF without ruling lines: its text says it is a list, so its tables are
    # looked for (columns from word positions); the cost the target above does not cover.
    listed = printed_list_pdf({"": _nominees(20)}, rows_per_page=7)
    list_pages = _pdf_pages(listed)
    understood = _thidua("danh-sach.pdf", listed, "pdf")()
    t = median_time(_thidua("danh-sach.pdf", listed, "pdf"), pdf_runs) / list_pages
    rows.append(
        Row(
            f"parse: nomination list PDF without ruling lines, per page ({list_pages} pages)",
            ms(t),
            "",
            "",
            "info",
            f"{len(listed) / 1e3:.0f} KB, understood as {understood.kind}, {len(understood.nominees)} "
            f"nominees; tables looked for only in lists; median of {pdf_runs}",
        )
    )
    return rows
