"""The IMAP side's pure parts: reading server responses and naming things, no network I/O.

Kept apart from ``thidua.intake.imap`` (which talks to the server) so every rule here is a
plain function of its arguments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from thidua.intake.sources import IncomingMail

MIB = 1024 * 1024
DEFAULT_MAX_BYTES = 60 * MIB  # a mail larger than this is fetched on its own
BATCH_COUNT = 20  # mails per FETCH of bodies
BATCH_BYTES = 16 * MIB  # and at most about this much in one FETCH


@dataclass(frozen=True)
class MessageInfo:
    """What the server says about one message before its body is fetched."""

    uid: int
    size: int
    arrived_at: datetime


# -- identities -------------------------------------------------------------------------------


def source_key(folder: str, uidvalidity: int, uid: int) -> str:
    """``imap:INBOX:1795433444:17``: a message's identity for as long as UIDVALIDITY holds."""
    return f"imap:{folder}:{uidvalidity}:{uid}"


def parse_source_key(key: str) -> tuple[str, int, int] | None:
    """(folder, uidvalidity, uid) of a key made by ``source_key``; None for any other key.

    The folder comes first and may itself hold ':', so the numbers are split off the right."""
    if not key.startswith("imap:"):
        return None
    folder, _, rest = key.removeprefix("imap:").rpartition(":")
    folder, _, validity = folder.rpartition(":")
    if not (validity.isdigit() and rest.isdigit()):
        return None
    return folder, int(validity), int(rest)


# -- responses ---------------------------------------------------------------------------------


def arrival_time(value: Any) -> datetime | None:
    """INTERNALDATE as a timezone-aware UTC datetime (a naive one is taken as UTC)."""
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def uidvalidity_of(select_response: Mapping[bytes, Any]) -> int:
    value = select_response.get(b"UIDVALIDITY")
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if value is None:
        return 0  # RFC 3501 requires it; 0 means "unknown": keys still work until a reconnect
    return int(value)


def message_infos(fetched: Mapping[int, Mapping[bytes, Any]]) -> list[MessageInfo]:
    """INTERNALDATE and RFC822.SIZE answers, oldest first (UID breaks ties)."""
    infos = []
    for uid, data in fetched.items():
        arrived = arrival_time(data.get(b"INTERNALDATE"))
        if arrived is None:  # the message vanished between SEARCH and FETCH
            continue
        infos.append(MessageInfo(uid=int(uid), size=int(data.get(b"RFC822.SIZE") or 0), arrived_at=arrived))
    return sorted(infos, key=lambda info: (info.arrived_at, info.uid))


def fetch_batches(
    infos: Sequence[MessageInfo],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_count: int = BATCH_COUNT,
    batch_bytes: int = BATCH_BYTES,
) -> list[list[MessageInfo]]:
    """Group messages for body FETCHes, keeping the order: a few at a time, a big one alone."""
    batches: list[list[MessageInfo]] = []
    current: list[MessageInfo] = []
    current_bytes = 0
    for info in infos:
        alone = info.size > max_bytes or info.size >= batch_bytes
        if current and (alone or len(current) >= batch_count or current_bytes + info.size > batch_bytes):
            batches.append(current)
            current, current_bytes = [], 0
        current.append(info)
        current_bytes += info.size
        if alone:
            batches.append(current)
            current, current_bytes = [], 0
    if current:
        batches.append(current)
    return batches


def body_of(data: Mapping[bytes, Any]) -> bytes | None:
    """The full message from a FETCH BODY.PEEK[] answer (servers label it BODY[])."""
    for key in (b"BODY[]", b"RFC822"):
        value = data.get(key)
        if isinstance(value, bytes):
            return value
    return None


def incoming_mail(
    folder: str, uidvalidity: int, info: MessageInfo, data: Mapping[bytes, Any] | None
) -> IncomingMail | None:
    if not data:
        return None
    raw = body_of(data)
    if raw is None:
        return None
    arrived = arrival_time(data.get(b"INTERNALDATE")) or info.arrived_at
    return IncomingMail(raw=raw, arrived_at=arrived, source_key=source_key(folder, uidvalidity, info.uid))


def announces_new_mail(responses: Iterable[Any]) -> bool:
    """Whether untagged responses (IDLE, NOOP) include ``* n EXISTS``."""
    for response in responses:
        if isinstance(response, tuple) and len(response) >= 2 and response[1] == b"EXISTS":
            return True
    return False


def says_bye(responses: Iterable[Any]) -> bool:
    """``* BYE``: the server is closing the connection (shutdown, idle timeout)."""
    for response in responses:
        if isinstance(response, tuple) and response and response[0] == b"BYE":
            return True
    return False


def has_capability(capabilities: Iterable[Any], name: str) -> bool:
    wanted = name.upper().encode()
    return any(
        (c.upper() if isinstance(c, bytes) else str(c).upper().encode()) == wanted for c in capabilities
    )


# -- folders -----------------------------------------------------------------------------------


def server_folder_name(name: str, *, prefix: str = "", delimiter: str | None = "/") -> str:
    """The name to give the server for a configured folder.

    ``"Processed"`` stays ``"Processed"`` on Dovecot and Gmail, and becomes ``"INBOX.Processed"``
    on servers whose personal namespace is ``INBOX.`` (Courier, Cyrus); a ``/`` in the configured
    name is the hierarchy separator whatever the server's own is."""
    if name.upper() == "INBOX":
        return "INBOX"
    if delimiter and delimiter != "/":
        name = name.replace("/", delimiter)
    if prefix and not name.startswith(prefix) and not name.upper().startswith("INBOX" + (delimiter or "")):
        name = prefix + name
    return name


def personal_namespace(namespace_response: Any) -> tuple[str, str | None]:
    """(prefix, delimiter) of the first personal namespace; ("", None) when the server has none."""
    try:
        personal = (
            namespace_response.personal if hasattr(namespace_response, "personal") else namespace_response[0]
        )
        if not personal:
            return "", None
        prefix, delimiter = personal[0][0], personal[0][1]
    except (TypeError, IndexError, AttributeError):
        return "", None
    prefix = prefix.decode() if isinstance(prefix, bytes) else str(prefix or "")
    if isinstance(delimiter, bytes):
        delimiter = delimiter.decode()
    return prefix, delimiter or None


# -- errors ------------------------------------------------------------------------------------


def server_text(exc: BaseException) -> str:
    """The server's words from an imapclient error (``b'[AUTHENTICATIONFAILED] …'`` → text)."""
    text = str(exc).strip()
    if len(text) >= 3 and text[0] == "b" and text[1] in "'\"" and text[-1] == text[1]:
        text = text[2:-1]
    return text.splitlines()[0] if text else ""


TEMPORARY_CODES = ("[UNAVAILABLE]", "[SERVERBUG]", "[INUSE]", "[LIMIT]")


def is_temporary_refusal(exc: BaseException) -> bool:
    """A NO the server means as "not now" (RFC 5530 response codes: its backend is down, the
    mailbox is locked) rather than "never", or a refusal that was really a lost connection."""
    said = server_text(exc).upper()
    return any(code in said for code in TEMPORARY_CODES) or "SOCKET ERROR" in said or "EOF" in said
