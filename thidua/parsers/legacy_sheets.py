"""Excel 97-2003 (.xls) and OpenDocument (.ods) workbooks, read with calamine, as one Table per sheet.

The result has the shape of ``xlsx.read_xlsx``: ``rows[i][j]`` is sheet row i+1,
column j+1; trailing empty rows and columns trimmed; merged ranges repeated in
every covered cell; visible sheets first, hidden ones last. So the forms code
understands a list saved in an old format exactly like its .xlsx twin.

calamine gives merged ranges of .xls files but not of .ods ones; those are read
from the spans in ``content.xml``. It does not give number formats: a
percentage shows as its fraction (0.95, not 95%).

calamine trusts the sizes a file states: it reserves what a compound file's
header and directory or a sheet's DIMENSIONS record claim, builds every cell of
a sheet's bounding box (and ``to_python`` every cell from A1), copies repeated
.ods cells and shared .xls strings into every cell, and when an allocation fails
it aborts the whole process: a 5 kB file can ask for 300 GB. So calamine never
sees a stranger's compound file: the Workbook stream is read with olefile
(bounded by ``filetypes.open_compound_file``) and handed over in a compound file
written here, each DIMENSIONS record claiming one cell; and what calamine will
build is measured first, from the records and elements it reads, and refused
beyond ``MAX_GRID_CELLS`` cells and ``MAX_TEXT_CHARS`` characters.
"""
from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from thidua.parsers.archive import check_office_package
from thidua.parsers.calamine_book import MAX_GRID_CELLS, MAX_TEXT_CHARS, Merge, read_workbook
from thidua.parsers.cells import MAX_ROWS
from thidua.parsers.content import DocumentText, UnreadableDocument
from thidua.parsers.filetypes import open_compound_file
from thidua.parsers.protection import check_not_encrypted

_MAX_MERGES = 100_000


def read_xls(data: bytes) -> DocumentText:
    """An Excel 97-2003 workbook; raises UnreadableDocument."""
    check_not_encrypted(data, "xls")
    try:
        rewritten = _compound_file(_measured_workbook_stream(_workbook_stream(data)))
    except UnreadableDocument:
        raise
    except Exception as error:
        raise UnreadableDocument("corrupt", f"{type(error).__name__}: {error}"[:200]) from None
    return read_workbook(rewritten, "xls")


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


class _Extent:
    """What calamine will build for one workbook, counted before it builds it."""

    def __init__(self) -> None:
        self.grid_cells = 0
        self.text_chars = 0
        self.records_left = _MAX_RECORDS_READ

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
class _Box:
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

    def charge(self, extent: _Extent) -> None:
        extent.grid(self.cells)
        extent.text(self.text_chars)
        if self.top is not None:
            extent.rows_from_a1(self.bottom, self.right)


# ------------------------------------------------------------------------ .xls: BIFF8 records

_BIFF_EOF, _BIFF_CONTINUE, _BIFF_BOUNDSHEET, _BIFF_SST = 0x000A, 0x003C, 0x0085, 0x00FC
_BIFF_DIMENSIONS, _BIFF_FORMULA, _BIFF_STRING = 0x0200, 0x0006, 0x0207
_BIFF_LABEL_SST, _BIFF_MULRK = 0x00FD, 0x00BD
# The records calamine makes a cell of (NUMBER, LABEL, BOOLERR, RK, RSTRING, LABELSST,
# MULRK, FORMULA), each starting with its row and column. Any of them counts, even one
# too short for calamine to read: a wrong guess must cost a refusal, never a bomb.
_BIFF_CELLS = frozenset({0x0203, 0x0204, 0x0205, 0x027E, 0x00D6, _BIFF_LABEL_SST, _BIFF_MULRK, _BIFF_FORMULA})
_BIFF_STRING_MAX = 0xFFFF  # characters of one shared string
# Records read over all sheets: a workbook may point many sheets into one stream.
_MAX_RECORDS_READ = 4_000_000


class _Unread(Exception):
    """calamine stops reading here with an error: nothing after it is built."""


def _workbook_stream(data: bytes) -> bytes:
    """The Workbook stream (Excel 5 and older: Book) of a compound file, as olefile reads it,
    at least ``_MINI_CUTOFF`` long: trailing zeros read as empty records of no type."""
    try:
        with open_compound_file(data) as ole:  # olefile alone may fill memory on a hostile file
            name = next((name for name in ("Workbook", "Book") if ole.exists(name)), None)
            if name is None:
                raise UnreadableDocument("corrupt", "no Workbook stream")
            stream = ole.openstream(name).read()
    except UnreadableDocument:
        raise
    except Exception as error:
        raise UnreadableDocument("corrupt", f"{type(error).__name__}: {error}"[:200]) from None
    return stream.ljust(_MINI_CUTOFF, b"\0")


