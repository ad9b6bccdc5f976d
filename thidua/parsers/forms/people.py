"""The people a results report names: whose registrations it reports on.

A school's report on its innovations names the teachers who carried them out, in its text
("cô Nguyễn Thị Hoa đã áp dụng …") or in a table with a name column ("Họ và tên"). A name in
the text is a run of two to five capitalised words that starts with a Vietnamese family name
and does not follow a word that makes it a school, a street or a place ("Trường THCS Nguyễn
Du"); a table's name column gives its cells whatever they look like. Each person once, in order
of first mention, as written (NFC); comparing them with registrations is the store's business.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from thidua.parsers.content import DocumentText, Paragraph, Table
from thidua.parsers.forms.definitions import NOT_PEOPLE, NOT_PERSON_BEFORE, SURNAMES
from thidua.parsers.forms.lines import cell_text
from thidua.parsers.forms.roles import NOMINEE_MATCHER, REGISTRATION_MATCHER
from thidua.parsers.forms.template import is_column_numbers
from thidua.text import fold, nfc

MIN_WORDS, MAX_WORDS = 2, 5
# with their marks: "Tô" is a family name, "Tổ" (a department) is not
_SURNAMES = frozenset(nfc(s).lower() for s in SURNAMES)
_NOT_BEFORE = tuple(tuple(fold(w).split()) for w in NOT_PERSON_BEFORE)
_NOT_PEOPLE = frozenset(fold(n) for n in NOT_PEOPLE)
_TOKEN = re.compile(r"[-–—/]|[^\s\-–—/]+")  # a dash or slash is a token of its own
_EDGE = "\"'“”‘’()[]{},.;:!?…-–—/"
_OPENING = "\"'“‘("


def people_named(doc: DocumentText) -> tuple[str, ...]:
    """Everyone the document names, once each (compared folded), in order of first mention."""
    found: dict[str, str] = {}
    for name in _names(doc):
        key = fold(name)
        if key and key not in _NOT_PEOPLE:
            found.setdefault(key, name)
    return tuple(found.values())


def _names(doc: DocumentText) -> Iterator[str]:
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            yield from names_in_text(block.text)
        elif isinstance(block, Table):
            column_names = list(_name_column(block))
            yield from column_names
            if not column_names:
                for row in block.rows:
                    for cell in dict.fromkeys(cell_text(c) for c in row):
                        yield from names_in_text(cell)


def _name_column(table: Table) -> Iterator[str]:
    """The cells under a "Họ và tên" header, the header's own rows and column numbers skipped."""
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            if _is_name_header(cell_text(cell)):
                for below in table.rows[r + 1 :]:
                    text = cell_text(below[c]) if c < len(below) else ""
                    if text and not is_column_numbers(tuple(below)) and not _is_name_header(text):
                        yield text.replace("\n", " ")
                return


def _is_name_header(text: str) -> bool:
    if not text or len(text) > 60:
        return False
    nominee = NOMINEE_MATCHER.match_cell(text)
    registration = REGISTRATION_MATCHER.match_cell(text)
    return (nominee is not None and nominee.key == "name") or (
        registration is not None and registration.key == "full_name"
    )


def names_in_text(text: str) -> Iterator[str]:
    """Runs of capitalised words starting with a family name, not after a school or place word."""
    for line in text.split("\n"):
        tokens = _TOKEN.findall(line)
        i = 0
        while i < len(tokens):
            run = _run_at(tokens, i)
            if run and not _after_place(tokens, i):
                yield " ".join(run)
                i += len(run)
            else:
                i += 1


def _run_at(tokens: list[str], start: int) -> list[str]:
    run: list[str] = []
    shouting = False  # "HOÀNG VĂN TÂM": a name in capitals is in capitals throughout
    for k, token in enumerate(tokens[start : start + MAX_WORDS]):
        if k and token[0] in _EDGE:
            break  # "Nguyễn Thị Hoa (Tổ Toán)": an opening mark ends the name
        if not k and token[0] in _EDGE and token[0] not in _OPENING:
            break
        word = nfc(token.strip(_EDGE))
        if not k:
            shouting = word.isupper() and len(word) > 1
            if word.lower() not in _SURNAMES:
                break
        if not word.isalpha() or not (word.isupper() if shouting else _capitalised(word)):
            break
        run.append(word)
        if token.rstrip(_EDGE) != token:
            break  # punctuation after a word ends the name
    return run if len(run) >= MIN_WORDS else []


def _capitalised(word: str) -> bool:
    """ "Hoa", "Thị", "A": an upper-case letter, then lower-case letters only ("tổ", "THCS" are not)."""
    return word[:1].isupper() and (len(word) == 1 or word[1:].islower())


def _after_place(tokens: list[str], start: int) -> bool:
    before = tuple(fold(t) for t in tokens[max(0, start - 3) : start])
    return any(
        before[len(before) - len(words) :] == words for words in _NOT_BEFORE if len(words) <= len(before)
    )
