"""The checks, one small named rule per problem code.

Each rule is a plain function ``rule(ctx) -> Iterable[Problem]`` that looks at the
:class:`CheckContext` and yields the problems it finds (none when all is well).  ``RULES``
lists them in the order their problems are reported; :func:`run_checks` runs them all.
Every rule always runs, even for a sender that will be rejected, so staff see everything.

Field names (SPEC: ``field`` is the key):

* registrations: the key (``full_name``) when the submission holds one registration,
  ``registrations[<n>].<key>`` (1-based, in document order across files) when it holds several;
* nominees: ``nominees[<rank>].<key>``; a row without a usable rank uses its row number; when
  ranks restart per section or per unit the field stays the same and the message names the
  unit and section (``nominee_subject``), which tell the rows apart;
* ranks: one ``nominees.rank`` problem per nomination list, the message lists every fault;
* quota: ``nominees``; sender: ``sender``;
* files: the file's display name (``hoso.zip/Giấy khen.pdf`` inside an archive); an archive
  that could not be opened within the limits is named once, by the archive the school sent;
  ``no_attachment`` uses ``attachments``, and so does a scan problem covering several scans;
* an empty form or list: ``registrations`` / ``nominees``; a late mail: ``received_at``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from thidua.checks.context import CheckContext, DocumentFinding
from thidua.checks.evidence import find_evidence, is_link
from thidua.checks.model import Problem
from thidua.checks.quantity import is_quantified
from thidua.checks.ranks import rank_faults
from thidua.checks.recognition import expected_kinds, looks_like
from thidua.parsers.forms.model import REGISTRATION_FIELDS, Nominee, Registration, UnderstoodDocument
from thidua.text import clean, fold, is_placeholder, nominee_identity, strip_placeholder
from thidua.wording import findings as say

Rule = Callable[[CheckContext], Iterable[Problem]]

MAIN_KINDS = frozenset({"registration", "nomination_list", "report"})
IMAGE_TYPES = frozenset({"jpeg", "png", "gif", "tiff", "bmp", "webp", "heic"})
INLINE_IMAGE_BYTES = 10 * 1024  # smaller images are signature logos and the like, not documents
INDIVIDUALS = frozenset({"manager", "teacher", "staff", "student"})
# A nominee whose category is unknown but whose name starts like this is a collective
# (compared with diacritics: "Tổ Toán" is a collective, "Tô Thị Lan" a person).
COLLECTIVE_NAMES = (
    "tập thể", "tổ ", "khối ", "trường ", "lớp ", "chi đoàn", "liên đội", "chi đội", "công đoàn",
    "nhóm ", "phòng ", "ban ", "đội ", "chi bộ", "câu lạc bộ",
)
# A unit named like this is a department of the sending school, not a school of an office's list.
DEPARTMENT_NAMES = ("tổ ", "khối ", "lớp ", "nhóm ", "bộ phận ", "ban ", "phòng ban")
# Evidence cells that say "attached" without naming anything.
GENERIC_EVIDENCE = frozenset(
    fold(t) for t in (
        "có", "x", "đính kèm", "kèm theo", "file đính kèm", "tệp đính kèm", "minh chứng đính kèm",
        "minh chứng kèm theo", "hồ sơ kèm theo", "như trên", "có minh chứng", "có đính kèm", "đã gửi",
        "gửi kèm", "kèm file",
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


def _read_by_ocr(finding: DocumentFinding) -> bool:
    """A scan on which OCR recognised a registration, nomination list or report."""
    return finding.understood is not None and finding.understood.ocr and finding.understood.kind in MAIN_KINDS


def _people(understood: UnderstoodDocument) -> list[str]:
    names = (clean(strip_placeholder(r.values.get("full_name", ""))) for r in understood.registrations)
    return [name for name in names if name]


def _understood(ctx: CheckContext, kind: str) -> Iterator[tuple[DocumentFinding, UnderstoodDocument]]:
    for finding in ctx.documents:
        if finding.kind == kind and finding.understood is not None:
            yield finding, finding.understood


def nomination_lists(ctx: CheckContext) -> list[tuple[DocumentFinding, tuple[Nominee, ...]]]:
    return [(f, u.nominees) for f, u in _understood(ctx, "nomination_list") if u.nominees]


def all_nominees(ctx: CheckContext) -> list[tuple[DocumentFinding, Nominee]]:
    return [(f, n) for f, nominees in nomination_lists(ctx) for n in nominees]


def _row(nominee: Nominee, index: int) -> int:
    return nominee.row or index


def nominee_field(nominee: Nominee, key: str, index: int = 0) -> str:
    """``nominees[<rank>].<key>``; the row number stands in for a missing rank."""
    number = nominee.rank if nominee.rank is not None else _row(nominee, index)
    return f"nominees[{number}].{key}"


def _nominee_label(nominee: Nominee, key: str) -> str:
    return say.label_text(nominee.labels.get(key), say.NOMINEE_LABELS[key])


def _nominee_subject(finding: DocumentFinding, nominee: Nominee, index: int) -> str:
    """The unit is always named; the section only when the rank is in the list more than once
    (ranks restart in each section), so that the school finds the row."""
    section = nominee.section if nominee.rank is not None and _rank_repeats(finding, nominee) else ""
    return say.nominee_subject(finding.name, nominee.rank, _row(nominee, index), clean(nominee.name),
                               clean(nominee.unit), section)


def _rank_repeats(finding: DocumentFinding, nominee: Nominee) -> bool:
    nominees = finding.understood.nominees if finding.understood else ()
    return sum(1 for other in nominees if other.rank == nominee.rank and other.unit == nominee.unit) > 1


def _nominees_with_index(ctx: CheckContext) -> Iterator[tuple[DocumentFinding, Nominee, int]]:
    for finding, nominees in nomination_lists(ctx):
        for index, nominee in enumerate(nominees, start=1):
            yield finding, nominee, index


def _blank(value: str | None) -> bool:
    return is_placeholder(value) or not strip_placeholder(value or "")


def _school_year_missing(value: str) -> bool:
    """Blank, or still the template's "20. . . – 20. . ." without a year written in."""
    if _blank(value):
        return True
    return not any(len(run) == 4 for run in "".join(c if c.isdigit() else " " for c in value).split())


