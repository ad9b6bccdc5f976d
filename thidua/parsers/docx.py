"""Word documents (.docx, .docm) as paragraphs and tables in reading order.

python-docx opens the package; the body XML is walked directly because its
high-level API skips text boxes, content controls and nested tables, which
schools' templates are full of.
"""
from __future__ import annotations

import io
from collections.abc import Iterator

from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.package import Package

from thidua.parsers.archive import check_office_package
from thidua.parsers.content import Block, DocumentText, Paragraph, Table, UnreadableDocument
from thidua.parsers.filetypes import sniff
from thidua.text import clean

_W_BODY = qn("w:body")
_W_P = qn("w:p")
_W_TBL = qn("w:tbl")
_W_TR = qn("w:tr")
_W_TC = qn("w:tc")
_W_T = qn("w:t")
_W_TAB = qn("w:tab")
_W_BR = qn("w:br")
_W_CR = qn("w:cr")
_W_NO_BREAK_HYPHEN = qn("w:noBreakHyphen")
_W_TEXT_BOX = qn("w:txbxContent")
_W_GRID_COL = qn("w:gridCol")
# Property subtrees hold tab stops and such, never text; the Fallback branch of
# mc:AlternateContent repeats the text box already read from mc:Choice.
_NO_TEXT = {
    qn("w:pPr"), qn("w:rPr"), qn("w:tblPr"), qn("w:trPr"), qn("w:tcPr"), qn("w:sdtPr"),
    qn("w:sectPr"), qn("w:tblGrid"),
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
}
# A corrupt gridSpan must not make a row of a million cells.
_MAX_SPAN = 256


def read_docx(data: bytes) -> DocumentText:
    """Body paragraphs and tables in document order; raises UnreadableDocument."""
    check_office_package(data, "word/document.xml")
    try:
        body = _document_body(data)
        blocks = tuple(_blocks(body))
    except UnreadableDocument:
        raise
    except Exception as error:
        raise UnreadableDocument("corrupt", f"{type(error).__name__}: {error}"[:200]) from None
    notes = ("macros",) if sniff(data) == "docm" else ()
    return DocumentText(format="docx", blocks=blocks, notes=notes)


def _document_body(data: bytes):
    part = Package.open(io.BytesIO(data)).main_document_part
    # python-docx only builds the XML tree for plain .docx; a .docm main part
    # arrives as raw bytes with the same schema.
    root = part.element if hasattr(part, "element") else parse_xml(part.blob)
    body = root.find(_W_BODY)
    if body is None:
        raise UnreadableDocument("corrupt", "no document body")
    return body


def _blocks(container) -> Iterator[Block]:
    for child in container.iterchildren():
        if child.tag == _W_P:
            yield from _paragraph_blocks(child)
        elif child.tag == _W_TBL:
            table = _table(child)
            if table.rows:
                yield table
        elif child.tag not in _NO_TEXT:
            yield from _blocks(child)  # content controls, custom XML, revisions


def _paragraph_blocks(paragraph) -> Iterator[Block]:
    pieces: list[str] = []
    text_boxes: list = []
    _collect_text(paragraph, pieces, text_boxes)
    text = clean("".join(pieces))
    if text:
        yield Paragraph(text)
    for box in text_boxes:
        yield from _blocks(box)


def _collect_text(element, pieces: list[str], text_boxes: list) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if tag == _W_T:
            pieces.append(child.text or "")
        elif tag == _W_TAB:
            pieces.append("\t")
        elif tag in (_W_BR, _W_CR):
            pieces.append("\n")
        elif tag == _W_NO_BREAK_HYPHEN:
            pieces.append("-")
        elif tag == _W_TEXT_BOX:
            text_boxes.append(child)
        elif tag not in _NO_TEXT:
            _collect_text(child, pieces, text_boxes)


def _table(table) -> Table:
    rows: list[list[str]] = []
    for tr in _descendants(table, _W_TR, stop=_W_TBL):
        above = rows[-1] if rows else []
        row = [""] * _clamp(tr.grid_before)
        for tc in _descendants(tr, _W_TC, stop=_W_TBL):
            span = max(1, _clamp(tc.grid_span))
            if tc.vMerge == "continue":
                text = above[len(row)] if len(row) < len(above) else ""
            else:
                text = _cell_text(tc)
            row.extend([text] * span)
        row.extend([""] * _clamp(tr.grid_after))
        rows.append(row)
    width = max([len(table.findall(f"{qn('w:tblGrid')}/{_W_GRID_COL}"))] + [len(row) for row in rows])
    return Table(rows=tuple(tuple(row + [""] * (width - len(row))) for row in rows))


def _descendants(element, tag: str, *, stop: str):
    """Children named ``tag``, also when wrapped in content controls, but not inside a nested ``stop``."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag != stop and child.tag not in _NO_TEXT:
            yield from _descendants(child, tag, stop=stop)


def _cell_text(cell) -> str:
    lines: list[str] = []
    for block in _blocks(cell):
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            lines.extend(" | ".join(_distinct_neighbours(row)) for row in block.rows)
    return clean("\n".join(lines))


def _distinct_neighbours(cells: tuple[str, ...]) -> list[str]:
    """A nested row's cell texts once each: merged cells repeat their text."""
    result: list[str] = []
    for text in cells:
        if text and (not result or result[-1] != text):
            result.append(text)
    return result


def _clamp(count) -> int:
    try:
        return max(0, min(int(count or 0), _MAX_SPAN))
    except (TypeError, ValueError):
        return 0
