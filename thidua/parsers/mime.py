"""Raw mail bytes to a ParsedMail. Never fails on a malformed mail: it is described in ``defects``.

Well-formed mails are cut into parts at memory speed (``mime_split``); the
rest go through mail-parser, which repairs them and collects the defects. Body and
attachments are then taken from its message tree directly, because its own
attachment list flattens a forwarded mail into the outer one, invents random
names for nameless parts, and re-encodes payloads as text.
"""

from __future__ import annotations

import binascii
import email.message
import email.parser
import email.utils
import mimetypes
import re

import mailparser
import pybase64
from mailparser.utils import mime_header_view

from thidua.parsers.html_text import html_to_text
from thidua.parsers.mail import Attachment, ParsedMail
from thidua.parsers.mail_headers import (
    MSG_ID,
    addresses,
    collapse_blanks,
    decode_words,
    header_date,
    message_id_in,
    return_path,
    unsurrogate,
)
from thidua.parsers.mime_split import body_view, split_message
from thidua.parsers.names import display_name
from thidua.text import nfc

_FOLD = re.compile(r"\r?\n(?=[ \t])")
# Bounds on what a stranger's mail may cost. The header block of a real mail is
# a few KiB (a long Received chain stays under 64 KiB); the header decoders are
# superlinear in a header's length, so a 7 MB Subject would take minutes.
MAX_HEADER_BYTES = 256 * 1024
MAX_HEADER_FIELD_BYTES = 32 * 1024
# Real mails nest multiparts three or four deep (mixed > alternative > related)
# and carry tens of files; beyond these the rest is left out and noted.
MAX_MIME_DEPTH = 24
MAX_PARTS = 1000
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_BODY_TYPES = ("text/plain", "text/html")
_UNENCODED = ("", "7bit", "8bit", "binary")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def parse_mail(raw: bytes) -> ParsedMail:
    """Parse ``raw``; raises TypeError for non-bytes input and nothing else."""
    if not isinstance(raw, (bytes, bytearray, memoryview)):
        raise TypeError(f"parse_mail expects bytes, not {type(raw).__name__}")
    raw = bytes(raw)
    if raw.startswith(_OLE_MAGIC):
        return _outlook_item(raw)
    defects: list[str] = []
    raw = _bounded_headers(raw, defects)
    message = _parse(raw, defects)
    headers = [(name, unsurrogate(_FOLD.sub("", str(value)))) for name, value in message.raw_items()]
    plain: list[str] = []
    html: list[str] = []
    attachments: list[Attachment] = []
    try:
        _walk(message, plain, html, attachments, defects, _Budget())
    except RecursionError:
        defects.append("body unreadable: parts nested too deeply")
    except Exception as error:  # the headers alone still let the mail be answered
        defects.append(f"body unreadable: {type(error).__name__}: {error}")

    def first(name: str) -> str | None:
        return next((value for key, value in headers if key.lower() == name), None)

    def every(name: str) -> list[str]:
        return [value for key, value in headers if key.lower() == name]

    senders = addresses(every("from"))
    from_address = senders[0][1] if len(senders) == 1 else ""
    reply_to = addresses(every("reply-to"))
    return ParsedMail(
        message_id=message_id_in(first("message-id")),
        subject=collapse_blanks(decode_words(first("subject") or "")),
        from_address=from_address,
        from_name=senders[0][0] if senders else "",
        from_count=len(senders),
        reply_to=reply_to[0][1] if reply_to else "",
        to=tuple(address for _, address in addresses(every("to"))),
        date_header=header_date(first("date")),
        in_reply_to=next(iter(MSG_ID.findall(first("in-reply-to") or "")), ""),
        references=tuple(MSG_ID.findall(" ".join(every("references")))),
        return_path=return_path(first("return-path")),
        auto_submitted=collapse_blanks(first("auto-submitted") or "").lower(),
        precedence=collapse_blanks(first("precedence") or "").lower(),
        list_id=collapse_blanks(decode_words(first("list-id") or "")),
        authentication_results=tuple(collapse_blanks(value) for value in every("authentication-results")),
        text=_body_text(plain, html),
        attachments=tuple(attachments),
        defects=tuple(defects),
        headers=tuple((name, collapse_blanks(decode_words(value))) for name, value in headers),
    )


def _outlook_item(raw: bytes) -> ParsedMail:
    """An Outlook .msg saved where a MIME mail belongs: kept whole as its only attachment."""
    return ParsedMail(
        message_id="",
        subject="",
        from_address="",
        from_name="",
        from_count=0,
        reply_to="",
        to=(),
        date_header=None,
        in_reply_to="",
        references=(),
        return_path=None,
        auto_submitted="",
        precedence="",
        list_id="",
        authentication_results=(),
        text="",
        attachments=(
            Attachment(filename="message.msg", claimed_type="application/vnd.ms-outlook", data=raw),
        ),
        defects=("not a MIME message: an Outlook .msg file",),
    )


