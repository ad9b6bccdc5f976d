"""A fast path to the standard library's message tree for well-formed mails.

The standard parser reads a mail line by line in Python; a 5 MB attachment is
some 70,000 base64 lines, and parsing dominated the time to file a mail. Here
the parts of a multipart are cut at their boundaries with one regular-expression
scan (in C), and only each part's header block goes through the standard parser.

The tree built is exactly the one ``email.message_from_bytes`` builds (headers,
payloads, preamble, epilogue; the tests compare the two on many mails). Anything
the standard parser would have to repair or note as a defect (a missing
boundary, doubled boundaries, a header block that does not end in a blank line,
message/* parts, …) is not handled here: ``split_message`` returns None and the
caller uses the standard parser, which knows every such case.
"""

from __future__ import annotations

import email.message
import email.parser
import re

_HEADER_END = re.compile(rb"(?:\r\n|\n|\r(?!\n))(?:\r\n|\n|\r(?!\n))")
_LEADING_EOL = re.compile(rb"\r\n|\n|\r")  # used with match() at a part's start, which anchors it there
_PLAIN_MULTIPART_ENCODINGS = ("7bit", "8bit", "binary")
MAX_DEPTH = 24


class _NotPlain(Exception):
    """The mail needs the standard parser's repairs."""


def split_message(raw: bytes, *, views: bool = False) -> email.message.Message | None:
    """The standard library's compat32 tree of ``raw``, or None when the slow path is needed.

    With ``views`` the body of each part that is no multipart is left out of the tree and kept
    as a view of ``raw`` instead (see ``body_view``): a 20 MB attachment is then not copied
    into a string first, and again into bytes to be decoded."""
    try:
        return _message(raw, 0, len(raw), depth=0, in_multipart=False, views=views)
    except (_NotPlain, RecursionError, UnicodeError):
        return None


def body_view(part: email.message.Message) -> memoryview | None:
    """The body of ``part`` as ``split_message(..., views=True)`` kept it; None otherwise."""
    return getattr(part, _BODY_VIEW, None)


_BODY_VIEW = "_thidua_body_view"


def _message(
    raw: bytes, start: int, end: int, *, depth: int, in_multipart: bool, views: bool = False
) -> email.message.Message:
    if depth > MAX_DEPTH:
        raise _NotPlain
    body_start, message = _headers(raw, start, end)
    if message.get_content_maintype() == "message":
        raise _NotPlain  # nested mails and delivery reports: the standard parser's business
    if message.get_content_maintype() == "multipart":
        _multipart(raw, body_start, end, message, depth, views)
        return message
    if in_multipart:
        # RFC 2046: the line break before a boundary belongs to the boundary.
        end = _before_last_eol(raw, body_start, end)
    body = memoryview(raw)[body_start:end]
    if views:
        message.set_payload("")
        setattr(message, _BODY_VIEW, body)
    else:  # decoded from a view of the mail, not a slice of it: attachments are megabytes long
        message.set_payload(str(body, "ascii", "surrogateescape"))
    return message


def _headers(raw: bytes, start: int, end: int) -> tuple[int, email.message.Message]:
    leading = _LEADING_EOL.match(raw, start, end)
    if leading:  # a part with no headers at all
        return leading.end(), email.message.Message()
    separator = _HEADER_END.search(raw, start, end)
    if not separator:
        raise _NotPlain
    block = raw[start : separator.end()]
    message = email.parser.BytesParser().parsebytes(block, headersonly=True)
    if message.defects or message.get_payload():
        raise _NotPlain  # a line in the header block that is not a header
    return separator.end(), message


def _multipart(
    raw: bytes, start: int, end: int, message: email.message.Message, depth: int, views: bool
) -> None:
    boundary = message.get_boundary()
    encoding = str(message.get("content-transfer-encoding", "8bit")).lower()
    if boundary is None or encoding not in _PLAIN_MULTIPART_ENCODINGS:
        raise _NotPlain
    lines = list(_delimiter_lines(raw, start, end, b"--" + boundary.encode("ascii", "surrogateescape")))
    if len(lines) < 2:
        raise _NotPlain  # no part at all
    message.set_payload(None)  # the header-only parse left an empty body text
    if lines[0][0] > start:
        preamble = raw[start : lines[0][0]].decode("ascii", "surrogateescape")
        message.preamble = _without_last_eol(preamble)
    for opening, closing in zip(lines, lines[1:]):
        if closing[0] == opening[1]:
            raise _NotPlain  # doubled boundary lines, which the standard parser skips
        message.attach(_part(raw, opening[1], closing[0], depth, views))
    message.epilogue = raw[lines[-1][1] : end].decode("ascii", "surrogateescape")


def _delimiter_lines(raw: bytes, start: int, end: int, delimiter: bytes):
    """Each boundary line up to and including the closing one, as (start, end, closing)."""
    tail = re.compile(rb"(--)?[ \t]*(?:\r\n|\n|\r|\Z)")
    position = start
    while True:
        # bytes.find runs at memchr speed; a regular expression anchored to line
        # starts would try every position of a 5 MB attachment in turn.
        found = raw.find(delimiter, position, end)
        if found < 0:
            raise _NotPlain  # no closing boundary
        position = found + len(delimiter)
        if found != 0 and raw[found - 1] not in b"\r\n":
            continue  # not at the start of a line
        rest = tail.match(raw, position, end)
        if rest is None:
            continue  # a longer boundary, or text after it
        closing = rest.group(1) is not None
        yield found, rest.end(), closing
        if closing:
            return
        position = rest.end()


def _part(raw: bytes, start: int, end: int, depth: int, views: bool) -> email.message.Message:
    part = _message(raw, start, end, depth=depth + 1, in_multipart=True, views=views)
    if part.get_content_maintype() == "multipart":
        epilogue = part.epilogue
        part.epilogue = None if epilogue == "" else _without_last_eol(epilogue)
    return part


def _before_last_eol(raw: bytes, start: int, end: int) -> int:
    if end - start >= 2 and raw[end - 2 : end] == b"\r\n":
        return end - 2
    if end > start and raw[end - 1] in b"\r\n":
        return end - 1
    return end


def _without_last_eol(text: str) -> str:
    # endswith, not a regular expression: "(\r\n|\r|\n)\Z" is tried at every position.
    if text.endswith("\r\n"):
        return text[:-2]
    if text.endswith(("\r", "\n")):
        return text[:-1]
    return text
