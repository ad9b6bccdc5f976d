"""Tiny hand-built check contexts for the rule tests.

Every builder makes a valid object by default; a test changes only what it is about.
``valid_context()`` is a submission that passes every rule.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from thidua.campaign import Round
from thidua.checks.context import CheckContext, DocumentFinding
from thidua.parsers.forms.model import Nominee, Registration, UnderstoodDocument

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SCHOOL = "Trường THCS An Bình"
SENDER = "c2anbinh@example.vn"
MB = 1024 * 1024

CATEGORY_TEXT = {
    "collective": "Tập thể",
    "manager": "Cán bộ quản lý",
    "teacher": "Giáo viên",
    "staff": "Nhân viên",
    "student": "Học sinh",
}

REGISTRATION_VALUES = {
    "school": SCHOOL,
    "school_year": "Năm học 2017 – 2018",
    "full_name": "Nguyễn Thị Bình",
    "assigned_task": "Giảng dạy Toán lớp 8A, 8B",
    "innovation_area": "Phương pháp giảng dạy",
    "current_situation": "Học sinh còn ngại phát biểu trong giờ học",
    "objectives": "Tăng số học sinh tham gia xây dựng bài",
    "expected_results": "80% học sinh tích cực phát biểu",
    "trial_period": "Từ tháng 9/2017 đến tháng 12/2017",
    "trial_steps": "Khảo sát; áp dụng; đánh giá",
    "dissemination_scope": "Tổ Toán – Tin của nhà trường",
}


def at(text: str) -> datetime:
    """'2018-03-15 23:59' in Vietnam time."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def make_round(
    *,
    deadline: str = "2018-03-15 23:59:59",
    max_nominees: int | None = None,
    documents: tuple[str, ...] = ("nomination_list",),
    label: str = "Quý I năm 2018",
) -> Round:
    return Round(
        id="q1-2018",
        label=label,
        opens=at("2017-12-16 00:00"),
        deadline=at(deadline),
        documents=documents,
        max_nominees=max_nominees,
    )


def nominee(
    rank: int | None = 1,
    *,
    name: str = "Nguyễn Văn An",
    category: str | None = "teacher",
    category_text: str | None = None,
    position: str = "Giáo viên Toán",
    achievements: str = "Có 2 sáng kiến được công nhận cấp huyện",
    evidence: tuple[str, ...] | None = None,
    award: str = "Giấy khen",
    labels: dict[str, str] | None = None,
    row: int | None = None,
    rank_text: str | None = None,
) -> Nominee:
    if category_text is None:
        category_text = CATEGORY_TEXT.get(category or "", "")
    if evidence is None:
        evidence = (f"Giấy khen {name}.pdf",)
    return Nominee(
        rank=rank,
        rank_text=str(rank) if rank_text is None and rank is not None else (rank_text or ""),
        name=name,
        category=category,
        category_text=category_text,
        position=position,
        achievements=achievements,
        evidence=evidence,
        award=award,
        labels=labels or {},
        row=row or 0,  # 0: nomination_list() numbers the rows in order
    )


def nomination_list(*nominees: Nominee, name: str = "Danh sách đề nghị.xlsx") -> DocumentFinding:
    nominees = tuple(n if n.row else replace(n, row=i) for i, n in enumerate(nominees, start=1))
    understood = UnderstoodDocument(
        kind="nomination_list",
        title="DANH SÁCH TẬP THỂ, CÁ NHÂN TIÊU BIỂU",
        school=SCHOOL,
        school_year="2017-2018",
        nominees=tuple(nominees),
    )
    return DocumentFinding(
        name=name, detected="xlsx", size=18_000, kind="nomination_list", understood=understood
    )


def registration(*, labels: dict[str, str] | None = None, **values: str) -> Registration:
    merged = dict(REGISTRATION_VALUES)
    merged.update(values)
    return Registration(values={k: v for k, v in merged.items() if v is not None}, labels=labels or {})


def registration_doc(
    *registrations: Registration,
    name: str = "Đăng ký.docx",
    school: str = SCHOOL,
    school_year: str = "2017-2018",
) -> DocumentFinding:
    understood = UnderstoodDocument(
        kind="registration",
        title="ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ",
        school=school,
        school_year=school_year,
        registrations=tuple(registrations),
    )
    return DocumentFinding(
        name=name, detected="docx", size=30_000, kind="registration", understood=understood
    )


def file(
    name: str, *, detected: str = "pdf", size: int = 120_000, kind: str = "evidence", failure: str = ""
) -> DocumentFinding:
    return DocumentFinding(name=name, detected=detected, size=size, kind=kind, failure=failure)


def evidence_for(*nominees: Nominee) -> list[DocumentFinding]:
    return [file(e) for n in nominees for e in n.evidence]


def context(
    *documents: DocumentFinding,
    sender: str = SENDER,
    sender_school: str | None = SCHOOL,
    received_at: datetime | None = None,
    round: Round | None | str = "default",
    max_attachment_bytes: int = 25 * MB,
    elsewhere: frozenset[tuple[str, ...]] = frozenset(),
    spoof: str = "",
    ad_hoc: bool = False,
    additional: bool = False,
) -> CheckContext:
    return CheckContext(
        documents=tuple(documents),
        sender=sender,
        sender_school=sender_school,
        received_at=received_at or at("2018-03-14 09:12"),
        round=make_round() if round == "default" else round,
        max_attachment_bytes=max_attachment_bytes,
        nominees_elsewhere=elsewhere,
        spoof_failure=spoof,
        ad_hoc=ad_hoc,
        additional=additional,
    )


def list_context(*nominees: Nominee, with_evidence: bool = True, **kwargs) -> CheckContext:
    """A context with one nomination list of ``nominees`` and (by default) their evidence files."""
    docs = [nomination_list(*nominees)]
    if with_evidence:
        docs += evidence_for(*nominees)
    return context(*docs, **kwargs)


def valid_context() -> CheckContext:
    collective = nominee(
        1,
        name="Tổ Toán – Tin",
        category="collective",
        position="",
        achievements="Tổ có 3 sáng kiến được công nhận cấp huyện",
    )
    teacher = nominee(
        2, name="Nguyễn Văn An", achievements="Đạt giải Nhất hội thi giáo viên dạy giỏi cấp huyện"
    )
    student = nominee(
        3,
        name="Trần Thị Bích",
        category="student",
        position="Học sinh lớp 9A",
        achievements="Huy chương Vàng Hội khỏe Phù Đổng cấp tỉnh",
    )
    return context(
        nomination_list(collective, teacher, student),
        registration_doc(registration()),
        *evidence_for(collective, teacher, student),
    )


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def fields(problems, code: str | None = None) -> list[str]:
    return [p.field for p in problems if code is None or p.code == code]
