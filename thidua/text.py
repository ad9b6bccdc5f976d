"""Text normalisation shared by every reader and matcher.

Schools type the same label with and without diacritics, in NFC or NFD, with
numbering and template dots; everything that compares text goes through here.
"""

from __future__ import annotations

import re
import unicodedata

_DOTS = re.compile(r"[.…·_\-–—:;,\s]+")
_SPACE = re.compile(r"\s+")
_SOFT_HYPHEN_BREAK = re.compile(r"\u00ad[ \t]*\n[ \t]*")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_COMBINING_MARKS = re.compile("[\u0300-\u036f]+")
_NON_ASCII = re.compile("[^\x00-\x7f]")
# "1.", "1)", "a)", "II.", "3.1.", "-", "+", "•" at the start of a label
_NUMBERING = re.compile(r"^\s*(?:(?:[0-9]+|[ivxlc]+|[a-zđ])[.)/]\s*)+|^\s*[-+•*·–]\s*", re.IGNORECASE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean(text: str | None) -> str:
    """NFC, non-breaking spaces and control characters gone, runs of blanks folded."""
    if not text:
        return ""
    text = nfc(text).replace("\u00a0", " ").replace("\u200b", "")
    if "\u00ad" in text:
        # a soft hyphen marks where a word may break: at a line's end the word goes on
        text = _SOFT_HYPHEN_BREAK.sub("", text).replace("\u00ad", "")
    # isprintable() is False for every control and format character (and for some spaces,
    # which the slow path keeps): most text skips the character-by-character filter.
    if not text.replace("\n", "").replace("\t", "").isprintable():
        text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    lines = [_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()


def fold(text: str | None) -> str:
    """Comparison key: lower case, no diacritics (đ→d), words separated by one space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d").replace("Đ", "d")
    # Vietnamese needs only the combining diacritics removed, in C; text with other marks left
    # (other scripts) takes the exact way, character by character. Quotes and dashes need neither.
    stripped = _COMBINING_MARKS.sub("", text)
    if not stripped.isascii() and any(
        unicodedata.category(ch) == "Mn" for ch in _NON_ASCII.findall(stripped)
    ):
        stripped = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").replace("đ", "d")
    return _NON_WORD.sub(" ", stripped).strip()


def person_key(name: str | None) -> str:
    """A person's name as compared everywhere (nominees across lists, registrants in reports):
    without case, diacritics, spacing, punctuation or Unicode form."""
    return fold(name)


def nominee_identity(name: str | None, category: str | None, unit: str | None = None) -> tuple[str, str, str]:
    """Who a nominee is across a school's lists (SPEC: "the same nominee"): the name compared as
    :func:`person_key` does, the category, and the unit an office's list named (two of its schools
    may each propose their "Tổ Toán")."""
    return person_key(name), category or "", person_key(unit)


def strip_numbering(text: str) -> str:
    return _NUMBERING.sub("", text, count=1).strip()


def is_placeholder(text: str | None) -> bool:
    """True for empty values and values that only repeat the template's dots (……)."""
    if not text:
        return True
    return _DOTS.sub("", nfc(text)) == ""


def strip_placeholder(text: str) -> str:
    """Drop runs of template dots around a filled-in value: '……Nguyễn Văn A……' → 'Nguyễn Văn A'."""
    text = re.sub(r"(?:[.…]\s*){3,}", " ", text)
    return clean(text).strip(" :;,-")
