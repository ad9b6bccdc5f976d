"""The loop guard, rule by rule: each signal refuses a reply, and its look-alike does not."""

from __future__ import annotations

import pytest

from thidua.notifier.loopguard import reply_refusal, within_daily_cap

OWN = ["Thidua@pgd.example.vn", "bao-cao@pgd.example.vn"]


def with_header(mail_headers, name, value):
    return (*mail_headers, (name, value))


def test_an_ordinary_school_mail_gets_a_reply(make_mail):
    assert reply_refusal(make_mail(), OWN) is None


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"auto_submitted": "auto-replied"}, "auto-submitted: auto-replied"),
        ({"auto_submitted": "auto-generated"}, "auto-submitted: auto-generated"),
        ({"auto_submitted": "auto-notified; owner-email=x@y"}, "auto-submitted: auto-notified"),
        ({"precedence": "bulk"}, "precedence: bulk"),
        ({"precedence": "list"}, "precedence: list"),
        ({"precedence": "junk"}, "precedence: junk"),
        ({"list_id": "<thcs.lists.example.vn>"}, "mailing list (List-Id)"),
        ({"return_path": ""}, "empty return path"),
        ({"from_address": "", "return_path": None}, "no valid From address"),
        ({"from_address": "not-an-address"}, "no valid From address"),
        ({"from_count": 2}, "several From addresses (2)"),
        ({"from_address": "thidua@pgd.example.vn"}, "sender is our own address"),
        ({"from_address": "BAO-CAO@PGD.EXAMPLE.VN"}, "sender is our own address"),
        ({"return_path": "thidua@pgd.example.vn"}, "return path is our own address"),
    ],
)
def test_each_rule_refuses(make_mail, changes, reason):
    assert reply_refusal(make_mail(**changes), OWN) == reason


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("Auto-Submitted", "auto-replied", "auto-submitted: auto-replied"),
        ("auto-submitted", "Auto-Generated", "auto-submitted: auto-generated"),
        ("Precedence", "Bulk", "precedence: bulk"),
        ("List-Id", "Tin tuc <news.example.vn>", "mailing list (List-Id)"),
        ("List-Unsubscribe", "<mailto:leave@example.vn>", "mailing list (List-Unsubscribe)"),
        ("X-Autoreply", "yes", "auto-reply header: x-autoreply"),
    ],
)
def test_rules_also_read_the_raw_headers(make_mail, name, value, reason):
    mail = make_mail()
    assert reply_refusal(make_mail(headers=with_header(mail.headers, name, value)), OWN) == reason


@pytest.mark.parametrize(
    "sender",
    [
        "MAILER-DAEMON@mx.example.vn",
        "mailer-daemon@mx.example.vn",
        "postmaster@example.vn",
        "noreply@example.vn",
        "no-reply@example.vn",
        "no_reply@example.vn",
        "no.reply@example.vn",
        "donotreply@example.vn",
        "do-not-reply@example.vn",
        "noreply-thongbao@example.vn",
        "bounce@example.vn",
        "bounces@lists.example.vn",
        "bounces+abc=school.vn@lists.example.vn",
        "bounce-123-456@esp.example.vn",
        "listserv@example.vn",
        "majordomo@example.vn",
        "owner-giaovien@lists.example.vn",
        "giaovien-request@lists.example.vn",
        "giaovien-bounces@lists.example.vn",
    ],
)
def test_system_senders_are_refused(make_mail, sender):
    assert reply_refusal(make_mail(from_address=sender), OWN) == f"system sender: {sender.lower()}"


def test_system_return_path_is_refused(make_mail):
    mail = make_mail(return_path="giaovien-bounces@lists.example.vn")
    assert reply_refusal(mail, OWN) == "system return path: giaovien-bounces@lists.example.vn"


@pytest.mark.parametrize(
    "changes",
    [
        {"auto_submitted": "no"},
        {"auto_submitted": "No"},
        {"precedence": "first-class"},
        {"precedence": "normal"},
        {"return_path": None},  # no Return-Path header at all (a file processed by hand)
        {"return_path": "<c2anbinh@example.vn>"},
        {"from_address": "thidua@other-office.example.vn"},
        {"from_address": "c2noreply@example.vn"},
        {"from_address": "bouncer.thcs@example.vn"},
        {"from_address": "owner@example.vn"},
        {"from_address": "requests.thcs@example.vn"},
        {"from_address": "postmaster.school@example.vn"},
        {"from_address": "thcs@localhost"},
        {"list_id": "   "},
    ],
)
def test_look_alikes_are_answered(make_mail, changes):
    assert reply_refusal(make_mail(**changes), OWN) is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("Auto-Submitted", "no"),
        ("Precedence", "first-class"),
        ("List-Help", "<mailto:help@example.vn>"),
        ("X-Mailer", "Microsoft Outlook 16.0"),
    ],
)
def test_harmless_headers_are_answered(make_mail, name, value):
    mail = make_mail()
    assert reply_refusal(make_mail(headers=with_header(mail.headers, name, value)), OWN) is None


def test_own_addresses_may_be_any_iterable(make_mail):
    mail = make_mail(from_address="thidua@pgd.example.vn")
    assert reply_refusal(mail, (a for a in ["<THIDUA@pgd.example.vn>"])) == "sender is our own address"
    assert reply_refusal(mail, []) is None


@pytest.mark.parametrize(
    ("sent", "cap", "allowed"),
    [
        (0, 10, True),
        (9, 10, True),
        (10, 10, False),
        (11, 10, False),
        (0, 0, False),
        (0, 1, True),
        (1, 1, False),
    ],
)
def test_daily_cap(sent, cap, allowed):
    assert within_daily_cap(sent, cap) is allowed
