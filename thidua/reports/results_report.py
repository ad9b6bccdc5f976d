"""The results report for the level above (``thidua report``): per school and in total, what was
received, checked, reviewed and selected in a round or a school year; Word (.docx) or Excel (.xlsx)
with bar charts by school."""

from __future__ import annotations

from pathlib import Path

from docx.shared import Mm
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from thidua.reports import docx_layout as layout
from thidua.reports.model import ResultsReport, SchoolResult
from thidua.reports.xlsx_layout import (
    BORDER,
    CENTER,
    HEADER_FILL,
    font,
    print_setup,
    put,
    sheet_heading,
    signature_rows,
)

TITLE = "Báo cáo kết quả thực hiện phong trào thi đua"


def columns(report: ResultsReport) -> list[tuple[str, str]]:
    """(group, heading) of each column after STT and the school; group "" stands alone."""
    return (
        [("Hồ sơ gửi về", "Đăng ký"), ("Hồ sơ gửi về", "Danh sách"), ("Hồ sơ gửi về", "Báo cáo")]
        + [("Tập thể, cá nhân được đề nghị", c) for c in report.categories]
        + [
            ("Tình trạng hồ sơ", "Tiếp nhận"),
            ("Tình trạng hồ sơ", "Cần bổ sung"),
            ("Tình trạng hồ sơ", "Gửi muộn"),
        ]
        + [("Thẩm định minh chứng", "Đã xét"), ("Thẩm định minh chứng", "Đạt")]
        + [("Lựa chọn đề nghị khen thưởng", a) for a in report.awards]
    )


def values(result: SchoolResult) -> list[int]:
    return [
        result.registrations,
        result.lists,
        result.reports,
        *result.nominees,
        result.accepted,
        result.needs_correction,
        result.late,
        result.reviewed,
        result.evidence_ok,
        *result.selected,
    ]


def summary(report: ResultsReport) -> list[str]:
    total = report.total
    sent = sum(1 for s in report.schools if s.lists or s.reports or s.registrations)
    lines = [
        f"Số đơn vị gửi hồ sơ: {sent}/{len(report.schools)}; đăng ký thực hiện: {total.registrations}; "
        f"danh sách đề nghị: {total.lists}; báo cáo kết quả: {total.reports}.",
        f"Tập thể, cá nhân được đề nghị: {total.nominee_total}"
        + (
            " ("
            + ", ".join(f"{c.lower()}: {n}" for c, n in zip(report.categories, total.nominees) if n)
            + ")"
            if total.nominee_total
            else ""
        )
        + ".",
        f"Hồ sơ đã tiếp nhận: {total.accepted}; cần bổ sung, chỉnh sửa: {total.needs_correction}; "
        f"gửi sau hạn: {total.late}.",
        f"Đã thẩm định minh chứng: {total.reviewed}/{total.nominee_total} (đạt: {total.evidence_ok}).",
        f"Được lựa chọn đề nghị khen thưởng: {total.selected_total}"
        + (
            " (" + "; ".join(f"{a}: {n}" for a, n in zip(report.awards, total.selected)) + ")"
            if report.awards
            else ""
        )
        + ".",
    ]
    if report.school_year:
        lines.append(f"Người đăng ký thực hiện nhưng đơn vị chưa báo cáo kết quả: {len(report.unreported)}.")
    return lines


def write_results_report(report: ResultsReport, out: Path) -> Path:
    suffix = out.suffix.lower()
    if suffix not in (".docx", ".xlsx"):
        raise ValueError(f"the results report is written as .docx or .xlsx, not {out.suffix or 'no suffix'}")
    out.parent.mkdir(parents=True, exist_ok=True)
    (_write_docx if suffix == ".docx" else _write_xlsx)(report, out)
    return out


# -- Word ---------------------------------------------------------------------------------------------


def _write_docx(report: ResultsReport, out: Path) -> None:
    document = layout.new_document(landscape=True)
    layout.heading_block(document, report.heading, report.dated, kind="BC")
    layout.title_block(
        document, TITLE, f"“{report.campaign}” – {report.scope}" if report.campaign else report.scope
    )
    layout.line(document, "I. TỔNG HỢP CHUNG", bold=True, space_after=4)
    for text in summary(report):
        layout.line(document, f"- {text}", align="justify", space_after=2)
    layout.line(document, "II. KẾT QUẢ THEO ĐƠN VỊ", bold=True, space_before=8, space_after=4)
    _school_table(document, report)
    if report.school_year:
        layout.line(
            document,
            "III. ĐĂNG KÝ THỰC HIỆN NHƯNG CHƯA CÓ BÁO CÁO KẾT QUẢ",
            bold=True,
            space_before=8,
            space_after=4,
        )
        if report.unreported:
            width = layout.text_width(document)
            table = layout.grid(
                document,
                [
                    ("STT", int(width * 0.06)),
                    ("Họ và tên", int(width * 0.26)),
                    ("Đơn vị", int(width * 0.30)),
                    ("Lĩnh vực đăng ký", int(width * 0.38)),
                ],
            )
            for number, person in enumerate(report.unreported, start=1):
                layout.add_row(
                    table, (number, person.full_name, person.school, person.innovation_area), centered=(0,)
                )
        else:
            layout.line(document, "Không có: mọi đơn vị có đăng ký đều đã báo cáo kết quả.", italic=True)
    layout.signature_block(document, report.heading)
    document.save(out)


