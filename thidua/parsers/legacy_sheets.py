"""Excel 97-2003 (.xls) and OpenDocument (.ods) workbooks, read with calamine, as one Table per sheet.

The result has the shape of ``xlsx.read_xlsx``: ``rows[i][j]`` is sheet row i+1,
column j+1; trailing empty rows and columns trimmed; merged ranges repeated in
every covered cell; visible sheets first, hidden ones last. So the forms code
understands a list saved in an old format exactly like its .xlsx twin.

calamine gives merged ranges of .xls files but not of .ods ones; those are read
from the spans in ``content.xml``. It does not give number formats: a
percentage shows as its fraction (0.95, not 95%).
"""
from __future__ import annotations

import io
import zipfile
import python_calamine
from defusedxml.ElementTree import iterparse

from thidua.parsers.archive import check_office_package
from thidua.parsers.content import DocumentText, Table, UnreadableDocument
from thidua.parsers.protection import check_not_encrypted
from thidua.parsers.xlsx import MAX_COLUMNS, MAX_MERGED_CELLS, MAX_ROWS, render_cell

# (first row, first column, last row, last column), 0-based and inclusive like calamine's.
Merge = tuple[int, int, int, int]

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_TABLE, _ODS_ROW = f"{_TABLE}table", f"{_TABLE}table-row"
_ODS_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
_MAX_MERGES = 100_000


def read_xls(data: bytes) -> DocumentText:
    """An Excel 97-2003 workbook; raises UnreadableDocument."""
    check_not_encrypted(data, "xls")
    return _read_workbook(data, "xls", ods_merges=None)


def read_ods(data: bytes) -> DocumentText:
    """An OpenDocument spreadsheet; raises UnreadableDocument."""
    check_office_package(data, "content.xml")
    check_not_encrypted(data, "ods")
    try:
        merges = _ods_merges(data)
    except UnreadableDocument:
        raise
    except Exception as error:
        raise UnreadableDocument("corrupt", f"{type(error).__name__}: {error}"[:200]) from None
    return _read_workbook(data, "ods", ods_merges=merges)


def _read_workbook(data: bytes, kind: str, ods_merges: dict[str, list[Merge]] | None) -> DocumentText:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [m for m in workbook.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
        visible = [m.name for m in sheets if m.visible == python_calamine.SheetVisibleEnum.Visible]
        hidden = [m.name for m in sheets if m.visible != python_calamine.SheetVisibleEnum.Visible]
        tables = []
        for name in visible + hidden:
            sheet = workbook.get_sheet_by_name(name)
            merges = ods_merges.get(name, []) if ods_merges is not None else _calamine_merges(sheet)
            # With skip_empty_area off, row 0 is the sheet's row 1 and column 0 its column A.
            rows = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS)
            more_rows = sheet.end is not None and sheet.end[0] >= MAX_ROWS
            tables.append(_sheet_table(name, rows, merges, more_rows))
    except UnreadableDocument:
        raise
    except Exception as error:  # calamine's errors: damaged streams, unknown records, bad XML
        raise UnreadableDocument("corrupt", f"{type(error).__name__}: {error}"[:200]) from None
    notes = []
    if hidden:
        notes.append("hidden sheets")
    if any(truncated for _, truncated in tables):
        notes.append("truncated")
    return DocumentText(format=kind, blocks=tuple(table for table, _ in tables), notes=tuple(notes))


def _calamine_merges(sheet) -> list[Merge]:
    return [(top, left, bottom, right) for (top, left), (bottom, right) in sheet.merged_cell_ranges or ()]


def _sheet_table(name: str, rows: list[list], merges: list[Merge], more_rows: bool) -> tuple[Table, bool]:
    texts: dict[tuple[int, int], str] = {}
    truncated = more_rows
    for row_index, row in enumerate(rows):
        if len(row) > MAX_COLUMNS:
            truncated = truncated or any(value not in ("", None) for value in row[MAX_COLUMNS:])
            row = row[:MAX_COLUMNS]
        for column_index, value in enumerate(row):
            text = render_cell(value)
            if text:
                texts[(row_index, column_index)] = text
    if not texts:
        return Table(rows=(), sheet=name), truncated
    height = max(row for row, _ in texts) + 1
    width = max(column for _, column in texts) + 1
    # As in xlsx.py: merges are clipped to the written area. Many overlapping
    # merges could still cost that area each time; a real sheet's cover it once.
    clipped = [(top, left, min(bottom, height - 1), min(right, width - 1))
               for top, left, bottom, right in merges if (top, left) in texts]
    area = sum((bottom - top + 1) * (right - left + 1) for top, left, bottom, right in clipped)
    if area > MAX_MERGED_CELLS:
        raise UnreadableDocument("too_large", f"merged ranges cover {area} cells")
    for top, left, bottom, right in clipped:
        text = texts[(top, left)]
        for row in range(top, bottom + 1):
            for column in range(left, right + 1):
                texts[(row, column)] = text
    table_rows = tuple(
        tuple(texts.get((row, column), "") for column in range(width)) for row in range(height)
    )
    return Table(rows=table_rows, sheet=name), truncated


def _ods_merges(data: bytes) -> dict[str, list[Merge]]:
    """Merged ranges per sheet name, from the spans of ``content.xml``'s cells.

    Rows and cells may carry repeat counts (a million empty rows is one element),
    so positions are counted, never expanded.
    """
    merges: dict[str, list[Merge]] = {}
    depth = 0  # of nested tables; only a sheet's own rows count
    sheet, row, column, row_repeat = "", 0, 0, 1
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as content:
        for event, element in iterparse(content, events=("start", "end")):
            tag = element.tag
            if event == "end":
                if tag == _ODS_TABLE:
                    depth -= 1
                elif tag == _ODS_ROW and depth == 1:
                    row += row_repeat
                if tag in (_ODS_ROW, _ODS_TABLE):
                    element.clear()  # keeps memory flat on a large sheet
                continue
            if tag == _ODS_TABLE:
                depth += 1
                if depth == 1:
                    sheet, row = element.get(f"{_TABLE}name", ""), 0
                    merges.setdefault(sheet, [])
            elif depth != 1:
                continue
            elif tag == _ODS_ROW:
                column, row_repeat = 0, _count(element.get(f"{_TABLE}number-rows-repeated"))
            elif tag in _ODS_CELLS:
                rows = _count(element.get(f"{_TABLE}number-rows-spanned"))
                columns = _count(element.get(f"{_TABLE}number-columns-spanned"))
                if (rows > 1 or columns > 1) and len(merges[sheet]) < _MAX_MERGES:
                    merges[sheet].append((row, column, row + rows - 1, column + columns - 1))
                column += _count(element.get(f"{_TABLE}number-columns-repeated"))
    return merges


def _count(value: str | None) -> int:
    try:
        return max(1, int(value)) if value else 1
    except ValueError:
        return 1
