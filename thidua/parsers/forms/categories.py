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


class _Phrases:
    """Category phrases, each in two forms (0: with diacritics, 1: folded), looked up by first word."""

    def __init__(self, table: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        self.by_first_word: tuple[dict[str, list[tuple[tuple[str, ...], str, int]]], ...] = ({}, {})
        order = 0
        for key, phrases in table:
            for phrase in phrases:
                for form, tokens in enumerate((_accented(phrase), words(phrase))):
                    if tokens:
                        self.by_first_word[form].setdefault(tokens[0], []).append((tokens, key, order))
                order += 1

    def find(
        self, tokens: tuple[str, ...], form: int, allowed: tuple[str, ...] | None, anchored: bool
    ) -> str | None:
        """The key of the earliest phrase in ``tokens``; at the same place the longest, then the first listed."""
        index = self.by_first_word[form]
        for start in range(min(1, len(tokens)) if anchored else len(tokens)):
            found = [
                (-len(phrase), order, key)
                for phrase, key, order in index.get(tokens[start], ())
                if (allowed is None or key in allowed) and tokens[start : start + len(phrase)] == phrase
            ]
            if found:
                return min(found)[2]
        return None


def _accented(text: str) -> tuple[str, ...]:
    """Lower-case words with their diacritics: folding makes "Liên đội Trường …" (a
    collective) read "liên đội trưởng" (a pupil's post), so accents are tried first."""
    return tuple(_WORD.findall(clean(text).lower()))


_CATEGORY_PHRASES = _Phrases(CATEGORY_WORDS)
_SECTION_PHRASES = _Phrases(SECTION_WORDS)
_INDIVIDUAL_PHRASES = tuple(words(w) for w in INDIVIDUAL_WORDS)


def _find(text: str, phrases: _Phrases, allowed: tuple[str, ...] | None, anchored: bool) -> str | None:
    """The category of the earliest phrase in ``text``; at the same place the longest.
    Text with diacritics is compared with them (the surname "Trương" is no "trường");
    text typed without any is compared folded."""
    if clean(text).isascii():
        return phrases.find(words(text), 1, allowed, anchored)
    return phrases.find(_accented(text), 0, allowed, anchored)


def category_of(text: str) -> str | None:
    """What a Đối tượng cell says: "Giáo viên" → teacher, "CBQL" → manager, "Tập thể" →
    collective; None for words that name no category ("Phụ huynh", "Cá nhân")."""
    return _find(text, _CATEGORY_PHRASES, None, anchored=False)


def is_individual(text: str) -> bool:
    """ "Cá nhân": a person, but not which kind."""
    tokens = words(split_numbering(text)[1])
    return any(tokens[: len(p)] == p for p in _INDIVIDUAL_PHRASES)


def individual_from_position(position: str) -> str | None:
    """ "Phó Hiệu trưởng" → manager, "Giáo viên, tổ trưởng" → teacher, "Kế toán" → staff."""
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
    """ "I. TẬP THỂ" → collective, "II. CÁ NHÂN" → individuals, "A. Cán bộ quản lý" →
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
