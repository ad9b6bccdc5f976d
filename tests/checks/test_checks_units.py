"""A consolidated list's units (an office's schools): ranks, quota and messages per unit."""

from __future__ import annotations

from dataclasses import replace

from tests.support import checks_factory as f
from thidua.checks import rules
from thidua.text import nominee_identity


def of(unit: str, rank: int | None, name: str, section: str = "", category: str = "teacher"):
    return replace(f.nominee(rank, name=name, category=category), unit=unit, section=section)


def test_each_unit_ranked_from_one_is_right():
    ctx = f.list_context(
        of("Trường TH An Bình", 1, "Lê Văn A"),
        of("Trường TH An Bình", 2, "Lê Văn B"),
        of("Trường THCS Phong Điền", 1, "Trần Thị C"),
    )
    assert list(rules.bad_rank(ctx)) == []


def test_one_run_across_the_units_is_right_too():
    ctx = f.list_context(
        of("Trường TH An Bình", 1, "Lê Văn A"), of("Trường THCS Phong Điền", 2, "Trần Thị C")
    )
    assert list(rules.bad_rank(ctx)) == []


def test_a_rank_twice_in_one_unit_names_the_unit():
    ctx = f.list_context(
        of("Trường TH An Bình", 1, "Lê Văn A"),
        of("Trường TH An Bình", 1, "Lê Văn B"),
        of("Trường THCS Phong Điền", 1, "Trần Thị C"),
    )
    [problem] = rules.bad_rank(ctx)
    assert problem.field == "nominees.rank"
    assert "đơn vị “Trường TH An Bình”: số 1" in problem.message
    assert "Phong Điền" not in problem.message


def test_sections_within_units_may_restart_the_ranks():
    ctx = f.list_context(
        of("Trường TH An Bình", 1, "Tổ Toán", "I. TẬP THỂ", "collective"),
        of("Trường TH An Bình", 1, "Lê Văn A", "II. CÁ NHÂN"),
        of("Trường THCS Phong Điền", 1, "Tổ Văn", "I. TẬP THỂ", "collective"),
        of("Trường THCS Phong Điền", 1, "Trần Thị C", "II. CÁ NHÂN"),
    )
    assert list(rules.bad_rank(ctx)) == []


def test_the_quota_counts_each_unit():
    over = [of("Trường TH An Bình", i, f"Giáo viên {i}") for i in range(1, 4)]
    ctx = f.list_context(
        *over, of("Trường THCS Phong Điền", 1, "Trần Thị C"), round=f.make_round(max_nominees=2)
    )
    [problem] = rules.quota_exceeded(ctx)
    assert problem.field == "nominees"
    assert "“Trường TH An Bình” có 3" in problem.message and "Phong Điền" not in problem.message


def test_the_quota_is_kept_when_every_unit_is_within_it():
    ctx = f.list_context(
        of("Trường TH An Bình", 1, "Lê Văn A"),
        of("Trường THCS Phong Điền", 1, "Trần Thị C"),
        round=f.make_round(max_nominees=1),
    )
    assert list(rules.quota_exceeded(ctx)) == []


def test_missing_evidence_keeps_the_field_and_names_the_unit():
    first = replace(of("Trường TH An Bình", 1, "Lê Văn A"), evidence=())
    second = replace(of("Trường THCS Phong Điền", 1, "Trần Thị C"), evidence=())
    problems = list(rules.missing_evidence(f.list_context(first, second)))
    assert [p.field for p in problems] == ["nominees[1].evidence", "nominees[1].evidence"]
    assert "đơn vị “Trường TH An Bình”, STT 1 – Lê Văn A" in problems[0].message
    assert "đơn vị “Trường THCS Phong Điền”, STT 1 – Trần Thị C" in problems[1].message


def test_a_section_is_named_only_where_its_rank_repeats():
    once = [
        replace(f.nominee(1, name="Tổ Toán", category="collective"), section="I. TẬP THỂ", evidence=()),
        replace(f.nominee(2, name="Lê Văn A"), section="II. CÁ NHÂN", evidence=()),
    ]
    problems = list(rules.missing_evidence(f.list_context(*once)))
    assert all("phần" not in p.message for p in problems)
    twice = [replace(n, rank=1) for n in once]
    problems = list(rules.missing_evidence(f.list_context(*twice)))
    assert "phần “I. TẬP THỂ”, STT 1 – Tổ Toán" in problems[0].message
    assert "phần “II. CÁ NHÂN”, STT 1 – Lê Văn A" in problems[1].message


def test_a_schools_own_departments_share_its_quota():
    """A school's list with a "Đơn vị" column of departments: the school's quota, with its earlier lists."""
    nominees = [of("Tổ Toán", 1, "Lê Văn A"), of("Tổ Văn", 1, "Lê Văn B"), of(f.SCHOOL, 1, "Trần Thị C")]
    earlier = frozenset({nominee_identity("Phạm Văn D", "teacher"), nominee_identity("Hồ Thị E", "teacher")})
    ctx = f.list_context(*nominees, round=f.make_round(max_nominees=4), elsewhere=earlier)
    [problem] = rules.quota_exceeded(ctx)
    assert "đơn vị" not in problem.message
