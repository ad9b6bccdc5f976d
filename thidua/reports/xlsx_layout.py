"""The same administrative layout in an Excel sheet: the heading, Times New Roman, A4 print setup."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.page import PageMargins

from thidua.reports.docx_layout import MOTTO, NATIONAL_NAME
from thidua.reports.model import vietnamese_date

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(vertical="top", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def font(size: float = 13, **style) -> Font:
    return Font(name=FONT, size=size, **style)


def put(
    sheet, row: int, first: int, last: int, text: str, *, font: Font, alignment: Alignment = CENTER
) -> None:
    """``text`` in a cell merged across columns ``first``..``last`` of ``row``."""
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = sheet.cell(row=row, column=first, value=text)
    cell.font, cell.alignment = font, alignment


def sheet_heading(
    sheet, official_heading, dated, *, left: tuple[int, int], right: tuple[int, int], kind: str = "DS"
) -> int:
    """The administrative heading on rows 1–3; returns the next free row."""
    h = official_heading
    rows = (
        [(h.superior.upper(), font()), (h.office.upper(), font(bold=True))]
        if h.superior
        else [(h.office.upper(), font(bold=True)), ("", font())]
    )
    put(sheet, 1, *left, rows[0][0], font=rows[0][1])
    put(sheet, 2, *left, rows[1][0], font=rows[1][1])
    put(sheet, 3, *left, h.number or f"Số:        /{kind}-", font=font())
    put(sheet, 1, *right, NATIONAL_NAME, font=font(bold=True))
    put(sheet, 2, *right, MOTTO, font=font(14, bold=True, underline="single"))
    put(sheet, 3, *right, vietnamese_date(h.place, dated), font=font(14, italic=True))
    return 5


def print_setup(sheet, *, landscape: bool, title_rows: str | None = None) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=30 / 25.4, right=15 / 25.4, top=20 / 25.4, bottom=20 / 25.4)
    sheet.print_options.horizontalCentered = True
    if title_rows:
        sheet.print_title_rows = title_rows


def signature_rows(sheet, row: int, heading, *, right: tuple[int, int]) -> int:
    put(sheet, row, *right, heading.signer_title.upper(), font=font(14, bold=True))
    put(sheet, row + 1, *right, "(Ký tên, đóng dấu)", font=font(italic=True))
    put(sheet, row + 6, *right, heading.signer_name, font=font(14, bold=True))
    return row + 7
