"""Who is asking: desk sessions (a cookie), API tokens (a Bearer header), login limits and CSRF.

Sessions are server-side: the cookie ``thidua_session`` holds a random token, the database only
its hash (``thidua.store.accounts``), so nothing in the cookie can be forged or replayed after
logout, and disabling an account ends its sessions at once. Each session has its own CSRF token:
every form posted with a session carries it (field ``csrf_token``), every API call that a
session (not a token) makes sends it (header ``X-CSRF-Token``). Token-authenticated API calls need
none: a browser never adds an Authorization header by itself.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from thidua.desk.actor import Actor
from thidua.desk.passwords import DUMMY_HASH, verify_password
from thidua.store import accounts
from thidua.store.models import DeskSession, DeskUser

SESSION_COOKIE = "thidua_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_USERNAME = 100
MAX_PASSWORD = 1024  # argon2 would hash a megabyte happily; nobody's password is that long

WRONG_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."
NO_CREDENTIALS = "Cần đăng nhập, hoặc gửi mã truy cập API (Authorization: Bearer …)."
BAD_CSRF = "Yêu cầu bị từ chối: thiếu hoặc sai mã chống giả mạo (CSRF). Hãy tải lại trang rồi thử lại."


def forbidden_message(role: str) -> str:
    return f"Tài khoản có vai trò «{role}» không được làm việc này."


class LoginRequired(Exception):
    """A page asked for by someone not logged in: the app answers with a redirect to /login."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


@dataclass(frozen=True)
class LoginRefused:
    message: str  # Vietnamese, for the login page
    status_code: int  # 401 wrong credentials, 429 too many attempts


class LoginLimiter:
    """Failed logins per user name and per client address within a sliding window (in memory,
    per process: a restart forgets them, which only ever helps a rightful user).

    A user name is paused after ``attempts`` failures; an address after ``ADDRESS_FACTOR`` times
    as many, whatever names it tries: one clerk mistyping a password must not lock out a whole
    office that reaches the desk from one address, while guessing across many names still stops."""

    ADDRESS_FACTOR = 4
    MAX_KEYS = 10_000  # beyond this, keys whose failures have all expired are forgotten

    def __init__(self, attempts: int, window: timedelta) -> None:
        self.attempts = attempts
        self.window = window.total_seconds()
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _limit(self, key: str) -> int:
        return self.attempts * (self.ADDRESS_FACTOR if key.startswith("address:") else 1)

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and now - failures[0] > self.window:
            failures.popleft()
        return failures

    def blocked(self, keys: list[str]) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(key, now)) >= self._limit(key) for key in keys)

    def failed(self, keys: list[str]) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)
            if len(self._failures) > self.MAX_KEYS:
                for key in [k for k in self._failures if not self._recent(k, now)]:
                    del self._failures[key]

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


def _service(request: Request):
    return request.app.state.thidua


def _office(request: Request) -> str:
    return _service(request).settings.office.code


def _limiter_keys(request: Request, username: str) -> list[str]:
    client = request.client.host if request.client else "?"
    return [f"user:{username.casefold()}", f"address:{client}"]


# -- logging in and out -----------------------------------------------------------------------------