_SECTOR, _MINI_CUTOFF, _HEADER_FAT_SECTORS = 4096, 4096, 109
_FREE_SECTOR, _END_OF_CHAIN, _FAT_SECTOR, _NO_ENTRY = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _compound_file(workbook: bytes) -> bytes:
    """A compound file ([MS-CFB] version 4, 4096-byte sectors) holding ``workbook`` as its one stream.

    Sectors: the FAT, the directory, the root's mini stream (empty, but calamine wants one),
    then the workbook. No stream is under the mini stream cutoff, so there is no mini FAT.
    """
    entries_per_sector = _SECTOR // 4
    data_sectors = -(-len(workbook) // _SECTOR)
    fat_sectors = 1
    while fat_sectors * entries_per_sector < fat_sectors + 2 + data_sectors:
        fat_sectors += 1
    if fat_sectors > _HEADER_FAT_SECTORS:
        raise UnreadableDocument("too_large", f"a {len(workbook)}-byte Workbook stream")
    directory, mini_stream, first = fat_sectors, fat_sectors + 1, fat_sectors + 2
    fat = [_FAT_SECTOR] * fat_sectors + [_END_OF_CHAIN, _END_OF_CHAIN]
    fat += list(range(first + 1, first + data_sectors)) + [_END_OF_CHAIN]
    fat += [_FREE_SECTOR] * (fat_sectors * entries_per_sector - len(fat))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH6sIIIIIIIII", 0x3E, 4, 0xFFFE, 12, 6, bytes(6), 1, fat_sectors, directory, 0,
                            _MINI_CUTOFF, _END_OF_CHAIN, 0, _END_OF_CHAIN, 0)
              + struct.pack("<109I", *range(fat_sectors), *[_FREE_SECTOR] * (_HEADER_FAT_SECTORS - fat_sectors)))
    entries = (_directory_entry("Root Entry", 5, child=1, start=mini_stream, size=0)
               + _directory_entry("Workbook", 2, child=_NO_ENTRY, start=first, size=len(workbook)))
    entries += _directory_entry("", 0, child=_NO_ENTRY, start=0, size=0) * (_SECTOR // 128 - 2)
    return b"".join((header.ljust(_SECTOR, b"\0"), struct.pack(f"<{len(fat)}I", *fat), entries,
                     bytes(_SECTOR), workbook.ljust(data_sectors * _SECTOR, b"\0")))


def _directory_entry(name: str, kind: int, *, child: int, start: int, size: int) -> bytes:
    encoded = (name.encode("utf-16-le") + b"\0\0") if name else b""
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", _NO_ENTRY, _NO_ENTRY, child) + bytes(16 + 4 + 8 + 8)
            + struct.pack("<IQ", start, size))


def _biff_records(stream: bytes, position: int, extent: _Extent):
    """(position, type, body, continues) of each record from ``position``, as calamine splits
    them; raises _Unread at a record that runs past the stream."""
    while len(stream) - position >= 4:
        extent.records_left -= 1
        if extent.records_left < 0:
            raise UnreadableDocument("too_large", f"more than {_MAX_RECORDS_READ} records")
        start = position
        kind, length = struct.unpack_from("<HH", stream, position)
        position += 4 + length
        if position > len(stream):
            raise _Unread
        body = stream[position - length:position]
        continues = []
        while len(stream) - position > 4 and struct.unpack_from("<H", stream, position)[0] == _BIFF_CONTINUE:
            (length,) = struct.unpack_from("<H", stream, position + 2)
            position += 4 + length
            if position > len(stream):
                raise _Unread
            continues.append(stream[position - length:position])
        yield start, kind, body, continues
    if position < len(stream):
        raise _Unread


def _measured_workbook_stream(stream: bytes) -> bytes:
    """``stream`` ready for calamine: refused (UnreadableDocument "too_large") when calamine
    would build beyond the limits, and every DIMENSIONS record made to claim one cell.

    calamine reserves room for the cells a sheet's DIMENSIONS record claims, with
    arithmetic that wraps (a first row after the last claims four billion rows); the
    record is only a hint, the grid comes from the cells, so a one-cell claim changes
    nothing but the reservation.
    """
    extent = _Extent()
    sheets: list[int] = []
    strings: list[int] | None = []
    try:
        for _position, kind, body, continues in _biff_records(stream, 0, extent):
            if kind == _BIFF_EOF:
                break
            if kind == _BIFF_BOUNDSHEET and len(body) >= 4:
                sheets.append(struct.unpack_from("<I", body)[0])
            elif kind == _BIFF_SST:
                strings = _shared_string_lengths(body, continues)
    except _Unread:
        return stream  # calamine gives up on the workbook before reading a sheet
    rewritten = bytearray(stream)
    measured: dict[int, _Box] = {}
    for position in sheets:
        if position not in measured:
            measured[position] = _measure_sheet(stream, position, strings, extent, rewritten)
        measured[position].charge(extent)  # a sheet listed twice is built twice
    return bytes(rewritten)


