"""The review queue: mails that could not be processed (process again now, or set aside with the
original kept) and replies held by the daily cap."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from thidua.desk import actions, held_replies, queries
from thidua.desk.actor import Conflict, DeskError, NotFound
from thidua.web import auth
from thidua.web.pages.common import (
    ALL_ROLES,
    MAIL_REVIEWERS,
    actor,
    db_session,
    may,
    office_code,
    render,
    see_other,
    service,
)

router = APIRouter()


def show_queue(request: Request, user, *, review_error: str = "", status_code: int = 200) -> HTMLResponse:
    with db_session(request) as session:
        queue = queries.review_queue(session, office_code(request))
    return render(
        request,
        "desk/review.html",
        user=user,
        section="review",
        title="Cần xử lý",
        queue=queue,
        can_act=may(user, MAIL_REVIEWERS),
        can_act_held=may(user, MAIL_REVIEWERS),
        review_error=review_error,
        status_code=status_code,
    )


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, user=Depends(auth.page_user(*ALL_ROLES))):
    return show_queue(request, user)


@router.post("/review/{ledger_id}/reprocess")
def reprocess(ledger_id: int, request: Request, user=Depends(auth.page_user(*MAIL_REVIEWERS))):
    app = service(request)
    try:
        result = actions.reprocess(
            app.settings, actor(user), ledger_id, db=app.db, blobs=app.blobs, campaign=app.campaign
        )
    except NotFound as exc:
        return show_queue(request, user, review_error=str(exc), status_code=404)
    except DeskError as exc:
        return show_queue(request, user, review_error=str(exc), status_code=422)
    if result.get("receipt"):
        return see_other(f"/submissions/{quote(result['receipt'])}", done="reprocess")
    return see_other("/review", done="reprocess")


@router.post("/review/{ledger_id}/discard")
def discard(ledger_id: int, request: Request, user=Depends(auth.page_user(*MAIL_REVIEWERS))):
    try:
        with db_session(request) as session:
            actions.discard(session, service(request).settings, actor(user), ledger_id)
    except NotFound as exc:
        return show_queue(request, user, review_error=str(exc), status_code=404)
    return see_other("/review", done="discard")


@router.post("/review/replies/{reply_id}/send")
def send_held_reply(reply_id: int, request: Request, user=Depends(auth.page_user(*MAIL_REVIEWERS))):
    return _held_reply(request, user, reply_id, held_replies.send_held, "reply_sent")


@router.post("/review/replies/{reply_id}/drop")
def drop_held_reply(reply_id: int, request: Request, user=Depends(auth.page_user(*MAIL_REVIEWERS))):
    return _held_reply(request, user, reply_id, held_replies.drop_held, "reply_dropped")


def _held_reply(request: Request, user, reply_id: int, change, done: str):
    try:
        with db_session(request) as session:
            change(session, service(request).settings, actor(user), reply_id)
    except NotFound as exc:
        return show_queue(request, user, review_error=str(exc), status_code=404)
    except Conflict as exc:
        return show_queue(request, user, review_error=str(exc), status_code=409)
    return see_other("/review", done=done)
