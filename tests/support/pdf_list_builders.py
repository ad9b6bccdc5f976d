"""Nomination lists as schools save them to PDF, and the Word/Excel files they come from.

A school types its list in Excel or Word, then "Save as PDF": Excel prints no grid lines
unless asked, Word draws the table's borders; long lists run over pages (the header row
repeated on each page or not) and may be split into sections ("I. TẬP THỂ", "II. CÁ NHÂN")
or into sheets. The sources are made here with openpyxl and python-docx as Office lays
them out (column widths, wrapped cells, row heights, landscape pages fitted to width); the
tests turn them into PDF with LibreOffice (``tests.legacy_builders.libreoffice_twins``).
``printed_list_pdf`` is what "Microsoft Print to PDF" gives: text drawn where it stands,
no ruling lines, made with reportlab.

A list is ``{section heading or "": [nominee dict, …]}``; a nominee dict has the nominee
keys of the spec (``rank`` defaults to its place in its section, or in the list when
``ranks="across"``; ``evidence`` a list of file names, one per line).
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence

from tests.support.builders import FONT_PATH, NOMINATION_HEADER, NOMINATION_TITLE, _pdf_font

Sections = Mapping[str, Sequence[Mapping]]
KEYS = ("rank", "name", "category", "position", "achievements", "evidence", "award")
# Narrow columns, as schools make them to fit the page: file names and summaries wrap.
EXCEL_WIDTHS = (5, 20, 10, 13, 34, 14, 13)  # Excel character widths
WORD_WIDTHS_CM = (1.0, 3.2, 2.0, 2.2, 5.0, 2.4, 2.2)
SCHOOL = "TRƯỜNG THCS AN BÌNH"
OFFICE = "PHÒNG GD&ĐT HUYỆN PHONG ĐIỀN"
SIGNERS = ("Người lập biểu", "HIỆU TRƯỞNG")
PLACE_DATE = "An Bình, ngày 10 tháng 3 năm 2024"


def numbered(sections: Sections, ranks: str = "per_section") -> list[tuple[str, list[list[str]]]]:
    """(heading, rows of cell texts) per section, ranks filled in as the school numbers them."""
    result = []
    running = 0
    for heading, nominees in sections.items():
        rows = []
        for index, nominee in enumerate(nominees, start=1):
            running += 1
            values = {"rank": index if ranks == "per_section" else running, **nominee}
            rows.append(
                [
                    "\n".join(v) if isinstance(v, (list, tuple)) else str(v)
                    for v in (values.get(k, "") for k in KEYS)
                ]
            )
        result.append((heading, rows))
    return result


# ----------------------------------------------------------------------------- Excel


def excel_list_xlsx(
    sections: Sections,
    *,
    ranks: str = "per_section",
    repeat_header: bool = True,
    sheets: Mapping[str, Sections] | None = None,
    vertical: str = "top",
    group_header: bool = False,
) -> bytes:
    """A list typed in Excel: letterhead, title, a header row whose labels wrap, wrapped cells
    with the row heights Excel fits them to, no grid lines printed, landscape fitted to the
    page's width; ``repeat_header``: the header row printed on every page (Print Titles);
    ``vertical``: how the cells stand in their rows ("top", "bottom" as Excel's default, "center");
    ``group_header``: the header over two rows, "Thành tích" over the summary and evidence columns.
    ``sheets``: one list per sheet instead (``sections`` then ignored)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, content in (sheets or {"Danh sách": sections}).items():
        _excel_sheet(workbook.create_sheet(name), content, ranks, repeat_header, vertical, group_header)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _excel_sheet(
    sheet, sections: Sections, ranks: str, repeat_header: bool, vertical: str, group_header: bool
) -> None:
    from openpyxl.styles import Alignment, Font

    width = len(NOMINATION_HEADER)
    rows: list[tuple[list, str]] = [
        ([OFFICE, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], "letterhead"),
        ([SCHOOL, None, None, None, "Độc lập - Tự do - Hạnh phúc"], "letterhead"),
        ([], ""),
        ([NOMINATION_TITLE], "title"),
        (["(Sắp xếp theo thứ tự ưu tiên)"], "title"),
        ([], ""),
    ]
    if group_header:
        # "Thành tích" over "Tóm tắt thành tích nổi bật" and "Minh chứng, sản phẩm"
        rows.append(([*NOMINATION_HEADER[:4], "Thành tích", None, NOMINATION_HEADER[6]], "header"))
        rows.append(([None] * 4 + list(NOMINATION_HEADER[4:6]), "header"))
    else:
        rows.append((list(NOMINATION_HEADER), "header"))
    for heading, body in numbered(sections, ranks):
        if heading:
            rows.append(([heading], "section"))
        rows.extend((cells, "body") for cells in body)
    rows += [
        ([], ""),
        ([None, None, None, None, PLACE_DATE], "sign"),
        ([None, SIGNERS[0], None, None, SIGNERS[1]], "sign"),
    ]
    for column, chars in zip("ABCDEFG", EXCEL_WIDTHS):
        sheet.column_dimensions[column].width = chars
    for r, (cells, role) in enumerate(rows, start=1):
        lines = 1
        for c, value in enumerate(cells, start=1):
            if value in (None, ""):
                continue
            cell = sheet.cell(
                row=r, column=c, value=int(value) if role == "body" and c == 1 and value.isdigit() else value
            )
            if role in ("header", "body"):
                cell.alignment = Alignment(
                    wrap_text=True, vertical=vertical, horizontal="center" if role == "header" else None
                )
                lines = max(lines, _wrapped_lines(str(value), EXCEL_WIDTHS[c - 1]))
            if role in ("header", "section", "title"):
                cell.font = Font(bold=True)
        if role in ("title", "section"):
            sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        if group_header and r == 7:
            sheet.merge_cells("E7:F7")
            for column in "ABCDG":
                sheet.merge_cells(f"{column}7:{column}8")
        sheet.row_dimensions[r].height = 15 * lines  # Excel saves the heights it fitted the rows to
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if repeat_header:
        sheet.print_title_rows = "7:8" if group_header else "7:7"


def _wrapped_lines(text: str, chars: float) -> int:
    """How many lines Excel wraps ``text`` to in a column ``chars`` characters wide (generous)."""
    per_line = max(chars - 1, 1)
    return sum(max(1, math.ceil(len(part) * 1.15 / per_line)) for part in text.split("\n"))


# ------------------------------------------------------------------------------ Word


def word_list_docx(
    sections: Sections, *, ranks: str = "per_section", repeat_header: bool = True, heading_rows: bool = True
) -> bytes:
    """A list typed in Word: a bordered table with narrow columns, section rows merged across
    the table, the signature block after it; ``repeat_header``: "Repeat as header row"."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    page = document.sections[0]
    page.orientation = WD_ORIENT.PORTRAIT
    page.left_margin = page.right_margin = Cm(1.5)
    style = document.styles["Normal"]
    style.font.size = Pt(11)
    document.add_paragraph(f"{OFFICE}\n{SCHOOL}")
    document.add_paragraph(NOMINATION_TITLE).runs[0].bold = True
    document.add_paragraph("(Sắp xếp theo thứ tự ưu tiên)")
    table = document.add_table(rows=1, cols=len(NOMINATION_HEADER))
    table.style = "Table Grid"
    table.autofit = False
    for cell, label in zip(table.rows[0].cells, NOMINATION_HEADER):
        cell.text = label
    if repeat_header:
        properties = table.rows[0]._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        properties.append(header)
    for heading, body in numbered(sections, ranks):
        if heading and heading_rows:
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1])
            merged.text = heading
            merged.paragraphs[0].runs[0].bold = True
        for values in body:
            for cell, value in zip(table.add_row().cells, values):
                cell.text = value
    for row in table.rows:
        for cell, width in zip(row.cells, WORD_WIDTHS_CM):
            cell.width = Cm(width)
    document.add_paragraph(PLACE_DATE)
    document.add_paragraph(f"{SIGNERS[0]}\t\t\t\t{SIGNERS[1]}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------- Print to PDF


def printed_list_pdf(sections: Sections, *, ranks: str = "per_section", rows_per_page: int = 6) -> bytes:
    """A list as a "Microsoft Print to PDF" printer draws it: each cell's text at its place,
    wrapped to the column's width, no ruling lines; the header on the first page only."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    font, size, leading = _pdf_font(), 9, 11
    assert FONT_PATH.exists()
    page_width, page_height = landscape(A4)
    widths = [w * 1.3 / 5 * 72 / 2.54 * 5 / 1.3 for w in WORD_WIDTHS_CM]  # the Word widths, in points
    scale = (page_width - 80) / sum(widths)
    widths = [w * scale for w in widths]
    lefts = [40 + sum(widths[:i]) for i in range(len(widths))]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(page_width, page_height))
    pdf.setFont(font, size)
    y = page_height - 40

    def text_at(x: float, top: float, lines: Sequence[str]) -> None:
        for i, line in enumerate(lines):
            pdf.drawString(x, top - (i + 1) * leading, line)

    def cell_lines(text: str, width: float) -> list[str]:
        return [piece for part in text.split("\n") for piece in simpleSplit(part, font, size, width - 6)] or [
            ""
        ]

    for line in (OFFICE, SCHOOL, "", NOMINATION_TITLE, "(Sắp xếp theo thứ tự ưu tiên)", ""):
        text_at(40, y, [line])
        y -= leading
    header = [cell_lines(label, w) for label, w in zip(NOMINATION_HEADER, widths)]
    for x, w, lines in zip(lefts, widths, header):
        for i, line in enumerate(lines):  # header labels centred in their columns
            pdf.drawCentredString(x + w / 2, y - (i + 1) * leading, line)
    y -= leading * max(map(len, header)) + 6
    on_page = 0
    for heading, body in numbered(sections, ranks):
        if heading:
            text_at(lefts[0] + 3, y, [heading])
            y -= leading + 4
        for values in body:
            if on_page == rows_per_page:
                pdf.showPage()
                pdf.setFont(font, size)
                y, on_page = page_height - 40, 0
            cells = [cell_lines(value, w) for value, w in zip(values, widths)]
            for x, lines in zip(lefts, cells):
                text_at(x + 3, y, lines)
            y -= leading * max(map(len, cells)) + 4
            on_page += 1
    y -= leading
    text_at(lefts[4], y, [PLACE_DATE])
    text_at(lefts[1], y - leading, [SIGNERS[0]])
    text_at(lefts[4], y - leading, [SIGNERS[1]])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