def _bounded_headers(raw: bytes, defects: list[str]) -> bytes:
    """``raw`` with a header block of at most MAX_HEADER_BYTES and no field longer than
    MAX_HEADER_FIELD_BYTES; what is cut is noted in ``defects``."""
    end = _HEADER_END.search(raw, 0, MAX_HEADER_BYTES + 4)
    head_end = end.start() if end else min(len(raw), MAX_HEADER_BYTES + 1)
    head = raw[:head_end]
    long_field = len(head) > MAX_HEADER_FIELD_BYTES and any(
        len(field) > MAX_HEADER_FIELD_BYTES for field in re.split(rb"\r?\n(?![ \t])", head)
    )
    if end and not long_field:
        return raw
    if not end and len(raw) <= MAX_HEADER_BYTES:
        return raw  # headers only, or no blank line at all: small enough either way
    if not end:
        defects.append(f"header block longer than {MAX_HEADER_BYTES} bytes: the rest is left out")
        cut = raw.rfind(b"\n", 0, MAX_HEADER_BYTES)
        head, rest = raw[: cut if cut > 0 else MAX_HEADER_BYTES], b""
        # The body cannot be told from the headers any more; keep what looks like one.
        later = _HEADER_END.search(raw, MAX_HEADER_BYTES)
        rest = raw[later.start() :] if later else b"\r\n\r\n"
    else:
        rest = raw[head_end:]
    fields = re.split(rb"(\r?\n)(?![ \t])", head)
    kept: list[bytes] = []
    for field in fields:
        if len(field) > MAX_HEADER_FIELD_BYTES:
            name = field.split(b":", 1)[0][:60].decode("ascii", "replace")
            defects.append(f"header {name} longer than {MAX_HEADER_FIELD_BYTES} bytes: cut")
            cut = field.rfind(b" ", 0, MAX_HEADER_FIELD_BYTES)
            field = field[: cut if cut > 0 else MAX_HEADER_FIELD_BYTES]
        kept.append(field)
    return b"".join(kept) + rest


class _Budget:
    """How many more parts a mail may have."""

    def __init__(self) -> None:
        self.parts = MAX_PARTS
        self.told_depth = False
        self.told_parts = False


def _parse(raw: bytes, defects: list[str]) -> email.message.Message:
    fast = split_message(raw, views=True)
    if fast is not None:
        return fast  # well-formed: nothing the full parser would have noted about its structure
    try:
        parsed = mailparser.parse_from_bytes(raw)
    except Exception as error:  # nesting too deep, or a parser bug: keep the headers
        defects.append(f"unparseable MIME structure: {type(error).__name__}: {error}"[:300])
        try:
            return email.parser.BytesHeaderParser().parsebytes(raw)
        except Exception:
            return email.message.Message()
    for entry in parsed.defects:
        for part_type, details in entry.items():
            defects.extend(f"{part_type}: {detail}" for detail in details)
    return parsed.message


def _walk(
    part: email.message.Message,
    plain: list[str],
    html: list[str],
    attachments: list[Attachment],
    defects: list[str],
    budget: _Budget,
    depth: int = 0,
) -> None:
    if budget.parts <= 0:
        if not budget.told_parts:
            budget.told_parts = True
            defects.append(f"more than {MAX_PARTS} MIME parts: the rest is left out")
        return
    budget.parts -= 1
    if depth > MAX_MIME_DEPTH:
        if not budget.told_depth:
            budget.told_depth = True
            defects.append(f"MIME parts nested more than {MAX_MIME_DEPTH} deep: the deeper ones are left out")
        return
    content_type = part.get_content_type()
    if content_type in ("message/rfc822", "message/global"):
        attachments.append(_forwarded_mail(part, defects))
        return
    if part.is_multipart():
        if content_type.startswith("multipart/"):
            for child in [*part.get_payload(), *_stray_parts(part, defects)]:
                _walk(child, plain, html, attachments, defects, budget, depth + 1)
        return  # delivery reports and the like: neither body nor a file
    name = _attachment_name(part, defects)
    disposition = part.get_content_disposition() or ""
    if not name and disposition != "attachment" and content_type in _BODY_TYPES:
        (plain if content_type == "text/plain" else html).append(_part_text(part, defects))
        return
    content_id = str(part.get("Content-ID") or "").strip()
    if not name and content_id and content_type not in _BODY_TYPES:
        name = _content_id_name(content_id, content_type)
    elif not name and (disposition == "attachment" or part.get_content_maintype() == "application"):
        name = f"attachment-{len(attachments) + 1}{_extension(content_type)}"
    if name:  # an inline image with neither name nor Content-ID is decoration
        attachments.append(Attachment(filename=name, claimed_type=content_type, data=_decoded(part)))


