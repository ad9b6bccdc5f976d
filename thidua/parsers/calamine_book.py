"""A workbook read with calamine (python-calamine) as one Table per sheet, in the shape of
``xlsx.read_xlsx``: ``rows[i][j]`` is sheet row i+1, column j+1; trailing empty rows and
columns trimmed; merged ranges repeated in every covered cell; visible sheets first, hidden
ones last.

calamine builds what a file claims, and aborts the process when an allocation fails: the
callers measure a stranger's workbook before it gets here (see xls, ods, xlsx).
"""

from __future__ import annotations

import io

import python_calamine

from thidua.parsers.cells import MAX_COLUMNS, MAX_MERGED_CELLS, MAX_ROWS, render_cell
from thidua.parsers.content import DocumentText, Table, UnreadableDocument

# (first row, first column, last row, last column), 0-based and inclusive like calamine's.
Merge = tuple[int, int, int, int]
# What calamine may build for one workbook: cells of the sheets' grids (about 40 bytes
# each in calamine, then a Python object each, then rendered one by one: a million take
# seconds) and characters of cell text once repeats and shared strings are expanded.
# A real list is a few thousand cells.
MAX_GRID_CELLS = 1_000_000
MAX_TEXT_CHARS = 20_000_000


def read_workbook(
    data: bytes, kind: str, merges_by_sheet: dict[str, list[Merge]] | None = None
) -> DocumentText:
    """Visible sheets, then hidden ones; ``merges_by_sheet`` for formats whose merged ranges calamine
    does not give (.ods), else calamine's. Raises UnreadableDocument."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [m for m in workbook.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
        visible = [m.name for m in sheets if m.visible == python_calamine.SheetVisibleEnum.Visible]
        hidden = [m.name for m in sheets if m.visible != python_calamine.SheetVisibleEnum.Visible]
        tables = []
        for name in visible + hidden:
            sheet = workbook.get_sheet_by_name(name)
            merges = merges_by_sheet.get(name, []) if merges_by_sheet is not None else _calamine_merges(sheet)
            # With skip_empty_area off, row 0 is the sheet's row 1 and column 0 its column A.
            rows = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS)
            more_rows = sheet.end is not None and sheet.end[0] >= MAX_ROWS
            tables.append(_sheet_table(name, rows, merges, more_rows))
    except UnreadableDocument:
        raise
    except Exception as error:  # calamine's errors: damaged streams, unknown records, bad XML
        raise UnreadableDocument("corrupt", f"{type(error).__name__}: {error}"[:200]) from None
    except BaseException as error:
        # pyo3 raises a Rust panic (an index out of range in a damaged file) as
        # PanicException, a BaseException that ``except Exception`` lets through.
        if type(error).__name__ != "PanicException":
            raise
        raise UnreadableDocument("corrupt", f"calamine: {error}"[:200]) from None
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
    clipped = [
        (top, left, min(bottom, height - 1), min(right, width - 1))
        for top, left, bottom, right in merges
        if (top, left) in texts
    ]
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
