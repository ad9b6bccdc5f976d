"""What understanding a document yields: its kind and the records in it."""

from __future__ import annotations

from dataclasses import dataclass, field

CATEGORIES = ("collective", "manager", "teacher", "staff", "student")

REGISTRATION_FIELDS = (
    "school",
    "school_year",
    "full_name",
    "assigned_task",
    "innovation_area",
    "current_situation",
    "objectives",
    "expected_results",
    "trial_period",
    "trial_steps",
    "dissemination_scope",
)

NOMINEE_FIELDS = ("rank", "name", "category", "position", "achievements", "evidence", "award", "unit")


@dataclass(frozen=True)
class Registration:
    """One person's registration. ``values`` holds every key of REGISTRATION_FIELDS
    that was found (NFC text, "" when the label was there but the value empty);
    ``labels`` holds the label text the school used for each key found."""

    values: dict[str, str]
    labels: dict[str, str]

    def __hash__(self) -> int:  # dicts inside a frozen dataclass: hash by identity
        return id(self)


@dataclass(frozen=True)
class Nominee:
    """One row of a nomination list, as the school wrote it, NFC."""

    rank: int | None  # None when the cell is empty or not a number
    rank_text: str
    name: str
    category: str | None  # one of CATEGORIES, None when not recognised
    category_text: str
    position: str
    achievements: str
    evidence: tuple[str, ...]  # file names or descriptions, split from the cell
    award: str
    labels: dict[str, str] = field(default_factory=dict, compare=False)  # key -> column header used
    row: int = 0  # 1-based row in the table, for messages
    # The sheet or table (when the list has several) and the section rows above the nominee,
    # outermost first, joined by " › " ("Cá nhân › II. CÁ NHÂN"); "" when none.
    section: str = ""
    # The unit a consolidated list names on the row (column "Trường / đơn vị"): the school an
    # office's list puts each nominee under; "" when the list has no such column.
    unit: str = ""

    def __hash__(self) -> int:
        return id(self)


@dataclass(frozen=True)
class UnderstoodDocument:
    kind: str  # one of thidua.kinds.KINDS
    title: str = ""
    school: str = ""  # from the header (Cơ sở giáo dục / Trường …), "" when absent
    school_year: str = ""
    registrations: tuple[Registration, ...] = ()
    nominees: tuple[Nominee, ...] = ()
    ocr: bool = False  # read by OCR off a scan or photo: letters may be misread
    people: tuple[str, ...] = ()  # a results report: the people it names, in order of first mention
