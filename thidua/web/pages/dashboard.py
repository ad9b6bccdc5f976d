"""The round dashboard: every registered school against its status in one round."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from thidua.desk import queries
from thidua.notifier.dates import local
from thidua.web import auth
from thidua.web.pages.common import (
    ALL_ROLES,
    db_session,
    office_code,
    render,
    rounds,
    service,
    timezone_name,
    utcnow,
)

router = APIRouter()


def default_round(request: Request, all_rounds: tuple, now) -> str:
    """The round a clerk is working on: the next deadline still ahead; once every deadline has
    passed, the round of the latest mail (not an empty round that merely closed last)."""
    ahead = [r for r in all_rounds if r.deadline >= now]
    if ahead:
        return min(ahead, key=lambda r: r.deadline).id
    known = {r.id for r in all_rounds}
    with db_session(request) as session:
        latest = queries.list_submissions(session, office_code(request), per_page=1).items
    if latest and latest[0].round_id in known:
        return latest[0].round_id
    return max(all_rounds, key=lambda r: r.deadline).id


@router.get("/", response_class=HTMLResponse)
def home(request: Request, user=Depends(auth.page_user(*ALL_ROLES))):
    all_rounds = rounds(request)
    if not all_rounds:
        return render(
            request, "desk/dashboard.html", user=user, section="dashboard", title="Tổng quan", rounds=()
        )
    return _board(request, user, default_round(request, all_rounds, utcnow()), here="/")


@router.get("/rounds/{round_id}", response_class=HTMLResponse)
def round_board(round_id: str, request: Request, user=Depends(auth.page_user(*ALL_ROLES))):
    return _board(request, user, round_id, here=f"/rounds/{round_id}")


def _board(request: Request, user, round_id: str, *, here: str) -> HTMLResponse:
    campaign_round = next((r for r in rounds(request) if r.id == round_id), None)
    if campaign_round is None:
        return render(
            request,
            "desk/error.html",
            user=user,
            status_code=404,
            title="Không có đợt này",
            message="Không tìm thấy đợt thi đua này trong tệp cấu hình đợt.",
        )
    status = request.query_params.get("status", "")
    with db_session(request) as session:
        board = queries.dashboard(session, office_code(request), service(request).campaign, round_id)
    if status not in board.counts:
        status = ""
    rows = [row for row in board.rows if not status or row.status == status]
    tz = timezone_name(request)
    days_left = (local(board.deadline, tz).date() - local(utcnow(), tz).date()).days
    return render(
        request,
        "desk/dashboard.html",
        user=user,
        section="dashboard",
        title=board.round_label,
        rounds=rounds(request),
        board=board,
        round=campaign_round,
        rows=rows,
        status=status,
        board_statuses=list(board.labels.items()),
        days_left=days_left,
        here=here,
    )
