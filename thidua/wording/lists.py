"""What a reply tells a school about where its list or registration went in its paperwork for
the round (SPEC: "One current list per school and round")."""

from __future__ import annotations

from collections.abc import Sequence


def _receipts(receipts: Sequence[str]) -> str:
    return ", ".join(receipts)


def replaces(receipt: str, version: int, others: Sequence[str] = ()) -> str:
    """A new version: which one it replaces."""
    text = (
        f"Bản gửi này (lần gửi thứ {version}) thay thế bản gửi lần thứ {version - 1} của hồ sơ {receipt}; "
        "bản trước không còn được dùng để xét."
    )
    if others:
        text += f" Bản gửi này cũng thay thế hồ sơ {_receipts(others)} đã gửi trước đó."
    return text


def adds_to(receipts: Sequence[str]) -> str:
    """An additional (bổ sung) list: it adds to the current list."""
    return (
        f"Danh sách này được ghi nhận là danh sách bổ sung, cộng thêm vào danh sách nhà trường đã gửi "
        f"cho đợt này (hồ sơ {_receipts(receipts)}). Người đã có trong danh sách trước chỉ được tính một lần, "
        "theo thông tin gửi sau cùng."
    )


AD_HOC = (
    "Danh sách này được ghi nhận là đề nghị khen thưởng đột xuất: không tính vào số lượng đề nghị "
    "của đợt và không áp dụng hạn gửi của đợt."
)
