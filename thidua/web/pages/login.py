"""Logging in and out. Sessions, rate limits and CSRF live in thidua.web.auth; this is the page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from thidua.web import auth
from thidua.web.pages.common import ALL_ROLES, render

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another host (``//evil``, ``/\\evil``, ``https://…``)."""
    target = (target or "").strip()
    if not target.startswith("/") or target.startswith(("//", "/\\")) or any(ord(c) < 32 for c in target):
        return "/"
    return target


def login_page(
    request: Request, *, error: str = "", username: str = "", next_url: str = "/", status_code: int = 200
) -> HTMLResponse:
    return render(
        request,
        "desk/login.html",
        user=None,
        title="Đăng nhập",
        error=error,
        username=username,
        next_url=safe_next(next_url),
        status_code=status_code,
    )


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request):
    return login_page(request, next_url=request.query_params.get("next", "/"))


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/")):
    outcome = auth.login(request, username, password, safe_next(next))
    if isinstance(outcome, Response):
        return outcome
    return login_page(
        request,
        error=outcome.message,
        username=username[:100],
        next_url=next,
        status_code=outcome.status_code,
    )


@router.post("/logout")
def logout(request: Request, user=Depends(auth.page_user(*ALL_ROLES))):
    return auth.logout(request)
