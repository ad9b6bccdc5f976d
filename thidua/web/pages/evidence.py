"""The review of evidence, round by round (``/rounds/{id}/evidence``): every current nominee across
schools, grouped by school in rank order, with the files its evidence names one click away, and the
verdict ``ok`` / ``insufficient`` with a note (reviewers). A clerk turns the "insufficient" verdicts
of a school's list into a correction request in the submission's thread.

Made for a council working through a few hundred names at the keyboard (``static/council.js``:
j/k move, o marks ok, i goes to the note and Enter marks insufficient); with htmx a verdict
replaces only the nominee's card, without it every form posts and comes back to the same card.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse

from thidua.campaign import Round
from thidua.desk import nominees
from thidua.desk.actor import CAN_SELECT, Conflict, DeskError, NotFound
from thidua.desk.round_nominees import EvidenceFile, RoundNominees, round_nominees
from thidua.web import auth
from thidua.web.pages.common import (
    ALL_ROLES,
    DECIDERS,
    actor,
    db_session,
    may,
    office_code,
    render,
    rounds,
    see_other,
    service,
    utcnow,
)
from thidua.web.pages.dashboard import default_round
from thidua.web.pages.detail import INLINE_TYPES

router = APIRouter()

REVIEWERS = CAN_SELECT  # evidence review and selection (SPEC "The staff desk")
VERDICT_VI = {"ok": "Đạt", "insufficient": "Chưa đủ", None: "Chưa thẩm định"}


def file_links(item: EvidenceFile) -> dict[str, Any]:
    """Where a nominee's evidence file opens (PDFs and images in the page) or downloads."""
    base = f"/submissions/{quote(item.receipt)}/files/{item.sha256}"
    return {
        "filename": item.filename,
        "view_url": base if item.detected in INLINE_TYPES else "",
        "download_url": base + "/download",
    }


def round_or_none(request: Request, round_id: str) -> Round | None:
    return next((r for r in rounds(request) if r.id == round_id), None)


def no_round(request: Request, user) -> HTMLResponse:
    return render(
        request,
        "desk/error.html",
        user=user,
        status_code=404,
        title="Không có đợt này",
        message="Không tìm thấy đợt thi đua này trong tệp cấu hình đợt.",
    )


def first_round(request: Request, user, path: str):
    """``/evidence`` and ``/selection``: the round a clerk is working on (as the dashboard picks it)."""
    all_rounds = rounds(request)
    if not all_rounds:
        return no_round(request, user)
    return see_other(f"/rounds/{quote(default_round(request, all_rounds, utcnow()))}/{path}")


def _context(request: Request, user, round_: Round, found: RoundNominees) -> dict[str, Any]:
    return {
        "round": round_,
        "rounds": rounds(request),
        "schools": found.schools,
        "counts": found.counts(),
        "can_review": may(user, REVIEWERS),
        "can_request": may(user, DECIDERS),
        "verdicts": VERDICT_VI,
        "file_links": file_links,
    }


def show_evidence(
    request: Request, user, round_: Round, *, errors: dict[int, str] | None = None, status_code: int = 200
) -> HTMLResponse:
    with db_session(request) as session:
        found = round_nominees(session, office_code(request), round_.id)
    return render(
        request,
        "desk/evidence.html",
        user=user,
        section="evidence",
        title=f"Thẩm định minh chứng · {round_.label}",
        errors=errors or {},
        request_error=(errors or {}).get(0, ""),
        status_code=status_code,
        **_context(request, user, round_, found),
    )


@router.get("/evidence")
def evidence_home(request: Request, user=Depends(auth.page_user(*ALL_ROLES))):
    return first_round(request, user, "evidence")


@router.get("/rounds/{round_id}/evidence", response_class=HTMLResponse)
def evidence_page(round_id: str, request: Request, user=Depends(auth.page_user(*ALL_ROLES))):
    round_ = round_or_none(request, round_id)
    if round_ is None:
        return no_round(request, user)
    return show_evidence(request, user, round_)


def _card(request: Request, user, round_: Round, nominee_id: int, error: str, status_code: int):
    """The nominee's card alone (htmx swaps it in place) and the round's counts beside it."""
    with db_session(request) as session:
        found = round_nominees(session, office_code(request), round_.id)
    nominee = found.find(nominee_id)
    if nominee is None:
        return no_round(request, user)
    return render(
        request,
        "desk/_evidence_card.html",
        user=user,
        n=nominee,
        error=error,
        out_of_band=True,
        status_code=status_code,
        **_context(request, user, round_, found),
    )


@router.post("/rounds/{round_id}/evidence/{nominee_id}")
def review(
    round_id: str,
    nominee_id: int,
    request: Request,
    evidence: str = Form(""),
    note: str = Form(""),
    user=Depends(auth.page_user(*REVIEWERS)),
):
    round_ = round_or_none(request, round_id)
    if round_ is None:
        return no_round(request, user)
    htmx = request.headers.get("HX-Request") == "true"
    try:
        with db_session(request) as session:
            nominees.review(session, service(request).settings, actor(user), nominee_id, evidence, note)
    except NotFound:
        return render(
            request,
            "desk/error.html",
            user=user,
            status_code=404,
            title="Không tìm thấy",
            message=f"Không tìm thấy người/tập thể được đề nghị số {nominee_id}.",
        )
    except (DeskError, Conflict) as error:
        if htmx:
            return _card(request, user, round_, nominee_id, error.message, 422)
        return show_evidence(request, user, round_, errors={nominee_id: error.message}, status_code=422)
    if htmx:
        return _card(request, user, round_, nominee_id, "", 200)
    return see_other(f"/rounds/{quote(round_id)}/evidence?done=reviewed#n-{nominee_id}")


@router.post("/rounds/{round_id}/evidence-request")
def request_evidence(
    round_id: str,
    request: Request,
    receipt: str = Form(""),
    note: str = Form(""),
    user=Depends(auth.page_user(*DECIDERS)),
):
    """A clerk sends the school a correction request naming the nominees found insufficient."""
    round_ = round_or_none(request, round_id)
    if round_ is None:
        return no_round(request, user)
    app = service(request)
    try:
        with db_session(request) as session:
            nominees.request_evidence(
                session, app.settings, actor(user), receipt, note, blobs=app.blobs, campaign=app.campaign
            )
    except (NotFound, DeskError) as error:
        return show_evidence(request, user, round_, errors={0: error.message}, status_code=422)
    return see_other(f"/rounds/{quote(round_id)}/evidence?done=evidence_requested")
