"""What the submission page shows, prepared from the desk's SubmissionDetail.

Problems are worded by the replies' own code (notifier.wording), so the clerk reads exactly what
the school was told, with the labels the school used in its own file. Replies are shown as the
school received them: the text part of the stored message.
"""

from __future__ import annotations

from datetime import datetime
from email import message_from_bytes, policy
from typing import Any
from urllib.parse import quote

from fastapi import Request

from thidua.desk.queries import FileRow, SubmissionDetail
from thidua.notifier.dates import vn_datetime
from thidua.notifier.problem_text import describe
from thidua.notifier.views import ReplyDocument, ReplyNominee, ReplyProblem, ReplyView
from thidua.parsers.forms.definitions import REGISTRATION_DISPLAY_LABELS
from thidua.parsers.forms.model import REGISTRATION_FIELDS
from thidua.web.pages.common import service, size_text
from thidua.wording.vocabulary import status_vi

INLINE_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
REPLY_TEXT_LIMIT = 200_000  # characters of a reply shown on the page; the .eml has it all

DECISION_VI = {"accept": "Tiếp nhận", "request_correction": "Yêu cầu bổ sung", "reject": "Không tiếp nhận"}
REPLY_KIND_VI = {
    "receipt": "Thư báo đã tiếp nhận",
    "correction": "Thư đề nghị bổ sung",
    "rejection": "Thư báo không tiếp nhận",
    "reminder": "Thư nhắc hạn",
    "results": "Thư thông báo kết quả",
    "digest": "Bản tổng hợp",
}
REPLY_STATUS_VI = {
    "queued": "chờ gửi",
    "sent": "đã gửi",
    "failed": "gửi lỗi",
    "suppressed": "không gửi",
    "held": "đang giữ lại",
    "dropped": "đã bỏ",
}
AUDIT_ACTION_VI = {
    **DECISION_VI,
    "decision": "Ra quyết định",
    "signed_copy": "Ghi nhận bản giấy",
    "reprocess": "Xử lý lại thư",
    "discard": "Bỏ qua thư",
    "save_school": "Lưu thông tin trường",
    "import_schools": "Nhập danh sách trường",
    "send_held_reply": "Gửi thư trả lời đang giữ lại",
    "drop_held_reply": "Bỏ thư trả lời đang giữ lại",
    "results_sent": "Gửi thông báo kết quả",
}
AUDIT_KEY_VI = {
    "status": "tình trạng",
    "signed_copy": "bản in có dấu",
    "action": "quyết định",
    "note": "ghi chú",
    "items": "nội dung",
    "version": "lần gửi",
    "reply": "thư trả lời",
    "attempts": "số lần thử",
    "error": "lỗi",
    "sender": "người gửi",
    "subject": "tiêu đề",
    "name": "tên",
    "addresses": "địa chỉ",
    "round": "đợt",
    "nominees": "số người được đề nghị",
    "selected": "số được lựa chọn",
}
SIGNED_COPY_VI = {"paper": "đã nhận bản giấy", "scan": "có bản quét"}


def file_urls(receipt: str, row: FileRow) -> dict[str, str]:
    base = f"/submissions/{quote(receipt)}/files/{row.sha256}"
    return {"view_url": base, "raw_url": base + "/raw", "download_url": base + "/download"}


def _files(receipt: str, detail: SubmissionDetail, version: int) -> list[dict[str, Any]]:
    rows = []
    for row in detail.files:
        if row.version != version:
            continue
        note = ""
        if row.signed_copy_of:
            note = f"bản ký, đóng dấu của «{row.signed_copy_of}»"
        elif row.ocr:
            note = "bản chụp/bản quét, đã đọc chữ trên ảnh"
        elif row.failure == "scan":
            note = "bản chụp/bản quét"
        elif row.failure:
            note = "không đọc được"
        if row.container:
            note = (note + "; " if note else "") + f"trong «{row.container}»"
        rows.append(
            {
                "filename": row.filename,
                "kind": row.kind,
                "size_text": size_text(row.size),
                "note": note,
                "available": bool(row.sha256),
                "inline": row.detected in INLINE_TYPES,
                **file_urls(receipt, row),
            }
        )
    return rows


def _reply_text(request: Request, sha256: str) -> str:
    """The plain-text part of a stored reply, as the school's mail program shows it."""
    if not sha256:
        return ""
    try:
        message = message_from_bytes(service(request).blobs.get(sha256), policy=policy.default)
    except (FileNotFoundError, ValueError):
        return ""
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        return ""
    try:
        return part.get_content()[:REPLY_TEXT_LIMIT]
    except (LookupError, ValueError):
        return ""


