"""What a reply tells a school that sent articles and photos for the office's website."""

from __future__ import annotations


def received(articles: int, photos: int) -> str:
    parts = []
    if articles:
        parts.append(f"{articles} bài viết")
    if photos:
        parts.append(f"{photos} ảnh minh họa")
    what = " và ".join(parts) or "bài viết"
    return (
        f"Đã nhận {what} để tuyên truyền trên trang thông tin của cơ quan. Ảnh gửi kèm bài viết là ảnh minh họa, "
        "không tính là minh chứng; nhà trường không cần gửi lại theo mẫu."
    )


ARTICLE = "bài viết"
PHOTO = "ảnh minh họa"
