"""Reading single cells of a nomination list: rank, evidence list, one-line texts."""
from __future__ import annotations

import re

from thidua.parsers.forms.labels import split_numbering
from thidua.parsers.forms.normal import clean

# "1", "1.", "01", "1)", and spreadsheets' "1.0"
_RANK = re.compile(r"^0*(\d{1,4})(?:[.,]0+)?\s*[.)]?$")
# Items of an evidence cell: one per line, or separated by ";" or bullet signs; a
# dash inside a line ("Ảnh hoạt động - tiết dạy mẫu") is part of a description.
_EVIDENCE_SEPARATORS = re.compile(r"\n|;|•|▪|●")
# A file name ends with an extension ("minh-chung-1.pdf", "Anh hoat dong.JPG").
_FILE_NAME = re.compile(r"\.(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{2,5}$")


def parse_rank(text: str) -> int | None:
    match = _RANK.match(clean(text))
    return int(match.group(1)) if match else None


def one_line(text: str) -> str:
    """A name, position or award: lines a cell wrapped onto joined by a space."""
    return clean(text).replace("\n", " ")


def looks_like_file_name(text: str) -> bool:
    return bool(_FILE_NAME.search(text.strip()))


def split_evidence(text: str) -> tuple[str, ...]:
    """The items an evidence cell lists: split on new lines, ";" and bullets, and on
    "," only when every piece is a file name ("a.pdf, b.jpg") — a description such as
    "Giấy khen, ảnh hoạt động" stays whole."""
    items: list[str] = []
    for piece in _EVIDENCE_SEPARATORS.split(clean(text)):
        piece = split_numbering(piece.strip())[1].strip(" ,")
        if not piece:
            continue
        parts = [p.strip() for p in piece.split(",") if p.strip()]
        if len(parts) > 1 and all(looks_like_file_name(p) for p in parts):
            items.extend(parts)
        else:
            items.append(piece)
    return tuple(items)
