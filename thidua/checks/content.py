"""The rules on what the documents say: required fields, categories, ranks, evidence, figures."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from thidua.checks.context import CheckContext, DocumentFinding
from thidua.checks.evidence import find_evidence, is_link
from thidua.checks.model import Problem
from thidua.checks.quantity import is_quantified
from thidua.checks.ranks import rank_faults
from thidua.checks.reading import (
    GENERIC_EVIDENCE,
    INDIVIDUALS,
    documents_of_kind,
    is_blank,
    looks_collective,
    nomination_lists,
    nominee_field,
    nominee_label,
    nominee_subject,
    nominees_with_index,
    row_number,
    school_year_missing,
)
from thidua.parsers.forms.model import REGISTRATION_FIELDS, Nominee, Registration, UnderstoodDocument
from thidua.text import clean, fold, strip_placeholder
from thidua.wording import findings as say

# --- the content ------------------------------------------------------------------------------


def _empty_documents(ctx: CheckContext) -> Iterator[Problem]:
    """A registration form or nomination list recognised by its headings but with nothing filled in."""
    for finding, understood in documents_of_kind(ctx, "registration"):
        if not understood.registrations:
            yield Problem("missing_field", "registrations", say.empty_registration(finding.name))
    for finding, understood in documents_of_kind(ctx, "nomination_list"):
        if not understood.nominees:
            yield Problem("missing_field", "nominees", say.empty_nomination_list(finding.name))


def _registration_problems(ctx: CheckContext) -> Iterator[Problem]:
    entries: list[tuple[DocumentFinding, UnderstoodDocument, Registration, int]] = []
    for finding, understood in documents_of_kind(ctx, "registration"):
        for index, registration in enumerate(understood.registrations, start=1):
            entries.append((finding, understood, registration, index))
    several = len(entries) > 1
    for number, (finding, understood, registration, index) in enumerate(entries, start=1):
        values = registration.values
        subject = say.registration_subject(
            clean(strip_placeholder(values.get("full_name", ""))),
            finding.name,
            index,
            len(understood.registrations),
        )
        for key in REGISTRATION_FIELDS:
            value = values.get(key, "")
            if key == "school" and is_blank(value):
                value = understood.school if not is_blank(understood.school) else (ctx.sender_school or "")
            if key == "school_year" and school_year_missing(value):
                value = understood.school_year
            missing = school_year_missing(value) if key == "school_year" else is_blank(value)
            if not missing:
                continue
            label = say.label_text(registration.labels.get(key), say.REGISTRATION_LABELS[key])
            field = f"registrations[{number}].{key}" if several else key
            yield Problem("missing_field", field, say.missing_registration_field(subject, key, label))


def _nominee_problems(ctx: CheckContext) -> Iterator[Problem]:
    for finding, nominee, index in nominees_with_index(ctx):
        subject = nominee_subject(finding, nominee, index)
        required = ["name"]
        if nominee.category is None and is_blank(nominee.category_text):
            required.append("category")
        if nominee.category in INDIVIDUALS or (nominee.category is None and not looks_collective(nominee)):
            required.append("position")
        required.append("achievements")
        values = {
            "name": nominee.name,
            "category": nominee.category_text,
            "position": nominee.position,
            "achievements": nominee.achievements,
        }
        for key in required:
            if is_blank(values[key]):
                yield Problem(
                    "missing_field",
                    nominee_field(nominee, key, index),
                    say.missing_nominee_field(subject, key, nominee_label(nominee, key)),
                )


def missing_field(ctx: CheckContext) -> Iterable[Problem]:
    """Required registration fields (school and school year fall back to the document's header,
    the school also to the sender's registered school) and required nominee fields (name,
    category when the cell is empty, position for individuals, achievements).  A form or list
    with no person in it at all is missing ``registrations`` / ``nominees`` as a whole."""
    yield from _empty_documents(ctx)
    yield from _registration_problems(ctx)
    yield from _nominee_problems(ctx)


def unknown_category(ctx: CheckContext) -> Iterable[Problem]:
    """A nominee's category cell holds a word that is none of the accepted categories."""
    for finding, nominee, index in nominees_with_index(ctx):
        if nominee.category is None and not is_blank(nominee.category_text):
            yield Problem(
                "unknown_category",
                nominee_field(nominee, "category", index),
                say.unknown_category(
                    nominee_subject(finding, nominee, index),
                    nominee_label(nominee, "category"),
                    clean(nominee.category_text),
                ),
            )


