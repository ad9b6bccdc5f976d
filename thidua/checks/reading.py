"""What the checks read off a mail: its documents, its nomination lists and nominees, and how to
name a nominee or a field in a problem (SPEC: ``field`` is the key; see :mod:`thidua.checks.rules`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from thidua.checks.context import CheckContext, DocumentFinding
from thidua.parsers.forms.model import Nominee, UnderstoodDocument
from thidua.text import clean, fold, is_placeholder, strip_placeholder
from thidua.wording import findings as say

MAIN_KINDS = frozenset({"registration", "nomination_list", "report"})
IMAGE_TYPES = frozenset({"jpeg", "png", "gif", "tiff", "bmp", "webp", "heic"})
INLINE_IMAGE_BYTES = 10 * 1024  # smaller images are signature logos and the like, not documents
INDIVIDUALS = frozenset({"manager", "teacher", "staff", "student"})
# A nominee whose category is unknown but whose name starts like this is a collective
# (compared with diacritics: "Tổ Toán" is a collective, "Tô Thị Lan" a person).
COLLECTIVE_NAMES = (
    "tập thể",
    "tổ ",
    "khối ",
    "trường ",
    "lớp ",
    "chi đoàn",
    "liên đội",
    "chi đội",
    "công đoàn",
    "nhóm ",
    "phòng ",
    "ban ",
    "đội ",
    "chi bộ",
    "câu lạc bộ",
)
# A unit named like this is a department of the sending school, not a school of an office's list.
DEPARTMENT_NAMES = ("tổ ", "khối ", "lớp ", "nhóm ", "bộ phận ", "ban ", "phòng ban")
# Evidence cells that say "attached" without naming anything.
GENERIC_EVIDENCE = frozenset(
    fold(t)
    for t in (
        "có",
        "x",
        "đính kèm",
        "kèm theo",
        "file đính kèm",
        "tệp đính kèm",
        "minh chứng đính kèm",
        "minh chứng kèm theo",
        "hồ sơ kèm theo",
        "như trên",
        "có minh chứng",
        "có đính kèm",
        "đã gửi",
        "gửi kèm",
        "kèm file",
    )
)


# --- reading the context ----------------------------------------------------------------------


def is_trivial(finding: DocumentFinding) -> bool:
    """A tiny inline image (a signature logo): not a document the school meant to send."""
    return finding.detected in IMAGE_TYPES and finding.size < INLINE_IMAGE_BYTES


def documents_sent(ctx: CheckContext) -> list[DocumentFinding]:
    return [f for f in ctx.documents if not is_trivial(f)]


def has_main_document(ctx: CheckContext) -> bool:
    """A registration, nomination list or report was received and read, or articles and photos
    for the website (``publicity``: what the school meant to send, never to be re-sent as a form)."""
    return any((f.kind in MAIN_KINDS or f.kind == "publicity") and not f.failure for f in ctx.documents)


def read_by_ocr(finding: DocumentFinding) -> bool:
    """A scan on which OCR recognised a registration, nomination list or report."""
    return finding.understood is not None and finding.understood.ocr and finding.understood.kind in MAIN_KINDS


def people_named(understood: UnderstoodDocument) -> list[str]:
    names = (clean(strip_placeholder(r.values.get("full_name", ""))) for r in understood.registrations)
    return [name for name in names if name]


def documents_of_kind(ctx: CheckContext, kind: str) -> Iterator[tuple[DocumentFinding, UnderstoodDocument]]:
    for finding in ctx.documents:
        if finding.kind == kind and finding.understood is not None:
            yield finding, finding.understood


def nomination_lists(ctx: CheckContext) -> list[tuple[DocumentFinding, tuple[Nominee, ...]]]:
    return [(f, u.nominees) for f, u in documents_of_kind(ctx, "nomination_list") if u.nominees]


def all_nominees(ctx: CheckContext) -> list[tuple[DocumentFinding, Nominee]]:
    return [(f, n) for f, nominees in nomination_lists(ctx) for n in nominees]


def row_number(nominee: Nominee, index: int) -> int:
    return nominee.row or index


def nominee_field(nominee: Nominee, key: str, index: int = 0) -> str:
    """``nominees[<rank>].<key>``; the row number stands in for a missing rank."""
    number = nominee.rank if nominee.rank is not None else row_number(nominee, index)
    return f"nominees[{number}].{key}"


def nominee_label(nominee: Nominee, key: str) -> str:
    return say.label_text(nominee.labels.get(key), say.NOMINEE_LABELS[key])


def nominee_subject(finding: DocumentFinding, nominee: Nominee, index: int) -> str:
    """The unit is always named; the section only when the rank is in the list more than once
    (ranks restart in each section), so that the school finds the row."""
    section = nominee.section if nominee.rank is not None and rank_repeats(finding, nominee) else ""
    return say.nominee_subject(
        finding.name,
        nominee.rank,
        row_number(nominee, index),
        clean(nominee.name),
        clean(nominee.unit),
        section,
    )


def rank_repeats(finding: DocumentFinding, nominee: Nominee) -> bool:
    nominees = finding.understood.nominees if finding.understood else ()
    return sum(1 for other in nominees if other.rank == nominee.rank and other.unit == nominee.unit) > 1


def nominees_with_index(ctx: CheckContext) -> Iterator[tuple[DocumentFinding, Nominee, int]]:
    for finding, nominees in nomination_lists(ctx):
        for index, nominee in enumerate(nominees, start=1):
            yield finding, nominee, index


def is_blank(value: str | None) -> bool:
    return is_placeholder(value) or not strip_placeholder(value or "")


def school_year_missing(value: str) -> bool:
    """Blank, or still the template's "20. . . – 20. . ." without a year written in."""
    if is_blank(value):
        return True
    return not any(len(run) == 4 for run in "".join(c if c.isdigit() else " " for c in value).split())


def looks_collective(nominee: Nominee) -> bool:
    name = clean(nominee.name).lower() + " "
    if name.startswith(COLLECTIVE_NAMES):
        return True
    if name.isascii():  # typed without diacritics
        folded = tuple(fold(p) + " " for p in COLLECTIVE_NAMES if fold(p) != "to")  # "to": tổ or Tô
        return (fold(name) + " ").startswith(folded)
    return False


def to_zone_of(moment: datetime, like: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=like.tzinfo)
    return moment.astimezone(like.tzinfo) if like.tzinfo else moment
