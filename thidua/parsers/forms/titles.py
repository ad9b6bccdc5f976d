"""A document's title and the kind it announces.

Vietnamese administrative papers put the title in capitals under the header
("ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ / ĐỔI MỚI, SÁNG TẠO TRONG DẠY VÀ HỌC", "BÁO CÁO" over
a subtitle in normal case, "GIẤY KHEN"); the first such title decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from thidua.parsers.forms.definitions import OTHER_TITLE_HEADS, TITLE_PREFIXES, TITLE_RULES
from thidua.parsers.forms.labels import words
from thidua.parsers.forms.lines import Line
from thidua.parsers.forms.normal import clean
from thidua.parsers.forms.roles import NOMINEE_MATCHER, REGISTRATION_MATCHER

# Titles sit near the top; a blank form quoted at the end of a guidance is no title.
TITLE_SEARCH_LINES = 60
MAX_TITLE_WORDS = 30
# A head alone on its line ("BÁO CÁO", "DANH SÁCH") takes the next line as its subject.
SHORT_HEAD_WORDS = 4


@dataclass(frozen=True)
class _Head:
    kind: str
    words: tuple[str, ...]
    about: tuple[str, ...]
    capitals_only: bool  # generic words ("Giải pháp", "Quyết định") are a title only in capitals


def _compile() -> tuple[_Head, ...]:
    heads = [
        _Head(rule.kind, words(head), tuple(" ".join(words(a)) for a in rule.about), rule.kind == "evidence")
        for rule in TITLE_RULES
        for head in rule.heads
    ]
    heads += [_Head("other", words(head), (), False) for head in OTHER_TITLE_HEADS]
    return tuple(sorted(heads, key=lambda h: -len(h.words)))  # most specific first


_HEADS = _compile()
_BY_FIRST_WORD: dict[str, tuple[_Head, ...]] = {}
for _head in _HEADS:  # kept longest first
    _BY_FIRST_WORD[_head.words[0]] = _BY_FIRST_WORD.get(_head.words[0], ()) + (_head,)
_PREFIXES = tuple(sorted((words(p) for p in TITLE_PREFIXES), key=len, reverse=True))


@dataclass(frozen=True)
class Title:
    text: str
    kind: str  # a kind of TITLE_RULES, or "other" for a plan, guidance, official letter …
    position: tuple[int, int]


def _without_prefix(folded: tuple[str, ...]) -> tuple[str, ...]:
    """ "Mẫu số 2: DANH SÁCH …" → "DANH SÁCH …"."""
    for prefix in _PREFIXES:
        if folded[: len(prefix)] == prefix:
            rest = folded[len(prefix) :]
            while rest and (
                rest[0].isdigit() or len(rest[0]) <= 2 and rest[0] in ("i", "ii", "iii", "iv", "v", "a", "b")
            ):
                rest = rest[1:]
            return rest
    return folded


def is_capitals(text: str) -> bool:
    """Written in capitals, allowing a few small letters ("NĂM HỌC 2023-2024 (Kèm theo)")."""
    letters = sum(map(str.isalpha, text))
    if letters < 3:
        return False
    return text.isupper() or sum(map(str.isupper, text)) >= 0.7 * letters


def _head_of(text: str) -> _Head | None:
    folded = _without_prefix(words(text))
    if not folded or len(folded) > MAX_TITLE_WORDS:
        return None
    capitals: bool | None = None
    for head in _BY_FIRST_WORD.get(folded[0], ()):
        if folded[: len(head.words)] == head.words:
            if head.capitals_only:
                capitals = is_capitals(text) if capitals is None else capitals
                if not capitals:
                    continue
            return head
    return None


def _kind(text: str, start: str) -> str | None:
    """The kind announced by a title block whose first line is ``start``."""
    folded = " " + " ".join(_without_prefix(words(text))) + " "
    start_words = _without_prefix(words(start))
    for head in _BY_FIRST_WORD.get(start_words[0], ()) if start_words else ():
        if start_words[: len(head.words)] != head.words:
            continue
        if head.capitals_only and not is_capitals(start):
            continue
        if not head.about or any(f" {about} " in folded for about in head.about):
            return head.kind
    return None


def title_kind(text: str) -> str | None:
    """The kind a single title line announces, when written as a title (capitals)."""
    text = clean(text)
    if _head_of(text) is None or not is_capitals(text):
        return None
    return _kind(text, text)


def _is_label(text: str) -> bool:
    """A header cell of the list under the title ("STT", "Họ và tên") ends the title."""
    cell = NOMINEE_MATCHER.match_cell(text)
    return (cell is not None and cell.score >= 0.9) or REGISTRATION_MATCHER.match(text) is not None


def _could_be_title(text: str) -> bool:
    head_words = words(text.split(":", 1)[0]) if ":" in text else ()
    if head_words and len(head_words) <= 4:
        return False  # "Giải pháp: …" is a label and its value
    return is_capitals(text) or len(words(text)) <= 20


def find_title(lines: Sequence[Line]) -> Title | None:
    """The first title among the top lines, with the lines that continue it."""
    top = lines[:TITLE_SEARCH_LINES]
    for i, line in enumerate(top):
        if _head_of(line.text) is None or not _could_be_title(line.text):
            continue
        block = [line.text]
        for following in top[i + 1 : i + 4]:
            text = following.text
            if (
                ":" in text[:40]
                or _head_of(text) is not None
                or len(words(text)) > MAX_TITLE_WORDS
                or _is_label(text)
            ):
                break
            short_head = len(words(" ".join(block))) <= SHORT_HEAD_WORDS and len(block) == 1
            if not (is_capitals(text) or short_head):
                break
            block.append(text)
        text = " ".join(block)
        kind = _kind(text, line.text)
        if kind is None:
            continue
        return Title(clean(text), kind, line.position)
    return None
