"""PDF files: text lines with pypdfium2 (fast, tolerant), tables with pdfplumber (slow, only on request).

A table is found from its ruling lines; a list printed without them (Excel's default, a
print-to-PDF printer) is read from where its words stand (see pdf_columns.py)."""

from __future__ import annotations

import io
import time

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from thidua.parsers.content import Block, DocumentText, Paragraph, Table, UnreadableDocument
from thidua.parsers.pdf_columns import HEADER_HINT, Columns, positioned_table, words_of
from thidua.text import clean, fold

# Fewer visible characters than this per page means the text layer is at most a
# scanner's page number or stamp: the pages are images.
SCAN_CHARS_PER_PAGE = 20
_EDGE_TOLERANCE = 1.0  # points; cell borders drawn twice differ by a hair
_LOCKED = (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY)
# Tables are looked for at most this long; the text is already read by then,
# so a slow file loses the structure of its last pages, not its content.
TABLE_SECONDS = 10.0


def read_pdf_document(data: bytes) -> DocumentText:
    """The text of a PDF, with tables only when it looks like a list (STT, Họ và tên)."""
    return read_pdf(data, tables=None)


def probe_pdf(data: bytes) -> DocumentText:
    """Whether a PDF opens (not damaged, not locked) and how many pages it has; no text is
    read. For files a nominee names as evidence: they are kept, not read, but a school must
    still hear that its certificate cannot be opened."""
    return _probe(bytes(data))


def probe_pdf_file(path: str) -> DocumentText:
    """``probe_pdf`` of the file at ``path``, read only as far as PDFium needs."""
    return _probe(path)


def _probe(source: bytes | str) -> DocumentText:
    document = _open(source)
    try:
        return DocumentText(format="pdf", blocks=(), pages=len(document))
    finally:
        document.close()


def read_pdf(data: bytes, *, tables: bool | None = True, max_pages: int = 300) -> DocumentText:
    """Each non-empty text line a Paragraph, page by page; each page's tables after its lines.
    ``tables=None``: tables only when the text looks like a list (a list's header words: table
    extraction is the slow part of reading a PDF, and only lists need it)."""
    page_lines, total = _read_lines(bytes(data), max_pages)
    if tables is None:
        tables = bool(HEADER_HINT.search(fold(" ".join(line for lines in page_lines for line in lines))))
    page_tables = (
        _read_tables(bytes(data), len(page_lines), TABLE_SECONDS) if tables else [[] for _ in page_lines]
    )
    blocks: list[Block] = []
    for lines, found in zip(page_lines, page_tables):
        blocks.extend(Paragraph(line) for line in lines)
        blocks.extend(found)
    visible = sum(len(line.replace(" ", "")) for lines in page_lines for line in lines)
    is_scan = bool(page_lines) and visible < SCAN_CHARS_PER_PAGE * len(page_lines)
    notes = ("truncated",) if total > max_pages else ()
    return DocumentText(format="pdf", blocks=tuple(blocks), is_scan=is_scan, pages=total, notes=notes)


def _open(data: bytes | str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) in _LOCKED:
            raise UnreadableDocument("encrypted", "password-protected") from None
        raise UnreadableDocument("corrupt", str(error)[:200]) from None
    except Exception as error:
        raise UnreadableDocument("corrupt", f"{type(error).__name__}: {error}"[:200]) from None


def _read_lines(data: bytes, max_pages: int) -> tuple[list[list[str]], int]:
    document = _open(data)
    try:
        total = len(document)
        return [_page_lines(document[index]) for index in range(min(total, max_pages))], total
    except Exception as error:
        raise UnreadableDocument("corrupt", f"{type(error).__name__}: {error}"[:200]) from None
    finally:
        document.close()


def _page_lines(page) -> list[str]:
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_bounded()
    finally:
        textpage.close()
        page.close()
    lines = (clean(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return [line for line in lines if line]


def _read_tables(data: bytes, pages: int, budget: float) -> list[list[Table]]:
    # The text is already read: a table pdfplumber cannot find costs the
    # structure of one page, not the document.
    found: list[list[Table]] = [[] for _ in range(pages)]
    deadline = time.monotonic() + budget
    columns: Columns | None = None  # of a list without ruling lines, to read its next page
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for index, page in enumerate(pdf.pages[:pages]):
                if time.monotonic() > deadline:
                    page.close()
                    break
                try:
                    ruled = [table for table in map(_table, page.find_tables()) if table.rows]
                    found[index] = ruled
                    if any(_names_columns(table) for table in ruled):
                        columns = None
                    else:
                        # no ruled list (a ruled box may frame the letterhead): Excel's default
                        # print, or text drawn where it stands
                        table, columns = positioned_table(words_of(page), None if ruled else columns)
                        found[index] = [*ruled, table] if table is not None else ruled
                except Exception:
                    columns = None
                    continue
                finally:
                    page.close()
    except Exception:
        pass
    return found


def _names_columns(table: Table) -> bool:
    """A ruled table whose first rows hold a list's header ("STT", "Họ và tên")."""
    return any(HEADER_HINT.search(fold(" ".join(cell or "" for cell in row))) for row in table.rows[:6])


def _table(table) -> Table:
    """pdfplumber's grid, with every position a merged cell covers given that cell's text."""
    rows = table.rows
    texts_by_cell = {}
    for row, row_texts in zip(rows, table.extract()):
        for box, text in zip(row.cells, row_texts):
            if box is not None:
                texts_by_cell[box] = clean(text or "")
    column_starts = sorted({cell[0] for cell in table.cells})
    grid = []
    for row in rows:
        top = row.bbox[1]
        grid.append(
            tuple(
                texts_by_cell[box] if box is not None else _covering_text(texts_by_cell, x, top)
                for box, x in zip(row.cells, column_starts)
            )
        )
    return Table(rows=tuple(grid))


def _covering_text(texts_by_cell: dict, x: float, top: float) -> str:
    """The text of the merged cell that spans over the grid position starting at (x, top)."""
    x, top = x + _EDGE_TOLERANCE, top + _EDGE_TOLERANCE
    for (x0, y0, x1, y1), text in texts_by_cell.items():
        if x0 <= x < x1 and y0 <= top < y1:
            return text
    return ""
