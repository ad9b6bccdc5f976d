"""The staff digest: every section present, worded when empty, escaped in HTML."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from email import message_from_bytes, policy

import pytest

from thidua.notifier.digest import digest_html, digest_text, render_digest
from thidua.notifier.views import (
    DigestSubmission,
    DigestView,
    FailedReply,
    HeldReply,
    ReviewItem,
    SilentSchool,
)

VN = timezone(timedelta(hours=7))
# 20:00 UTC on 13/03 is already 14/03 in Hà Nội: the subject must use the office's date.
GENERATED = datetime(2018, 3, 13, 20, 0, tzinfo=UTC)
SECTIONS = (
    "SỐ HỒ SƠ THEO TÌNH TRẠNG",
    "1. HỒ SƠ MỚI NHẬN",
    "2. HỒ SƠ GỬI SAU HẠN",
    "3. HỒ SƠ CHỜ TRƯỜNG BỔ SUNG, CHỈNH SỬA",
    "4. TRƯỜNG CHƯA GỬI HỒ SƠ",
    "5. THƯ KHÔNG ĐƯỢC TIẾP NHẬN",
    "6. THƯ CẦN CÁN BỘ XEM XÉT",
    "7. THƯ TRẢ LỜI CHƯA GỬI ĐƯỢC",
    "8. THƯ TRẢ LỜI ĐANG GIỮ LẠI",
    "9. HỒ SƠ ĐÃ TIẾP NHẬN, CHỜ BẢN IN CÓ DẤU",
)


def submission(
    receipt,
    status,
    *,
    school="Trường THCS An Bình",
    sender="c2anbinh@example.vn",
    codes=(),
    late=False,
    version=1,
):
    received = datetime(2018, 3, 13, 2, 12, tzinfo=UTC)
    return DigestSubmission(receipt, version, school, sender, status, received, "q1-2018", codes, late)


@pytest.fixture
def full_view():
    correction = submission(
        "HS-2018-0003", "needs_correction", codes=("missing_evidence", "late"), late=True, version=2
    )
    accepted = submission(
        "HS-2018-0005", "accepted", school="Trường TH Phong Hiền", sender="thphonghien@example.vn"
    )
    stranger = submission(
        "HS-2018-0004",
        "rejected",
        school="",
        sender="la.mat@gmail.example",
        codes=("unknown_sender", "no_attachment"),
    )
    return DigestView(
        office_name="Phòng GD&ĐT huyện Phong Điền",
        generated_at=GENERATED,
        since=GENERATED - timedelta(days=1),
        timezone="Asia/Ho_Chi_Minh",
        counts={"accepted": 7, "needs_correction": 2, "rejected": 1, "superseded": 3},
        new=(correction, accepted, stranger),
        late=(correction,),
        outstanding=(correction,),
        silent_schools=(
            SilentSchool(
                "Trường MN Phong Thu", "Quý I năm 2018", datetime(2018, 3, 15, 23, 59, tzinfo=VN), 1
            ),
            SilentSchool(
                "Trường TH Điền Hòa", "Quý I năm 2018", datetime(2018, 3, 10, 23, 59, tzinfo=VN), -4
            ),
        ),
        rejected=(stranger,),
        review=(
            ReviewItem("Hồ sơ <b>gấp</b>", "thcs.x@example.vn", "failed 3 times: ValueError", GENERATED),
        ),
        failed_replies=(
            FailedReply(
                "sai.dia.chi@example.vn", "[HS-2018-0002] Đã tiếp nhận hồ sơ", "550 5.1.1 user unknown"
            ),
        ),
        awaiting_signed_copy=(accepted,),
        held_replies=(
            HeldReply(
                41,
                "vang.mat@example.vn",
                "[HS-2018-0009] Đề nghị bổ sung <hồ sơ>",
                "quá giới hạn 10 thư trả lời trong 24 giờ cho địa chỉ này (thư không kèm tài liệu)",
                GENERATED - timedelta(hours=3),
            ),
        ),
    )


def section(text, title):
    """The lines of one section, up to the next blank-line-separated heading."""
    start = text.index(title)
    rest = text[start:]
    following = [rest.find(t) for t in SECTIONS if t != title and rest.find(t) > 0]
    return rest[: min(following)] if following else rest


def test_digest_text_has_every_section_with_its_items(full_view):
    text = digest_text(full_view)
    assert text.index(SECTIONS[0]) < text.index(SECTIONS[1]) < text.index(SECTIONS[7])
    assert "14/03/2018 03:00" in text  # generated_at in the office's zone
    counts = section(text, SECTIONS[0])
    assert "(tổng 13)" in counts
    for line in (
        "Đã tiếp nhận: 7",
        "Cần bổ sung, chỉnh sửa: 2",
        "Không tiếp nhận: 1",
        "Đã có bản gửi thay thế: 3",
    ):
        assert line in counts
    new = section(text, SECTIONS[1])
    assert "(3)" in new and all(code in new for code in ("HS-2018-0003", "HS-2018-0004", "HS-2018-0005"))
    assert "lần 2" in new and "13/03/2018 09:12" in new
    late = section(text, SECTIONS[2])
    assert "HS-2018-0003" in late and "HS-2018-0005" not in late
    outstanding = section(text, SECTIONS[3])
    assert "HS-2018-0003" in outstanding and "Thiếu minh chứng" in outstanding
    silent = section(text, SECTIONS[4])
    assert "Trường MN Phong Thu" in silent and "còn 1 ngày" in silent and "15/03/2018 23:59" in silent
    assert "Trường TH Điền Hòa" in silent and "đã quá hạn 4 ngày" in silent
    rejected = section(text, SECTIONS[5])
    assert "la.mat@gmail.example" in rejected and "Địa chỉ gửi chưa đăng ký" in rejected
    assert "Không có tệp hồ sơ" not in rejected  # the reason is the sender, not the other problems
    review = section(text, SECTIONS[6])
    assert "Hồ sơ <b>gấp</b>" in review and "thcs.x@example.vn" in review and "failed 3 times" in review
    failed = section(text, SECTIONS[7])
    assert "sai.dia.chi@example.vn" in failed and "550 5.1.1 user unknown" in failed
    held = section(text, SECTIONS[8])
    assert "(1)" in held and "Số 41" in held and "vang.mat@example.vn" in held and "14/03/2018 00:00" in held
    assert "thư không kèm tài liệu" in held and "thidua replies send SỐ" in held
    waiting = section(text, SECTIONS[9])
    assert "HS-2018-0005" in waiting and "Trường TH Phong Hiền" in waiting and "thidua signed-copy" in waiting
    assert "Không có." not in text


def test_empty_digest_words_every_section():
    text = digest_text(DigestView("Phòng GD&ĐT huyện Phong Điền", GENERATED, None))
    for title in SECTIONS:
        assert "Không có." in section(text, title), title
    assert text.count("Không có.") == len(SECTIONS)
    assert "từ trước đến 14/03/2018 03:00" in text


def test_digest_mail(full_view):
    message = render_digest(
        full_view,
        to=["chuyenvien@pgd.example.vn", "truongphong@pgd.example.vn"],
        from_address="thidua@pgd.example.vn",
    )
    parsed = message_from_bytes(message.as_bytes(policy=policy.SMTP), policy=policy.default)
    assert parsed["Subject"] == "Tổng hợp hồ sơ thi đua ngày 14/03/2018"
    assert [a.addr_spec for a in parsed["To"].addresses] == [
        "chuyenvien@pgd.example.vn",
        "truongphong@pgd.example.vn",
    ]
    assert parsed["From"].addresses[0].addr_spec == "thidua@pgd.example.vn"
    assert parsed["Message-ID"].endswith("@pgd.example.vn>")
    assert parsed["Auto-Submitted"] == "auto-generated"
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    html = parsed.get_body(preferencelist=("html",)).get_content()
    assert text.replace("\r\n", "\n") == digest_text(full_view)
    for title in (
        "Hồ sơ mới nhận (3)",
        "Trường chưa gửi hồ sơ (2)",
        "Thư cần cán bộ xem xét (1)",
        "Thư trả lời chưa gửi được (1)",
        "Thư trả lời đang giữ lại: quá giới hạn trong ngày (1)",
    ):
        assert title in html
    assert "<b>gấp</b>" not in html and "&lt;b&gt;gấp&lt;/b&gt;" in html
    assert "<hồ sơ>" not in html and "&lt;hồ sơ&gt;" in html
    assert "la.mat@gmail.example" in html and "Địa chỉ gửi chưa đăng ký" in html


def test_digest_needs_recipients(full_view):
    with pytest.raises(ValueError):
        render_digest(full_view, to=[], from_address="thidua@pgd.example.vn")


def test_with_the_desk_url_each_submission_links_to_its_page(full_view):
    from dataclasses import replace

    view = replace(full_view, desk_url="https://thidua.pgd.example.vn/")
    text, html = digest_text(view), digest_html(view)
    assert "Xem trên bàn làm việc: https://thidua.pgd.example.vn/submissions/HS-2018-0003" in text
    assert (
        '<a href="https://thidua.pgd.example.vn/submissions/HS-2018-0005"><strong>HS-2018-0005</strong></a>'
        in html
    )
    assert "bàn làm việc" not in digest_text(full_view) and "/submissions/" not in digest_html(full_view)
