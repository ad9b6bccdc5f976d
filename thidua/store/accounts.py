"""Desk accounts: staff users, their server-side sessions, and API tokens, each of one office.

Secrets are never stored: a session cookie or an API token is kept as the SHA-256 of its value
(they are long random strings, so a plain hash is enough), a password as its argon2 hash (made
by the caller, ``thidua.desk.passwords``).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from thidua.store.models import ApiToken, DeskSession, DeskUser, _utcnow

ROLES = ("admin", "clerk", "reviewer", "viewer")
SESSION_TOUCH_EVERY = timedelta(minutes=1)  # last_seen is written at most this often per session


class AccountError(ValueError):
    """An account operation that cannot be done (unknown user, a name taken, a bad role)."""


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
    return role


# -- users ------------------------------------------------------------------------------------------


def add_user(
    session: Session, office: str, username: str, role: str, password_hash: str, display_name: str = ""
) -> DeskUser:
    username = username.strip()
    if not username:
        raise AccountError("a user name is required")
    if find_user(session, office, username) is not None:
        raise AccountError(f"user {username!r} exists already")
    user = DeskUser(
        office=office,
        username=username,
        role=_check_role(role),
        password_hash=password_hash,
        display_name=display_name.strip(),
    )
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, office: str, username: str) -> DeskUser | None:
    return session.exec(
        select(DeskUser).where(DeskUser.office == office, DeskUser.username == username.strip())
    ).first()


def _existing_user(session: Session, office: str, username: str) -> DeskUser:
    user = find_user(session, office, username)
    if user is None:
        raise AccountError(f"no user {username!r}")
    return user


def set_password(session: Session, office: str, username: str, password_hash: str) -> DeskUser:
    """A new password; the user's sessions end (whoever knew the old one is logged out)."""
    user = _existing_user(session, office, username)
    user.password_hash = password_hash
    session.add(user)
    end_user_sessions(session, office, user.id)
    return user


def set_disabled(session: Session, office: str, username: str, disabled: bool = True) -> DeskUser:
    """Disable (or enable again) an account; a disabled account's sessions end at once."""
    user = _existing_user(session, office, username)
    user.disabled = disabled
    session.add(user)
    if disabled:
        end_user_sessions(session, office, user.id)
    return user


def list_users(session: Session, office: str) -> list[DeskUser]:
    return list(
        session.exec(select(DeskUser).where(DeskUser.office == office).order_by(col(DeskUser.username)))
    )


# -- sessions ---------------------------------------------------------------------------------------


def open_session(
    session: Session,
    office: str,
    user: DeskUser,
    token: str,
    csrf_token: str,
    lifetime: timedelta,
    now: datetime | None = None,
) -> DeskSession:
    now = now or _utcnow()
    row = DeskSession(
        office=office,
        token_hash=secret_hash(token),
        user_id=user.id,
        csrf_token=csrf_token,
        created_at=now,
        last_seen=now,
        expires_at=now + lifetime,
    )
    session.add(row)
    session.flush()
    return row


def session_user(
    session: Session, office: str, token: str, now: datetime | None = None
) -> tuple[DeskSession, DeskUser] | None:
    """The live session of cookie value ``token`` and its user; None when unknown, expired or disabled."""
    now = now or _utcnow()
    found = session.exec(
        select(DeskSession, DeskUser)
        .join(DeskUser, col(DeskUser.id) == DeskSession.user_id)
        .where(
            DeskSession.office == office,
            DeskSession.token_hash == secret_hash(token),
            DeskUser.office == office,
        )
    ).first()
    if found is None:
        return None
    desk_session, user = found
    if user.disabled or desk_session.expires_at <= now:
        return None
    if now - desk_session.last_seen >= SESSION_TOUCH_EVERY:
        desk_session.last_seen = now
        session.add(desk_session)
    return desk_session, user


def end_session(session: Session, office: str, token: str) -> None:
    session.execute(
        sa.delete(DeskSession).where(
            DeskSession.office == office, DeskSession.token_hash == secret_hash(token)
        )
    )


def end_user_sessions(session: Session, office: str, user_id: int) -> None:
    session.execute(
        sa.delete(DeskSession).where(DeskSession.office == office, DeskSession.user_id == user_id)
    )


def end_expired_sessions(session: Session, office: str, now: datetime | None = None) -> int:
    result = session.execute(
        sa.delete(DeskSession).where(
            DeskSession.office == office, DeskSession.expires_at <= (now or _utcnow())
        )
    )
    return result.rowcount or 0


# -- API tokens -------------------------------------------------------------------------------------


def add_token(session: Session, office: str, name: str, role: str, token: str) -> ApiToken:
    name = name.strip()
    if not name:
        raise AccountError("a token name is required")
    if find_token_named(session, office, name) is not None:
        raise AccountError(f"a token named {name!r} exists already (revoke it first)")
    row = ApiToken(office=office, name=name, role=_check_role(role), token_hash=secret_hash(token))
    session.add(row)
    session.flush()
    return row


def find_token_named(session: Session, office: str, name: str) -> ApiToken | None:
    return session.exec(
        select(ApiToken).where(
            ApiToken.office == office, ApiToken.name == name.strip(), col(ApiToken.revoked_at).is_(None)
        )
    ).first()


def revoke_token(session: Session, office: str, name: str, now: datetime | None = None) -> ApiToken:
    row = find_token_named(session, office, name)
    if row is None:
        raise AccountError(f"no token named {name!r}")
    row.revoked_at = now or _utcnow()
    session.add(row)
    return row


def token_for(session: Session, office: str, token: str) -> ApiToken | None:
    """The live API token whose value is ``token``."""
    return session.exec(
        select(ApiToken).where(
            ApiToken.office == office,
            ApiToken.token_hash == secret_hash(token),
            col(ApiToken.revoked_at).is_(None),
        )
    ).first()


def list_tokens(session: Session, office: str) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).where(ApiToken.office == office).order_by(col(ApiToken.name))))
