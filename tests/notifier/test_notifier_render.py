"""Replies to schools: headers, threading, the three kinds of body, escaping and NFC."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime

import pytest

from thidua.notifier.render import render_reply, reply_subject
from thidua.notifier.views import ReplyNominee, ReplyProblem

PARENT = "<CAF1x2y3@mail.example.vn>"
NOW = datetime(2018, 3, 14, 3, 0, tzinfo=UTC)
CORRECTION_PROBLEMS = (
    ReplyProblem(
        "missing_field",
        "error",
        "registrations[1].objectives",
        "7. Mục tiêu của giải pháp:",
        "Đề nghị ghi rõ giải pháp nhằm đạt mục tiêu gì.",
    ),
    ReplyProblem(
        "missing_evidence",
        "error",
        "nominees[2].evidence",
        "Minh chứng kèm theo",
        "Đề nghị gửi kèm tệp «Giấy khen Lê Văn Cường.pdf» đã ghi trong danh sách.",
    ),
    ReplyProblem(
        "not_quantified",
        "warning",
        "nominees[1].achievements",
        "Thành tích",
        "Nên nêu thành tích bằng số liệu cụ thể.",
    ),
)


def reply(
    view, *, to="c2anbinh@example.vn", in_reply_to=PARENT, references=("<root@mail.example.vn>",), **kw
):
    kw.setdefault("now", NOW)
    return render_reply(view, to=to, in_reply_to=in_reply_to, references=references, **kw)


def reparse(message):
    """What the receiving side sees: the message as sent over SMTP, parsed again."""
    return message_from_bytes(message.as_bytes(policy=policy.SMTP), policy=policy.default)


def bodies(message):
    parsed = reparse(message)
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    html = parsed.get_body(preferencelist=("html",)).get_content()
    return text, html


# -- headers ----------------------------------------------------------------------------------


def test_reply_is_threaded_and_marked_automatic(make_view):
    parsed = reparse(reply(make_view()))
    assert parsed["From"].addresses[0].addr_spec == "thidua@pgd.example.vn"
    assert parsed["From"].addresses[0].display_name == "Phòng GD&ĐT huyện Phong Điền"
    assert [a.addr_spec for a in parsed["To"].addresses] == ["c2anbinh@example.vn"]
    assert parsed["In-Reply-To"] == PARENT
    assert parsed["References"].split() == ["<root@mail.example.vn>", PARENT]
    assert parsed["Message-ID"].endswith("@pgd.example.vn>")
    assert parsed["Auto-Submitted"] == "auto-replied"
    assert parsed["X-Auto-Response-Suppress"] == "All"
    assert parsed["Precedence"] is None
    assert parsed.get_content_type() == "multipart/alternative"
    parts = [(p.get_content_type(), p.get_content_charset()) for p in parsed.iter_parts()]
    assert parts == [("text/plain", "utf-8"), ("text/html", "utf-8")]


def test_date_is_now_in_the_office_zone(make_view):
    date = parsedate_to_datetime(str(reparse(reply(make_view()))["Date"]))
    assert date == NOW
    assert date.utcoffset() == timedelta(hours=7)


def test_references_do_not_repeat_the_parent_and_keep_only_message_ids(make_view):
    parsed = reparse(reply(make_view(), references=("<root@x>", "junk <mid@x>", PARENT)))
    assert parsed["References"].split() == ["<root@x>", "<mid@x>", PARENT]


def test_mail_without_message_id_gets_no_in_reply_to(make_view):
    parsed = reparse(reply(make_view(), in_reply_to="", references=()))
    assert parsed["In-Reply-To"] is None
    assert parsed["References"] is None


def test_given_message_id_is_used_and_a_bad_one_refused(make_view):
    assert reply(make_view(), message_id="<fixed@pgd.example.vn>")["Message-ID"] == "<fixed@pgd.example.vn>"
    with pytest.raises(ValueError):
        reply(make_view(), message_id="not an id")


def test_message_ids_are_unique(make_view):
    assert reply(make_view())["Message-ID"] != reply(make_view())["Message-ID"]


@pytest.mark.parametrize(
    ("status", "summary"),
    [
        ("accepted", "Đã tiếp nhận hồ sơ"),
        ("needs_correction", "Đề nghị bổ sung, chỉnh sửa hồ sơ"),
        ("rejected", "Hồ sơ không được tiếp nhận"),
    ],
)
def test_subject_carries_code_summary_and_original_subject(make_view, status, summary):
    parsed = reparse(reply(make_view(status=status, problems=CORRECTION_PROBLEMS[:1])))
    assert parsed["Subject"] == f"[HS-2018-0003] {summary}: Danh sách đề nghị khen thưởng quý I"


def test_subject_of_a_resubmission_does_not_grow(make_view):
    view = make_view(
        mail_subject="Re: TL: RE[2]: [HS-2018-0003] Đề nghị bổ sung, chỉnh sửa hồ sơ: Danh sách quý I"
    )
    subject = reply_subject(view)
    assert subject == "[HS-2018-0003] Đã tiếp nhận hồ sơ: Danh sách quý I"
    assert "Re:" not in subject and subject.count("HS-2018-0003") == 1


def test_long_subject_is_shortened_at_a_word(make_view):
    words = "Danh sách đề nghị khen thưởng tập thể cá nhân tiêu biểu xuất sắc trong phong trào thi đua đổi mới sáng tạo"
    subject = reply_subject(make_view(mail_subject=words))
    original = subject.split(": ", 1)[1]
    assert original.endswith("…") and len(original) <= 70
    assert words.startswith(original[:-1])


def test_empty_subject_leaves_only_code_and_summary(make_view):
    assert reply_subject(make_view(mail_subject="  Re:  ")) == "[HS-2018-0003] Đã tiếp nhận hồ sơ"


def test_no_header_injection_from_strangers_text(make_view):
    view = make_view(mail_subject="Danh sách\r\nBcc: x@y", office_name="Phòng GD&ĐT\nBcc: z@y")
    message = reply(view, in_reply_to=PARENT + "\r\nBcc: q@y", references=("<a@x>\r\nCc: c@y",))
    raw = message.as_bytes(policy=policy.SMTP)
    parsed = reparse(message)
    assert parsed["Bcc"] is None and parsed["Cc"] is None
    assert b"\r\nBcc:" not in raw and b"\r\nCc:" not in raw
    assert "\r" not in parsed["Subject"] and "\n" not in parsed["Subject"]
    assert parsed["Subject"] == "[HS-2018-0003] Đã tiếp nhận hồ sơ: Danh sách Bcc: x@y"
    assert parsed["In-Reply-To"] == PARENT


def test_invalid_recipient_leaves_no_to_header(make_view):
    for bad in ("", "a@x.vn, b@y.vn", "a@x.vn\r\nBcc: c@y.vn"):
        message = reply(make_view(), to=bad)
        assert message["To"] is None
        assert reparse(message)["Bcc"] is None


# -- bodies -----------------------------------------------------------------------------------


def test_receipt_lists_what_was_received(make_view):
    view = make_view(
        version=2, problems=(ReplyProblem("late", "warning", "", "", "Hồ sơ gửi sau hạn của đợt."),)
    )
    for body in bodies(reply(view)):
        assert "Trường THCS An Bình" in body
        assert "HS-2018-0003" in body and "lần gửi thứ 2" in body
        assert "14/03/2018 09:12" in body  # 02:12 UTC, shown in the office's time zone
        assert "Quý I năm 2018" in body
        for name, kind in (
            ("Danh sách đề nghị.xlsx", "Danh sách đề nghị khen thưởng"),
            ("Đăng ký ĐMST.docx", "Đăng ký thực hiện đổi mới sáng tạo"),
            ("Giấy khen Tổ Toán.pdf", "Minh chứng"),
        ):
            assert name in body and kind in body
        assert "2 tập thể/cá nhân được đề nghị" in body
        assert "Nguyễn Thị Hoa" in body
        assert "Tổ Toán - Tin" in body and "Tập thể" in body
        assert "Lê Văn Cường" in body and "Giáo viên" in body
        assert "Hồ sơ gửi sau hạn của đợt." in body  # the warning, as a note
        assert "cần bổ sung, chỉnh sửa (" not in body.lower()
        assert "Thư này được gửi tự động; thầy/cô chỉ cần trả lời thư này khi gửi bổ sung." in body
        assert "Phòng GD&ĐT huyện Phong Điền" in body.replace("&amp;", "&")
    text, _ = bodies(reply(view))
    assert "Đã tiếp nhận" in text and "LƯU Ý" in text


def test_correction_quotes_the_schools_label_and_the_deadline(make_view):
    view = make_view(status="needs_correction", problems=CORRECTION_PROBLEMS)
    text, html = bodies(reply(view))
    for body in (text, html):
        # the school's own wording, without its numbering and colon
        assert "Mục «Mục tiêu của giải pháp» còn để trống" in body
        assert "Đề nghị ghi rõ giải pháp nhằm đạt mục tiêu gì." in body
        assert "Cột «Minh chứng kèm theo» của Lê Văn Cường (STT 2)" in body
        assert "15/03/2018 23:59" in body
        assert "[HS-2018-0003]" in body and "trả lời thư này" in body
        assert "Nên nêu thành tích bằng số liệu cụ thể." in body  # the warning still shown
    assert "1. Mục «Mục tiêu của giải pháp»" in text
    assert "2. Cột «Minh chứng kèm theo»" in text
    assert "NỘI DUNG CẦN BỔ SUNG, CHỈNH SỬA (2)" in text
    assert "Hạn này đã qua" not in text


def test_correction_uses_the_form_label_when_the_school_wrote_none(make_view):
    problem = ReplyProblem("missing_field", "error", "trial_steps", "", "")
    text, _ = bodies(reply(make_view(status="needs_correction", problems=(problem,))))
    assert "Mục «Các bước tiến hành thử nghiệm đổi mới» còn để trống" in text
    assert "Đề nghị điền đầy đủ nội dung mục này" in text  # default advice when the check gave none


def test_correction_after_the_deadline_says_so(make_view):
    view = make_view(status="needs_correction", problems=CORRECTION_PROBLEMS)
    text, html = bodies(reply(view, now=datetime(2018, 3, 20, tzinfo=UTC)))
    assert "Hạn này đã qua" in text and "Hạn này đã qua" in html


def test_correction_without_a_round_asks_for_it_soon(make_view):
    view = make_view(status="needs_correction", problems=CORRECTION_PROBLEMS, deadline=None, round_label="")
    text, _ = bodies(reply(view))
    assert "sớm nhất có thể" in text and "Hạn gửi hồ sơ" not in text


def test_rejection_explains_and_files_nothing(make_view):
    view = make_view(
        status="rejected",
        school="",
        problems=(ReplyProblem("unknown_sender", "error", "sender", "", "Địa chỉ chưa đăng ký."),),
    )
    for body in bodies(reply(view, to="la@gmail.example")):
        assert "HS-2018-0003" in body
        assert "c2anbinh@example.vn" in body
        assert "chưa có trong danh sách địa chỉ thư" in body
        assert "liên hệ" in body
        for detail in ("Danh sách đề nghị.xlsx", "Lê Văn Cường", "Nguyễn Thị Hoa", "14/03/2018", "Quý I"):
            assert detail not in body


def test_school_text_is_escaped_in_html(make_view):
    view = make_view(
        status="needs_correction",
        nominees=(ReplyNominee(1, "<script>alert(1)</script>", "teacher"),),
        problems=(
            ReplyProblem(
                "missing_evidence",
                "error",
                "nominees[1].evidence",
                "<b>Minh chứng</b>",
                "Thiếu tệp <img src=x onerror=alert(1)>",
            ),
        ),
        documents=(),
        school='Trường "A" & <i>B</i>',
    )
    text, html = bodies(reply(view))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "&lt;img src=x" in html
    assert "<b>Minh chứng</b>" not in html and "<i>B</i>" not in html
    assert "<script>alert(1)</script>" in text  # plain text shows the name as written


def test_output_is_nfc_whatever_the_input(make_view):
    nfd = lambda s: unicodedata.normalize("NFD", s)
    view = make_view(
        school=nfd("Trường Tiểu học Phong Hiền"),
        mail_subject=nfd("Hồ sơ thi đua"),
        nominees=(ReplyNominee(1, nfd("Nguyễn Thị Hường"), "teacher"),),
        status="needs_correction",
        problems=(ReplyProblem("missing_field", "error", "objectives", "", nfd("Đề nghị ghi rõ mục tiêu.")),),
    )
    message = reply(view)
    text, html = bodies(message)
    subject = str(reparse(message)["Subject"])
    for rendered in (text, html, subject):
        assert unicodedata.is_normalized("NFC", rendered)
    assert "Trường Tiểu học Phong Hiền" in text and "Nguyễn Thị Hường" in html
    assert "Đề nghị ghi rõ mục tiêu." in text and "Đề nghị ghi rõ mục tiêu." in html
    assert subject.endswith(": Hồ sơ thi đua")


def test_naive_times_are_taken_as_utc(make_view):
    text, _ = bodies(reply(make_view(received_at=datetime(2018, 3, 14, 2, 12))))
    assert "14/03/2018 09:12" in text


def test_header_values_copied_from_strangers_never_break_rendering(make_view):
    view = make_view(mail_subject="\x00\x1b[31m\u202eRe: hồ sơ\t\t", school="A\r\nB")
    message = reply(view)
    assert reparse(message)["Subject"] == "[HS-2018-0003] Đã tiếp nhận hồ sơ: [31m Re: hồ sơ"
    text, _ = bodies(message)
    assert "Kính gửi: A B," in text


def test_long_vietnamese_subject_keeps_every_space_through_folding(view_factory=None):
    from email import message_from_bytes, policy
    from email.message import EmailMessage

    from thidua.notifier.headers import set_text_header

    subject = "[HS-2018-0001] Đề nghị bổ sung, chỉnh sửa hồ sơ: Gửi danh sách điển hình tiên tiến quý I năm học 2017-2018"
    message = EmailMessage(policy=policy.SMTP)
    set_text_header(message, "Subject", subject)
    message.set_content("x")
    assert max(len(line) for line in bytes(message).split(b"\r\n")) <= 78
    assert message_from_bytes(bytes(message), policy=policy.default)["Subject"] == subject


# -- the stored bytes -------------------------------------------------------------------------


def rendered(
    view, *, to="c2anbinh@example.vn", in_reply_to=PARENT, references=("<root@mail.example.vn>",), **kw
):
    from thidua.notifier.render import render_reply_bytes

    kw.setdefault("now", NOW)
    return render_reply_bytes(view, to=to, in_reply_to=in_reply_to, references=references, **kw)


def header_block(data: bytes) -> str:
    return data.split(b"\r\n\r\n", 1)[0].decode("ascii")


def rfc2047_text(raw_value: str) -> str:
    """What a mail client shows: RFC 2047 decoding, where the space between two encoded
    words is dropped and every space inside them kept."""
    from email.header import decode_header, make_header

    return str(make_header(decode_header(raw_value)))


def test_stored_bytes_parse_back_to_the_same_reply(make_view):
    view = make_view(status="needs_correction", problems=CORRECTION_PROBLEMS)
    result = rendered(view)
    parsed = message_from_bytes(result.data, policy=policy.default)
    assert parsed["Subject"] == result.subject == reply_subject(view)
    assert parsed["Message-ID"] == result.message_id
    assert result.message_id.endswith("@pgd.example.vn>")
    assert parsed["From"].addresses[0].display_name == "Phòng GD&ĐT huyện Phong Điền"
    assert parsed["From"].addresses[0].addr_spec == "thidua@pgd.example.vn"
    assert [a.addr_spec for a in parsed["To"].addresses] == ["c2anbinh@example.vn"]
    assert parsed["In-Reply-To"] == PARENT
    assert parsed["References"].split() == ["<root@mail.example.vn>", PARENT]
    assert parsed["Content-Language"] == "vi"
    assert parsed["Auto-Submitted"] == "auto-replied"
    assert parsed["X-Auto-Response-Suppress"] == "All"
    assert parsed["MIME-Version"] == "1.0"
    assert parsed.get_content_type() == "multipart/alternative"
    parts = list(parsed.iter_parts())
    assert [
        (p.get_content_type(), p.get_content_charset(), p["Content-Transfer-Encoding"]) for p in parts
    ] == [("text/plain", "utf-8", "base64"), ("text/html", "utf-8", "base64")]
    assert all(p["MIME-Version"] is None for p in parts)
    text, html = (p.get_content() for p in parts)
    assert "1. Mục «Mục tiêu của giải pháp» còn để trống" in text
    assert "Cột «Minh chứng kèm theo» của Lê Văn Cường (STT 2)" in html


def test_stored_bytes_are_what_render_reply_gives(make_view):
    view = make_view(status="needs_correction", problems=CORRECTION_PROBLEMS)
    result = rendered(view, message_id="<fixed@pgd.example.vn>")
    message = reply(view, message_id="<fixed@pgd.example.vn>")
    stored = message_from_bytes(result.data, policy=policy.default)
    for name in ("From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References"):
        assert str(message[name]) == str(stored[name])
    assert bodies(message) == (
        stored.get_body(("plain",)).get_content(),
        stored.get_body(("html",)).get_content(),
    )


def test_stored_bytes_are_seven_bit_crlf_with_short_lines(make_view):
    view = make_view(
        office_name="Phòng Giáo dục và Đào tạo huyện Phong Điền, tỉnh Thừa Thiên Huế",
        mail_subject="Gửi danh sách điển hình tiên tiến quý I năm học 2017-2018 của trường THCS An Bình",
        status="needs_correction",
        problems=CORRECTION_PROBLEMS,
    )
    data = rendered(view, references=tuple(f"<id{i}.{'x' * 40}@mail.example.vn>" for i in range(30))).data
    assert data.isascii()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 78


def test_long_vietnamese_subject_and_office_name_decode_exactly(make_view):
    # Python 3.11's own folder wrote this name so that clients showed "thị xãHương Trà".
    office = "Phòng Giáo dục và Đào tạo thị xã Hương Trà, tỉnh Thừa Thiên Huế"
    view = make_view(
        office_name=office,
        mail_subject=("Gửi danh sách điển hình tiên tiến quý I năm học 2017-2018 của trường THCS An Bình"),
    )
    result = rendered(view)
    assert result.subject.startswith("[HS-2018-0003] Đã tiếp nhận hồ sơ: Gửi danh sách điển hình tiên tiến")
    assert message_from_bytes(result.data, policy=policy.default)["Subject"] == result.subject
    raw = message_from_bytes(result.data)  # compat32: the header values as written
    assert len(raw["Subject"].splitlines()) > 1 and len(raw["From"].splitlines()) > 1  # really folded
    assert rfc2047_text(raw["Subject"]) == result.subject
    assert rfc2047_text(raw["From"]) == f"{office} <thidua@pgd.example.vn>"
    for line in header_block(result.data).splitlines():
        for word in re.findall(r"=\?[^?]+\?[bBqQ]\?[^?]*\?=", line):
            assert len(word) <= 75  # RFC 2047's limit for one encoded word


def test_ascii_office_name_is_quoted_when_it_needs_to_be(make_view):
    result = rendered(make_view(office_name='PGD "Phong Dien", Hue'))
    assert 'From: "PGD \\"Phong Dien\\", Hue" <thidua@pgd.example.vn>' in header_block(result.data)
    parsed = message_from_bytes(result.data, policy=policy.default)
    assert parsed["From"].addresses[0].display_name == 'PGD "Phong Dien", Hue'


def test_long_references_chain_is_trimmed_and_folded_between_ids(make_view):
    ids = [f"<id{i}.{'x' * 40}@mail.example.vn>" for i in range(30)]
    result = rendered(make_view(), references=tuple(ids))
    raw_references = message_from_bytes(result.data)["References"]
    assert len(raw_references.splitlines()) > 5
    expected = [ids[0], *ids[-18:], PARENT]  # the root and the newest ids: 20 in all
    assert raw_references.split() == expected
    assert message_from_bytes(result.data, policy=policy.default)["References"].split() == expected


def test_an_id_too_long_for_a_header_line_is_dropped(make_view):
    huge = "<" + "a" * 1200 + "@mail.example.vn>"
    result = rendered(make_view(), in_reply_to=huge, references=("<root@x>", huge))
    parsed = message_from_bytes(result.data, policy=policy.default)
    assert parsed["In-Reply-To"] is None
    assert parsed["References"] == "<root@x>"
    assert max(len(line) for line in result.data.split(b"\r\n")) <= 78


def test_nfd_input_comes_out_nfc(make_view):
    nfd = lambda s: unicodedata.normalize("NFD", s)
    view = make_view(office_name=nfd("Phòng GD&ĐT huyện Phong Điền"), mail_subject=nfd("Hồ sơ thi đua quý I"))
    result = rendered(view)
    assert result.subject == "[HS-2018-0003] Đã tiếp nhận hồ sơ: Hồ sơ thi đua quý I"
    parsed = message_from_bytes(result.data, policy=policy.default)
    assert parsed["Subject"] == result.subject
    assert parsed["From"].addresses[0].display_name == "Phòng GD&ĐT huyện Phong Điền"


def test_line_breaks_in_strangers_text_never_reach_the_stored_headers(make_view):
    view = make_view(mail_subject="Danh sách\r\nBcc: x@y\u2028Cc: z@y", office_name="Phòng\nBcc: z@y")
    result = rendered(
        view,
        to="a@x.vn\r\nBcc: c@y.vn",
        in_reply_to=PARENT + "\r\nBcc: q@y",
        references=("<a@x>\r\nCc: c@y",),
    )
    names = [
        line.split(":", 1)[0] for line in header_block(result.data).split("\r\n") if not line[:1].isspace()
    ]
    assert "Bcc" not in names and "Cc" not in names and "To" not in names
    assert result.subject == "[HS-2018-0003] Đã tiếp nhận hồ sơ: Danh sách Bcc: x@y Cc: z@y"


def test_the_outbox_sends_the_stored_bytes_without_refolding(make_view):
    from email.parser import BytesParser

    view = make_view(
        office_name="Phòng Giáo dục và Đào tạo huyện Phong Điền, tỉnh Thừa Thiên Huế",
        status="needs_correction",
        problems=CORRECTION_PROBLEMS,
    )
    data = rendered(view, references=tuple(f"<id{i}@mail.example.vn>" for i in range(12))).data
    headers_only = BytesParser(policy=policy.SMTP).parsebytes(data, headersonly=True)
    assert headers_only.as_bytes(policy=policy.SMTP) == data


def test_a_non_ascii_recipient_keeps_the_form_the_smtp_sender_reads(make_view):
    from thidua.notifier.smtp import envelope_recipients

    data = rendered(make_view(), to="trường@example.vn").data
    assert envelope_recipients(message_from_bytes(data, policy=policy.SMTP)) == ["trường@example.vn"]


def test_one_line_blanks_format_characters_and_folds_unusual_spaces():
    from thidua.notifier.headers import header_safe

    assert header_safe("Hồ\u200bsơ\u00a0thi\u2003đua\u202e") == "Hồ sơ thi đua"
    assert header_safe(" Hồ  sơ ") == "Hồ sơ"
    assert header_safe(unicodedata.normalize("NFD", "Hồ sơ")) == "Hồ sơ"
