"""Small real files of every kind a parser reads: the starting points of the fuzz targets
and of the property tests in ``tests/hardening``, which mutate them.

Most come from the test builders (``tests/support/builders.py``, ``tests/support/container_builders.py``,
``tests/support/scan_builders.py``). Excel 97-2003 and OpenDocument workbooks are written here,
byte by byte after [MS-XLS]/[MS-CFB] and ODF 1.2, because LibreOffice takes seconds to
start: ``make_xls`` and ``make_ods``.

    .venv/bin/python fuzz/seeds.py fuzz/corpus      # one folder of seed files per target
"""

from __future__ import annotations

import functools
import gzip
import io
import struct
import sys
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.builders import make_docx, make_eml, make_ole, make_pdf, make_zip, nomination_xlsx
from tests.support.container_builders import make_7z, make_compound_file, make_msg, make_rar, make_tnef

# ---------------------------------------------------------------------- Excel 97-2003 (BIFF8)

Cell = tuple[int, int, "str | float"]  # row, column (0-based), value


def _record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _unicode_string(text: str, length_format: str = "<H") -> bytes:
    """XLUnicodeString (ShortXLUnicodeString with "<B"): UTF-16, flagged as such."""
    return struct.pack(length_format, len(text)) + b"\x01" + text.encode("utf-16-le")


def make_xls(
    sheets: Mapping[str, Sequence[Cell]],
    *,
    merges: Mapping[str, Sequence[tuple[int, int, int, int]]] = {},
    shared: Sequence[str] = (),
    hidden: Sequence[str] = (),
) -> bytes:
    """A BIFF8 workbook in a compound file: numbers as NUMBER records, text as LABEL records,
    or as LABELSST records pointing into ``shared`` when the text is one of them; ``merges``
    are (first row, last row, first column, last column) per sheet."""

    def bof(kind: int) -> bytes:
        return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x0006))

    names = list(sheets)
    bodies = []
    for name in names:
        cells = sheets[name]
        rows = [row for row, _, _ in cells] or [0]
        columns = [column for _, column, _ in cells] or [0]
        body = bof(0x0010) + _record(
            0x0200, struct.pack("<IIHHH", min(rows), max(rows) + 1, min(columns), max(columns) + 1, 0)
        )
        for row, column, value in cells:
            if isinstance(value, (int, float)):
                body += _record(0x0203, struct.pack("<HHHd", row, column, 15, value))
            elif value in shared:
                body += _record(0x00FD, struct.pack("<HHHI", row, column, 15, list(shared).index(value)))
            else:
                body += _record(0x0204, struct.pack("<HHH", row, column, 15) + _unicode_string(value))
        for first_row, last_row, first_column, last_column in merges.get(name, ()):
            body += _record(0x00E5, struct.pack("<HHHHH", 1, first_row, last_row, first_column, last_column))
        bodies.append(body + _record(0x000A))

    def workbook_globals(positions: Sequence[int]) -> bytes:
        out = bof(0x0005) + _record(0x0042, struct.pack("<H", 1200))  # BOF, CODEPAGE: UTF-16
        for position, name in zip(positions, names):
            state = 1 if name in hidden else 0
            out += _record(0x0085, struct.pack("<IBB", position, state, 0) + _unicode_string(name, "<B"))
        if shared:
            out += _record(
                0x00FC,
                struct.pack("<ii", len(shared), len(shared))
                + b"".join(_unicode_string(text) for text in shared),
            )
        return out + _record(0x000A)

    position = len(workbook_globals([0] * len(names)))
    positions = []
    for body in bodies:
        positions.append(position)
        position += len(body)
    return make_compound_file({"Workbook": workbook_globals(positions) + b"".join(bodies)})


# ---------------------------------------------------------------------- OpenDocument spreadsheet

_ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods_cell(value: str | float | None = None, **attributes: str | int) -> str:
    """A ``table:table-cell``; ``attributes`` as ``number_columns_repeated=3`` → ``table:number-columns-repeated``."""
    written = "".join(
        f" table:{name.replace('_', '-')}={quoteattr(str(number))}" for name, number in attributes.items()
    )
    if value is None:
        return f"<table:table-cell{written}/>"
    if isinstance(value, (int, float)):
        typed = f'office:value-type="float" office:value="{value}"'
    else:
        typed = 'office:value-type="string"'
    return f"<table:table-cell {typed}{written}><text:p>{escape(str(value))}</text:p></table:table-cell>"


def ods_row(*cells: str, repeated: int = 1) -> str:
    attribute = f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""
    return f"<table:table-row{attribute}>{''.join(cells)}</table:table-row>"


