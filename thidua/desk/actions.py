"""The desk's write side. Each action checks what it is given (refusals in Vietnamese), changes
the store, and records an audit entry (who, when, what, before and after) in the same
transaction. The caller's session block commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from thidua.campaign import Campaign, load_campaign
from thidua.config import Settings
from thidua.desk import parked
from thidua.desk.actor import Actor, DeskError, NotFound
from thidua.desk.decision_reply import queue_decision_reply
from thidua.desk.records import load_submissions, submission_records
from thidua.desk.reprocess import reprocess  # noqa: F401 - one of the desk's actions
from thidua.errors import ThiduaError
from thidua.parsers.schools import RegistryError, read_registry
from thidua.store import audit
from thidua.store import schools as store_schools
from thidua.store import values as store_values
from thidua.store.blobs import BlobStore
from thidua.store.models import MailLedger, School, SchoolAddress, Submission
from thidua.store.submissions import latest_version
from thidua.text import nfc

NEW_STATUS = {"accept": "accepted", "request_correction": "needs_correction", "reject": "rejected"}
ACTION_VI = {"accept": "tiếp nhận", "request_correction": "đề nghị bổ sung", "reject": "không tiếp nhận"}
MAX_NOTE = 4000
MAX_ITEMS = 50
MAX_ITEM = 1000


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _campaign(settings: Settings) -> Campaign | None:
    path = settings.campaign.file
    return load_campaign(path) if path.exists() else None


def current_submission(session: Session, receipt: str) -> Submission:
    latest = latest_version(session, receipt)
    if latest is None:
        raise NotFound(f"Không có hồ sơ mã {receipt}.")
    return load_submissions(session, [latest.id])[0]


def _record(session: Session, settings: Settings, submission: Submission) -> dict[str, Any]:
    return submission_records(session, settings.office.code, [submission], settings.office.tz)[0]


def check_decision(action: str, note: str, items: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """The note and items, tidied; DeskError (in Vietnamese) for what cannot be accepted."""
    if action not in NEW_STATUS:
        raise DeskError(
            "Quyết định phải là một trong: accept (tiếp nhận), request_correction (đề nghị bổ sung), "
            "reject (không tiếp nhận)."
        )
    note = nfc(note or "").strip()
    if not note:
        raise DeskError("Cần ghi ý kiến (note) cho quyết định.")
    if len(note) > MAX_NOTE:
        raise DeskError(f"Ý kiến quá dài (tối đa {MAX_NOTE} ký tự).")
    cleaned = tuple(" ".join(nfc(item).split()) for item in items if item and item.strip())
    if len(cleaned) > MAX_ITEMS or any(len(item) > MAX_ITEM for item in cleaned):
        raise DeskError(f"Tối đa {MAX_ITEMS} nội dung đề nghị, mỗi nội dung tối đa {MAX_ITEM} ký tự.")
    return note, cleaned


def decide(
    session: Session,
    settings: Settings,
    actor: Actor,
    receipt: str,
    action: str,
    note: str,
    items: Sequence[str] = (),
    *,
    blobs: BlobStore | None = None,
    campaign: Campaign | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """A clerk's decision on the current version of ``receipt``: its new status, the decision kept,
    and (for accept and request_correction) the reply queued in the daemon's outbox, in the
    school's thread, with the clerk's words. Returns the submission's JSON with its decisions."""
    note, cleaned = check_decision(action, note, items)
    now = now or _utcnow()
    office = settings.office.code
    submission = current_submission(session, receipt)
    before = {"status": submission.status, "version": submission.version}
    submission.status = NEW_STATUS[action]
    session.add(submission)
    audit.add_decision(
        session,
        office,
        submission.receipt,
        submission.version,
        action,
        note,
        list(cleaned),
        actor.name,
        now=now,
    )
    after: dict[str, Any] = {
        "status": submission.status,
        "version": submission.version,
        "action": action,
        "items": list(cleaned),
    }
    if action != "reject":
        reply = queue_decision_reply(
            session,
            settings,
            blobs or BlobStore(settings.storage.path),
            submission,
            campaign if campaign is not None else _campaign(settings),
            note,
            cleaned,
            now,
        )
        after["reply"] = {"id": reply.id, "status": reply.status, "message_id": reply.message_id}
    audit.record(
        session,
        office,
        actor.name,
        "decision",
        "receipt",
        submission.receipt,
        before=before,
        after=after,
        note=note,
        now=now,
    )
    session.flush()
    return _record(session, settings, submission)