def _school_table(document, report: ResultsReport) -> None:
    cols = columns(report)
    width = layout.text_width(document)
    number_width, school_width = Mm(11), Mm(40)
    # award labels are long: their columns get twice the room of a count
    weights = [2 if group == "Lựa chọn đề nghị khen thưởng" else 1 for group, _ in cols]
    unit = (width - number_width - school_width) // sum(weights)
    table = document.add_table(rows=2, cols=2 + len(cols))
    table.style = "Table Grid"
    layout.set_widths(table, [number_width, school_width] + [unit * w for w in weights])
    top, bottom = table.rows
    for index, heading in ((0, "STT"), (1, "Đơn vị")):
        cell = top.cells[index].merge(bottom.cells[index])
        layout.write(cell.paragraphs[0], heading, size=9, bold=True)
    start = 0
    while start < len(cols):  # one merged cell over each group of columns
        group = cols[start][0]
        end = start
        while end + 1 < len(cols) and group and cols[end + 1][0] == group:
            end += 1
        if group:
            cell = top.cells[2 + start].merge(top.cells[2 + end])
            layout.write(cell.paragraphs[0], group, size=9, bold=True)
            for index in range(start, end + 1):
                layout.write(bottom.cells[2 + index].paragraphs[0], cols[index][1], size=9, bold=True)
        else:
            cell = top.cells[2 + start].merge(bottom.cells[2 + start])
            layout.write(cell.paragraphs[0], cols[start][1], size=9, bold=True)
        start = end + 1
    for row in (top, bottom):
        layout.repeat_as_header(row)
        for cell in row.cells:
            cell.paragraphs[0].alignment = 1  # centre
    everyone = [(str(n), s) for n, s in enumerate(report.schools, start=1)] + [("", report.total)]
    for number, result in everyone:
        is_total = result is everyone[-1][1]
        layout.add_row(
            table,
            [number, result.school, *values(result)],
            bold=is_total,
            size=10,
            centered=tuple([0] + list(range(2, 2 + len(cols)))),
        )


# -- Excel --------------------------------------------------------------------------------------------

CHART_SERIES = (  # what the charts compare, school by school
    ("Tập thể, cá nhân được đề nghị", lambda r: r.nominee_total),
    ("Minh chứng đạt", lambda r: r.evidence_ok),
    ("Được lựa chọn", lambda r: r.selected_total),
)
STATUS_SERIES = (
    ("Đã tiếp nhận", lambda r: r.accepted),
    ("Cần bổ sung", lambda r: r.needs_correction),
    ("Gửi muộn", lambda r: r.late),
)


