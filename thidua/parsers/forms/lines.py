"""A document as the lines a clerk reads, top to bottom, tables included.

Forms arrive as paragraphs, as a two-column table (label | value), or as a layout
table that only places the header; the form readers want one stream of lines in
reading order, with a table row's value cell kept beside its label cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from thidua.parsers.content import DocumentText, Paragraph, Table
from thidua.parsers.forms.normal import clean

# A cell that only numbers the row: "1", "1.", "II", "a)".
_NUMBER_CELL = re.compile(r"^\(?\s*(?:\d{1,3}|[IVXLC]{1,5}|[a-zđ])\s*[.)]?$", re.IGNORECASE)


@dataclass(frozen=True)
class Line:
    text: str  # one line, NFC, blanks folded
    value: str | None = None  # value cell(s) beside a label cell of a form table, else None
    block: int = 0  # index of the block in DocumentText.blocks
    row: int = -1  # row of the table, -1 for paragraphs

    @property
    def position(self) -> tuple[int, int]:
        return (self.block, self.row)


def cell_text(cell: str | None) -> str:
    """pdf tables hold None for empty cells."""
    return clean(cell) if cell else ""


def distinct_cells(row: Iterable[str | None]) -> list[str]:
    """A row's non-empty cell texts once each: a merged cell repeats its text in
    every cell it covers."""
    result: list[str] = []
    for cell in row:
        text = cell_text(cell)
        if text and (not result or result[-1] != text):
            result.append(text)
    return result


def is_number_cell(text: str) -> bool:
    return bool(_NUMBER_CELL.match(text))


def split_lines(text: str) -> list[str]:
    return [line for line in clean(text).split("\n") if line]


def document_lines(
    doc: DocumentText,
    *,
    skip_tables: frozenset[int] = frozenset(),
    is_label: Callable[[str], bool] | None = None,
    limit: int | None = None,
) -> tuple[Line, ...]:
    """Every line of the document in reading order (the first ``limit`` only, when
    given: titles and headers are at the top). Tables in ``skip_tables`` (by block
    index) are left out. With ``is_label``, a table where several rows start with a
    label cell is read as a form: those rows become one Line with the label cell as
    text and the other cells as its value."""
    lines: list[Line] = []
    for index, block in enumerate(doc.blocks):
        if limit is not None and len(lines) >= limit:
            break
        if isinstance(block, Paragraph):
            lines.extend(Line(text, block=index) for text in split_lines(block.text))
        elif isinstance(block, Table) and index not in skip_tables:
            rows = block.rows if limit is None else block.rows[:limit]
            lines.extend(_table_lines(Table(rows, block.sheet), index, is_label))
    return tuple(lines[:limit] if limit is not None else lines)


def _table_lines(table: Table, index: int, is_label: Callable[[str], bool] | None) -> list[Line]:
    rows = [_without_row_number(distinct_cells(row)) for row in table.rows]
    pairs = is_label is not None and sum(1 for cells in rows if _label_row(cells, is_label)) >= 2
    lines: list[Line] = []
    for r, cells in enumerate(rows):
        if pairs and _label_row(cells, is_label):
            lines.append(Line(cells[0], "\n".join(cells[1:]), index, r))
            continue
        for cell in cells:
            lines.extend(Line(text, block=index, row=r) for text in split_lines(cell))
    return lines


def _label_row(cells: list[str], is_label: Callable[[str], bool]) -> bool:
    # a label cell is one line; the layout header's cells ("Cơ sở giáo dục ……\nTrường …") are not
    return len(cells) >= 2 and "\n" not in cells[0] and is_label(cells[0])


def _without_row_number(cells: list[str]) -> list[str]:
    """A leading cell that only numbers the row is the form's numbering, not its label."""
    if len(cells) >= 2 and is_number_cell(cells[0]):
        return cells[1:]
    return cells
