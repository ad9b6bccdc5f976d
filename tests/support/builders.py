"""Realistic test files, made with the libraries that schools' software resembles.

Import them as ``from tests.support.builders import make_docx, make_eml, …``. Everything
returns ``bytes``; nothing touches the disk.

Word (python-docx)
    ``make_docx(blocks)``: each block is
      * ``str``: a paragraph; ``"\\n"`` inside is a line break (Shift+Enter);
      * ``Title("…")``: a bold, centred paragraph;
      * a list of rows (list of lists): a bordered table. A cell is a ``str``, a
        nested table (list of lists), or a merge marker: ``Merge.LEFT`` means "this
        cell is part of the cell on its left" (horizontal merge, gridSpan) and
        ``Merge.UP`` "part of the cell above" (vertical merge, vMerge). For a block
        merge, mark the rest of the first row ``LEFT`` and every cell below ``UP``;
      * ``TextBox("…")``: a floating text box the way Word 2010+ saves it (DrawingML
        with a VML fallback holding the same text);
      * ``ContentControl("…", label="")``: a content control (w:sdt) around a
        paragraph, or, with ``label``, inside a paragraph after ``label``.
    ``registration_docx(**values)``: "Mẫu gợi ý số 1" of seed 01, filled with
    ``values`` (keys of ``REGISTRATION_LABELS`` plus ``school`` and ``school_year``);
    ``REGISTRATION_EXAMPLE`` is a complete, valid set of values.

Excel (openpyxl)
    ``make_xlsx(sheets, merges=None, hidden=())``: ``{"Sheet": [[cell, …], …]}``; a cell
    is ``str``, number, ``date``/``datetime``, ``None`` or ``Formatted(value, "0%")``;
    ``merges`` maps a sheet to ranges like ``"A1:G1"``.
    ``nomination_xlsx(rows, title=…)``: a "Mẫu 2" nomination list; ``NOMINATION_HEADER``
    holds its column titles.

PDF (reportlab, DejaVu Sans for Vietnamese; Debian package ``fonts-dejavu-core``)
    ``make_pdf(lines, table=None)``: one paragraph per line, then a ruled table (merge
    markers as for Word); ``password=`` encrypts it. ``make_scan_pdf()``: one page that
    is only an image.

Mail (email.message.EmailMessage)
    ``make_eml(sender=…, to=…, subject=…, attachments=[(filename, data, content_type)])``.
    File names are RFC 2231 encoded; ``filename_style="rfc2047"`` writes them the way
    Outlook does (encoded words inside quotes). A ``message/rfc822`` attachment takes
    the raw bytes of another mail.

Text
    ``encode_cp1258(text)``: the legacy Vietnamese Windows encoding of text files.

Containers
    ``make_zip(members, names=…)`` and ``make_ole(streams)`` (a compound file, e.g. a
    password-protected Office document: ``make_ole(ENCRYPTED_OFFICE_STREAMS)``).
"""

from __future__ import annotations

import base64
import email.message
import email.policy
import email.utils
import io
import struct
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.header import Header
from enum import Enum
from pathlib import Path
from xml.sax.saxutils import escape

# --------------------------------------------------------------------------- Word


class Merge(Enum):
    """Table cell markers: this position belongs to the cell on the LEFT / the cell above (UP)."""

    LEFT = "left"
    UP = "up"


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class TextBox:
    text: str


@dataclass(frozen=True)
class ContentControl:
    text: str
    label: str = ""  # non-empty: an inline control after this text in the same paragraph


