"""Where a nominee stands in its list: the sheet or table, and the section rows above it.

Schools split a list into sections ("I. TẬP THỂ", "II. CÁ NHÂN", "A. Cán bộ quản lý", "Đề
nghị tặng Bằng khen"), into sheets of a workbook ("Tập thể", "Cá nhân"), or into tables of a
Word file, and often number each part from 1. A nominee keeps the headings it stands under
as ``section`` ("II. CÁ NHÂN › A. Cán bộ quản lý", "Cá nhân" for a sheet): context for staff,
and what the rank check groups by. A section heading is never a nominee.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from thidua.parsers.content import DocumentText, Paragraph
from thidua.parsers.forms.definitions import AWARD_WORDS
from thidua.parsers.forms.labels import split_numbering, words
from thidua.parsers.forms.model import Nominee
from thidua.parsers.forms.normal import clean

# Between the levels of a nominee's section: "II. CÁ NHÂN › A. Cán bộ quản lý".
SECTION_SEPARATOR = " › "
# A paragraph longer than this above a Word table is text, not the table's name.
_NAME_WORDS = 20

_AWARDS = tuple((words(w), clean(w)) for w in AWARD_WORDS)


class SectionPath:
    """The headings the rows of a table stand under: a heading numbered like the first one
    seen (or in Roman numerals) opens a new top section; any other heading a sub-section."""

    def __init__(self) -> None:
        self.headings: list[tuple[str, str]] = []  # (numbering style, heading text)

    def enter(self, heading: str) -> None:
        style = split_numbering(heading)[0].style
        if not self.headings or style == "roman" or style == self.headings[0][0]:
            self.headings = [(style, heading)]
        else:
            self.headings = [self.headings[0], (style, heading)]

    def restart(self, heading: str | None) -> None:
        """A second list further down the same sheet, under ``heading`` (its title row) or none."""
        self.headings = [("", heading)] if heading else []

    @property
    def text(self) -> str:
        return SECTION_SEPARATOR.join(text for _, text in self.headings)

    def award(self) -> str:
        """The award form the headings name ("Đề nghị tặng Bằng khen" → "Bằng khen"), "" if none."""
        for _, heading in reversed(self.headings):
            found = award_named(heading)
            if found:
                return found
        return ""


def award_named(text: str) -> str:
    """The award form a heading names, as the award column would say it."""
    tokens = words(text)
    for phrase, award in _AWARDS:
        if any(tokens[i : i + len(phrase)] == phrase for i in range(len(tokens) - len(phrase) + 1)):
            return award
    return ""


def table_context(doc: DocumentText, index: int, ordinal: int) -> str:
    """What names the table at block ``index`` among a document's lists: its sheet, else the
    short paragraph just above it ("DANH SÁCH CÁ NHÂN"), else "Bảng 2"."""
    table = doc.blocks[index]
    if getattr(table, "sheet", ""):
        return table.sheet
    if index > 0 and isinstance(doc.blocks[index - 1], Paragraph):
        text = clean(doc.blocks[index - 1].text).replace("\n", " ")
        if text and len(text.split()) <= _NAME_WORDS:
            return text
    return f"Bảng {ordinal}"


def with_contexts(found: Sequence[tuple[str, Nominee]]) -> tuple[Nominee, ...]:
    """Nominees with their table's name put before their headings, when the list spans
    several sheets or tables (one sheet's name says nothing)."""
    if len({context for context, _ in found}) <= 1:
        return tuple(nominee for _, nominee in found)
    return tuple(
        replace(nominee, section=SECTION_SEPARATOR.join(t for t in (context, nominee.section) if t))
        for context, nominee in found
    )
