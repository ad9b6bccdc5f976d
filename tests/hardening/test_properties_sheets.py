"""Excel 97-2003 and OpenDocument workbooks from strangers: a result or the reader's own refusal.

calamine reads both, and a failed allocation in it aborts the process (no exception to
catch), so a workbook that asks for too much must be refused before calamine sees it.
Hostile workbooks are therefore built record by record (BIFF8) and element by element
(content.xml), besides the byte mutations every reader gets.
"""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz.seeds import make_ods, ods_cell, ods_row, seed_files
from tests.support.container_builders import make_compound_file
from tests.support.properties import BOUNDED, looping_mini_fat, memory_ceiling, mutations
from thidua.parsers.calamine_book import MAX_GRID_CELLS
from thidua.parsers.content import DocumentText, UnreadableDocument
from thidua.parsers.ods import read_ods
from thidua.parsers.xls import read_xls

SEEDS = seed_files()
# A parser that hangs fails its test here, not at the suite's five minutes.
pytestmark = pytest.mark.timeout(120)


def result_or_refusal(read, data: bytes) -> DocumentText | None:
    try:
        document = read(data)
    except UnreadableDocument as refusal:
        assert refusal.reason in UnreadableDocument.REASONS
        return None
    assert isinstance(document, DocumentText)
    return document


def refusal(read, data: bytes) -> UnreadableDocument:
    with pytest.raises(UnreadableDocument) as caught:
        read(data)
    return caught.value


def test_the_seed_workbooks_read_as_written():
    xls, ods = read_xls(SEEDS["xls"]), read_ods(SEEDS["ods"])
    assert xls.tables[0].rows == (
        ("DANH SÁCH ĐỀ NGHỊ",) * 2,
        ("STT", "Họ và tên"),
        ("1", "Nguyễn Thị Hoa"),
        ("2", "Lê Văn Nam"),
    )
    assert xls.tables[1].sheet == "Ẩn" and "hidden sheets" in xls.notes
    assert ods.tables[0].rows == (("DANH SÁCH ĐỀ NGHỊ",) * 2, ("STT", "Họ và tên"), ("1", "Nguyễn Thị Hoa"))
    assert ods.tables[1].rows == (("", "Ô B1"),)


# ----------------------------------------------------------------------------- bytes


@BOUNDED
@given(st.one_of(st.binary(max_size=4096), mutations(SEEDS["xls"])))
def test_read_xls_on_damaged_bytes(data):
    result_or_refusal(read_xls, data)


@BOUNDED
@given(st.one_of(st.binary(max_size=4096), mutations(SEEDS["ods"])))
def test_read_ods_on_damaged_bytes(data):
    result_or_refusal(read_ods, data)


# ----------------------------------------------------------------------------- BIFF8 records


def record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def bof(kind: int) -> bytes:
    return record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x0006))


def workbook(*sheets: bytes, globals_records: bytes = b"") -> bytes:
    """A compound file whose Workbook stream lists ``sheets`` (each a sheet's records after its BOF)."""

    def head(positions):
        listed = b"".join(
            record(0x0085, struct.pack("<IBB", position, 0, 0) + struct.pack("<BB", 2, 0) + b"S%d" % i)
            for i, position in enumerate(positions)
        )
        return (
            bof(0x0005)
            + record(0x0042, struct.pack("<H", 1200))
            + globals_records
            + listed
            + record(0x000A, b"")
        )

    bodies = [bof(0x0010) + sheet + record(0x000A, b"") for sheet in sheets]
    position, positions = len(head([0] * len(sheets))), []
    for body in bodies:
        positions.append(position)
        position += len(body)
    return make_compound_file({"Workbook": head(positions) + b"".join(bodies)})


def label(row: int, column: int, text: str = "x") -> bytes:
    return record(0x0204, struct.pack("<HHHHB", row, column, 15, len(text), 1) + text.encode("utf-16-le"))


def dimensions(first_row: int, last_row: int, first_column: int, last_column: int) -> bytes:
    return record(0x0200, struct.pack("<IIHHH", first_row, last_row, first_column, last_column, 0))


