"""Exports and reports to download, per round: the consolidated list and the JSON (from the API),
the official list of the selected nominees and the results report (.xlsx or .docx, built by the
desk's papers as ``thidua export --selected`` and ``thidua report`` write them)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from thidua.desk import papers, results_mail
from thidua.desk.actor import NotFound
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
)
from thidua.web.pages.evidence import no_round, round_or_none
from thidua.web.pages.files import download

router = APIRouter()

MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
PAPERS = {
    "official-list": (papers.official_list_bytes, "Danh sách đề nghị khen thưởng"),
    "results-report": (papers.results_report_bytes, "Báo cáo kết quả"),
}


@router.get("/exports", response_class=HTMLResponse)
def exports(request: Request, user=Depends(auth.page_user(*ALL_ROLES))):
    all_rounds = rounds(request)
    with db_session(request) as session:
        tallies = {r.id: results_mail.tally(session, office_code(request), r.id) for r in all_rounds}
    return render(
        request,
        "desk/exports.html",
        user=user,
        section="exports",
        title="Xuất dữ liệu",
        rounds=all_rounds,
        tallies=tallies,
        can_send=may(user, DECIDERS),
    )


@router.post("/exports/{round_id}/results-mail")
def send_results(round_id: str, request: Request, user=Depends(auth.page_user(*DECIDERS))):
    """Mail each school the outcome of the round (công khai), once; a second press sends nothing new."""
    app = service(request)
    if round_or_none(request, round_id) is None:
        return no_round(request, user)
    try:
        with db_session(request) as session:
            results_mail.send_results(
                session, app.settings, actor(user), round_id, campaign=app.campaign, blobs=app.blobs
            )
    except NotFound:
        return no_round(request, user)
    return see_other(f"/exports?done=results_sent#results-{quote(round_id)}")


@router.get("/exports/{round_id}/{paper}.{extension}")
def paper_file(
    round_id: str, paper: str, extension: str, request: Request, user=Depends(auth.page_user(*ALL_ROLES))
):
    """The official list or the results report of the round, as .xlsx or .docx."""
    round_ = round_or_none(request, round_id)
    if round_ is None or paper not in PAPERS or extension not in MEDIA_TYPES:
        return no_round(request, user)
    build, name = PAPERS[paper]
    data = build(service(request), round_id, "." + extension)
    return download(data, f"{name} {round_.label}.{extension}", MEDIA_TYPES[extension])
