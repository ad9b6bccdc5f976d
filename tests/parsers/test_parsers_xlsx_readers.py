"""The two .xlsx readers agree: calamine, for the usual workbook, gives exactly the tables
openpyxl gives; workbooks that need cell formats or fonts, or that calamine would build too
large, go to openpyxl."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.builders import Formatted, make_xlsx, nomination_xlsx, rewrite_part
from thidua.parsers.ooxml import OfficePackage
from thidua.parsers.xlsx import _calamine_reads_it_alike, _read_with_openpyxl, read_xlsx

NOMINEE = {
    "name": "Nguyễn Thị Hoa",
    "category": "Giáo viên",
    "position": "Giáo viên Toán",
    "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện; 2 học sinh giỏi tỉnh.",
    "evidence": ["Giấy khen.pdf", "Ảnh lễ trao giải.jpg"],
    "award": "Giấy khen",
}


def by_calamine(data: bytes) -> bool:
    return _calamine_reads_it_alike(OfficePackage(data))


WORKBOOKS = {
    "nomination list": nomination_xlsx([NOMINEE, dict(NOMINEE, name="Tổ Toán – Tin", category="Tập thể")]),
    "nomination list with column numbers": nomination_xlsx(
        [NOMINEE] * 12, column_numbers=True, signature=False
    ),
    "merges both ways": make_xlsx(
        {"S": [["STT", "Thông tin", None], [None, "Tên", "Chức vụ"], ["1", "A", "B"]]},
        {"S": ["B1:C1", "A1:A2"]},
    ),
    "sheets, hidden last": make_xlsx(
        {"Ẩn": [["ẩn"]], "Trống": [], "Danh sách": [["STT"], [1]]}, hidden=["Ẩn"]
    ),
    "values": make_xlsx(
        {
            "S": [
                [1.0, 12.5, 3, 0.1 + 0.2, 1e20, -2.50, True, False, "=SUM(A1:B1)"],
                [
                    date(2024, 3, 5),
                    datetime(2024, 3, 5, 14, 30),
                    Formatted(datetime(2018, 3, 15), "dd/mm/yyyy"),
                    Formatted(45000, "0.00"),
                ],
            ]
        }
    ),
    "text": make_xlsx({"S": [["Nguye\u0302\u0303n\u00a0 Văn  A", "Giấy khen\nẢnh\n\n", "  ", "x"]]}),
    "coordinates and blanks": make_xlsx(
        {"S": [[], [None, "Họ và tên", None, None], [None, "Lê Văn C", None, "   "]]}
    ),
}


@pytest.mark.parametrize("name", sorted(WORKBOOKS))
def test_calamine_reads_the_usual_workbook_exactly_as_openpyxl(name):
    data = WORKBOOKS[name]
    assert by_calamine(data)
    assert read_xlsx(data) == _read_with_openpyxl(data)


def test_a_cached_formula_result_is_read_by_both():
    data = rewrite_part(
        make_xlsx({"S": [[1, 2, "=A1+B1"]]}),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"<f>A1+B1</f><v></v>", b"<f>A1+B1</f><v>3</v>"),
    )
    assert b"<v>3</v>" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert read_xlsx(data) == _read_with_openpyxl(data)
    assert read_xlsx(data).tables[0].rows == (("1", "2", "3"),)


def test_error_values_need_openpyxl():
    data = make_xlsx({"S": [["#N/A", "#DIV/0!", "ok"]]})
    assert not by_calamine(data)
    assert read_xlsx(data).tables[0].rows == (("#N/A", "#DIV/0!", "ok"),)


def test_percentages_need_openpyxl():
    data = make_xlsx({"S": [[Formatted(0.95, "0%"), Formatted(0.125, "0.0%")]]})
    assert not by_calamine(data)
    assert read_xlsx(data).tables[0].rows == (("95%", "12.5%"),)


def test_a_legacy_vietnamese_font_needs_openpyxl():
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.active["A1"] = "Tr\xad\xeang THCS"  # "Trường THCS" typed in .VnTime
    workbook.active["A1"].font = Font(name=".VnTime")
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert not by_calamine(buffer.getvalue())
    assert read_xlsx(buffer.getvalue()).tables[0].rows == (("Trường THCS",),)


def test_a_far_away_cell_is_not_given_to_calamine():
    """calamine would build every cell between A1 and XFD1048576 and abort; openpyxl keeps the two."""
    data = rewrite_part(
        make_xlsx({"S": [["a"]]}),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b"</sheetData>",
            b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>b</t></is></c></row></sheetData>',
        ),
    )
    assert not by_calamine(data)
    assert read_xlsx(data).notes == ("truncated",)


def test_cells_without_their_address_go_to_openpyxl():
    data = rewrite_part(
        make_xlsx({"S": [["a", "b"]]}), "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b' r="B1"', b"")
    )
    assert not by_calamine(data)
    assert read_xlsx(data).tables[0].rows == (("a", "b"),)


def with_shared_strings(data: bytes, strings: list[str], cells: str) -> bytes:
    """``data`` with a shared-strings part holding ``strings``, and ``cells`` added to its sheet."""
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    sst = (
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()
    data = rewrite_part(
        data,
        "xl/_rels/workbook.xml.rels",
        lambda xml: xml.replace(
            b"</Relationships>",
            (
                b'<Relationship Id="rIdSst" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/sharedStrings"/></Relationships>'
            ),
        ),
    )
    data = rewrite_part(
        data,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            b"</Types>",
            (
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                b'spreadsheetml.sharedStrings+xml"/></Types>'
            ),
        ),
    )
    data = rewrite_part(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"</sheetData>", cells.encode() + b"</sheetData>"),
    )
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", sst)
    return buffer.getvalue()


def test_shared_strings_are_read_by_both():
    data = with_shared_strings(
        make_xlsx({"S": [["STT"]]}),
        ["Họ và tên", "Chức vụ"],
        '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>0</v></c></row>',
    )
    assert by_calamine(data)
    assert read_xlsx(data) == _read_with_openpyxl(data)
    assert read_xlsx(data).tables[0].rows == (("STT", ""), ("Chức vụ", "Họ và tên"))


def test_a_shared_string_copied_into_many_cells_is_counted():
    """calamine copies a shared string into every cell that shows it: 400 cells of a 70,000-character
    string would be 28 million characters."""
    cells = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>0</v></c></row>' for n in range(2, 402))
    data = with_shared_strings(make_xlsx({"S": [["STT"]]}), ["Đổi mới sáng tạo " * 4000], cells)
    assert not by_calamine(data)
    assert len(read_xlsx(data).tables[0].rows) == 401


CELL = st.one_of(
    st.none(),
    st.text(
        alphabet=st.sampled_from("aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁẢÃẠàáảãạ0123456789 .,-/()\n"), max_size=20
    ),
    st.integers(-(10**17), 10**17),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(CELL, max_size=6), max_size=8),
    merge=st.one_of(
        st.none(), st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(0, 2), st.integers(0, 2))
    ),
)
def test_both_readers_agree_on_random_sheets(rows, merge):
    merges = []
    if merge is not None:
        top, left, down, right = merge
        merges = [f"{chr(64 + left)}{top}:{chr(64 + left + right)}{top + down}"] if down or right else []
    data = make_xlsx({"S": rows}, {"S": merges})
    assert by_calamine(data)
    assert read_xlsx(data) == _read_with_openpyxl(data)
