"""Decompression bombs and other files built to exhaust a reader, and the mails that carry them."""

from __future__ import annotations

from tests.support import hostile
from tests.support.builders import ENCRYPTED_OFFICE_STREAMS, make_eml, make_ole, make_pdf
from tests.support.office import OFFICE

OCTET = "application/octet-stream"


def mail(name: str, data: bytes) -> bytes:
    return make_eml(
        sender="c2anbinh@example.vn", to=OFFICE, subject="Hồ sơ thi đua", attachments=[(name, data, OCTET)]
    )


CASES = {
    "zip bomb": ("Minh chứng.zip", lambda: hostile.zip_bomb(100), {"unreadable_attachment"}),
    "zip with thousands of members": (
        "Minh chứng.zip",
        lambda: hostile.many_member_zip(5_000),
        {"unreadable_attachment"},
    ),
    "nested zips": (
        "Hồ sơ.zip",
        lambda: hostile.nested_zip(8),
        {"unsupported_format", "unreadable_attachment"},
    ),
    "billion laughs docx": ("Đăng ký.docx", hostile.billion_laughs_docx, {"unreadable_attachment"}),
    "xlsx merge over the whole grid": ("Danh sách.xlsx", hostile.giant_merge_xlsx, {"attachment_too_large"}),
    "10,000-page pdf": ("Danh sách.pdf", lambda: hostile.many_page_pdf(10_000), {"unreadable_attachment"}),
    "encrypted docx": ("Đăng ký.docx", lambda: make_ole(ENCRYPTED_OFFICE_STREAMS), {"unreadable_attachment"}),
    "password pdf": (
        "Danh sách.pdf",
        lambda: make_pdf(["DANH SÁCH"], password="matkhau"),
        {"unreadable_attachment"},
    ),
    "truncated pdf": ("Danh sách.pdf", hostile.truncated_pdf, {"unreadable_attachment"}),
    "broken rar archive": (
        "Hồ sơ.rar",
        lambda: b"Rar!\x1a\x07\x00" + b"\x00" * 100,
        {"unreadable_attachment"},
    ),
    "7z bomb": ("Minh chứng.7z", lambda: hostile.sevenzip_bomb(100), {"unreadable_attachment"}),
    "rar with thousands of members": (
        "Minh chứng.rar",
        lambda: hostile.many_member_rar(5_000),
        {"unreadable_attachment"},
    ),
    "winmail.dat with a runaway property count": ("winmail.dat", hostile.runaway_tnef, {"no_attachment"}),
}
