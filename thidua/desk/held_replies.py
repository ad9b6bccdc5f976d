"""Replies held by the daily cap (SPEC "Replies"): staff send or drop each one from the desk; the
outbox sends a released reply on its next pass, as it sends every other reply. Audited."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from thidua.clock import utcnow
from thidua.config import Settings
from thidua.desk.actor import Actor, Conflict, NotFound
from thidua.store import audit
from thidua.store.replies import NotHeld, drop_held_reply, release_held_reply


def send_held(
    session: Session, settings: Settings, actor: Actor, reply_id: int, *, now: datetime | None = None
) -> None:
    """Let a held reply go: queued, due at once."""
    _decide(session, settings, actor, reply_id, "send_held_reply", now)


def drop_held(
    session: Session, settings: Settings, actor: Actor, reply_id: int, *, now: datetime | None = None
) -> None:
    """Discard a held reply; it stays in the outbox as dropped, with who and when."""
    _decide(session, settings, actor, reply_id, "drop_held_reply", now)


def _decide(
    session: Session, settings: Settings, actor: Actor, reply_id: int, action: str, now: datetime | None
) -> None:
    now = now or utcnow()
    office = settings.office.code
    change = release_held_reply if action == "send_held_reply" else drop_held_reply
    try:
        reply = change(session, reply_id, actor.name, office=office, now=now)
    except NotHeld as exc:
        if exc.status is None:
            raise NotFound(f"Không có thư trả lời số {reply_id}.") from None
        raise Conflict(f"Thư trả lời số {reply_id} không còn ở trạng thái giữ lại (đã được xử lý).") from None
    audit.record(
        session,
        office,
        actor.name,
        action,
        "reply",
        str(reply_id),
        before={"status": "held", "to": reply.to_address, "subject": reply.subject},
        after={"status": reply.status},
        now=now,
    )