def _write_xlsx(report: ResultsReport, out: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Tổng hợp"
    cols = columns(report)
    last = 2 + len(cols)
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 32
    for column in range(3, last + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    half = max(last // 2, 2)
    row = sheet_heading(
        sheet, report.heading, report.dated, left=(1, half), right=(half + 1, last), kind="BC"
    )
    put(sheet, row, 1, last, TITLE.upper(), font=font(14, bold=True))
    put(sheet, row + 1, 1, last, report.scope, font=font(14, bold=True))
    row += 3
    for offset, text in enumerate(summary(report)):
        put(sheet, row + offset, 1, last, f"- {text}", font=font(12), alignment=Alignment(horizontal="left"))
    header = row + len(summary(report)) + 1
    _header_rows(sheet, header, cols)
    first_data = header + 2
    rows = list(report.schools) + [report.total]
    for offset, result in enumerate(rows):
        is_total = offset == len(rows) - 1
        line = [offset + 1 if not is_total else "", result.school, *values(result)]
        for column, value in enumerate(line, start=1):
            cell = sheet.cell(row=first_data + offset, column=column, value=value)
            cell.font, cell.border = font(12, bold=is_total), BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True) if column == 2 else CENTER
    end = first_data + len(rows)
    signature_rows(sheet, end + 1, report.heading, right=(half + 1, last))
    print_setup(sheet, landscape=True, title_rows=f"{header}:{header + 1}")
    sheet.freeze_panes = sheet.cell(row=first_data, column=3)
    if report.schools:
        _charts(book, report)
    if report.school_year:
        _unreported_sheet(book, report)
    book.save(out)


def _header_rows(sheet, row: int, cols: list[tuple[str, str]]) -> None:
    for column, heading in ((1, "STT"), (2, "Đơn vị")):
        sheet.merge_cells(start_row=row, start_column=column, end_row=row + 1, end_column=column)
        sheet.cell(row=row, column=column, value=heading)
    for index, (group, heading) in enumerate(cols):
        column = 3 + index
        if not group:
            sheet.merge_cells(start_row=row, start_column=column, end_row=row + 1, end_column=column)
            sheet.cell(row=row, column=column, value=heading)
            continue
        sheet.cell(row=row + 1, column=column, value=heading)
        if index == 0 or cols[index - 1][0] != group:
            span = sum(1 for g, _ in cols[index:] if g == group)
            sheet.merge_cells(start_row=row, start_column=column, end_row=row, end_column=column + span - 1)
            sheet.cell(row=row, column=column, value=group)
    for r in (row, row + 1):
        sheet.row_dimensions[r].height = 45
        for column in range(1, 3 + len(cols)):
            cell = sheet.cell(row=r, column=column)
            cell.font, cell.alignment, cell.border, cell.fill = (
                font(11, bold=True),
                CENTER,
                BORDER,
                HEADER_FILL,
            )


def _charts(book, report: ResultsReport) -> None:
    """A sheet of figures by school and two bar charts over it: one bar per school in each series."""
    data = book.create_sheet("Biểu đồ")
    series = CHART_SERIES + STATUS_SERIES
    data.cell(row=1, column=1, value="Đơn vị").font = font(12, bold=True)
    data.column_dimensions["A"].width = 32
    for column, (name, _) in enumerate(series, start=2):
        cell = data.cell(row=1, column=column, value=name)
        cell.font, cell.alignment = font(12, bold=True), CENTER
        data.column_dimensions[get_column_letter(column)].width = 14
    for row, result in enumerate(report.schools, start=2):
        data.cell(row=row, column=1, value=result.school).font = font(12)
        for column, (_, pick) in enumerate(series, start=2):
            data.cell(row=row, column=column, value=pick(result)).font = font(12)
    last_row = 1 + len(report.schools)
    schools = Reference(data, min_col=1, min_row=2, max_row=last_row)
    height = max(7.5, 1.1 * len(report.schools) + 3)
    first_free = last_row + 3  # the charts go under the figures, one below the other
    for index, (title, first, count) in enumerate(
        (
            ("Đề nghị, thẩm định và lựa chọn theo đơn vị", 2, len(CHART_SERIES)),
            ("Tình trạng hồ sơ theo đơn vị", 2 + len(CHART_SERIES), len(STATUS_SERIES)),
        )
    ):
        chart = BarChart()
        chart.type = "bar"  # horizontal: school names stay readable however many there are
        chart.title = title
        chart.y_axis.title = "Số lượng"
        chart.y_axis.majorGridlines = None
        chart.x_axis.scaling.orientation = "maxMin"  # first school at the top, as in the table
        chart.add_data(
            Reference(data, min_col=first, max_col=first + count - 1, min_row=1, max_row=last_row),
            titles_from_data=True,
        )
        chart.set_categories(schools)
        chart.height, chart.width = height, 18
        if index == 1:
            chart.grouping, chart.overlap = "stacked", 100
        data.add_chart(chart, f"A{first_free + index * int(height * 2 + 2)}")
    print_setup(data, landscape=False)


def _unreported_sheet(book, report: ResultsReport) -> None:
    sheet = book.create_sheet("Đăng ký chưa báo cáo")
    for column, (name, width) in enumerate(
        (("STT", 6), ("Họ và tên", 28), ("Đơn vị", 32), ("Lĩnh vực đăng ký", 50)), start=1
    ):
        cell = sheet.cell(row=1, column=column, value=name)
        cell.font, cell.alignment, cell.border, cell.fill = font(12, bold=True), CENTER, BORDER, HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row, person in enumerate(report.unreported, start=2):
        for column, value in enumerate(
            (row - 1, person.full_name, person.school, person.innovation_area), start=1
        ):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.font, cell.border = font(12), BORDER
            cell.alignment = CENTER if column == 1 else Alignment(vertical="top", wrap_text=True)
    print_setup(sheet, landscape=False, title_rows="1:1")