def _measure_sheet(stream: bytes, position: int, strings: list[int] | None, extent: _Extent,
                   rewritten: bytearray) -> _Box:
    cells, formulas = _Box(), _Box()
    formula_at = (0, 0)
    try:
        for start, kind, body, _continues in _biff_records(stream, position, extent):
            if kind == _BIFF_EOF:
                break
            if kind == _BIFF_DIMENSIONS and len(body) in (10, 14):
                one_cell = struct.pack("<IIHHH" if len(body) == 14 else "<HHHHH", 0, 1, 0, 1, 0)
                rewritten[start + 4:start + 4 + len(body)] = one_cell
            elif kind == _BIFF_STRING:  # a formula's text result, in the formula's cell
                cells.add(*formula_at)
            elif kind in _BIFF_CELLS and len(body) >= 4:
                row, column = struct.unpack_from("<HH", body)
                if kind == _BIFF_MULRK:  # one cell per six bytes from the first column on
                    cells.add(row, column, row, column + max(1, -(-(len(body) - 6) // 6)) - 1)
                elif kind == _BIFF_LABEL_SST:
                    index = struct.unpack_from("<I", body, 6)[0] if len(body) >= 10 else 0
                    if strings is None:  # unknown lengths: the longest a shared string can be
                        cells.add(row, column)
                        cells.text_chars += _BIFF_STRING_MAX
                    elif index < len(strings) and strings[index]:
                        cells.add(row, column)
                        cells.text_chars += strings[index]  # every cell gets its own copy
                else:
                    cells.add(row, column)
                if kind == _BIFF_FORMULA:
                    formula_at = (row, column)
                    formulas.add(row, column)
    except _Unread:
        return _Box()  # calamine gives up on the workbook: no grid is built
    extent.grid(formulas.cells)
    return cells


class _ContinuedRecord:
    """A record's body and the CONTINUE records after it, consumed the way calamine does."""

    def __init__(self, body: bytes, continues: list[bytes]) -> None:
        self.data, self.rest = body, list(reversed(continues))

    def next_record(self) -> bool:
        if not self.rest:
            return False
        self.data = self.rest.pop()
        return True

    def take(self, size: int) -> bytes:
        if len(self.data) < size:
            raise _Unread
        taken, self.data = self.data[:size], self.data[size:]
        return taken

    def skip(self, size: int) -> None:
        while size > 0:
            if not self.data and not self.next_record():
                raise _Unread
            step = min(size, len(self.data))
            self.data, size = self.data[step:], size - step


def _shared_string_lengths(body: bytes, continues: list[bytes]) -> list[int] | None:
    """The length of each string of the SST record (XLUnicodeRichExtendedString, [MS-XLS] 2.5.293);
    None when it does not read as calamine reads it, so that no length is known."""
    record = _ContinuedRecord(body, continues)
    lengths: list[int] = []
    try:
        (count,) = struct.unpack("<i", record.take(8)[4:])
        for _ in range(max(count, 0)):
            if not record.data:
                record.next_record()
            length, flags = struct.unpack("<HB", record.take(3))
            runs = struct.unpack("<H", record.take(2))[0] if flags & 0x8 else 0
            extension = struct.unpack("<i", record.take(4))[0] if flags & 0x4 else 0
            wide, left = flags & 0x1, length
            while True:
                chars = min(left, len(record.data) // (2 if wide else 1))
                record.data, left = record.data[chars * (2 if wide else 1):], left - chars
                if not left:
                    break
                if not record.next_record():
                    raise _Unread
                wide = record.take(1)[0] & 0x1
            if extension < 0:
                raise _Unread
            record.skip(runs * 4)
            record.skip(extension)
            lengths.append(length)
    except (_Unread, struct.error):
        return None
    return lengths


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
_ODS_VALUES = ("office:value", "office:string-value", "office:date-value", "office:time-value",
               "office:boolean-value")
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
        self.extent = _Extent()
        self.sheet: str | None = None  # the sheet being read; None between sheets
        self.row, self.row_repeat, self.column, self.in_row = 0, 1, 0, False
        self.row_pushed = 0  # cells calamine pushes for the row: up to its last kept cell
        self.box, self.formulas = _Box(), False
        self.cell: _OdsCell | None = None

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if self.cell is not None:
            self._inside_cell(tag, attributes)
        elif tag == _ODS_TABLE:
            if self.sheet is None and _ODS_NAME in attributes:
                self.sheet, self.row, self.box, self.formulas = attributes[_ODS_NAME], 0, _Box(), False
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
            self.merges[self.sheet].append((self.row, self.column, self.row + rows - 1, self.column + columns - 1))
        formula = attributes.get(_ODS_FORMULA, "")
        values = [attributes[name] for name in _ODS_VALUES if name in attributes]
        is_string = attributes.get(_ODS_VALUE_TYPE) == "string"
        self.formulas = self.formulas or bool(formula)
        self.cell = _OdsCell(columns=_count(attributes.get(_ODS_COLUMNS_REPEATED)),
                             valued=bool(formula or values or is_string),
                             reading_text=is_string and not values,
                             text_chars=len(formula) + sum(map(len, values)))

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
