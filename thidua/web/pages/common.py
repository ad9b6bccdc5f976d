"""What every page shares: the template environment, the page frame (navigation, user, CSRF token)
and the way to the service's parts (settings, database, campaign, blob store).

School-sent text reaches the templates as plain strings and is escaped by Jinja2's autoescaping;
no template marks school data as safe.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session

from thidua.desk.actor import CAN_DECIDE, CAN_EDIT_SCHOOLS, CAN_READ, CAN_REVIEW_MAIL, Actor
from thidua.notifier.dates import days_left_vi, vn_date, vn_datetime
from thidua.web import auth
from thidua.wording.findings import megabytes
from thidua.wording.vocabulary import category_vi, kind_vi, problem_vi, status_vi

# Who may do what (SPEC "The staff desk"), as the desk's operations define it.
ALL_ROLES = CAN_READ
DECIDERS = CAN_DECIDE  # decisions, replies, paper copies
MAIL_REVIEWERS = CAN_REVIEW_MAIL  # the review queue
SCHOOL_EDITORS = CAN_EDIT_SCHOOLS

ROLE_VI = {"admin": "quản trị", "clerk": "chuyên viên", "reviewer": "thẩm định", "viewer": "chỉ xem"}

NAV_ITEMS = (
    ("/", "Tổng quan", "dashboard"),
    ("/submissions", "Hồ sơ", "submissions"),
    ("/review", "Cần xử lý", "review"),
    ("/evidence", "Thẩm định", "evidence"),
    ("/selection", "Lựa chọn", "selection"),
    ("/schools", "Trường", "schools"),
    ("/exports", "Xuất dữ liệu", "exports"),
)

# Outcomes announced after a redirect: the query names a fixed message, never carries text.
FLASHES = {
    "accept": ("ok", "Đã tiếp nhận hồ sơ; thư báo đã tiếp nhận được đưa vào hộp thư đi."),
    "request_correction": ("ok", "Đã gửi yêu cầu bổ sung cho trường."),
    "reject": ("ok", "Đã ghi quyết định không tiếp nhận hồ sơ."),
    "signed_copy": ("ok", "Đã ghi nhận bản giấy có dấu."),
    "reprocess": ("ok", "Đã xử lý lại thư."),
    "discard": ("ok", "Đã bỏ qua thư; bản gốc vẫn được lưu."),
    "reply_sent": ("ok", "Đã đưa thư trả lời vào hộp thư đi."),
    "reply_dropped": ("ok", "Đã bỏ thư trả lời."),
    "school_saved": ("ok", "Đã lưu thông tin trường."),
    "imported": ("ok", "Đã nhập danh sách trường."),
    "reviewed": ("ok", "Đã ghi kết quả thẩm định."),
    "evidence_requested": (
        "ok",
        "Đã gửi yêu cầu bổ sung minh chứng cho trường, trong cùng luồng thư của hồ sơ.",
    ),
    "selected": ("ok", "Đã ghi lựa chọn."),
    "results_sent": ("ok", "Đã đưa thư thông báo kết quả vào hộp thư đi."),
    "address_added": ("ok", "Đã thêm địa chỉ vào danh sách của trường; thư sau từ địa chỉ này sẽ được nhận."),
}


def page_numbers(page: int, pages: int) -> list[int | None]:
    """Page links to show: the first, the last and two either side of ``page``; None for a gap."""
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def size_text(size: int | None) -> str:
    """6 KB, 1,5 MB (the checks' own wording for megabytes)."""
    if not size:
        return "—"
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return megabytes(size)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("thidua.web", "templates"),
        autoescape=True,  # every template here is HTML
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(
        vn_date=vn_date,
        vn_datetime=vn_datetime,
        days_left_vi=days_left_vi,
        category_vi=category_vi,
        kind_vi=kind_vi,
        status_vi=status_vi,
        problem_vi=problem_vi,
    )
    env.globals.update(page_numbers=page_numbers)
    return env


# -- the service's parts ------------------------------------------------------------------------


def service(request: Request) -> Any:
    """The thidua App (settings, db, blobs, campaign) the web application was built with."""
    return request.app.state.thidua


def office_code(request: Request) -> str:
    return service(request).settings.office.code


def timezone_name(request: Request) -> str:
    return service(request).settings.office.timezone


@contextmanager
def db_session(request: Request) -> Iterator[Session]:
    with service(request).db.session() as session:
        yield session


def rounds(request: Request) -> tuple:
    """The campaign's rounds; none when the campaign file is missing or wrong (the pages say so)."""
    try:
        return service(request).campaign.rounds
    except Exception:  # a broken campaign file must not take the whole desk down
        return ()


def actor(user: Any) -> Actor:
    """The logged-in user as the desk's operations record them."""
    return user if isinstance(user, Actor) else Actor.of_user(user)


def may(user: Any, roles: tuple[str, ...]) -> bool:
    return getattr(user, "role", None) in roles


# -- responses -----------------------------------------------------------------------------------


def render(
    request: Request, template: str, *, user: Any, section: str = "", status_code: int = 200, **context: Any
) -> HTMLResponse:
    settings = service(request).settings
    flash = FLASHES.get(request.query_params.get("done", ""))
    frame = {
        "title": "",
        "office_name": settings.office.name,
        "user": user,
        "role_label": ROLE_VI.get(getattr(user, "role", ""), ""),
        "csrf": auth.csrf_token(request) if user is not None else "",
        "nav_items": NAV_ITEMS,
        "section": section,
        "tz": settings.office.timezone,
        "flashes": [flash] if flash else [],
        # htmx swaps <main> only; a history restore needs the whole page
        "fragment": request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true",
    }
    frame.update(context)
    html = environment().get_template(template).render(frame)
    return HTMLResponse(html, status_code=status_code)


def see_other(path: str, **query: str) -> RedirectResponse:
    """After a form post: back to a page (Post/Redirect/Get), with a fixed outcome message."""
    target = path + ("?" + urlencode(query) if query else "")
    return RedirectResponse(target, status_code=303)


def utcnow() -> datetime:
    return datetime.now(UTC)
