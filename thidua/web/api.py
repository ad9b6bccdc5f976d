"""The JSON API under /api (SPEC "API"): a Bearer token or a desk session.

No credentials: 401. A role without the right: 403. Unknown receipt, nominee or mail: 404. A bad
body: 422 with a Vietnamese message (the app's validation handler). Selection over an award's
cap: 409. Every write is audited by the desk's operations.
"""

# ruff: noqa: B008 - Depends()/Query()/typer.Option() in defaults are the frameworks' way
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from thidua.desk import actions, nominees, papers, queries
from thidua.desk.actor import (
    CAN_DECIDE,
    CAN_READ,
    CAN_REVIEW_MAIL,
    CAN_SELECT,
    Actor,
    Conflict,
    DeskError,
    NotFound,
)
from thidua.web.auth import api_user

router = APIRouter(prefix="/api")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DecisionBody(_Body):
    action: Literal["accept", "request_correction", "reject"]
    note: str = Field(max_length=actions.MAX_NOTE)
    items: list[str] = Field(default_factory=list, max_length=actions.MAX_ITEMS)


class ReviewBody(_Body):
    evidence: Literal["ok", "insufficient"]
    note: str = Field(default="", max_length=actions.MAX_NOTE)


class SelectionBody(_Body):
    selected: bool
    award: str | None = Field(default=None, max_length=100)


def _service(request: Request):
    return request.app.state.thidua


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status)


def _refused(error: Exception) -> JSONResponse:
    if isinstance(error, NotFound):
        return _error(404, error.message)
    if isinstance(error, Conflict):
        return _error(409, error.message)
    return _error(422, error.message)


REFUSALS = (DeskError, NotFound, Conflict)


# -- submissions ------------------------------------------------------------------------------------


@router.get("/submissions")
def list_submissions(
    request: Request,
    round: str | None = Query(None, max_length=100),
    status: str | None = Query(None, max_length=30),
    school: str | None = Query(None, max_length=300),
    actor: Actor = Depends(api_user(*CAN_READ)),
) -> list[dict[str, Any]]:
    app = _service(request)
    with app.db.session() as session:
        return queries.submission_records_where(
            session, actor.office, app.settings.office.tz, round_id=round, status=status, school=school
        )


@router.get("/submissions/{receipt}")
def get_submission(receipt: str, request: Request, actor: Actor = Depends(api_user(*CAN_READ))):
    app = _service(request)
    with app.db.session() as session:
        detail = queries.submission_detail(session, actor.office, receipt, app.settings.office.tz)
    if detail is None:
        return _error(404, f"Không có hồ sơ mã {receipt[:40]}.")
    return detail.record


@router.post("/submissions/{receipt}/decision")
def decide(receipt: str, body: DecisionBody, request: Request, actor: Actor = Depends(api_user(*CAN_DECIDE))):
    app = _service(request)
    try:
        with app.db.session() as session:
            return actions.decide(
                session,
                app.settings,
                actor,
                receipt,
                body.action,
                body.note,
                body.items,
                blobs=app.blobs,
                campaign=_campaign_or_none(app),
            )
    except REFUSALS as error:
        return _refused(error)


@router.post("/submissions/{receipt}/signed-copy")
def signed_copy(receipt: str, request: Request, actor: Actor = Depends(api_user(*CAN_DECIDE))):
    app = _service(request)
    try:
        with app.db.session() as session:
            return actions.record_signed_copy(session, app.settings, actor, receipt)
    except REFUSALS as error:
        return _refused(error)


def _campaign_or_none(app):
    try:
        return app.campaign
    except Exception:  # noqa: BLE001 - no usable campaign file: the reply names no round
        return None


# -- nominees: review and selection -----------------------------------------------------------------


@router.post("/nominees/{nominee_id}/review")
def review_nominee(
    nominee_id: int, body: ReviewBody, request: Request, actor: Actor = Depends(api_user(*CAN_SELECT))
):
    app = _service(request)
    try:
        with app.db.session() as session:
            return nominees.review(session, app.settings, actor, nominee_id, body.evidence, body.note)
    except REFUSALS as error:
        return _refused(error)


@router.post("/nominees/{nominee_id}/selection")
def select_nominee(
    nominee_id: int, body: SelectionBody, request: Request, actor: Actor = Depends(api_user(*CAN_SELECT))
):
    app = _service(request)
    try:
        with app.db.session() as session:
            return nominees.select(
                session, app.settings, actor, nominee_id, body.selected, body.award, _campaign_or_none(app)
            )
    except REFUSALS as error:
        return _refused(error)


# -- exports ----------------------------------------------------------------------------------------


@router.get("/rounds/{round_id}/export.xlsx")
def export_round(
    round_id: str, request: Request, selected: bool = False, actor: Actor = Depends(api_user(*CAN_READ))
):
    from thidua.reports.consolidated import write_export
    from thidua.store.export import nominees_for_round
    from thidua.web.pages.files import download

    app = _service(request)
    campaign = _campaign_or_none(app)
    round_ = campaign.round_by_id(round_id) if campaign is not None else None
    if round_ is None:
        return _error(404, f"Không có đợt {round_id[:60]} trong kế hoạch thi đua.")
    if selected:
        return _official_list(app, round_id)
    generated_at = datetime.now(UTC).astimezone(app.settings.office.tz)
    with app.db.session() as session:
        rows = nominees_for_round(session, round_id)
    data = papers.paper_bytes(
        lambda out: write_export(
            rows,
            out,
            office_name=app.settings.office.name,
            round_=round_,
            round_id=round_id,
            generated_at=generated_at,
        ),
        "export.xlsx",
    )
    return download(data, f"Danh sách đề nghị {round_id}.xlsx", XLSX)


def _official_list(app, round_id: str):
    """The official list of the selected nominees, as ``thidua export --selected`` writes it."""
    from thidua.web.pages.files import download

    data = papers.official_list_bytes(app, round_id, ".xlsx")
    return download(data, f"Danh sách được chọn {round_id}.xlsx", XLSX)


# -- the review queue -------------------------------------------------------------------------------


@router.get("/review")
def review_queue(request: Request, actor: Actor = Depends(api_user(*CAN_READ))) -> dict[str, Any]:
    app = _service(request)
    with app.db.session() as session:
        queue = queries.review_queue(session, actor.office)
    return {
        "mails": [
            {
                "id": m.id,
                "sender": m.sender,
                "subject": m.subject,
                "error": m.error,
                "attempts": m.attempts,
                "updated_at": m.updated_at.astimezone(app.settings.office.tz).isoformat(timespec="seconds"),
            }
            for m in queue.mails
        ],
        "held_replies": [
            {
                "id": r.id,
                "to": r.to_address,
                "subject": r.subject,
                "kind": r.kind,
                "reason": r.reason,
                "created_at": r.created_at.astimezone(app.settings.office.tz).isoformat(timespec="seconds"),
            }
            for r in queue.held_replies
        ],
    }


@router.post("/review/{ledger_id}/reprocess")
def reprocess(ledger_id: int, request: Request, actor: Actor = Depends(api_user(*CAN_REVIEW_MAIL))):
    app = _service(request)
    try:
        return actions.reprocess(
            app.settings, actor, ledger_id, db=app.db, blobs=app.blobs, campaign=app.campaign
        )
    except REFUSALS as error:
        return _refused(error)