def _replies(request: Request, detail: SubmissionDetail) -> list[dict[str, Any]]:
    return [
        {
            "kind_label": REPLY_KIND_VI.get(r.kind, r.kind),
            "status": r.status,
            "status_label": REPLY_STATUS_VI.get(r.status, r.status),
            "to_address": r.to_address,
            "subject": r.subject,
            "at": r.sent_at or r.created_at,
            "version": r.version,
            "eml_url": f"/submissions/{quote(detail.receipt)}/replies/{r.id}.eml" if r.eml_sha256 else "",
            "text": _reply_text(request, r.eml_sha256),
        }
        for r in detail.replies
    ]


def _problems(
    request: Request,
    detail: SubmissionDetail,
    record: dict[str, Any],
    is_current: bool,
    round_label: str,
    deadline: datetime | None,
    received_at: datetime,
) -> list[Any]:
    settings = service(request).settings
    if is_current:
        problems = [ReplyProblem(p.code, p.severity, p.field, p.label, p.message) for p in detail.problems]
    else:  # an older version: its labels are not kept apart; the official wording stands in
        problems = [
            ReplyProblem(p["code"], p["severity"], p["field"], "", p["message"]) for p in record["problems"]
        ]
    view = ReplyView(
        office_name=settings.office.name,
        office_address=settings.office.address,
        school=record["school"],
        sender=record["sender"],
        receipt=record["receipt"],
        version=record["version"],
        status=record["status"],
        mail_subject=record["subject"],
        received_at=received_at,
        round_label=round_label,
        deadline=deadline,
        documents=tuple(
            ReplyDocument(d["filename"], d["kind"], scan=bool(d.get("ocr"))) for d in record["documents"]
        ),
        registrations=tuple(r.get("full_name", "") for r in record["registrations"]),
        nominees=tuple(ReplyNominee(n["rank"], n["name"], n["category"] or "") for n in record["nominees"]),
        problems=tuple(problems),
        timezone=settings.office.timezone,
    )
    # errors first, then warnings, each in the order the checks found them
    described = [describe(p, view) for p in problems]
    return [p for p in described if p.severity == "error"] + [p for p in described if p.severity != "error"]


def _when(text: str, tz: str) -> str:
    try:
        return vn_datetime(datetime.fromisoformat(text), tz)
    except (TypeError, ValueError):
        return text or ""


def _change_value(key: str, value: Any) -> str:
    """A value of an audit entry as a clerk reads it (keys of the contract in Vietnamese)."""
    if key == "status":
        return status_vi(str(value))
    if key == "action":
        return DECISION_VI.get(str(value), str(value))
    if key == "signed_copy":
        return SIGNED_COPY_VI.get(str(value), str(value))
    if key == "reply" and isinstance(value, dict):
        return REPLY_STATUS_VI.get(str(value.get("status")), str(value.get("status", "")))
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _change_items(value: Any) -> list[tuple[str, str]]:
    if value is None:
        return []
    if not isinstance(value, dict):
        return [("", str(value))]
    return [
        (AUDIT_KEY_VI.get(key, key), _change_value(key, item))
        for key, item in value.items()
        if item not in (None, "", [])
    ]


def _audit(detail: SubmissionDetail) -> list[dict[str, Any]]:
    return [
        {
            "at": a.at,
            "actor": a.actor,
            "action": a.action,
            "note": a.note,
            "before_items": _change_items(a.before),
            "after_items": _change_items(a.after),
        }
        for a in detail.audit
    ]


def detail_context(request: Request, detail: SubmissionDetail, wanted_version: int) -> dict[str, Any]:
    tz = service(request).settings.office.timezone
    records = detail.record["versions"]
    current_version = detail.current.version
    index = next((i for i, r in enumerate(records) if r["version"] == wanted_version), len(records) - 1)
    record = records[index]
    version_row = detail.versions[index]
    is_current = record["version"] == current_version
    round_ = None
    try:
        round_ = service(request).campaign.round_by_id(record["round"]) if record["round"] else None
    except Exception:  # a broken campaign file: the page still shows the submission
        round_ = None
    round_label = round_.label if round_ else (record["round"] or "")
    deadline = round_.deadline if round_ else None
    decisions = [{**d, "at_text": _when(d["at"], tz)} for d in detail.record.get("decisions", [])]
    return {
        "sub": record,
        "is_current": is_current,
        "late": any(p["code"] == "late" for p in record["problems"]),
        "received_at": version_row.received_at,
        "round_label": round_label,
        "deadline": deadline,
        "signed_copy_wanted": bool(getattr(round_, "signed_copy", False)),
        "mail_sha256": version_row.mail_sha256,
        "versions": detail.versions,
        "files": _files(detail.receipt, detail, record["version"]),
        "registration_labels": [
            (key, REGISTRATION_DISPLAY_LABELS.get(key, key)) for key in REGISTRATION_FIELDS
        ],
        "problems": _problems(
            request, detail, record, is_current, round_label, deadline, version_row.received_at
        ),
        "replies": _replies(request, detail),
        "decisions": decisions,
        "decision_labels": DECISION_VI,
        "action_labels": AUDIT_ACTION_VI,
        "audit": _audit(detail),
    }
