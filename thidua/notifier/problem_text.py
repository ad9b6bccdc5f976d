"""How a problem reads in a reply: where it is, in the school's own words, and what to do (the
words themselves are in ``thidua.wording.replies``).

A clerk fixes a file faster when the reply names the field the way her file names it
("Mục «Mục tiêu của giải pháp»" rather than an internal key) and says whose row it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from thidua.notifier.headers import header_safe, shorten
from thidua.notifier.views import ReplyProblem, ReplyView
from thidua.text import strip_numbering
from thidua.wording.replies import (
    DEFAULT_ADVICE,
    MACRO_ADVICE,
    MACRO_NOTE,
    NOTHING_RECOGNISED,
    PROBLEM_ABOUT_FILE,
    PROBLEM_WITH_PLACE,
    PROBLEM_WITHOUT_PLACE,
    SCAN_WITHOUT_EDITABLE,
    SCANS_WITHOUT_EDITABLE,
)
from thidua.wording.vocabulary import field_label_vi, is_nominee_field, problem_vi, split_field

LABEL_CHARS = 90


@dataclass(frozen=True)
class ProblemText:
    code: str
    severity: str
    heading: str  # what is wrong and where, in the school's words
    advice: str  # what to do (the check's own message when it gave one)


def school_label(label: str) -> str:
    """The school's label without its numbering and trailing colon or dots:
    "7. Mục tiêu giải pháp đổi mới:" → "Mục tiêu giải pháp đổi mới"."""
    text = strip_numbering(header_safe(label)).strip(" :;,.…-–—")
    return shorten(text, LABEL_CHARS)


def _place(problem: ReplyProblem, view: ReplyView) -> str:
    label = school_label(problem.label) or field_label_vi(problem.field)
    if not label:
        return ""
    group, index, _ = split_field(problem.field)
    if is_nominee_field(problem.field):
        place = f"Cột «{label}»"
        nominee = next((n for n in view.nominees if index is not None and n.rank == index), None)
        if nominee is not None and header_safe(nominee.name):
            place += f" của {header_safe(nominee.name)} (STT {index})"
        elif index is not None:
            place += f" ở dòng STT {index}"
        return place
    place = f"Mục «{label}»"
    # registrations[n] counts from 1 (the checks number them as a clerk would).
    if group == "registrations" and index is not None and 1 <= index <= len(view.registrations):
        name = header_safe(view.registrations[index - 1])
        if name and len(view.registrations) > 1:
            place += f" trong phiếu đăng ký của {name}"
    return place


def _file(problem: ReplyProblem, view: ReplyView) -> str:
    """The file a file-level problem is about, when its field names one we received."""
    names = {header_safe(d.name) for d in view.documents}
    candidate = header_safe(problem.field)
    return candidate if candidate in names else ""


def _about_scans(problem: ReplyProblem, view: ReplyView) -> bool:
    """The problem is the one about scans sent without their editable file (its field is the
    scan, or "attachments" when there are several)."""
    file = _file(problem, view)
    if file:
        return any(d.scan and header_safe(d.name) == file for d in view.documents)
    return problem.field == "attachments" and any(d.scan for d in view.documents)


def describe(problem: ReplyProblem, view: ReplyView) -> ProblemText:
    heading = ""
    place = _place(problem, view) if problem.code in PROBLEM_WITH_PLACE else ""
    if place:
        heading = PROBLEM_WITH_PLACE[problem.code].format(where=place)
    elif problem.code == "unreadable_attachment" and problem.field == "documents":
        heading = NOTHING_RECOGNISED
    elif problem.code == "unreadable_attachment" and _about_scans(problem, view):
        file = _file(problem, view)
        heading = SCAN_WITHOUT_EDITABLE.format(file=file) if file else SCANS_WITHOUT_EDITABLE
    elif problem.code in PROBLEM_ABOUT_FILE and _file(problem, view):
        heading = PROBLEM_ABOUT_FILE[problem.code].format(file=_file(problem, view))
    else:
        heading = PROBLEM_WITHOUT_PLACE.get(problem.code, problem_vi(problem.code) + ".")
    advice = (problem.message or "").strip() or DEFAULT_ADVICE.get(problem.code, "")
    return ProblemText(problem.code, problem.severity, heading, advice)


def describe_all(view: ReplyView) -> tuple[tuple[ProblemText, ...], tuple[ProblemText, ...]]:
    """(errors to fix, warnings to note), each in the order the checks found them."""
    texts = [describe(p, view) for p in view.problems]
    errors = tuple(t for t in texts if t.severity == "error")
    warnings = tuple(t for t in texts if t.severity != "error")
    return errors, warnings


def document_notes(view: ReplyView) -> tuple[ProblemText, ...]:
    """Notes about files that are not problems of the submission (no SPEC code): shown with the warnings."""
    return tuple(
        ProblemText("macros", "warning", MACRO_NOTE.format(file=header_safe(d.name)), MACRO_ADVICE)
        for d in view.documents
        if d.macros
    )