def bad_rank(ctx: CheckContext) -> Iterable[Problem]:
    """Per nomination list: ranks must be exactly 1..n, each once (the list is in priority
    order), or 1..k in each section (or sheet) when sections split the list by category or
    by award form (see :mod:`thidua.checks.ranks`).  One problem per list, field
    ``nominees.rank``, listing every fault. An additional (bổ sung) list may instead continue the
    earlier list's numbering (4, 5, 6…)."""
    for finding, nominees in nomination_lists(ctx):
        if ctx.additional and _continues_numbering(nominees):
            continue
        entries = [(nominee, row_number(nominee, index)) for index, nominee in enumerate(nominees, start=1)]
        faults = rank_faults(entries, _kind)
        if faults.count:
            label = nominee_label(nominees[0], "rank")
            details = faults.details()
            if faults.by_unit:
                yield Problem("bad_rank", "nominees.rank", say.bad_rank_by_unit(finding.name, label, details))
            elif any(section for section, _ in faults.by_section):
                yield Problem(
                    "bad_rank", "nominees.rank", say.bad_rank_by_section(finding.name, label, details)
                )
            else:
                yield Problem("bad_rank", "nominees.rank", say.bad_rank(finding.name, label, details))


def _kind(nominee: Nominee) -> str:
    """A nominee's category for telling sections apart; a person of unknown category is an individual."""
    if nominee.category:
        return nominee.category
    return "collective" if looks_collective(nominee) else "individual"


def _continues_numbering(nominees: tuple[Nominee, ...]) -> bool:
    """Ranks k+1, k+2, … k+n, each once, in a list of n (k > 0)."""
    ranks = [n.rank for n in nominees]
    if any(rank is None for rank in ranks):
        return False
    start = min(ranks)
    return start > 1 and sorted(ranks) == list(range(start, start + len(ranks)))


def missing_evidence(ctx: CheckContext) -> Iterable[Problem]:
    """A nominee lists no evidence, or an item it lists was not received (directly or in an
    archive; matching is tolerant, see :mod:`thidua.checks.evidence`)."""
    files = ctx.file_names
    for finding, nominee, index in nominees_with_index(ctx):
        items = [clean(e) for e in nominee.evidence if not is_blank(e)]
        subject = nominee_subject(finding, nominee, index)
        label = nominee_label(nominee, "evidence")
        field = nominee_field(nominee, "evidence", index)
        named = [e for e in items if fold(e) not in GENERIC_EVIDENCE]
        if not items:
            yield Problem("missing_evidence", field, say.no_evidence_listed(subject, label))
            continue
        if not named:
            yield Problem("missing_evidence", field, say.evidence_not_named(subject, label, items))
            continue
        links = [e for e in named if is_link(e)]
        missing = [e for e in named if not is_link(e) and find_evidence(e, files) is None]
        if missing or links:
            yield Problem(
                "missing_evidence", field, say.evidence_not_attached(subject, label, missing, links)
            )


def not_quantified(ctx: CheckContext) -> Iterable[Problem]:
    """An achievement summary is written but holds no figure (a warning)."""
    for finding, nominee, index in nominees_with_index(ctx):
        if not is_blank(nominee.achievements) and not is_quantified(nominee.achievements):
            yield Problem(
                "not_quantified",
                nominee_field(nominee, "achievements", index),
                say.not_quantified(
                    nominee_subject(finding, nominee, index), nominee_label(nominee, "achievements")
                ),
            )
