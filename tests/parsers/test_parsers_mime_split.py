"""The fast splitter builds exactly the standard parser's tree, or declines."""

from __future__ import annotations

import base64
import email
import quopri
from email.message import EmailMessage
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.builders import make_docx, make_eml, make_pdf, nomination_xlsx
from thidua.parsers.mime import parse_mail
from thidua.parsers.mime_split import split_message

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "mail"


def tree(message):
    payload = message.get_payload()
    parts = tuple(tree(part) for part in payload) if isinstance(payload, list) else payload
    return (
        message.get_unixfrom(),
        tuple(message.raw_items()),
        message.preamble,
        message.epilogue,
        [type(d).__name__ for d in message.defects],
        parts,
    )


def assert_same_tree(raw: bytes) -> bool:
    fast = split_message(raw)
    if fast is None:
        return False
    assert tree(fast) == tree(email.message_from_bytes(raw))
    return True


def test_a_typical_submission_is_split_fast_and_identically():
    raw = make_eml(
        sender="c2anbinh@example.vn",
        to="thidua@pgd.example.vn",
        subject="Hồ sơ thi đua",
        body="Kính gửi Phòng,\nTrường gửi hồ sơ.",
        attachments=[
            ("Đăng ký.docx", make_docx(["ĐĂNG KÝ", "Họ tên người đăng ký: Lê Thị Hoa"]), DOCX),
            (
                "Danh sách.xlsx",
                nomination_xlsx(
                    [[1, "Lê Thị Hoa", "Giáo viên", "Giáo viên", "Đạt giải Nhất", "a.pdf", "Giấy khen"]]
                ),
                "application/octet-stream",
            ),
            ("Giấy khen.pdf", make_pdf(["GIẤY KHEN"] * 40), "application/pdf"),
        ],
    )
    assert assert_same_tree(raw)
    assert assert_same_tree(raw.replace(b"\r\n", b"\n"))


def test_bundled_example_mails_parse_to_the_same_result_either_way():
    split = 0
    for path in sorted(EXAMPLES.glob("*.eml")):
        raw = path.read_bytes()
        split += assert_same_tree(raw)
    assert split >= 5


def nested(preamble: str, epilogue: str, eol: str) -> bytes:
    outer = EmailMessage()
    outer["Subject"] = "Lồng nhau"
    outer.set_content("Nội dung\n--b1 không phải ranh giới\n")
    outer.add_alternative("<p>Nội dung</p>", subtype="html")
    outer.add_attachment(b"\x00\x01" * 3000, maintype="application", subtype="octet-stream", filename="a.bin")
    outer.preamble = preamble
    outer.epilogue = epilogue
    raw = bytes(outer)
    return raw.replace(b"\n", eol.encode()) if eol != "\n" else raw


def test_preambles_epilogues_and_line_endings_match_the_standard_parser():
    for preamble in (None, "", "This is a multi-part message in MIME format."):
        for epilogue in (None, "", "sau cung", "\n"):
            for eol in ("\n", "\r\n"):
                assert assert_same_tree(nested(preamble, epilogue, eol)), (preamble, epilogue, eol)


def test_malformed_structure_is_left_to_the_standard_parser():
    good = nested("", "", "\r\n")
    boundary = email.message_from_bytes(good).get_boundary().encode()
    no_close = good.replace(b"--" + boundary + b"--", b"")
    doubled = good.replace(b"--" + boundary + b"\r\n", b"--" + boundary + b"\r\n--" + boundary + b"\r\n", 1)
    no_start = good.replace(b"--" + boundary, b"--other")
    forwarded = make_eml(
        sender="a@example.vn",
        to="b@example.vn",
        subject="Fwd",
        body="x",
        attachments=[("thu.eml", b"Subject: hi\r\n\r\nbody\r\n", "message/rfc822")],
    )
    for raw in (no_close, doubled, no_start, forwarded, b"Subject: only headers"):
        assert split_message(raw) is None
        parse_mail(raw)  # and the full parser still gives a result


_line = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(st.lists(_line, max_size=6), min_size=1, max_size=4),
    boundary=st.sampled_from(["b", "==b==", "----=_Part_1", "x y"]),
    eol=st.sampled_from(["\n", "\r\n"]),
    preamble=st.lists(_line, max_size=2),
    epilogue=st.lists(_line, max_size=2),
)
def test_random_multiparts_split_like_the_standard_parser(parts, boundary, eol, preamble, epilogue):
    lines = ["From: a@example.vn", f'Content-Type: multipart/mixed; boundary="{boundary}"', "", *preamble]
    for body in parts:
        lines += [f"--{boundary}", "Content-Type: text/plain", "", *body]
    lines += [f"--{boundary}--", *epilogue]
    raw = eol.join(lines).encode()
    fast = split_message(raw)
    if fast is not None:
        assert tree(fast) == tree(email.message_from_bytes(raw))


def _mail_with_every_encoding() -> bytes:
    vietnamese = "Kính gửi Phòng GD&ĐT, trường gửi hồ sơ thi đua.".encode()
    return b"\r\n".join(
        [
            b"From: c2anbinh@example.vn",
            b"To: thidua@pgd.example.vn",
            b"Subject: =?utf-8?b?SOG7kyBzxqE=?=",
            b"MIME-Version: 1.0",
            b'Content-Type: multipart/mixed; boundary="b1"',
            b"",
            b"--b1",
            b"Content-Type: text/plain; charset=utf-8",
            b"Content-Transfer-Encoding: quoted-printable",
            b"",
            quopri.encodestring(vietnamese),
            b"--b1",
            b"Content-Type: text/plain; charset=utf-8",
            b"Content-Transfer-Encoding: 8bit",
            b"",
            vietnamese,
            b"--b1",
            b'Content-Type: application/octet-stream; name="a.bin"',
            b"Content-Transfer-Encoding: base64",
            b"",
            base64.encodebytes(bytes(range(256)) * 40).replace(b"\n", b"\r\n").rstrip(),
            b"--b1",
            b'Content-Type: application/pdf; name="short.pdf"',
            b"Content-Transfer-Encoding: base64",
            b"",
            b"JVBERi0xLjQK",
            b"--b1",  # padding dropped: the standard library repairs it
            b'Content-Type: application/octet-stream; name="raw.dat"',
            b"",
            b"plain \xff bytes",
            b"--b1--",
            b"",
        ]
    )


def test_bodies_kept_as_views_decode_exactly_as_the_strings_do(monkeypatch):
    from thidua.parsers import mime

    raw = _mail_with_every_encoding()
    assert split_message(raw, views=True) is not None
    with_views = mime.parse_mail(raw)
    real = mime.split_message
    monkeypatch.setattr(mime, "split_message", lambda data, views=False: real(data))
    assert mime.parse_mail(raw) == with_views
    assert [a.filename for a in with_views.attachments] == ["a.bin", "short.pdf", "raw.dat"]
    assert with_views.attachments[0].data == bytes(range(256)) * 40
