"""The Vietnamese words other parts (export, CLI) reuse."""

from __future__ import annotations

import pytest

from thidua.wording.vocabulary import category_vi, field_label_vi, kind_vi, status_vi


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("collective", "Tập thể"),
        ("manager", "Cán bộ quản lý"),
        ("teacher", "Giáo viên"),
        ("staff", "Nhân viên"),
        ("student", "Học sinh"),
        ("", ""),
        (None, ""),
        ("alien", ""),
    ],
)
def test_category_vi_is_empty_for_unknown_keys(key, words):
    assert category_vi(key) == words


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("registration", "Đăng ký thực hiện đổi mới sáng tạo"),
        ("nomination_list", "Danh sách đề nghị khen thưởng"),
        ("report", "Báo cáo kết quả"),
        ("evidence", "Minh chứng"),
        ("unknown", "Không xác định được"),
        ("something-else", "Không xác định được"),
    ],
)
def test_kind_vi(kind, words):
    assert kind_vi(kind) == words


def test_status_vi_keeps_unknown_statuses_visible():
    assert status_vi("accepted") == "Đã tiếp nhận"
    assert status_vi("needs_correction") == "Cần bổ sung, chỉnh sửa"
    assert status_vi("rejected") == "Không tiếp nhận"
    assert status_vi("superseded") == "Đã có bản gửi thay thế"
    assert status_vi("archived") == "archived"


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("objectives", "Mục tiêu giải pháp đổi mới"),
        ("registrations[3].trial_period", "Thời gian dự kiến thử nghiệm thực hiện đổi mới"),
        ("nominees[2].evidence", "Minh chứng, sản phẩm"),
        ("achievements", "Tóm tắt thành tích nổi bật"),
        ("attachments", ""),
        ("", ""),
        ("Danh sách.xlsx", ""),
    ],
)
def test_field_labels_follow_the_official_forms(field, label):
    assert field_label_vi(field) == label