def _looks_collective(nominee: Nominee) -> bool:
    name = clean(nominee.name).lower() + " "
    if name.startswith(COLLECTIVE_NAMES):
        return True
    if name.isascii():  # typed without diacritics
        folded = tuple(fold(p) + " " for p in COLLECTIVE_NAMES if fold(p) != "to")  # "to": tổ or Tô
        return (fold(name) + " ").startswith(folded)
    return False


def _to_zone(moment: datetime, like: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=like.tzinfo)
    return moment.astimezone(like.tzinfo) if like.tzinfo else moment


# --- the sender -------------------------------------------------------------------------------

def spoofed_sender(ctx: CheckContext) -> Iterable[Problem]:
    """The trusted receiving server says the sender's domain failed DMARC/DKIM/SPF."""
    if ctx.spoof_failure:
        yield Problem("spoofed_sender", "sender", say.spoofed_sender(ctx.sender))


def unknown_sender(ctx: CheckContext) -> Iterable[Problem]:
    """The sending address is not a registered school address."""
    if ctx.sender_school is None:
        yield Problem("unknown_sender", "sender", say.unknown_sender(ctx.sender))


# --- the files --------------------------------------------------------------------------------

def no_attachment(ctx: CheckContext) -> Iterable[Problem]:
    """The mail carries no files at all (tiny inline images do not count). Files of which none
    is what was asked for are :func:`unreadable_attachment`'s."""
    if not documents_sent(ctx):
        yield Problem("no_attachment", "attachments", say.no_attachment(say.expected_documents(expected_kinds(ctx))))