_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def make_docx(blocks: Sequence) -> bytes:
    """A .docx holding ``blocks`` in order (see the module docstring for block kinds)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    for block in blocks:
        if isinstance(block, Title):
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(block.text).bold = True
        elif isinstance(block, str):
            document.add_paragraph(block)
        elif isinstance(block, TextBox):
            _add_text_box(document, block.text)
        elif isinstance(block, ContentControl):
            _add_content_control(document, block)
        elif isinstance(block, (list, tuple)):
            _fill_table(document.add_table(rows=len(block), cols=_width(block)), block, style="Table Grid")
        else:
            raise TypeError(f"unknown block {block!r}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _width(rows: Sequence[Sequence]) -> int:
    return max((len(row) for row in rows), default=1)


def _fill_table(table, rows: Sequence[Sequence], *, style: str | None) -> None:
    if style:
        table.style = style
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            if isinstance(value, (list, tuple)):
                _fill_table(cell.add_table(rows=len(value), cols=_width(value)), value, style=style)
            elif value is not None and not isinstance(value, Merge):
                cell.text = str(value)
    for (r1, c1), (r2, c2) in _merge_regions(rows):
        table.cell(r1, c1).merge(table.cell(r2, c2))


def _merge_regions(rows: Sequence[Sequence]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Rectangles (top-left, bottom-right) spelled by Merge markers."""

    def at(r: int, c: int):
        return rows[r][c] if r < len(rows) and c < len(rows[r]) else None

    regions = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, Merge):
                continue
            right = c
            while at(r, right + 1) is Merge.LEFT:
                right += 1
            bottom = r
            while at(bottom + 1, c) is Merge.UP:
                bottom += 1
            if (right, bottom) != (c, r):
                regions.append(((r, c), (bottom, right)))
    return regions


