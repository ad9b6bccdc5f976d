"""Hostile and broken files, made cheaply in memory, for the hardening tests and the fuzzers."""

from __future__ import annotations

import io
import struct
import zipfile

from tests.support.builders import make_docx, make_pdf, make_xlsx


def many_page_pdf(pages: int = 10_000, text: str = "Trang") -> bytes:
    """A valid PDF of ``pages`` pages that all share one small content stream."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    first_page = 5
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
        + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    objects += [page] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def zip_bomb(megabytes: int = 100) -> bytes:
    """One member that deflates about a thousand to one."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("Danh sách.xlsx", "w", force_zip64=True) as member:
            block = b"\x00" * (1 << 20)
            for _ in range(megabytes):
                member.write(block)
    return buffer.getvalue()


def many_member_zip(count: int = 5_000) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for index in range(count):
            archive.writestr(f"minh chung {index}.txt", b"x")
    return buffer.getvalue()


def nested_zip(depth: int = 8) -> bytes:
    data = zip_bomb(20)
    for level in range(depth):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"lop{level}.zip", data)
        data = buffer.getvalue()
    return data


def replace_part(package: bytes, name: str, content: bytes) -> bytes:
    """``package`` (a zip) with part ``name`` replaced by ``content``."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == name else source.read(info))
    return buffer.getvalue()


BILLION_LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE w:document [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i else b"&lol;") * 10) for i in range(10)
    )
    + b']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)


def billion_laughs_docx() -> bytes:
    return replace_part(make_docx(["ĐĂNG KÝ"]), "word/document.xml", BILLION_LAUGHS)


def docm(docx: bytes) -> bytes:
    """The same document saved as macro-enabled (.docm): only the main part's content type differs."""
    types = zipfile.ZipFile(io.BytesIO(docx)).read("[Content_Types].xml")
    types = types.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    return replace_part(docx, "[Content_Types].xml", types)


def giant_merge_xlsx() -> bytes:
    """A 6 KB workbook whose one merge covers the whole grid (openpyxl itself cannot write it)."""
    xlsx = make_xlsx({"DS": [["DANH SÁCH"]]}, {"DS": ["A1:B2"]})
    name = "xl/worksheets/sheet1.xml"
    sheet = zipfile.ZipFile(io.BytesIO(xlsx)).read(name).replace(b'ref="A1:B2"', b'ref="A1:XFD1048576"')
    return replace_part(xlsx, name, sheet)


def huge_dimension_xlsx(xlsx: bytes) -> bytes:
    """``xlsx`` whose first sheet claims to span the whole grid."""
    name = "xl/worksheets/sheet1.xml"
    sheet = zipfile.ZipFile(io.BytesIO(xlsx)).read(name)
    start = sheet.find(b"<dimension")
    if start >= 0:
        end = sheet.find(b"/>", start) + 2
        sheet = sheet[:start] + b'<dimension ref="A1:XFD1048576"/>' + sheet[end:]
    return replace_part(xlsx, name, sheet)


def truncated_pdf() -> bytes:
    data = make_pdf(["GIẤY KHEN", "Tặng Nguyễn Thị Hoa", "Đã có thành tích xuất sắc"] * 20)
    return data[: len(data) // 2]


def slow_table_pdf(lines: int = 6_000) -> bytes:
    """One page ruled into thousands of cells under an STT header: slow for table finding."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(2000, 2000))
    pdf.drawString(20, 1980, "STT Ho va ten")
    step = 1800 / (lines // 2)
    for i in range(lines // 2):
        pdf.line(10, 10 + i * step, 1990, 10 + i * step)
        pdf.line(10 + i * step, 10, 10 + i * step, 1990)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def sevenzip_bomb(megabytes: int = 100) -> bytes:
    """A 7z whose one member LZMA shrinks thousands of times (7-Zip compresses members together)."""
    from tests.support.container_builders import make_7z

    return make_7z([("Danh sách.xlsx", b"\x00" * (megabytes << 20))])


def many_member_rar(count: int = 5_000) -> bytes:
    from tests.support.container_builders import make_rar

    return make_rar([(f"minh chung {index}.txt", b"x") for index in range(count)])


def runaway_tnef() -> bytes:
    """winmail.dat whose one attachment claims 2**32 property values in a dozen bytes."""
    properties = struct.pack("<I", 1) + struct.pack("<HHI", 0x1002, 0x3707, 0xFFFFFFFF)
    attributes = ((0x9002, b"\x01\x00" + b"\xff" * 12), (0x9005, properties))
    return struct.pack("<IH", 0x223E9F78, 0) + b"".join(
        struct.pack("<BHHI", 2, attribute, 6, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)
        for attribute, data in attributes
    )