def _unrecognised(ctx: CheckContext) -> list[DocumentFinding]:
    """The files sent, when none is a registration, list or report and none failed to be read
    (scans aside); [] otherwise. Only scans: :func:`unreadable_attachment` asks for their files."""
    sent = documents_sent(ctx)
    if not sent or has_main_document(ctx) or any(f.failure not in ("", "scan") for f in sent):
        return []
    if all(f.failure == "scan" for f in sent):
        return []
    return sent


def attachment_too_large(ctx: CheckContext) -> Iterable[Problem]:
    """A file over the configured size limit."""
    for finding in ctx.documents:
        if finding.failure == "too_large" or finding.size > ctx.max_attachment_bytes:
            yield Problem("attachment_too_large", finding.name,
                          say.too_large(finding.name, finding.size, ctx.max_attachment_bytes))


def unsupported_format(ctx: CheckContext) -> Iterable[Problem]:
    """A file in a format the service cannot read; the message lists the ones it can."""
    for finding in ctx.documents:
        if finding.failure == "unsupported":
            yield Problem("unsupported_format", finding.name,
                          say.unsupported(finding.name, finding.detected, ctx.readable_formats))


def unreadable_attachment(ctx: CheckContext) -> Iterable[Problem]:
    """A corrupt or password-protected file, an archive that could not be opened within the
    limits, or scans/photos when no editable registration, nomination list or report came
    with them (a scan is fine as evidence, or as the signed copy, next to the editable file), or
    files of which none is a registration, list or report (each told with what it looked like).
    Text OCR read off a scan never replaces the editable file; the message says what was read."""
    archives_told: set[str] = set()
    for finding in ctx.documents:
        if finding.failure == "corrupt":
            yield Problem("unreadable_attachment", finding.name, say.corrupt(finding.name))
        elif finding.failure == "encrypted":
            yield Problem("unreadable_attachment", finding.name, say.encrypted(finding.name))
        elif finding.failure == "archive_limit":
            # one problem per archive the school sent, however many members were left out
            archive = finding.name.partition("/")[0]
            if archive not in archives_told:
                archives_told.add(archive)
                yield Problem("unreadable_attachment", archive, say.archive_limit(archive))
    if has_main_document(ctx):
        return
    unrecognised = _unrecognised(ctx)
    if unrecognised:
        # Files came, none of them a registration, list or report: say what each one looked like
        # and ask for the document the subject, body or round points to (field "documents").
        yield Problem("unreadable_attachment", "documents", say.nothing_recognised(
            [(f.name, looks_like(f)) for f in unrecognised], say.expected_documents(expected_kinds(ctx))))
        return
    scans = [f for f in documents_sent(ctx) if f.failure == "scan"]
    if scans:
        names = [f.name for f in scans]
        # What OCR recognised says which editable file to ask for; otherwise, what the round wants.
        read = [f for f in scans if _read_by_ocr(f)]
        kinds = list(dict.fromkeys(f.understood.kind for f in read))
        expected = say.expected_documents(expected_kinds(ctx, kinds))
        readings = [say.scan_reading(f.understood.kind, _people(f.understood), f.name if len(scans) > 1 else "")
                    for f in read]
        field = names[0] if len(names) == 1 else "attachments"
        yield Problem("unreadable_attachment", field, say.scan_without_editable(names, expected, readings))


# --- the round --------------------------------------------------------------------------------

def late(ctx: CheckContext) -> Iterable[Problem]:
    """Arrived (server time) after the round's deadline; a warning, shown in the deadline's zone."""
    if ctx.round is None or ctx.ad_hoc:
        return
    deadline = ctx.round.deadline
    arrived = _to_zone(ctx.received_at, deadline)
    if arrived > deadline:
        yield Problem("late", "received_at", say.late(ctx.round.label or ctx.round.id, deadline, arrived))


