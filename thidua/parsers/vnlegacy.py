"""Vietnamese typed in the pre-Unicode font encodings, TCVN3 and VNI-Windows, back to Unicode.

Before Unicode, Vietnamese was typed with 8-bit fonts: the TCVN 5712:1993 "VN3"
fonts (ABC: ``.VnTime``, ``.VnArial``…, and ``.VnTimeH``… whose lower-case codes
show as capitals) and the VNI-Windows fonts (``VNI-Times``…), where a letter is a
Latin base letter followed by one 8-bit diacritic code. Word and Excel keep those
codes as the Windows-1252 characters of the same bytes, so "Họ tên người" typed in
.VnTime is stored as "Hä tªn ng\\xadêi" and in VNI-Times as "Hoï teân ngöôøi".

The font a run or cell names says which encoding it holds; text whose font was
lost is recognised by its letters (``detect_encoding``). Unicode text is never
touched: legacy fonts could only ever store Windows-1252 characters.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

TCVN3 = "tcvn3"
TCVN3_UPPER = "tcvn3_upper"  # the "H" fonts: every code shows as a capital
VNI = "vni"

_HUYEN, _HOI, _NGA, _SAC, _NANG = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_TONES = (_HUYEN, _HOI, _NGA, _SAC, _NANG)
_VOWELS = "aăâeêioôơuưy"

# TCVN 5712:1993 VN3, the code of each letter.
_TCVN3_PLAIN = dict(zip(range(0xA1, 0xAF), "ĂÂÊÔƠƯĐăâêôơưđ"))
_TCVN3_TONED = {  # huyền, hỏi, ngã, sắc, nặng
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}

# VNI-Windows: (lower-case code, upper-case code) of the diacritics typed after a base letter.
_VNI_TONE = {
    _SAC: (0xF9, 0xD9),
    _HUYEN: (0xF8, 0xD8),
    _HOI: (0xFB, 0xDB),
    _NGA: (0xF5, 0xD5),
    _NANG: (0xEF, 0xCF),
}
_VNI_CIRCUMFLEX = {
    "": (0xE2, 0xC2),
    _SAC: (0xE1, 0xC1),
    _HUYEN: (0xE0, 0xC0),
    _HOI: (0xE5, 0xC5),
    _NGA: (0xE3, 0xC3),
    _NANG: (0xE4, 0xC4),
}
_VNI_BREVE = {
    "": (0xEA, 0xCA),
    _SAC: (0xE9, 0xC9),
    _HUYEN: (0xE8, 0xC8),
    _HOI: (0xFA, 0xDA),
    _NGA: (0xFC, 0xDC),
    _NANG: (0xEB, 0xCB),
}
# Letters with a code of their own (ơ and ư also take the tone codes above).
_VNI_SINGLE = {
    "ơ": (0xF4, 0xD4),
    "ư": (0xF6, 0xD6),
    "đ": (0xF1, 0xD1),
    "í": (0xED, 0xCD),
    "ì": (0xEC, 0xCC),
    "ỉ": (0xE6, 0xC6),
    "ĩ": (0xF3, 0xD3),
    "ị": (0xF2, 0xD2),
    "ỵ": (0xEE, 0xCE),
}


def vietnamese_letters() -> tuple[str, ...]:
    """The 134 precomposed Vietnamese letters, lower case then upper case."""
    lower = [unicodedata.normalize("NFC", vowel + tone) for vowel in _VOWELS for tone in ("",) + _TONES]
    lower = [letter for letter in lower if not letter.isascii()] + ["đ"]
    return tuple(lower) + tuple(letter.upper() for letter in lower)


def _tcvn3_table() -> dict[str, str]:
    table = {chr(code): letter for code, letter in _TCVN3_PLAIN.items()}
    for vowel, codes in _TCVN3_TONED.items():
        for tone, code in zip(_TONES, codes):
            table[chr(code)] = unicodedata.normalize("NFC", vowel + tone)
    return table


def _vni_sequences() -> dict[str, str]:
    """Every VNI spelling of a Vietnamese letter, also with the diacritic typed in the other case."""
    sequences: dict[str, str] = {}
    for letter in vietnamese_letters():
        upper = letter.isupper()
        for spelling in _vni_spellings(letter.lower(), upper):
            sequences.setdefault(spelling, letter)
    return sequences


def _vni_spellings(letter: str, upper: bool) -> list[str]:
    case = 1 if upper else 0
    if letter in _VNI_SINGLE:
        return [chr(_VNI_SINGLE[letter][case])]
    parts = unicodedata.normalize("NFD", letter)
    base, marks = parts[0], parts[1:]
    tone = next((mark for mark in marks if mark in _TONES), "")
    if "\u031b" in marks:  # horn: ơ, ư have codes of their own
        base_code, table = chr(_VNI_SINGLE[unicodedata.normalize("NFC", base + "\u031b")][case]), _VNI_TONE
    else:
        base_code = base.upper() if upper else base
        table = _VNI_CIRCUMFLEX if "\u0302" in marks else _VNI_BREVE if "\u0306" in marks else _VNI_TONE
    marks_by_case = table[tone]
    return [base_code + chr(marks_by_case[case]), base_code + chr(marks_by_case[1 - case])]


_TCVN3_TABLE = _tcvn3_table()
_TCVN3_TRANSLATION = str.maketrans(_TCVN3_TABLE)
_VNI_SEQUENCES = _vni_sequences()
_VNI_PATTERN = re.compile("|".join(re.escape(s) for s in sorted(_VNI_SEQUENCES, key=len, reverse=True)))
_VNI_CODES = "".join(sorted({ch for s in _VNI_SEQUENCES for ch in s if not ch.isascii()}))

# What Word stores for the 8-bit codes: Latin-1, plus Windows-1252's punctuation in 0x80-0x9F.
_WINDOWS_1252 = bytes(range(0x80, 0xA0)).decode("cp1252", "ignore")
_UNICODE_ONLY = re.compile("[^\x00-\xff" + re.escape(_WINDOWS_1252) + "]")
# Control characters: binary data read as text, never a document's words.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def decode_tcvn3(text: str, upper: bool = False) -> str:
    """TCVN3 (ABC) codes as Word stores them → Unicode; ``upper`` for the capitals-only "H" fonts."""
    decoded = text.translate(_TCVN3_TRANSLATION)
    return decoded.upper() if upper else decoded


def decode_vni(text: str) -> str:
    """VNI-Windows codes as Word stores them → Unicode."""
    return _VNI_PATTERN.sub(lambda match: _VNI_SEQUENCES[match.group()], text)


def decode(text: str, encoding: str) -> str:
    if encoding == VNI:
        return decode_vni(text)
    return decode_tcvn3(text, upper=encoding == TCVN3_UPPER)


# ---------------------------------------------------------------------------- fonts


@functools.lru_cache(maxsize=512)
def legacy_encoding_of_font(name: str | None) -> str | None:
    """ "tcvn3" for .VnTime and kin, "tcvn3_upper" for their capitals-only "H" fonts (.VnTimeH),
    "vni" for VNI-Times and kin, None for every other font."""
    name = (name or "").strip()
    lowered = name.lower()
    if lowered.startswith(".vn") or (lowered.startswith("vn") and not lowered.startswith("vni")):
        return TCVN3_UPPER if name.endswith("H") else TCVN3
    if lowered.startswith("vni"):
        return VNI
    return None


# ------------------------------------------------------------------------- detection

_ONSET = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
_RHYME = "(?:[ou](?=[aăâeêioôơuưy]))?(?:iê|yê|uô|ươ|ia|ua|ưa|[aăâeêioôơuưy])"
_SYLLABLE = re.compile(f"{_ONSET}{_RHYME}(?P<final>ch|nh|ng|[cmnpt]|[iyuo])?")
_STOPPED_FINALS = ("c", "ch", "p", "t")  # such syllables only take sắc or nặng
_ASCII_LETTER = re.compile("[A-Za-z]")
_CAPITAL_INSIDE = re.compile("[a-z\u00df-\u00ff][A-Z]")  # "nUi": no word is typed so

_TCVN3_CODES = "".join(sorted(_TCVN3_TABLE))
_TCVN3_WORD = re.compile(f"[A-Za-z{re.escape(_TCVN3_CODES)}]+")
_VNI_WORD = re.compile(f"[A-Za-z{re.escape(_VNI_CODES)}]+")
# Letters that Latin-1 text never writes inside a word: symbols standing for
# letters, and TCVN3's capitals-for-small-letters after a small letter ("NguyÔn").
_TCVN3_SYMBOLS = "".join(ch for ch in _TCVN3_CODES if ord(ch) < 0xC0) + "×÷"
_TCVN3_CAPITALS = "".join(ch for ch in _TCVN3_CODES if ch.isupper())
_TCVN3_SIGN = re.compile(
    f"[{re.escape(_TCVN3_SYMBOLS)}]|[a-z][{_TCVN3_CAPITALS}]|[A-Za-z][{_TCVN3_CAPITALS}][a-z]"
)
# A vowel followed by a diacritic code, and VNI's đ; Unicode Vietnamese written
# with the old tone placement ("hoà", "hoá") spells "oà", "oá", "oã" too, so those prove nothing.
_VNI_MARKS = "".join(sorted({s[1] for s in _VNI_SEQUENCES if len(s) == 2}))
_VNI_SIGN = re.compile(f"(?![oO][àáãÀÁÃ])[aeouyAEOUYôöÔÖ][{_VNI_MARKS}]|[ñÑ]")


def detect_encoding(text: str) -> str | None:
    """ "tcvn3" or "vni" when ``text`` clearly holds legacy codes without naming its font; else None.

    It takes at least two different words that only make sense decoded, and
    more words that decode to Vietnamese syllables than to nonsense, so that
    French, German or Spanish text and Unicode Vietnamese are left alone.
    """
    if text.isascii() or _UNICODE_ONLY.search(text) or _NOT_TEXT.search(text):
        return None
    best, best_score = None, 0
    for encoding in (TCVN3, VNI):
        score = _score(text, encoding, min_signs=2)
        if score > best_score:
            best, best_score = encoding, score
    return best


def looks_like_tcvn3(text: str) -> bool:
    return detect_encoding(text) == TCVN3


def looks_like_vni(text: str) -> bool:
    return detect_encoding(text) == VNI


def _score(text: str, encoding: str, *, min_signs: int) -> int:
    """How many decoded words are Vietnamese syllables, 0 when the evidence is too thin."""
    words, sign = (_VNI_WORD, _VNI_SIGN) if encoding == VNI else (_TCVN3_WORD, _TCVN3_SIGN)
    if not sign.search(text):
        return 0
    signed: set[str] = set()
    good = bad = 0
    for match in words.finditer(text):
        word = match.group()
        if word.isascii() or not _ASCII_LETTER.search(word):
            continue  # a lone symbol between blanks is no word
        decoded = decode(word, encoding)
        if decoded == word:
            continue
        if _CAPITAL_INSIDE.search(word) or not _is_syllable(decoded):
            bad += 1
        else:
            good += 1
            if sign.search(word):
                signed.add(word.lower())
    return good if len(signed) >= min_signs and good >= 2 * bad else 0


def _is_syllable(word: str) -> bool:
    letters = unicodedata.normalize("NFD", word.lower())
    tones = [mark for mark in letters if mark in _TONES]
    if len(tones) > 1:
        return False
    match = _SYLLABLE.fullmatch(
        unicodedata.normalize("NFC", "".join(ch for ch in letters if ch not in _TONES))
    )
    if match is None:
        return False
    return not (tones and match.group("final") in _STOPPED_FINALS and tones[0] not in (_SAC, _NANG))


# --------------------------------------------------------------------------- converting

_LEGACY_CODE = {
    TCVN3: re.compile(f"[{re.escape(_TCVN3_CODES)}]"),
    VNI: re.compile(f"[{re.escape(_VNI_CODES)}]"),
}
# A text file's bytes as Word would show them in a legacy font: Windows-1252, C1 controls kept.
_WINDOWS_1252_FROM_LATIN1 = str.maketrans(
    {
        chr(code): character
        for code in range(0x80, 0xA0)
        if (character := bytes([code]).decode("cp1252", "ignore"))
    }
)


def is_unicode(text: str) -> bool:
    """True when ``text`` holds characters no legacy font could have stored: it is Unicode already."""
    return _UNICODE_ONLY.search(text) is not None


def convert(text: str, encoding: str | None = None, *, trusted: bool = True) -> str:
    """``text`` in Unicode (not normalised). ``encoding`` is what its font says (None: the
    text alone decides); an untrusted font's encoding is applied only if the text bears it out."""
    if text.isascii() and encoding != TCVN3_UPPER:
        return text
    if is_unicode(text):
        return text
    if encoding and (trusted or _score(text, encoding, min_signs=1)):
        return decode(text, encoding)
    detected = detect_encoding(text)
    return decode(text, detected) if detected else text


