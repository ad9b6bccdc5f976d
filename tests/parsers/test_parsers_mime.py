"""parse_mail(): every mail yields a ParsedMail; malformations land in ``defects``."""

from __future__ import annotations

import email
import os
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.support.builders import make_eml, make_xlsx
from thidua.parsers.html_text import html_to_text
from thidua.parsers.mail import Attachment, ParsedMail
from thidua.parsers.mime import parse_mail

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "mail"
NEEDS_CORPUS = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared/corpus is not beside the repository")
XLSX = make_xlsx({"Danh sách": [["STT", "Họ và tên"]]})
SCHOOL = "Trường THCS An Bình <C2AnBinh@Example.VN>"
OFFICE = "thidua@pgd.example.vn"


def _mail(**overrides) -> ParsedMail:
    arguments = {"sender": SCHOOL, "to": OFFICE, "subject": "Danh sách đề nghị khen thưởng quý I"} | overrides
    return parse_mail(make_eml(**arguments))


def test_headers_of_an_ordinary_submission():
    mail = _mail(
        body="Kính gửi Phòng GD&ĐT,\nTrường gửi danh sách.",
        message_id="<abc.123@example.vn>",
        in_reply_to="<r1@pgd.example.vn>",
        references=["<r0@pgd.example.vn>", "<r1@pgd.example.vn>"],
        to=[OFFICE, "Chuyên viên <CV@pgd.example.vn>"],
    )
    assert mail.subject == "Danh sách đề nghị khen thưởng quý I"
    assert (mail.from_address, mail.from_name, mail.from_count) == (
        "c2anbinh@example.vn",
        "Trường THCS An Bình",
        1,
    )
    assert mail.to == (OFFICE, "cv@pgd.example.vn")
    assert mail.message_id == "<abc.123@example.vn>"
    assert mail.in_reply_to == "<r1@pgd.example.vn>"
    assert mail.references == ("<r0@pgd.example.vn>", "<r1@pgd.example.vn>")
    assert mail.date_header == datetime(2024, 3, 14, 9, 12, tzinfo=timezone(timedelta(hours=7)))
    assert mail.text == "Kính gửi Phòng GD&ĐT,\nTrường gửi danh sách."
    assert (mail.return_path, mail.auto_submitted, mail.precedence, mail.list_id) == (None, "", "", "")
    assert mail.attachments == () and mail.defects == ()
    assert ("Subject", "Danh sách đề nghị khen thưởng quý I") in mail.headers
    assert [name for name, _ in mail.headers][:3] == ["From", "To", "Subject"]


def test_subject_in_nfd_and_raw_utf8_headers():
    nfd = unicodedata.normalize("NFD", "Báo cáo thi đua")
    assert _mail(subject=nfd).subject == "Báo cáo thi đua"
    raw = "From: a@example.vn\r\nSubject: Đăng ký đổi mới sáng tạo\r\n\r\nNội dung\r\n".encode()
    mail = parse_mail(raw)
    assert (mail.subject, mail.text) == ("Đăng ký đổi mới sáng tạo", "Nội dung")


@pytest.mark.parametrize("style", ["rfc2231", "rfc2047"])
def test_vietnamese_attachment_names(style):
    name = "Danh sách đề nghị khen thưởng tập thể, cá nhân tiêu biểu năm học 2023-2024.xlsx"
    raw = make_eml(
        sender=SCHOOL,
        to=OFFICE,
        subject="DS",
        filename_style=style,
        attachments=[(name, XLSX, "application/octet-stream")],
    )
    assert (b"filename*" in raw) == (style == "rfc2231")  # long names continue: filename*0*=…
    assert (b'filename="=?utf-8?' in raw) == (style == "rfc2047")
    (attachment,) = parse_mail(raw).attachments
    assert attachment == Attachment(filename=name, claimed_type="application/octet-stream", data=XLSX)


def test_nfd_attachment_name_becomes_nfc():
    nfd = unicodedata.normalize("NFD", "Giấy khen.pdf")
    (attachment,) = _mail(attachments=[(nfd, b"%PDF-1.4", "application/pdf")]).attachments
    assert attachment.filename == "Giấy khen.pdf"


def test_binary_attachment_bytes_are_exact():
    data = bytes(range(256)) * 64 + os.urandom(1000)
    (attachment,) = _mail(attachments=[("anh.jpg", data, "image/jpeg")]).attachments
    assert attachment.data == data and attachment.claimed_type == "image/jpeg"


def test_path_in_a_file_name_is_dropped():
    (attachment,) = _mail(
        attachments=[("C:\\Users\\GV\\Desktop\\Báo cáo.docx", b"PK", "application/msword")]
    ).attachments
    assert attachment.filename == "Báo cáo.docx"


