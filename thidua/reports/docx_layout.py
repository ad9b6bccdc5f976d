"""The shape of a Vietnamese administrative document in Word (Nghị định 30/2020/NĐ-CP, Phụ lục I).

A4, margins 20 mm top and bottom, 30 mm left, 15 mm right; Times New Roman 13–14 pt. The heading
puts the issuing body on the left (the body above it, then the office in bold with a short rule
under it, then the number) and the national heading on the right (Quốc hiệu in bold capitals,
tiêu ngữ in bold, underlined, then the place and date in italics). The signature block closes it.

Every run names Times New Roman for all four font slots (ascii, hAnsi, cs, eastAsia): Word picks
the slot by character, and a slot left to the theme shows Vietnamese letters in another typeface.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from thidua.reports.model import OfficeHeading, vietnamese_date

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 12
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def new_document(*, landscape: bool) -> DocxDocument:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _name_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0  # the decree allows single to 1.5 lines
    # docDefaults too: table styles and footnotes that do not derive from Normal read them
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        r_pr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if r_pr is not None:
            _name_fonts(r_pr)
    document.core_properties.language = "vi-VN"
    return document


def text_width(document: DocxDocument) -> int:
    section = document.sections[0]
    return section.page_width - section.left_margin - section.right_margin


def _name_fonts(r_pr) -> None:
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), "vi-VN")


def write(
    paragraph: Paragraph,
    text: str,
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
) -> Paragraph:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    _name_fonts(run._r.get_or_add_rPr())
    return paragraph


def line(
    container,
    text: str = "",
    *,
    align: str = "left",
    space_before: float = 0,
    space_after: float = 0,
    **style,
) -> Paragraph:
    """A paragraph of one run in ``container`` (the document or a table cell)."""
    paragraph = container.add_paragraph()
    paragraph.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    paragraph.paragraph_format.space_before = Pt(space_before)
    paragraph.paragraph_format.space_after = Pt(space_after)
    return write(paragraph, text, **style) if text else paragraph


def _first(cell: _Cell) -> Paragraph:
    """The cell's own empty paragraph, used for its first line instead of leaving a blank one."""
    return cell.paragraphs[0]


def _short_rule(cell: _Cell, width_mm: float) -> None:
    """The short solid rule under the office's name (1/3 to 1/2 of the line above)."""
    paragraph = cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell_width = cell.width or Mm(100)
    side = max(int((cell_width - Mm(width_mm)) / 2), 0)
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    write(paragraph, "", size=4)


def borderless(table: Table) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def set_widths(table: Table, widths: Sequence[int]) -> None:
    """Column widths (EMU) in the grid, which LibreOffice follows, and in every cell, which Word does."""
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths):
        column.w = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def heading_block(document: DocxDocument, heading: OfficeHeading, dated: date, *, kind: str) -> None:
    """Issuing body on the left, national heading, place and date on the right. ``kind``: the
    abbreviation of the document in its number ("DS": danh sách, "BC": báo cáo)."""
    width = text_width(document)
    left_width = int(width * 0.42)
    table = document.add_table(rows=1, cols=2)
    borderless(table)
    set_widths(table, (left_width, width - left_width))
    left, right = table.rows[0].cells
    if heading.superior:
        write(_first(left), heading.superior.upper(), size=BODY_PT).alignment = WD_ALIGN_PARAGRAPH.CENTER
        line(left, heading.office.upper(), align="center", bold=True)
    else:
        write(_first(left), heading.office.upper(), bold=True).alignment = WD_ALIGN_PARAGRAPH.CENTER
    _short_rule(left, 30)
    line(left, heading.number or f"Số:        /{kind}-", align="center", space_before=4)
    write(_first(right), NATIONAL_NAME, size=BODY_PT - 0.5, bold=True).alignment = WD_ALIGN_PARAGRAPH.CENTER
    line(right, MOTTO, align="center", size=14, bold=True, underline=True)
    line(right, vietnamese_date(heading.place, dated), align="center", size=14, italic=True, space_before=10)


def title_block(document: DocxDocument, title: str, *lines: str) -> None:
    line(document, title.upper(), align="center", size=14, bold=True, space_before=12)
    for text in lines:
        if text:
            line(document, text, align="center", size=14, bold=True)
    document.paragraphs[-1].paragraph_format.space_after = Pt(12)


def signature_block(document: DocxDocument, heading: OfficeHeading) -> None:
    """ "Nơi nhận" on the left; the signer's title, signature and stamp, and name on the right."""
    width = text_width(document)
    table = document.add_table(rows=1, cols=2)
    borderless(table)
    set_widths(table, (width // 2, width - width // 2))
    # the title, the signature and the name stay on one page, as a signer expects to find them
    cant_split = OxmlElement("w:cantSplit")
    table.rows[0]._tr.get_or_add_trPr().append(cant_split)
    left, right = table.rows[0].cells
    p = _first(left)
    p.paragraph_format.space_before = Pt(12)
    write(p, "Nơi nhận:", size=12, bold=True, italic=True)
    for recipient in heading.recipients:
        line(left, f"- {recipient}", size=11)
    p = _first(right)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(12)
    write(p, heading.signer_title.upper(), size=14, bold=True)
    line(right, "(Ký tên, đóng dấu)", align="center", size=13, italic=True)
    for _ in range(3):  # room for the signature and the stamp
        line(right, "")
    line(right, heading.signer_name, align="center", size=14, bold=True)


def grid(document: DocxDocument, columns: Sequence[tuple[str, int]]) -> Table:
    """A bordered table with a bold header row repeated on every page; widths in EMU."""
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, (name, _) in zip(table.rows[0].cells, columns):
        p = _first(cell)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        write(p, name, size=TABLE_PT, bold=True)
    repeat_as_header(table.rows[0])
    set_widths(table, [w for _, w in columns])
    return table


def repeat_as_header(row) -> None:
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def add_row(
    table: Table,
    values: Sequence[object],
    *,
    bold: bool = False,
    centered: Sequence[int] = (),
    size: float = TABLE_PT,
) -> None:
    cells = table.add_row().cells
    for index, (cell, value) in enumerate(zip(cells, values)):
        paragraphs = str(value if value is not None else "").split("\n")
        first = _first(cell)
        if index in centered:
            first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        write(first, paragraphs[0], size=size, bold=bold)
        for more in paragraphs[1:]:
            line(cell, more, size=size, bold=bold)
    widths = [c.width for c in table.rows[0].cells]
    for cell, width in zip(cells, widths):
        cell.width = width


def spanning_row(table: Table, text: str, *, bold: bool = True, italic: bool = False) -> None:
    """A row of one cell across the table (a group's heading)."""
    cells = table.add_row().cells
    merged = cells[0].merge(cells[-1])
    write(_first(merged), text, size=TABLE_PT, bold=bold, italic=italic)
