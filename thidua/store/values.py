"""How values are stored, shared by the store's modules: NFC text, lengths capped to fit indexed
columns, timezone-aware datetimes, and the SQL dialect's upsert.

None of the store's functions commit: the caller's ``Database.session()`` block is the transaction,
so what must happen together (filing a submission and queueing its reply, say) is written in one
block. Text is normalised to Unicode NFC on the way in and on the way out.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlmodel import Session

MESSAGE_ID_MAX = 998  # bytes (RFC 5322 line limit); longer ids are cut to fit the indexed column
MAX_SCHOOL_NAME = 300
MAX_ADDRESS = 320
CLAIM_LEASE = timedelta(hours=1)  # how long due_replies() keeps a claimed reply away from other senders


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text) if text else ""


def nfc_or_none(text: str | None) -> str | None:
    return None if text is None else nfc(text)


def cap(text: str, max_bytes: int) -> str:
    """``text`` cut to at most ``max_bytes`` of UTF-8 (indexed columns have a size limit)."""
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", errors="ignore")


def stored_message_id(value: str | None) -> str:
    """A Message-ID as the store keeps it: as received (``parsers.mail_headers.message_id_in``) or
    as made (``notifier.headers``), trimmed and cut to fit the indexed column."""
    return cap((value or "").strip(), MESSAGE_ID_MAX)


def aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value.isoformat()}")
    return value.astimezone(UTC)


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def upsert(session: Session):
    """The dialect's INSERT that supports ON CONFLICT (both SQLite and PostgreSQL do)."""
    return pg_dialect.insert if is_postgresql(session) else sqlite_dialect.insert


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


# The statements run for every mail are built once, with bound parameters: building one and
# computing its cache key cost four times its execution on SQLite, and filing a burst is mostly
# these statements.
P = sa.bindparam


def normalise_address(address: str) -> str:
    """How addresses are stored and compared: NFC, trimmed, no angle brackets, lower case."""
    return nfc(address).strip().strip("<>").strip().lower()


def stored_address(address: str) -> str:
    return cap(normalise_address(address or ""), MAX_ADDRESS)
