"""The service's one clock: timezone-aware UTC. Code that needs "now" takes a clock argument
defaulting to ``utcnow``, so that tests can pass their own."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
