"""Header values built from text that strangers control (subjects, names, message ids).

Everything that goes into a header passes through here, so a subject carrying
"\\r\\nBcc: …" can never add a header and a junk Message-ID can never break threading.
"""

from __future__ import annotations

import re
import unicodedata
from email import policy
from email.header import Header
from email.headerregistry import Address
from email.utils import formataddr, make_msgid

from thidua.text import nfc

# Keeps a long References header sane: the thread root and the most recent ids are
# what clients use (RFC 5322 3.6.4 allows trimming the middle).
MAX_REFERENCES = 20
SUBJECT_CHARS = 70  # of the school's own subject, after the code and our summary
# Under RFC 5322's 78, so the outbox, parsing a stored reply again, never refolds a line.
FOLD_AT = 76
# A header line holds at most 998 octets and an id cannot be folded: longer ones are junk.
MAX_MESSAGE_ID = 900

_BLANKS = re.compile(r"\s+")
_MSG_ID = re.compile(
    rf"^<[!-;=?-~]{{1,{MAX_MESSAGE_ID - 2}}}>$"
)  # printable ASCII, no < > or spaces (some ids lack "@")
_ID_TOKEN = re.compile(rf"<[!-;=?-~]{{1,{MAX_MESSAGE_ID - 2}}}>")
# Reply/forward prefixes as Vietnamese and international clients write them:
# "Re:", "RE[2]:", "TL:" (Trả lời), "Trả lời:", "Fwd:", "Chuyển tiếp:", "AW:", "SV:" …
_PREFIX = re.compile(
    r"^\s*(?:re|fw|fwd|tl|tr|aw|wg|sv|vs|antw|rif|res|enc|trả\s+lời|chuyển\s+tiếp)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*",
    re.IGNORECASE,
)
_RECEIPT_TAG = re.compile(r"^\s*\[\s*HS-\d{4}-\d{4,}\s*\]\s*", re.IGNORECASE)


def header_safe(value: str | None) -> str:
    """NFC, every control and format character (CR, LF, TAB, NUL, bidi overrides…) turned
    into a space, blanks folded: safe to put in a header."""
    if not value:
        return ""
    text = nfc(value)
    if not text.isprintable():  # str.isprintable is False for every "C" category character
        text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    return _BLANKS.sub(" ", text).strip()


def message_id_or_empty(value: str | None) -> str:
    """A usable "<id@host>" or "". The first bracketed id in ``value`` wins; a lone bare
    token is bracketed; anything else (spaces, non-ASCII, stray brackets) is dropped
    rather than repaired."""
    text = header_safe(value)
    if not text:
        return ""
    found = _ID_TOKEN.search(text)
    if found:
        return found.group(0)
    if not text.startswith("<") and " " not in text:
        text = f"<{text}>"
    return text if _MSG_ID.match(text) else ""


def references_chain(references: tuple[str, ...] | list[str], parent: str) -> str:
    """The References of a reply: the parent's References, then the parent's Message-ID.
    Only bracketed ids are kept; words between them are noise from broken clients."""
    ids: list[str] = []
    for candidate in (*references, parent):
        for clean_id in _ID_TOKEN.findall(header_safe(candidate)):
            if clean_id not in ids:
                ids.append(clean_id)
    if len(ids) > MAX_REFERENCES:
        ids = ids[:1] + ids[-(MAX_REFERENCES - 1) :]
    return " ".join(ids)


def strip_reply_prefixes(subject: str, summaries: tuple[str, ...] = ()) -> str:
    """ "Re: TL: [HS-2024-0007] Đã tiếp nhận hồ sơ: Danh sách" → "Danh sách": a school
    answering our reply must not make the subject grow on every round trip."""
    text = header_safe(subject)
    while True:
        before = text
        text = _PREFIX.sub("", text)
        tagged = _RECEIPT_TAG.match(text)
        if tagged:
            text = text[tagged.end() :]
            for summary in summaries:
                if text.casefold().startswith(summary.casefold()):
                    text = text[len(summary) :].lstrip(" :：-–—")
                    break
        if text == before:
            return text.strip()


def shorten(text: str, limit: int = SUBJECT_CHARS) -> str:
    """Cut at a word boundary and mark the cut, so a long subject stays readable."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def domain_of(address: str) -> str:
    domain = header_safe(address).rpartition("@")[2].strip().strip(">").lower()
    return domain if re.fullmatch(r"[a-z0-9.-]+", domain or "-") else "localhost"


def new_message_id(address: str) -> str:
    return make_msgid(domain=domain_of(address))


def mailbox(address: str, display_name: str = "") -> Address:
    """An Address for From/To. Raises ValueError when ``address`` is not one addr-spec."""
    addr_spec = header_safe(address)
    if not addr_spec or any(ch in addr_spec for ch in ' ,;<>"()') or addr_spec.count("@") != 1:
        raise ValueError(f"not a single e-mail address: {addr_spec!r}")
    local_part, _, domain = addr_spec.partition("@")
    if not local_part or not domain:
        raise ValueError(f"not a single e-mail address: {addr_spec!r}")
    return Address(display_name=header_safe(display_name), username=local_part, domain=domain)


def folded_text(name: str, value: str) -> str:
    """An unstructured header value (Subject) as it goes on the wire: one line of safe
    text, RFC 2047 encoded unless ASCII, folded with "\\n " between lines.

    CPython 3.11's folder can put the fold between two encoded words, and decoders
    then drop the space that stood there ("điển hình tiên" → "điển hìnhtiên");
    ``email.header.Header`` keeps every space inside an encoded word.
    """
    value = header_safe(value)
    charset = "us-ascii" if value.isascii() else "utf-8"
    return Header(value, charset, header_name=name, maxlinelen=FOLD_AT).encode(linesep="\n")


def set_text_header(message, name: str, value: str) -> None:
    """Set an unstructured header (Subject) of an EmailMessage so that it survives folding intact."""
    value = header_safe(value)
    if value.isascii():
        message[name] = value
        return
    message.set_raw(name, folded_text(name, value))


def folded_mailbox(name: str, address: str, display_name: str = "") -> str:
    """The value of a From or To line for one mailbox, encoded and folded: the name quoted
    or RFC 2047 encoded as it needs. Raises ValueError like ``mailbox``."""
    box = mailbox(address, display_name)
    if not box.addr_spec.isascii():
        # Rare, and without SMTPUTF8 there is no right header form: keep the one the email
        # package has always written, which the SMTP sender reads back for its envelope.
        header = policy.default.header_factory(name, box)
        return header.fold(policy=policy.default)[len(name) + 2 :].rstrip("\n")
    if not box.display_name:
        return box.addr_spec
    if box.display_name.isascii():
        return Header(
            formataddr((box.display_name, box.addr_spec)), header_name=name, maxlinelen=FOLD_AT
        ).encode(linesep="\n")
    field = Header(box.display_name, "utf-8", header_name=name, maxlinelen=FOLD_AT)
    field.append(f"<{box.addr_spec}>", "us-ascii")
    return field.encode(linesep="\n")


def folded_ids(name: str, ids: str) -> str:
    """Space-separated message ids (References) folded between ids."""
    return Header(ids, header_name=name, maxlinelen=FOLD_AT).encode(linesep="\n")
