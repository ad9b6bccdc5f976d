"""OpenDocument (.ods) spreadsheets, read with calamine, as one Table per sheet (the shape of
``xlsx.read_xlsx``; see ``calamine_book``).

calamine gives no merged ranges of .ods files: they are read here from the spans in
``content.xml``. calamine copies repeated cells into every cell they repeat to and builds every
cell from A1 (``to_python``), so what it will build is measured first from the elements of
``content.xml`` (``sheet_extent``) and refused beyond the limits.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from thidua.parsers.archive import check_office_package
from thidua.parsers.calamine_book import Merge, read_workbook
from thidua.parsers.content import DocumentText, UnreadableDocument
from thidua.parsers.protection import check_not_encrypted
from thidua.parsers.sheet_extent import Box, Extent

_MAX_MERGES = 100_000


def read_ods(data: bytes) -> DocumentText:
    """An OpenDocument spreadsheet; raises UnreadableDocument."""
    check_office_package(data, "content.xml")
    check_not_encrypted(data, "ods")
    try:
        merges = _ods_layout(data)
    except UnreadableDocument:
        raise
    except Exception as error:
        raise UnreadableDocument("corrupt", f"{type(error).__name__}: {error}"[:200]) from None
    return read_workbook(data, "ods", merges)


# ------------------------------------------------------------------------ .ods: content.xml

# calamine matches names as written ("table:table-row") whatever namespace the prefix is
# bound to, so this reader does too (expat without namespace processing): a file that
# rebinds the prefix must not show calamine rows that a namespace-aware count misses.
# Positions follow calamine's reading: a sheet is each named table, read up to the first
# end of a table; the cells of a row are read in turn, nothing nested in a cell counts.
_ODS_TABLE, _ODS_ROW, _ODS_NAME = "table:table", "table:table-row", "table:name"
_ODS_CELLS = ("table:table-cell", "table:covered-table-cell")
_ODS_ROWS_REPEATED, _ODS_COLUMNS_REPEATED = "table:number-rows-repeated", "table:number-columns-repeated"
_ODS_ROWS_SPANNED, _ODS_COLUMNS_SPANNED = "table:number-rows-spanned", "table:number-columns-spanned"
_ODS_FORMULA, _ODS_VALUE_TYPE = "table:formula", "office:value-type"
_ODS_VALUES = (
    "office:value",
    "office:string-value",
    "office:date-value",
    "office:time-value",
    "office:boolean-value",
)
_ODS_PARAGRAPH, _ODS_SPACES, _ODS_SPACE_COUNT = "text:p", "text:s", "text:c"
_ODS_CHUNK = 64 * 1024


def _ods_layout(data: bytes) -> dict[str, list[Merge]]:
    """Merged ranges per sheet name, from the spans of ``content.xml``'s cells; raises
    UnreadableDocument("too_large") for sheets calamine would build beyond the limits.

    Rows and cells may carry repeat counts (a million empty rows is one element),
    so positions are counted, never expanded.
    """
    layout = _OdsLayout()
    parser = expat.ParserCreate()
    parser.StartElementHandler = layout.start
    parser.EndElementHandler = layout.end
    parser.CharacterDataHandler = layout.characters
    parser.StartDoctypeDeclHandler = _refuse_declarations  # check_office_package refused them already
    parser.EntityDeclHandler = _refuse_declarations
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as content:
        while chunk := content.read(_ODS_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    return layout.merges


def _refuse_declarations(*_arguments) -> None:
    raise UnreadableDocument("corrupt", "xml entities")


@dataclass
class _OdsCell:
    columns: int  # its repeat count
    valued: bool  # calamine keeps it (a value or a formula), else it counts as empty
    reading_text: bool  # a string whose text is the element's content
    text_chars: int
    depth: int = 0  # elements open inside it
    paragraphs: int = 0


class _OdsLayout:
    def __init__(self) -> None:
        self.merges: dict[str, list[Merge]] = {}
        self.extent = Extent()
        self.sheet: str | None = None  # the sheet being read; None between sheets
        self.row, self.row_repeat, self.column, self.in_row = 0, 1, 0, False
        self.row_pushed = 0  # cells calamine pushes for the row: up to its last kept cell
        self.box, self.formulas = Box(), False
        self.cell: _OdsCell | None = None

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if self.cell is not None:
            self._inside_cell(tag, attributes)
        elif tag == _ODS_TABLE:
            if self.sheet is None and _ODS_NAME in attributes:
                self.sheet, self.row, self.box, self.formulas = attributes[_ODS_NAME], 0, Box(), False
                self.merges.setdefault(self.sheet, [])
        elif self.sheet is None:
            return
        elif tag == _ODS_ROW:
            self.in_row, self.column, self.row_pushed = True, 0, 0
            self.row_repeat = _count(attributes.get(_ODS_ROWS_REPEATED))
        elif tag in _ODS_CELLS and self.in_row:
            self._open_cell(attributes)

    def _open_cell(self, attributes: dict[str, str]) -> None:
        rows = _count(attributes.get(_ODS_ROWS_SPANNED))
        columns = _count(attributes.get(_ODS_COLUMNS_SPANNED))
        if (rows > 1 or columns > 1) and len(self.merges[self.sheet]) < _MAX_MERGES:
            self.merges[self.sheet].append(
                (self.row, self.column, self.row + rows - 1, self.column + columns - 1)
            )
        formula = attributes.get(_ODS_FORMULA, "")
        values = [attributes[name] for name in _ODS_VALUES if name in attributes]
        is_string = attributes.get(_ODS_VALUE_TYPE) == "string"
        self.formulas = self.formulas or bool(formula)
        self.cell = _OdsCell(
            columns=_count(attributes.get(_ODS_COLUMNS_REPEATED)),
            valued=bool(formula or values or is_string),
            reading_text=is_string and not values,
            text_chars=len(formula) + sum(map(len, values)),
        )

    def _inside_cell(self, tag: str, attributes: dict[str, str]) -> None:
        cell = self.cell
        cell.depth += 1
        if cell.reading_text and tag == _ODS_PARAGRAPH:
            cell.paragraphs += 1
            cell.text_chars += cell.paragraphs > 1  # the line break between paragraphs
        elif cell.reading_text and tag == _ODS_SPACES:
            cell.text_chars += _count(attributes.get(_ODS_SPACE_COUNT))

    def characters(self, text: str) -> None:
        if self.cell is not None and self.cell.reading_text:
            self.cell.text_chars += len(text)

    def end(self, tag: str) -> None:
        if self.cell is not None:
            if self.cell.depth:
                self.cell.depth -= 1
            else:
                self._close_cell()
        elif self.sheet is None:
            return
        elif tag == _ODS_ROW and self.in_row:
            self.extent.grid(self.row_pushed)
            self.row += self.row_repeat
            self.in_row = False
        elif tag == _ODS_TABLE:
            self._close_sheet()

    def _close_cell(self) -> None:
        cell, self.cell = self.cell, None
        if cell.valued:
            last = self.column + cell.columns - 1
            self.box.add(self.row, self.column, self.row + self.row_repeat - 1, last)
            self.row_pushed = last + 1
            # calamine copies the value for each repeat, then the row for each of its repeats
            self.box.text_chars += cell.text_chars * cell.columns * (self.row_repeat + 1)
        self.column += cell.columns

    def _close_sheet(self) -> None:
        box, self.sheet, self.in_row = self.box, None, False
        if box.top is None:
            return
        # calamine's grid runs from the sheet's first kept row and from column A
        grid = (box.bottom - box.top + 1) * (box.right + 1)
        self.extent.grid(grid * 2 if self.formulas else grid)
        self.extent.text(box.text_chars)
        self.extent.rows_from_a1(box.bottom, box.right)


def _count(value: str | None) -> int:
    try:
        return max(1, int(value)) if value else 1
    except ValueError:
        return 1
