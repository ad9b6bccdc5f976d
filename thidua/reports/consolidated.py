"""The consolidated nomination list for the level above, as a formatted Excel sheet."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from thidua.campaign import Round
from thidua.wording.vocabulary import category_vi, status_vi

COLUMNS = (
    ("Trường / đơn vị", 28),
    ("STT ưu tiên", 9),
    ("Họ và tên / Tên tập thể", 26),
    ("Đối tượng", 16),
    ("Chức vụ / nhiệm vụ", 22),
    ("Tóm tắt thành tích nổi bật", 60),
    ("Minh chứng, sản phẩm", 36),
    ("Hình thức đề nghị khen thưởng", 18),
    ("Mã hồ sơ", 15),
    ("Tình trạng hồ sơ", 18),
)

# When some row names a unit (an office's list of its schools), the unit goes in "Trường / đơn vị"
# (what the level above reads each nominee's unit from) and the office that sent it in this column.
SENDER_COLUMN = ("Đơn vị gửi danh sách", 28)

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def write_export(
    rows: Sequence,
    out: Path,
    *,
    office_name: str,
    round_: Round | None,
    round_id: str,
    generated_at: datetime,
) -> int:
    """Write ``rows`` (sorted by school, unit, then rank) to ``out``; returns the number of nominees.
    A row's "Trường / đơn vị" is the unit its list named, else the school that sent it."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách đề nghị"
    with_units = any(row.unit for row in rows)
    columns = COLUMNS + ((SENDER_COLUMN,) if with_units else ())
    width = len(columns)
    title = "DANH SÁCH TẬP THỂ, CÁ NHÂN TIÊU BIỂU, XUẤT SẮC ĐỀ NGHỊ KHEN THƯỞNG"
    subtitle = f"{round_.label if round_ else round_id} — {office_name}"
    for row_index, (text, size) in enumerate(((title, 14), (subtitle, 11)), start=1):
        sheet.merge_cells(start_row=row_index, start_column=1, end_row=row_index, end_column=width)
        cell = sheet.cell(row=row_index, column=1, value=text)
        cell.font = Font(bold=True, size=size)
        cell.alignment = Alignment(horizontal="center")
    sheet.cell(row=3, column=1, value=f"Tổng hợp lúc {generated_at:%d/%m/%Y %H:%M}").font = Font(
        italic=True, size=9
    )

    header_row = 5
    for column, (name, col_width) in enumerate(columns, start=1):
        cell = sheet.cell(row=header_row, column=column, value=name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
        sheet.column_dimensions[get_column_letter(column)].width = col_width
    sheet.row_dimensions[header_row].height = 32

    for offset, row in enumerate(rows, start=1):
        values = (
            row.unit or row.school,
            row.rank,
            row.name,
            category_vi(row.category or "") or row.category_text,
            row.position,
            row.achievements,
            "\n".join(row.evidence),
            row.award,
            row.receipt,
            status_vi(row.status),
        ) + ((row.school,) if with_units else ())
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=header_row + offset, column=column, value=value)
            cell.alignment = Alignment(
                vertical="top", wrap_text=True, horizontal="center" if column == 2 else None
            )
            cell.border = _BORDER
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    last = header_row + max(len(rows), 1)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(width)}{last}"
    sheet.print_options.gridLines = False
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return len(rows)
