"""Caps on what one mail may cost: header size, MIME nesting and part count, file names."""

from __future__ import annotations

import os
import time

from tests.support.builders import make_eml, make_zip
from thidua.parsers.archive import collect_files
from thidua.parsers.mail import Attachment
from thidua.parsers.mime import MAX_MIME_DEPTH, MAX_PARTS, parse_mail
from thidua.parsers.names import MAX_NAME_CHARS, display_name


def timed(raw: bytes):
    started = time.monotonic()
    parsed = parse_mail(raw)
    return parsed, time.monotonic() - started


def test_a_60_mb_mail_is_parsed_in_bounded_time():
    raw = make_eml(
        sender="a@example.vn",
        to="b@example.vn",
        subject="Hồ sơ",
        attachments=[("video.bin", os.urandom(44 << 20), "application/octet-stream")],
    )
    parsed, seconds = timed(raw)
    assert len(parsed.attachments[0].data) == 44 << 20
    assert seconds < 20


def test_a_huge_header_is_cut_not_decoded_for_minutes():
    raw = (
        b"From: a@example.vn\r\nTo: b@example.vn\r\nSubject: "
        + b"=?utf-8?q?a?= " * 500_000
        + b"\r\n\r\nnoi dung"
    )
    parsed, seconds = timed(raw)
    assert seconds < 5
    assert parsed.from_address == "a@example.vn"
    assert any("header" in defect for defect in parsed.defects)


def test_one_long_header_field_is_cut():
    raw = (
        b"From: a@example.vn\r\nSubject: "
        + b"=?utf-8?q?a?= " * 10_000
        + b"\r\nTo: b@example.vn\r\n\r\nnoi dung"
    )
    parsed, seconds = timed(raw)
    assert seconds < 5 and parsed.to == ("b@example.vn",) and parsed.text == "noi dung"


def test_thousands_of_headers_are_bounded():
    parsed, seconds = timed(b"From: a@example.vn\r\n" + b"X-A: b\r\n" * 300_000 + b"\r\nbody")
    assert seconds < 5 and parsed.from_address == "a@example.vn"


def test_deep_mime_nesting_stops_descending():
    depth = MAX_MIME_DEPTH + 20
    body = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i) for i in range(depth)
    )
    body += b'Content-Type: application/pdf; name="sau.pdf"\r\n\r\n%PDF-1.4\r\n'
    body += b"".join(b"--b%d--\r\n" % i for i in reversed(range(depth)))
    parsed, seconds = timed(b"From: a@example.vn\r\nMIME-Version: 1.0\r\n" + body)
    assert seconds < 5 and parsed.attachments == ()
    assert any("nested" in defect for defect in parsed.defects)


def test_too_many_parts_are_left_out_and_noted():
    parts = b"".join(
        b'--B\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="f%d.bin"\r\n\r\nx\r\n'
        % i
        for i in range(MAX_PARTS + 500)
    )
    raw = (
        b'From: a@example.vn\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="B"\r\n\r\n'
        + parts
        + b"--B--\r\n"
    )
    parsed, seconds = timed(raw)
    assert seconds < 10 and len(parsed.attachments) < MAX_PARTS
    assert any(f"more than {MAX_PARTS}" in defect for defect in parsed.defects)


def test_file_names_are_display_names():
    assert display_name("C:\\Users\\hoa\\Desktop\\Danh sách.xlsx") == "Danh sách.xlsx"
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("Danh\x00 sách\x07.xlsx") == "Danh sách.xlsx"
    assert display_name("giay\u202excod.exe") == "giayxcod.exe"
    long = display_name("Danh sách " * 100 + ".xlsx")
    assert len(long) <= MAX_NAME_CHARS and long.endswith(".xlsx")


def test_names_in_mails_and_archives_are_sanitised():
    raw = make_eml(
        sender="a@example.vn",
        to="b@example.vn",
        subject="x",
        attachments=[("..\\..\\Danh\tsách\u202e.xlsx", b"x", "application/octet-stream")],
    )
    [attachment] = parse_mail(raw).attachments
    assert attachment.filename == "Danh sách.xlsx"
    archive = make_zip([("thu muc/con/..\\Giay\x07khen.pdf", b"%PDF-1.4")])
    names = [item.name for item in collect_files([Attachment("a.zip", "application/zip", archive)]).files]
    assert names == ["a.zip", "Giaykhen.pdf"]
