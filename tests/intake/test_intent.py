"""What a mail says about itself: additional and ad-hoc lists, articles for the website, and the
document its subject or body points to."""

from __future__ import annotations

import unicodedata

import pytest

from thidua.intake.intent import mail_intent, own_text


@pytest.mark.parametrize(
    "subject",
    [
        "Danh sách bổ sung khen thưởng quý I",
        "DS bo sung quy I",
        "Đề nghị khen thưởng bổ sung - THCS An Bình",
        "Bổ sung danh sách cá nhân tiêu biểu",
        "Trường gửi bổ sung thêm 2 cá nhân",
        unicodedata.normalize("NFD", "DANH SÁCH BỔ SUNG"),
    ],
)
def test_an_additional_list_is_recognised_from_its_subject(subject):
    assert mail_intent(subject, "").additional


def test_an_additional_list_is_recognised_from_the_body_or_the_title():
    assert mail_intent("Hồ sơ thi đua", "Kính gửi Phòng, trường gửi danh sách bổ sung 2 cá nhân.").additional
    assert mail_intent("Hồ sơ", "", ["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG BỔ SUNG"]).additional


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Danh sách khen thưởng quý I", "Trường gửi danh sách đã chỉnh sửa."),
        (
            "Re: [HS-2018-0001] Danh sách",
            "Trường gửi lại.\n> Hồ sơ cần bổ sung, chỉnh sửa\n> Đề nghị bổ sung thêm",
        ),
        (
            "Danh sách khen thưởng",
            "Trường gửi lại.\n\nOn Mon, 12 Mar 2018, thidua@pgd wrote:\nDanh sách bổ sung",
        ),
        ("Danh sách khen thưởng", "Đã bổ sung số liệu vào cột thành tích."),
        ("Danh sách đề nghị khen thưởng, bổ sung minh chứng", ""),
        ("Danh sách khen thưởng quý I (bổ sung thêm minh chứng)", ""),
    ],
)
def test_a_full_list_or_a_quoted_request_is_not_additional(subject, body):
    assert not mail_intent(subject, body).additional


def test_an_ad_hoc_list():
    assert mail_intent("Đề nghị khen thưởng đột xuất", "").ad_hoc
    assert mail_intent("Hồ sơ", "", ["DANH SÁCH KHEN THƯỞNG ĐỘT XUẤT"]).ad_hoc
    assert not mail_intent("Danh sách khen thưởng quý I", "Trường gửi danh sách quý I.").ad_hoc


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Gửi bài viết quý I", ""),
        ("Tin bài hoạt động tháng 3", ""),
        ("Hồ sơ quý I", "Trường gửi bài tuyên truyền và hình ảnh minh họa."),
    ],
)
def test_articles_for_the_website(subject, body):
    assert mail_intent(subject, body).publicity


def test_not_articles():
    assert not mail_intent("Danh sách khen thưởng quý I", "Trường gửi danh sách và minh chứng.").publicity


@pytest.mark.parametrize(
    ("subject", "body", "kinds"),
    [
        ("Danh sách đề nghị khen thưởng quý I", "", ("nomination_list",)),
        ("Đăng ký thực hiện đổi mới sáng tạo", "", ("registration",)),
        ("Báo cáo kết quả phong trào", "", ("report",)),
        ("Hồ sơ thi đua", "Trường gửi phiếu đăng ký của cô Lan.", ("registration",)),
        ("Hồ sơ thi đua", "Kính gửi Phòng.", ()),
    ],
)
def test_the_document_the_subject_or_body_points_to(subject, body, kinds):
    assert mail_intent(subject, body).pointed_kinds == kinds


def test_own_text_leaves_quoted_mail_out():
    body = "Trường gửi lại danh sách.\n> dòng trích\nVào 10/3/2018, thidua@pgd đã viết:\nthư cũ"
    assert own_text(body) == "Trường gửi lại danh sách."
