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
_EXTENSION_TAIL = re.compile(r"^[A-Za-z0-9]{1,3}$")
# A line the pdf broke after a hyphen (or "_", "/") that joins two parts of one word.
_BROKEN_AFTER_HYPHEN = re.compile(r"[^\s\-–—][-_/]$")
# A blank beside "-", "_" or "." inside a file name, or before its extension; " - " between
# words is a dash, not a stray blank.
_STRAY_BLANK = re.compile(
    r"(?<=[^\s\-][-_.]) +(?=\S)|(?<=\S) +(?=[-_][^\s\-])|(?<=\S) +(?=\.[A-Za-z0-9]{2,5}$)"
)
_FIGURE = re.compile(r"^\d+[/.,]\d")
_FILE_NAME = re.compile(r"\.(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{2,5}$")


def parse_rank(text: str) -> int | None:
    match = _RANK.match(clean(text))
    return int(match.group(1)) if match else None


def one_line(text: str) -> str:
    """A name, position or award: lines a cell wrapped onto joined by a space."""
    return clean(text).replace("\n", " ")


def looks_like_file_name(text: str) -> bool:
    return bool(_FILE_NAME.search(text.strip()))


def continues(previous: str, line: str) -> bool:
    """In a pdf every visual line is a line: ``line`` carries on ``previous`` unless it
    starts an item (bullet, numbering) or ``previous`` ended one (".", ";", ":", or a
    file name, unless ``line`` is the rest of its extension: "bien-ban.pd" + "f"). A line
    broken after a hyphen inside a word ("minh-" + "chung-" + "1.pdf") always goes on."""
    if not previous:
        return False
    if _BROKEN_AFTER_HYPHEN.search(previous):
        return True
    if _starts_item(line):
        return False
    if looks_like_file_name(previous):
        return bool(_EXTENSION_TAIL.match(line))
    return not previous.rstrip().endswith((".", ";", ":", "!", "?"))


def _joined(previous: str, line: str) -> str:
    """pdf breaks inside a word only when the word is wider than the cell, as file
    names are ("giay-khen.p" + "df"); otherwise lines were broken at a blank."""
    if _BROKEN_AFTER_HYPHEN.search(previous):
        return previous + line  # "minh-" + "chung-1.pdf", "Toán-" + "Tin"
    last = previous.rsplit(" ", 1)[-1]
    first = line.split(" ", 1)[0]
    file_like = any(mark in last for mark in "-_.") or len(last) >= 10
    if (file_like and looks_like_file_name(last + first)) or len(last) >= 15:
        return previous + line
    return f"{previous} {line}"


def unwrap(text: str) -> str:
    """The lines of a pdf cell or paragraph run joined back into the lines the school typed."""
    lines: list[str] = []
    for line in clean(text).split("\n"):
        if lines and continues(lines[-1], line):
            lines[-1] = _joined(lines[-1], line)
        elif line:
            lines.append(line)
    return "\n".join(lines)


def _starts_item(line: str) -> bool:
    """A bullet or numbering opens the line; a figure such as "4/9 sáng kiến" or "2.5 điểm" does not."""
    return bool(split_numbering(line)[0].style) and not _FIGURE.match(line)


def unwrap_prose(text: str) -> str:
    """The lines of a pdf cell of running text (an achievement summary) joined with a
    blank, words broken after a hyphen without one; only a line that starts an item
    (bullet, numbering) stays a line of its own."""
    lines: list[str] = []
    for line in clean(text).split("\n"):
        if lines and (_BROKEN_AFTER_HYPHEN.search(lines[-1]) or not _starts_item(line)):
            lines[-1] = _joined(lines[-1], line)
        elif line:
            lines.append(line)
    return "\n".join(lines)


def tidy_file_name(item: str) -> str:
    """An evidence item that names a file, without the blanks a line break or a careless
    typist left around its separators: "minh- chung-1 .pdf" → "minh-chung-1.pdf"."""
    if not looks_like_file_name(item):
        return item
    return _STRAY_BLANK.sub("", item)


def split_evidence(text: str, *, wrapped: bool = False) -> tuple[str, ...]:
    """The items an evidence cell lists: split on new lines, ";" and bullets, and on
    "," only when every piece is a file name ("a.pdf, b.jpg") — a description such as
    "Giấy khen, ảnh hoạt động" stays whole. ``wrapped``: the cell comes from a pdf,
    whose line breaks are the cell's width, not the school's."""
    text = unwrap(text) if wrapped else clean(text)
    items: list[str] = []
    for piece in _EVIDENCE_SEPARATORS.split(text):
        piece = split_numbering(piece.strip())[1].strip(" ,")
        if not piece:
            continue
        parts = [p.strip() for p in piece.split(",") if p.strip()]
        if len(parts) > 1 and all(looks_like_file_name(p) for p in parts):
            items.extend(map(tidy_file_name, parts))
        else:
            items.append(tidy_file_name(piece))
    return tuple(items)
