"""What calamine will build for a workbook (cells held, text, records read), counted by the
.xls and .ods readers before calamine builds it, and refused beyond the limits."""

from __future__ import annotations

from dataclasses import dataclass

from thidua.parsers.calamine_book import MAX_GRID_CELLS, MAX_TEXT_CHARS
from thidua.parsers.cells import MAX_ROWS
from thidua.parsers.content import UnreadableDocument

# Records read over all sheets: a workbook may point many sheets into one stream.
MAX_RECORDS_READ = 4_000_000


class Extent:
    """What calamine will build for one workbook, counted before it builds it."""

    def __init__(self) -> None:
        self.grid_cells = 0
        self.text_chars = 0
        self.records_left = MAX_RECORDS_READ

    def grid(self, cells: int) -> None:
        """``cells`` more cells held at once (all sheets stay in memory until the workbook goes)."""
        self.grid_cells += cells
        if self.grid_cells > MAX_GRID_CELLS:
            raise UnreadableDocument("too_large", f"the sheets span more than {MAX_GRID_CELLS} cells")

    def rows_from_a1(self, last_row: int, last_column: int) -> None:
        """``to_python`` builds every cell from A1 to the sheet's last cell, one sheet at a time."""
        cells = min(last_row + 1, MAX_ROWS) * (last_column + 1)
        if cells > MAX_GRID_CELLS:
            raise UnreadableDocument("too_large", f"a sheet spans {cells} cells from A1")

    def text(self, chars: int) -> None:
        self.text_chars += chars
        if self.text_chars > MAX_TEXT_CHARS:
            raise UnreadableDocument("too_large", f"the cells hold more than {MAX_TEXT_CHARS} characters")


@dataclass
class Box:
    """The bounding box of a sheet's cells, and what their text costs."""

    top: int | None = None
    bottom: int = 0
    left: int = 0
    right: int = 0
    text_chars: int = 0

    def add(self, top: int, left: int, bottom: int | None = None, right: int | None = None) -> None:
        bottom = top if bottom is None else bottom
        right = left if right is None else right
        if self.top is None:
            self.top, self.bottom, self.left, self.right = top, bottom, left, right
            return
        self.top, self.bottom = min(self.top, top), max(self.bottom, bottom)
        self.left, self.right = min(self.left, left), max(self.right, right)

    @property
    def cells(self) -> int:
        return 0 if self.top is None else (self.bottom - self.top + 1) * (self.right - self.left + 1)

    def charge(self, extent: Extent) -> None:
        extent.grid(self.cells)
        extent.text(self.text_chars)
        if self.top is not None:
            extent.rows_from_a1(self.bottom, self.right)
