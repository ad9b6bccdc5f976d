"""Excel workbooks (.xlsx, .xlsm) as one Table per worksheet.

Rows and columns keep their sheet coordinates (``rows[i][j]`` is Excel row
i+1, column j+1) so that messages can point at a cell; only trailing empty
rows and columns are trimmed. Cells show what Excel shows: cached formula
results, merged ranges repeated in every covered cell, dates as dd/mm/yyyy,
text typed in the old Vietnamese fonts (TCVN3, VNI) as the Unicode it shows.
"""
from __future__ import annotations

import io
import math
import re
import zipfile
import warnings
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import openpyxl
from openpyxl.utils.cell import range_boundaries

from thidua.parsers import vnlegacy
from thidua.parsers.archive import check_office_package
from thidua.parsers.content import DocumentText, Table, UnreadableDocument
from thidua.parsers.filetypes import sniff
from thidua.text import clean

# A form is a few hundred cells; these bound a hostile sheet, not a real one.
MAX_ROWS = 20_000
MAX_COLUMNS = 512
# openpyxl creates an object for every cell a merge covers while loading, so a
# merged A1:XFD1048576 in a 2 KB file would never finish; refuse it beforehand.
MAX_MERGED_CELLS = 1_000_000
_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z0-9:$]+)\"")


def read_xlsx(data: bytes) -> DocumentText:
    """Visible sheets in workbook order, then hidden ones; raises UnreadableDocument."""
    check_office_package(data, "xl/workbook.xml")
    try:
        _check_merged_area(data)
        with warnings.catch_warnings():
            # openpyxl warns about every extension it ignores (validation, slicers…).
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
        visible = [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
        hidden = [sheet for sheet in workbook.worksheets if sheet.sheet_state != "visible"]
        fonts = _LegacyFonts.of(workbook)
        tables = [_sheet_table(sheet, fonts) for sheet in visible + hidden]
    except UnreadableDocument:
        raise
    except Exception as error:
        raise UnreadableDocument("corrupt", f"{type(error).__name__}: {error}"[:200]) from None
    notes = []
    if sniff(data) == "xlsm":
        notes.append("macros")
    if hidden:
        notes.append("hidden sheets")
    if any(truncated for _, truncated in tables):
        notes.append("truncated")
    return DocumentText(format="xlsx", blocks=tuple(table for table, _ in tables), notes=tuple(notes))


def _sheet_table(sheet, fonts: _LegacyFonts | None) -> tuple[Table, bool]:
    texts: dict[tuple[int, int], str] = {}
    # ``_cells`` holds only the cells the file defines; iter_rows() would
    # materialise the whole bounding box, which one stray format can make huge.
    for (row, column), cell in sheet._cells.items():
        if cell.value is not None:
            if fonts is None:
                text = render_cell(cell.value, cell.number_format)
            else:
                encoding = fonts.of_cell(cell)
                text = render_cell(cell.value, cell.number_format, font_encoding=encoding,
                                   font_trusted=encoding in fonts.trusted)
            if text:
                texts[(row, column)] = text
    if not texts:
        return Table(rows=(), sheet=sheet.title), False
    height = max(row for row, _ in texts)
    width = max(column for _, column in texts)
    truncated = height > MAX_ROWS or width > MAX_COLUMNS
    height, width = min(height, MAX_ROWS), min(width, MAX_COLUMNS)
    # Merges are clipped to the written area: rows that would hold nothing but
    # a repeated merged value carry no information, and a hostile A:A merge
    # must not cost a million cells.
    for merged in sheet.merged_cells.ranges:
        text = texts.get((merged.min_row, merged.min_col))
        if text:
            for row in range(merged.min_row, min(merged.max_row, height) + 1):
                for column in range(merged.min_col, min(merged.max_col, width) + 1):
                    texts[(row, column)] = text
    rows = tuple(
        tuple(texts.get((row, column), "") for column in range(1, width + 1))
        for row in range(1, height + 1)
    )
    return Table(rows=rows, sheet=sheet.title), truncated


class _LegacyFonts:
    """The legacy encoding of each cell's font, for workbooks whose styles name a legacy font."""

    def __init__(self, encodings: list[str | None]) -> None:
        self._encodings = encodings
        self.trusted: frozenset[str] = frozenset()

    @classmethod
    def of(cls, workbook) -> _LegacyFonts | None:
        """None for the usual workbook with no legacy font: its cells then cost nothing more."""
        encodings = [vnlegacy.legacy_encoding_of_font(font.name) for font in workbook._fonts]
        if not any(encodings):
            return None
        fonts = cls(encodings)
        fonts.trusted = vnlegacy.trusted_encodings(
            (encoding, cell.value) for sheet in workbook.worksheets for cell in sheet._cells.values()
            if isinstance(cell.value, str) and (encoding := fonts.of_cell(cell)))
        return fonts

    def of_cell(self, cell) -> str | None:
        font_id = cell._style.fontId
        return self._encodings[font_id] if 0 <= font_id < len(self._encodings) else None


def _check_merged_area(data: bytes) -> None:
    archive = zipfile.ZipFile(io.BytesIO(data))
    area = 0
    for name in archive.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            for ref in _MERGE_REF.findall(archive.read(name)):
                try:
                    min_col, min_row, max_col, max_row = range_boundaries(ref.decode("ascii"))
                except (TypeError, ValueError):
                    continue  # openpyxl will judge a malformed reference itself
                columns = (max_col or 16_384) - (min_col or 1) + 1
                rows = (max_row or 1_048_576) - (min_row or 1) + 1
                area += columns * rows
    if area > MAX_MERGED_CELLS:
        raise UnreadableDocument("too_large", f"merged ranges cover {area} cells")


def render_cell(value, number_format: str = "General", *, font_encoding: str | None = None,
                font_trusted: bool = True) -> str:
    """A cell value as Excel would show it to a Vietnamese clerk, minus thousands separators.

    Text in a legacy Vietnamese font (``font_encoding``, see vnlegacy) is decoded;
    text of unknown font is decoded when it clearly holds TCVN3 or VNI codes.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if "%" in (number_format or ""):
            return _number(value * 100) + "%"
        return _number(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, timedelta):
        return str(value)
    return clean(vnlegacy.convert(str(value), font_encoding, trusted=font_trusted))


def _number(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = format(value, ".15g")  # drops binary noise: 0.1 + 0.2 shows as 0.3
    return format(Decimal(text), "f") if "e" in text else text