rows = st.one_of(st.integers(0, 40), st.integers(0, 0xFFFF))
columns = st.one_of(st.integers(0, 20), st.integers(0, 0xFFFF))
cell_records = st.one_of(
    st.builds(label, rows, columns),
    st.builds(
        lambda row, column, value: record(0x0203, struct.pack("<HHHd", row, column, 15, value)),
        rows,
        columns,
        st.floats(allow_nan=False),
    ),
    st.builds(
        lambda row, column, index: record(0x00FD, struct.pack("<HHHI", row, column, 15, index)),
        rows,
        columns,
        st.integers(0, 3),
    ),
    st.builds(
        lambda row, column, count: record(
            0x00BD,
            struct.pack("<HH", row, column)
            + bytes(6 * count)
            + struct.pack("<H", (column + count - 1) & 0xFFFF),
        ),
        rows,
        columns,
        st.integers(1, 40),
    ),
    st.builds(dimensions, st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), columns, columns),
    st.builds(lambda kind, body: record(kind, body), st.integers(0, 0x0900), st.binary(max_size=24)),
)
shared_strings = st.builds(
    lambda texts, declared: record(
        0x00FC,
        struct.pack("<ii", declared, declared)
        + b"".join(struct.pack("<HB", len(t), 1) + t.encode("utf-16-le") for t in texts),
    ),
    st.lists(st.text(max_size=8), max_size=4),
    st.integers(-5, 2**31 - 1),
)


@BOUNDED
@given(
    st.lists(st.lists(cell_records, max_size=12), min_size=1, max_size=3),
    st.one_of(st.just(b""), shared_strings),
)
def test_read_xls_on_hostile_records(sheets, globals_records):
    result_or_refusal(
        read_xls, workbook(*(b"".join(sheet) for sheet in sheets), globals_records=globals_records)
    )


def test_a_dimensions_record_with_its_first_row_after_its_last_is_harmless():
    # 128 > 2: calamine's (last - first) wraps to four billion rows and it reserved 343 GB;
    # the 5 kB file aborted the process. The record is only a hint: the sheet reads.
    document = read_xls(workbook(dimensions(128, 2, 0, 2) + label(0, 0, "STT") + label(0, 1, "Họ và tên")))
    assert document.tables[0].rows == (("STT", "Họ và tên"),)


def test_a_dimensions_record_claiming_the_whole_grid_is_harmless():
    document = read_xls(workbook(dimensions(0, 0xFFFF0000, 0, 0xFFFF) + label(0, 0, "STT")))
    assert document.tables[0].rows == (("STT",),)


@pytest.mark.parametrize(
    "cells",
    [
        [(0, 0), (0xFFFF, 0xFF)],  # calamine builds every cell of the bounding box: 16.7 million
        [(60000, 60000)],  # one cell, but to_python builds 20 000 rows of 60 001 cells from A1
    ],
)
def test_a_sheet_calamine_would_build_too_large_is_refused(cells):
    data = workbook(b"".join(label(row, column) for row, column in cells))
    assert len(data) < 5000
    assert refusal(read_xls, data).reason == "too_large"


def test_shared_strings_copied_into_many_cells_are_refused():
    # Every cell that points at a shared string gets its own copy of it: 30 000 cells of a
    # 32 000-character string are a 2 GB workbook made of a 300 kB file.
    text = "x" * 32_000
    strings = record(
        0x00FC, struct.pack("<ii", 1, 1) + struct.pack("<HB", len(text), 0) + text[:8_000].encode()
    )
    strings += b"".join(record(0x003C, b"\x00" + text[:8_000].encode()) for _ in range(3))
    cells = b"".join(record(0x00FD, struct.pack("<HHHI", row, 0, 15, 0)) for row in range(30_000))
    assert refusal(read_xls, workbook(cells, globals_records=strings)).reason == "too_large"