def login(request: Request, username: str, password: str, next_url: str = "/") -> Response | LoginRefused:
    """Check the password; on success open a session and redirect to ``next_url`` (a path the
    caller has checked is on this site)."""
    settings = _service(request).settings
    limiter: LoginLimiter = request.app.state.login_limiter
    username = (username or "").strip()[:MAX_USERNAME]
    keys = _limiter_keys(request, username)
    if limiter.blocked(keys):
        minutes = settings.web.login_window_minutes
        return LoginRefused(f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút.", 429)
    with _service(request).db.session() as session:
        user = accounts.find_user(session, settings.office.code, username) if username else None
        # a wrong name costs as much as a wrong password: the timing does not tell names apart
        matches = verify_password(user.password_hash if user else DUMMY_HASH, (password or "")[:MAX_PASSWORD])
        if user is None or user.disabled or not matches:
            limiter.failed(keys)
            return LoginRefused(WRONG_CREDENTIALS, 401)
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        lifetime = timedelta(hours=settings.web.session_hours)
        accounts.end_expired_sessions(
            session, settings.office.code
        )  # housekeeping where sessions are made: no job needed
        accounts.open_session(session, settings.office.code, user, token, csrf, lifetime)
    limiter.succeeded(keys[0])
    response = RedirectResponse(next_url or "/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(lifetime.total_seconds()),
        path="/",
        secure=settings.web.cookie_secure,
        httponly=True,
        samesite="lax",
    )
    return response


def logout(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with _service(request).db.session() as session:
            accounts.end_session(session, _office(request), token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        secure=_service(request).settings.web.cookie_secure,
        httponly=True,
        samesite="lax",
    )
    return response


# -- who is asking ----------------------------------------------------------------------------------


def session_of(request: Request) -> tuple[DeskSession, DeskUser] | None:
    """The request's live session and user (looked up once per request)."""
    if "desk_session" in request.state._state:
        return request.state.desk_session
    token = request.cookies.get(SESSION_COOKIE, "")
    found = None
    if token and len(token) <= 200:
        with _service(request).db.session() as session:
            found = accounts.session_user(session, _office(request), token)
    request.state.desk_session = found
    return found


def csrf_token(request: Request) -> str:
    """The CSRF token of the request's session, for the templates' forms ("" without a session)."""
    found = session_of(request)
    return found[0].csrf_token if found else ""


def _csrf_matches(expected: str, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


async def _form_csrf(request: Request) -> str | None:
    given = request.headers.get(CSRF_HEADER)
    if given:
        return given
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()  # kept by Starlette: the endpoint's Form() parameters read it again
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


def page_user(*roles: str):
    """A dependency for pages: the logged-in Actor. Not logged in: a redirect to the login page;
    a role without the right: 403; a form post without the session's CSRF token: 403."""

    async def dependency(request: Request) -> Actor:
        found = session_of(request)
        if found is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRequired(target if request.method in SAFE_METHODS else request.url.path)
        desk_session, user = found
        if user.role not in roles:
            raise HTTPException(403, forbidden_message(user.role))
        if request.method not in SAFE_METHODS and not _csrf_matches(
            desk_session.csrf_token, await _form_csrf(request)
        ):
            raise HTTPException(403, BAD_CSRF)
        return Actor.of_user(user)

    return dependency


def api_user(*roles: str):
    """A dependency for the API: a Bearer token or a desk session. No credentials (or unknown
    ones): 401; a role without the right: 403; a session's write without its CSRF header: 403."""

    async def dependency(request: Request) -> Actor:
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if header:
            if scheme.lower() != "bearer" or not value.strip() or len(value) > 200:
                raise HTTPException(401, NO_CREDENTIALS, headers={"WWW-Authenticate": "Bearer"})
            with _service(request).db.session() as session:
                token = accounts.token_for(session, _office(request), value.strip())
            if token is None:
                raise HTTPException(
                    401,
                    "Mã truy cập API không đúng hoặc đã bị thu hồi.",
                    headers={"WWW-Authenticate": "Bearer"},
                )
            actor = Actor.of_token(token)
        else:
            found = session_of(request)
            if found is None:
                raise HTTPException(401, NO_CREDENTIALS, headers={"WWW-Authenticate": "Bearer"})
            desk_session, user = found
            actor = Actor.of_user(user)
            if (
                request.method not in SAFE_METHODS
                and actor.role in roles
                and not _csrf_matches(desk_session.csrf_token, request.headers.get(CSRF_HEADER))
            ):
                raise HTTPException(403, BAD_CSRF)
        if actor.role not in roles:
            raise HTTPException(403, forbidden_message(actor.role))
        return actor

    return dependency


def login_redirect(next_url: str) -> RedirectResponse:
    return RedirectResponse(f"/login?next={quote(next_url, safe='/')}", status_code=303)
