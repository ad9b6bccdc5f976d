"""The SMTP envelope rules of ``notifier.smtp``: recipients, Bcc, the auto-reply envelope; no
server needed."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from thidua.notifier.smtp import envelope_recipients, is_auto_reply, wire_bytes


def test_envelope_recipients_are_to_cc_and_bcc_once_and_bcc_is_not_sent():
    message = EmailMessage()
    message["From"] = "Phòng GD&ĐT <thidua@pgd.example.vn>"
    message["To"] = "Chuyên viên <cv@pgd.example.vn>, tp@pgd.example.vn"
    message["Cc"] = "CV@pgd.example.vn, hieutruong@example.vn"
    message["Bcc"] = "luu@pgd.example.vn"
    message.set_content("x")
    assert envelope_recipients(message) == [
        "cv@pgd.example.vn",
        "tp@pgd.example.vn",
        "hieutruong@example.vn",
        "luu@pgd.example.vn",
    ]
    data = wire_bytes(message)
    assert b"Bcc" not in data and b"\r\n" in data
    assert message["Bcc"] == "luu@pgd.example.vn"  # the caller's message is left as it was


@pytest.mark.parametrize(
    "value, auto",
    [
        ("auto-replied", True),
        ("Auto-Replied; owner=x", True),
        ("auto-generated", False),
        ("no", False),
        (None, False),
    ],
)
def test_only_auto_replies_take_the_auto_reply_envelope(value, auto):
    message = EmailMessage()
    if value is not None:
        message["Auto-Submitted"] = value
    assert is_auto_reply(message) is auto
