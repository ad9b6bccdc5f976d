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
_PLAIN = re.compile(r"[\t\n\x20-\x7e\u00a0-\u00ac\u00ae-\u024f\u0300-\u036f\u1e00-\u1eff\u2010-\u2027\u2030-\u205e\u20ac]*")
_SPACE = re.compile(r"\s+")
_DIACRITICS = re.compile(r"[\u0300-\u036f]")
_NON_WORD = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=16384)
def clean(text: str | None) -> str:
    """Same as thidua.text.clean."""
    if not text:
        return ""
    if not _PLAIN.fullmatch(text):
        return _text.clean(text)
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    lines = [_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()


@lru_cache(maxsize=16384)
def fold(text: str | None) -> str:
    """Same as thidua.text.fold."""
    if not text:
        return ""
    stripped = _DIACRITICS.sub("", unicodedata.normalize("NFD", text.lower())).replace("đ", "d").replace("Đ", "d")
    if not stripped.isascii():
        return _text.fold(text)
    return _NON_WORD.sub(" ", stripped).strip()