def test_forwarded_mail_is_one_eml_attachment():
    inner = make_eml(
        sender="Giáo viên <gv@example.vn>",
        to="c2anbinh@example.vn",
        subject="Minh chứng của tôi",
        body="Em gửi minh chứng",
        attachments=[("Giấy khen.pdf", b"%PDF-1.4 gk", "application/pdf")],
    )
    mail = _mail(
        body="Chuyển tiếp",
        attachments=[
            ("Minh chứng.eml", inner, "message/rfc822"),
            ("DS.xlsx", XLSX, "application/octet-stream"),
        ],
    )
    assert [(a.filename, a.claimed_type) for a in mail.attachments] == [
        ("Minh chứng.eml", "message/rfc822"),
        ("DS.xlsx", "application/octet-stream"),
    ]
    assert mail.text == "Chuyển tiếp"  # the forwarded body is not mixed in
    forwarded = parse_mail(mail.attachments[0].data)
    assert forwarded.subject == "Minh chứng của tôi"
    assert [(a.filename, a.data) for a in forwarded.attachments] == [("Giấy khen.pdf", b"%PDF-1.4 gk")]


def test_forwarded_mail_without_a_name_is_named_after_its_subject():
    inner = make_eml(sender="gv@example.vn", to="x@example.vn", subject="Hồ sơ", body="x")
    raw = make_eml(sender=SCHOOL, to=OFFICE, subject="Fw", attachments=[("x.eml", inner, "message/rfc822")])
    raw = raw.replace(
        b'Content-Disposition: attachment; filename="x.eml"', b"Content-Disposition: attachment"
    )
    assert [a.filename for a in parse_mail(raw).attachments] == ["Hồ sơ.eml"]


def _related(image_headers: str) -> bytes:
    return (
        "From: a@example.vn\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; boundary="b"\r\n\r\n'
        '--b\r\nContent-Type: text/html; charset="utf-8"\r\n\r\n<p>Ảnh: <img src="cid:logo"></p>\r\n'
        f"--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n{image_headers}\r\n"
        "iVBORw0KGgo=\r\n--b--\r\n"
    ).encode()


def test_inline_images_count_only_with_a_content_id():
    mail = parse_mail(_related("Content-ID: <logo@school>\r\nContent-Disposition: inline\r\n"))
    assert [(a.filename, a.data) for a in mail.attachments] == [("logo.png", b"\x89PNG\r\n\x1a\n")]
    assert mail.text == "Ảnh:"
    assert parse_mail(_related("Content-Disposition: inline\r\n")).attachments == ()


def test_html_only_body():
    mail = _mail(
        body="",
        html="<html><head><style>p{}</style></head><body><p>Kính gửi&nbsp;Phòng</p>"
        "<div>Dòng 2<br>Dòng 3</div><script>x()</script></body></html>",
    )
    assert mail.text == "Kính gửi Phòng\n\nDòng 2\nDòng 3"
    assert html_to_text("<table><tr><td>STT</td><td>Họ tên</td></tr></table>") == "STT Họ tên"


def test_plain_text_wins_over_html():
    assert _mail(body="Văn bản", html="<p>HTML</p>").text == "Văn bản"


def test_several_from_addresses_are_no_sender():
    mail = _mail(sender="a@example.vn, b@example.vn")
    assert (mail.from_address, mail.from_count) == ("", 2)


def test_address_shaped_display_name_is_not_the_sender():
    mail = _mail(sender="thidua@pgd.example.vn <attacker@evil.example>")
    assert (mail.from_address, mail.from_name, mail.from_count) == (
        "attacker@evil.example",
        "thidua@pgd.example.vn",
        1,
    )


def test_missing_or_broken_from():
    raw = b"To: x@example.vn\r\nSubject: no sender\r\n\r\nbody"
    assert (parse_mail(raw).from_address, parse_mail(raw).from_count) == ("", 0)
    raw = b"From: not an address\r\nSubject: x\r\n\r\nbody"
    assert (parse_mail(raw).from_address, parse_mail(raw).from_count) == ("", 0)


def test_loop_prevention_headers():
    mail = _mail(
        headers=[
            ("Return-Path", "<>"),
            ("Auto-Submitted", "Auto-Replied"),
            ("Precedence", "Bulk"),
            ("List-Id", "Trường học <truong.example.vn>"),
            ("Authentication-Results", "mx.pgd.example.vn; dmarc=pass header.from=example.vn"),
            ("Authentication-Results", "mx.pgd.example.vn; spf=fail"),
        ]
    )
    assert mail.return_path == ""
    assert (mail.auto_submitted, mail.precedence) == ("auto-replied", "bulk")
    assert mail.list_id == "Trường học <truong.example.vn>"
    assert mail.authentication_results == (
        "mx.pgd.example.vn; dmarc=pass header.from=example.vn",
        "mx.pgd.example.vn; spf=fail",
    )
    assert _mail(headers={"Return-Path": "<Bounce@Example.VN>"}).return_path == "bounce@example.vn"


