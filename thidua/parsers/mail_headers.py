"""Header values of a received mail as text: RFC 2047 words decoded, raw 8-bit bytes repaired,
blanks collapsed, addresses, Message-IDs, Return-Path and Date read leniently (a school's
mail program may write any of them wrong)."""

from __future__ import annotations

import email.utils
import re
from datetime import datetime
from email.headerregistry import HeaderRegistry

from thidua.text import nfc

_HEADERS = HeaderRegistry()
_FOLD = re.compile(r"\r?\n(?=[ \t])")
MSG_ID = re.compile(r"<[^<>\s]*>")
_BLANKS = re.compile(r"\s+")
_ADDRESS_AS_NAME = re.compile(r'(^|,)\s*([^",<>]*@[^",<>]*?)\s*<')
# The modern header parser is thorough but slow on pathological input; a
# header this long is left encoded rather than risk a stall.
_MAX_DECODED_HEADER = 16_384


_SURROGATES = re.compile(r"[\udc80-\udcff]")


def decode_words(value: str) -> str:
    """RFC 2047 words decoded, NFC; the undecoded value when the header is beyond repair.

    Every header is decoded as unstructured text: the structured parsers
    re-render addresses and would hide a malformed one.
    """
    value = _FOLD.sub("", value)
    if len(value) > _MAX_DECODED_HEADER or ("=?" not in value and not _SURROGATES.search(value)):
        return nfc(value)  # nothing encoded: the header parser would give it back as it is, at 20x the cost
    try:
        return nfc(str(_HEADERS("x-unstructured", value)))
    except Exception:
        return nfc(value)


def unsurrogate(value: str) -> str:
    """Raw 8-bit header bytes (the parser keeps them as surrogates): UTF-8 as clients write them, else cp1258."""
    if not _SURROGATES.search(value):
        return value
    data = value.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1258", "replace")


def collapse_blanks(text: str) -> str:
    """Every run of blanks (line breaks too) one space, the ends trimmed."""
    return _BLANKS.sub(" ", text).strip()


def addresses(values: list[str]) -> list[tuple[str, str]]:
    """(display name, lower-case addr-spec) of each real address in the headers."""
    # "alice@x.vn <bob@y.vn>" is one address (bob) whose unquoted name looks
    # like an address; quoting the name keeps getaddresses from seeing two.
    quoted = [_ADDRESS_AS_NAME.sub(r'\1"\2" <', value) for value in values]
    try:
        pairs = email.utils.getaddresses(quoted)
    except Exception:
        return []
    return [
        (collapse_blanks(decode_words(name)), address.strip().lower())
        for name, address in pairs
        if "@" in address
    ]


def message_id_in(value: str | None) -> str:
    if not value:
        return ""
    found = MSG_ID.search(value)
    if found:
        return found.group()
    value = collapse_blanks(value)
    return f"<{value}>" if value else ""


def return_path(value: str | None) -> str | None:
    if value is None:
        return None
    value = collapse_blanks(value)
    if value in ("", "<>"):
        return ""
    pairs = addresses([value])
    return pairs[0][1] if pairs else value.strip("<>").lower()


def header_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value)
    except Exception:
        return None
