"""read_xlsx(): one table per sheet, as Excel shows it."""

from __future__ import annotations

import time
import unicodedata
from datetime import date, datetime

import pytest

from tests.support.builders import NOMINATION_HEADER, Formatted, make_xlsx, nomination_xlsx, rewrite_part
from thidua.parsers.content import Table, UnreadableDocument
from thidua.parsers.xlsx import read_xlsx, render_cell

NOMINEES = [
    {
        "name": "Nguyễn Văn A",
        "category": "Giáo viên",
        "position": "Tổ trưởng",
        "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện",
        "evidence": ["gk-huyen.pdf", "anh-tiet-day.jpg"],
        "award": "Giấy khen",
    },
    {
        "name": "Tổ Khoa học tự nhiên",
        "category": "Tập thể",
        "position": "",
        "achievements": "100% giáo viên đạt chuẩn",
        "evidence": "bao-cao-to.docx",
        "award": "Giấy khen",
    },
]


def test_nomination_list_with_title_rows_and_two_row_header():
    document = read_xlsx(nomination_xlsx(NOMINEES))
    assert document.format == "xlsx" and document.notes == ()
    (table,) = document.tables
    assert table.sheet == "Danh sách"
    assert len({len(row) for row in table.rows}) == 1 and len(table.rows[0]) == 7
    assert table.rows[0][:3] == ("PHÒNG GD&ĐT HUYỆN PHONG ĐIỀN",) * 3 and table.rows[0][3] == ""
    assert table.rows[3] == (table.rows[3][0],) * 7 and table.rows[3][0].startswith("DANH SÁCH TẬP THỂ")
    assert table.rows[6] == NOMINATION_HEADER == table.rows[7]  # merged over rows 7-8
    assert table.rows[8] == (
        "1",
        "Nguyễn Văn A",
        "Giáo viên",
        "Tổ trưởng",
        "Giải Nhất giáo viên dạy giỏi cấp huyện",
        "gk-huyen.pdf\nanh-tiet-day.jpg",
        "Giấy khen",
    )
    assert table.rows[9] == (
        "2",
        "Tổ Khoa học tự nhiên",
        "Tập thể",
        "",
        "100% giáo viên đạt chuẩn",
        "bao-cao-to.docx",
        "Giấy khen",
    )
    assert table.rows[-1] == ("", "Người lập biểu", "", "", "", "HIỆU TRƯỞNG", "HIỆU TRƯỞNG")


def test_sheets_in_workbook_order_hidden_ones_last():
    data = make_xlsx(
        {"Tra cứu": [["Giáo viên"]], "Danh sách": [["STT"]], "Tổng hợp": [["x"]]}, hidden=["Tra cứu"]
    )
    document = read_xlsx(data)
    assert [table.sheet for table in document.tables] == ["Danh sách", "Tổng hợp", "Tra cứu"]
    assert document.notes == ("hidden sheets",)


def test_empty_sheet_is_an_empty_table():
    assert read_xlsx(make_xlsx({"Trống": [], "Dữ liệu": [["a"]]})).tables == (
        Table(rows=(), sheet="Trống"),
        Table(rows=(("a",),), sheet="Dữ liệu"),
    )


def test_coordinates_kept_and_trailing_blanks_trimmed():
    rows = [[], [None, "Họ và tên", None, None], [None, "Lê Văn C", None, "   "], [], [None, None]]
    (table,) = read_xlsx(make_xlsx({"S": rows})).tables
    assert table.rows == (("", ""), ("", "Họ và tên"), ("", "Lê Văn C"))


def test_merges_both_ways():
    rows = [["STT", "Thông tin", None], [None, "Tên", "Chức vụ"], ["1", "A", "B"]]
    (table,) = read_xlsx(make_xlsx({"S": rows}, {"S": ["B1:C1", "A1:A2"]})).tables
    assert table.rows == (("STT", "Thông tin", "Thông tin"), ("STT", "Tên", "Chức vụ"), ("1", "A", "B"))


def test_values_as_excel_shows_them():
    rows = [
        [1.0, 12.5, 3, 0.1 + 0.2, Formatted(0.95, "0%"), Formatted(0.125, "0.0%"), 1e20, -2.50],
        [
            date(2024, 3, 5),
            datetime(2024, 3, 5, 14, 30),
            Formatted(datetime(2018, 3, 15), "dd/mm/yyyy"),
            True,
            "=SUM(A1:B1)",
        ],
    ]
    (table,) = read_xlsx(make_xlsx({"S": rows})).tables
    assert table.rows[0] == ("1", "12.5", "3", "0.3", "95%", "12.5%", "100000000000000000000", "-2.5")
    # A formula saved without a cached result shows nothing, as in a viewer that does not recalculate.
    assert table.rows[1] == ("05/03/2024", "05/03/2024 14:30", "15/03/2018", "TRUE", "", "", "", "")


def test_render_cell_edge_cases():
    assert render_cell(None) == ""
    assert render_cell(0.0001) == "0.0001"
    assert render_cell(1.5e-7) == "0.00000015"
    assert render_cell(float("nan")) == "nan"
    assert render_cell(0.07, "0%") == "7%"


def test_text_cleaned_but_cell_line_breaks_kept():
    nfd = unicodedata.normalize("NFD", "Nguyễn\u00a0 Văn  A")
    (table,) = read_xlsx(make_xlsx({"S": [[nfd, "Giấy khen\nẢnh\n\n"]]})).tables
    assert table.rows == (("Nguyễn Văn A", "Giấy khen\nẢnh"),)


def test_macro_enabled_workbook():
    xlsm = rewrite_part(
        make_xlsx({"S": [["x"]]}),
        "[Content_Types].xml",
        lambda xml: xml.replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        ),
    )
    document = read_xlsx(xlsm)
    assert document.notes == ("macros",) and document.tables[0].rows == (("x",),)


def _reason(data: bytes) -> tuple[str, str]:
    with pytest.raises(UnreadableDocument) as caught:
        read_xlsx(data)
    return caught.value.reason, caught.value.detail


def test_corrupt_and_truncated():
    data = nomination_xlsx(NOMINEES)
    for cut in (len(data) // 2, len(data) - 10, 50):
        assert _reason(data[:cut])[0] == "corrupt"
    broken = rewrite_part(data, "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])
    assert _reason(broken)[0] == "corrupt"
    entity = rewrite_part(data, "xl/workbook.xml", lambda xml: b'<!DOCTYPE w [<!ENTITY x "y">]>' + xml)
    assert _reason(entity) == ("corrupt", "xml entities")


def test_openpyxl_parses_with_defusedxml_behind_the_entity_check():
    """The byte check above refuses any DTD; behind it, openpyxl reads worksheets with
    defusedxml's parser (it does whenever defusedxml is installed) and other parts with lxml
    without entity resolution."""
    import openpyxl.xml
    import openpyxl.xml.functions

    assert openpyxl.xml.DEFUSEDXML
    assert openpyxl.xml.functions.iterparse.__module__.startswith("defusedxml")


def test_giant_merge_is_refused_before_loading():
    data = rewrite_part(
        make_xlsx({"S": [["a"]]}, {"S": ["A1:B2"]}),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'ref="A1:B2"', b'ref="A1:XFD1048576"'),
    )
    started = time.perf_counter()
    assert _reason(data)[0] == "too_large"
    assert time.perf_counter() - started < 1