def _decoded(part: email.message.Message) -> bytes:
    """The part's body decoded, as ``get_payload(decode=True)`` gives it.

    Base64, nearly every attachment, is decoded here by pybase64 (SIMD): the standard library
    splits the text into lines, joins them and checks them with a regular expression first, and
    its decoder runs at a third of the speed; together they made decoding most of the time spent
    reading a mail. Like the standard library, characters outside the alphabet (line breaks) are
    skipped; text it would have to repair (a missing "=") still goes its way."""
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    view = body_view(part)
    if view is not None:  # straight from the mail's bytes (mime_split)
        if encoding == "base64":
            try:
                return pybase64.b64decode(view, validate=False)
            except (binascii.Error, ValueError):
                pass
        elif encoding in _UNENCODED:
            return bytes(view)
        part.set_payload(str(view, "ascii", "surrogateescape"))  # the standard library's way, as below
    payload = part.get_payload()
    if isinstance(payload, str) and encoding == "base64":
        try:
            return pybase64.b64decode(payload.encode("ascii", "surrogateescape"), validate=False)
        except (binascii.Error, ValueError):
            pass
    return bytes(part.get_payload(decode=True) or b"")


def _stray_parts(part: email.message.Message, defects: list[str]) -> list[email.message.Message]:
    """Parts after the closing boundary: mailers that reuse one boundary for nested multiparts
    end the outer one early, and the attachments land in its epilogue."""
    boundary, epilogue = part.get_boundary(), part.epilogue
    if not boundary or not epilogue or f"--{boundary}" not in epilogue:
        return []
    marker = re.compile(rf"^--{re.escape(boundary)}(?:--)?[ \t]*\r?$", re.MULTILINE)
    chunks = [chunk.lstrip("\r\n") for chunk in marker.split(epilogue)]
    found = [email.message_from_string(chunk) for chunk in chunks if re.match(r"[!-9;-~]+:", chunk)]
    if found:
        defects.append(f"{len(found)} part(s) recovered after the closing boundary")
    return found


def _forwarded_mail(part: email.message.Message, defects: list[str]) -> Attachment:
    inner = part.get_payload(0) if part.is_multipart() else None
    if isinstance(inner, email.message.Message):
        data = inner.as_bytes()
        raw_subject = next((str(value) for key, value in inner.raw_items() if key.lower() == "subject"), "")
        subject = collapse_blanks(decode_words(unsurrogate(_FOLD.sub("", raw_subject))))
    else:
        data = part.get_payload(decode=True) or b""
        subject = ""
    name = _attachment_name(part, defects) or _safe_name(subject) or "forwarded"
    if not name.lower().endswith(".eml"):
        name += ".eml"
    return Attachment(filename=name, claimed_type=part.get_content_type(), data=data)


def _attachment_name(part: email.message.Message, defects: list[str]) -> str:
    try:
        # The view re-reads raw 8-bit parameters as UTF-8, as the sending client meant them.
        view, view_defects = mime_header_view(part)
        name = view.get_filename()
    except Exception as error:
        defects.append(f"unreadable file name: {type(error).__name__}: {error}")
        return ""
    defects.extend(f"file name: {detail}" for detail in view_defects)
    if not name:
        return ""
    # Outlook puts RFC 2047 words inside the RFC 2231 parameter; decode both layers.
    return _safe_name(decode_words(str(name)))


def _safe_name(name: str) -> str:
    """A display name only: old clients send the sender's whole path."""
    return display_name(name)


def _content_id_name(content_id: str, content_type: str) -> str:
    local = content_id.strip("<> ").split("@", 1)[0]
    if "." in local:
        return _safe_name(local)
    return _safe_name(local) + _extension(content_type)


def _extension(content_type: str) -> str:
    return mimetypes.guess_extension(content_type, strict=False) or ".bin"


def _part_text(part: email.message.Message, defects: list[str]) -> str:
    payload = _decoded(part)
    charset = part.get_content_charset()
    # The declared charset, else UTF-8 (often mislabelled as something else),
    # else Vietnamese Windows for undeclared legacy text.
    for encoding in dict.fromkeys(filter(None, (charset, "utf-8", None if charset else "cp1258"))):
        try:
            return payload.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    defects.append(f"{part.get_content_type()}: text does not fit charset {charset or 'utf-8'}")
    try:
        return payload.decode(charset or "utf-8", "replace")
    except LookupError:
        return payload.decode("utf-8", "replace")


def _body_text(plain: list[str], html: list[str]) -> str:
    text = "\n".join(plain) if any(chunk.strip() for chunk in plain) else "\n".join(map(html_to_text, html))
    lines = nfc(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()
