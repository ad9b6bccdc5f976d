"""Evidence review and selection of nominees, for the desk's pages and its API: the store's
functions (:mod:`thidua.store.selection`) with the desk's refusals and an audit entry for each.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from thidua.campaign import Campaign
from thidua.config import Settings
from thidua.desk.actions import current_submission, decide
from thidua.desk.actor import Actor, Conflict, DeskError, NotFound
from thidua.store import audit
from thidua.store import selection as store
from thidua.store.blobs import BlobStore
from thidua.store.models import Nominee


def _refusal(error: Exception) -> Exception:
    """The store's SelectionError as the desk's own refusal (404, 409 or 422)."""
    if isinstance(error, store.UnknownNominee):
        return NotFound(str(error))
    if isinstance(error, store.AwardCapReached):
        return Conflict(str(error))
    return DeskError(str(error))


def _existing(session: Session, nominee_id: int) -> Nominee:
    nominee = session.get(Nominee, nominee_id)
    if nominee is None:
        raise NotFound(f"Không tìm thấy người/tập thể được đề nghị số {nominee_id}.")
    return nominee


def review(
    session: Session,
    settings: Settings,
    actor: Actor,
    nominee_id: int,
    evidence: str,
    note: str,
    *,
    now: datetime | None = None,
) -> dict[str, Any]:
    """A reviewer's verdict on the nominee's evidence; returns ``{"id", "review"}``."""
    _existing(session, nominee_id)
    now = now or datetime.now(UTC)
    office = settings.office.code
    try:
        record = store.record_review(
            session, office=office, nominee_id=nominee_id, evidence=evidence, note=note, by=actor.name, at=now
        )
    except store.SelectionError as error:
        raise _refusal(error) from None
    result = record.as_json(settings.office.tz)
    audit.record(
        session, office, actor.name, "review", "nominee", str(nominee_id), after=result, note=note, now=now
    )
    return {"id": nominee_id, "review": result}


def select(
    session: Session,
    settings: Settings,
    actor: Actor,
    nominee_id: int,
    selected: bool,
    award: str | None,
    campaign: Campaign,
    *,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Select the nominee for an award form (or withdraw the selection); returns
    ``{"id", "selected", "proposed_award"}``. Conflict (409) when the award's ``max`` is used up."""
    _existing(session, nominee_id)
    now = now or datetime.now(UTC)
    office = settings.office.code
    try:
        if selected:
            if not award:
                raise DeskError("Cần chọn hình thức khen thưởng (award) khi chọn người/tập thể.")
            store.select_nominee(
                session,
                office=office,
                nominee_id=nominee_id,
                award_id=award,
                awards=getattr(campaign, "awards", ()),
                by=actor.name,
                at=now,
            )
        else:
            store.unselect_nominee(session, office=office, nominee_id=nominee_id, at=now)
    except store.SelectionError as error:
        raise _refusal(error) from None
    result = {"id": nominee_id, "selected": bool(selected), "proposed_award": award if selected else None}
    audit.record(session, office, actor.name, "selection", "nominee", str(nominee_id), after=result, now=now)
    return result


EVIDENCE_REQUEST_NOTE = (
    "Qua thẩm định, minh chứng của các tập thể, cá nhân dưới đây chưa đủ; "
    "đề nghị nhà trường bổ sung minh chứng theo từng nội dung."
)


def evidence_request_items(nominees: Sequence[Nominee], reviews: dict[int, Any]) -> list[str]:
    """One item per nominee of the list whose evidence was found insufficient, naming the nominee."""
    items = []
    for nominee in nominees:
        review = reviews.get(nominee.id)
        if review is None or review.evidence != "insufficient":
            continue
        rank = f" (STT {nominee.rank})" if nominee.rank is not None else ""
        items.append(f"Bổ sung minh chứng cho {nominee.name or 'người chưa ghi tên'}{rank}: {review.note}")
    return items


def request_evidence(
    session: Session,
    settings: Settings,
    actor: Actor,
    receipt: str,
    note: str = "",
    *,
    blobs: BlobStore | None = None,
    campaign: Campaign | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Turn the "insufficient" verdicts on ``receipt``'s current list into a correction request to
    the school, in the submission's thread, naming each nominee and what the reviewers noted
    (a clerk's decision, as :func:`thidua.desk.actions.decide` sends it)."""
    submission = current_submission(session, receipt)
    reviews = store.latest_reviews(
        session, office=settings.office.code, nominee_ids=[n.id for n in submission.nominees]
    )
    items = evidence_request_items(submission.nominees, reviews)
    if not items:
        raise DeskError(
            f"Hồ sơ {receipt} không có tập thể, cá nhân nào được thẩm định là chưa đủ minh chứng."
        )
    words = " ".join((note or "").split())
    return decide(
        session,
        settings,
        actor,
        receipt,
        "request_correction",
        f"{EVIDENCE_REQUEST_NOTE} {words}".strip(),
        items,
        blobs=blobs,
        campaign=campaign,
        now=now,
    )
