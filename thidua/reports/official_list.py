"""The official list of selected nominees, grouped by award form, as an office sends it up
(``thidua export --round ID --selected``): Word (.docx) or Excel (.xlsx)."""

from __future__ import annotations

from pathlib import Path

from docx.shared import Mm
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from thidua.reports import docx_layout as layout
from thidua.reports.model import AwardGroup, ListedNominee, OfficialList
from thidua.reports.xlsx_layout import (
    BORDER,
    CENTER,
    WRAP,
    font,
    print_setup,
    put,
    sheet_heading,
    signature_rows,
)

TITLE = "Danh sách"
COLUMNS = (  # heading, width in the Word table (mm of 252), width in Excel (characters)
    ("STT", 12, 6),
    ("Họ và tên / Tên tập thể", 50, 28),
    ("Chức vụ", 38, 22),
    ("Đơn vị", 52, 30),
    ("Thành tích", 100, 62),
)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def subtitle(official: OfficialList) -> str:
    return f"Tập thể, cá nhân đề nghị khen thưởng {official.round_label}"


def group_heading(index: int, group: AwardGroup) -> str:
    number = ROMAN[index] if index < len(ROMAN) else str(index + 1)
    return f"{number}. {group.label} ({len(group.nominees)} tập thể, cá nhân)"


def sections(group: AwardGroup) -> list[tuple[str, list[ListedNominee]]]:
    """Collectives first, then individuals, each under its own heading when both are present."""
    collectives = [n for n in group.nominees if n.collective]
    individuals = [n for n in group.nominees if not n.collective]
    parts = [(f"Tập thể ({len(collectives)})", collectives), (f"Cá nhân ({len(individuals)})", individuals)]
    return [(name, people) for name, people in parts if people]


def write_official_list(official: OfficialList, out: Path) -> Path:
    """Write the list as .docx or .xlsx, chosen by ``out``'s suffix."""
    suffix = out.suffix.lower()
    if suffix not in (".docx", ".xlsx"):
        raise ValueError(f"the official list is written as .docx or .xlsx, not {out.suffix or 'no suffix'}")
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".docx":
        _write_docx(official, out)
    else:
        _write_xlsx(official, out)
    return out


# -- Word ---------------------------------------------------------------------------------------------


def _write_docx(official: OfficialList, out: Path) -> None:
    document = layout.new_document(landscape=True)
    layout.heading_block(document, official.heading, official.dated, kind="DS")
    layout.title_block(
        document,
        TITLE,
        subtitle(official),
        f"Phong trào thi đua “{official.campaign}”" if official.campaign else "",
    )
    scale = layout.text_width(document) / Mm(sum(c[1] for c in COLUMNS))
    columns = [(name, int(Mm(mm) * scale)) for name, mm, _ in COLUMNS]
    if not official.groups:
        layout.line(document, "Chưa có tập thể, cá nhân nào được lựa chọn.", align="center", italic=True)
    for index, group in enumerate(official.groups):
        layout.line(document, group_heading(index, group), bold=True, space_before=6, space_after=4)
        table = layout.grid(document, columns)
        number = 0
        for name, people in sections(group):
            layout.spanning_row(table, name, italic=True)
            for person in people:
                number += 1
                layout.add_row(
                    table,
                    (number, person.name, person.position, person.unit, person.achievements),
                    centered=(0,),
                )
    layout.line(document, f"Danh sách có {official.count} tập thể, cá nhân./.", italic=True, space_before=8)
    layout.signature_block(document, official.heading)
    document.save(out)


# -- Excel --------------------------------------------------------------------------------------------


def _write_xlsx(official: OfficialList, out: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách đề nghị"
    last = len(COLUMNS)
    for column, (_, _, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    row = sheet_heading(sheet, official.heading, official.dated, left=(1, 3), right=(4, last))
    put(sheet, row, 1, last, TITLE.upper(), font=font(14, bold=True))
    put(sheet, row + 1, 1, last, subtitle(official), font=font(14, bold=True))
    row += 3
    for index, group in enumerate(official.groups):
        put(
            sheet,
            row,
            1,
            last,
            group_heading(index, group),
            font=font(bold=True),
            alignment=Alignment(horizontal="left", vertical="center"),
        )
        row += 1
        for column, (name, _, _) in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=row, column=column, value=name)
            cell.font, cell.alignment, cell.border = font(12, bold=True), CENTER, BORDER
        row += 1
        number = 0
        for name, people in sections(group):
            put(
                sheet,
                row,
                1,
                last,
                name,
                font=font(12, bold=True, italic=True),
                alignment=Alignment(horizontal="left"),
            )
            for column in range(1, last + 1):
                sheet.cell(row=row, column=column).border = BORDER
            row += 1
            for person in people:
                number += 1
                values = (number, person.name, person.position, person.unit, person.achievements)
                for column, value in enumerate(values, start=1):
                    cell = sheet.cell(row=row, column=column, value=value)
                    cell.font, cell.border = font(12), BORDER
                    cell.alignment = CENTER if column == 1 else WRAP
                row += 1
        row += 1
    put(
        sheet,
        row,
        1,
        last,
        f"Danh sách có {official.count} tập thể, cá nhân./.",
        font=font(italic=True),
        alignment=Alignment(horizontal="left"),
    )
    signature_rows(sheet, row + 2, official.heading, right=(4, last))
    print_setup(sheet, landscape=True)
    book.save(out)
