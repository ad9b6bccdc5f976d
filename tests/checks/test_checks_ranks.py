"""bad_rank over sections and sheets: 1..n across the list, or 1..k per section that splits it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.support import checks_factory as f
from thidua.checks import rules


def member(rank, section, category="teacher", award="Giấy khen", name=None):
    who = name or f"{section or 'Người'} {rank}"
    return replace(f.nominee(rank, name=who, category=category, award=award), section=section)


def problems(*nominees):
    return list(rules.bad_rank(f.list_context(*nominees)))


def test_sections_by_category_each_ranked_from_one():
    assert (
        problems(
            member(1, "I. TẬP THỂ", "collective", name="Tổ Toán"),
            member(2, "I. TẬP THỂ", "collective", name="Tổ Văn"),
            member(1, "II. CÁ NHÂN", "teacher"),
            member(2, "II. CÁ NHÂN", "manager"),
            member(3, "II. CÁ NHÂN", "staff"),
        )
        == []
    )


def test_sheets_by_category_each_ranked_from_one():
    # a workbook's sheets are sections too: "Tập thể" and "Cá nhân", each from 1
    assert (
        problems(
            member(1, "Tập thể", "collective", name="Tổ Toán"),
            member(1, "Cá nhân", "teacher"),
            member(2, "Cá nhân", "teacher"),
        )
        == []
    )


def test_sections_by_award_form_each_ranked_from_one():
    assert (
        problems(
            member(1, "I. ĐỀ NGHỊ BẰNG KHEN", award="Bằng khen"),
            member(2, "I. ĐỀ NGHỊ BẰNG KHEN", award="Bằng khen"),
            member(1, "II. ĐỀ NGHỊ GIẤY KHEN", award="Giấy khen"),
        )
        == []
    )


def test_sub_sections_ranked_within_the_top_section():
    assert (
        problems(
            member(1, "I. TẬP THỂ", "collective", name="Tổ Toán"),
            member(1, "II. CÁ NHÂN › A. Cán bộ quản lý", "manager"),
            member(2, "II. CÁ NHÂN › B. Giáo viên", "teacher"),
            member(3, "II. CÁ NHÂN › B. Giáo viên", "teacher"),
        )
        == []
    )


def test_one_order_across_sections_is_also_right():
    assert (
        problems(
            member(1, "I. TẬP THỂ", "collective", name="Tổ Toán"),
            member(2, "II. CÁ NHÂN", "teacher"),
            member(3, "II. CÁ NHÂN", "teacher"),
        )
        == []
    )


def test_sections_that_split_nothing_keep_one_order():
    # departments group teachers: the school's priority order runs across them
    [problem] = problems(
        member(1, "Tổ Toán", "teacher"),
        member(2, "Tổ Toán", "teacher"),
        member(1, "Tổ Văn", "teacher"),
    )
    assert "số 1 bị trùng (các dòng 1 và 3)" in problem.message
    assert "phần" not in problem.message.split("chưa đúng:")[1].split(".")[0]


def test_same_award_in_both_sheets_without_category_split_is_one_list():
    [problem] = problems(
        member(1, "Trang 1", "teacher", award="Giấy khen"),
        member(1, "Trang 2", "teacher", award="Giấy khen"),
    )
    assert "số 1 bị trùng" in problem.message


@pytest.mark.parametrize(
    ("ranks", "words"),
    [
        ((1, 3), "thiếu số 2"),
        ((1, 1), "phần “II. CÁ NHÂN”: số 1 bị trùng (các dòng 3 và 4)"),
    ],
)
def test_faults_named_by_section(ranks, words):
    [problem] = problems(
        member(1, "I. TẬP THỂ", "collective", name="Tổ Toán"),
        member(2, "I. TẬP THỂ", "collective", name="Tổ Văn"),
        *(member(r, "II. CÁ NHÂN", "teacher", name=f"Cô {i}") for i, r in enumerate(ranks)),
    )
    assert (problem.code, problem.field) == ("bad_rank", "nominees.rank")
    assert "chưa đúng: phần “II. CÁ NHÂN”: " in problem.message and words in problem.message
    assert "I. TẬP THỂ" not in problem.message  # the right section is not blamed
    assert "Mỗi phần của danh sách" in problem.message


def test_a_list_without_sections_is_unchanged():
    [problem] = problems(member(1, ""), member(1, ""))
    assert "số 1 bị trùng" in problem.message and "Mỗi phần" not in problem.message