def quota_exceeded(ctx: CheckContext) -> Iterable[Problem]:
    """More distinct nominees (this submission's and the school's other current submissions'
    for the round, a person listed twice counted once) than the round allows per school.
    An ad-hoc list never counts."""
    if ctx.round is None or ctx.round.max_nominees is None or ctx.ad_hoc:
        return
    per_unit = _nominees_per_unit(ctx)
    if per_unit:  # an office's consolidated list: the quota is each of its schools'
        over = [(unit, count) for unit, count in per_unit.values() if count > ctx.round.max_nominees]
        if over:
            yield Problem("quota_exceeded", "nominees", say.quota_exceeded_by_units(
                ctx.round.label or ctx.round.id, ctx.round.max_nominees, over))
        return
    here = {nominee_identity(n.name, n.category) if clean(n.name) else ("", f"#{i}")
            for i, (_, n) in enumerate(all_nominees(ctx))}
    elsewhere = len(ctx.nominees_elsewhere - here)
    if here and len(here) + elsewhere > ctx.round.max_nominees:
        yield Problem("quota_exceeded", "nominees", say.quota_exceeded(
            ctx.round.label or ctx.round.id, ctx.round.max_nominees, len(here), elsewhere))


def _nominees_per_unit(ctx: CheckContext) -> dict[str, tuple[str, int]]:
    """Per unit a consolidated list names (compared folded): its name as first written and how
    many nominees it has. Empty for a school's own list: no unit named, or only the school itself
    or its departments ("Tổ Toán" in a "Đơn vị" column), which share the school's quota."""
    counts: dict[str, tuple[str, int]] = {}
    own = fold(ctx.sender_school)
    for _, nominee in all_nominees(ctx):
        unit = clean(nominee.unit)
        if unit and fold(unit) != own and not unit.lower().startswith(DEPARTMENT_NAMES):
            name, count = counts.get(fold(unit), (unit, 0))
            counts[fold(unit)] = (name, count + 1)
    return counts


# --- the content ------------------------------------------------------------------------------

def _empty_documents(ctx: CheckContext) -> Iterator[Problem]:
    """A registration form or nomination list recognised by its headings but with nothing filled in."""
    for finding, understood in _understood(ctx, "registration"):
        if not understood.registrations:
            yield Problem("missing_field", "registrations", say.empty_registration(finding.name))
    for finding, understood in _understood(ctx, "nomination_list"):
        if not understood.nominees:
            yield Problem("missing_field", "nominees", say.empty_nomination_list(finding.name))


def _registration_problems(ctx: CheckContext) -> Iterator[Problem]:
    entries: list[tuple[DocumentFinding, UnderstoodDocument, Registration, int]] = []
    for finding, understood in _understood(ctx, "registration"):
        for index, registration in enumerate(understood.registrations, start=1):
            entries.append((finding, understood, registration, index))
    several = len(entries) > 1
    for number, (finding, understood, registration, index) in enumerate(entries, start=1):
        values = registration.values
        subject = say.registration_subject(
            clean(strip_placeholder(values.get("full_name", ""))), finding.name, index,
            len(understood.registrations))
        for key in REGISTRATION_FIELDS:
            value = values.get(key, "")
            if key == "school" and _blank(value):
                value = understood.school if not _blank(understood.school) else (ctx.sender_school or "")
            if key == "school_year" and _school_year_missing(value):
                value = understood.school_year
            missing = _school_year_missing(value) if key == "school_year" else _blank(value)
            if not missing:
                continue
            label = say.label_text(registration.labels.get(key), say.REGISTRATION_LABELS[key])
            field = f"registrations[{number}].{key}" if several else key
            yield Problem("missing_field", field, say.missing_registration_field(subject, key, label))


