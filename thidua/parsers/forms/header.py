"""The header above a form or list: which school sent it, for which school year.

Schools write "Cơ sở giáo dục: Trường THCS An Bình", or leave the template's dots
and put "TRƯỜNG THCS AN BÌNH" on the next line, or only print the school's name
above the national motto; the year is "Năm học 2023 – 2024", "2023-2024", or the
template's "20.. – 20.." left unfilled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from thidua.parsers.forms.definitions import (
    NOT_SCHOOL_AFTER_TRUONG,
    REGISTRATION_FORM,
    SCHOOL_LINE_HEADS,
    SCHOOL_NAME_WORDS,
)
from thidua.parsers.forms.labels import LabelMatcher, is_filler, value_text, words
from thidua.parsers.forms.normal import clean, fold
from thidua.parsers.forms.template import is_signature_line

# The header above a form or list, and the title, are within a document's first lines.
HEADER_LINES = 200

HEADER_MATCHER = LabelMatcher(f for f in REGISTRATION_FORM if f.key in ("school", "school_year"))

_YEARS = re.compile(r"((?:19|20)\d{2})\s*(?:[-–—/]|đến|den)\s*((?:19|20)?\d{2})(?!\d)")
_SCHOOL_YEAR_IN_TEXT = re.compile(r"\bnam hoc ((?:19|20)\d{2}) ((?:19|20)?\d{2})\b")
# The national motto often shares a line with the school's name when a layout table is flattened.
_MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc")
_SCHOOL_HEADS = tuple(tuple(fold(h).split()) for h in SCHOOL_LINE_HEADS)
_SCHOOL_NAME_WORDS = tuple(" ".join(words(w)) for w in SCHOOL_NAME_WORDS)
_NOT_SCHOOL = frozenset(fold(w) for w in NOT_SCHOOL_AFTER_TRUONG)
_WORD = re.compile(r"[^\W_]+")
# A document's title or the national motto in capitals after a school's name on one pdf line.
_TITLE_IN_CAPITALS = re.compile(r"\s(?:ĐĂNG K[ÝÍ]|PHIẾU ĐĂNG|DANH SÁCH|BÁO CÁO|CỘNG HÒA|CỘNG HOÀ)\b")


@dataclass(frozen=True)
class Header:
    school: str = ""
    school_label: str = ""  # label the school wrote ("Cơ sở giáo dục"), "" for a bare heading
    school_found: bool = False  # a school label or heading was there, filled or not
    school_year: str = ""
    school_year_label: str = ""
    school_year_found: bool = False


def normalise_school_year(text: str | None) -> str:
    """ "Năm học 2023 – 2024" → "2023-2024"; "2023-24" → "2023-2024"; "" when the
    template's "20.. – 20.." was left; other text as written."""
    text = clean(text).replace("\n", " ")
    match = _YEARS.search(text)
    if match:
        first = int(match.group(1))
        second = match.group(2)
        last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        return f"{first}-{last}"
    leftover = [w for w in words(text) if w not in ("nam", "hoc", "20", "19", "2", "den")]
    return value_text(text) if leftover else ""


def school_year_in(text: str) -> str:
    """A school year mentioned in running text or a title: "… năm học 2023 - 2024"."""
    match = _SCHOOL_YEAR_IN_TEXT.search(fold(text))
    return normalise_school_year(f"{match.group(1)}-{match.group(2)}") if match else ""


def school_heading(text: str) -> str:
    """The school's name when a header line is one ("TRƯỜNG TIỂU HỌC PHONG HIỀN"),
    without the motto a flattened layout puts beside it; "" otherwise."""
    line = clean(text).replace("\n", " ")
    folded = words(line)
    if len(folded) < 2 or len(folded) > 24 or not any(folded[: len(h)] == h for h in _SCHOOL_HEADS):
        return ""
    first = _WORD.search(line)
    if not line.isascii() and first and first.group().lower() != "trường":
        return ""  # "TRƯỞNG PHÒNG" (the head of an office) folds like "TRƯỜNG"
    if folded[1] in _NOT_SCHOOL or is_signature_line(line):
        return ""
    spans = [(fold(m.group()), m.start()) for m in _WORD.finditer(line)]
    for motto in _MOTTO:
        motto_words = motto.split()
        for i in range(1, len(spans)):
            if tuple(w for w, _ in spans[i : i + len(motto_words)]) == tuple(motto_words):
                line = line[: spans[i][1]]
                break
    line = line.strip(" -–—:;,")
    return line if len(words(line)) <= 14 else ""


def read_header(lines: Iterable[str]) -> Header:
    """School and school year from the lines above a form or list. A label filled
    in wins over a heading; the first filled value of each wins. A label left empty
    on its line takes the value on the next line (the next cell of a table row)."""
    school = school_label = ""
    school_found = False
    year = year_label = ""
    year_found = False
    waiting: str | None = None  # a label with its value on the next line
    for line in lines:
        if is_filler(line):
            continue
        match = HEADER_MATCHER.match(line)
        if match and match.key == "school":
            school_found = True
            school_label = school_label or match.label
            if not school:
                school = school_value(match.value, match.alias)
            waiting = "school" if not school else None
            continue
        if match and match.key == "school_year":
            year_found = True
            year_label = year_label or match.label
            year = year or normalise_school_year(match.value)
            waiting = "school_year" if not year else None
            continue
        if waiting == "school" and not school and is_school_name(line):
            school = clean(line).replace("\n", " ")
        elif waiting == "school_year" and not year and _YEARS.search(line):
            year = normalise_school_year(line)
        waiting = None
        if not school:
            heading = school_heading(line)
            if heading:
                school, school_found = heading, True
        if not year:
            mentioned = school_year_in(line)
            if mentioned:
                year, year_found = mentioned, True
    return Header(school, school_label, school_found, year, year_label, year_found)


def is_school_name(text: str) -> bool:
    """A short line naming a school ("Tiểu học Phong Hiền", "THCS An Bình"): what may
    stand under an empty "Cơ sở giáo dục" label, unlike the title beside it."""
    folded = " " + " ".join(words(text)) + " "
    return len(words(text)) <= 14 and any(f" {w} " in folded for w in _SCHOOL_NAME_WORDS)


def _before_title(value: str) -> str:
    """The school without the title a pdf put on the same line: the header's two columns
    ("Cơ sở giáo dục: Trường THCS An Bình" | "ĐĂNG KÝ THỰC HIỆN …") read as one line."""
    match = _TITLE_IN_CAPITALS.search(value)
    return value[: match.start()].strip(" -–—:;,") if match and match.start() > 0 else value


def school_value(raw: str, alias: str = "") -> str:
    """The school as written after its label. After the bare label "Trường:" schools
    write "THCS An Bình"; the name is "Trường THCS An Bình"."""
    value = _before_title(value_text(raw).replace("\n", " "))
    if value and fold(alias) in ("truong", "ten truong") and not fold(value).startswith("truong"):
        value = f"Trường {value}"
    return value
