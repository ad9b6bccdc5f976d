"""Selection, round by round (``/rounds/{id}/selection``): reviewers propose nominees across schools
for the campaign's award forms (``[[awards]]``), each school's list in its own rank order, with the
places used of each award's cap ("3 / 15"). A selection past the cap is refused with the store's
own sentence (status 409, the page shown again with the message beside the nominee).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse

from thidua.campaign import Round
from thidua.desk import nominees
from thidua.desk.actor import Conflict, DeskError, NotFound
from thidua.desk.round_nominees import award_uses, round_nominees
from thidua.web import auth
from thidua.web.pages.common import (
    ALL_ROLES,
    actor,
    db_session,
    may,
    office_code,
    render,
    rounds,
    see_other,
    service,
)
from thidua.web.pages.evidence import REVIEWERS, VERDICT_VI, first_round, no_round, round_or_none

router = APIRouter()

STATUS_OF_REFUSAL = {Conflict: 409, NotFound: 404, DeskError: 422}


def _awards(request: Request) -> tuple:
    try:
        return service(request).campaign.awards
    except Exception:  # noqa: BLE001 - a broken campaign file: the page says there is nothing to select for
        return ()


def show_selection(
    request: Request,
    user,
    round_: Round,
    *,
    error_for: int = 0,
    error: str = "",
    attempted: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    awards = _awards(request)
    with db_session(request) as session:
        found = round_nominees(session, office_code(request), round_.id)
        uses = award_uses(session, office_code(request), round_.id, awards)
    return render(
        request,
        "desk/selection.html",
        user=user,
        section="selection",
        title=f"Lựa chọn đề nghị khen thưởng · {round_.label}",
        round=round_,
        rounds=rounds(request),
        schools=found.schools,
        counts=found.counts(),
        awards=awards,
        labels={a.id: a.label for a in awards},
        uses=uses,
        verdicts=VERDICT_VI,
        can_select=may(user, REVIEWERS),
        error_for=error_for,
        error=error,
        attempted=attempted,
        status_code=status_code,
    )


@router.get("/selection")
def selection_home(request: Request, user=Depends(auth.page_user(*ALL_ROLES))):
    return first_round(request, user, "selection")


@router.get("/rounds/{round_id}/selection", response_class=HTMLResponse)
def selection_page(round_id: str, request: Request, user=Depends(auth.page_user(*ALL_ROLES))):
    round_ = round_or_none(request, round_id)
    if round_ is None:
        return no_round(request, user)
    return show_selection(request, user, round_)


@router.post("/rounds/{round_id}/selection/{nominee_id}")
def select(
    round_id: str,
    nominee_id: int,
    request: Request,
    award: str = Form(""),
    selected: str = Form("1"),
    user=Depends(auth.page_user(*REVIEWERS)),
):
    """Select the nominee for ``award`` (``selected=1``) or withdraw its selection (``selected=0``)."""
    round_ = round_or_none(request, round_id)
    if round_ is None:
        return no_round(request, user)
    app = service(request)
    wanted = selected != "0"
    try:
        with db_session(request) as session:
            nominees.select(
                session, app.settings, actor(user), nominee_id, wanted, award or None, app.campaign
            )
    except (Conflict, NotFound, DeskError) as refusal:
        return show_selection(
            request,
            user,
            round_,
            error_for=nominee_id,
            error=refusal.message,
            attempted=award,
            status_code=STATUS_OF_REFUSAL[type(refusal)],
        )
    return see_other(f"/rounds/{quote(round_id)}/selection?done=selected#n-{nominee_id}")
