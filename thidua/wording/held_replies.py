"""What staff read about replies held by the daily cap (the digest, ``thidua replies``, the desk)."""

from __future__ import annotations

# Why a reply counts toward the daily cap (the shapes of a mail loop, never a school's receipts).
NO_DOCUMENT = "thư không kèm tài liệu"
REPEAT = "gửi lại đúng các tệp đã gửi trước đó"
UNREGISTERED = "địa chỉ gửi chưa đăng ký"

REPLY_STATUS_VI = {
    "queued": "đang chờ gửi",
    "sent": "đã gửi",
    "failed": "không gửi được",
    "suppressed": "không gửi (tự động)",
    "held": "đang giữ lại",
    "dropped": "đã hủy",
}


def held_reason(cap: int, why: str) -> str:
    """The reason kept on a held reply."""
    return f"quá giới hạn {cap} thư trả lời trong 24 giờ cho địa chỉ này ({why}); cán bộ gửi hoặc hủy"


def not_held(reply_id: int, status: str | None) -> str:
    """One line for a reply that staff cannot send or drop."""
    if status is None:
        return f"không có thư trả lời số {reply_id}"
    return f"thư trả lời số {reply_id} không ở trạng thái giữ lại ({REPLY_STATUS_VI.get(status, status)})"


def released(reply_id: int, to: str, sent: bool) -> str:
    if sent:
        return f"Đã gửi thư trả lời số {reply_id} tới {to}."
    return f"Thư trả lời số {reply_id} tới {to} đã vào hàng đợi; sẽ gửi khi máy chủ thư trả lời."


def dropped(reply_id: int, to: str) -> str:
    return f"Đã hủy thư trả lời số {reply_id} tới {to}."


NONE_HELD = "Không có thư trả lời nào đang giữ lại."
