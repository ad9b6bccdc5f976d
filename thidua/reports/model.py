"""What the official list and the results report are made of (built by the caller from the store)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class OfficeHeading:
    """The office as it heads its documents (Nghị định 30/2020/NĐ-CP, Phụ lục I)."""

    office: str  # "Phòng Giáo dục và Đào tạo huyện Phong Điền"
    place: str  # "Phong Điền" in "Phong Điền, ngày 15 tháng 3 năm 2018"
    superior: str = ""  # the body above it: "UBND huyện Phong Điền"
    signer_title: str = "Trưởng phòng"
    signer_name: str = ""
    number: str = ""  # "Số: 45/DS-PGDĐT"; "" leaves the template's blank
    recipients: tuple[str, ...] = ("Sở GD&ĐT (để báo cáo);", "Lưu: VT.")  # "Nơi nhận"


@dataclass(frozen=True)
class ListedNominee:
    name: str
    collective: bool  # listed under "Tập thể" rather than "Cá nhân"
    position: str  # Chức vụ / nhiệm vụ
    unit: str  # Đơn vị: the school (or the unit a consolidated list named)
    achievements: str


@dataclass(frozen=True)
class AwardGroup:
    label: str  # "Giấy khen của Chủ tịch UBND huyện"
    nominees: tuple[ListedNominee, ...]


@dataclass(frozen=True)
class OfficialList:
    heading: OfficeHeading
    dated: date
    round_label: str  # "Quý I năm 2018"
    campaign: str  # "Đổi mới, sáng tạo trong dạy và học"
    groups: tuple[AwardGroup, ...]

    @property
    def count(self) -> int:
        return sum(len(g.nominees) for g in self.groups)


@dataclass(frozen=True)
class SchoolResult:
    """One school's figures (or the office's total) for a round or a school year."""

    school: str
    registrations: int = 0
    lists: int = 0  # current nomination lists
    reports: int = 0  # current submissions carrying a results report
    nominees: tuple[int, ...] = ()  # per category, in ResultsReport.categories' order
    accepted: int = 0  # current submissions by status
    needs_correction: int = 0
    late: int = 0
    reviewed: int = 0  # nominees whose evidence has a verdict
    evidence_ok: int = 0
    selected: tuple[int, ...] = ()  # per award form, in ResultsReport.awards' order

    @property
    def nominee_total(self) -> int:
        return sum(self.nominees)

    @property
    def selected_total(self) -> int:
        return sum(self.selected)


@dataclass(frozen=True)
class Registrant:
    """A person who registered an innovation and whose school has reported nothing on it."""

    school: str
    full_name: str
    innovation_area: str


@dataclass(frozen=True)
class ResultsReport:
    heading: OfficeHeading
    dated: date
    scope: str  # "Quý I năm 2018" or "Năm học 2017-2018"
    campaign: str
    categories: tuple[str, ...]  # headings of the nominee columns ("Tập thể", "Giáo viên"…)
    awards: tuple[str, ...]  # headings of the selection columns (award labels)
    schools: tuple[SchoolResult, ...]
    school_year: bool = False  # a whole year: the registrants without a report are listed
    unreported: tuple[Registrant, ...] = field(default=())

    @property
    def total(self) -> SchoolResult:
        def add(*values: tuple[int, ...]) -> tuple[int, ...]:
            return tuple(sum(column) for column in zip(*values)) if values else ()

        s = self.schools
        return SchoolResult(
            school="Tổng cộng",
            registrations=sum(r.registrations for r in s),
            lists=sum(r.lists for r in s),
            reports=sum(r.reports for r in s),
            nominees=add(*(r.nominees for r in s)) or (0,) * len(self.categories),
            accepted=sum(r.accepted for r in s),
            needs_correction=sum(r.needs_correction for r in s),
            late=sum(r.late for r in s),
            reviewed=sum(r.reviewed for r in s),
            evidence_ok=sum(r.evidence_ok for r in s),
            selected=add(*(r.selected for r in s)) or (0,) * len(self.awards),
        )


def vietnamese_date(place: str, day: date) -> str:
    """ "Phong Điền, ngày 15 tháng 3 năm 2018": Nghị định 30/2020 writes a zero before days below 10
    and before months 1 and 2 ("ngày 05 tháng 02"), never before the other months."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