def make_ods(sheets: Mapping[str, Sequence[str]]) -> bytes:
    """An OpenDocument spreadsheet as LibreOffice stores it (``mimetype`` first, stored);
    ``sheets`` maps each sheet's name to its rows, made with ``ods_row`` and ``ods_cell``."""
    tables = "".join(
        f"<table:table table:name={quoteattr(name)}>{''.join(rows)}</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NAMESPACES} office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        package.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        package.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# ---------------------------------------------------------------------- the seeds

# Small evidence files to put inside containers: a fuzzer spends its time on the container.
EVIDENCE_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EVIDENCE_TEXT = "Danh sách đề nghị khen thưởng\r\nNguyễn Thị Hoa\r\n".encode()
NOMINEE = {
    "name": "Nguyễn Thị Hoa",
    "category": "Giáo viên",
    "position": "Giáo viên Toán",
    "achievements": "Giải Nhất",
    "evidence": ["GK.pdf"],
    "award": "Giấy khen",
}


def xls_seed() -> bytes:
    return make_xls(
        {
            "Danh sách": [
                (0, 0, "DANH SÁCH ĐỀ NGHỊ"),
                (1, 0, "STT"),
                (1, 1, "Họ và tên"),
                (2, 0, 1.0),
                (2, 1, "Nguyễn Thị Hoa"),
                (3, 0, 2.0),
                (3, 1, "Lê Văn Nam"),
            ],
            "Ẩn": [(0, 0, "Trang tính ẩn")],
        },
        merges={"Danh sách": [(0, 0, 0, 1)]},
        shared=["Nguyễn Thị Hoa", "Lê Văn Nam"],
        hidden=["Ẩn"],
    )


def ods_seed() -> bytes:
    return make_ods(
        {
            "Danh sách": [
                ods_row(
                    ods_cell("DANH SÁCH ĐỀ NGHỊ", number_columns_spanned=2), "<table:covered-table-cell/>"
                ),
                ods_row(ods_cell("STT"), ods_cell("Họ và tên")),
                ods_row(ods_cell(1), ods_cell("Nguyễn Thị Hoa")),
                ods_row(ods_cell(None, number_columns_repeated=1024), repeated=1048573),
            ],
            "Ghi chú": [ods_row(ods_cell(None), ods_cell("Ô B1"))],
        }
    )


def _image_seeds() -> dict[str, bytes]:
    from PIL import Image

    from tests.support.scan_builders import picture_of_text

    picture = picture_of_text(["Giấy khen"], size=(48, 16))
    out = {}
    for kind, options in (
        ("png", {}),
        ("jpeg", {}),
        ("gif", {}),
        ("bmp", {}),
        ("webp", {}),
        ("tiff", {"save_all": True, "append_images": [Image.new("L", (8, 8), 255)]}),
    ):
        buffer = io.BytesIO()
        picture.convert("RGB" if kind == "jpeg" else "L").save(buffer, kind.upper(), **options)
        out[kind] = buffer.getvalue()
    return out


@functools.cache
def seed_files() -> dict[str, bytes]:
    """One small file of each kind, by kind."""
    docx = make_docx(["ĐĂNG KÝ", "Họ tên người đăng ký: Nguyễn Thị Hoa"])
    members = [("Hồ sơ/Giấy khen.pdf", EVIDENCE_PDF), ("Danh sách.txt", EVIDENCE_TEXT)]
    return {
        "xls": xls_seed(),
        "ods": ods_seed(),
        "doc": make_ole({"WordDocument": b"\xec\xa5\xc1\x00" + bytes(28)}),
        "zip": make_zip(members),
        "7z": make_7z(members),
        "rar": make_rar(members),
        "rar4": make_rar(members, version=4, encrypted=["Danh sách.txt"]),
        "gzip": gzip.compress(EVIDENCE_TEXT, mtime=0),
        "tnef": make_tnef(
            [("Giấy khen.pdf", EVIDENCE_PDF)],
            subject="Hồ sơ",
            body="Kính gửi",
            embedded=[("Danh sách.txt", EVIDENCE_TEXT)],
        ),
        "msg": make_msg(
            "Hồ sơ",
            [("Giấy khen.pdf", EVIDENCE_PDF)],
            body="Kính gửi",
            embedded=("Chuyển tiếp", [("Danh sách.txt", EVIDENCE_TEXT)]),
        ),
        "eml": make_eml(
            sender="c2anbinh@example.vn",
            to="thidua@example.vn",
            subject="Hồ sơ thi đua",
            body="Kính gửi Phòng",
            message_id="<seed@example.vn>",
            attachments=[
                ("Giấy khen.pdf", EVIDENCE_PDF, "application/pdf"),
                ("Danh sách.txt", EVIDENCE_TEXT, "application/octet-stream"),
            ],
        ),
        "xlsx": nomination_xlsx([NOMINEE]),
        "docx": docx,
        "pdf": make_pdf(["GIẤY KHEN", "Tặng Nguyễn Thị Hoa"]),
        "tcvn3": "Hä tªn ng\xadêi ®¨ng ký: NguyÔn ThÞ Hoa\r\n".encode("latin-1"),
        "vni": "Hoï teân ngöôøi ñaêng kyù: Nguyeãn Thò Hoa\r\n".encode("cp1252"),
        **_image_seeds(),
    }


# Which seeds each fuzz target starts from.
TARGET_SEEDS = {
    "fuzz_docx": ("docx",),
    "fuzz_xlsx": ("xlsx",),
    "fuzz_pdf": ("pdf",),
    "fuzz_mime": ("eml",),
    "fuzz_xls": ("xls",),
    "fuzz_ods": ("ods",),
    "fuzz_tnef": ("tnef",),
    "fuzz_msg": ("msg",),
    "fuzz_packed": ("7z", "rar", "rar4", "gzip"),
    "fuzz_archive": ("zip", "7z", "rar", "gzip", "tnef", "msg", "eml"),
    "fuzz_vnlegacy": ("tcvn3", "vni"),
    "fuzz_mime_split": ("eml",),
    "fuzz_images": ("png", "jpeg", "gif", "bmp", "webp", "tiff"),
    "fuzz_protection": ("xls", "ods", "doc"),
    "fuzz_filetypes": ("xls", "ods", "doc", "7z", "rar", "gzip", "tnef", "msg", "eml", "png", "tiff"),
}


def seeds_for(target: str) -> list[bytes]:
    files = seed_files()
    return [files[kind] for kind in TARGET_SEEDS[target]]


def write_corpora(folder: Path) -> None:
    for target, kinds in TARGET_SEEDS.items():
        (folder / target).mkdir(parents=True, exist_ok=True)
        for kind in kinds:
            (folder / target / f"seed-{kind}").write_bytes(seed_files()[kind])


if __name__ == "__main__":
    write_corpora(Path(sys.argv[1] if len(sys.argv) > 1 else "fuzz/corpus"))