def test_message_id_without_brackets_gets_them():
    raw = b"From: a@example.vn\r\nMessage-ID: abc@example.vn\r\n\r\nx"
    assert parse_mail(raw).message_id == "<abc@example.vn>"
    assert parse_mail(b"From: a@example.vn\r\n\r\nx").message_id == ""


def test_legacy_text_without_charset():
    raw = b"From: a@example.vn\r\nSubject: x\r\nContent-Type: text/plain\r\n\r\n" + "Kính gửi".encode()
    assert parse_mail(raw).text == "Kính gửi"


def test_malformed_mails_never_raise():
    for raw in (
        b"",
        b"\x00\x01\x02",
        b"garbage without headers",
        b"From: a@example.vn\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\nno parts at all",
        b"Content-Type: multipart/mixed\r\n\r\n--\r\n--",
        b"Subject: =?utf-8?b?not base64!?=\r\nDate: 99 Foo 2024\r\n\r\n",
    ):
        mail = parse_mail(raw)
        assert isinstance(mail, ParsedMail)
    broken = parse_mail(
        b"From: a@example.vn\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\nno parts at all"
    )
    assert broken.defects and all(isinstance(defect, str) for defect in broken.defects)
    assert parse_mail(b"Subject: x\r\nDate: 99 Foo 2024\r\n\r\n").date_header is None


def test_deep_nesting_keeps_the_headers():
    depth = 3000
    raw = b"From: a@example.vn\r\nSubject: nested\r\n" + b"".join(
        b"Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n" % (i, i) for i in range(depth)
    )
    mail = parse_mail(raw)
    assert mail.subject == "nested" and mail.from_address == "a@example.vn"
    assert any("unparseable" in defect for defect in mail.defects)


def test_non_bytes_input_is_a_programming_error():
    with pytest.raises(TypeError):
        parse_mail("From: a@example.vn\r\n\r\n")  # type: ignore[arg-type]


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.eml")), ids=lambda path: path.name)
def test_every_corpus_mail_parses(path):
    mail = parse_mail(path.read_bytes())
    assert isinstance(mail, ParsedMail)
    assert all(isinstance(a.data, bytes) and a.filename for a in mail.attachments)
    assert unicodedata.is_normalized("NFC", mail.subject) and unicodedata.is_normalized("NFC", mail.text)


@NEEDS_CORPUS
def test_corpus_specifics():
    def read(name: str) -> ParsedMail:
        return parse_mail((CORPUS / name).read_bytes())

    # Raw UTF-8 in the file name parameters.
    assert [a.filename for a in read("mail_test_1.eml").attachments] == ["ФНС_РФ558.zip"]
    assert read("mail_test_1.eml").attachments[0].data.startswith(b"PK\x03\x04")
    # A display name that looks like an address.
    assert read("mail_test_19.eml").from_address == "bob@example.com"
    # Attachments stranded after a reused boundary are recovered.
    recovered = read("mail_malformed_1.eml")
    assert [a.filename for a in recovered.attachments] == ["20160523_916527.jpg_.zip"]
    assert recovered.attachments[0].data.startswith(b"PK\x03\x04")
    assert any("StartBoundaryNotFoundDefect" in defect for defect in recovered.defects)
    # An Outlook .msg where a MIME mail belongs is kept whole.
    outlook = read("mail_outlook_1.eml")
    assert [a.filename for a in outlook.attachments] == ["message.msg"] and outlook.defects
    # A PDF sent as application/octet-stream.
    bulletin = read("mail_test_2.eml")
    assert ("Bollettino.pdf", "application/octet-stream") in [
        (a.filename, a.claimed_type) for a in bulletin.attachments
    ]
    assert next(a for a in bulletin.attachments if a.filename == "Bollettino.pdf").data.startswith(b"%PDF")
    # Text mislabelled with another charset is read as the UTF-8 it is.
    assert read("mail_test_12.eml").text.startswith("你好")


def test_round_trip_through_the_stdlib_parser():
    raw = make_eml(
        sender=SCHOOL, to=OFFICE, subject="Thử", attachments=[("a.xlsx", XLSX, "application/octet-stream")]
    )
    assert email.message_from_bytes(raw).get_content_type() == "multipart/mixed"
