"""A nominee's category from the words schools use.

The Đối tượng column says it when there is one; otherwise a section row
("I. TẬP THỂ", "A. Cán bộ quản lý") above the nominee, otherwise the name of a
collective ("Tổ Toán – Tin") or the position of a person ("Phó Hiệu trưởng").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from thidua.parsers.forms.definitions import CATEGORY_WORDS, INDIVIDUAL_WORDS, SECTION_WORDS
from thidua.parsers.forms.labels import split_numbering, words
from thidua.parsers.forms.normal import clean

_WORD = re.compile(r"[^\W_]+")

INDIVIDUAL_CATEGORIES = ("manager", "teacher", "staff", "student")


def _phrases(table: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...]:
    return tuple((_accented(phrase), words(phrase), key) for key, phrases in table for phrase in phrases)


def _accented(text: str) -> tuple[str, ...]:
    """Lower-case words with their diacritics: folding makes "Liên đội Trường …" (a
    collective) read "liên đội trưởng" (a pupil's post), so accents are tried first."""
    return tuple(_WORD.findall(clean(text).lower()))


_CATEGORY_PHRASES = _phrases(CATEGORY_WORDS)
_SECTION_PHRASES = _phrases(SECTION_WORDS)
_INDIVIDUAL_PHRASES = tuple(words(w) for w in INDIVIDUAL_WORDS)


def _find(text: str, phrases, allowed: tuple[str, ...] | None, anchored: bool) -> str | None:
    """The category of the earliest phrase in ``text``; at the same place the longest.
    Text with diacritics is compared with them (the surname "Trương" is no "trường");
    text typed without any is compared folded."""
    if clean(text).isascii():
        return _find_in(words(text), phrases, 1, allowed, anchored)
    return _find_in(_accented(text), phrases, 0, allowed, anchored)


def _find_in(tokens: tuple[str, ...], phrases, form: int, allowed: tuple[str, ...] | None, anchored: bool) -> str | None:
    best: tuple[int, int, str] | None = None
    for entry in phrases:
        phrase, key = entry[form], entry[2]
        if allowed is not None and key not in allowed:
            continue
        n = len(phrase)
        for start in range(0, 1 if anchored else len(tokens) - n + 1):
            if tokens[start: start + n] == phrase:
                if best is None or (start, -n) < (best[0], -best[1]):
                    best = (start, n, key)
                break
    return best[2] if best else None


def category_of(text: str) -> str | None:
    """What a Đối tượng cell says: "Giáo viên" → teacher, "CBQL" → manager, "Tập thể" →
    collective; None for words that name no category ("Phụ huynh", "Cá nhân")."""
    return _find(text, _CATEGORY_PHRASES, None, anchored=False)


def is_individual(text: str) -> bool:
    """"Cá nhân": a person, but not which kind."""
    tokens = words(split_numbering(text)[1])
    return any(tokens[: len(p)] == p for p in _INDIVIDUAL_PHRASES)


def individual_from_position(position: str) -> str | None:
    """"Phó Hiệu trưởng" → manager, "Giáo viên, tổ trưởng" → teacher, "Kế toán" → staff."""
    return _find(position, _CATEGORY_PHRASES, INDIVIDUAL_CATEGORIES, anchored=False)


def collective_from_name(name: str) -> bool:
    """A name that starts like a collective: "Tổ Toán – Tin", "Lớp 9A", "Liên đội …"."""
    return _find(name, _CATEGORY_PHRASES, None, anchored=True) == "collective"


@dataclass(frozen=True)
class Section:
    """A row opening a group of the list: its text and what it says of the rows under it."""

    text: str
    category: str | None  # one of CATEGORIES, None for "Cá nhân" (position decides)
    individual: bool


def section_of(text: str) -> Section | None:
    """"I. TẬP THỂ" → collective, "II. CÁ NHÂN" → individuals, "A. Cán bộ quản lý" →
    manager; None for a row that is no category heading ("Tổ Toán")."""
    body = split_numbering(text)[1]
    tokens = words(body)
    category = _find(body, _SECTION_PHRASES, None, anchored=True)
    if category:
        return Section(body, category, category != "collective")
    if any(tokens[: len(p)] == p for p in _INDIVIDUAL_PHRASES):
        return Section(body, None, True)
    return None


def resolve_category(cell: str, section: Section | None, position: str, name: str) -> tuple[str | None, str]:
    """(category, the text it was read from) for a nominee."""
    if cell:
        category = category_of(cell)
        if category:
            return category, cell
        if is_individual(cell):
            return individual_from_position(position), cell
        return None, cell
    if section is not None:
        if section.category:
            return section.category, section.text
        return individual_from_position(position), section.text
    if collective_from_name(name):
        return "collective", ""
    return individual_from_position(position), ""
