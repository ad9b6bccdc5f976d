"""The Vietnamese words for the service's keys, shared by replies, digest, export and CLI.

Keys (statuses, kinds, categories, problem codes, field keys) are the contract; these
are only how they read to a school clerk or the office's staff.
"""

from __future__ import annotations

import re

from thidua.parsers.forms.definitions import NOMINEE_DISPLAY_LABELS, REGISTRATION_DISPLAY_LABELS

CATEGORY_VI = {
    "collective": "Tập thể",
    "manager": "Cán bộ quản lý",
    "teacher": "Giáo viên",
    "staff": "Nhân viên",
    "student": "Học sinh",
}

KIND_VI = {
    "registration": "Đăng ký thực hiện đổi mới sáng tạo",
    "nomination_list": "Danh sách đề nghị khen thưởng",
    "report": "Báo cáo kết quả",
    "evidence": "Minh chứng",
    "publicity": "Bài viết, hình ảnh tuyên truyền",
    "unknown": "Không xác định được",
}

STATUS_VI = {
    "accepted": "Đã tiếp nhận",
    "needs_correction": "Cần bổ sung, chỉnh sửa",
    "rejected": "Không tiếp nhận",
    "superseded": "Đã có bản gửi thay thế",
}

# Short names of problems, for lists where the full message does not fit (digest, CLI).
PROBLEM_VI = {
    "missing_field": "Thiếu nội dung bắt buộc",
    "missing_evidence": "Thiếu minh chứng",
    "not_quantified": "Thành tích chưa lượng hóa",
    "bad_rank": "Thứ tự ưu tiên chưa đúng",
    "unknown_category": "Không rõ đối tượng",
    "quota_exceeded": "Vượt số lượng đề nghị",
    "late": "Gửi sau hạn",
    "no_attachment": "Không có tệp hồ sơ",
    "unreadable_attachment": "Tệp không đọc được",
    "unsupported_format": "Định dạng tệp chưa hỗ trợ",
    "attachment_too_large": "Tệp quá lớn hoặc quá phức tạp",
    "unknown_sender": "Địa chỉ gửi chưa đăng ký",
    "spoofed_sender": "Nghi giả mạo người gửi",
}

# The wording of the official forms (SPEC "Registration fields", "Nominee fields"), used
# when a problem concerns a field the school's file did not label at all.
REGISTRATION_LABELS = REGISTRATION_DISPLAY_LABELS

NOMINEE_LABELS = NOMINEE_DISPLAY_LABELS

_FIELD = re.compile(r"^(?:(?P<group>[a-z_]+)\[(?P<index>-?\d+)\]\.)?(?P<key>[a-z_]+)$")


def category_vi(key: str | None) -> str:
    """ "" for an empty or unknown key, so callers can fall back to the school's own wording."""
    return CATEGORY_VI.get(key or "", "")


def kind_vi(kind: str | None) -> str:
    return KIND_VI.get(kind or "", KIND_VI["unknown"])


def status_vi(status: str | None) -> str:
    """An unknown status is shown as it is rather than hidden."""
    return STATUS_VI.get(status or "", status or "")


def problem_vi(code: str) -> str:
    return PROBLEM_VI.get(code, code)


def split_field(field: str) -> tuple[str, int | None, str]:
    """ "nominees[2].evidence" → ("nominees", 2, "evidence"); "objectives" → ("", None, "objectives");
    anything else → ("", None, "")."""
    match = _FIELD.match((field or "").strip())
    if not match:
        return "", None, ""
    index = match.group("index")
    return match.group("group") or "", int(index) if index is not None else None, match.group("key")


def field_label_vi(field: str) -> str:
    """The official form's label for a field key, "" when the key is not a form field."""
    group, _, key = split_field(field)
    if group == "nominees" or (not group and key in NOMINEE_LABELS and key not in REGISTRATION_LABELS):
        return NOMINEE_LABELS.get(key, "")
    return REGISTRATION_LABELS.get(key, "")


def is_nominee_field(field: str) -> bool:
    group, _, key = split_field(field)
    if group:
        return group == "nominees"
    return key in NOMINEE_LABELS and key not in REGISTRATION_LABELS