def _add_text_box(document, text: str) -> None:
    from docx.oxml import parse_xml

    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>' for line in text.split("\n")
    )
    xml = (
        f'<w:r {_NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="1" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="2743200" cy="457200"/><wp:wrapSquare wrapText="bothSides"/>'
        '<wp:docPr id="1" name="Text Box 1"/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        f'<wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx><w:txbxContent>{body}</w:txbxContent></wps:txbx>'
        "<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        '<mc:Fallback><w:pict><v:shape style="width:216pt;height:36pt"><v:textbox>'
        f"<w:txbxContent>{body}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    document.add_paragraph()._p.append(parse_xml(xml))


def _add_content_control(document, control: ContentControl) -> None:
    from docx.oxml import parse_xml

    run = f'<w:r><w:t xml:space="preserve">{escape(control.text)}</w:t></w:r>'
    properties = '<w:sdtPr><w:alias w:val="Giá trị"/><w:tag w:val="value"/></w:sdtPr>'
    if control.label:
        paragraph = document.add_paragraph(control.label)
        paragraph._p.append(parse_xml(f"<w:sdt {_NS}>{properties}<w:sdtContent>{run}</w:sdtContent></w:sdt>"))
        return
    element = parse_xml(f"<w:sdt {_NS}>{properties}<w:sdtContent><w:p>{run}</w:p></w:sdtContent></w:sdt>")
    body = document.element.body
    body[-1].addprevious(element) if body[-1].tag.endswith("}sectPr") else body.append(element)


# ---------------------------------------------------------------- registration form

#: Field key -> (number, label exactly as Mẫu gợi ý số 1 prints it).
REGISTRATION_LABELS: dict[str, tuple[int, str]] = {
    "full_name": (1, "Họ tên người đăng ký:"),
    "assigned_task": (2, "Nhiệm vụ được giao:"),
    "innovation_area": (3, "Dự kiến thực hiện đổi mới sáng tạo trong lĩnh vực:"),
    "current_situation": (4, "Thực trạng vấn đề dự kiến đổi mới: (tồn tại)"),
    "objectives": (5, "Mục tiêu giải pháp đổi mới"),
    "expected_results": (6, "Dự kiến kết quả sẽ đạt được sau khi thực hiện đổi mới"),
    "trial_period": (7, "Thời gian dự kiến thử nghiệm thực hiện đổi mới"),
    "trial_steps": (8, "Các bước tiến hành thử nghiệm đổi mới"),
    "dissemination_scope": (9, "Phạm vi công bố và nhân rộng kết quả đổi mới."),
}
# The template's dotted blanks after labels 1-3 (items 4-9 have none).
_REGISTRATION_DOTS = {1: "………………………..…………………", 2: "…………………………………………………", 3: " …………………"}
REGISTRATION_HINT = (
    "(quản lý tổ, nhà trường; quản lý giáo dục học sinh; phương pháp giảng dạy; bồi dưỡng học sinh "
    "giỏi; chất lượng học tập của học sinh; chất lượng giảng dạy chuyên môn….)"
)
REGISTRATION_TITLE = ("ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ", "ĐỔI MỚI, SÁNG TẠO TRONG DẠY VÀ HỌC")

REGISTRATION_EXAMPLE: dict[str, object] = {
    "school": "Trường THCS An Bình",
    "school_year": "2023 – 2024",
    "full_name": "Nguyễn Thị Hoa",
    "assigned_task": "Giáo viên dạy Toán lớp 8A, 8B; tổ trưởng tổ Khoa học tự nhiên",
    "innovation_area": "Phương pháp giảng dạy",
    "current_situation": [
        "- Khoảng 40% học sinh lớp 8 chưa hứng thú với các bài toán thực tế.",
        "- Kết quả kiểm tra giữa kỳ I: 12 em dưới trung bình.",
    ],
    "objectives": "Vận dụng dạy học theo dự án để học sinh giải quyết bài toán gắn với đời sống.",
    "expected_results": "Giảm số học sinh dưới trung bình từ 12 xuống còn 5 em; 90% học sinh tham gia dự án.",
    "trial_period": "Từ tháng 10/2023 đến tháng 4/2024",
    "trial_steps": [
        "Bước 1: Khảo sát thực trạng đầu năm.",
        "Bước 2: Thiết kế 4 dự án học tập.",
        "Bước 3: Dạy thử nghiệm ở lớp 8A, đối chứng với lớp 8B.",
        "Bước 4: Đánh giá, điều chỉnh.",
    ],
    "dissemination_scope": "Tổ Khoa học tự nhiên và các trường THCS trong huyện",
}


def registration_docx(
    *,
    inline: bool | None = None,
    hint: bool = True,
    place_date: str | None = None,
    normal_form: str = "NFC",
    **values,
) -> bytes:
    """Mẫu gợi ý số 1 as a school fills it in Word.

    ``values``: ``school``, ``school_year`` ("2023 – 2024") and the keys of
    ``REGISTRATION_LABELS``. A missing or empty value leaves the template as
    printed (dots after labels 1-3, nothing under 4-9). A ``str`` value follows
    its label on the same line for items 1-3 and in the next paragraph(s) for
    4-9 (``"\\n"`` separates paragraphs); a list is always written as paragraphs
    under the label. ``inline=True/False`` forces one placement for every str.
    ``hint=False`` drops the bracketed hint under item 3, as many schools do.
    ``normal_form="NFD"`` writes decomposed Unicode, as some Mac and web tools do.
    """
    unknown = set(values) - set(REGISTRATION_LABELS) - {"school", "school_year"}
    if unknown:
        raise TypeError(f"unknown registration fields: {sorted(unknown)}")
    school = values.get("school")
    year = values.get("school_year")
    header = [
        [
            "Cơ sở giáo dục " + (str(school) if school else "……….\n………………………"),
            "\n".join(REGISTRATION_TITLE),
        ]
    ]
    blocks: list = [header, "", f"Thời gian thực hiện: Năm học {year or '20. . . – 20. . .'}", ""]
    for key, (number, label) in REGISTRATION_LABELS.items():
        value = values.get(key)
        if not value:
            blocks.append(f"{number}. {label}{_REGISTRATION_DOTS.get(number, '')}")
        elif isinstance(value, str) and (inline if inline is not None else number <= 3):
            blocks.append(f"{number}. {label.replace(': (', ' (').rstrip('.:')}: {value}")
        else:
            lines = value.split("\n") if isinstance(value, str) else [str(line) for line in value]
            blocks.append(f"{number}. {label}")
            blocks.extend(lines)
        if number == 3 and hint:
            blocks.append(REGISTRATION_HINT)
    blocks += [
        "",
        place_date or ". . . . . . . . . .  . . , ngày      tháng     năm 20. . . .",
        "Ký, ghi rõ họ tên",
    ]
    if values.get("full_name"):
        blocks.append(str(values["full_name"]))
    data = _docx_with_layout_table(blocks)
    return _renormalise_docx(data, normal_form) if normal_form != "NFC" else data


def _docx_with_layout_table(blocks: list) -> bytes:
    """Like make_docx, but the first block is the borderless two-column header of official forms."""
    from docx import Document

    document = Document()
    header = blocks[0]
    table = document.add_table(rows=1, cols=2)  # default style: no borders, a layout grid
    for c, text in enumerate(header[0]):
        cell = table.cell(0, c)
        lines = text.split("\n")
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
        if c == 1:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.bold = True
    for block in blocks[1:]:
        document.add_paragraph(block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _renormalise_docx(data: bytes, form: str) -> bytes:
    """The same package with every XML part's text in another Unicode normal form."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.endswith(".xml"):
                content = unicodedata.normalize(form, content.decode("utf-8")).encode("utf-8")
            target.writestr(info, content)
    return buffer.getvalue()


# --------------------------------------------------------------------------- Excel


@dataclass(frozen=True)
class Formatted:
    """A cell value with an Excel number format, e.g. ``Formatted(0.95, "0%")``."""

    value: object
    number_format: str


def make_xlsx(
    sheets: Mapping[str, Sequence[Sequence]],
    merges: Mapping[str, Sequence[str]] | None = None,
    *,
    hidden: Iterable[str] = (),
) -> bytes:
    """A workbook with one sheet per entry, in order; ``hidden`` sheets are hidden."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    hidden = set(hidden)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(title=name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = sheet.cell(row=r, column=c)
                if isinstance(value, Formatted):
                    cell.value, cell.number_format = value.value, value.number_format
                else:
                    cell.value = value
                    if isinstance(value, date):
                        cell.number_format = "DD/MM/YYYY"
        for cell_range in (merges or {}).get(name, ()):
            sheet.merge_cells(cell_range)
        if name in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


NOMINATION_HEADER = (
    "STT",
    "Họ và tên",
    "Đối tượng",
    "Chức vụ",
    "Tóm tắt thành tích nổi bật",
    "Minh chứng, sản phẩm",
    "Hình thức đề nghị khen thưởng",
)
NOMINATION_TITLE = (
    "DANH SÁCH TẬP THỂ, CÁ NHÂN TIÊU BIỂU, XUẤT SẮC TRONG PHONG TRÀO THI ĐUA "
    "“ĐỔI MỚI, SÁNG TẠO TRONG DẠY VÀ HỌC”"
)
_NOMINEE_KEYS = ("rank", "name", "category", "position", "achievements", "evidence", "award")


def nomination_xlsx(
    rows: Sequence,
    title: str = NOMINATION_TITLE,
    *,
    school: str = "TRƯỜNG THCS AN BÌNH",
    office: str = "PHÒNG GD&ĐT HUYỆN PHONG ĐIỀN",
    sheet: str = "Danh sách",
    column_numbers: bool = False,
    signature: bool = True,
) -> bytes:
    """A "Mẫu 2" list: letterhead and title rows, a header merged over two rows, one row per nominee.

    A row is a dict with the nominee keys of the spec (``rank`` defaults to its
    position, ``evidence`` may be a list: one file per line) or a sequence in
    column order starting with STT. ``column_numbers`` adds the "(1) (2) …" row
    official forms print under the header. The header occupies rows 7-8; the
    first nominee is on row 9 (10 with column numbers).
    """
    width = len(NOMINATION_HEADER)
    table: list[list] = [
        [office, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        [school, None, None, None, "Độc lập - Tự do - Hạnh phúc"],
        [],
        [title],
        ["(Sắp xếp theo thứ tự ưu tiên)"],
        [],
        list(NOMINATION_HEADER),
        [],
    ]
    merges = ["A1:C1", "E1:G1", "A2:C2", "E2:G2", "A4:G4", "A5:G5"] + [f"{col}7:{col}8" for col in "ABCDEFG"]
    if column_numbers:
        table.append([f"({i})" for i in range(1, width + 1)])
    for index, row in enumerate(rows, start=1):
        if isinstance(row, Mapping):
            values = {"rank": index, **row}
            row = [values.get(key, "") for key in _NOMINEE_KEYS]
        cells = ["\n".join(value) if isinstance(value, (list, tuple)) else value for value in row]
        table.append(cells + [""] * (width - len(cells)))
    if signature:
        last = len(table) + 2
        table += [[], [None, "Người lập biểu", None, None, None, "HIỆU TRƯỞNG"]]
        merges.append(f"F{last}:G{last}")
    return make_xlsx({sheet: table}, {sheet: merges})


def sectioned_xlsx(
    rows: Sequence,
    *,
    unit_header: str | None = None,
    letterhead: str = "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO HUYỆN PHONG ĐIỀN",
) -> bytes:
    """A list with one header row: a ``str`` row is a section heading across the table, a dict a
    nominee (``rank`` defaults to 1 + the rows since the last heading). ``unit_header`` adds a unit
    column after the name ("Đơn vị", "Tên đơn vị"), filled from each row's ``unit``: an office's
    consolidated list of its schools' nominees."""
    keys = [
        "rank",
        "name",
        *(["unit"] if unit_header else []),
        "category",
        "position",
        "achievements",
        "evidence",
    ]
    header = [
        "STT",
        "Họ và tên",
        *([unit_header] if unit_header else []),
        "Đối tượng",
        "Chức vụ",
        "Tóm tắt thành tích nổi bật",
        "Minh chứng, sản phẩm",
    ]
    table: list[list] = [[letterhead], [], ["DANH SÁCH TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG"], [], header]
    merges = ["A1:D1", "A3:F3"]
    since_heading = 0
    for row in rows:
        if isinstance(row, str):
            table.append([row])
            merges.append(f"A{len(table)}:{chr(ord('A') + len(header) - 1)}{len(table)}")
            since_heading = 0
            continue
        since_heading += 1
        values = {"rank": since_heading, **row}
        table.append(
            ["\n".join(v) if isinstance(v, (list, tuple)) else v for v in (values.get(k, "") for k in keys)]
        )
    return make_xlsx({"Danh sách": table}, {"Danh sách": merges})


# ----------------------------------------------------------------------------- PDF

FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _pdf_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        if not FONT_PATH.exists():
            raise RuntimeError(f"{FONT_PATH} is missing: install the Debian package fonts-dejavu-core")
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT_PATH)))
    return "DejaVuSans"