def _nominee_problems(ctx: CheckContext) -> Iterator[Problem]:
    for finding, nominee, index in _nominees_with_index(ctx):
        subject = _nominee_subject(finding, nominee, index)
        required = ["name"]
        if nominee.category is None and _blank(nominee.category_text):
            required.append("category")
        if nominee.category in INDIVIDUALS or (nominee.category is None and not _looks_collective(nominee)):
            required.append("position")
        required.append("achievements")
        values = {"name": nominee.name, "category": nominee.category_text, "position": nominee.position,
                  "achievements": nominee.achievements}
        for key in required:
            if _blank(values[key]):
                yield Problem("missing_field", nominee_field(nominee, key, index),
                              say.missing_nominee_field(subject, key, _nominee_label(nominee, key)))


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
    for finding, nominee, index in _nominees_with_index(ctx):
        if nominee.category is None and not _blank(nominee.category_text):
            yield Problem("unknown_category", nominee_field(nominee, "category", index), say.unknown_category(
                _nominee_subject(finding, nominee, index), _nominee_label(nominee, "category"),
                clean(nominee.category_text)))


def bad_rank(ctx: CheckContext) -> Iterable[Problem]:
    """Per nomination list: ranks must be exactly 1..n, each once (the list is in priority
    order), or 1..k in each section (or sheet) when sections split the list by category or
    by award form (see :mod:`thidua.checks.ranks`).  One problem per list, field
    ``nominees.rank``, listing every fault. An additional (bổ sung) list may instead continue the
    earlier list's numbering (4, 5, 6…)."""
    for finding, nominees in nomination_lists(ctx):
        if ctx.additional and _continues_numbering(nominees):
            continue
        entries = [(nominee, _row(nominee, index)) for index, nominee in enumerate(nominees, start=1)]
        faults = rank_faults(entries, _kind)
        if faults.count:
            label = _nominee_label(nominees[0], "rank")
            details = faults.details()
            if faults.by_unit:
                yield Problem("bad_rank", "nominees.rank", say.bad_rank_by_unit(finding.name, label, details))
            elif any(section for section, _ in faults.by_section):
                yield Problem("bad_rank", "nominees.rank", say.bad_rank_by_section(finding.name, label, details))
            else:
                yield Problem("bad_rank", "nominees.rank", say.bad_rank(finding.name, label, details))


def _kind(nominee: Nominee) -> str:
    """A nominee's category for telling sections apart; a person of unknown category is an individual."""
    if nominee.category:
        return nominee.category
    return "collective" if _looks_collective(nominee) else "individual"


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
    for finding, nominee, index in _nominees_with_index(ctx):
        items = [clean(e) for e in nominee.evidence if not _blank(e)]
        subject = _nominee_subject(finding, nominee, index)
        label = _nominee_label(nominee, "evidence")
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
            yield Problem("missing_evidence", field, say.evidence_not_attached(subject, label, missing, links))


def not_quantified(ctx: CheckContext) -> Iterable[Problem]:
    """An achievement summary is written but holds no figure (a warning)."""
    for finding, nominee, index in _nominees_with_index(ctx):
        if not _blank(nominee.achievements) and not is_quantified(nominee.achievements):
            yield Problem("not_quantified", nominee_field(nominee, "achievements", index), say.not_quantified(
                _nominee_subject(finding, nominee, index), _nominee_label(nominee, "achievements")))


RULES: tuple[Rule, ...] = (
    spoofed_sender,
    unknown_sender,
    no_attachment,
    attachment_too_large,
    unsupported_format,
    unreadable_attachment,
    late,
    quota_exceeded,
    missing_field,
    unknown_category,
    bad_rank,
    missing_evidence,
    not_quantified,
)


def run_checks(ctx: CheckContext, rules: Iterable[Rule] = RULES) -> tuple[Problem, ...]:
    """Every rule's problems, in rule order, exact duplicates removed."""
    problems: dict[Problem, None] = {}
    for rule in rules:
        for problem in rule(ctx):
            problems.setdefault(problem, None)
    return tuple(problems)
