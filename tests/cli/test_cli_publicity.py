"""Articles and photos for the office's website (`publicity`), through `thidua run --once`: taken
with a receipt that says what came, their photos are not evidence, and nothing is asked again as
a Word form."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.support.builders import Title, make_docx, make_eml
from tests.support.clitools import ok, plain_text
from tests.support.mails import list_with_evidence
from tests.support.office import OFFICE
from tests.support.scan_builders import event_photo

VN = timezone(timedelta(hours=7))
IN_Q1 = datetime(2018, 3, 2, 9, 0, tzinfo=VN)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JPEG = "image/jpeg"


def article(title: str = "TRƯỜNG THCS AN BÌNH TỔ CHỨC HỘI GIẢNG CHÀO MỪNG NGÀY 8/3") -> bytes:
    return make_docx(
        [
            Title(title),
            "Sáng ngày 6/3/2018, Trường THCS An Bình tổ chức hội giảng với 12 tiết dạy.",
            "Các tiết dạy ứng dụng công nghệ thông tin, học sinh hào hứng tham gia.",
        ]
    )


def photos(count: int) -> list:
    return [(f"IMG_20180306_{i}.jpg", event_photo(i), JPEG) for i in range(count)]


def test_an_article_and_its_photos_are_accepted_with_a_receipt_that_says_what_came(registered):
    mail = make_eml(
        sender="c2anbinh@example.vn",
        to=OFFICE,
        subject="Gửi bài viết, hình ảnh minh họa quý I",
        body="Kính gửi Phòng, trường gửi bài viết và hình ảnh hoạt động hội giảng.",
        attachments=[("Bai viet hoi giang.docx", article(), DOCX), *photos(2)],
    )
    registered.deliver(mail, IN_Q1)
    ok(registered.thidua("run", "--once"))
    [submission] = registered.submissions()
    assert submission["status"] == "accepted"
    assert submission["problems"] == []
    assert [d["kind"] for d in submission["documents"]] == ["publicity"] * 3
    [reply] = registered.replies()
    text = plain_text(reply)
    assert (
        "Đã nhận 1 bài viết và 2 ảnh minh họa để tuyên truyền trên trang thông tin của cơ quan. Ảnh gửi kèm bài "
        "viết là ảnh minh họa, không tính là minh chứng; nhà trường không cần gửi lại theo mẫu."
    ) in text
    assert "1. Bai viet hoi giang.docx: Bài viết, hình ảnh tuyên truyền (bài viết)" in text
    assert "2. IMG_20180306_0.jpg: Bài viết, hình ảnh tuyên truyền (ảnh minh họa)" in text
    assert "Mẫu" not in text and "Word (.docx)" not in text


def test_photos_alone_for_the_website_are_accepted(registered):
    mail = make_eml(
        sender="c2anbinh@example.vn",
        to=OFFICE,
        subject="Hình ảnh tuyên truyền hoạt động tháng 3",
        attachments=photos(3),
    )
    registered.deliver(mail, IN_Q1)
    ok(registered.thidua("run", "--once"))
    [submission] = registered.submissions()
    assert (submission["status"], submission["problems"]) == ("accepted", [])
    assert "Đã nhận 3 ảnh minh họa để tuyên truyền" in plain_text(registered.replies()[0])


def test_a_document_titled_as_an_article_is_one_whatever_the_subject(registered):
    mail = make_eml(
        sender="c2anbinh@example.vn",
        to=OFFICE,
        subject="Trường THCS An Bình gửi Phòng",
        attachments=[("tin.docx", article("BÀI VIẾT HỘI GIẢNG CHÀO MỪNG NGÀY 8/3"), DOCX), *photos(1)],
    )
    registered.deliver(mail, IN_Q1)
    ok(registered.thidua("run", "--once"))
    [submission] = registered.submissions()
    assert (submission["status"], [d["kind"] for d in submission["documents"]]) == (
        "accepted",
        ["publicity"] * 2,
    )


def test_photos_beside_a_list_stay_its_evidence_and_photos_alone_are_still_asked_about(registered):
    with_list = list_with_evidence(["Nguyễn Thị Hoa"], body="Trường gửi danh sách; bài viết sẽ gửi sau.")
    unexplained = make_eml(
        sender="c2anbinh@example.vn", to=OFFICE, subject="Hồ sơ thi đua quý I", attachments=photos(2)
    )
    registered.deliver(with_list, IN_Q1)
    registered.deliver(unexplained, IN_Q1 + timedelta(hours=1))
    ok(registered.thidua("run", "--once"))
    listed, photographed = sorted(registered.submissions(), key=lambda s: s["received_at"])
    assert [d["kind"] for d in listed["documents"]] == ["nomination_list", "evidence"]
    assert "publicity" not in [d["kind"] for d in photographed["documents"]]
    assert photographed["status"] == "needs_correction"