def test_a_record_too_short_for_calamine_is_corrupt_not_a_panic():
    # calamine reads a BOUNDSHEET's fields without checking its length and panics; pyo3
    # raises that as PanicException, a BaseException that ``except Exception`` let through.
    data = make_compound_file({"Workbook": bof(0x0005) + record(0x0085, b"\x01") + record(0x000A, b"")})
    assert refusal(read_xls, data).reason == "corrupt"


def test_a_compound_file_claiming_a_billion_sector_mini_fat_is_corrupt():
    # olefile reads as many mini FAT sectors as the header claims, following a FAT that may
    # loop: this 2.5 kB workbook made it allocate until memory ran out.
    with memory_ceiling():
        assert refusal(read_xls, looping_mini_fat(SEEDS["xls"])).reason == "corrupt"


# ----------------------------------------------------------------------------- content.xml


counts = st.one_of(st.integers(1, 4), st.integers(1, 2**31))
ods_cells = st.one_of(
    st.builds(
        lambda text, repeat: ods_cell(text, number_columns_repeated=repeat), st.text(max_size=6), counts
    ),
    st.builds(lambda repeat: ods_cell(None, number_columns_repeated=repeat), counts),
    st.builds(
        lambda value, down, across: ods_cell(value, number_rows_spanned=down, number_columns_spanned=across),
        st.integers(0, 9),
        counts,
        counts,
    ),
    st.builds(
        lambda spaces: (
            '<table:table-cell office:value-type="string">'
            f'<text:p>a<text:s text:c="{spaces}"/></text:p></table:table-cell>'
        ),
        counts,
    ),
    st.just("<table:covered-table-cell/>"),
)
ods_rows = st.builds(
    lambda cells, repeat: ods_row(*cells, repeated=repeat), st.lists(ods_cells, max_size=5), counts
)


@BOUNDED
@given(st.lists(st.lists(ods_rows, max_size=6), min_size=1, max_size=3))
def test_read_ods_on_hostile_repeats_and_spans(sheets):
    result_or_refusal(read_ods, make_ods({f"S{index}": rows_ for index, rows_ in enumerate(sheets)}))


@pytest.mark.parametrize(
    "rows_",
    [
        # 100 000 rows of 1 000 copies of a value: calamine expands them all
        [ods_row(ods_cell("x", number_columns_repeated=1000), repeated=100_000)],
        # one value in column 16 001 of 19 000 rows: to_python builds every cell from A1
        [ods_row(ods_cell(None, number_columns_repeated=16_000), ods_cell("x"), repeated=19_000)],
        # one cell holding two billion spaces
        [
            '<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="2000000000"/>'
            "</text:p></table:table-cell></table:table-row>"
        ],
    ],
)
def test_an_ods_calamine_would_build_too_large_is_refused(rows_):
    data = make_ods({"Danh sách": rows_})
    assert len(data) < 2000
    assert refusal(read_ods, data).reason == "too_large"


def test_rows_in_a_rebound_table_prefix_are_counted_as_calamine_reads_them():
    # calamine matches "table:table-row" as written; binding the prefix to another namespace
    # hid these rows from a namespace-aware count, not from calamine.
    rows_ = [
        '<table:table-row xmlns:table="urn:example:other" table:number-rows-repeated="100000">'
        '<table:table-cell office:value-type="string" table:number-columns-repeated="1000"><text:p>x</text:p>'
        "</table:table-cell></table:table-row>"
    ]
    assert refusal(read_ods, make_ods({"Danh sách": rows_})).reason == "too_large"


def test_a_real_lists_empty_tail_is_not_counted():
    # LibreOffice ends every sheet with a million empty rows of 1 024 empty cells: counted as nothing.
    rows_ = [
        ods_row(ods_cell("STT"), ods_cell("Họ và tên")),
        ods_row(ods_cell(None, number_columns_repeated=1024), repeated=1_048_575),
    ]
    assert read_ods(make_ods({"Danh sách": rows_})).tables[0].rows == (("STT", "Họ và tên"),)
    assert MAX_GRID_CELLS >= 100_000  # room for a real list of thousands of rows
