"""The clerk's writes on a submission: a decision (accept, request correction, reject) and the
paper copy. Each answers the form with the submission page again (Post/Redirect/Get), or, for a
refused decision, the page with the reason beside the forms and status 422."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request

from thidua.desk import actions
from thidua.desk.actor import DeskError, NotFound
from thidua.web import auth
from thidua.web.pages.common import DECIDERS, actor, db_session, render, see_other, service
from thidua.web.pages.submissions import show_submission

router = APIRouter()


def _items(text: str) -> list[str]:
    """One requested item per line, as the clerk typed them."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _missing(request: Request, user, message: str):
    return render(
        request, "desk/error.html", user=user, status_code=404, title="Không tìm thấy hồ sơ", message=message
    )


@router.post("/submissions/{receipt}/decision")
def decide(
    receipt: str,
    request: Request,
    action: str = Form(""),
    note: str = Form(""),
    items: str = Form(""),
    user=Depends(auth.page_user(*DECIDERS)),
):
    app = service(request)
    try:
        with db_session(request) as session:
            actions.decide(
                session,
                app.settings,
                actor(user),
                receipt,
                action,
                note,
                _items(items),
                blobs=app.blobs,
                campaign=app.campaign,
            )
    except NotFound as exc:
        return _missing(request, user, str(exc))
    except DeskError as exc:
        return show_submission(request, user, receipt, decision_error=str(exc), status_code=422)
    return see_other(f"/submissions/{quote(receipt)}", done=action)


@router.post("/submissions/{receipt}/signed-copy")
def signed_copy(receipt: str, request: Request, user=Depends(auth.page_user(*DECIDERS))):
    try:
        with db_session(request) as session:
            actions.record_signed_copy(session, service(request).settings, actor(user), receipt)
    except NotFound as exc:
        return _missing(request, user, str(exc))
    return see_other(f"/submissions/{quote(receipt)}", done="signed_copy")
