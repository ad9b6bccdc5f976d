"""Which scan is the signed, stamped copy ("bản in có dấu") of an editable file sent with it.

Offices ask for both: the Word or Excel file to read, and the printed page with the
signature and the school's stamp, scanned or photographed. OCR says what a scan is; a
scan whose recognised content matches an editable document of the same mail is that
document's signed copy, listed as such rather than as anonymous evidence.

A scan matches an editable registration, nomination list or report when OCR recognised
the same kind, or the same title whatever kind it settled on; and when both name people
(registrants, nominees), at least one name is shared: another teacher's scanned form is
not this form's signed copy. A scan that a nominee names as its evidence stays evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from thidua.checks.context import DocumentFinding
from thidua.checks.evidence import evidence_files
from thidua.parsers.forms.model import UnderstoodDocument
from thidua.text import fold, strip_placeholder

EDITABLE_KINDS = frozenset({"registration", "nomination_list", "report"})
# Share of the shorter title's words found in the other: OCR misreads a word or two, and a
# title may be cut short in one copy ("DANH SÁCH TẬP THỂ, CÁ NHÂN TIÊU BIỂU" and the full line).
TITLE_OVERLAP = 0.8
MIN_TITLE_WORDS = 3  # "BÁO CÁO" alone names no particular document


def mark_signed_copies(findings: Sequence[DocumentFinding]) -> list[DocumentFinding]:
    """``findings`` with ``signed_copy_of`` set on each scan that is an editable document's signed copy."""
    editable = [f for f in findings if f.kind in EDITABLE_KINDS and not f.failure and f.understood]
    scans = [f for f in findings if f.failure == "scan" and f.understood and f.understood.ocr]
    if not editable or not scans:
        return list(findings)
    nominees = [n for f in findings if f.understood for n in f.understood.nominees]
    named = evidence_files(nominees, [f.name for f in findings]) if nominees else set()
    twins = {}
    for scan in scans:
        twin = None if scan.name in named else _original_of(scan.understood, editable)
        if twin is not None:
            twins[scan.name] = twin.name
    return [replace(f, signed_copy_of=twins[f.name]) if f.name in twins else f for f in findings]


def _original_of(scan: UnderstoodDocument, editable: Sequence[DocumentFinding]) -> DocumentFinding | None:
    """The editable document ``scan`` is a copy of: the one sharing most names, then the first received."""
    matches = [f for f in editable if f.understood and _same_document(scan, f.understood)]
    return max(matches, key=lambda f: len(_names(scan) & _names(f.understood)), default=None)


def _same_document(scan: UnderstoodDocument, document: UnderstoodDocument) -> bool:
    if scan.kind != document.kind and not _same_title(scan.title, document.title):
        return False
    ours, theirs = _names(scan), _names(document)
    return not (ours and theirs and not ours & theirs)


def _names(document: UnderstoodDocument) -> frozenset[str]:
    names = [r.values.get("full_name", "") for r in document.registrations] + [
        n.name for n in document.nominees
    ]
    return frozenset(key for key in (fold(strip_placeholder(name)) for name in names) if key)


def _same_title(first: str, second: str) -> bool:
    a, b = set(fold(first).split()), set(fold(second).split())
    if min(len(a), len(b)) < MIN_TITLE_WORDS:
        return False
    return len(a & b) / min(len(a), len(b)) >= TITLE_OVERLAP
