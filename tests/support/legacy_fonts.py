"""Vietnamese typed in the legacy TCVN3 (ABC) and VNI fonts: Word and Excel files retyped the way
an old office computer would have saved them."""

from __future__ import annotations

import copy
import functools
import io
import shutil
import subprocess
import unicodedata

import pytest

from thidua.parsers.vnlegacy import vietnamese_letters

TCVN3_FONT, TCVN3_CAPITALS_FONT, VNI_FONT, UNICODE_FONT = (
    ".VnTime",
    ".VnTimeH",
    "VNI-Times",
    "Times New Roman",
)


@functools.cache
def _tcvn3_codes() -> dict[str, str]:
    """Letter -> TCVN3 code (as the Windows-1252 character Word stores), from glibc's TCVN 5712 table."""
    if shutil.which("iconv") is None:
        pytest.skip("iconv (glibc) is needed as the reference TCVN3 table")
    letters = "".join(letter for letter in vietnamese_letters() if letter.islower()) + "ĂÂÊÔƠƯĐ"
    codes = subprocess.run(
        ["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"],
        input=letters.encode("utf-8"),
        capture_output=True,
        check=True,
    ).stdout.decode("cp1252")
    assert len(codes) == len(letters)
    return dict(zip(letters, codes))


def tcvn3(text: str) -> str:
    codes = _tcvn3_codes()
    stored = "".join(codes.get(ch, ch) for ch in unicodedata.normalize("NFC", text))
    assert all(ch.isascii() or ch in codes.values() or not 0xA1 <= ord(ch) <= 0xFF for ch in stored), text
    return stored


def tcvn3_runs(text: str) -> list[tuple[str, str]]:
    """(stored text, font) runs: a title in the capitals font, else a capital without a code of its own in it."""
    if text.isupper():
        return [(tcvn3(text.lower()), TCVN3_CAPITALS_FONT)]
    runs: list[tuple[str, str]] = []
    for ch in unicodedata.normalize("NFC", text):
        needs_capitals_font = ch.isupper() and not ch.isascii() and ch not in _tcvn3_codes()
        font = TCVN3_CAPITALS_FONT if needs_capitals_font else TCVN3_FONT
        stored = tcvn3(ch.lower() if needs_capitals_font else ch)
        if runs and runs[-1][1] == font:
            runs[-1] = (runs[-1][0] + stored, font)
        else:
            runs.append((stored, font))
    return runs


def retype_docx(data: bytes, typing, *, header=None, style_font: str | None = None) -> bytes:
    """The same Word document with every run retyped by ``typing`` (text -> runs).

    ``header`` types the first table and the paragraphs before the first numbered
    item (the form's header) differently; ``style_font``: the plain font is set on
    the Normal style, as old templates do, and only other fonts on the runs.
    """
    from docx import Document
    from docx.text.run import Run

    document = Document(io.BytesIO(data))
    if style_font:
        document.styles["Normal"].font.name = style_font
    in_header = header is not None
    for paragraph in _paragraphs(document):
        if in_header and paragraph.text[:2] == "1.":
            in_header = False
        for run in list(paragraph.runs):
            runs = (header if in_header else typing)(run.text)
            element = run._r
            for index, (stored, font) in enumerate(runs):
                if index:
                    copied = copy.deepcopy(run._r)
                    element.addnext(copied)
                    element = copied
                target = Run(element, paragraph)
                target.text = stored
                target.font.name = None if font == style_font else font
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _paragraphs(document):
    for table in document.tables:  # the layout header comes first in the builders' forms
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
    yield from document.paragraphs


def retype_xlsx(data: bytes) -> bytes:
    """The same workbook typed in TCVN3: .VnTime cells, capitals-only cells in .VnTimeH."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    ((stored, font),) = tcvn3_runs(cell.value)  # a cell has one font
                    cell.value = stored
                    cell.font = Font(name=font, size=12)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