def to_unicode(text: str, font: str | None = None) -> str:
    """``text`` typed in ``font`` (None: unknown) as NFC Unicode; text that is Unicode already is kept."""
    return unicodedata.normalize("NFC", convert(text, legacy_encoding_of_font(font)))


def trusted_encodings(samples: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The legacy encodings whose fonts in one document still hold legacy codes.

    ``samples`` are ``(encoding, text)`` of every run or cell in a legacy font.
    Converters turn a document's text into Unicode but leave its font names, so
    when most such runs are Unicode already the font names are stale, and the
    few runs without a tell-tale character ("Tô Hà") are Unicode as well.
    """
    legacy: Counter[str] = Counter()
    unicode: Counter[str] = Counter()
    for encoding, text in samples:
        if is_unicode(text):
            unicode[_family(encoding)] += 1
        elif _LEGACY_CODE[_family(encoding)].search(text):
            legacy[_family(encoding)] += 1
    families = {family for family in legacy if legacy[family] >= unicode[family]}
    return frozenset(encoding for encoding in (TCVN3, TCVN3_UPPER, VNI) if _family(encoding) in families)


def _family(encoding: str) -> str:
    return VNI if encoding == VNI else TCVN3


def decode_text_bytes(data: bytes) -> str | None:
    """A text file's bytes as Unicode when they are TCVN3 or VNI codes; None otherwise."""
    text = data.decode("latin-1").translate(_WINDOWS_1252_FROM_LATIN1)
    encoding = detect_encoding(text)
    return unicodedata.normalize("NFC", decode(text, encoding)) if encoding else None