def record_signed_copy(
    session: Session, settings: Settings, actor: Actor, receipt: str, *, now: datetime | None = None
) -> dict[str, Any]:
    """The signed, stamped paper copy of ``receipt`` has arrived (recording it twice changes nothing)."""
    submission = current_submission(session, receipt)
    office = settings.office.code
    _, new = audit.record_paper_copy(session, office, submission.receipt, actor.name, now=now)
    if new:
        audit.record(
            session,
            office,
            actor.name,
            "signed_copy",
            "receipt",
            submission.receipt,
            before={"signed_copy": None},
            after={"signed_copy": "paper"},
            now=now,
        )
    session.flush()
    return _record(session, settings, submission)


# -- the review queue -------------------------------------------------------------------------------


def _parked(session: Session, ledger_id: int) -> MailLedger:
    entry = session.get(MailLedger, ledger_id)
    if entry is None or entry.status != "review":
        raise NotFound(f"Không có thư số {ledger_id} trong danh sách chờ xem xét.")
    return entry


def discard(
    session: Session, settings: Settings, actor: Actor, ledger_id: int, *, now: datetime | None = None
) -> None:
    """Take a parked mail off the queue; its original stays in the review folder and the file store."""
    entry = _parked(session, ledger_id)
    before = {"status": entry.status, "sender": entry.sender, "subject": entry.subject}
    now = now or _utcnow()
    parked.set_aside(session, ledger_id, now)
    audit.record(
        session,
        settings.office.code,
        actor.name,
        "discard",
        "ledger",
        str(ledger_id),
        before=before,
        after={"status": parked.DISCARDED},
        now=now,
    )


# -- schools ----------------------------------------------------------------------------------------


def _addresses(addresses: Sequence[str]) -> list[str]:
    cleaned = sorted({store_values.normalise_address(a) for a in addresses if a and a.strip()})
    bad = [
        a for a in cleaned if "@" not in a or len(a) > store_values.MAX_ADDRESS or any(c.isspace() for c in a)
    ]
    if bad:
        raise DeskError(f"Địa chỉ thư không hợp lệ: {bad[0][:80]}")
    return cleaned


def save_school(
    session: Session,
    settings: Settings,
    actor: Actor,
    school_id: int | None,
    name: str,
    addresses: Sequence[str],
) -> School:
    """Add a school (``school_id`` None) or change one's name and addresses."""
    name = " ".join(nfc(name or "").split())
    if not name:
        raise DeskError("Cần nhập tên trường.")
    if len(name) > store_values.MAX_SCHOOL_NAME:
        raise DeskError(f"Tên trường quá dài (tối đa {store_values.MAX_SCHOOL_NAME} ký tự).")
    wanted = _addresses(addresses)
    school = None
    if school_id is not None:
        school = session.exec(
            select(School).where(School.id == school_id).options(selectinload(School.addresses))
        ).first()
        if school is None:
            raise NotFound(f"Không có trường số {school_id}.")
    namesake = session.exec(select(School).where(School.name == name)).first()
    if namesake is not None and (school is None or namesake.id != school.id):
        raise DeskError(f"Đã có trường tên «{name}».")
    if wanted:
        taken = session.exec(
            select(SchoolAddress, School.name).join(School).where(SchoolAddress.address.in_(wanted))
        ).all()
        for row, owner in taken:
            if school is None or row.school_id != school.id:
                raise DeskError(f"Địa chỉ {row.address} đã thuộc {owner}.")
    before = None
    if school is None:
        school = School(name=name)
        session.add(school)
        session.flush()
        current: list[str] = []
    else:
        current = [a.address for a in school.addresses]
        before = {"name": school.name, "addresses": current}
        school.name = name
        for row in list(school.addresses):
            if row.address not in wanted:
                school.addresses.remove(row)
        session.flush()
    for address in wanted:
        if address not in current:
            session.add(SchoolAddress(school_id=school.id, address=address))
    session.flush()
    session.expire(school, ["addresses"])
    audit.record(
        session,
        settings.office.code,
        actor.name,
        "save_school",
        "school",
        str(school.id),
        before=before,
        after={"name": name, "addresses": wanted},
    )
    return school


def import_schools(
    session: Session, settings: Settings, actor: Actor, filename: str, data: bytes
) -> store_schools.ImportResult:
    """Load a registry file (CSV or XLSX: school name, e-mail addresses) as ``thidua schools import``."""
    try:
        entries = read_registry(data)
        result = store_schools.import_schools(session, [(e.name, e.addresses) for e in entries])
    except RegistryError as error:
        raise DeskError(f"Không dùng được tệp danh sách trường «{nfc(filename)}»: {error}.") from None
    except ThiduaError as error:
        raise DeskError(f"Tệp danh sách trường «{nfc(filename)}» có dòng không hợp lệ: {error}.") from None
    audit.record(
        session,
        settings.office.code,
        actor.name,
        "import_schools",
        "school",
        "*",
        after={
            "file": nfc(filename),
            "added": result.added,
            "updated": result.updated,
            "addresses": result.addresses,
        },
    )
    return result