def make_pdf(
    lines: Sequence[str], table: Sequence[Sequence] | None = None, *, password: str | None = None
) -> bytes:
    """An A4 PDF: each line a paragraph (long ones wrap), then ``table`` with ruled cells.

    Table cells may use ``Merge.LEFT`` / ``Merge.UP`` as in ``make_docx``.
    With ``password`` the file needs it to be opened (RC4, as older tools write).
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    font = _pdf_font()
    style = ParagraphStyle("body", fontName=font, fontSize=11, leading=15)
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=9, leading=12)
    story: list = [Paragraph(escape(line), style) if line else Spacer(1, 8) for line in lines]
    if table:
        width = _width(table)
        cells = [
            [
                Paragraph(escape(str(value)).replace("\n", "<br/>"), cell_style)
                if value is not None and not isinstance(value, Merge)
                else ""
                for value in row
            ]
            + [""] * (width - len(row))
            for row in table
        ]
        commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        commands += [("SPAN", (c1, r1), (c2, r2)) for (r1, c1), (r2, c2) in _merge_regions(table)]
        usable = A4[0] - 4 * cm
        story += [
            Spacer(1, 12),
            PdfTable(cells, colWidths=[usable / width] * width, style=TableStyle(commands)),
        ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        encrypt=password,
        title="",
        author="",
        creator="",
        producer="",
    )
    document.build(story)
    return buffer.getvalue()


def make_scan_pdf(pages: int = 1) -> bytes:
    """Pages that are photographs of paper: an image each, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (620, 877), color=235)
    draw = ImageDraw.Draw(image)
    for y in range(80, 800, 22):  # grey bars where lines of type would be
        draw.rectangle((60, y, 60 + (y * 37) % 480 + 60, y + 9), fill=60)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for _ in range(pages):
        pdf.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# ---------------------------------------------------------------------------- Mail

