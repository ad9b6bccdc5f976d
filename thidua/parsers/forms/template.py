"""What belongs to a template rather than to what a school filled in: hints under
labels, the signature block, column-number rows, total rows, notes."""

from __future__ import annotations

import re
from functools import lru_cache

from thidua.parsers.forms.definitions import NOTE_PREFIXES, SIGN_OFF_LINES, TEMPLATE_HINTS, TOTAL_ROW_WORDS
from thidua.parsers.forms.normal import clean, fold

# "…, ngày … tháng … năm …" ending the line: the place and date above a signature.
# A value that merely starts with a date ("ngày 15 tháng 3 năm 2024 tổ chức …") goes on.
_DATE_LINE = re.compile(r"^(?:[a-z][a-z ]{0,60} )?ngay(?: \d{1,2})? thang(?: \d{1,2})? nam(?: \d{2,4})?$")
# Column numbers under a header: "(1)", "1", "[2]", "(A)"; a bare letter may be a value.
_COLUMN_NUMBER = re.compile(r"^(?:[(\[]?\s*\d{1,2}\s*[)\]]?|[(\[]\s*[A-Za-z]\s*[)\]])$")
# Sign-off lines that may continue with anything: "Xác nhận của …", "(Ký, ghi rõ họ tên …)".
_SIGN_OFF_PREFIXES = ("xac nhan cua", "ky ghi ro ho ten", "ky va ghi ro ho ten", "ky ten")
# Before "ngày" on a place-and-date line: a comma ("Phong Điền, ngày") or the template's dots.
_BEFORE_DATE = re.compile(r"(?:,|[.…_]\s*)\s*ng[àa]y\b", re.IGNORECASE)

_HINTS = tuple(fold(h) for h in TEMPLATE_HINTS)
_SIGN_OFFS = tuple(sorted({tuple(fold(s).split()) for s in SIGN_OFF_LINES}, key=len, reverse=True))
_TOTALS = tuple(fold(w) for w in TOTAL_ROW_WORDS)
_NOTES = tuple(fold(w) for w in NOTE_PREFIXES)


def is_template_hint(text: str) -> bool:
    """A parenthesised hint of the template, e.g. "(tồn tại)" or the list of
    fields under label 3 "(quản lý tổ, nhà trường; …)", possibly cut short."""
    text = clean(text).replace("\n", " ")
    if not text.startswith("("):
        return False
    inner = fold(text.strip("()… ."))
    if not inner:
        return False
    for hint in _HINTS:
        if inner == hint:
            return True
        # a long hint retyped partly, or a school's copy that cut it
        if len(inner) >= 15 and (hint.startswith(inner[:40]) or inner.startswith(hint[:40])):
            return True
    return False


@lru_cache(maxsize=4096)
def is_signature_line(text: str) -> bool:
    """The place-and-date line or a sign-off ("Người đăng ký", "Ký, ghi rõ họ tên",
    "XÁC NHẬN CỦA HIỆU TRƯỞNG  NGƯỜI ĐĂNG KÝ"): the form's body has ended."""
    folded = fold(text)  # brackets fold to blanks: "(Ký, ghi rõ họ tên)" reads as the words
    if not folded:
        return False
    if _DATE_LINE.match(folded):
        # "Từ ngày 1 tháng 10 năm 2023" is a value; a signature's date follows a place and a comma
        return folded.startswith("ngay") or bool(_BEFORE_DATE.search(clean(text)))
    if (folded + " ").startswith(tuple(p + " " for p in _SIGN_OFF_PREFIXES)):
        return True
    return _only_sign_offs(tuple(folded.split()))


def _only_sign_offs(tokens: tuple[str, ...]) -> bool:
    """True when the words are sign-off lines one after the other (a signature row
    typed on one line: "NGƯỜI LẬP BIỂU        HIỆU TRƯỞNG")."""
    i = 0
    while i < len(tokens):
        for entry in _SIGN_OFFS:
            if tokens[i : i + len(entry)] == entry:
                i += len(entry)
                break
        else:
            return False
    return bool(tokens)


def is_column_numbers(cells: tuple[str, ...]) -> bool:
    """The row "(1) (2) (3) …" or "1 2 3 …" some templates put under the header."""
    filled = [c for c in (clean(x) for x in cells) if c]
    return len(filled) >= 2 and all(_COLUMN_NUMBER.match(c) for c in filled)


def is_total(text: str) -> bool:
    """ "Tổng cộng", "Tổng số: 5", "Cộng: 7" heading a row that sums the list up.
    A one-word total ("Tổng", "Cộng") may only be followed by figures, so that
    "Tổng phụ trách Đội" stays a position."""
    folded = fold(text)
    for word in _TOTALS:
        if folded == word:
            return True
        if folded.startswith(word + " "):
            rest = folded[len(word) + 1 :]
            if " " in word or all(part.isdigit() for part in rest.split()):
                return True
    return False


def is_note(text: str) -> bool:
    folded = fold(text)
    return any(folded == w or folded.startswith(w + " ") for w in _NOTES)
