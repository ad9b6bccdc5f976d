"""The desk's web application: pages, the JSON API, static files, and the headers that keep
whatever schools send from running in staff's browsers."""

from __future__ import annotations

import gc
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from thidua.config import Settings
from thidua.desk.actor import Actor, Conflict, DeskError, NotFound
from thidua.store.db import Database
from thidua.web import auth

log = logging.getLogger("thidua.web")

STATIC = Path(__file__).resolve().parent / "static"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Cross-Origin-Opener-Policy": "same-origin",
}
STATUS_TITLES = {
    400: "Yêu cầu không hợp lệ",
    401: "Cần đăng nhập",
    403: "Không có quyền",
    404: "Không tìm thấy",
    405: "Không hỗ trợ thao tác này",
    409: "Xung đột dữ liệu",
    422: "Dữ liệu gửi lên không hợp lệ",
    429: "Quá nhiều yêu cầu",
    500: "Lỗi hệ thống",
}
BAD_BODY = "Dữ liệu gửi lên không hợp lệ: kiểm tra các trường trong «errors»."
NOT_AN_OBJECT = "Nội dung gửi lên phải là một đối tượng JSON (kèm tiêu đề Content-Type: application/json)."

REFUSAL_STATUS = {NotFound: 404, Conflict: 409, DeskError: 422}

_FIELD_VI = {
    "action": "action (quyết định)",
    "note": "note (ý kiến)",
    "items": "items (nội dung đề nghị)",
    "evidence": "evidence (kết quả thẩm định)",
    "selected": "selected (chọn)",
    "award": "award (hình thức)",
}


def _is_api(request: Request) -> bool:
    return request.url.path == "/api" or request.url.path.startswith("/api/")


def _validation_message(errors: list[dict[str, Any]]) -> str:
    """One Vietnamese sentence for the first problem of a body or query that failed validation."""
    if not errors:
        return BAD_BODY
    first = errors[0]
    location = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")]
    field = _FIELD_VI.get(location[0], location[0]) if location else ""
    kind = first.get("type", "")
    if kind == "json_invalid":
        return "Nội dung gửi lên không phải JSON hợp lệ."
    if kind == "missing" and not location:
        return "Thiếu nội dung JSON trong yêu cầu."
    if not location:
        return NOT_AN_OBJECT
    if kind == "missing":
        return f"Thiếu trường {field}."
    if kind == "extra_forbidden":
        return f"Trường {field} không được dùng ở đây."
    if kind == "literal_error":
        allowed = first.get("ctx", {}).get("expected", "")
        return f"Giá trị của {field} không hợp lệ; chỉ nhận: {allowed}."
    if kind in ("string_too_long", "too_long"):
        return f"Trường {field} quá dài."
    if kind.endswith(("_type", "_parsing")):
        return f"Trường {field} sai kiểu dữ liệu."
    return f"Trường {field} không hợp lệ." if field else BAD_BODY


def _public_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The validation errors without the input echoed back (it may be large, or a password)."""
    return [
        {"loc": list(e.get("loc", ())), "type": e.get("type", ""), "msg": e.get("msg", "")} for e in errors
    ]


def _error_page(request: Request, status: int, message: str) -> Response:
    title = STATUS_TITLES.get(status, "Lỗi")
    try:
        from thidua.web.pages.common import render

        found = auth.session_of(request)  # a logged-in user keeps the page's navigation
        user = Actor.of_user(found[1]) if found else None
        return render(request, "desk/error.html", user=user, status_code=status, title=title, message=message)
    except Exception:  # noqa: BLE001 - no pages (or broken): a plain page still says it
        from html import escape

        body = (
            f"<!doctype html><html lang=vi><meta charset=utf-8><title>{escape(title)}</title>"
            f"<h1>{escape(title)}</h1><p>{escape(message)}</p><p><a href=/>Về trang tổng quan</a></p></html>"
        )
        return HTMLResponse(body, status_code=status)


def settle_heap() -> None:
    """Once the desk has started: what start-up built (modules, templates, the campaign) lives as
    long as the server, so it is moved out of the garbage collector's sight. Otherwise every
    full collection walks it again, a pause of a hundred milliseconds now and then in a page."""
    gc.collect()
    gc.freeze()


def create_app(settings: Settings, *, engine: Engine | None = None) -> FastAPI:
    """The desk for ``settings``; ``engine`` (tests, benches) replaces the configured database."""
    from thidua.intake.app import App

    service = App(settings)
    if engine is not None:
        service.__dict__["db"] = Database(engine)  # the cached property, given instead of opened
    app = FastAPI(title="thidua", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.thidua = service
    app.state.login_limiter = auth.LoginLimiter(
        settings.web.login_attempts, timedelta(minutes=settings.web.login_window_minutes)
    )

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(auth.LoginRequired)
    async def login_required(request: Request, error: auth.LoginRequired):
        return auth.login_redirect(error.next_url)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        message = (
            error.detail if isinstance(error.detail, str) else STATUS_TITLES.get(error.status_code, "Lỗi")
        )
        if error.status_code == 404 and message == "Not Found":
            message = "Không có trang hoặc tài nguyên này."
        elif error.status_code == 405 and message == "Method Not Allowed":
            message = "Không hỗ trợ thao tác này trên địa chỉ này."
        if _is_api(request):
            return JSONResponse({"detail": message}, status_code=error.status_code, headers=error.headers)
        return _error_page(request, error.status_code, message)

    async def refused(request: Request, error: Exception):
        """A desk operation's refusal that no route caught: its status and Vietnamese message."""
        status = REFUSAL_STATUS[type(error)]
        message = getattr(error, "message", "") or STATUS_TITLES.get(status, "Lỗi")
        if _is_api(request):
            return JSONResponse({"detail": message}, status_code=status)
        return _error_page(request, status, message)

    for refusal in REFUSAL_STATUS:
        app.add_exception_handler(refusal, refused)

    @app.exception_handler(RequestValidationError)
    async def bad_body(request: Request, error: RequestValidationError):
        errors = list(error.errors())
        message = _validation_message(errors)
        if _is_api(request):
            return JSONResponse({"detail": message, "errors": _public_errors(errors)}, status_code=422)
        return _error_page(request, 422, message)

    @app.get("/healthz", include_in_schema=False)
    def healthz():
        try:
            with service.db.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except Exception as error:  # noqa: BLE001 - any failure means: not healthy
            log.warning("health check: the database does not answer: %s", error)
            return JSONResponse({"status": "database unavailable"}, status_code=503)
        return {"status": "ok"}

    from thidua.web.api import router as api_router

    app.include_router(api_router)
    try:
        from thidua.web.pages import router as pages_router
    except ImportError as error:  # pragma: no cover - the pages ship with the package
        log.error("the desk's pages cannot be loaded: %s", error)
    else:
        app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
    return app
