"""Builders for the notifier's inputs: a full ReplyView and a clean ParsedMail, each
changeable per test with keyword overrides."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from thidua.notifier.views import ReplyDocument, ReplyNominee, ReplyView
from thidua.parsers.mail import Attachment, ParsedMail

VN = timezone(timedelta(hours=7))
OFFICE = "Phòng GD&ĐT huyện Phong Điền"
OFFICE_ADDRESS = "thidua@pgd.example.vn"
SCHOOL_ADDRESS = "c2anbinh@example.vn"
PARENT_ID = "<CAF1x2y3@mail.example.vn>"
# 09:12 in Hà Nội on 14/03/2018: the UTC time must be shown in the office's zone.
ARRIVED = datetime(2018, 3, 14, 2, 12, tzinfo=UTC)
DEADLINE = datetime(2018, 3, 15, 23, 59, 59, tzinfo=VN)


def build_view(**changes) -> ReplyView:
    view = ReplyView(
        office_name=OFFICE,
        office_address=OFFICE_ADDRESS,
        school="Trường THCS An Bình",
        sender=SCHOOL_ADDRESS,
        receipt="HS-2018-0003",
        version=1,
        status="accepted",
        mail_subject="Danh sách đề nghị khen thưởng quý I",
        received_at=ARRIVED,
        round_label="Quý I năm 2018",
        deadline=DEADLINE,
        documents=(
            ReplyDocument("Danh sách đề nghị.xlsx", "nomination_list", "2 tập thể/cá nhân được đề nghị"),
            ReplyDocument("Đăng ký ĐMST.docx", "registration", "1 người đăng ký"),
            ReplyDocument("Giấy khen Tổ Toán.pdf", "evidence", ""),
        ),
        registrations=("Nguyễn Thị Hoa",),
        nominees=(ReplyNominee(1, "Tổ Toán - Tin", "collective"), ReplyNominee(2, "Lê Văn Cường", "teacher")),
        problems=(),
    )
    return replace(view, **changes)


def build_mail(**changes) -> ParsedMail:
    """An ordinary mail from a school: every loop-guard rule must let it through."""
    mail = ParsedMail(
        message_id=PARENT_ID,
        subject="Danh sách đề nghị khen thưởng quý I",
        from_address=SCHOOL_ADDRESS,
        from_name="THCS An Bình",
        from_count=1,
        reply_to="",
        to=(OFFICE_ADDRESS,),
        date_header=ARRIVED,
        in_reply_to="",
        references=(),
        return_path=SCHOOL_ADDRESS,
        auto_submitted="",
        precedence="",
        list_id="",
        authentication_results=("mx.pgd.example.vn; dmarc=pass header.from=example.vn",),
        text="Kính gửi Phòng, trường gửi danh sách.",
        attachments=(Attachment("Danh sách.xlsx", "application/vnd.ms-excel", b"PK\x03\x04"),),
        defects=(),
        headers=(
            ("From", f"THCS An Bình <{SCHOOL_ADDRESS}>"),
            ("To", OFFICE_ADDRESS),
            ("Subject", "Danh sách đề nghị khen thưởng quý I"),
            ("Message-ID", PARENT_ID),
        ),
    )
    return replace(mail, **changes)


@pytest.fixture
def make_view():
    return build_view


@pytest.fixture
def make_mail():
    return build_mail
