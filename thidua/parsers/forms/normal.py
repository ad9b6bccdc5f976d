"""thidua.text's normalisers, memoised and with a fast path.

A form's labels and cells are cleaned and folded many times while it is read
(label matching, title search, header), and thidua.text inspects every character
with unicodedata, which costs milliseconds on a two-page form. Text made only of
Latin, Vietnamese and common punctuation characters (nearly all of it) takes a
regular-expression path that gives the same result; anything else goes through
thidua.text unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from thidua import text as _text

# Characters without any of Unicode's "C" (control, format, private, unassigned)
# categories, which thidua.text.clean drops one by one: printable ASCII, tab and
# newline, Latin-1 and Latin Extended letters, combining diacritics, Latin Extended
# Additional (precomposed Vietnamese), general punctuation, the euro sign.
_PLAIN = re.compile(
    r"[\t\n\x20-\x7e\u00a0-\u00ac\u00ae-\u024f\u0300-\u036f\u1e00-\u1eff\u2010-\u2027\u2030-\u205e\u20ac]*"
)
_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z]+")


# What clean() never leaves: tabs, no-break spaces, doubled blanks, blank lines,
# blanks at the start or end of a line.
_UNCLEAN = re.compile(r"[\t\u00a0]|  |^[ \n]|[ \n]$|\n[ \n]| \n")


def _is_clean(text: str) -> bool:
    """Already what clean() returns: most texts here have been through clean() once."""
    return (
        _PLAIN.fullmatch(text) is not None
        and not _UNCLEAN.search(text)
        and unicodedata.is_normalized("NFC", text)
    )


@lru_cache(maxsize=16384)
def clean(text: str | None) -> str:
    """Same as thidua.text.clean."""
    if not text:
        return ""
    if _is_clean(text):
        return text
    if not _PLAIN.fullmatch(text):
        return _text.clean(text)
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    lines = [_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()


def _folding_table() -> dict[int, str]:
    """Each Latin letter (precomposed or not, any case) and combining mark to what
    thidua.text.fold makes of it, when that is ASCII."""
    table: dict[int, str] = {}
    for code in [*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        folded = unicodedata.normalize("NFD", char.lower())
        folded = "".join(c for c in folded if unicodedata.category(c) != "Mn").replace("đ", "d")
        if folded.isascii():
            table[code] = folded
    return table


_FOLDING = _folding_table()


@lru_cache(maxsize=16384)
def fold(text: str | None) -> str:
    """Same as thidua.text.fold."""
    if not text:
        return ""
    stripped = text.translate(_FOLDING)
    if not stripped.isascii():
        return _text.fold(text)
    return _NON_WORD.sub(" ", stripped).strip()
