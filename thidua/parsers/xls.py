"""Excel 97-2003 (.xls) workbooks, read with calamine, as one Table per sheet (the shape of
``xlsx.read_xlsx``; see ``calamine_book``).

calamine trusts the sizes a file states: it reserves what a compound file's header and directory
or a sheet's DIMENSIONS record claim, builds every cell of a sheet's bounding box, copies shared
strings into every cell, and when an allocation fails it aborts the whole process: a 5 kB file
can ask for 300 GB. So calamine never sees a stranger's compound file: the Workbook stream is read
with olefile (bounded by ``filetypes.open_compound_file``) and handed over in a compound file
written here, each DIMENSIONS record claiming one cell; and what calamine will build is measured
first from the BIFF records (``sheet_extent``), and refused beyond ``MAX_GRID_CELLS`` cells and
``MAX_TEXT_CHARS`` characters. calamine gives no number formats: a percentage shows as its
fraction (0.95, not 95%).
"""

from __future__ import annotations

import struct

from thidua.parsers.calamine_book import read_workbook
from thidua.parsers.content import DocumentText, UnreadableDocument
from thidua.parsers.filetypes import open_compound_file
from thidua.parsers.protection import check_not_encrypted
from thidua.parsers.sheet_extent import MAX_RECORDS_READ, Box, Extent


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


# ------------------------------------------------------------------------ .xls: BIFF8 records

_BIFF_EOF, _BIFF_CONTINUE, _BIFF_BOUNDSHEET, _BIFF_SST = 0x000A, 0x003C, 0x0085, 0x00FC
_BIFF_DIMENSIONS, _BIFF_FORMULA, _BIFF_STRING = 0x0200, 0x0006, 0x0207
_BIFF_LABEL_SST, _BIFF_MULRK = 0x00FD, 0x00BD
# The records calamine makes a cell of (NUMBER, LABEL, BOOLERR, RK, RSTRING, LABELSST,
# MULRK, FORMULA), each starting with its row and column. Any of them counts, even one
# too short for calamine to read: a wrong guess must cost a refusal, never a bomb.
_BIFF_CELLS = frozenset({0x0203, 0x0204, 0x0205, 0x027E, 0x00D6, _BIFF_LABEL_SST, _BIFF_MULRK, _BIFF_FORMULA})
_BIFF_STRING_MAX = 0xFFFF  # characters of one shared string


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
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack(
            "<HHHHH6sIIIIIIIII",
            0x3E,
            4,
            0xFFFE,
            12,
            6,
            bytes(6),
            1,
            fat_sectors,
            directory,
            0,
            _MINI_CUTOFF,
            _END_OF_CHAIN,
            0,
            _END_OF_CHAIN,
            0,
        )
        + struct.pack("<109I", *range(fat_sectors), *[_FREE_SECTOR] * (_HEADER_FAT_SECTORS - fat_sectors))
    )
    entries = _directory_entry("Root Entry", 5, child=1, start=mini_stream, size=0) + _directory_entry(
        "Workbook", 2, child=_NO_ENTRY, start=first, size=len(workbook)
    )
    entries += _directory_entry("", 0, child=_NO_ENTRY, start=0, size=0) * (_SECTOR // 128 - 2)
    return b"".join(
        (
            header.ljust(_SECTOR, b"\0"),
            struct.pack(f"<{len(fat)}I", *fat),
            entries,
            bytes(_SECTOR),
            workbook.ljust(data_sectors * _SECTOR, b"\0"),
        )
    )


def _directory_entry(name: str, kind: int, *, child: int, start: int, size: int) -> bytes:
    encoded = (name.encode("utf-16-le") + b"\0\0") if name else b""
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", _NO_ENTRY, _NO_ENTRY, child)
        + bytes(16 + 4 + 8 + 8)
        + struct.pack("<IQ", start, size)
    )


def _biff_records(stream: bytes, position: int, extent: Extent):
    """(position, type, body, continues) of each record from ``position``, as calamine splits
    them; raises _Unread at a record that runs past the stream."""
    while len(stream) - position >= 4:
        extent.records_left -= 1
        if extent.records_left < 0:
            raise UnreadableDocument("too_large", f"more than {MAX_RECORDS_READ} records")
        start = position
        kind, length = struct.unpack_from("<HH", stream, position)
        position += 4 + length
        if position > len(stream):
            raise _Unread
        body = stream[position - length : position]
        continues = []
        while len(stream) - position > 4 and struct.unpack_from("<H", stream, position)[0] == _BIFF_CONTINUE:
            (length,) = struct.unpack_from("<H", stream, position + 2)
            position += 4 + length
            if position > len(stream):
                raise _Unread
            continues.append(stream[position - length : position])
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
    extent = Extent()
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
    measured: dict[int, Box] = {}
    for position in sheets:
        if position not in measured:
            measured[position] = _measure_sheet(stream, position, strings, extent, rewritten)
        measured[position].charge(extent)  # a sheet listed twice is built twice
    return bytes(rewritten)


def _measure_sheet(
    stream: bytes, position: int, strings: list[int] | None, extent: Extent, rewritten: bytearray
) -> Box:
    cells, formulas = Box(), Box()
    formula_at = (0, 0)
    try:
        for start, kind, body, _continues in _biff_records(stream, position, extent):
            if kind == _BIFF_EOF:
                break
            if kind == _BIFF_DIMENSIONS and len(body) in (10, 14):
                one_cell = struct.pack("<IIHHH" if len(body) == 14 else "<HHHHH", 0, 1, 0, 1, 0)
                rewritten[start + 4 : start + 4 + len(body)] = one_cell
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
        return Box()  # calamine gives up on the workbook: no grid is built
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
                record.data, left = record.data[chars * (2 if wide else 1) :], left - chars
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
