"""What a document is, from its content only: title, labels, table headers.

The file name and the MIME type a mail claims say nothing reliable (schools name
a nomination list "dang ky.docx" and reuse last year's files), so only the
content is weighed. Each kind collects evidence and the strongest wins:

* a nominee header row (name + achievements/evidence/award/category) is strong;
* a registration title, and each registration label filled or not, count;
* a report, evidence or article (publicity) title counts when neither of the above is strong.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from thidua.parsers.content import DocumentText, Paragraph, Table
from thidua.parsers.forms.definitions import BODY_FIELDS, FIRST_BODY_FIELD, NOMINEE_SPECIFIC_COLUMNS
from thidua.parsers.forms.header import HEADER_LINES, Header, read_header, school_year_in
from thidua.parsers.forms.lines import Line, document_lines
from thidua.parsers.forms.model import Nominee, Registration, UnderstoodDocument
from thidua.parsers.forms.nominations import read_nominees
from thidua.parsers.forms.people import people_named
from thidua.parsers.forms.registration import read_registrations
from thidua.parsers.forms.roles import TableRoles, table_roles
from thidua.parsers.forms.titles import Title, find_title

IMAGE_FORMATS = frozenset({"jpeg", "jpg", "png", "gif", "tiff", "bmp", "webp", "heic", "image"})
# Weights of the evidence for each kind (see the module docstring).
TITLE_WEIGHT = 3
NOMINEE_HEADER_WEIGHT = 5
OTHER_TITLE_WEIGHT = 5
# Without a registration title, this many registration labels (the name among them)
# make a registration; a report's "Thực trạng / Giải pháp / Kết quả" headings do not.
MIN_REGISTRATION_LABELS = 3
MIN_REGISTRATION_LABELS_AGAINST_TITLE = 7
# Where a report's or certificate's header (school, year) is.
TOP_LINES = 40


@dataclass(frozen=True)
class _Findings:
    title: Title | None
    lines: tuple[Line, ...]
    roles: TableRoles
    registrations: tuple[Registration, ...]
    registration_header: Header
    nominees: tuple[Nominee, ...]
    nomination_header: Header


def understand(doc: DocumentText, filename: str = "") -> UnderstoodDocument:
    """Recognise a document and extract its records. ``filename`` is accepted for
    the callers' convenience and deliberately not used: kinds come from content.
    Text recognised on a scan (notes "ocr") is understood like any other, and the
    result says where it came from."""
    del filename
    understood = _understand(doc)
    return replace(understood, ocr=True) if "ocr" in doc.notes else understood


def _understand(doc: DocumentText) -> UnderstoodDocument:
    if not _has_text(doc):
        return UnderstoodDocument(kind="evidence" if _is_picture(doc) else "unknown")
    findings = _find(doc)
    kind = _kind(doc, findings)
    title = findings.title.text if findings.title else ""
    if kind == "registration":
        header = findings.registration_header
        return UnderstoodDocument(
            kind=kind,
            title=title,
            school=header.school or _first(r.values.get("school", "") for r in findings.registrations),
            school_year=header.school_year
            or _first(r.values.get("school_year", "") for r in findings.registrations)
            or school_year_in(title),
            registrations=findings.registrations,
        )
    if kind == "nomination_list":
        header = findings.nomination_header
        if not (header.school or header.school_year):
            header = _top_header(findings.lines)
        return UnderstoodDocument(
            kind=kind,
            title=title,
            school=header.school,
            school_year=header.school_year or school_year_in(title),
            nominees=findings.nominees,
        )
    header = _top_header(findings.lines)
    return UnderstoodDocument(
        kind=kind,
        title=title,
        school=header.school,
        school_year=header.school_year or school_year_in(title),
        people=people_named(doc) if kind == "report" else (),
    )


def classify(doc: DocumentText) -> str:
    """The kind of a document: one of model.KINDS."""
    return understand(doc).kind


def _find(doc: DocumentText) -> _Findings:
    roles = table_roles(doc)
    lines = document_lines(doc, limit=HEADER_LINES)
    registrations, registration_header = read_registrations(doc, roles, lines)
    nominees, nomination_header = read_nominees(doc, roles, lines)
    return _Findings(
        find_title(lines), lines, roles, registrations, registration_header, nominees, nomination_header
    )


def _kind(doc: DocumentText, found: _Findings) -> str:
    if _is_picture(doc) and "ocr" not in doc.notes:
        return "evidence"
    title_kind = found.title.kind if found.title else None
    scores = {
        "registration": _registration_score(found, title_kind),
        "nomination_list": _nomination_score(doc, found, title_kind),
    }
    if title_kind in ("report", "evidence", "publicity"):
        scores[title_kind] = OTHER_TITLE_WEIGHT
    best = max(scores.values())
    if best < TITLE_WEIGHT:
        return "unknown"
    # on a tie, a list that has nominees wins over a form, a form over a bare title
    order = ("nomination_list", "registration", "report", "publicity", "evidence")
    if not found.nominees:
        order = ("registration", "nomination_list", "report", "publicity", "evidence")
    return next(kind for kind in order if scores.get(kind) == best)


def _registration_score(found: _Findings, title_kind: str | None) -> int:
    labels = max((_body_labels(r) for r in found.registrations), default=0)
    named = any(FIRST_BODY_FIELD in r.values for r in found.registrations)
    if title_kind == "registration":
        return TITLE_WEIGHT + labels
    filled = any(r.values.get(key) for r in found.registrations for key in BODY_FIELDS)
    if title_kind == "other" and not filled:
        return 0  # the blank template at the end of an office's guidance
    needed = (
        MIN_REGISTRATION_LABELS_AGAINST_TITLE
        if title_kind in ("report", "evidence", "publicity")
        else MIN_REGISTRATION_LABELS
    )
    return labels if named and labels >= needed else 0


def _nomination_score(doc: DocumentText, found: _Findings, title_kind: str | None) -> int:
    score = 0
    if found.roles.nominees:
        specific = max(
            len(set(layout.columns) & set(NOMINEE_SPECIFIC_COLUMNS))
            for layout in found.roles.nominees.values()
        )
        score += NOMINEE_HEADER_WEIGHT + specific
    # OCR gives a scanned list's rows as lines without the grid: its title alone names it.
    if title_kind == "nomination_list" and (doc.tables or "ocr" in doc.notes):
        score += TITLE_WEIGHT
    return score


def _body_labels(registration: Registration) -> int:
    return sum(1 for key in registration.values if key in BODY_FIELDS)


def _top_header(lines: tuple[Line, ...]) -> Header:
    return read_header(line.text for line in lines[:TOP_LINES])


def _has_text(doc: DocumentText) -> bool:
    for block in doc.blocks:
        if isinstance(block, Paragraph) and block.text.strip():
            return True
        if isinstance(block, Table) and any((cell or "").strip() for row in block.rows for cell in row):
            return True
    return False


def _is_picture(doc: DocumentText) -> bool:
    return doc.is_scan or doc.format.lower() in IMAGE_FORMATS


def _first(values) -> str:
    return next((v for v in values if v), "")
