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

from collections.abc import Callable, Iterable

from thidua.checks.content import bad_rank, missing_evidence, missing_field, not_quantified, unknown_category
from thidua.checks.context import CheckContext, DocumentFinding
from thidua.checks.model import Problem
from thidua.checks.reading import (
    DEPARTMENT_NAMES,
    all_nominees,
    documents_sent,
    has_main_document,
    people_named,
    read_by_ocr,
    to_zone_of,
)
from thidua.checks.recognition import expected_kinds, looks_like
from thidua.text import clean, fold, nominee_identity
from thidua.wording import findings as say

Rule = Callable[[CheckContext], Iterable[Problem]]


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
        yield Problem(
            "no_attachment", "attachments", say.no_attachment(say.expected_documents(expected_kinds(ctx)))
        )


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
            yield Problem(
                "attachment_too_large",
                finding.name,
                say.too_large(finding.name, finding.size, ctx.max_attachment_bytes),
            )


def unsupported_format(ctx: CheckContext) -> Iterable[Problem]:
    """A file in a format the service cannot read; the message lists the ones it can."""
    for finding in ctx.documents:
        if finding.failure == "unsupported":
            yield Problem(
                "unsupported_format",
                finding.name,
                say.unsupported(finding.name, finding.detected, ctx.readable_formats),
            )


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
        yield Problem(
            "unreadable_attachment",
            "documents",
            say.nothing_recognised(
                [(f.name, looks_like(f)) for f in unrecognised], say.expected_documents(expected_kinds(ctx))
            ),
        )
        return
    scans = [f for f in documents_sent(ctx) if f.failure == "scan"]
    if scans:
        names = [f.name for f in scans]
        # What OCR recognised says which editable file to ask for; otherwise, what the round wants.
        read = [f for f in scans if read_by_ocr(f)]
        kinds = list(dict.fromkeys(f.understood.kind for f in read))
        expected = say.expected_documents(expected_kinds(ctx, kinds))
        readings = [
            say.scan_reading(f.understood.kind, people_named(f.understood), f.name if len(scans) > 1 else "")
            for f in read
        ]
        field = names[0] if len(names) == 1 else "attachments"
        yield Problem("unreadable_attachment", field, say.scan_without_editable(names, expected, readings))


# --- the round --------------------------------------------------------------------------------


def late(ctx: CheckContext) -> Iterable[Problem]:
    """Arrived (server time) after the round's deadline; a warning, shown in the deadline's zone."""
    if ctx.round is None or ctx.ad_hoc:
        return
    deadline = ctx.round.deadline
    arrived = to_zone_of(ctx.received_at, deadline)
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
            yield Problem(
                "quota_exceeded",
                "nominees",
                say.quota_exceeded_by_units(ctx.round.label or ctx.round.id, ctx.round.max_nominees, over),
            )
        return
    here = {
        nominee_identity(n.name, n.category) if clean(n.name) else ("", f"#{i}")
        for i, (_, n) in enumerate(all_nominees(ctx))
    }
    elsewhere = len(ctx.nominees_elsewhere - here)
    if here and len(here) + elsewhere > ctx.round.max_nominees:
        yield Problem(
            "quota_exceeded",
            "nominees",
            say.quota_exceeded(ctx.round.label or ctx.round.id, ctx.round.max_nominees, len(here), elsewhere),
        )


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
