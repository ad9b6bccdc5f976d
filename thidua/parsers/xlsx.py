"""Excel workbooks (.xlsx, .xlsm) as one Table per worksheet.

Rows and columns keep their sheet coordinates (``rows[i][j]`` is Excel row
i+1, column j+1) so that messages can point at a cell; only trailing empty
rows and columns are trimmed. Cells show what Excel shows: cached formula
results, merged ranges repeated in every covered cell, dates as dd/mm/yyyy,
text typed in the old Vietnamese fonts (TCVN3, VNI) as the Unicode it shows.

Two readers give the same tables: calamine (Rust, a fraction of a millisecond
for a form) for the usual workbook, and openpyxl, fifty times slower, for one
whose styles name a percentage format or a legacy Vietnamese font, since only
openpyxl tells each cell's format and font. calamine builds what a file
claims, so a workbook goes to it only after the cells it would build and the
text it would copy are counted from the sheets' XML.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import replace

import openpyxl
from openpyxl.utils.cell import range_boundaries

from thidua.parsers import vnlegacy
from thidua.parsers.archive import check_office_package
from thidua.parsers.calamine_book import MAX_GRID_CELLS, MAX_TEXT_CHARS, read_workbook
from thidua.parsers.cells import MAX_COLUMNS, MAX_MERGED_CELLS, MAX_ROWS, render_cell
from thidua.parsers.content import DocumentText, Table, UnreadableDocument
from thidua.parsers.filetypes import sniff
from thidua.parsers.ooxml import OfficePackage

# openpyxl creates an object for every cell a merge covers while loading, so a
# merged A1:XFD1048576 in a 2 KB file would never finish; refuse it beforehand
# (MAX_MERGED_CELLS).
_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z0-9:$]+)\"")


def read_xlsx(data: bytes) -> DocumentText:
    """Visible sheets in workbook order, then hidden ones; raises UnreadableDocument."""
    package = OfficePackage(data)
    if _calamine_reads_it_alike(package):
        _check_merged_area(data)
        text = read_workbook(data, "xlsx")
        return replace(text, notes=("macros",) + text.notes) if sniff(data) == "xlsm" else text
    return _read_with_openpyxl(data)


def _read_with_openpyxl(data: bytes) -> DocumentText:
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
                text = render_cell(
                    cell.value,
                    cell.number_format,
                    font_encoding=encoding,
                    font_trusted=encoding in fonts.trusted,
                )
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
        tuple(texts.get((row, column), "") for column in range(1, width + 1)) for row in range(1, height + 1)
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
            (encoding, cell.value)
            for sheet in workbook.worksheets
            for cell in sheet._cells.values()
            if isinstance(cell.value, str) and (encoding := fonts.of_cell(cell))
        )
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


# -- the calamine reader: when it reads a workbook as openpyxl does, and what it would build

_PERCENT_FORMAT = re.compile(rb'numFmtId\s*=\s*"(?:9|10)"|formatCode\s*=\s*"[^"]*%')
_LEGACY_FONT_VALUES = (b'="vn', b'=".vn', b"='vn", b"='.vn")  # see vnlegacy.legacy_encoding_of_font
_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_SHARED_STRINGS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br\s*=\s*"\$?([A-Z]{1,3})\$?([0-9]{1,7})"')
_SHARED_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\bt\s*=\s*"s"')
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\bt\s*=\s*"e"')  # #N/A, #DIV/0!: calamine leaves them out
_SHARED_STRING = re.compile(rb"<(?:\w+:)?si\b.*?</(?:\w+:)?si>", re.DOTALL)


def _calamine_reads_it_alike(package: OfficePackage) -> bool:
    """True when the workbook needs neither cell formats nor fonts and what calamine would build
    is within bounds; a workbook over the bounds goes to openpyxl, which refuses by its own."""
    main = package.main_part()
    package.read(main)  # refused if it declares entities, as every part read here
    styles = package.related(main, _STYLES)
    if styles:
        xml = package.read(styles)
        lowered = xml.lower()
        if _PERCENT_FORMAT.search(xml) or any(value in lowered for value in _LEGACY_FONT_VALUES):
            return False
    strings = package.related(main, _SHARED_STRINGS)
    longest_string = max(map(len, _SHARED_STRING.findall(package.read(strings))), default=0) if strings else 0
    grid_cells = text_chars = 0
    for sheet in package.names_under("xl/worksheets/"):
        xml = package.read(sheet)
        refs = _CELL_REF.findall(xml)
        if len(refs) != len(_CELL.findall(xml)):
            return False  # cells placed by their order, not named: counted by openpyxl instead
        if _ERROR_CELL.search(xml):
            return False
        if not refs:
            continue
        rows = [int(row) for _, row in refs]
        columns = [_column_number(letters) for letters, _ in refs]
        # calamine holds each sheet's bounding box, and builds rows from A1 to the last cell
        grid_cells += (max(rows) - min(rows) + 1) * (max(columns) - min(columns) + 1)
        if grid_cells > MAX_GRID_CELLS or min(max(rows), MAX_ROWS) * max(columns) > MAX_GRID_CELLS:
            return False
        text_chars += len(_SHARED_CELL.findall(xml)) * longest_string + len(xml)  # each copies its string
        if text_chars > MAX_TEXT_CHARS:
            return False
    return True


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