DEFAULT_DATE = datetime(2024, 3, 14, 9, 12, tzinfo=timezone(timedelta(hours=7)))


def make_eml(
    *,
    sender: str,
    to: str | Sequence[str],
    subject: str,
    body: str = "",
    attachments: Sequence[tuple[str, bytes, str]] = (),
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: str | Sequence[str] | None = None,
    headers: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
    date: datetime | str | None = DEFAULT_DATE,
    html: str | None = None,
    filename_style: str = "rfc2231",
) -> bytes:
    """A mail as a school's client sends it (CRLF line ends).

    ``attachments``: ``(filename, data, content_type)``; content type
    ``"application/octet-stream"`` is what webmail often claims. ``filename_style``:
    ``"rfc2231"`` (``filename*=utf-8''…``, Thunderbird, Gmail) or ``"rfc2047"``
    (``filename="=?utf-8?B?…?="``, Outlook). ``message_id=None`` makes a fresh one;
    ``date=None`` leaves the Date header out. ``headers`` are added last, as given.
    """
    message = email.message.EmailMessage()
    message["From"] = sender
    message["To"] = to if isinstance(to, str) else ", ".join(to)
    message["Subject"] = subject
    if date is not None:
        message["Date"] = date if isinstance(date, str) else email.utils.format_datetime(date)
    domain = email.utils.parseaddr(sender)[1].rpartition("@")[2] or "example.vn"
    message["Message-ID"] = message_id or email.utils.make_msgid(domain=domain)
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references if isinstance(references, str) else " ".join(references)
    message.set_content(body or "", cte="quoted-printable" if not body.isascii() else None)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for filename, data, content_type in attachments:
        _attach(message, filename, data, content_type, filename_style)
    for name, value in headers.items() if isinstance(headers, Mapping) else headers or ():
        message[name] = value
    # refold_source="none" keeps hand-written parameters (the Outlook style) as they are.
    return message.as_bytes(policy=email.policy.SMTP.clone(refold_source="none"))


