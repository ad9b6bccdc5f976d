"""A mail's head read from its raw bytes, without the MIME parser: where the header block ends,
the content key that tells two deliveries of one mail apart from two mails, and the sender and
subject of a mail that broke the parser."""

from __future__ import annotations

import hashlib
from email.parser import BytesHeaderParser
from email.policy import default
from email.utils import parseaddr


def blank_line(raw: bytes) -> tuple[int, int]:
    """Where the blank line after the headers starts and how long it is; (-1, 0) when there is
    none. CRLF line ends are looked for first, then bare LF."""
    end = raw.find(b"\r\n\r\n")
    if end >= 0:
        return end, 4
    end = raw.find(b"\n\n")
    return (end, 2) if end >= 0 else (-1, 0)


def header_block(raw: bytes) -> bytes:
    """The header block of ``raw`` and a blank line: what is parsed of a mail too large to read
    whole. Headers longer than 1 MiB (or without an end) are cut to their first 64 KiB."""
    end, _ = blank_line(raw)
    return raw[: end if 0 <= end < 1_048_576 else 65536] + b"\r\n\r\n"


def content_key(raw: bytes) -> str:
    """Identity of "the same mail": its Message-ID and everything below the trace headers.

    Two deliveries of one mail differ only in Received/Delivered-To/Return-Path lines,
    which servers prepend; the Message-ID plus the body from the first MIME header on is stable.
    """
    end, size = blank_line(raw)
    head, body = (raw[:end], raw[end + size :]) if size else (raw, b"")
    message_id = b""
    for line in head.splitlines():
        if line.lower().startswith(b"message-id:"):
            message_id = line.split(b":", 1)[1].strip()
            break
    digest = hashlib.sha256()
    digest.update(message_id + b"\0")
    digest.update(body if message_id else raw)
    return digest.hexdigest()


def headline(raw: bytes) -> tuple[str, str]:
    """Sender and subject of a mail that could not be processed, for the staff digest.
    Read with the lenient stdlib header parser: this mail already broke the full one."""
    try:
        headers = BytesHeaderParser(policy=default).parsebytes(raw[:65536])
        return parseaddr(str(headers.get("From", "")))[1][:320], " ".join(
            str(headers.get("Subject", "")).split()
        )[:300]
    except Exception:  # a header too broken even for this: staff still see the mail's key
        return "", ""
