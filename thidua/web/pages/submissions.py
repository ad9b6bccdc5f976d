"""The submission list (filters, search, paging) and one submission's page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from thidua.desk import queries
from thidua.web import auth
from thidua.web.pages.common import (
    ALL_ROLES,
    DECIDERS,
    SCHOOL_EDITORS,
    db_session,
    may,
    office_code,
    render,
    rounds,
    service,
)
from thidua.web.pages.detail import detail_context
from thidua.wording.vocabulary import STATUS_VI

router = APIRouter()
PER_PAGE = 50


def _int(text: str | None, default: int) -> int:
    return int(text) if text and text.isdigit() and len(text) < 7 else default


@router.get("/submissions", response_class=HTMLResponse)
def submission_list(request: Request, user=Depends(auth.page_user(*ALL_ROLES))):
    params = request.query_params
    filters = {key: (params.get(key) or "").strip()[:200] for key in ("round", "status", "school", "q")}
    if filters["status"] not in STATUS_VI:
        filters["status"] = ""
    page_number = _int(params.get("page"), 1)
    with db_session(request) as session:
        office = office_code(request)
        page = queries.list_submissions(
            session,
            office,
            round_id=filters["round"] or None,
            status=filters["status"] or None,
            school=filters["school"] or None,
            q=filters["q"] or None,
            page=page_number,
            per_page=PER_PAGE,
        )
        schools = queries.schools(session, office)
    kept = {key: value for key, value in filters.items() if value}

    def page_url(number: int) -> str:
        return "/submissions?" + urlencode({**kept, "page": number})

    all_rounds = rounds(request)
    return render(
        request,
        "desk/submissions.html",
        user=user,
        section="submissions",
        title="Hồ sơ đã nhận",
        page=page,
        filters=filters,
        rounds=all_rounds,
        schools=schools,
        statuses=list(STATUS_VI.items()),
        round_labels={r.id: r.label for r in all_rounds},
        page_url=page_url,
    )


@router.get("/submissions/{receipt}", response_class=HTMLResponse)
def submission_page(receipt: str, request: Request, user=Depends(auth.page_user(*ALL_ROLES))):
    return show_submission(request, user, receipt)


def show_submission(
    request: Request, user: Any, receipt: str, *, decision_error: str = "", status_code: int = 200
) -> HTMLResponse:
    with db_session(request) as session:
        detail = queries.submission_detail(
            session, office_code(request), receipt, service(request).settings.office.tz
        )
    if detail is None:
        return render(
            request,
            "desk/error.html",
            user=user,
            status_code=404,
            title="Không tìm thấy hồ sơ",
            message="Không có hồ sơ nào mang mã này.",
        )
    context = detail_context(request, detail, _int(request.query_params.get("version"), 0))
    unregistered = may(user, SCHOOL_EDITORS) and any(
        p["code"] == "unknown_sender" for p in context["sub"]["problems"]
    )
    context["schools_for_sender"] = []
    if unregistered:
        with db_session(request) as session:
            context["schools_for_sender"] = queries.schools(session, office_code(request))
    return render(
        request,
        "desk/submission.html",
        user=user,
        section="submissions",
        title=f"Hồ sơ {detail.receipt}",
        can_decide=may(user, DECIDERS),
        decision_error=decision_error,
        status_code=status_code,
        **context,
    )