def _attach(
    message: email.message.EmailMessage, filename: str, data: bytes, content_type: str, style: str
) -> None:
    maintype, _, subtype = content_type.partition("/")
    if content_type == "message/rfc822":
        inner = email.message_from_bytes(data, policy=email.policy.default)
        message.add_attachment(inner, filename=filename)
    elif style == "rfc2231":
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    elif style == "rfc2047":
        encoded = Header(filename, "utf-8").encode(linesep="\r\n")
        part = email.message.Message()  # compat32: stores the parameters exactly as written
        part["Content-Type"] = f'{content_type}; name="{encoded}"'
        part["Content-Transfer-Encoding"] = "base64"
        part["Content-Disposition"] = f'attachment; filename="{encoded}"'
        part.set_payload(base64.encodebytes(data).decode("ascii"))
        if message.get_content_type() != "multipart/mixed":  # the second such file joins the first
            message.make_mixed()
        message.attach(part)
    else:
        raise ValueError(f"unknown filename_style {style!r}")


# ---------------------------------------------------------------------- Encodings


def encode_cp1258(text: str) -> bytes:
    """Vietnamese text as Windows-1258 stores it: a letter, then its tone as a combining mark."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            out += unicodedata.normalize("NFC", decomposed[:-1]).encode("cp1258") + decomposed[-1].encode(
                "cp1258"
            )
    return bytes(out)


# ---------------------------------------------------------------------- Containers


def make_zip(
    members: Sequence[tuple[str, bytes]], *, names: str = "utf-8", encrypted: Iterable[str] = ()
) -> bytes:
    """A zip archive. ``names``: ``"utf-8"`` (flagged, 7-Zip and Windows 11), ``"utf-8-unflagged"``
    (UTF-8 bytes without the flag, as many Windows tools wrote them) or ``"cp437"``.
    Members named in ``encrypted`` carry the "encrypted" flag, as a password-protected archive does.
    """
    encoding = {"utf-8": None, "utf-8-unflagged": "utf-8", "cp437": "cp437"}[names]
    encrypted = set(encrypted)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = _LegacyNameInfo(name, encoding) if encoding else zipfile.ZipInfo(name)
            info.date_time = (2024, 3, 14, 9, 12, 0)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return _flag_encrypted(buffer.getvalue(), encrypted) if encrypted else buffer.getvalue()


def _flag_encrypted(data: bytes, names: set[str]) -> bytes:
    """Set the "encrypted" bit of the named members (zipfile cannot write encrypted archives)."""
    patched = bytearray(data)
    for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
        if info.filename in names:
            offset = info.header_offset + 6
            patched[offset] |= 0x1
    position = patched.find(b"PK\x01\x02")
    while position != -1:
        name_length = struct.unpack_from("<H", patched, position + 28)[0]
        raw_name = bytes(patched[position + 46 : position + 46 + name_length])
        if any(raw_name in (name.encode("utf-8"), name.encode("cp437", "replace")) for name in names):
            patched[position + 8] |= 0x1
        position = patched.find(b"PK\x01\x02", position + 4)
    return bytes(patched)


class _LegacyNameInfo(zipfile.ZipInfo):
    def __init__(self, name: str, encoding: str) -> None:
        super().__init__(name)
        self._encoding = encoding

    def _encodeFilenameFlags(self):  # zipfile's hook; it would always set the UTF-8 flag
        return self.filename.encode(self._encoding), self.flag_bits


#: Stream names of a password-protected .docx/.xlsx (an OLE2 wrapper around the encrypted package).
ENCRYPTED_OFFICE_STREAMS = {
    "EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00" + b"<encryption/>" * 40,
    "EncryptedPackage": b"\x00" * 8 + bytes(range(256)) * 20,
    "\x06DataSpaces": b"",
}


def make_ole(streams: Mapping[str, bytes]) -> bytes:
    """A minimal OLE2 compound file holding ``streams`` at its root (each stored in regular sectors)."""
    sector = 512
    end, free, fat_marker, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    # Streams under 4096 bytes would belong in the mini stream; padding avoids writing one.
    payloads = [(name, data.ljust(4096, b"\x00")) for name, data in streams.items()]
    entries = 1 + len(payloads)
    dir_sectors = -(-entries * 128 // sector)
    fat = [fat_marker]
    fat += [len(fat) + i + 1 if i + 1 < dir_sectors else end for i in range(dir_sectors)]
    starts = []
    for _, data in payloads:
        count = -(-len(data) // sector)
        starts.append(len(fat))
        fat += [len(fat) + i + 1 if i + 1 < count else end for i in range(count)]
    if len(fat) > sector // 4:
        raise ValueError("make_ole writes at most one FAT sector of streams")
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le")[:62] + b"\x00\x00"
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", no_stream, right, child)
            + b"\x00" * 16
            + b"\x00" * 4
            + b"\x00" * 16
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1 if payloads else no_stream, no_stream, end, 0)
    for index, ((name, data), start) in enumerate(zip(payloads, starts), start=1):
        directory += entry(
            name, 2, no_stream, index + 1 if index < len(payloads) else no_stream, start, len(data)
        )
    directory = directory.ljust(dir_sectors * sector, b"\x00")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )
    body = b"".join(data.ljust(-(-len(data) // sector) * sector, b"\x00") for _, data in payloads)
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + body


def rewrite_part(package: bytes, name: str, change) -> bytes:
    """``package`` (a zip: .docx, .xlsx…) with its part ``name`` replaced by ``change(content)``."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, change(content) if info.filename == name else content)
    return buffer.getvalue()
